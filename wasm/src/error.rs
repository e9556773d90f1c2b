//! Core errors as data for JavaScript: [`ErrorInfo`] carries a stable `code`, the JS class name
//! to raise, the core's own message and the structured details the core error holds. It crosses
//! the boundary as one NUL-packed string (see [`ErrorInfo::pack`]); the JS wrapper turns it into
//! an `Error` subclass. No message is written here, only mapped (except for the few conversion
//! failures of this shell itself).

use crate::pack::Out;
use crate::prelude::*;
use sigfresh::credentials::CredentialsError;
#[cfg(any(feature = "documents", feature = "sources"))]
use sigfresh::document::DocumentError;
#[cfg(any(feature = "cache", feature = "sources"))]
use sigfresh::refresh::Failure;
#[cfg(feature = "cache")]
use sigfresh::refresh::PolicyError;
use sigfresh::sigv4::SigningError;
#[cfg(feature = "verify")]
use sigfresh::sigv4::VerifyError;
#[cfg(feature = "sources")]
use sigfresh::source::SourceError;
#[cfg(feature = "skew")]
use sigfresh::time::TimeParseError;
use wasm_bindgen::JsValue;

/// What every fallible export returns: the error is a packed [`ErrorInfo`].
pub(crate) type Res<T> = Result<T, JsValue>;

/// One error from the core, converted. Codes are stable: never renamed, never reused. Kept
/// small (the details are boxed) because every conversion helper returns it.
#[derive(Clone, Debug)]
pub struct ErrorInfo {
    /// The JS class to raise: `SigningError`, `VerifyError`, `CredentialsError`,
    /// `DocumentError`, `SourceError`, `InvalidArgumentError`.
    class: &'static str,
    /// Stable code, e.g. `ERR_INVALID_REGION`.
    code: &'static str,
    /// The core's message (never contains a secret).
    message: String,
    details: Option<Box<Details>>,
}

/// The structured parts of an error, where it has them.
#[derive(Clone, Debug, Default)]
struct Details {
    /// The field, header or setting the error is about.
    field: Option<String>,
    /// A byte offset, index or line the error names.
    offset: Option<usize>,
    /// An HTTP status (source errors).
    status: Option<u16>,
    /// The AWS error code a service answered with (document and source errors).
    aws_code: Option<String>,
    /// How a refresh engine should pace the next attempt: `retryable`, `non-retryable`,
    /// `throttled` or `unavailable` (source errors).
    failure: Option<&'static str>,
    /// `Retry-After` in milliseconds, for throttling.
    retry_after_ms: Option<u64>,
    /// The canonical request the verifier computed (signature mismatch only).
    canonical_request: Option<String>,
    /// The string to sign the verifier computed (signature mismatch only).
    string_to_sign: Option<String>,
}

/// Packs as `class\0code\0message\0field\0offset\0status\0aws_code\0failure\0
/// retry_after_ms\0canonical_request\0string_to_sign`, absent values as empty items.
impl From<ErrorInfo> for JsValue {
    fn from(e: ErrorInfo) -> JsValue {
        JsValue::from_str(&e.pack())
    }
}

impl ErrorInfo {
    /// The packed form (see the `From<ErrorInfo> for JsValue` impl).
    pub(crate) fn pack(&self) -> String {
        fn num(n: Option<impl ToString>) -> String {
            n.map(|v| v.to_string()).unwrap_or_default()
        }
        let d = self.details.as_deref().cloned().unwrap_or_default();
        let mut o = Out::with_capacity(128 + self.message.len());
        o.item(self.class);
        o.item(self.code);
        o.item(&self.message);
        o.item(d.field.as_deref().unwrap_or(""));
        o.item(&num(d.offset));
        o.item(&num(d.status));
        o.item(d.aws_code.as_deref().unwrap_or(""));
        o.item(d.failure.unwrap_or(""));
        o.item(&num(d.retry_after_ms));
        o.item(d.canonical_request.as_deref().unwrap_or(""));
        o.item(d.string_to_sign.as_deref().unwrap_or(""));
        o.text
    }

    pub(crate) fn new(class: &'static str, code: &'static str, message: impl Into<String>) -> Self {
        ErrorInfo {
            class,
            code,
            message: message.into(),
            details: None,
        }
    }

    /// A conversion failure in this shell (a value JavaScript passed that has no core type).
    pub(crate) fn argument(code: &'static str, message: impl Into<String>) -> Self {
        ErrorInfo::new("InvalidArgumentError", code, message)
    }

    fn details(&mut self) -> &mut Details {
        self.details.get_or_insert_with(Box::default)
    }

    fn field(mut self, field: impl Into<String>) -> Self {
        self.details().field = Some(field.into());
        self
    }

    fn offset(mut self, offset: usize) -> Self {
        self.details().offset = Some(offset);
        self
    }
}

pub(crate) fn signing(e: &SigningError) -> ErrorInfo {
    let code = match e {
        SigningError::InvalidRegion => "ERR_INVALID_REGION",
        SigningError::InvalidService => "ERR_INVALID_SERVICE",
        SigningError::InvalidMethod => "ERR_INVALID_METHOD",
        SigningError::InvalidUri { .. } => "ERR_INVALID_URI",
        SigningError::MissingHost => "ERR_MISSING_HOST",
        SigningError::InvalidHeaderName { .. } => "ERR_INVALID_HEADER_NAME",
        SigningError::InvalidHeaderValue { .. } => "ERR_INVALID_HEADER_VALUE",
        SigningError::InvalidPayloadHash => "ERR_INVALID_PAYLOAD_HASH",
        SigningError::ContentSha256Mismatch => "ERR_CONTENT_SHA256_MISMATCH",
        SigningError::InvalidExpires { .. } => "ERR_INVALID_EXPIRES",
        SigningError::TimeOutOfRange => "ERR_TIME_OUT_OF_RANGE",
        SigningError::InvalidHeaderSelection => "ERR_INVALID_HEADER_SELECTION",
        _ => "ERR_SIGNING",
    };
    let info = ErrorInfo::new("SigningError", code, e.to_string());
    match e {
        SigningError::InvalidHeaderName { index } => info.offset(*index),
        SigningError::InvalidHeaderValue { name, offset } => info.field(name).offset(*offset),
        _ => info,
    }
}

pub(crate) fn credentials(e: &CredentialsError) -> ErrorInfo {
    match e {
        CredentialsError::Empty(field) => {
            ErrorInfo::new("CredentialsError", "ERR_CREDENTIALS_EMPTY", e.to_string()).field(*field)
        }
        CredentialsError::InvalidCharacter { field, offset } => ErrorInfo::new(
            "CredentialsError",
            "ERR_CREDENTIALS_INVALID_CHARACTER",
            e.to_string(),
        )
        .field(*field)
        .offset(*offset),
        _ => ErrorInfo::new("CredentialsError", "ERR_CREDENTIALS", e.to_string()),
    }
}

#[cfg(feature = "documents")]
pub(crate) fn document(e: &DocumentError) -> ErrorInfo {
    let code = match e {
        DocumentError::TooLarge { .. } => "ERR_DOCUMENT_TOO_LARGE",
        DocumentError::Syntax { .. } => "ERR_DOCUMENT_SYNTAX",
        DocumentError::Unrecognized { .. } => "ERR_DOCUMENT_UNRECOGNIZED",
        DocumentError::UnexpectedRoot { .. } => "ERR_DOCUMENT_UNEXPECTED_ROOT",
        DocumentError::MissingField { .. } => "ERR_DOCUMENT_MISSING_FIELD",
        DocumentError::WrongType { .. } => "ERR_DOCUMENT_WRONG_TYPE",
        DocumentError::DuplicateField { .. } => "ERR_DOCUMENT_DUPLICATE_FIELD",
        DocumentError::InvalidTimestamp { .. } => "ERR_DOCUMENT_INVALID_TIMESTAMP",
        DocumentError::ServiceError { .. } => "ERR_DOCUMENT_SERVICE_ERROR",
        DocumentError::UnsupportedVersion { .. } => "ERR_DOCUMENT_UNSUPPORTED_VERSION",
        DocumentError::InvalidCredentials { .. } => "ERR_DOCUMENT_INVALID_CREDENTIALS",
        DocumentError::IniSyntax { .. } => "ERR_PROFILE_SYNTAX",
        DocumentError::ProfileMissingKey { .. } => "ERR_PROFILE_MISSING_KEY",
        DocumentError::ProfileInvalidKey { .. } => "ERR_PROFILE_INVALID_KEY",
        _ => "ERR_DOCUMENT",
    };
    let mut info = ErrorInfo::new("DocumentError", code, e.to_string());
    if let Some(f) = e.field() {
        info = info.field(f);
    }
    match e {
        DocumentError::Syntax { offset, .. } => info.offset(*offset),
        DocumentError::InvalidTimestamp { source, .. } => info.offset(source.offset),
        DocumentError::InvalidCredentials {
            source: CredentialsError::InvalidCharacter { offset, .. },
            ..
        } => info.offset(*offset),
        DocumentError::IniSyntax { line, .. } | DocumentError::ProfileMissingKey { line, .. } => {
            info.offset(*line)
        }
        DocumentError::ServiceError { code, .. } => {
            info.details().aws_code = Some(code.clone());
            info
        }
        _ => info,
    }
}

#[cfg(feature = "verify")]
pub(crate) fn verify(e: &VerifyError) -> ErrorInfo {
    let code = match e {
        VerifyError::MissingSignature => "ERR_VERIFY_MISSING_SIGNATURE",
        VerifyError::Malformed(_) => "ERR_VERIFY_MALFORMED",
        VerifyError::UnsupportedAlgorithm(_) => "ERR_VERIFY_UNSUPPORTED_ALGORITHM",
        VerifyError::UnknownAccessKey(_) => "ERR_VERIFY_UNKNOWN_ACCESS_KEY",
        VerifyError::MissingSignedHeader(_) => "ERR_VERIFY_MISSING_SIGNED_HEADER",
        VerifyError::MissingDate => "ERR_VERIFY_MISSING_DATE",
        VerifyError::InvalidDate => "ERR_VERIFY_INVALID_DATE",
        VerifyError::ScopeDateMismatch => "ERR_VERIFY_SCOPE_DATE_MISMATCH",
        VerifyError::RequestTimeTooSkewed { .. } => "ERR_VERIFY_REQUEST_TIME_TOO_SKEWED",
        VerifyError::Expired { .. } => "ERR_VERIFY_EXPIRED",
        VerifyError::InvalidExpires => "ERR_VERIFY_INVALID_EXPIRES",
        VerifyError::SessionTokenMismatch => "ERR_VERIFY_SESSION_TOKEN_MISMATCH",
        VerifyError::Request(inner) => return signing(inner),
        VerifyError::SignatureMismatch { .. } => "ERR_VERIFY_SIGNATURE_MISMATCH",
        VerifyError::CredentialsExpired { .. } => "ERR_VERIFY_CREDENTIALS_EXPIRED",
        _ => "ERR_VERIFY",
    };
    let mut info = ErrorInfo::new("VerifyError", code, e.to_string());
    match e {
        VerifyError::UnknownAccessKey(id) => info.details().field = Some(id.clone()),
        VerifyError::MissingSignedHeader(h) => info.details().field = Some(h.clone()),
        VerifyError::SignatureMismatch {
            canonical_request,
            string_to_sign,
        } => {
            // The full stages travel as fields; the message keeps only the first sentence.
            info.message = "signature does not match".to_owned();
            let d = info.details();
            d.canonical_request = Some(canonical_request.clone());
            d.string_to_sign = Some(string_to_sign.clone());
        }
        _ => {}
    }
    info
}

#[cfg(feature = "cache")]
pub(crate) fn policy(e: &PolicyError) -> ErrorInfo {
    ErrorInfo::argument("ERR_INVALID_POLICY", e.to_string())
}

#[cfg(feature = "skew")]
pub(crate) fn time(e: &TimeParseError, what: &str) -> ErrorInfo {
    ErrorInfo::argument("ERR_INVALID_DATE", format!("{what}: {e}")).offset(e.offset)
}

/// The name the JS API uses for a [`Failure`].
#[cfg(any(feature = "cache", feature = "sources"))]
pub(crate) fn failure_name(f: Failure) -> &'static str {
    match f {
        Failure::NonRetryable => "non-retryable",
        Failure::Throttled { .. } => "throttled",
        Failure::SourceUnavailable => "unavailable",
        _ => "retryable",
    }
}

#[cfg(feature = "sources")]
pub(crate) fn source(e: &SourceError) -> ErrorInfo {
    let code = match e {
        SourceError::NotStarted => "ERR_SOURCE_NOT_STARTED",
        SourceError::UnexpectedOutcome { .. } => "ERR_SOURCE_UNEXPECTED_OUTCOME",
        SourceError::ImdsDisabled => "ERR_IMDS_DISABLED",
        SourceError::Config(_) => "ERR_SOURCE_CONFIG",
        SourceError::Status { .. } => "ERR_SOURCE_STATUS",
        SourceError::Exhausted { .. } => "ERR_SOURCE_EXHAUSTED",
        SourceError::ImdsTokenBadRequest => "ERR_IMDS_TOKEN_BAD_REQUEST",
        SourceError::ImdsV1Disabled { .. } => "ERR_IMDS_V1_DISABLED",
        SourceError::ImdsHopLimit => "ERR_IMDS_HOP_LIMIT",
        SourceError::ImdsNoRole => "ERR_IMDS_NO_ROLE",
        SourceError::ImdsUnauthorized => "ERR_IMDS_UNAUTHORIZED",
        SourceError::InvalidResponse { .. } => "ERR_SOURCE_INVALID_RESPONSE",
        SourceError::Document { .. } => "ERR_SOURCE_DOCUMENT",
        SourceError::UrlNotAllowed { .. } => "ERR_CONTAINER_URL_NOT_ALLOWED",
        SourceError::Resolve { .. } => "ERR_SOURCE_RESOLVE",
        SourceError::File { .. } => "ERR_SOURCE_FILE",
        SourceError::InvalidAuthorizationToken { .. } => "ERR_CONTAINER_INVALID_TOKEN",
        SourceError::Signing(_) => "ERR_SOURCE_SIGNING",
        _ => "ERR_SOURCE",
    };
    let mut info = ErrorInfo::new("SourceError", code, e.to_string());
    let failure = e.failure();
    let d = info.details();
    d.failure = Some(failure_name(failure));
    if let Failure::Throttled {
        retry_after: Some(after),
    } = failure
    {
        d.retry_after_ms = Some(u64::try_from(after.as_millis()).unwrap_or(u64::MAX));
    }
    match e {
        SourceError::Config(c) => d.field = Some(c.setting.clone()),
        SourceError::Status { status, code, .. } => {
            d.status = Some(*status);
            d.aws_code = code.clone();
        }
        SourceError::Document { error, .. } => {
            if let DocumentError::ServiceError { code, .. } = error {
                d.aws_code = Some(code.clone());
            }
            d.field = error.field().map(str::to_owned);
        }
        SourceError::File { setting, .. } => d.field = Some((*setting).to_owned()),
        _ => {}
    }
    info
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packs_class_code_message_and_details_in_order() {
        let e = signing(&SigningError::InvalidHeaderValue {
            name: "x-a".into(),
            offset: 3,
        });
        let p = e.pack();
        let items: Vec<&str> = p.split('\0').collect();
        assert_eq!(items.len(), 11);
        assert_eq!(
            &items[..5],
            [
                "SigningError",
                "ERR_INVALID_HEADER_VALUE",
                &SigningError::InvalidHeaderValue {
                    name: "x-a".into(),
                    offset: 3
                }
                .to_string(),
                "x-a",
                "3"
            ]
        );
        assert!(items[5..].iter().all(|i| i.is_empty()));
        let c = credentials(&CredentialsError::Empty("access key id")).pack();
        assert!(c.starts_with(
            "CredentialsError\0ERR_CREDENTIALS_EMPTY\0access key id is empty\0access key id\0"
        ));
        let p = policy(&PolicyError::MandatoryWindowTooLong).pack();
        assert!(p.starts_with("InvalidArgumentError\0ERR_INVALID_POLICY\0"));
    }
}
