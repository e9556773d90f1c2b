//! The ECS / EKS Pod Identity container credentials endpoint.
//!
//! * `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` (wins) → `http://169.254.170.2<relative uri>`.
//! * `AWS_CONTAINER_CREDENTIALS_FULL_URI` is allowed when it is `https`, or `http` to a loopback
//!   address, `169.254.170.2` (ECS), `169.254.170.23` or `fd00:ec2::23` (EKS Pod Identity). For a
//!   host name, every fetch first asks the host to resolve it ([`Step::Resolve`]) and checks
//!   **every** address; the request then carries those addresses in
//!   [`HttpRequest::connect_to`] so the host connects to what was checked.
//! * `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` wins over `AWS_CONTAINER_AUTHORIZATION_TOKEN`;
//!   the file is re-read on every fetch ([`Step::ReadFile`]: EKS rotates it). A token with a
//!   CR or LF (or another control character) is refused, never sent: it would let whoever
//!   writes the token inject headers. The value is sent as `Authorization` exactly as read.

use super::error::{Exchange, LastAttempt, SourceError, TokenOrigin};
use super::http::{HttpRequest, HttpResponse, Method, ProxyPolicy, TransportError};
use super::imds::status_error;
use super::retry::{Attempts, RetryPolicy};
use super::url::{Host, Scheme, Url};
use super::{Outcome, Source, Step, Warning};
use crate::credentials::Credentials;
use crate::document::{parse_container, DocumentError, EnvSource};
use crate::prelude::*;
use crate::refresh::{Failure, Jitter};
use crate::time::Timestamp;
use core::fmt;
use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use core::time::Duration;
use zeroize::Zeroize;

const ECS_HOST: Ipv4Addr = Ipv4Addr::new(169, 254, 170, 2);
const EKS_HOST_V4: Ipv4Addr = Ipv4Addr::new(169, 254, 170, 23);
const EKS_HOST_V6: Ipv6Addr = Ipv6Addr::new(0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x23);

/// Where the `Authorization` header value comes from.
#[derive(Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum AuthToken {
    /// No `Authorization` header.
    #[default]
    None,
    /// `AWS_CONTAINER_AUTHORIZATION_TOKEN` (redacted in `Debug`, wiped on drop).
    Value(String),
    /// `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE`: read on every fetch.
    File(String),
}

impl fmt::Debug for AuthToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AuthToken::None => f.write_str("None"),
            AuthToken::Value(_) => f.write_str("Value(** redacted **)"),
            AuthToken::File(p) => f.debug_tuple("File").field(p).finish(),
        }
    }
}

impl Drop for AuthToken {
    fn drop(&mut self) {
        if let AuthToken::Value(v) = self {
            v.zeroize();
        }
    }
}

/// Container endpoint settings. `timeout` defaults to 2 s, `retry` to 3 attempts.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ContainerConfig {
    /// The endpoint URL (already checked, except that a host name is checked per fetch).
    pub url: Url,
    /// The authorization token.
    pub auth: AuthToken,
    /// Timeout per request.
    pub timeout: Duration,
    /// Attempts and backoff.
    pub retry: RetryPolicy,
}

/// True for the addresses an `http` full URI may point at.
pub(crate) fn allowed_address(ip: IpAddr) -> bool {
    match ip.to_canonical() {
        IpAddr::V4(v4) => v4.is_loopback() || v4 == ECS_HOST || v4 == EKS_HOST_V4,
        IpAddr::V6(v6) => v6.is_loopback() || v6 == EKS_HOST_V6,
    }
}

const NOT_ALLOWED: &str = "plain http is only allowed to a loopback address, 169.254.170.2, \
169.254.170.23 or fd00:ec2::23 (use https)";

impl ContainerConfig {
    /// Reads `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI`, `AWS_CONTAINER_CREDENTIALS_FULL_URI`,
    /// `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` and `AWS_CONTAINER_AUTHORIZATION_TOKEN`.
    /// `Ok(None)` when neither URI variable is set.
    ///
    /// ```
    /// use sigfresh::source::{ContainerConfig, SourceError};
    /// let env = [("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/abc")];
    /// let c = ContainerConfig::from_env(&env)?.unwrap();
    /// assert_eq!(c.url.to_string(), "http://169.254.170.2/v2/credentials/abc");
    /// let env = [("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://10.0.0.1/creds")];
    /// assert!(matches!(ContainerConfig::from_env(&env), Err(SourceError::UrlNotAllowed { .. })));
    /// # Ok::<(), SourceError>(())
    /// ```
    pub fn from_env<E: EnvSource>(env: &E) -> Result<Option<ContainerConfig>, SourceError> {
        let var = |k: &str| env.get(k).map(str::trim).filter(|v| !v.is_empty());
        let config_error = |setting: &str, expected| {
            SourceError::Config(super::error::ConfigError {
                setting: setting.to_owned(),
                origin: "the environment".to_owned(),
                expected,
            })
        };
        let url = if let Some(rel) = var("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") {
            let sep = if rel.starts_with('/') { "" } else { "/" };
            Url::parse(&format!("http://{ECS_HOST}{sep}{rel}")).map_err(|_| {
                config_error(
                    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
                    "a URL path such as /v2/credentials/<id>",
                )
            })?
        } else if let Some(full) = var("AWS_CONTAINER_CREDENTIALS_FULL_URI") {
            let url = Url::parse(full).map_err(|_| {
                config_error(
                    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                    "an http:// or https:// URL",
                )
            })?;
            if let (Scheme::Http, Host::Ip(ip)) = (url.scheme(), url.host()) {
                if !allowed_address(*ip) {
                    return Err(SourceError::UrlNotAllowed {
                        url: url.to_string(),
                        reason: NOT_ALLOWED,
                    });
                }
            }
            url
        } else {
            return Ok(None);
        };
        let auth = if let Some(path) = var("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") {
            AuthToken::File(path.to_owned())
        } else if let Some(v) = env
            .get("AWS_CONTAINER_AUTHORIZATION_TOKEN")
            .filter(|v| !v.is_empty())
        {
            AuthToken::Value(v.to_owned())
        } else {
            AuthToken::None
        };
        Ok(Some(ContainerConfig {
            url,
            auth,
            timeout: Duration::from_secs(2),
            retry: RetryPolicy::default(),
        }))
    }

    /// The host name that must be resolved and checked before each fetch (`http` with a name).
    fn name_to_check(&self) -> Option<&str> {
        match (self.url.scheme(), self.url.host()) {
            (Scheme::Http, Host::Name(n)) => Some(n),
            _ => None,
        }
    }
}

/// The first byte that cannot appear in a header value, if any.
pub(crate) fn bad_header_byte(bytes: &[u8]) -> Option<usize> {
    if let Some(i) = bytes
        .iter()
        .position(|&b| (b < 0x20 && b != b'\t') || b == 0x7f)
    {
        return Some(i);
    }
    core::str::from_utf8(bytes).err().map(|e| e.valid_up_to())
}

#[derive(Debug)]
enum State {
    Idle,
    Resolve,
    ReadToken,
    Ready,
    Sent,
    Backoff(Timestamp),
    Finished(Result<Credentials, SourceError>),
}

/// The container credentials machine (see the [module docs](self)).
pub struct ContainerSource {
    config: ContainerConfig,
    state: State,
    jitter: Jitter,
    attempts: Attempts,
    connect_to: Vec<IpAddr>,
    token: Option<String>,
}

impl fmt::Debug for ContainerSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ContainerSource")
            .field("config", &self.config)
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}

impl ContainerSource {
    /// A machine for `config`.
    pub fn new(config: ContainerConfig) -> Self {
        ContainerSource {
            config,
            state: State::Idle,
            jitter: Jitter::ZERO,
            attempts: Attempts::default(),
            connect_to: Vec::new(),
            token: None,
        }
    }

    /// The settings.
    pub fn config(&self) -> &ContainerConfig {
        &self.config
    }

    fn set_token(&mut self, bytes: &[u8], origin: TokenOrigin) {
        if let Some(offset) = bad_header_byte(bytes) {
            return self.finish(Err(SourceError::InvalidAuthorizationToken {
                origin,
                offset,
            }));
        }
        self.token = core::str::from_utf8(bytes)
            .ok()
            .filter(|t| !t.is_empty())
            .map(str::to_owned);
        self.state = State::Ready;
    }

    fn after_resolve(&mut self) {
        match &self.config.auth {
            AuthToken::None => self.state = State::Ready,
            AuthToken::File(_) => self.state = State::ReadToken,
            AuthToken::Value(v) => {
                let v = v.clone().into_bytes();
                self.set_token(&v, TokenOrigin::Environment);
            }
        }
    }

    fn finish(&mut self, result: Result<Credentials, SourceError>) {
        if let Some(t) = &mut self.token {
            t.zeroize();
        }
        self.token = None;
        self.state = State::Finished(result);
    }

    fn build(&self) -> HttpRequest {
        let mut r = HttpRequest::new(
            Method::Get,
            self.config.url.clone(),
            self.config.timeout,
            ProxyPolicy::Bypass,
        )
        .header("accept", "application/json");
        if let Some(t) = &self.token {
            r = r.header("authorization", t.clone());
        }
        r.connect_to = self.connect_to.clone();
        r
    }

    fn retry(&mut self, now: Timestamp, last: LastAttempt, retry_after: Option<Duration>) {
        match self.attempts.fail(&self.config.retry, self.jitter) {
            Some(wait) => self.state = State::Backoff(now.offset_millis(wait)),
            None => self.finish(Err(SourceError::Exhausted {
                exchange: Exchange::Container,
                attempts: self.attempts.made(),
                last,
                retry_after,
            })),
        }
    }

    fn on_resolved(&mut self, result: Result<Vec<IpAddr>, super::http::IoFailure>) {
        let host = self.config.name_to_check().unwrap_or_default().to_owned();
        let addrs = match result {
            Ok(a) if !a.is_empty() => a,
            Ok(_) => {
                let error = super::http::IoFailure::Other("no addresses".into());
                return self.finish(Err(SourceError::Resolve { host, error }));
            }
            Err(error) => return self.finish(Err(SourceError::Resolve { host, error })),
        };
        if let Some(bad) = addrs.iter().find(|ip| !allowed_address(**ip)) {
            return self.finish(Err(SourceError::UrlNotAllowed {
                url: format!("{} ({host} resolves to {bad})", self.config.url),
                reason: NOT_ALLOWED,
            }));
        }
        self.connect_to = addrs;
        self.after_resolve();
    }

    fn on_response(&mut self, now: Timestamp, result: Result<HttpResponse, TransportError>) {
        let resp = match result {
            Ok(r) => r,
            Err(e) => return self.retry(now, LastAttempt::Transport(e), None),
        };
        match resp.status {
            200 => match parse_container(&resp.body) {
                Ok(c) => self.finish(Ok(c)),
                Err(error @ DocumentError::ServiceError { .. }) => {
                    self.finish(Err(SourceError::Document {
                        exchange: Exchange::Container,
                        error,
                    }))
                }
                Err(e) => self.retry(now, LastAttempt::Invalid(e.to_string()), None),
            },
            429 | 500..=599 => {
                let retry_after = resp
                    .header("retry-after")
                    .and_then(|v| v.parse::<u64>().ok())
                    .map(Duration::from_secs);
                self.retry(now, LastAttempt::Status(resp.status), retry_after)
            }
            _ => self.finish(Err(status_error(
                Exchange::Container,
                &resp,
                Failure::NonRetryable,
            ))),
        }
    }
}

impl Source for ContainerSource {
    fn start(&mut self, _now: Timestamp, jitter: Jitter) {
        self.jitter = jitter;
        self.attempts = Attempts::default();
        self.connect_to.clear();
        self.token = None;
        if self.config.name_to_check().is_some() {
            self.state = State::Resolve;
        } else {
            self.after_resolve();
        }
    }

    fn poll(&mut self, now: Timestamp) -> Step {
        loop {
            match &self.state {
                State::Idle => return Step::Done(Err(SourceError::NotStarted)),
                State::Finished(r) => return Step::Done(r.clone()),
                State::Resolve => {
                    let host = self.config.name_to_check().unwrap_or_default().to_owned();
                    return Step::Resolve { host };
                }
                State::ReadToken => {
                    let path = match &self.config.auth {
                        AuthToken::File(p) => p.clone(),
                        _ => String::new(),
                    };
                    return Step::ReadFile { path };
                }
                State::Backoff(until) if now < *until => return Step::Wait(*until),
                State::Backoff(_) => self.state = State::Ready,
                State::Ready | State::Sent => {
                    self.state = State::Sent;
                    return Step::Send(self.build());
                }
            }
        }
    }

    fn handle(&mut self, now: Timestamp, outcome: Outcome) {
        match (&self.state, outcome) {
            (State::Resolve, Outcome::Resolved(r)) => self.on_resolved(r),
            (State::ReadToken, Outcome::File(Ok(contents))) => {
                self.set_token(&contents.0, TokenOrigin::File)
            }
            (State::ReadToken, Outcome::File(Err(error))) => {
                let path = match &self.config.auth {
                    AuthToken::File(p) => p.clone(),
                    _ => String::new(),
                };
                self.finish(Err(SourceError::File {
                    setting: "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
                    path,
                    error,
                }))
            }
            (State::Sent, Outcome::Http(r)) => self.on_response(now, r),
            (state, _) => {
                let expected = match state {
                    State::Resolve => "resolved addresses",
                    State::ReadToken => "file contents",
                    State::Sent => "an HTTP response",
                    _ => "nothing (no step was outstanding)",
                };
                self.finish(Err(SourceError::UnexpectedOutcome { expected }))
            }
        }
    }

    fn warnings(&self) -> &[Warning] {
        &[]
    }
}
