//! `sigfresh_result`: stable result codes, their text, the thread-local last-error detail, and
//! the mapping from the core's error types.
//!
//! Numbers are grouped by area (0–99 the ABI itself, 100 signing, 200 verification, 300
//! credentials, 400 documents, 500 refresh policy, 600 time, 700 raw requests, 800 sources).
//! A number is never reused: a retired code stays listed here as retired.

use core::ffi::{c_char, CStr};
use std::cell::RefCell;

mod from_core;

/// A result code: `SIGFRESH_OK` (0) or one of the `SIGFRESH_*` error codes. Stable numbers.
pub type sigfresh_result = u32;

/// Success.
pub const SIGFRESH_OK: sigfresh_result = 0;
/// A required pointer argument was NULL (or a NULL pointer came with a non-zero length).
pub const SIGFRESH_NULL_PARAMETER: sigfresh_result = 1;
/// A text argument is not valid UTF-8 (the detail names the argument and byte offset).
pub const SIGFRESH_INVALID_UTF8: sigfresh_result = 2;
/// A caller buffer is too small; the size needed was written to the length output.
pub const SIGFRESH_BUFFER_TOO_SMALL: sigfresh_result = 3;
/// A handle argument is not a live handle of the expected type (wrong type or corrupted).
pub const SIGFRESH_INVALID_HANDLE: sigfresh_result = 4;
/// A handle argument was already freed (use after free, or a second free).
pub const SIGFRESH_HANDLE_FREED: sigfresh_result = 5;
/// An internal error (a Rust panic) was caught at the boundary. Please report it.
pub const SIGFRESH_PANIC: sigfresh_result = 6;
/// A length does not fit: it exceeds PTRDIFF_MAX or a size the argument can hold.
pub const SIGFRESH_LENGTH_TOO_LARGE: sigfresh_result = 7;
/// An argument has a value outside its documented set (unknown constant, misaligned array).
pub const SIGFRESH_INVALID_ARGUMENT: sigfresh_result = 8;
/// The optional value asked for is not present; nothing was written.
pub const SIGFRESH_ABSENT: sigfresh_result = 9;
/// An index is not below the count.
pub const SIGFRESH_INDEX_OUT_OF_RANGE: sigfresh_result = 10;
/// The named item (a profile, an SSO session) does not exist.
pub const SIGFRESH_NOT_FOUND: sigfresh_result = 11;
/// The refresh lease was already completed or released.
pub const SIGFRESH_LEASE_ALREADY_USED: sigfresh_result = 12;

/// Signing: the region is empty or has characters not allowed in a credential scope.
pub const SIGFRESH_SIGN_INVALID_REGION: sigfresh_result = 100;
/// Signing: the service is empty or has characters not allowed in a credential scope.
pub const SIGFRESH_SIGN_INVALID_SERVICE: sigfresh_result = 101;
/// Signing: the HTTP method is empty or not a token.
pub const SIGFRESH_SIGN_INVALID_METHOD: sigfresh_result = 102;
/// Signing: the URI is neither an http(s) URL nor a path starting with '/'.
pub const SIGFRESH_SIGN_INVALID_URI: sigfresh_result = 103;
/// Signing: no host header and the URI has no authority.
pub const SIGFRESH_SIGN_MISSING_HOST: sigfresh_result = 104;
/// Signing: a header name is not an HTTP token.
pub const SIGFRESH_SIGN_INVALID_HEADER_NAME: sigfresh_result = 105;
/// Signing: a signed header value has a byte AWS rejects.
pub const SIGFRESH_SIGN_INVALID_HEADER_VALUE: sigfresh_result = 106;
/// Signing: a precomputed payload hash is not 64 lowercase hex digits.
pub const SIGFRESH_SIGN_INVALID_PAYLOAD_HASH: sigfresh_result = 107;
/// Signing: the x-amz-content-sha256 header differs from the payload.
pub const SIGFRESH_SIGN_CONTENT_SHA256_MISMATCH: sigfresh_result = 108;
/// Signing: X-Amz-Expires is outside 1..=604800 seconds.
pub const SIGFRESH_SIGN_INVALID_EXPIRES: sigfresh_result = 109;
/// Signing: the signing time is outside years 0..=9999.
pub const SIGFRESH_SIGN_TIME_OUT_OF_RANGE: sigfresh_result = 110;
/// Signing: a header allow/deny list entry is not a header name.
pub const SIGFRESH_SIGN_INVALID_HEADER_SELECTION: sigfresh_result = 111;
/// Signing: header signing asked of a presigning signer, or presigning of a header signer.
pub const SIGFRESH_SIGN_MODE_MISMATCH: sigfresh_result = 112;
/// Signing: another signing error (a newer core variant).
pub const SIGFRESH_SIGN_OTHER: sigfresh_result = 199;

/// Verification: no Authorization header or X-Amz-Signature parameter.
pub const SIGFRESH_VERIFY_MISSING_SIGNATURE: sigfresh_result = 200;
/// Verification: the signature information is malformed.
pub const SIGFRESH_VERIFY_MALFORMED: sigfresh_result = 201;
/// Verification: an algorithm other than AWS4-HMAC-SHA256.
pub const SIGFRESH_VERIFY_UNSUPPORTED_ALGORITHM: sigfresh_result = 202;
/// Verification: the lookup knows no such access key id.
pub const SIGFRESH_VERIFY_UNKNOWN_ACCESS_KEY: sigfresh_result = 203;
/// Verification: a header listed in SignedHeaders is missing.
pub const SIGFRESH_VERIFY_MISSING_SIGNED_HEADER: sigfresh_result = 204;
/// Verification: no x-amz-date header or X-Amz-Date parameter.
pub const SIGFRESH_VERIFY_MISSING_DATE: sigfresh_result = 205;
/// Verification: x-amz-date is not YYYYMMDDTHHMMSSZ.
pub const SIGFRESH_VERIFY_INVALID_DATE: sigfresh_result = 206;
/// Verification: the credential scope date differs from x-amz-date.
pub const SIGFRESH_VERIFY_SCOPE_DATE_MISMATCH: sigfresh_result = 207;
/// Verification: the signing time is too far from now.
pub const SIGFRESH_VERIFY_REQUEST_TIME_TOO_SKEWED: sigfresh_result = 208;
/// Verification: a presigned request past its expiry.
pub const SIGFRESH_VERIFY_EXPIRED: sigfresh_result = 209;
/// Verification: X-Amz-Expires is not a number in 1..=604800.
pub const SIGFRESH_VERIFY_INVALID_EXPIRES: sigfresh_result = 210;
/// Verification: the session token is not the one issued with the credentials.
pub const SIGFRESH_VERIFY_SESSION_TOKEN_MISMATCH: sigfresh_result = 211;
/// Verification: the signature does not match (the detail has the canonical request computed).
pub const SIGFRESH_VERIFY_SIGNATURE_MISMATCH: sigfresh_result = 212;
/// Verification: the signature matches but the credentials that made it had expired at the
/// verification time (only with sigfresh_verifier_set_reject_expired_credentials).
pub const SIGFRESH_VERIFY_CREDENTIALS_EXPIRED: sigfresh_result = 213;
/// Verification: another verification error (a newer core variant).
pub const SIGFRESH_VERIFY_OTHER: sigfresh_result = 299;

/// Credentials: a required field is empty.
pub const SIGFRESH_CREDENTIALS_EMPTY: sigfresh_result = 300;
/// Credentials: a field has a character that cannot appear in it.
pub const SIGFRESH_CREDENTIALS_INVALID_CHARACTER: sigfresh_result = 301;
/// Credentials: another credentials error (a newer core variant).
pub const SIGFRESH_CREDENTIALS_OTHER: sigfresh_result = 399;

/// Document: larger than the limit; refused before parsing.
pub const SIGFRESH_DOCUMENT_TOO_LARGE: sigfresh_result = 400;
/// Document: not well-formed JSON/XML (the detail has the byte offset).
pub const SIGFRESH_DOCUMENT_SYNTAX: sigfresh_result = 401;
/// Document: well-formed but not a known credential document.
pub const SIGFRESH_DOCUMENT_UNRECOGNIZED: sigfresh_result = 402;
/// Document: the XML root is not an STS response.
pub const SIGFRESH_DOCUMENT_UNEXPECTED_ROOT: sigfresh_result = 403;
/// Document: a required field is missing.
pub const SIGFRESH_DOCUMENT_MISSING_FIELD: sigfresh_result = 404;
/// Document: a field has the wrong type.
pub const SIGFRESH_DOCUMENT_WRONG_TYPE: sigfresh_result = 405;
/// Document: a field appears twice.
pub const SIGFRESH_DOCUMENT_DUPLICATE_FIELD: sigfresh_result = 406;
/// Document: a timestamp field did not parse.
pub const SIGFRESH_DOCUMENT_INVALID_TIMESTAMP: sigfresh_result = 407;
/// Document: the document is the service's error response.
pub const SIGFRESH_DOCUMENT_SERVICE_ERROR: sigfresh_result = 408;
/// Document: an unsupported Version.
pub const SIGFRESH_DOCUMENT_UNSUPPORTED_VERSION: sigfresh_result = 409;
/// Document: the fields do not make valid credentials.
pub const SIGFRESH_DOCUMENT_INVALID_CREDENTIALS: sigfresh_result = 410;
/// Document: a malformed line in a credentials or config file.
pub const SIGFRESH_DOCUMENT_INI_SYNTAX: sigfresh_result = 411;
/// Document: a profile has only one of the two keys.
pub const SIGFRESH_DOCUMENT_PROFILE_MISSING_KEY: sigfresh_result = 412;
/// Document: a profile's static credentials are invalid.
pub const SIGFRESH_DOCUMENT_PROFILE_INVALID_KEY: sigfresh_result = 413;
/// Document: the credentials or config file has no such profile.
pub const SIGFRESH_DOCUMENT_PROFILE_NOT_FOUND: sigfresh_result = 414;
/// Document: the profile has no static keys (a role, process or SSO profile).
pub const SIGFRESH_DOCUMENT_PROFILE_WITHOUT_KEYS: sigfresh_result = 415;
/// Document: another document error (a newer core variant).
pub const SIGFRESH_DOCUMENT_OTHER: sigfresh_result = 499;

/// Refresh policy: a duration that must be positive is zero.
pub const SIGFRESH_POLICY_ZERO: sigfresh_result = 500;
/// Refresh policy: the mandatory window is longer than the refresh window.
pub const SIGFRESH_POLICY_MANDATORY_WINDOW_TOO_LONG: sigfresh_result = 501;
/// Refresh policy: the refresh jitter is over 100 percent.
pub const SIGFRESH_POLICY_JITTER_PERCENT_TOO_LARGE: sigfresh_result = 502;
/// Refresh policy: the maximum backoff is shorter than the initial backoff.
pub const SIGFRESH_POLICY_BACKOFF_MAX_BELOW_INITIAL: sigfresh_result = 503;
/// Refresh policy: another policy error (a newer core variant).
pub const SIGFRESH_POLICY_OTHER: sigfresh_result = 599;

/// Time: the text is not a timestamp of the expected form.
pub const SIGFRESH_TIME_PARSE: sigfresh_result = 600;
/// Time: the instant is outside years 0..=9999 and cannot be formatted.
pub const SIGFRESH_TIME_OUT_OF_RANGE: sigfresh_result = 601;

/// Raw request: the request head is not UTF-8.
pub const SIGFRESH_RAW_REQUEST_NOT_UTF8: sigfresh_result = 700;
/// Raw request: the request line is not `METHOD target [HTTP/x.y]`.
pub const SIGFRESH_RAW_REQUEST_BAD_REQUEST_LINE: sigfresh_result = 701;
/// Raw request: a header line is malformed.
pub const SIGFRESH_RAW_REQUEST_BAD_HEADER_LINE: sigfresh_result = 702;
/// Raw request: a continuation line before any header.
pub const SIGFRESH_RAW_REQUEST_FOLD_WITHOUT_HEADER: sigfresh_result = 703;
/// Raw request: another parse error (a newer core variant).
pub const SIGFRESH_RAW_REQUEST_OTHER: sigfresh_result = 799;

/// Name and text of a code, or `None` for a number that is not a code.
pub(crate) fn describe(code: sigfresh_result) -> Option<(&'static CStr, &'static CStr)> {
    Some(match code {
        SIGFRESH_OK => (c"SIGFRESH_OK", c"success"),
        SIGFRESH_NULL_PARAMETER => (
            c"SIGFRESH_NULL_PARAMETER",
            c"a required pointer argument was NULL",
        ),
        SIGFRESH_INVALID_UTF8 => (
            c"SIGFRESH_INVALID_UTF8",
            c"a text argument is not valid UTF-8",
        ),
        SIGFRESH_BUFFER_TOO_SMALL => (
            c"SIGFRESH_BUFFER_TOO_SMALL",
            c"the buffer is too small; the size needed was reported",
        ),
        SIGFRESH_INVALID_HANDLE => (
            c"SIGFRESH_INVALID_HANDLE",
            c"not a live handle of the expected type",
        ),
        SIGFRESH_HANDLE_FREED => (c"SIGFRESH_HANDLE_FREED", c"the handle was already freed"),
        SIGFRESH_PANIC => (c"SIGFRESH_PANIC", c"internal error (a panic was caught)"),
        SIGFRESH_LENGTH_TOO_LARGE => (c"SIGFRESH_LENGTH_TOO_LARGE", c"a length is too large"),
        SIGFRESH_INVALID_ARGUMENT => (
            c"SIGFRESH_INVALID_ARGUMENT",
            c"an argument is outside its documented values",
        ),
        SIGFRESH_ABSENT => (c"SIGFRESH_ABSENT", c"the optional value is not present"),
        SIGFRESH_INDEX_OUT_OF_RANGE => (c"SIGFRESH_INDEX_OUT_OF_RANGE", c"index out of range"),
        SIGFRESH_NOT_FOUND => (c"SIGFRESH_NOT_FOUND", c"no item with that name"),
        SIGFRESH_LEASE_ALREADY_USED => (
            c"SIGFRESH_LEASE_ALREADY_USED",
            c"the refresh lease was already completed or released",
        ),
        SIGFRESH_SIGN_INVALID_REGION => (c"SIGFRESH_SIGN_INVALID_REGION", c"invalid region"),
        SIGFRESH_SIGN_INVALID_SERVICE => (c"SIGFRESH_SIGN_INVALID_SERVICE", c"invalid service"),
        SIGFRESH_SIGN_INVALID_METHOD => (c"SIGFRESH_SIGN_INVALID_METHOD", c"invalid HTTP method"),
        SIGFRESH_SIGN_INVALID_URI => (c"SIGFRESH_SIGN_INVALID_URI", c"invalid request URI"),
        SIGFRESH_SIGN_MISSING_HOST => (
            c"SIGFRESH_SIGN_MISSING_HOST",
            c"no host header and no authority in the URI",
        ),
        SIGFRESH_SIGN_INVALID_HEADER_NAME => (
            c"SIGFRESH_SIGN_INVALID_HEADER_NAME",
            c"a header name is not an HTTP token",
        ),
        SIGFRESH_SIGN_INVALID_HEADER_VALUE => (
            c"SIGFRESH_SIGN_INVALID_HEADER_VALUE",
            c"a signed header value has a byte AWS rejects",
        ),
        SIGFRESH_SIGN_INVALID_PAYLOAD_HASH => (
            c"SIGFRESH_SIGN_INVALID_PAYLOAD_HASH",
            c"the precomputed payload hash is not 64 lowercase hex digits",
        ),
        SIGFRESH_SIGN_CONTENT_SHA256_MISMATCH => (
            c"SIGFRESH_SIGN_CONTENT_SHA256_MISMATCH",
            c"x-amz-content-sha256 differs from the payload",
        ),
        SIGFRESH_SIGN_INVALID_EXPIRES => (
            c"SIGFRESH_SIGN_INVALID_EXPIRES",
            c"X-Amz-Expires must be 1..=604800 seconds",
        ),
        SIGFRESH_SIGN_TIME_OUT_OF_RANGE => (
            c"SIGFRESH_SIGN_TIME_OUT_OF_RANGE",
            c"signing time outside years 0..=9999",
        ),
        SIGFRESH_SIGN_INVALID_HEADER_SELECTION => (
            c"SIGFRESH_SIGN_INVALID_HEADER_SELECTION",
            c"a header allow/deny list entry is not a header name",
        ),
        SIGFRESH_SIGN_MODE_MISMATCH => (
            c"SIGFRESH_SIGN_MODE_MISMATCH",
            c"the signer's settings sign the other way (headers vs presigned URL)",
        ),
        SIGFRESH_SIGN_OTHER => (c"SIGFRESH_SIGN_OTHER", c"signing failed"),
        SIGFRESH_VERIFY_MISSING_SIGNATURE => (
            c"SIGFRESH_VERIFY_MISSING_SIGNATURE",
            c"the request is not signed",
        ),
        SIGFRESH_VERIFY_MALFORMED => (
            c"SIGFRESH_VERIFY_MALFORMED",
            c"malformed signature information",
        ),
        SIGFRESH_VERIFY_UNSUPPORTED_ALGORITHM => (
            c"SIGFRESH_VERIFY_UNSUPPORTED_ALGORITHM",
            c"unsupported signing algorithm",
        ),
        SIGFRESH_VERIFY_UNKNOWN_ACCESS_KEY => (
            c"SIGFRESH_VERIFY_UNKNOWN_ACCESS_KEY",
            c"unknown access key id",
        ),
        SIGFRESH_VERIFY_MISSING_SIGNED_HEADER => (
            c"SIGFRESH_VERIFY_MISSING_SIGNED_HEADER",
            c"a signed header is missing from the request",
        ),
        SIGFRESH_VERIFY_MISSING_DATE => (c"SIGFRESH_VERIFY_MISSING_DATE", c"no x-amz-date"),
        SIGFRESH_VERIFY_INVALID_DATE => (
            c"SIGFRESH_VERIFY_INVALID_DATE",
            c"x-amz-date is not YYYYMMDDTHHMMSSZ",
        ),
        SIGFRESH_VERIFY_SCOPE_DATE_MISMATCH => (
            c"SIGFRESH_VERIFY_SCOPE_DATE_MISMATCH",
            c"the credential scope date differs from x-amz-date",
        ),
        SIGFRESH_VERIFY_REQUEST_TIME_TOO_SKEWED => (
            c"SIGFRESH_VERIFY_REQUEST_TIME_TOO_SKEWED",
            c"the signing time is too far from now",
        ),
        SIGFRESH_VERIFY_EXPIRED => (
            c"SIGFRESH_VERIFY_EXPIRED",
            c"the presigned request has expired",
        ),
        SIGFRESH_VERIFY_INVALID_EXPIRES => (
            c"SIGFRESH_VERIFY_INVALID_EXPIRES",
            c"X-Amz-Expires is invalid",
        ),
        SIGFRESH_VERIFY_SESSION_TOKEN_MISMATCH => (
            c"SIGFRESH_VERIFY_SESSION_TOKEN_MISMATCH",
            c"the session token does not match",
        ),
        SIGFRESH_VERIFY_SIGNATURE_MISMATCH => (
            c"SIGFRESH_VERIFY_SIGNATURE_MISMATCH",
            c"the signature does not match",
        ),
        SIGFRESH_VERIFY_CREDENTIALS_EXPIRED => (
            c"SIGFRESH_VERIFY_CREDENTIALS_EXPIRED",
            c"the credentials that signed the request have expired",
        ),
        SIGFRESH_VERIFY_OTHER => (c"SIGFRESH_VERIFY_OTHER", c"verification failed"),
        SIGFRESH_CREDENTIALS_EMPTY => (
            c"SIGFRESH_CREDENTIALS_EMPTY",
            c"a credentials field is empty",
        ),
        SIGFRESH_CREDENTIALS_INVALID_CHARACTER => (
            c"SIGFRESH_CREDENTIALS_INVALID_CHARACTER",
            c"a credentials field has a character that is not allowed",
        ),
        SIGFRESH_CREDENTIALS_OTHER => (c"SIGFRESH_CREDENTIALS_OTHER", c"invalid credentials"),
        SIGFRESH_DOCUMENT_TOO_LARGE => {
            (c"SIGFRESH_DOCUMENT_TOO_LARGE", c"the document is too large")
        }
        SIGFRESH_DOCUMENT_SYNTAX => (c"SIGFRESH_DOCUMENT_SYNTAX", c"the document is malformed"),
        SIGFRESH_DOCUMENT_UNRECOGNIZED => (
            c"SIGFRESH_DOCUMENT_UNRECOGNIZED",
            c"unrecognized credential document",
        ),
        SIGFRESH_DOCUMENT_UNEXPECTED_ROOT => (
            c"SIGFRESH_DOCUMENT_UNEXPECTED_ROOT",
            c"unexpected XML root element",
        ),
        SIGFRESH_DOCUMENT_MISSING_FIELD => (
            c"SIGFRESH_DOCUMENT_MISSING_FIELD",
            c"a required field is missing",
        ),
        SIGFRESH_DOCUMENT_WRONG_TYPE => (
            c"SIGFRESH_DOCUMENT_WRONG_TYPE",
            c"a field has the wrong type",
        ),
        SIGFRESH_DOCUMENT_DUPLICATE_FIELD => (
            c"SIGFRESH_DOCUMENT_DUPLICATE_FIELD",
            c"a field appears more than once",
        ),
        SIGFRESH_DOCUMENT_INVALID_TIMESTAMP => (
            c"SIGFRESH_DOCUMENT_INVALID_TIMESTAMP",
            c"a timestamp field did not parse",
        ),
        SIGFRESH_DOCUMENT_SERVICE_ERROR => (
            c"SIGFRESH_DOCUMENT_SERVICE_ERROR",
            c"the document is the service's error response",
        ),
        SIGFRESH_DOCUMENT_UNSUPPORTED_VERSION => (
            c"SIGFRESH_DOCUMENT_UNSUPPORTED_VERSION",
            c"unsupported document version",
        ),
        SIGFRESH_DOCUMENT_INVALID_CREDENTIALS => (
            c"SIGFRESH_DOCUMENT_INVALID_CREDENTIALS",
            c"the document's credentials are invalid",
        ),
        SIGFRESH_DOCUMENT_INI_SYNTAX => (
            c"SIGFRESH_DOCUMENT_INI_SYNTAX",
            c"a malformed line in a credentials or config file",
        ),
        SIGFRESH_DOCUMENT_PROFILE_MISSING_KEY => (
            c"SIGFRESH_DOCUMENT_PROFILE_MISSING_KEY",
            c"a profile has only one of the two keys",
        ),
        SIGFRESH_DOCUMENT_PROFILE_INVALID_KEY => (
            c"SIGFRESH_DOCUMENT_PROFILE_INVALID_KEY",
            c"a profile's static credentials are invalid",
        ),
        SIGFRESH_DOCUMENT_PROFILE_NOT_FOUND => (
            c"SIGFRESH_DOCUMENT_PROFILE_NOT_FOUND",
            c"no such profile in the file",
        ),
        SIGFRESH_DOCUMENT_PROFILE_WITHOUT_KEYS => (
            c"SIGFRESH_DOCUMENT_PROFILE_WITHOUT_KEYS",
            c"the profile has no static keys",
        ),
        SIGFRESH_DOCUMENT_OTHER => (
            c"SIGFRESH_DOCUMENT_OTHER",
            c"the document did not yield credentials",
        ),
        SIGFRESH_POLICY_ZERO => (
            c"SIGFRESH_POLICY_ZERO",
            c"a policy duration must be greater than zero",
        ),
        SIGFRESH_POLICY_MANDATORY_WINDOW_TOO_LONG => (
            c"SIGFRESH_POLICY_MANDATORY_WINDOW_TOO_LONG",
            c"the mandatory window is longer than the refresh window",
        ),
        SIGFRESH_POLICY_JITTER_PERCENT_TOO_LARGE => (
            c"SIGFRESH_POLICY_JITTER_PERCENT_TOO_LARGE",
            c"the refresh jitter is over 100 percent",
        ),
        SIGFRESH_POLICY_BACKOFF_MAX_BELOW_INITIAL => (
            c"SIGFRESH_POLICY_BACKOFF_MAX_BELOW_INITIAL",
            c"the maximum backoff is below the initial backoff",
        ),
        SIGFRESH_POLICY_OTHER => (c"SIGFRESH_POLICY_OTHER", c"invalid refresh policy"),
        SIGFRESH_TIME_PARSE => (
            c"SIGFRESH_TIME_PARSE",
            c"the text is not a timestamp of the expected form",
        ),
        SIGFRESH_TIME_OUT_OF_RANGE => (
            c"SIGFRESH_TIME_OUT_OF_RANGE",
            c"the instant is outside years 0..=9999",
        ),
        SIGFRESH_RAW_REQUEST_NOT_UTF8 => (
            c"SIGFRESH_RAW_REQUEST_NOT_UTF8",
            c"the request head is not UTF-8",
        ),
        SIGFRESH_RAW_REQUEST_BAD_REQUEST_LINE => (
            c"SIGFRESH_RAW_REQUEST_BAD_REQUEST_LINE",
            c"malformed request line",
        ),
        SIGFRESH_RAW_REQUEST_BAD_HEADER_LINE => (
            c"SIGFRESH_RAW_REQUEST_BAD_HEADER_LINE",
            c"malformed header line",
        ),
        SIGFRESH_RAW_REQUEST_FOLD_WITHOUT_HEADER => (
            c"SIGFRESH_RAW_REQUEST_FOLD_WITHOUT_HEADER",
            c"a continuation line before any header",
        ),
        SIGFRESH_RAW_REQUEST_OTHER => (
            c"SIGFRESH_RAW_REQUEST_OTHER",
            c"the raw request did not parse",
        ),
        _ => return crate::source::describe(code),
    })
}

thread_local! {
    static LAST_ERROR: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Records the detail of a failed call for `sigfresh_last_error_message` on this thread.
pub(crate) fn set_last_error(detail: &str) {
    let _ = LAST_ERROR.try_with(|cell| {
        if let Ok(mut s) = cell.try_borrow_mut() {
            s.clear();
            s.push_str(detail);
        }
    });
}

pub(crate) fn with_last_error<R>(f: impl FnOnce(&str) -> R) -> R {
    let copy = LAST_ERROR
        .try_with(|cell| cell.try_borrow().map(|s| s.clone()).unwrap_or_default())
        .unwrap_or_default();
    f(&copy)
}

/// Static text for a result code (never NULL). Unknown numbers give "unknown result code".
/// The string is static: do not free it.
#[no_mangle]
pub extern "C" fn sigfresh_result_message(result: sigfresh_result) -> *const c_char {
    let text = std::panic::catch_unwind(|| describe(result).map(|(_, m)| m));
    match text {
        Ok(Some(m)) => m.as_ptr(),
        _ => c"unknown result code".as_ptr(),
    }
}

/// The constant's name for a result code, e.g. "SIGFRESH_INVALID_UTF8" (never NULL). Unknown
/// numbers give "SIGFRESH_UNKNOWN". The string is static: do not free it.
#[no_mangle]
pub extern "C" fn sigfresh_result_name(result: sigfresh_result) -> *const c_char {
    let name = std::panic::catch_unwind(|| describe(result).map(|(n, _)| n));
    match name {
        Ok(Some(n)) => n.as_ptr(),
        _ => c"SIGFRESH_UNKNOWN".as_ptr(),
    }
}

/// Copies the detail of the last call on this thread that returned an error (not SIGFRESH_OK)
/// into `buf` (NUL-terminated): what was wrong and where (argument, field, byte offset, line),
/// never a secret value. Empty when no call has failed on this thread. Calling this function
/// does not change the detail. Caller buffer rules: see the header preamble.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_last_error_message(
    buf: *mut c_char,
    buf_len: usize,
    len_out: *mut usize,
) -> sigfresh_result {
    let r = std::panic::catch_unwind(|| {
        // SAFETY: the caller passes a buffer valid for `buf_len` bytes (or NULL with 0) and a
        // valid `len_out`, as every caller buffer in this ABI.
        let out = unsafe { crate::handle::out_buf(buf, buf_len, len_out, "len_out") }?;
        with_last_error(|s| out.write_str(s))
    });
    // Not routed through `boundary`: a failure here must not overwrite the detail it reads.
    match r {
        Ok(Ok(())) => SIGFRESH_OK,
        Ok(Err(e)) => e.code,
        Err(_) => SIGFRESH_PANIC,
    }
}

#[cfg(test)]
mod tests;
