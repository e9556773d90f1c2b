//! The AWS default credential chain, planned without I/O from an environment map and the text
//! of the shared credentials and config files, then run as one [`Source`].
//!
//! Order (the first configured source wins):
//!
//! 1. **Environment**: `AWS_ACCESS_KEY_ID` + `AWS_SECRET_ACCESS_KEY` (+ `AWS_SESSION_TOKEN`,
//!    `AWS_CREDENTIAL_EXPIRATION`).
//! 2. **Web identity**: `AWS_WEB_IDENTITY_TOKEN_FILE` + `AWS_ROLE_ARN` (+ `AWS_ROLE_SESSION_NAME`)
//!    → unsigned STS `AssumeRoleWithWebIdentity`.
//! 3. **Profile** (`AWS_PROFILE`, else `AWS_DEFAULT_PROFILE`, else `default`): `role_arn` with
//!    `web_identity_token_file`, `source_profile` (chains allowed, cycles refused) or
//!    `credential_source` (`Environment`, `Ec2InstanceMetadata`, `EcsContainer`) → STS
//!    `AssumeRole` signed by the core; then `credential_process`; then static keys.
//! 4. **Container endpoint**: `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` / `_FULL_URI`.
//! 5. **IMDS**, unless `AWS_EC2_METADATA_DISABLED=true`.
//!
//! A source that is configured but broken at planning time (half-set keys, an `http` full URI to
//! a public address, a malformed profile file) is reported as failed and the chain goes on, with
//! [`Warning::EarlierSourceFailed`]; the explanation says what was wrong. Once a source is
//! selected, its fetch failures are the chain's failures (a container endpoint that is down does
//! not silently fall through to the instance role). SSO profiles and `mfa_serial` are reported as
//! unsupported.
//!
//! ```
//! use sigfresh::source::{chain, SourceKind};
//! let env = [("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE"),
//!            ("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
//!            ("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/x")];
//! let plan = chain::plan(&env, None, None);
//! let why = plan.explain();
//! assert_eq!(why.winner(), Some(&SourceKind::Environment));
//! // Keys in the environment shadow the task role: the classic trap is called out.
//! assert!(why.to_string().contains("win over container credentials endpoint"));
//! ```

use super::chain_explain::{EntryStatus, Explanation, FetchOutcome, PlanEntry, Refreshes};
use super::container::{ContainerConfig, ContainerSource};
use super::error::{ConfigError, SourceError};
use super::imds::{ImdsConfig, ImdsSource};
use super::process::StaticSource;
use super::sts::{RoleSpec, StsEndpoint, WebIdentitySource};
use super::{Outcome, Source, SourceKind, Step, Warning};
use crate::credentials::Credentials;
use crate::document::{parse_env, EnvSource, Profile, ProfileSet};
use crate::prelude::*;
use crate::refresh::Jitter;
use crate::time::Timestamp;
use core::fmt;
use profile::resolve;

mod profile;

/// A source the planner can use.
struct Built {
    source: Box<dyn Source + Send>,
    refreshes: Refreshes,
    detail: String,
    warnings: Vec<Warning>,
}

impl Built {
    fn new(source: impl Source + Send + 'static, refreshes: Refreshes, detail: String) -> Self {
        Built {
            source: Box::new(source),
            refreshes,
            detail,
            warnings: Vec::new(),
        }
    }
}

enum Stage {
    Skip(String),
    Fail(SourceError),
    Use(Built),
}

impl From<Result<Option<Built>, SourceError>> for Stage {
    fn from(r: Result<Option<Built>, SourceError>) -> Stage {
        match r {
            Ok(Some(b)) => Stage::Use(b),
            Ok(None) => Stage::Skip(String::new()),
            Err(e) => Stage::Fail(e),
        }
    }
}

/// The planned chain: every source's status and the selected source's machine.
pub struct ChainPlan {
    entries: Vec<PlanEntry>,
    chosen: Option<Box<dyn Source + Send>>,
    warnings: Vec<Warning>,
}

impl fmt::Debug for ChainPlan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ChainPlan")
            .field("entries", &self.entries)
            .field("warnings", &self.warnings)
            .finish_non_exhaustive()
    }
}

fn value<'a, E: EnvSource>(env: &'a E, key: &str) -> Option<&'a str> {
    env.get(key).map(str::trim).filter(|v| !v.is_empty())
}

fn profile_origin(p: &Profile, key: &str) -> String {
    match p.property(key) {
        Some(prop) => format!(
            "profile \"{}\" ({} line {})",
            p.name(),
            prop.file(),
            prop.line()
        ),
        None => format!("profile \"{}\"", p.name()),
    }
}

fn config_error(p: &Profile, key: &str, expected: &'static str) -> SourceError {
    SourceError::Config(ConfigError {
        setting: key.to_owned(),
        origin: profile_origin(p, key),
        expected,
    })
}

/// Plans the default chain from the environment map and the text of the shared credentials
/// and config files (`None` when a file does not exist). Pure: nothing is fetched.
pub fn plan<E: EnvSource>(
    env: &E,
    credentials_file: Option<&str>,
    config_file: Option<&str>,
) -> ChainPlan {
    let explicit = value(env, "AWS_PROFILE").or_else(|| value(env, "AWS_DEFAULT_PROFILE"));
    let name = super::shared::active_profile_name(env).to_owned();
    let files = ProfileSet::parse(credentials_file, config_file);
    let active = files.as_ref().ok().and_then(|s| s.profile(&name));
    // One STS endpoint for every hop: the active profile's region, as the AWS SDKs do.
    let sts = StsEndpoint::from_env(env, active);

    let env_stage = match parse_env(env) {
        Ok(Some(c)) => {
            let mut b = Built::new(
                StaticSource::new(c.clone()),
                Refreshes::Never,
                "static keys".into(),
            );
            if c.session_token().is_some() && c.expiry().is_none() {
                b.warnings.push(Warning::SessionTokenWithoutExpiry {
                    source: SourceKind::Environment,
                });
            }
            Stage::Use(b)
        }
        Ok(None) => Stage::Skip("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set".into()),
        Err(e) => Stage::Fail(SourceError::Invalid(e)),
    };

    let web_stage = match (
        value(env, "AWS_WEB_IDENTITY_TOKEN_FILE"),
        value(env, "AWS_ROLE_ARN"),
    ) {
        (None, _) => Stage::Skip("AWS_WEB_IDENTITY_TOKEN_FILE is not set".into()),
        (Some(_), None) => Stage::Fail(SourceError::Config(ConfigError {
            setting: "AWS_ROLE_ARN".into(),
            origin: "the environment".into(),
            expected: "the ARN of the role to assume with AWS_WEB_IDENTITY_TOKEN_FILE",
        })),
        (Some(file), Some(arn)) => match sts.clone() {
            Ok(sts) => {
                let mut role = RoleSpec::new(arn);
                role.session_name = value(env, "AWS_ROLE_SESSION_NAME").map(str::to_owned);
                Stage::Use(Built::new(
                    WebIdentitySource::new(role, file, sts),
                    Refreshes::Yes,
                    format!("AssumeRoleWithWebIdentity {arn}"),
                ))
            }
            Err(e) => Stage::Fail(e),
        },
    };

    let profile_stage = match &files {
        Err(e) => Stage::Fail(SourceError::Invalid(e.clone())),
        Ok(set) if set.profile(&name).is_none() => match explicit {
            Some(_) => Stage::Fail(SourceError::ProfileNotFound {
                profile: name.clone(),
            }),
            None if credentials_file.is_none() && config_file.is_none() => {
                Stage::Skip("no shared credentials or config file".into())
            }
            None => Stage::Skip("no [default] profile".into()),
        },
        Ok(set) => match Stage::from(resolve(set, env, &sts, &name, &mut Vec::new())) {
            Stage::Skip(_) => Stage::Skip("the profile has no credential settings".into()),
            s => s,
        },
    };

    let container_stage = match ContainerConfig::from_env(env) {
        Ok(Some(c)) => {
            let detail = format!("GET {}", c.url);
            Stage::Use(Built::new(ContainerSource::new(c), Refreshes::Yes, detail))
        }
        Ok(None) => {
            Stage::Skip("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and _FULL_URI are not set".into())
        }
        Err(e) => Stage::Fail(e),
    };

    let imds_stage = match ImdsConfig::from_env(env, active) {
        Ok(c) => {
            let detail = format!("role credentials from {}", c.endpoint);
            Stage::Use(Built::new(ImdsSource::new(c), Refreshes::Yes, detail))
        }
        Err(SourceError::ImdsDisabled) => {
            Stage::Skip("disabled by AWS_EC2_METADATA_DISABLED=true".into())
        }
        Err(e) => Stage::Fail(e),
    };

    assemble(vec![
        (SourceKind::Environment, env_stage),
        (SourceKind::WebIdentity, web_stage),
        (SourceKind::Profile(name), profile_stage),
        (SourceKind::ContainerEndpoint, container_stage),
        (SourceKind::InstanceMetadata, imds_stage),
    ])
}

fn assemble(stages: Vec<(SourceKind, Stage)>) -> ChainPlan {
    let mut entries = Vec::new();
    let mut chosen: Option<Box<dyn Source + Send>> = None;
    let mut warnings = Vec::new();
    let mut failed_before = Vec::new();
    let mut shadowed = Vec::new();
    let mut winner: Option<SourceKind> = None;
    for (kind, stage) in stages {
        let status = match stage {
            Stage::Use(_) if winner.is_some() => {
                shadowed.push(kind.clone());
                EntryStatus::NotReached
            }
            _ if winner.is_some() => EntryStatus::NotReached,
            Stage::Skip(why) => EntryStatus::Skipped(why),
            Stage::Fail(e) => {
                failed_before.push(kind.clone());
                EntryStatus::Failed(e)
            }
            Stage::Use(b) => {
                winner = Some(kind.clone());
                chosen = Some(b.source);
                warnings.extend(b.warnings);
                EntryStatus::Selected {
                    refreshes: b.refreshes,
                    detail: b.detail,
                }
            }
        };
        entries.push(PlanEntry { kind, status });
    }
    if winner == Some(SourceKind::Environment) && !shadowed.is_empty() {
        warnings.insert(0, Warning::EnvironmentShadows { shadowed });
    }
    if winner.is_some() {
        for source in failed_before {
            warnings.push(Warning::EarlierSourceFailed { source });
        }
    }
    ChainPlan {
        entries,
        chosen,
        warnings,
    }
}

impl ChainPlan {
    /// The plan's explanation (no fetch yet).
    pub fn explain(&self) -> Explanation {
        Explanation {
            entries: self.entries.clone(),
            fetch: FetchOutcome::NotFetched,
            warnings: self.warnings.clone(),
        }
    }

    /// The selected source, if any.
    pub fn winner(&self) -> Option<&SourceKind> {
        self.entries
            .iter()
            .find(|e| matches!(e.status, EntryStatus::Selected { .. }))
            .map(|e| &e.kind)
    }

    /// The chain as a source machine.
    pub fn into_source(self) -> ChainSource {
        ChainSource {
            entries: self.entries,
            source: self.chosen,
            plan_warnings: self.warnings.clone(),
            warnings: self.warnings,
            fetch: FetchOutcome::NotFetched,
            started: false,
        }
    }
}

/// The planned chain as one [`Source`]: it drives the selected source and remembers the last
/// fetch for [`ChainSource::explain`].
pub struct ChainSource {
    entries: Vec<PlanEntry>,
    source: Option<Box<dyn Source + Send>>,
    plan_warnings: Vec<Warning>,
    warnings: Vec<Warning>,
    fetch: FetchOutcome,
    started: bool,
}

impl fmt::Debug for ChainSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ChainSource")
            .field("entries", &self.entries)
            .field("fetch", &self.fetch)
            .finish_non_exhaustive()
    }
}

impl ChainSource {
    /// The plan plus the last fetch: expiry or error, and the fetch's warnings.
    pub fn explain(&self) -> Explanation {
        Explanation {
            entries: self.entries.clone(),
            fetch: self.fetch.clone(),
            warnings: self.warnings.clone(),
        }
    }

    fn record(&mut self, result: &Result<Credentials, SourceError>) {
        self.warnings = self.plan_warnings.clone();
        if let Some(s) = &self.source {
            for w in s.warnings() {
                if !self.warnings.contains(w) {
                    self.warnings.push(w.clone());
                }
            }
        }
        self.fetch = match result {
            Ok(c) => {
                let winner = self.entries.iter().find_map(|e| match e.status {
                    EntryStatus::Selected { .. } => Some(e.kind.clone()),
                    _ => None,
                });
                if let (Some(source), true) =
                    (winner, c.session_token().is_some() && c.expiry().is_none())
                {
                    let w = Warning::SessionTokenWithoutExpiry { source };
                    if !self.warnings.contains(&w) {
                        self.warnings.push(w);
                    }
                }
                FetchOutcome::Succeeded {
                    expires_at: c.expiry(),
                }
            }
            Err(e) => FetchOutcome::Failed(e.clone()),
        };
    }
}

impl Source for ChainSource {
    fn start(&mut self, now: Timestamp, jitter: Jitter) {
        self.started = true;
        if let Some(s) = &mut self.source {
            s.start(now, jitter);
        }
    }

    fn poll(&mut self, now: Timestamp) -> Step {
        if !self.started {
            return Step::Done(Err(SourceError::NotStarted));
        }
        let step = match &mut self.source {
            Some(s) => s.poll(now),
            None => Step::Done(Err(SourceError::NoCredentials)),
        };
        if let Step::Done(r) = &step {
            self.record(r);
        }
        step
    }

    fn handle(&mut self, now: Timestamp, outcome: Outcome) {
        if let Some(s) = &mut self.source {
            s.handle(now, outcome);
        }
    }

    fn warnings(&self) -> &[Warning] {
        &self.warnings
    }
}
