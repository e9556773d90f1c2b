//! [`SourceError`]: why a source machine ended without credentials, and how the refresh engine
//! should treat it ([`SourceError::failure`]).

use super::http::{IoFailure, TransportError};
use crate::document::DocumentError;
use crate::prelude::*;
use crate::refresh::Failure;
use crate::sigv4::SigningError;
use core::fmt;
use core::time::Duration;

/// Which request of which source an error is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Exchange {
    /// IMDS `PUT /latest/api/token`.
    ImdsToken,
    /// IMDS `GET /latest/meta-data/iam/security-credentials/` (the role name).
    ImdsRoleName,
    /// IMDS `GET /latest/meta-data/iam/security-credentials/<role>`.
    ImdsCredentials,
    /// The container credentials endpoint `GET`.
    Container,
    /// STS `AssumeRoleWithWebIdentity`.
    AssumeRoleWithWebIdentity,
    /// STS `AssumeRole`.
    AssumeRole,
    /// Running `credential_process`.
    CredentialProcess,
}

impl fmt::Display for Exchange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Exchange::ImdsToken => "IMDS token request (PUT /latest/api/token)",
            Exchange::ImdsRoleName => {
                "IMDS role name request (GET /latest/meta-data/iam/security-credentials/)"
            }
            Exchange::ImdsCredentials => {
                "IMDS credentials request (GET /latest/meta-data/iam/security-credentials/<role>)"
            }
            Exchange::Container => "container credentials request",
            Exchange::AssumeRoleWithWebIdentity => "STS AssumeRoleWithWebIdentity request",
            Exchange::AssumeRole => "STS AssumeRole request",
            Exchange::CredentialProcess => "credential_process output",
        })
    }
}

/// What the last attempt of an exchange ran into.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum LastAttempt {
    /// An HTTP status (5xx or 429).
    Status(u16),
    /// No response.
    Transport(TransportError),
    /// A response that could not be used (e.g. unparseable), described.
    Invalid(String),
}

impl fmt::Display for LastAttempt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LastAttempt::Status(s) => write!(f, "HTTP {s}"),
            LastAttempt::Transport(e) => fmt::Display::fmt(e, f),
            LastAttempt::Invalid(d) => f.write_str(d),
        }
    }
}

/// Where an authorization token came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TokenOrigin {
    /// `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE`.
    File,
    /// `AWS_CONTAINER_AUTHORIZATION_TOKEN`.
    Environment,
}

/// Why a configuration setting (environment variable or profile key) was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ConfigError {
    /// The variable or profile key, e.g. `AWS_METADATA_SERVICE_TIMEOUT`.
    pub setting: String,
    /// Where it was set: `environment`, or `profile "p" (config file line 3)`.
    pub origin: String,
    /// What a valid value looks like.
    pub expected: &'static str,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} (set in {}) is invalid: expected {}",
            self.setting, self.origin, self.expected
        )
    }
}

/// Why a source machine ended without credentials. Messages name the request, status, AWS
/// error code, variable or file; they never contain credentials or tokens.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SourceError {
    /// `poll` was called before `start`.
    NotStarted,
    /// The host reported an outcome the machine was not waiting for (e.g. a file for an HTTP
    /// request, or a response with no request outstanding).
    UnexpectedOutcome {
        /// What the machine was waiting for.
        expected: &'static str,
    },
    /// IMDS is turned off (`AWS_EC2_METADATA_DISABLED=true`).
    ImdsDisabled,
    /// A setting could not be read.
    Config(ConfigError),
    /// A request was answered with an error status that retrying will not fix.
    Status {
        /// Which request.
        exchange: Exchange,
        /// The status.
        status: u16,
        /// The AWS error code, when the body had one.
        code: Option<String>,
        /// The AWS error message (cleaned by [`crate::classify`]), when the body had one.
        message: Option<String>,
        /// How the refresh engine should treat it.
        failure: Failure,
    },
    /// Every attempt of a request failed with a retryable error.
    Exhausted {
        /// Which request.
        exchange: Exchange,
        /// How many attempts were made.
        attempts: u32,
        /// What the last one ran into.
        last: LastAttempt,
        /// `Retry-After` of a final 429, if any.
        retry_after: Option<Duration>,
    },
    /// IMDS answered the token request with 400: the request is malformed (e.g. a TTL outside
    /// 1..=21600 s); fatal.
    ImdsTokenBadRequest,
    /// IMDSv2 failed and IMDSv1 fallback is disabled (`AWS_EC2_METADATA_V1_DISABLED` /
    /// `ec2_metadata_v1_disabled`).
    ImdsV1Disabled {
        /// The token request's status, or `None` when it timed out.
        token_status: Option<u16>,
    },
    /// The token request timed out but plain requests reach IMDS: the response hop limit is
    /// probably too low for a container.
    ImdsHopLimit,
    /// The instance has no IAM role (no instance profile, or an empty role list).
    ImdsNoRole,
    /// IMDS kept rejecting the session token (401 even with a fresh one).
    ImdsUnauthorized,
    /// A response was malformed in a way that is not a document error (a token or role name
    /// with characters that cannot appear in one).
    InvalidResponse {
        /// Which request.
        exchange: Exchange,
        /// What was wrong.
        detail: &'static str,
    },
    /// The credentials document did not parse, or was an error document (IMDS `Code` other
    /// than `Success`, STS `<ErrorResponse>`).
    Document {
        /// Which request.
        exchange: Exchange,
        /// The parser's error.
        error: DocumentError,
    },
    /// A container credentials URL that sigfresh will not send credentials requests to.
    UrlNotAllowed {
        /// The URL, or the host name with the offending address.
        url: String,
        /// Why.
        reason: &'static str,
    },
    /// The host could not resolve the container endpoint's host name.
    Resolve {
        /// The host name.
        host: String,
        /// What went wrong.
        error: IoFailure,
    },
    /// A token file could not be read.
    File {
        /// The variable or profile key that named it.
        setting: &'static str,
        /// The path.
        path: String,
        /// What went wrong.
        error: IoFailure,
    },
    /// The container authorization token cannot go into an HTTP header: it contains a CR or
    /// LF (a header-injection risk), another control character, or is not UTF-8.
    InvalidAuthorizationToken {
        /// Where the token came from.
        origin: TokenOrigin,
        /// Byte offset of the first bad byte.
        offset: usize,
    },
    /// `credential_process` could not be run, or exited unsuccessfully.
    Process {
        /// The profile that configured it.
        profile: String,
        /// The exit code (`None`: killed by a signal, or not run).
        exit_code: Option<i32>,
        /// The host's error when it could not run the command at all.
        error: Option<IoFailure>,
    },
    /// The STS request could not be signed.
    Signing(SigningError),
    /// Profile configuration sigfresh does not support (names the profile and key).
    Unsupported {
        /// The profile.
        profile: String,
        /// What is unsupported.
        what: &'static str,
    },
    /// Credential settings in the environment or a profile did not parse (half-set keys, a
    /// malformed file line, a bad expiry).
    Invalid(DocumentError),
    /// The selected profile does not exist in either file.
    ProfileNotFound {
        /// The profile's name.
        profile: String,
    },
    /// No source in the chain is configured (see the chain's explanation).
    NoCredentials,
}

impl SourceError {
    /// How the refresh engine should pace the next attempt (for
    /// [`CredentialCache::complete_failure`](crate::refresh::CredentialCache::complete_failure)).
    pub fn failure(&self) -> Failure {
        use SourceError as E;
        match self {
            E::Status { failure, .. } => *failure,
            E::Exhausted {
                last: LastAttempt::Status(429),
                retry_after,
                ..
            } => Failure::Throttled {
                retry_after: *retry_after,
            },
            E::Exhausted {
                last: LastAttempt::Transport(_),
                ..
            }
            | E::Resolve { .. } => Failure::SourceUnavailable,
            E::Exhausted { .. } | E::InvalidResponse { .. } | E::File { .. } => Failure::Retryable,
            E::Document { error, .. } => document_failure(error),
            E::Process { exit_code, .. } if exit_code.is_some() => Failure::Retryable,
            E::Process { .. }
            | E::NotStarted
            | E::UnexpectedOutcome { .. }
            | E::ImdsDisabled
            | E::Config(_)
            | E::ImdsTokenBadRequest
            | E::ImdsV1Disabled { .. }
            | E::ImdsHopLimit
            | E::ImdsNoRole
            | E::ImdsUnauthorized
            | E::UrlNotAllowed { .. }
            | E::InvalidAuthorizationToken { .. }
            | E::Signing(_)
            | E::Unsupported { .. }
            | E::Invalid(_)
            | E::ProfileNotFound { .. }
            | E::NoCredentials => Failure::NonRetryable,
        }
    }
}

/// An error document's code decides (throttling and transient codes per [`crate::classify`]);
/// a malformed document is transient (a truncated or garbled response).
fn document_failure(error: &DocumentError) -> Failure {
    match error {
        DocumentError::ServiceError { code, .. } => {
            let code = Some(code.as_str());
            if crate::classify::is_throttling(code, 0) {
                Failure::Throttled { retry_after: None }
            } else if crate::classify::is_transient(code, 0) {
                Failure::Retryable
            } else {
                Failure::NonRetryable
            }
        }
        _ => Failure::Retryable,
    }
}

/// The fix for a hop limit that is too low, quoted by the warning and the error.
pub(crate) const HOP_LIMIT_FIX: &str = "the IMDSv2 token request (PUT) timed out while plain \
requests reached IMDS: the instance's metadata response hop limit is probably 1, too low for a \
container (Docker adds a network hop). Fix: aws ec2 modify-instance-metadata-options \
--instance-id <id> --http-put-response-hop-limit 2 --http-endpoint enabled";

impl fmt::Display for SourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use SourceError as E;
        match self {
            E::NotStarted => f.write_str("the source was polled before start()"),
            E::UnexpectedOutcome { expected } => {
                write!(
                    f,
                    "the host reported an outcome while the source expected {expected}"
                )
            }
            E::ImdsDisabled => f.write_str("IMDS is disabled by AWS_EC2_METADATA_DISABLED=true"),
            E::Config(c) => fmt::Display::fmt(c, f),
            E::Status {
                exchange,
                status,
                code,
                message,
                ..
            } => {
                write!(f, "{exchange} failed with HTTP {status}")?;
                if let Some(c) = code {
                    write!(f, " ({c})")?;
                }
                if let Some(m) = message {
                    write!(f, ": {m}")?;
                }
                Ok(())
            }
            E::Exhausted {
                exchange,
                attempts,
                last,
                ..
            } => write!(f, "{exchange} failed {attempts} time(s); last: {last}"),
            E::ImdsTokenBadRequest => f.write_str(
                "IMDS refused the token request with 400 Bad Request (invalid TTL header?)",
            ),
            E::ImdsV1Disabled { token_status } => {
                match token_status {
                    Some(s) => write!(f, "the IMDSv2 token request failed with HTTP {s}")?,
                    None => f.write_str("the IMDSv2 token request timed out")?,
                }
                f.write_str(
                    " and IMDSv1 fallback is disabled (AWS_EC2_METADATA_V1_DISABLED / \
                     ec2_metadata_v1_disabled)",
                )?;
                if token_status.is_none() {
                    f.write_str(
                        "; in a container this usually means the metadata response hop limit \
                         is 1: aws ec2 modify-instance-metadata-options --instance-id <id> \
                         --http-put-response-hop-limit 2",
                    )?;
                }
                Ok(())
            }
            E::ImdsHopLimit => f.write_str(HOP_LIMIT_FIX),
            E::ImdsNoRole => {
                f.write_str("no IAM role is attached to this instance (attach an instance profile)")
            }
            E::ImdsUnauthorized => {
                f.write_str("IMDS answered 401 Unauthorized even with a fresh session token")
            }
            E::InvalidResponse { exchange, detail } => {
                write!(f, "{exchange} returned an invalid response: {detail}")
            }
            E::Document { exchange, error } => write!(f, "{exchange}: {error}"),
            E::UrlNotAllowed { url, reason } => {
                write!(
                    f,
                    "container credentials URL {url} is not allowed: {reason}"
                )
            }
            E::Resolve { host, error } => write!(f, "could not resolve {host}: {error}"),
            E::File {
                setting,
                path,
                error,
            } => write!(f, "could not read {path} (from {setting}): {error}"),
            E::InvalidAuthorizationToken { origin, offset } => {
                let name = match origin {
                    TokenOrigin::File => "the file named by AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
                    TokenOrigin::Environment => "AWS_CONTAINER_AUTHORIZATION_TOKEN",
                };
                write!(
                    f,
                    "the authorization token in {name} cannot be sent as a header: it has a \
                     line break or control character (or is not UTF-8) at byte {offset}"
                )
            }
            E::Process {
                profile,
                exit_code,
                error,
            } => match (error, exit_code) {
                (Some(e), _) => {
                    write!(
                        f,
                        "credential_process of profile \"{profile}\" could not run: {e}"
                    )
                }
                (None, Some(c)) => {
                    write!(
                        f,
                        "credential_process of profile \"{profile}\" exited with {c}"
                    )
                }
                (None, None) => write!(
                    f,
                    "credential_process of profile \"{profile}\" was killed by a signal"
                ),
            },
            E::Signing(e) => write!(f, "could not sign the STS request: {e}"),
            E::Unsupported { profile, what } => {
                write!(
                    f,
                    "profile \"{profile}\": {what} is not supported by sigfresh"
                )
            }
            E::Invalid(e) => fmt::Display::fmt(e, f),
            E::ProfileNotFound { profile } => write!(
                f,
                "profile \"{profile}\" is not in the shared config or credentials file"
            ),
            E::NoCredentials => f.write_str("no credential source is configured"),
        }
    }
}

impl core::error::Error for SourceError {}
