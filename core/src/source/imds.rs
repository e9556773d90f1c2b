//! EC2 instance metadata (IMDS) role credentials.
//!
//! One fetch is: the IMDSv2 session token (`PUT /latest/api/token` with
//! `x-aws-ec2-metadata-token-ttl-seconds`, skipped while a cached token is more than
//! [`TOKEN_RENEW_BEFORE`] (or half its TTL) from expiry), the role name
//! (`GET /latest/meta-data/iam/security-credentials/`, first line; skipped when known), then the
//! credentials (`GET .../security-credentials/<role>`), each GET carrying
//! `x-aws-ec2-metadata-token`. The rules, as in the AWS SDKs:
//!
//! | event | what the machine does |
//! | --- | --- |
//! | token `PUT` → 403, 404, 405 | IMDSv1 for this fetch, unless v1 is disabled ([`SourceError::ImdsV1Disabled`]) |
//! | token `PUT` → 400 | fatal ([`SourceError::ImdsTokenBadRequest`]) |
//! | token `PUT` times out | IMDSv1 for this fetch (no retry), unless v1 is disabled; if the GETs then work, [`Warning::ImdsHopLimit`]; if they answer 401, [`SourceError::ImdsHopLimit`] |
//! | GET → 401 | drop the token, get a new one, retry (once per fetch; then [`SourceError::ImdsUnauthorized`]) |
//! | credentials GET → 404 | the role changed: re-discover the role name, retry (once per fetch) |
//! | role GET → 404 or empty | [`SourceError::ImdsNoRole`] |
//! | 5xx, 429, transport error, unparseable credentials | retry after a backoff ([`Step::Wait`]), up to the attempts, then [`SourceError::Exhausted`] |
//! | `Code` other than `Success` | [`SourceError::Document`], retryable only for throttling/transient codes |
//!
//! The IMDSv1 decision is per fetch: the next fetch tries IMDSv2 again (IMDS settings can
//! change while an instance runs). Every request bypasses proxies and times out after
//! [`ImdsConfig::timeout`].

use super::error::{Exchange, LastAttempt, SourceError};
use super::http::{HttpRequest, HttpResponse, Method, ProxyPolicy, TransportError};
use super::retry::Attempts;
use super::{Outcome, Source, Step, Warning};
use crate::credentials::Credentials;
use crate::document::{parse_imds, DocumentError};
use crate::prelude::*;
use crate::refresh::{Failure, Jitter};
use crate::time::Timestamp;
use core::fmt;
use core::time::Duration;
use zeroize::Zeroize;

/// A cached token is renewed when less than this (or half its TTL, if shorter) is left.
pub const TOKEN_RENEW_BEFORE: Duration = Duration::from_secs(120);

mod config;

pub use config::{EndpointMode, ImdsConfig, V1Fallback};

/// The IMDSv2 session token; redacted in `Debug`, wiped on drop.
struct SessionToken {
    value: String,
    obtained_at: Timestamp,
    ttl: Duration,
}

impl SessionToken {
    /// Usable when `now` is after it was obtained and before its renewal point.
    fn usable(&self, now: Timestamp) -> bool {
        let early = TOKEN_RENEW_BEFORE.min(self.ttl / 2);
        let renew_at = self
            .obtained_at
            .saturating_add(self.ttl.saturating_sub(early));
        now >= self.obtained_at && now < renew_at
    }
}

impl Drop for SessionToken {
    fn drop(&mut self) {
        self.value.zeroize();
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Req {
    Token,
    RoleName,
    Credentials,
}

impl Req {
    fn exchange(self) -> Exchange {
        match self {
            Req::Token => Exchange::ImdsToken,
            Req::RoleName => Exchange::ImdsRoleName,
            Req::Credentials => Exchange::ImdsCredentials,
        }
    }
}

#[derive(Debug)]
enum State {
    Idle,
    Ready(Req),
    Sent(Req),
    Backoff(Req, Timestamp),
    Finished(Result<Credentials, SourceError>),
}

/// Why this fetch uses IMDSv1.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum V1Reason {
    Refused,
    TokenTimeout,
}

/// The IMDS role-credentials machine (see the [module docs](self)). Keep one per process: the
/// session token and role name it learns are reused by later fetches.
pub struct ImdsSource {
    config: ImdsConfig,
    token: Option<SessionToken>,
    role: Option<String>,
    state: State,
    jitter: Jitter,
    attempts: Attempts,
    v1: Option<V1Reason>,
    token_renewed: bool,
    role_rediscovered: bool,
    warnings: Vec<Warning>,
}

impl fmt::Debug for ImdsSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ImdsSource")
            .field("config", &self.config)
            .field("has_token", &self.token.is_some())
            .field("role", &self.role)
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}

impl ImdsSource {
    /// A machine with `config`, no token and no role name yet.
    pub fn new(config: ImdsConfig) -> Self {
        ImdsSource {
            config,
            token: None,
            role: None,
            state: State::Idle,
            jitter: Jitter::ZERO,
            attempts: Attempts::default(),
            v1: None,
            token_renewed: false,
            role_rediscovered: false,
            warnings: Vec::new(),
        }
    }

    /// The settings.
    pub fn config(&self) -> &ImdsConfig {
        &self.config
    }

    /// True when a cached session token will be used at `now` without a new `PUT`.
    pub fn has_usable_token(&self, now: Timestamp) -> bool {
        self.token.as_ref().is_some_and(|t| t.usable(now))
    }

    /// The role name learned from IMDS, if any.
    pub fn role_name(&self) -> Option<&str> {
        self.role.as_deref()
    }

    fn after_token(&self) -> Req {
        if self.role.is_some() {
            Req::Credentials
        } else {
            Req::RoleName
        }
    }

    fn build(&self, req: Req) -> HttpRequest {
        let url = |path: &str| self.config.endpoint.with_path(path);
        let timeout = self.config.timeout;
        let request = match req {
            Req::Token => {
                let ttl = self.config.token_ttl.as_secs().clamp(1, 21_600);
                return HttpRequest::new(
                    Method::Put,
                    url("/latest/api/token"),
                    timeout,
                    ProxyPolicy::Bypass,
                )
                .header("x-aws-ec2-metadata-token-ttl-seconds", ttl.to_string());
            }
            Req::RoleName => HttpRequest::new(
                Method::Get,
                url("/latest/meta-data/iam/security-credentials/"),
                timeout,
                ProxyPolicy::Bypass,
            ),
            Req::Credentials => {
                let role = self.role.as_deref().unwrap_or_default();
                HttpRequest::new(
                    Method::Get,
                    url(&format!(
                        "/latest/meta-data/iam/security-credentials/{role}"
                    )),
                    timeout,
                    ProxyPolicy::Bypass,
                )
            }
        };
        match (&self.token, self.v1) {
            (Some(t), None) => request.header("x-aws-ec2-metadata-token", t.value.clone()),
            _ => request,
        }
    }

    fn finish(&mut self, result: Result<Credentials, SourceError>) {
        self.state = State::Finished(result);
    }

    fn next(&mut self, req: Req) {
        self.attempts = Attempts::default();
        self.state = State::Ready(req);
    }

    /// Another attempt after a backoff, or `exhausted` when none is left.
    fn retry(
        &mut self,
        now: Timestamp,
        req: Req,
        last: LastAttempt,
        retry_after: Option<Duration>,
    ) {
        match self.attempts.fail(&self.config.retry, self.jitter) {
            Some(wait) => self.state = State::Backoff(req, now.offset_millis(wait)),
            None => {
                let err = match (req, &last, self.config.v1_fallback) {
                    (
                        Req::Token,
                        LastAttempt::Transport(TransportError::Timeout),
                        V1Fallback::Disabled,
                    ) => SourceError::ImdsV1Disabled { token_status: None },
                    _ => SourceError::Exhausted {
                        exchange: req.exchange(),
                        attempts: self.attempts.made(),
                        last,
                        retry_after,
                    },
                };
                self.finish(Err(err));
            }
        }
    }

    fn fail_status(&mut self, req: Req, resp: &HttpResponse) {
        self.finish(Err(status_error(
            req.exchange(),
            resp,
            Failure::NonRetryable,
        )));
    }

    fn fall_back_to_v1(&mut self, reason: V1Reason, token_status: Option<u16>) {
        if self.config.v1_fallback == V1Fallback::Disabled {
            return self.finish(Err(SourceError::ImdsV1Disabled { token_status }));
        }
        self.v1 = Some(reason);
        self.next(self.after_token());
    }

    fn on_token(&mut self, now: Timestamp, result: Result<HttpResponse, TransportError>) {
        let resp = match result {
            Ok(r) => r,
            Err(TransportError::Timeout) if self.config.v1_fallback == V1Fallback::Allowed => {
                return self.fall_back_to_v1(V1Reason::TokenTimeout, None);
            }
            Err(e) => return self.retry(now, Req::Token, LastAttempt::Transport(e), None),
        };
        match resp.status {
            200 => {
                let value = core::str::from_utf8(&resp.body)
                    .map(|s| s.trim_matches(|c: char| c.is_ascii_whitespace()))
                    .unwrap_or("");
                if value.is_empty() || !value.bytes().all(|b| b.is_ascii_graphic()) {
                    let last =
                        LastAttempt::Invalid("the token is empty or not printable ASCII".into());
                    return self.retry(now, Req::Token, last, None);
                }
                let asked = self.config.token_ttl.as_secs().clamp(1, 21_600);
                let granted = resp
                    .header("x-aws-ec2-metadata-token-ttl-seconds")
                    .and_then(|v| v.parse::<u64>().ok())
                    .filter(|&n| n > 0)
                    .map_or(asked, |n| n.min(asked));
                self.token = Some(SessionToken {
                    value: value.to_owned(),
                    obtained_at: now,
                    ttl: Duration::from_secs(granted),
                });
                self.next(self.after_token());
            }
            403..=405 => self.fall_back_to_v1(V1Reason::Refused, Some(resp.status)),
            400 => self.finish(Err(SourceError::ImdsTokenBadRequest)),
            429 | 500..=599 => self.retry_status(now, Req::Token, &resp),
            _ => self.fail_status(Req::Token, &resp),
        }
    }

    fn retry_status(&mut self, now: Timestamp, req: Req, resp: &HttpResponse) {
        let retry_after = resp
            .header("retry-after")
            .and_then(|v| v.parse::<u64>().ok())
            .map(Duration::from_secs);
        self.retry(now, req, LastAttempt::Status(resp.status), retry_after);
    }

    fn on_get(&mut self, now: Timestamp, req: Req, result: Result<HttpResponse, TransportError>) {
        let resp = match result {
            Ok(r) => r,
            Err(e) => return self.retry(now, req, LastAttempt::Transport(e), None),
        };
        match resp.status {
            200 if req == Req::RoleName => self.on_role_name(now, &resp),
            200 => self.on_credentials(now, &resp),
            401 => match self.v1 {
                Some(V1Reason::TokenTimeout) => self.finish(Err(SourceError::ImdsHopLimit)),
                Some(V1Reason::Refused) => self.fail_status(req, &resp),
                None if !self.token_renewed => {
                    self.token_renewed = true;
                    self.token = None;
                    self.next(Req::Token);
                }
                None => self.finish(Err(SourceError::ImdsUnauthorized)),
            },
            404 if req == Req::RoleName => self.finish(Err(SourceError::ImdsNoRole)),
            404 if !self.role_rediscovered => {
                self.role_rediscovered = true;
                self.role = None;
                self.next(Req::RoleName);
            }
            404 => self.finish(Err(status_error(req.exchange(), &resp, Failure::Retryable))),
            429 | 500..=599 => self.retry_status(now, req, &resp),
            _ => self.fail_status(req, &resp),
        }
    }

    fn on_role_name(&mut self, now: Timestamp, resp: &HttpResponse) {
        let Ok(text) = core::str::from_utf8(&resp.body) else {
            let last = LastAttempt::Invalid("the role name list is not UTF-8".into());
            return self.retry(now, Req::RoleName, last, None);
        };
        let first = text.lines().map(str::trim).find(|l| !l.is_empty());
        let Some(role) = first else {
            return self.finish(Err(SourceError::ImdsNoRole));
        };
        let valid = role.len() <= 128
            && role
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"+=,.@_-".contains(&b));
        if !valid {
            return self.finish(Err(SourceError::InvalidResponse {
                exchange: Exchange::ImdsRoleName,
                detail: "the role name has characters an IAM role name cannot have",
            }));
        }
        self.role = Some(role.to_owned());
        self.next(Req::Credentials);
    }

    fn on_credentials(&mut self, now: Timestamp, resp: &HttpResponse) {
        match parse_imds(&resp.body) {
            Ok(c) => {
                if self.v1 == Some(V1Reason::TokenTimeout) {
                    self.warnings.push(Warning::ImdsHopLimit);
                }
                self.finish(Ok(c));
            }
            Err(error @ DocumentError::ServiceError { .. }) => {
                self.finish(Err(SourceError::Document {
                    exchange: Exchange::ImdsCredentials,
                    error,
                }))
            }
            Err(error) => {
                let last = LastAttempt::Invalid(error.to_string());
                self.retry(now, Req::Credentials, last, None);
            }
        }
    }
}

/// An error for a final status, with the AWS code and message when the body has them.
pub(crate) fn status_error(
    exchange: Exchange,
    resp: &HttpResponse,
    failure: Failure,
) -> SourceError {
    let headers: Vec<(&str, &str)> = resp
        .headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let c = crate::classify::classify(
        &crate::classify::ErrorResponse::new(resp.status, &headers, &resp.body),
        None,
        Timestamp::default(),
    );
    SourceError::Status {
        exchange,
        status: resp.status,
        code: c.code,
        message: c.message,
        failure,
    }
}

impl Source for ImdsSource {
    fn start(&mut self, now: Timestamp, jitter: Jitter) {
        self.jitter = jitter;
        self.v1 = None;
        self.token_renewed = false;
        self.role_rediscovered = false;
        self.warnings.clear();
        let first = if self.has_usable_token(now) {
            self.after_token()
        } else {
            self.token = None;
            Req::Token
        };
        self.next(first);
    }

    fn poll(&mut self, now: Timestamp) -> Step {
        loop {
            match &self.state {
                State::Idle => return Step::Done(Err(SourceError::NotStarted)),
                State::Finished(r) => return Step::Done(r.clone()),
                State::Backoff(req, until) => {
                    if now < *until {
                        return Step::Wait(*until);
                    }
                    self.state = State::Ready(*req);
                }
                State::Ready(req) | State::Sent(req) => {
                    let mut req = *req;
                    if req == Req::Credentials && self.role.is_none() {
                        req = Req::RoleName;
                    }
                    let request = self.build(req);
                    self.state = State::Sent(req);
                    return Step::Send(request);
                }
            }
        }
    }

    fn handle(&mut self, now: Timestamp, outcome: Outcome) {
        let State::Sent(req) = self.state else {
            return self.finish(Err(SourceError::UnexpectedOutcome {
                expected: "nothing (no request was outstanding)",
            }));
        };
        let Outcome::Http(result) = outcome else {
            return self.finish(Err(SourceError::UnexpectedOutcome {
                expected: "an HTTP response",
            }));
        };
        match req {
            Req::Token => self.on_token(now, result),
            _ => self.on_get(now, req, result),
        }
    }

    fn warnings(&self) -> &[Warning] {
        &self.warnings
    }
}
