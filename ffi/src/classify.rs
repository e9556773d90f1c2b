//! Error classification: an AWS error response in, what to do next out.

use crate::credentials::{creds, sigfresh_credentials};
use crate::handle::{
    boundary, bytes, free, get, handle_impl, into_handle, out, out_buf, pairs_into, slice, Error,
};
use crate::result::*;
use crate::skew::{
    change, sigfresh_clock_skew, sigfresh_skew_change, sigfresh_skew_verdict, verdict,
};
use crate::{sigfresh_pair, sigfresh_str};
use core::ffi::c_char;
use sigfresh::classify::{classify, Action, Classification, ErrorKind, ErrorResponse};
use sigfresh::time::Timestamp;

/// The classification of one error response. Immutable. Release with
/// sigfresh_classification_free.
pub struct sigfresh_classification {
    _private: [u8; 0],
}

handle_impl!(sigfresh_classification => Classification, 0x5347_4652_434c_4153);

/// What the host should do next (`sigfresh_action`).
pub type sigfresh_action = u32;
/// Refresh the credentials now, re-sign and retry once.
pub const SIGFRESH_ACTION_REFRESH_CREDENTIALS_AND_RETRY: sigfresh_action = 0;
/// Re-sign with the skew-corrected time and retry once.
pub const SIGFRESH_ACTION_CORRECT_CLOCK_AND_RETRY: sigfresh_action = 1;
/// Retry with exponential backoff and jitter.
pub const SIGFRESH_ACTION_THROTTLED: sigfresh_action = 2;
/// A temporary failure: retry with backoff.
pub const SIGFRESH_ACTION_RETRY_TRANSIENT: sigfresh_action = 3;
/// Retrying the same request will not help.
pub const SIGFRESH_ACTION_FATAL: sigfresh_action = 4;
/// An action this version of the ABI has no constant for.
pub const SIGFRESH_ACTION_OTHER: sigfresh_action = 99;

/// Why the request failed (`sigfresh_error_kind`).
pub type sigfresh_error_kind = u32;
/// The session token expired.
pub const SIGFRESH_ERROR_KIND_EXPIRED_TOKEN: sigfresh_error_kind = 0;
/// AWS does not recognise the access key id or token.
pub const SIGFRESH_ERROR_KIND_CREDENTIALS_NOT_RECOGNIZED: sigfresh_error_kind = 1;
/// The signing time was too far from AWS's clock.
pub const SIGFRESH_ERROR_KIND_CLOCK_SKEW: sigfresh_error_kind = 2;
/// Request rate too high.
pub const SIGFRESH_ERROR_KIND_THROTTLING: sigfresh_error_kind = 3;
/// Temporary server-side failure.
pub const SIGFRESH_ERROR_KIND_TRANSIENT: sigfresh_error_kind = 4;
/// The signature did not match and the clock is not the cause.
pub const SIGFRESH_ERROR_KIND_SIGNATURE_MISMATCH: sigfresh_error_kind = 5;
/// The credentials lack permission.
pub const SIGFRESH_ERROR_KIND_ACCESS_DENIED: sigfresh_error_kind = 6;
/// Any other error.
pub const SIGFRESH_ERROR_KIND_OTHER: sigfresh_error_kind = 7;

fn action(a: Action) -> sigfresh_action {
    match a {
        Action::RefreshCredentialsAndRetry => SIGFRESH_ACTION_REFRESH_CREDENTIALS_AND_RETRY,
        Action::CorrectClockAndRetry => SIGFRESH_ACTION_CORRECT_CLOCK_AND_RETRY,
        Action::Throttled => SIGFRESH_ACTION_THROTTLED,
        Action::RetryTransient => SIGFRESH_ACTION_RETRY_TRANSIENT,
        Action::Fatal => SIGFRESH_ACTION_FATAL,
        _ => SIGFRESH_ACTION_OTHER,
    }
}

/// Classifies an AWS error response: `status`, the response headers, the body (only the first
/// 64 KiB are read). With `skew` (optional, NULL for none) the request is assumed signed with
/// the skew-corrected time, and a clock-skew error teaches it the server's clock. `local_now_ms`
/// is the host clock when the response arrived. On success `*classification_out` is a new
/// handle: release it with sigfresh_classification_free.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_classification_new(
    status: u16,
    headers: *const sigfresh_pair,
    headers_len: usize,
    body: *const u8,
    body_len: usize,
    skew: *const sigfresh_clock_skew,
    local_now_ms: i64,
    classification_out: *mut *const sigfresh_classification,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: caller contract (crate docs).
        let (h, b, o) = unsafe {
            (
                slice(headers, headers_len, "headers")?,
                bytes(body, body_len, "body")?,
                out(classification_out, "classification_out")?,
            )
        };
        let skew = if skew.is_null() {
            None
        } else {
            // SAFETY: caller contract (crate docs).
            Some(unsafe { get(skew, "skew") }?)
        };
        let mut pairs = Vec::new();
        // SAFETY: caller contract for each pair's pointers.
        unsafe { pairs_into(h, "headers", &mut pairs) }?;
        let c = classify(
            &ErrorResponse::new(status, &pairs, b),
            skew,
            Timestamp::from_unix_millis(local_now_ms),
        );
        o.write(into_handle::<sigfresh_classification>(c).cast_const());
        Ok(())
    })
}

/// Releases a classification. NULL is a no-op.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_classification_free(
    classification: *const sigfresh_classification,
) -> sigfresh_result {
    // SAFETY: caller contract (crate docs).
    unsafe { free(classification) }
}

/// # Safety
/// Caller contract (crate docs).
unsafe fn read<T>(
    c: *const sigfresh_classification,
    p: *mut T,
    f: impl FnOnce(&Classification) -> Result<T, Error>,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: forwarded contract.
        let (c, o) = unsafe { (get(c, "classification")?, out(p, "out")?) };
        o.write(f(c)?);
        Ok(())
    })
}

/// What to do next (SIGFRESH_ACTION_*).
#[no_mangle]
pub unsafe extern "C" fn sigfresh_classification_action(
    classification: *const sigfresh_classification,
    action_out: *mut sigfresh_action,
) -> sigfresh_result {
    // SAFETY: caller contract (crate docs).
    unsafe { read(classification, action_out, |c| Ok(action(c.action))) }
}

/// The action for credentials like `credentials` (their source decides): an unrecognised
/// token from a rotating source (IMDS, container, process, SSO, STS) becomes one
/// refresh-and-retry.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_classification_action_for_source(
    classification: *const sigfresh_classification,
    credentials: *const sigfresh_credentials,
    action_out: *mut sigfresh_action,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: caller contract (crate docs).
        let (c, cr, o) = unsafe {
            (
                get(classification, "classification")?,
                creds(credentials, "credentials")?,
                out(action_out, "action_out")?,
            )
        };
        o.write(action(c.action_for_source(cr.source())));
        Ok(())
    })
}

/// Why it failed (SIGFRESH_ERROR_KIND_*).
#[no_mangle]
pub unsafe extern "C" fn sigfresh_classification_kind(
    classification: *const sigfresh_classification,
    kind_out: *mut sigfresh_error_kind,
) -> sigfresh_result {
    // SAFETY: caller contract (crate docs).
    unsafe {
        read(classification, kind_out, |c| {
            Ok(match c.kind {
                ErrorKind::ExpiredToken => SIGFRESH_ERROR_KIND_EXPIRED_TOKEN,
                ErrorKind::CredentialsNotRecognized => {
                    SIGFRESH_ERROR_KIND_CREDENTIALS_NOT_RECOGNIZED
                }
                ErrorKind::ClockSkew => SIGFRESH_ERROR_KIND_CLOCK_SKEW,
                ErrorKind::Throttling => SIGFRESH_ERROR_KIND_THROTTLING,
                ErrorKind::Transient => SIGFRESH_ERROR_KIND_TRANSIENT,
                ErrorKind::SignatureMismatch => SIGFRESH_ERROR_KIND_SIGNATURE_MISMATCH,
                ErrorKind::AccessDenied => SIGFRESH_ERROR_KIND_ACCESS_DENIED,
                _ => SIGFRESH_ERROR_KIND_OTHER,
            })
        })
    }
}

/// The HTTP status.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_classification_status(
    classification: *const sigfresh_classification,
    status_out: *mut u16,
) -> sigfresh_result {
    // SAFETY: caller contract (crate docs).
    unsafe { read(classification, status_out, |c| Ok(c.status)) }
}

/// The sanitised AWS error code, borrowed; SIGFRESH_ABSENT when the response had none.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_classification_code(
    classification: *const sigfresh_classification,
    str_out: *mut sigfresh_str,
) -> sigfresh_result {
    // SAFETY: caller contract (crate docs).
    unsafe {
        read(classification, str_out, |c| {
            c.code
                .as_deref()
                .map(sigfresh_str::of)
                .ok_or_else(|| Error::absent("error code"))
        })
    }
}

/// AWS's message, cleaned (control characters replaced, key-like runs redacted, cut to 1 KiB),
/// borrowed; SIGFRESH_ABSENT when there was none.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_classification_message(
    classification: *const sigfresh_classification,
    str_out: *mut sigfresh_str,
) -> sigfresh_result {
    // SAFETY: caller contract (crate docs).
    unsafe {
        read(classification, str_out, |c| {
            c.message
                .as_deref()
                .map(sigfresh_str::of)
                .ok_or_else(|| Error::absent("message"))
        })
    }
}

/// The server's time from the response (Unix ms); SIGFRESH_ABSENT when it did not say.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_classification_server_time(
    classification: *const sigfresh_classification,
    ms_out: *mut i64,
) -> sigfresh_result {
    // SAFETY: caller contract (crate docs).
    unsafe {
        read(classification, ms_out, |c| {
            c.server_time
                .map(|t| t.unix_millis())
                .ok_or_else(|| Error::absent("server time"))
        })
    }
}

/// How far the server's clock was from the signing time (ms); SIGFRESH_ABSENT when unmeasurable.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_classification_skew_ms(
    classification: *const sigfresh_classification,
    ms_out: *mut i64,
) -> sigfresh_result {
    // SAFETY: caller contract (crate docs).
    unsafe {
        read(classification, ms_out, |c| {
            c.skew_ms.ok_or_else(|| Error::absent("skew"))
        })
    }
}

/// What the skew check concluded (SIGFRESH_SKEW_VERDICT_*).
#[no_mangle]
pub unsafe extern "C" fn sigfresh_classification_skew_verdict(
    classification: *const sigfresh_classification,
    verdict_out: *mut sigfresh_skew_verdict,
) -> sigfresh_result {
    // SAFETY: caller contract (crate docs).
    unsafe { read(classification, verdict_out, |c| Ok(verdict(c.skew_verdict))) }
}

/// What the response taught the clock skew tracker; SIGFRESH_ABSENT when it was not consulted.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_classification_skew_change(
    classification: *const sigfresh_classification,
    change_out: *mut sigfresh_skew_change,
) -> sigfresh_result {
    // SAFETY: caller contract (crate docs).
    unsafe {
        read(classification, change_out, |c| {
            c.skew_change
                .map(change)
                .ok_or_else(|| Error::absent("skew change"))
        })
    }
}

/// The canonical request AWS computed, when the body echoes it (S3 SignatureDoesNotMatch
/// `<CanonicalRequest>`): entity-decoded, LF line ends, the session token replaced by
/// `<redacted>`, at most 16 KiB. Borrowed from the classification; SIGFRESH_ABSENT when the
/// body had none.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_classification_canonical_request(
    classification: *const sigfresh_classification,
    str_out: *mut sigfresh_str,
) -> sigfresh_result {
    // SAFETY: caller contract (crate docs).
    unsafe {
        read(classification, str_out, |c| {
            c.canonical_request
                .as_deref()
                .map(sigfresh_str::of)
                .ok_or_else(|| Error::absent("canonical request"))
        })
    }
}

/// The string to sign AWS computed, when the body echoes it (S3 `<StringToSign>`), at most
/// 16 KiB. Borrowed from the classification; SIGFRESH_ABSENT when the body had none.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_classification_string_to_sign(
    classification: *const sigfresh_classification,
    str_out: *mut sigfresh_str,
) -> sigfresh_result {
    // SAFETY: caller contract (crate docs).
    unsafe {
        read(classification, str_out, |c| {
            c.string_to_sign
                .as_deref()
                .map(sigfresh_str::of)
                .ok_or_else(|| Error::absent("string to sign"))
        })
    }
}

/// One or two sentences, what went wrong and the fix, into a caller buffer. Never credentials.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_classification_explain(
    classification: *const sigfresh_classification,
    buf: *mut c_char,
    buf_len: usize,
    len_out: *mut usize,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: caller contract (crate docs).
        let (c, o) = unsafe {
            (
                get(classification, "classification")?,
                out_buf(buf, buf_len, len_out, "len_out")?,
            )
        };
        o.write_str(&c.explain())
    })
}
