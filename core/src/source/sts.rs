//! STS: `AssumeRoleWithWebIdentity` (unsigned; the web identity token file is re-read on every
//! fetch) and `AssumeRole` (signed by this crate's own [`Signer`] with the credentials of a base
//! source, hop by hop for role chains). Answers are parsed by [`crate::document::parse_sts`];
//! error responses are classified by [`crate::classify`].

use super::error::{ConfigError, Exchange, LastAttempt, SourceError};
use super::http::{HttpRequest, HttpResponse, Method, ProxyPolicy, TransportError};
use super::imds::status_error;
use super::retry::{Attempts, RetryPolicy};
use super::settings::Settings;
use super::shared::RegionSource;
use super::url::Url;
use super::{Outcome, Source, Step, Warning};
use crate::classify::{classify, Action, ErrorResponse};
use crate::credentials::Credentials;
use crate::document::{parse_sts, DocumentError, EnvSource, Profile};
use crate::prelude::*;
use crate::refresh::{Failure, Jitter};
use crate::sigv4::{Payload, SignableRequest, Signer, SigningSettings};
use crate::time::Timestamp;
use core::fmt;
use core::time::Duration;
use zeroize::Zeroize;

/// Where STS requests go. Timeout 5 s, 3 attempts by default.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct StsEndpoint {
    /// The endpoint URL.
    pub url: Url,
    /// The signing region.
    pub region: String,
    /// Timeout per request.
    pub timeout: Duration,
    /// Attempts and backoff.
    pub retry: RetryPolicy,
}

impl StsEndpoint {
    /// The regional endpoint `https://sts.<region>.amazonaws.com` (`.amazonaws.com.cn` for
    /// `cn-` regions); without a region, the global `https://sts.amazonaws.com` (us-east-1).
    pub fn for_region(region: Option<&str>) -> Result<StsEndpoint, SourceError> {
        let bad = || {
            SourceError::Config(ConfigError {
                setting: "region".to_owned(),
                origin: "the configuration".to_owned(),
                expected: "a region name such as us-east-1",
            })
        };
        let (text, region) = match region {
            None => ("https://sts.amazonaws.com".to_owned(), "us-east-1"),
            Some(r) => {
                let ok = !r.is_empty() && r.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
                if !ok {
                    return Err(bad());
                }
                let suffix = if r.starts_with("cn-") { ".cn" } else { "" };
                (format!("https://sts.{r}.amazonaws.com{suffix}"), r)
            }
        };
        Ok(StsEndpoint {
            url: Url::parse(&text).map_err(|_| bad())?,
            region: region.to_owned(),
            timeout: Duration::from_secs(5),
            retry: RetryPolicy::default(),
        })
    }

    /// The endpoint for the region of [`shared::profile_region`](super::shared::profile_region)
    /// (`AWS_REGION`, else `AWS_DEFAULT_REGION`, else `profile`'s `region`), overridden by
    /// `AWS_ENDPOINT_URL_STS`, else `AWS_ENDPOINT_URL`.
    ///
    /// With a region the endpoint is the regional one ([`StsEndpoint::for_region`]): the AWS
    /// SDKs' `sts_regional_endpoints = regional` behaviour, the default of the AWS CLI v2, the
    /// JavaScript v3, Java v2 and Go v2 SDKs, and of botocore since boto3 1.40 (July 2025);
    /// `legacy` (the global endpoint for the older regions) is not offered. Without a region,
    /// the global `https://sts.amazonaws.com`, signed for `us-east-1`, as the SDKs do.
    ///
    /// ```
    /// use sigfresh::document::ProfileSet;
    /// use sigfresh::source::StsEndpoint;
    /// let files = ProfileSet::parse(None, Some("[default]\nregion = eu-west-1\n"))?;
    /// let profile = files.profile("default");
    /// let e = StsEndpoint::from_env(&[("AWS_DEFAULT_REGION", "ap-south-1")], profile).unwrap();
    /// assert_eq!(e.url.to_string(), "https://sts.ap-south-1.amazonaws.com/");
    /// let e = StsEndpoint::from_env(&[("HOME", "/root")], profile).unwrap();
    /// assert_eq!(e.region, "eu-west-1");
    /// # Ok::<(), sigfresh::document::DocumentError>(())
    /// ```
    pub fn from_env<E: EnvSource>(
        env: &E,
        profile: Option<&Profile>,
    ) -> Result<StsEndpoint, SourceError> {
        let region = super::shared::profile_region(env, profile);
        let mut e = match &region {
            None => StsEndpoint::for_region(None)?,
            Some(r) => StsEndpoint::for_region(Some(&r.name)).map_err(|_| {
                let (setting, origin) = match (r.source, profile) {
                    (RegionSource::AwsRegion, _) => ("AWS_REGION", "the environment".to_owned()),
                    (RegionSource::AwsDefaultRegion, _) => {
                        ("AWS_DEFAULT_REGION", "the environment".to_owned())
                    }
                    (_, Some(p)) => ("region", format!("profile \"{}\"", p.name())),
                    (_, None) => ("region", "the configuration".to_owned()),
                };
                SourceError::Config(ConfigError {
                    setting: setting.to_owned(),
                    origin,
                    expected: "a region name such as us-east-1",
                })
            })?,
        };
        let s = Settings::new(env, profile);
        let over = s
            .get("AWS_ENDPOINT_URL_STS", None)
            .or_else(|| s.get("AWS_ENDPOINT_URL", None));
        if let Some(v) = over {
            e.url = Url::parse(v.text)
                .map_err(|_| SourceError::Config(v.error("an http:// or https:// URL")))?;
        }
        Ok(e)
    }
}

/// The role to assume.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RoleSpec {
    /// `RoleArn`.
    pub role_arn: String,
    /// `RoleSessionName`; `sigfresh-<unix millis>` when not set.
    pub session_name: Option<String>,
    /// `ExternalId` (profile `external_id`).
    pub external_id: Option<String>,
    /// `DurationSeconds` (profile `duration_seconds`).
    pub duration_seconds: Option<u32>,
}

impl RoleSpec {
    /// A role with defaults for everything else.
    pub fn new(role_arn: impl Into<String>) -> Self {
        RoleSpec {
            role_arn: role_arn.into(),
            session_name: None,
            external_id: None,
            duration_seconds: None,
        }
    }

    fn form(&self, action: &str, now: Timestamp) -> String {
        let session = self
            .session_name
            .clone()
            .unwrap_or_else(|| format!("sigfresh-{}", now.unix_millis().max(0)));
        let mut f = format!("Action={action}&Version=2011-06-15");
        push(&mut f, "RoleArn", &self.role_arn);
        push(&mut f, "RoleSessionName", &session);
        if let Some(x) = &self.external_id {
            push(&mut f, "ExternalId", x);
        }
        if let Some(d) = self.duration_seconds {
            push(&mut f, "DurationSeconds", &d.to_string());
        }
        f
    }
}

/// Appends `&name=value`, form-encoding the value (unreserved characters kept).
fn push(form: &mut String, name: &str, value: &str) {
    form.push('&');
    form.push_str(name);
    form.push('=');
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            form.push(char::from(b));
        } else {
            form.push_str(&format!("%{b:02X}"));
        }
    }
}

fn post(endpoint: &StsEndpoint, body: String) -> HttpRequest {
    let mut r = HttpRequest::new(
        Method::Post,
        endpoint.url.clone(),
        endpoint.timeout,
        ProxyPolicy::UseHostSettings,
    )
    .header(
        "content-type",
        "application/x-www-form-urlencoded; charset=utf-8",
    );
    r.body = body.into_bytes();
    r
}

/// What an STS answer means.
enum Verdict {
    Credentials(Credentials),
    Retry(LastAttempt, Option<Duration>),
    Fail(SourceError),
}

fn judge(exchange: Exchange, result: Result<HttpResponse, TransportError>) -> Verdict {
    let resp = match result {
        Ok(r) => r,
        Err(e) => return Verdict::Retry(LastAttempt::Transport(e), None),
    };
    if resp.status == 200 {
        return match parse_sts(&resp.body) {
            Ok(c) => Verdict::Credentials(c),
            Err(error @ DocumentError::ServiceError { .. }) => {
                Verdict::Fail(SourceError::Document { exchange, error })
            }
            Err(e) => Verdict::Retry(LastAttempt::Invalid(e.to_string()), None),
        };
    }
    let headers: Vec<(&str, &str)> = resp
        .headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let c = classify(
        &ErrorResponse::new(resp.status, &headers, &resp.body),
        None,
        Timestamp::default(),
    );
    // botocore retries these two for web identity: the IdP was unreachable, or the token file
    // was read mid-rotation.
    let web_retry = exchange == Exchange::AssumeRoleWithWebIdentity
        && matches!(
            c.code.as_deref(),
            Some("IDPCommunicationError" | "InvalidIdentityToken")
        );
    match c.action {
        Action::Throttled | Action::RetryTransient => {
            Verdict::Retry(LastAttempt::Status(resp.status), None)
        }
        _ if web_retry => Verdict::Retry(LastAttempt::Status(resp.status), None),
        _ => {
            let failure = match c.action {
                // A web identity token expires and is rotated on disk: try again soon.
                Action::RefreshCredentialsAndRetry
                    if exchange == Exchange::AssumeRoleWithWebIdentity =>
                {
                    Failure::Retryable
                }
                _ => Failure::NonRetryable,
            };
            Verdict::Fail(status_error(exchange, &resp, failure))
        }
    }
}

#[derive(Debug)]
enum WebState {
    Idle,
    ReadToken,
    Ready,
    Sent,
    Backoff(Timestamp),
    Finished(Result<Credentials, SourceError>),
}

/// `AssumeRoleWithWebIdentity` with a token file (EKS IRSA, GitHub Actions OIDC...).
pub struct WebIdentitySource {
    role: RoleSpec,
    token_file: String,
    setting: &'static str,
    sts: StsEndpoint,
    state: WebState,
    token: String,
    jitter: Jitter,
    attempts: Attempts,
    started_at: Timestamp,
}

impl fmt::Debug for WebIdentitySource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebIdentitySource")
            .field("role", &self.role)
            .field("token_file", &self.token_file)
            .field("sts", &self.sts)
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}

impl WebIdentitySource {
    /// A machine that reads `token_file` on every fetch and assumes `role`.
    pub fn new(role: RoleSpec, token_file: impl Into<String>, sts: StsEndpoint) -> Self {
        WebIdentitySource {
            role,
            token_file: token_file.into(),
            setting: "AWS_WEB_IDENTITY_TOKEN_FILE",
            sts,
            state: WebState::Idle,
            token: String::new(),
            jitter: Jitter::ZERO,
            attempts: Attempts::default(),
            started_at: Timestamp::default(),
        }
    }

    pub(crate) fn named_by_profile_key(mut self) -> Self {
        self.setting = "web_identity_token_file";
        self
    }

    fn finish(&mut self, r: Result<Credentials, SourceError>) {
        self.token.zeroize();
        self.state = WebState::Finished(r);
    }

    fn request(&self) -> HttpRequest {
        let mut form = self.role.form("AssumeRoleWithWebIdentity", self.started_at);
        push(&mut form, "WebIdentityToken", &self.token);
        let r = post(&self.sts, form.clone());
        form.zeroize();
        r
    }
}

impl Source for WebIdentitySource {
    fn start(&mut self, now: Timestamp, jitter: Jitter) {
        self.jitter = jitter;
        self.attempts = Attempts::default();
        self.started_at = now;
        self.token.zeroize();
        self.state = WebState::ReadToken;
    }

    fn poll(&mut self, now: Timestamp) -> Step {
        loop {
            match &self.state {
                WebState::Idle => return Step::Done(Err(SourceError::NotStarted)),
                WebState::Finished(r) => return Step::Done(r.clone()),
                WebState::ReadToken => {
                    return Step::ReadFile {
                        path: self.token_file.clone(),
                    }
                }
                WebState::Backoff(t) if now < *t => return Step::Wait(*t),
                WebState::Backoff(_) => self.state = WebState::Ready,
                WebState::Ready | WebState::Sent => {
                    self.state = WebState::Sent;
                    return Step::Send(self.request());
                }
            }
        }
    }

    fn handle(&mut self, now: Timestamp, outcome: Outcome) {
        match (&self.state, outcome) {
            (WebState::ReadToken, Outcome::File(r)) => {
                let text = r.and_then(|c| {
                    core::str::from_utf8(&c.0)
                        .map(|t| t.trim().to_owned())
                        .ok()
                        .filter(|t| !t.is_empty())
                        .ok_or(super::http::IoFailure::Other(
                            "the token file is empty or not UTF-8".into(),
                        ))
                });
                match text {
                    Ok(t) => {
                        self.token = t;
                        self.state = WebState::Ready;
                    }
                    Err(error) => self.finish(Err(SourceError::File {
                        setting: self.setting,
                        path: self.token_file.clone(),
                        error,
                    })),
                }
            }
            (WebState::Sent, Outcome::Http(r)) => {
                match judge(Exchange::AssumeRoleWithWebIdentity, r) {
                    Verdict::Credentials(c) => self.finish(Ok(c)),
                    Verdict::Fail(e) => self.finish(Err(e)),
                    Verdict::Retry(last, retry_after) => {
                        match self.attempts.fail(&self.sts.retry, self.jitter) {
                            Some(wait) => self.state = WebState::Backoff(now.offset_millis(wait)),
                            None => self.finish(Err(SourceError::Exhausted {
                                exchange: Exchange::AssumeRoleWithWebIdentity,
                                attempts: self.attempts.made(),
                                last,
                                retry_after,
                            })),
                        }
                    }
                }
            }
            _ => self.finish(Err(SourceError::UnexpectedOutcome {
                expected: "the step last polled",
            })),
        }
    }

    fn warnings(&self) -> &[Warning] {
        &[]
    }
}

#[derive(Debug)]
enum RoleState {
    Idle,
    Base,
    Ready,
    Sent,
    Backoff(Timestamp),
    Finished(Result<Credentials, SourceError>),
}

/// `AssumeRole`, hop by hop (`role_arn` + `source_profile`, possibly chained), signed with the
/// credentials a base source yields (static keys, `credential_process`, web identity, the
/// environment, the container endpoint or IMDS).
pub struct AssumeRoleSource {
    base: Box<dyn Source + Send>,
    hops: Vec<RoleSpec>,
    sts: StsEndpoint,
    state: RoleState,
    hop: usize,
    current: Option<Credentials>,
    jitter: Jitter,
    attempts: Attempts,
    started_at: Timestamp,
}

impl fmt::Debug for AssumeRoleSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AssumeRoleSource")
            .field("hops", &self.hops)
            .field("sts", &self.sts)
            .field("state", &self.state)
            .field("hop", &self.hop)
            .finish_non_exhaustive()
    }
}

impl AssumeRoleSource {
    /// Assumes each role of `hops` in turn, starting from `base`'s credentials.
    pub fn new(base: Box<dyn Source + Send>, hops: Vec<RoleSpec>, sts: StsEndpoint) -> Self {
        AssumeRoleSource {
            base,
            hops,
            sts,
            state: RoleState::Idle,
            hop: 0,
            current: None,
            jitter: Jitter::ZERO,
            attempts: Attempts::default(),
            started_at: Timestamp::default(),
        }
    }

    fn finish(&mut self, r: Result<Credentials, SourceError>) {
        self.current = None;
        self.state = RoleState::Finished(r);
    }

    fn next_hop(&mut self, creds: Credentials) {
        if self.hop >= self.hops.len() {
            return self.finish(Ok(creds));
        }
        self.current = Some(creds);
        self.attempts = Attempts::default();
        self.state = RoleState::Ready;
    }

    fn signed_request(&self, now: Timestamp) -> Result<HttpRequest, SourceError> {
        let (Some(role), Some(creds)) = (self.hops.get(self.hop), &self.current) else {
            return Err(SourceError::UnexpectedOutcome {
                expected: "base credentials before an AssumeRole hop",
            });
        };
        let mut r = post(&self.sts, role.form("AssumeRole", self.started_at));
        let signer = Signer::new(&self.sts.region, "sts", SigningSettings::default())
            .map_err(SourceError::Signing)?;
        let url = r.url.to_string();
        let headers: Vec<(&str, &str)> = r
            .headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let out = signer
            .sign(
                &SignableRequest::new("POST", &url, &headers, Payload::Bytes(&r.body)),
                creds,
                now,
            )
            .map_err(SourceError::Signing)?;
        let signed: Vec<(String, String)> = out
            .headers()
            .map(|(n, v)| (n.to_owned(), v.to_owned()))
            .collect();
        r.headers.extend(signed);
        Ok(r)
    }
}

impl Source for AssumeRoleSource {
    fn start(&mut self, now: Timestamp, jitter: Jitter) {
        self.jitter = jitter;
        self.started_at = now;
        self.hop = 0;
        self.current = None;
        self.base.start(now, jitter);
        self.state = RoleState::Base;
    }

    fn poll(&mut self, now: Timestamp) -> Step {
        loop {
            match &self.state {
                RoleState::Idle => return Step::Done(Err(SourceError::NotStarted)),
                RoleState::Finished(r) => return Step::Done(r.clone()),
                RoleState::Base => match self.base.poll(now) {
                    Step::Done(Ok(c)) => self.next_hop(c),
                    Step::Done(Err(e)) => self.finish(Err(e)),
                    step => return step,
                },
                RoleState::Backoff(t) if now < *t => return Step::Wait(*t),
                RoleState::Backoff(_) => self.state = RoleState::Ready,
                RoleState::Ready | RoleState::Sent => match self.signed_request(now) {
                    Ok(r) => {
                        self.state = RoleState::Sent;
                        return Step::Send(r);
                    }
                    Err(e) => self.finish(Err(e)),
                },
            }
        }
    }

    fn handle(&mut self, now: Timestamp, outcome: Outcome) {
        match (&self.state, outcome) {
            (RoleState::Base, o) => self.base.handle(now, o),
            (RoleState::Sent, Outcome::Http(r)) => match judge(Exchange::AssumeRole, r) {
                Verdict::Credentials(c) => {
                    self.hop += 1;
                    self.next_hop(c);
                }
                Verdict::Fail(e) => self.finish(Err(e)),
                Verdict::Retry(last, retry_after) => {
                    match self.attempts.fail(&self.sts.retry, self.jitter) {
                        Some(wait) => self.state = RoleState::Backoff(now.offset_millis(wait)),
                        None => self.finish(Err(SourceError::Exhausted {
                            exchange: Exchange::AssumeRole,
                            attempts: self.attempts.made(),
                            last,
                            retry_after,
                        })),
                    }
                }
            },
            _ => self.finish(Err(SourceError::UnexpectedOutcome {
                expected: "the step last polled",
            })),
        }
    }

    fn warnings(&self) -> &[Warning] {
        self.base.warnings()
    }
}
