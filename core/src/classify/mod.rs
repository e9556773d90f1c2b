//! Classifies an AWS error response into what the host should do next.
//!
//! ```text
//!  status + headers + body ──► classify ──► Classification { action, kind, code, message,
//!  ClockSkew (optional) ────►     │                           server_time, skew_ms, ... }
//!                                 └──► learns the server's clock into the ClockSkew on skew errors
//! ```
//!
//! [`classify`] reads the error code from the `x-amzn-query-error` header (awsQueryCompatible
//! services such as SQS), the `x-amzn-errortype` header (REST-JSON), or the body: JSON `code` /
//! `Code` / `__type` (with Smithy's sanitising: text after the first `:` and up to the first `#` is
//! dropped), or XML `<Error><Code>` (S3 `<Error>`, EC2 `<Response><Errors><Error>`, query APIs'
//! `<ErrorResponse><Error>`). Only the first [`BODY_SCAN_LIMIT`] bytes of the body are looked at.
//! The message is AWS's own text, with control characters turned into spaces, long
//! base64-looking runs (≥ 40 characters: the length of a secret access key; session tokens are
//! longer) replaced by `** redacted **`, and cut to [`MESSAGE_LIMIT`] bytes. Nothing else from
//! the body is kept but S3's `SignatureDoesNotMatch` echoes, `<CanonicalRequest>` and
//! `<StringToSign>` ([`Classification::canonical_request`], [`Classification::string_to_sign`];
//! compare them with ours using [`crate::sigv4::diff`]), with the session token blanked out of
//! the canonical request ([`redact_session_token`](crate::sigv4::diff::redact_session_token)).
//! S3 also echoes the token in `<Token-0>`; that is never read.
//!
//! ## Rules, first match wins
//!
//! 1. **Expired token** → [`Action::RefreshCredentialsAndRetry`]: a code in
//!    [`EXPIRED_TOKEN_CODES`], or the message "The security token included in the request is
//!    expired" under any code or none (API Gateway answers a 403 with only that message).
//! 2. **Credentials not recognized** → [`Action::Fatal`] ([`ErrorKind::CredentialsNotRecognized`]):
//!    a code in [`UNRECOGNIZED_CREDENTIALS_CODES`], or the message "The security token included
//!    in the request is invalid" (API Gateway sends it as `AccessDeniedException`).
//!    [`Classification::action_for_source`] upgrades this to one refresh-and-retry when the
//!    credentials came from a source that hands out rotating temporary credentials.
//! 3. **Throttling** → [`Action::Throttled`]: a code in [`THROTTLING_CODES`], any code containing
//!    "throttl" (any case), or status 429.
//! 4. **Clock skew** → [`Action::CorrectClockAndRetry`]: [`is_skew_error`] says
//!    [`SkewVerdict::Definite`] or [`SkewVerdict::Likely`], or the message starts the SigV4
//!    "Signature expired:" / "Signature not yet current:" texts. The server's time (the `Date`
//!    header unless an `Age` header marks the response as cached, else S3's `<ServerTime>`, else
//!    the time quoted in the signature message) is observed into the given [`ClockSkew`].
//! 5. **Transient** → [`Action::RetryTransient`]: a code in [`TRANSIENT_CODES`] or any 5xx status.
//! 6. Everything else → [`Action::Fatal`], with [`ErrorKind`] telling signature mismatches,
//!    unrecognised credentials (`AuthFailure`), access denials and the rest apart.
//!
//! "Retry" always means *retry once* for the refresh and clock actions: if the retried request
//! fails the same way, the host should stop. A request signed with a corrected clock measures an
//! offset near zero, so a possible-skew error cannot be blamed on the clock twice.
//!
//! Sources for the code lists: botocore `retries/standard.py` (`ThrottledRetryableChecker`,
//! `TransientRetryableChecker`), AWS SDK for Go v2 `aws/retry/standard.go`
//! (`DefaultThrottleErrorCodes`, `DefaultRetryableErrorCodes`, `DefaultRetryableHTTPStatusCodes`),
//! AWS SDK for Java v2 `AwsErrorCode`, AWS SDK for Ruby `ErrorInspector` (`EXPIRED_CREDS`,
//! `THROTTLING_ERRORS`, `NETWORKING_ERRORS`, `CHECKSUM_ERRORS`, the `/throttl/i` match), Smithy's
//! restJson1 protocol ("Operation error serialization"), and the AWS "Common Errors" API reference.

use crate::prelude::*;
mod body;
mod clean;
mod explain;

use crate::credentials::CredentialSource;
use crate::skew::{is_skew_error, ClockSkew, SkewChange, SkewVerdict, SKEW_DETECTION_THRESHOLD_MS};
use crate::time::{parse_http_date, Timestamp};
pub(crate) use clean::clean_message;
use clean::{clean_code, signature_time_message};
use core::fmt;

/// Only this many bytes (64 KiB) of a body are scanned; AWS error bodies are far smaller.
pub const BODY_SCAN_LIMIT: usize = 64 * 1024;

/// Messages are cut to at most this many bytes (on a character boundary, marked with `…`).
pub const MESSAGE_LIMIT: usize = 1024;

/// Codes that mean the session token has expired: `ExpiredToken` (query/XML services, S3),
/// `ExpiredTokenException` (JSON services; AWS Common Errors), `TokenRefreshRequired` (S3: "The
/// provided token must be refreshed").
pub const EXPIRED_TOKEN_CODES: &[&str] = &[
    "ExpiredToken",
    "ExpiredTokenException",
    "TokenRefreshRequired",
];

/// Codes that mean AWS does not recognise the credentials: `InvalidClientTokenId` (query
/// services), `UnrecognizedClientException` (JSON services), `InvalidAccessKeyId` (S3),
/// `InvalidToken` (S3: "The provided token is malformed or otherwise invalid"). The Ruby SDK's
/// `EXPIRED_CREDS` list retried the first three when the credentials were refreshable; its
/// current `INVALIDATING_AUTH_ERRORS` keeps `ExpiredToken` and `InvalidToken`.
pub const UNRECOGNIZED_CREDENTIALS_CODES: &[&str] = &[
    "InvalidClientTokenId",
    "UnrecognizedClientException",
    "InvalidAccessKeyId",
    "InvalidToken",
];

/// Throttling codes: the union of botocore `ThrottledRetryableChecker._THROTTLED_ERROR_CODES` and
/// Go v2 `DefaultThrottleErrorCodes` (the same 14 codes), which contain Java v2's
/// `THROTTLING_ERROR_CODES`.
pub const THROTTLING_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];

/// Transient codes, retried like a 5xx: botocore/Go v2 `RequestTimeout`,
/// `RequestTimeoutException`; Ruby `NETWORKING_ERRORS` (`InternalError`,
/// `IDPCommunicationError`) and `CHECKSUM_ERRORS` (`CRC32CheckFailed`, `BadDigest`); the Common
/// Errors `InternalFailure`, `ServiceUnavailable`. (S3 can send `InternalError` with status 200.)
pub const TRANSIENT_CODES: &[&str] = &[
    "RequestTimeout",
    "RequestTimeoutException",
    "InternalError",
    "InternalFailure",
    "ServiceUnavailable",
    "IDPCommunicationError",
    "CRC32CheckFailed",
    "BadDigest",
];

const SIGNATURE_CODES: &[&str] = &[
    "SignatureDoesNotMatch",
    "InvalidSignatureException",
    "IncompleteSignature",
];
const ACCESS_DENIED_CODES: &[&str] = &[
    "AccessDenied",
    "AccessDeniedException",
    "UnauthorizedOperation",
    "NotAuthorized",
];
const EXPIRED_TOKEN_MESSAGE: &str = "the security token included in the request is expired";
const INVALID_TOKEN_MESSAGE: &str = "the security token included in the request is invalid";

/// An HTTP error response as the host received it. Header names are matched case-insensitively.
#[derive(Clone, Copy)]
#[non_exhaustive]
pub struct ErrorResponse<'a> {
    /// HTTP status code.
    pub status: u16,
    /// Response headers as (name, value) pairs.
    pub headers: &'a [(&'a str, &'a str)],
    /// Response body (only the first [`BODY_SCAN_LIMIT`] bytes are read).
    pub body: &'a [u8],
}

impl<'a> ErrorResponse<'a> {
    /// Bundles a response.
    pub const fn new(status: u16, headers: &'a [(&'a str, &'a str)], body: &'a [u8]) -> Self {
        ErrorResponse {
            status,
            headers,
            body,
        }
    }
    /// The first value of header `name` (case-insensitive), trimmed.
    pub fn header(&self, name: &str) -> Option<&'a str> {
        self.headers
            .iter()
            .find(|(n, _)| n.trim().eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim())
    }
}

/// Prints the status, the header names and the body length (never header values or the body).
impl fmt::Debug for ErrorResponse<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ErrorResponse")
            .field("status", &self.status)
            .field(
                "headers",
                &self.headers.iter().map(|(n, _)| *n).collect::<Vec<_>>(),
            )
            .field("body_len", &self.body.len())
            .finish()
    }
}

/// What the host should do next.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Action {
    /// The credentials expired: refresh them (do not wait for the scheduled refresh), re-sign and
    /// retry once.
    RefreshCredentialsAndRetry,
    /// The signing time was rejected: re-sign with [`ClockSkew::corrected`] time and retry once.
    CorrectClockAndRetry,
    /// AWS is throttling: retry with exponential backoff and jitter (a throttling retry budget).
    Throttled,
    /// A temporary server-side or network-level failure: retry with backoff.
    RetryTransient,
    /// Retrying the same request will not help; see [`Classification::explain`].
    Fatal,
}

impl Action {
    /// True for every action except [`Action::Fatal`].
    pub fn is_retry(self) -> bool {
        !matches!(self, Action::Fatal)
    }
}

/// Why the request failed, in more detail than [`Action`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The session token expired.
    ExpiredToken,
    /// AWS does not recognise the access key id or session token.
    CredentialsNotRecognized,
    /// The signing time was too far from AWS's clock.
    ClockSkew,
    /// Request rate too high.
    Throttling,
    /// Temporary server-side failure.
    Transient,
    /// The signature did not match and the clock is not (known to be) the cause: a wrong secret
    /// key, or a request changed after signing.
    SignatureMismatch,
    /// The credentials were accepted but lack permission.
    AccessDenied,
    /// Any other error (validation, not found, conflict...).
    Other,
}

/// The outcome of [`classify`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Classification {
    /// What to do next.
    pub action: Action,
    /// Why, in more detail.
    pub kind: ErrorKind,
    /// The HTTP status.
    pub status: u16,
    /// The AWS error code, sanitised (`com.amazonaws.dynamodb.v20120810#Foo` → `Foo`).
    pub code: Option<String>,
    /// AWS's message, cleaned as described in the module docs.
    pub message: Option<String>,
    /// The server's time, if the response told it.
    pub server_time: Option<Timestamp>,
    /// How far the server's clock was from the time the request was signed with, in ms
    /// (`server − signing time`; positive when the signing clock was behind), when measurable.
    pub skew_ms: Option<i64>,
    /// What [`is_skew_error`] (or the signature-time message) concluded.
    pub skew_verdict: SkewVerdict,
    /// What the response taught the [`ClockSkew`], if one was given and it was consulted.
    pub skew_change: Option<SkewChange>,
    /// The canonical request AWS computed, when the body echoes it (S3 `SignatureDoesNotMatch`
    /// `<CanonicalRequest>`): entity-decoded, CRLF line ends as LF, the session token replaced
    /// by `<redacted>`, cut to 16 KiB. Compare it with ours using [`crate::sigv4::diff::compare`].
    pub canonical_request: Option<String>,
    /// The string to sign AWS computed, when the body echoes it (S3 `<StringToSign>`), cut to
    /// 16 KiB. It holds no secret: the algorithm, time, scope and the canonical request's hash.
    pub string_to_sign: Option<String>,
}

impl Classification {
    /// The action for credentials that came from `source`. Identical to [`Classification::action`]
    /// except for [`ErrorKind::CredentialsNotRecognized`], which becomes one
    /// [`Action::RefreshCredentialsAndRetry`] when the source hands out rotating temporary
    /// credentials (instance metadata, container endpoint, `credential_process`, SSO, STS): a
    /// refresh may return a different, valid set (e.g. after a cached token was corrupted or
    /// revoked). Static, environment and profile credentials would come back unchanged, so they
    /// stay [`Action::Fatal`]. Source: the Ruby SDK retried these codes when
    /// `refreshable_credentials?` held.
    pub fn action_for_source(&self, source: &CredentialSource) -> Action {
        let temporary = matches!(
            source,
            CredentialSource::InstanceMetadata
                | CredentialSource::ContainerEndpoint
                | CredentialSource::Process
                | CredentialSource::Sso
                | CredentialSource::Sts
        );
        if self.kind == ErrorKind::CredentialsNotRecognized && temporary {
            Action::RefreshCredentialsAndRetry
        } else {
            self.action
        }
    }

    /// One or two sentences: what went wrong and the fix. Contains the error code, the status and
    /// (for [`ErrorKind::Other`]) the cleaned message; never credentials.
    pub fn explain(&self) -> String {
        explain::explain(self)
    }
}

/// Strips a Smithy wire error code to its shape name: text from the first `:` on, then text up to
/// and including the first `#`.
///
/// ```
/// use sigfresh::classify::sanitize_error_code;
/// assert_eq!(sanitize_error_code("com.amazonaws.dynamodb.v20120810#ThrottlingException"), "ThrottlingException");
/// assert_eq!(sanitize_error_code("ValidationException:http://internal.amazon.com/coral/com.amazon.coral.validate/"), "ValidationException");
/// ```
pub fn sanitize_error_code(raw: &str) -> &str {
    let s = raw.split(':').next().unwrap_or(raw);
    let s = match s.find('#') {
        Some(i) => &s[i + 1..],
        None => s,
    };
    s.trim()
}

/// True when the code or message says the session token expired (rule 1).
pub fn is_expired_token(code: Option<&str>, message: Option<&str>) -> bool {
    code.is_some_and(|c| EXPIRED_TOKEN_CODES.contains(&c))
        || message_has(message, EXPIRED_TOKEN_MESSAGE)
}

/// True when the code or message says AWS does not recognise the credentials (rule 2).
pub fn is_credentials_not_recognized(code: Option<&str>, message: Option<&str>) -> bool {
    code.is_some_and(|c| UNRECOGNIZED_CREDENTIALS_CODES.contains(&c))
        || message_has(message, INVALID_TOKEN_MESSAGE)
}

/// True for throttling (rule 3).
pub fn is_throttling(code: Option<&str>, status: u16) -> bool {
    status == 429
        || code.is_some_and(|c| {
            THROTTLING_CODES.contains(&c) || c.to_ascii_lowercase().contains("throttl")
        })
}

/// True for transient failures (rule 5).
pub fn is_transient(code: Option<&str>, status: u16) -> bool {
    (500..=599).contains(&status) || code.is_some_and(|c| TRANSIENT_CODES.contains(&c))
}

fn message_has(message: Option<&str>, needle: &str) -> bool {
    message.is_some_and(|m| m.to_ascii_lowercase().contains(needle))
}

/// Classifies `response` (see the module docs for the rules). `local_now` is the host's clock when
/// the response arrived. With `skew`, the request is assumed to have been signed with
/// `skew.corrected(..)` time, and a skew error (or an expired token with an offset of at least
/// [`SKEW_DETECTION_THRESHOLD_MS`], since a wrong clock also misjudges expiry) teaches it the
/// server's clock. Never panics; reads at most [`BODY_SCAN_LIMIT`] bytes of the body.
///
/// ```
/// use sigfresh::classify::{classify, Action, ErrorResponse};
/// use sigfresh::skew::ClockSkew;
/// use sigfresh::time::Timestamp;
/// let body = br#"{"message":"The security token included in the request is expired"}"#;
/// let headers = [("Content-Type", "application/json")];
/// let c = classify(&ErrorResponse::new(403, &headers, body), None, Timestamp::from_unix_seconds(0));
/// assert_eq!(c.action, Action::RefreshCredentialsAndRetry);
///
/// // A SignatureDoesNotMatch whose Date is 10 minutes ahead of the host's clock.
/// let skew = ClockSkew::default();
/// let local_now = Timestamp::from_unix_seconds(1_440_938_160); // 2015-08-30T12:36:00Z
/// let headers = [("Date", "Sun, 30 Aug 2015 12:46:00 GMT")];
/// let body = b"<Error><Code>SignatureDoesNotMatch</Code></Error>";
/// let c = classify(&ErrorResponse::new(403, &headers, body), Some(&skew), local_now);
/// assert_eq!(c.action, Action::CorrectClockAndRetry);
/// assert_eq!(skew.offset_millis(), 600_000);
/// ```
pub fn classify(
    response: &ErrorResponse<'_>,
    skew: Option<&ClockSkew>,
    local_now: Timestamp,
) -> Classification {
    let fields = body::parse(response.body);
    let code = header_code(response)
        .or_else(|| fields.code.as_deref().and_then(clean_code))
        .map(str::to_owned);
    let message = fields
        .message
        .as_deref()
        .map(clean_message)
        .filter(|m| !m.is_empty());
    let code_ref = code.as_deref();
    let message_ref = message.as_deref();
    let status = response.status;

    let cached = response.header("age").is_some();
    let date = response
        .header("date")
        .filter(|_| !cached)
        .and_then(|v| parse_http_date(v).ok());
    let body_server = fields
        .server_time
        .as_deref()
        .and_then(|v| parse_http_date(v).ok());
    let body_signed = fields
        .request_time
        .as_deref()
        .and_then(|v| parse_http_date(v).ok());
    let quoted = message_ref.and_then(signature_time_message);
    let quoted_server = quoted.and_then(|q| q.server);
    let server_time = date.or(body_server).or(quoted_server);
    let signed_at = body_signed.or(quoted.and_then(|q| q.signed_at));
    let skew_ms = match signed_at {
        // The response quotes both clocks: exact, and independent of the host's clock.
        Some(signed) => body_server
            .or(quoted_server)
            .or(date)
            .map(|s| s.millis_since(signed)),
        None => {
            let signing_now = skew.map_or(local_now, |s| s.corrected(local_now));
            server_time.map(|s| s.millis_since(signing_now))
        }
    };
    let skew_verdict = if quoted.is_some() {
        SkewVerdict::Definite
    } else {
        is_skew_error(code_ref, status, skew_ms)
    };

    let (action, kind) = if is_expired_token(code_ref, message_ref) {
        (Action::RefreshCredentialsAndRetry, ErrorKind::ExpiredToken)
    } else if is_credentials_not_recognized(code_ref, message_ref) {
        (Action::Fatal, ErrorKind::CredentialsNotRecognized)
    } else if is_throttling(code_ref, status) {
        (Action::Throttled, ErrorKind::Throttling)
    } else if skew_verdict.is_skew() {
        (Action::CorrectClockAndRetry, ErrorKind::ClockSkew)
    } else if is_transient(code_ref, status) {
        (Action::RetryTransient, ErrorKind::Transient)
    } else if code_ref.is_some_and(|c| SIGNATURE_CODES.contains(&c)) {
        (Action::Fatal, ErrorKind::SignatureMismatch)
    } else if code_ref == Some("AuthFailure") {
        (Action::Fatal, ErrorKind::CredentialsNotRecognized)
    } else if code_ref.map_or(matches!(status, 401 | 403), |c| {
        ACCESS_DENIED_CODES.contains(&c)
    }) {
        (Action::Fatal, ErrorKind::AccessDenied)
    } else {
        (Action::Fatal, ErrorKind::Other)
    };

    let learn = match action {
        Action::CorrectClockAndRetry => true,
        Action::RefreshCredentialsAndRetry => skew_ms
            .is_some_and(|ms| ms.unsigned_abs() >= SKEW_DETECTION_THRESHOLD_MS.unsigned_abs()),
        _ => false,
    };
    let skew_change = match (learn, skew, server_time) {
        (true, Some(tracker), Some(server)) => Some(tracker.observe(server, local_now)),
        _ => None,
    };

    Classification {
        action,
        kind,
        status,
        code,
        message,
        server_time,
        skew_ms,
        skew_verdict,
        skew_change,
        canonical_request: fields
            .canonical_request
            .as_deref()
            .map(crate::sigv4::diff::redact_session_token),
        string_to_sign: fields.string_to_sign,
    }
}

fn header_code<'a>(r: &ErrorResponse<'a>) -> Option<&'a str> {
    // awsQueryCompatible: "AWS.SimpleQueueService.NonExistentQueue;Sender" carries the legacy code
    // the SDKs report.
    let query = r
        .header("x-amzn-query-error")
        .and_then(|v| v.split(';').next())
        .and_then(clean_code);
    query.or_else(|| r.header("x-amzn-errortype").and_then(clean_code))
}

#[cfg(test)]
mod tests;
