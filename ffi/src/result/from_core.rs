//! Result codes for the core's error types; the detail is the core's own message.

use super::*;
use crate::handle::Error;
use sigfresh::credentials::CredentialsError;
use sigfresh::document::DocumentError;
use sigfresh::raw_request::RawRequestError;
use sigfresh::refresh::PolicyError;
use sigfresh::sigv4::{SigningError, VerifyError};
use sigfresh::time::TimeParseError;

fn code_of_signing(e: &SigningError) -> sigfresh_result {
    match e {
        SigningError::InvalidRegion => SIGFRESH_SIGN_INVALID_REGION,
        SigningError::InvalidService => SIGFRESH_SIGN_INVALID_SERVICE,
        SigningError::InvalidMethod => SIGFRESH_SIGN_INVALID_METHOD,
        SigningError::InvalidUri { .. } => SIGFRESH_SIGN_INVALID_URI,
        SigningError::MissingHost => SIGFRESH_SIGN_MISSING_HOST,
        SigningError::InvalidHeaderName { .. } => SIGFRESH_SIGN_INVALID_HEADER_NAME,
        SigningError::InvalidHeaderValue { .. } => SIGFRESH_SIGN_INVALID_HEADER_VALUE,
        SigningError::InvalidPayloadHash => SIGFRESH_SIGN_INVALID_PAYLOAD_HASH,
        SigningError::ContentSha256Mismatch => SIGFRESH_SIGN_CONTENT_SHA256_MISMATCH,
        SigningError::InvalidExpires { .. } => SIGFRESH_SIGN_INVALID_EXPIRES,
        SigningError::TimeOutOfRange => SIGFRESH_SIGN_TIME_OUT_OF_RANGE,
        SigningError::InvalidHeaderSelection => SIGFRESH_SIGN_INVALID_HEADER_SELECTION,
        _ => SIGFRESH_SIGN_OTHER,
    }
}

impl From<SigningError> for Error {
    fn from(e: SigningError) -> Self {
        Error::new(code_of_signing(&e), e.to_string())
    }
}

impl From<VerifyError> for Error {
    fn from(e: VerifyError) -> Self {
        let code = match &e {
            VerifyError::MissingSignature => SIGFRESH_VERIFY_MISSING_SIGNATURE,
            VerifyError::Malformed(_) => SIGFRESH_VERIFY_MALFORMED,
            VerifyError::UnsupportedAlgorithm(_) => SIGFRESH_VERIFY_UNSUPPORTED_ALGORITHM,
            VerifyError::UnknownAccessKey(_) => SIGFRESH_VERIFY_UNKNOWN_ACCESS_KEY,
            VerifyError::MissingSignedHeader(_) => SIGFRESH_VERIFY_MISSING_SIGNED_HEADER,
            VerifyError::MissingDate => SIGFRESH_VERIFY_MISSING_DATE,
            VerifyError::InvalidDate => SIGFRESH_VERIFY_INVALID_DATE,
            VerifyError::ScopeDateMismatch => SIGFRESH_VERIFY_SCOPE_DATE_MISMATCH,
            VerifyError::RequestTimeTooSkewed { .. } => SIGFRESH_VERIFY_REQUEST_TIME_TOO_SKEWED,
            VerifyError::Expired { .. } => SIGFRESH_VERIFY_EXPIRED,
            VerifyError::InvalidExpires => SIGFRESH_VERIFY_INVALID_EXPIRES,
            VerifyError::SessionTokenMismatch => SIGFRESH_VERIFY_SESSION_TOKEN_MISMATCH,
            VerifyError::Request(inner) => code_of_signing(inner),
            VerifyError::SignatureMismatch { .. } => SIGFRESH_VERIFY_SIGNATURE_MISMATCH,
            VerifyError::CredentialsExpired { .. } => SIGFRESH_VERIFY_CREDENTIALS_EXPIRED,
            _ => SIGFRESH_VERIFY_OTHER,
        };
        Error::new(code, e.to_string())
    }
}

impl From<CredentialsError> for Error {
    fn from(e: CredentialsError) -> Self {
        let code = match &e {
            CredentialsError::Empty(_) => SIGFRESH_CREDENTIALS_EMPTY,
            CredentialsError::InvalidCharacter { .. } => SIGFRESH_CREDENTIALS_INVALID_CHARACTER,
            _ => SIGFRESH_CREDENTIALS_OTHER,
        };
        Error::new(code, e.to_string())
    }
}

impl From<DocumentError> for Error {
    fn from(e: DocumentError) -> Self {
        use DocumentError as D;
        let code = match &e {
            D::TooLarge { .. } => SIGFRESH_DOCUMENT_TOO_LARGE,
            D::Syntax { .. } => SIGFRESH_DOCUMENT_SYNTAX,
            D::Unrecognized { .. } => SIGFRESH_DOCUMENT_UNRECOGNIZED,
            D::UnexpectedRoot { .. } => SIGFRESH_DOCUMENT_UNEXPECTED_ROOT,
            D::MissingField { .. } => SIGFRESH_DOCUMENT_MISSING_FIELD,
            D::WrongType { .. } => SIGFRESH_DOCUMENT_WRONG_TYPE,
            D::DuplicateField { .. } => SIGFRESH_DOCUMENT_DUPLICATE_FIELD,
            D::InvalidTimestamp { .. } => SIGFRESH_DOCUMENT_INVALID_TIMESTAMP,
            D::ServiceError { .. } => SIGFRESH_DOCUMENT_SERVICE_ERROR,
            D::UnsupportedVersion { .. } => SIGFRESH_DOCUMENT_UNSUPPORTED_VERSION,
            D::InvalidCredentials { .. } => SIGFRESH_DOCUMENT_INVALID_CREDENTIALS,
            D::IniSyntax { .. } => SIGFRESH_DOCUMENT_INI_SYNTAX,
            D::ProfileMissingKey { .. } => SIGFRESH_DOCUMENT_PROFILE_MISSING_KEY,
            D::ProfileInvalidKey { .. } => SIGFRESH_DOCUMENT_PROFILE_INVALID_KEY,
            D::ProfileNotFound { .. } => SIGFRESH_DOCUMENT_PROFILE_NOT_FOUND,
            D::ProfileWithoutKeys { .. } => SIGFRESH_DOCUMENT_PROFILE_WITHOUT_KEYS,
            _ => SIGFRESH_DOCUMENT_OTHER,
        };
        Error::new(code, e.to_string())
    }
}

impl From<PolicyError> for Error {
    fn from(e: PolicyError) -> Self {
        let code = match &e {
            PolicyError::Zero(_) => SIGFRESH_POLICY_ZERO,
            PolicyError::MandatoryWindowTooLong => SIGFRESH_POLICY_MANDATORY_WINDOW_TOO_LONG,
            PolicyError::JitterPercentTooLarge(_) => SIGFRESH_POLICY_JITTER_PERCENT_TOO_LARGE,
            PolicyError::BackoffMaxBelowInitial => SIGFRESH_POLICY_BACKOFF_MAX_BELOW_INITIAL,
            _ => SIGFRESH_POLICY_OTHER,
        };
        Error::new(code, e.to_string())
    }
}

impl From<TimeParseError> for Error {
    fn from(e: TimeParseError) -> Self {
        Error::new(SIGFRESH_TIME_PARSE, e.to_string())
    }
}

impl From<RawRequestError> for Error {
    fn from(e: RawRequestError) -> Self {
        let code = match &e {
            RawRequestError::NotUtf8 { .. } => SIGFRESH_RAW_REQUEST_NOT_UTF8,
            RawRequestError::BadRequestLine => SIGFRESH_RAW_REQUEST_BAD_REQUEST_LINE,
            RawRequestError::BadHeaderLine { .. } => SIGFRESH_RAW_REQUEST_BAD_HEADER_LINE,
            RawRequestError::FoldWithoutHeader { .. } => SIGFRESH_RAW_REQUEST_FOLD_WITHOUT_HEADER,
            _ => SIGFRESH_RAW_REQUEST_OTHER,
        };
        Error::new(code, e.to_string())
    }
}
