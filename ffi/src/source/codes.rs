//! The SIGFRESH_SOURCE_* result codes and the mapping from the core's SourceError.

use crate::handle::Error;
use crate::result::sigfresh_result;
use core::ffi::CStr;
use sigfresh::source::SourceError;

/// Source: poll was called before start.
pub const SIGFRESH_SOURCE_NOT_STARTED: sigfresh_result = 800;
/// Source: an outcome was reported that the machine was not waiting for.
pub const SIGFRESH_SOURCE_UNEXPECTED_OUTCOME: sigfresh_result = 801;
/// Source: IMDS is turned off (AWS_EC2_METADATA_DISABLED=true).
pub const SIGFRESH_SOURCE_IMDS_DISABLED: sigfresh_result = 802;
/// Source: a setting could not be read (the detail names it and where it came from).
pub const SIGFRESH_SOURCE_CONFIG: sigfresh_result = 803;
/// Source: an error status that retrying will not fix.
pub const SIGFRESH_SOURCE_STATUS: sigfresh_result = 804;
/// Source: every attempt of a request failed with a retryable error.
pub const SIGFRESH_SOURCE_EXHAUSTED: sigfresh_result = 805;
/// Source: IMDS answered the token request with 400.
pub const SIGFRESH_SOURCE_IMDS_TOKEN_BAD_REQUEST: sigfresh_result = 806;
/// Source: IMDSv2 failed and IMDSv1 fallback is disabled.
pub const SIGFRESH_SOURCE_IMDS_V1_DISABLED: sigfresh_result = 807;
/// Source: the IMDS hop limit is probably too low for a container.
pub const SIGFRESH_SOURCE_IMDS_HOP_LIMIT: sigfresh_result = 808;
/// Source: the instance has no IAM role.
pub const SIGFRESH_SOURCE_IMDS_NO_ROLE: sigfresh_result = 809;
/// Source: IMDS kept rejecting the session token.
pub const SIGFRESH_SOURCE_IMDS_UNAUTHORIZED: sigfresh_result = 810;
/// Source: a malformed response (not a document error).
pub const SIGFRESH_SOURCE_INVALID_RESPONSE: sigfresh_result = 811;
/// Source: the credentials document did not parse or was an error document.
pub const SIGFRESH_SOURCE_DOCUMENT: sigfresh_result = 812;
/// Source: a container credentials URL sigfresh will not send requests to.
pub const SIGFRESH_SOURCE_URL_NOT_ALLOWED: sigfresh_result = 813;
/// Source: the host could not resolve a host name.
pub const SIGFRESH_SOURCE_RESOLVE: sigfresh_result = 814;
/// Source: a token file could not be read.
pub const SIGFRESH_SOURCE_FILE: sigfresh_result = 815;
/// Source: the container authorization token cannot go into a header.
pub const SIGFRESH_SOURCE_INVALID_AUTHORIZATION_TOKEN: sigfresh_result = 816;
/// Source: credential_process could not be run or failed.
pub const SIGFRESH_SOURCE_PROCESS: sigfresh_result = 817;
/// Source: an STS request could not be signed.
pub const SIGFRESH_SOURCE_SIGNING: sigfresh_result = 818;
/// Source: profile configuration sigfresh does not support.
pub const SIGFRESH_SOURCE_UNSUPPORTED: sigfresh_result = 819;
/// Source: credential settings in the environment or a profile did not parse.
pub const SIGFRESH_SOURCE_INVALID: sigfresh_result = 820;
/// Source: the selected profile does not exist.
pub const SIGFRESH_SOURCE_PROFILE_NOT_FOUND: sigfresh_result = 821;
/// Source: no source in the chain is configured.
pub const SIGFRESH_SOURCE_NO_CREDENTIALS: sigfresh_result = 822;
/// Source: another source error (a newer core variant).
pub const SIGFRESH_SOURCE_OTHER: sigfresh_result = 899;

/// Name and text of a source result code.
pub(crate) fn describe(code: sigfresh_result) -> Option<(&'static CStr, &'static CStr)> {
    Some(match code {
        SIGFRESH_SOURCE_NOT_STARTED => (
            c"SIGFRESH_SOURCE_NOT_STARTED",
            c"the source was polled before it was started",
        ),
        SIGFRESH_SOURCE_UNEXPECTED_OUTCOME => (
            c"SIGFRESH_SOURCE_UNEXPECTED_OUTCOME",
            c"an outcome the source was not waiting for",
        ),
        SIGFRESH_SOURCE_IMDS_DISABLED => (c"SIGFRESH_SOURCE_IMDS_DISABLED", c"IMDS is turned off"),
        SIGFRESH_SOURCE_CONFIG => (
            c"SIGFRESH_SOURCE_CONFIG",
            c"a source setting could not be read",
        ),
        SIGFRESH_SOURCE_STATUS => (
            c"SIGFRESH_SOURCE_STATUS",
            c"the source answered with an error status",
        ),
        SIGFRESH_SOURCE_EXHAUSTED => (c"SIGFRESH_SOURCE_EXHAUSTED", c"every attempt failed"),
        SIGFRESH_SOURCE_IMDS_TOKEN_BAD_REQUEST => (
            c"SIGFRESH_SOURCE_IMDS_TOKEN_BAD_REQUEST",
            c"IMDS rejected the token request (400)",
        ),
        SIGFRESH_SOURCE_IMDS_V1_DISABLED => (
            c"SIGFRESH_SOURCE_IMDS_V1_DISABLED",
            c"IMDSv2 failed and IMDSv1 is disabled",
        ),
        SIGFRESH_SOURCE_IMDS_HOP_LIMIT => (
            c"SIGFRESH_SOURCE_IMDS_HOP_LIMIT",
            c"the IMDS hop limit is probably too low",
        ),
        SIGFRESH_SOURCE_IMDS_NO_ROLE => (
            c"SIGFRESH_SOURCE_IMDS_NO_ROLE",
            c"the instance has no IAM role",
        ),
        SIGFRESH_SOURCE_IMDS_UNAUTHORIZED => (
            c"SIGFRESH_SOURCE_IMDS_UNAUTHORIZED",
            c"IMDS kept rejecting the session token",
        ),
        SIGFRESH_SOURCE_INVALID_RESPONSE => {
            (c"SIGFRESH_SOURCE_INVALID_RESPONSE", c"a malformed response")
        }
        SIGFRESH_SOURCE_DOCUMENT => (
            c"SIGFRESH_SOURCE_DOCUMENT",
            c"the credentials document did not parse",
        ),
        SIGFRESH_SOURCE_URL_NOT_ALLOWED => (
            c"SIGFRESH_SOURCE_URL_NOT_ALLOWED",
            c"the credentials URL is not allowed",
        ),
        SIGFRESH_SOURCE_RESOLVE => (
            c"SIGFRESH_SOURCE_RESOLVE",
            c"a host name could not be resolved",
        ),
        SIGFRESH_SOURCE_FILE => (c"SIGFRESH_SOURCE_FILE", c"a token file could not be read"),
        SIGFRESH_SOURCE_INVALID_AUTHORIZATION_TOKEN => (
            c"SIGFRESH_SOURCE_INVALID_AUTHORIZATION_TOKEN",
            c"the container authorization token is invalid",
        ),
        SIGFRESH_SOURCE_PROCESS => (c"SIGFRESH_SOURCE_PROCESS", c"credential_process failed"),
        SIGFRESH_SOURCE_SIGNING => (
            c"SIGFRESH_SOURCE_SIGNING",
            c"an STS request could not be signed",
        ),
        SIGFRESH_SOURCE_UNSUPPORTED => (
            c"SIGFRESH_SOURCE_UNSUPPORTED",
            c"unsupported profile configuration",
        ),
        SIGFRESH_SOURCE_INVALID => (
            c"SIGFRESH_SOURCE_INVALID",
            c"credential settings did not parse",
        ),
        SIGFRESH_SOURCE_PROFILE_NOT_FOUND => (
            c"SIGFRESH_SOURCE_PROFILE_NOT_FOUND",
            c"the selected profile does not exist",
        ),
        SIGFRESH_SOURCE_NO_CREDENTIALS => (
            c"SIGFRESH_SOURCE_NO_CREDENTIALS",
            c"no credential source is configured",
        ),
        SIGFRESH_SOURCE_OTHER => (c"SIGFRESH_SOURCE_OTHER", c"the credential source failed"),
        _ => return None,
    })
}

pub(crate) fn code_of(e: &SourceError) -> sigfresh_result {
    use SourceError as E;
    match e {
        E::NotStarted => SIGFRESH_SOURCE_NOT_STARTED,
        E::UnexpectedOutcome { .. } => SIGFRESH_SOURCE_UNEXPECTED_OUTCOME,
        E::ImdsDisabled => SIGFRESH_SOURCE_IMDS_DISABLED,
        E::Config(_) => SIGFRESH_SOURCE_CONFIG,
        E::Status { .. } => SIGFRESH_SOURCE_STATUS,
        E::Exhausted { .. } => SIGFRESH_SOURCE_EXHAUSTED,
        E::ImdsTokenBadRequest => SIGFRESH_SOURCE_IMDS_TOKEN_BAD_REQUEST,
        E::ImdsV1Disabled { .. } => SIGFRESH_SOURCE_IMDS_V1_DISABLED,
        E::ImdsHopLimit => SIGFRESH_SOURCE_IMDS_HOP_LIMIT,
        E::ImdsNoRole => SIGFRESH_SOURCE_IMDS_NO_ROLE,
        E::ImdsUnauthorized => SIGFRESH_SOURCE_IMDS_UNAUTHORIZED,
        E::InvalidResponse { .. } => SIGFRESH_SOURCE_INVALID_RESPONSE,
        E::Document { .. } => SIGFRESH_SOURCE_DOCUMENT,
        E::UrlNotAllowed { .. } => SIGFRESH_SOURCE_URL_NOT_ALLOWED,
        E::Resolve { .. } => SIGFRESH_SOURCE_RESOLVE,
        E::File { .. } => SIGFRESH_SOURCE_FILE,
        E::InvalidAuthorizationToken { .. } => SIGFRESH_SOURCE_INVALID_AUTHORIZATION_TOKEN,
        E::Process { .. } => SIGFRESH_SOURCE_PROCESS,
        E::Signing(_) => SIGFRESH_SOURCE_SIGNING,
        E::Unsupported { .. } => SIGFRESH_SOURCE_UNSUPPORTED,
        E::Invalid(_) => SIGFRESH_SOURCE_INVALID,
        E::ProfileNotFound { .. } => SIGFRESH_SOURCE_PROFILE_NOT_FOUND,
        E::NoCredentials => SIGFRESH_SOURCE_NO_CREDENTIALS,
        _ => SIGFRESH_SOURCE_OTHER,
    }
}

impl From<SourceError> for Error {
    fn from(e: SourceError) -> Self {
        Error::new(code_of(&e), e.to_string())
    }
}
