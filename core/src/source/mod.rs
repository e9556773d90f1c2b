//! Credential sources as sans-IO protocol state machines: IMDS, the container endpoint, STS
//! (web identity, assume role), `credential_process`, and the default chain that picks one.
//!
//! Hosts bring their own HTTP, files, processes and DNS; a machine says exactly what to do and
//! what the answer means, in the style of quinn-proto and h11:
//!
//! ```text
//!            start(now, jitter)
//!                  │
//!   ┌──────► poll(now) ──► Step::Send(HttpRequest)    ─┐  the host performs it, then
//!   │                      Step::ReadFile(path)         │  handle(now, Outcome::Http(..) /
//!   │                      Step::RunProcess(command)    │  File(..) / Process(..) /
//!   │                      Step::Resolve(host)          │  Resolved(..))
//!   │                      Step::Wait(until) ── sleep ──┤
//!   └───────────────────────────────────────────────────┘
//!                          Step::Done(Result<Credentials, SourceError>)
//! ```
//!
//! * [`ImdsSource`]: IMDSv2 session tokens (cached across fetches, renewed before their TTL,
//!   replaced on 401), role discovery and re-discovery, IMDSv1 fallback rules, the hop-limit
//!   diagnosis, bounded retries. Configured by [`ImdsConfig::from_env`].
//! * [`ContainerSource`]: ECS and EKS Pod Identity, with URL and token checks.
//! * [`WebIdentitySource`], [`AssumeRoleSource`], [`ProcessSource`], [`StaticSource`].
//! * [`chain::plan`] → [`ChainPlan`]: the AWS default chain, planned from an environment map and
//!   the shared config files, explained by [`ChainPlan::explain`] / [`ChainSource::explain`].
//! * [`drive`]: the glue to [`crate::refresh::CredentialCache`] for blocking hosts, and
//!   [`SourceError::failure`] for any host.
//!
//! Every machine is reusable: [`Source::start`] begins a new fetch and keeps what the source
//! learned (the IMDS session token and role name). The machines never panic on any response.

use crate::prelude::*;
mod chain_explain;
mod error;
mod http;
mod retry;
mod settings;
mod url;

pub mod chain;
pub mod container;
pub mod drive;
pub mod imds;
pub mod process;
pub mod shared;
pub mod sts;

pub use chain::{ChainPlan, ChainSource};
pub use chain_explain::{EntryStatus, Explanation, PlanEntry, Refreshes};
pub use container::{AuthToken, ContainerConfig, ContainerSource};
pub use error::{ConfigError, Exchange, LastAttempt, SourceError, TokenOrigin};
pub use http::{
    FileContents, HttpRequest, HttpResponse, IoFailure, Method, ProcessOutput, ProxyPolicy,
    TransportError,
};
pub use imds::{EndpointMode, ImdsConfig, ImdsSource, V1Fallback};
pub use process::{ProcessSource, StaticSource};
pub use retry::RetryPolicy;
pub use sts::{AssumeRoleSource, RoleSpec, StsEndpoint, WebIdentitySource};
pub use url::{Host, Scheme, Url, UrlError};

use crate::credentials::Credentials;
use crate::refresh::Jitter;
use crate::time::Timestamp;
use core::fmt;
use core::net::IpAddr;

/// What the host must do next. `Debug` does not print a `credential_process` command line
/// (it can carry secrets).
#[non_exhaustive]
pub enum Step {
    /// Send this request; report with [`Outcome::Http`].
    Send(HttpRequest),
    /// Read this file whole; report with [`Outcome::File`].
    ReadFile {
        /// The path, as configured.
        path: String,
    },
    /// Run this command; report with [`Outcome::Process`]. Run it as the AWS SDKs do: through
    /// the system shell (`sh -c <command>`, or `cmd.exe /C <command>` on Windows), with the
    /// host's environment, capturing standard output.
    RunProcess {
        /// The `credential_process` command line.
        command: String,
    },
    /// Resolve this host name to all its addresses; report with [`Outcome::Resolved`].
    Resolve {
        /// The host name.
        host: String,
    },
    /// Nothing to do before this instant (a retry backoff); call [`Source::poll`] then.
    Wait(Timestamp),
    /// The fetch ended. Polling again returns the same result until the next
    /// [`Source::start`].
    Done(Result<Credentials, SourceError>),
}

impl fmt::Debug for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Step::Send(r) => f.debug_tuple("Send").field(r).finish(),
            Step::ReadFile { path } => f.debug_struct("ReadFile").field("path", path).finish(),
            Step::RunProcess { command } => f
                .debug_struct("RunProcess")
                .field("command_len", &command.len())
                .finish(),
            Step::Resolve { host } => f.debug_struct("Resolve").field("host", host).finish(),
            Step::Wait(t) => f.debug_tuple("Wait").field(t).finish(),
            Step::Done(r) => f.debug_tuple("Done").field(r).finish(),
        }
    }
}

/// What happened when the host did a [`Step`].
#[derive(Debug)]
#[non_exhaustive]
pub enum Outcome {
    /// The answer to [`Step::Send`].
    Http(Result<HttpResponse, TransportError>),
    /// The answer to [`Step::ReadFile`].
    File(Result<FileContents, IoFailure>),
    /// The answer to [`Step::RunProcess`].
    Process(Result<ProcessOutput, IoFailure>),
    /// The answer to [`Step::Resolve`].
    Resolved(Result<Vec<IpAddr>, IoFailure>),
}

impl Outcome {
    /// An HTTP response.
    pub fn response(status: u16, headers: &[(&str, &str)], body: impl Into<Vec<u8>>) -> Outcome {
        let headers = headers
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect();
        Outcome::Http(Ok(HttpResponse::new(status, headers, body)))
    }
    /// The request timed out.
    pub fn timeout() -> Outcome {
        Outcome::Http(Err(TransportError::Timeout))
    }
    /// File contents.
    pub fn file(bytes: impl Into<Vec<u8>>) -> Outcome {
        Outcome::File(Ok(FileContents(bytes.into())))
    }
}

/// A credential source machine. See the [module docs](self) for the loop that drives one.
pub trait Source {
    /// Begins a fetch at `now`. `jitter` (a fresh random draw from the host) spreads retry
    /// backoffs. What the source learned in earlier fetches is kept; warnings are cleared.
    fn start(&mut self, now: Timestamp, jitter: Jitter);
    /// What the host must do next.
    fn poll(&mut self, now: Timestamp) -> Step;
    /// What happened when the host did the last step.
    fn handle(&mut self, now: Timestamp, outcome: Outcome);
    /// Diagnostics gathered by the current fetch (e.g. the IMDS hop-limit warning).
    fn warnings(&self) -> &[Warning];
}

impl<S: Source + ?Sized> Source for Box<S> {
    fn start(&mut self, now: Timestamp, jitter: Jitter) {
        (**self).start(now, jitter)
    }
    fn poll(&mut self, now: Timestamp) -> Step {
        (**self).poll(now)
    }
    fn handle(&mut self, now: Timestamp, outcome: Outcome) {
        (**self).handle(now, outcome)
    }
    fn warnings(&self) -> &[Warning] {
        (**self).warnings()
    }
}

/// A source in the default chain, in AWS order.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SourceKind {
    /// `AWS_ACCESS_KEY_ID` and friends.
    Environment,
    /// `AWS_WEB_IDENTITY_TOKEN_FILE` + `AWS_ROLE_ARN` (STS `AssumeRoleWithWebIdentity`).
    WebIdentity,
    /// The named profile of the shared config/credentials files.
    Profile(String),
    /// The ECS/EKS container credentials endpoint.
    ContainerEndpoint,
    /// EC2 instance metadata (IMDS).
    InstanceMetadata,
}

impl fmt::Display for SourceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SourceKind::Environment => f.write_str("environment variables"),
            SourceKind::WebIdentity => f.write_str("web identity token file"),
            SourceKind::Profile(p) => write!(f, "profile \"{p}\""),
            SourceKind::ContainerEndpoint => f.write_str("container credentials endpoint"),
            SourceKind::InstanceMetadata => f.write_str("EC2 instance metadata (IMDS)"),
        }
    }
}

/// A diagnostic about a working (or chosen) source: the credentials work today, but something
/// is likely to bite later. `Display` says what and how to fix it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Warning {
    /// The IMDSv2 token request timed out but IMDSv1 requests worked: the hop limit is
    /// probably too low for a container.
    ImdsHopLimit,
    /// Static or session keys in the environment win over these configured sources (on EC2,
    /// ECS or EKS: the instance or task role is never used).
    EnvironmentShadows {
        /// The sources that would otherwise have been used, in chain order.
        shadowed: Vec<SourceKind>,
    },
    /// A session token without a known expiry: it will stop working (typically after 1 to 12
    /// hours) and nothing can refresh it ahead of time.
    SessionTokenWithoutExpiry {
        /// Where it came from.
        source: SourceKind,
    },
    /// A profile pins static credentials (file and line given): they never refresh.
    ProfilePinsCredentials {
        /// The profile.
        profile: String,
        /// `shared credentials file` or `config file`.
        file: String,
        /// The line of `aws_access_key_id`.
        line: usize,
    },
    /// A source earlier in the chain is configured but broken, so a later one was used.
    EarlierSourceFailed {
        /// The broken source.
        source: SourceKind,
    },
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Warning::ImdsHopLimit => f.write_str(error::HOP_LIMIT_FIX),
            Warning::EnvironmentShadows { shadowed } => {
                f.write_str(
                    "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY in the environment win over ",
                )?;
                for (i, s) in shadowed.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{s}")?;
                }
                f.write_str(
                    "; on EC2, ECS or EKS the instance or task role is never used while they \
                     are set. Unset them to use the role.",
                )
            }
            Warning::SessionTokenWithoutExpiry { source } => write!(
                f,
                "{source} supplies a session token with no known expiry: it will stop working \
                 (typically after 1-12 hours) and cannot be refreshed ahead of time; requests \
                 will then fail with ExpiredToken"
            ),
            Warning::ProfilePinsCredentials {
                profile,
                file,
                line,
            } => write!(
                f,
                "profile \"{profile}\" pins static credentials ({file} line {line}); they never \
                 refresh. Prefer role_arn, credential_process or SSO"
            ),
            Warning::EarlierSourceFailed { source } => write!(
                f,
                "{source} is configured but could not be used, so a later source was chosen"
            ),
        }
    }
}
