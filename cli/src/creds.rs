//! Where a subcommand's credentials come from: flags, a credentials document (`--credentials
//! FILE`), or the AWS default chain with real I/O. Parsing and the chain's rules are the core's;
//! this module reads files, picks the parser, and drives the chain.

use crate::args::Args;
use crate::host::{self, RealHost};
use crate::rng::Rng;
use crate::{fail, usage, Failure};
use sigfresh::credentials::Credentials;
use sigfresh::document::{parse_any_profile, DocumentError, DocumentFormat};
use sigfresh::refresh::{CredentialCache, RefreshPolicy};
use sigfresh::skew::ClockSkew;
use sigfresh::source::drive;
use sigfresh::source::{chain, ChainPlan, ChainSource, SourceError};
use std::sync::Arc;
use std::time::Duration;

/// The help section every signing subcommand shares.
pub(crate) const HELP: &str = "\
CREDENTIALS (default: the AWS default chain; `sigfresh credentials` shows what it finds):
    --access-key-id ID           Access key id
    --secret-access-key KEY      Secret access key
    --session-token TOKEN        Session token of temporary credentials
    --credentials FILE           A credentials document: IMDS, container endpoint,
                                 credential_process, SSO or STS output (JSON/XML, detected),
                                 AWS_* variable lines (KEY=value, as `export` prints them), or a
                                 shared credentials/config file (see --profile)
    --profile NAME               Profile to read from --credentials FILE, or for the default
                                 chain (like AWS_PROFILE; default: default)
";

/// The credential options of one command line.
#[derive(Default)]
pub(crate) struct CredArgs {
    akid: Option<String>,
    secret: Option<String>,
    token: Option<String>,
    file: Option<String>,
    pub(crate) profile: Option<String>,
}

/// Credentials and a few words on where they came from.
pub(crate) struct Loaded {
    pub(crate) credentials: Credentials,
    pub(crate) origin: String,
}

impl CredArgs {
    /// Consumes `arg` (and its value) when it is a credential option.
    pub(crate) fn take(&mut self, arg: &str, args: &mut Args) -> Result<bool, Failure> {
        let slot = match arg {
            "--access-key-id" => &mut self.akid,
            "--secret-access-key" => &mut self.secret,
            "--session-token" => &mut self.token,
            "--credentials" => &mut self.file,
            "--profile" => &mut self.profile,
            _ => return Ok(false),
        };
        *slot = Some(args.value(arg)?);
        Ok(true)
    }

    fn flags(&self) -> Result<Option<Loaded>, Failure> {
        let (akid, secret) = match (&self.akid, &self.secret) {
            (None, None) if self.token.is_some() => {
                return Err(usage(
                    "--session-token needs --access-key-id and --secret-access-key",
                ))
            }
            (None, None) => return Ok(None),
            (Some(a), Some(s)) => (a, s),
            (Some(_), None) => {
                return Err(usage(
                    "--secret-access-key is required with --access-key-id",
                ))
            }
            (None, Some(_)) => {
                return Err(usage(
                    "--access-key-id is required with --secret-access-key",
                ))
            }
        };
        if self.file.is_some() {
            return Err(usage(
                "give either --access-key-id/--secret-access-key or --credentials, not both",
            ));
        }
        let credentials = Credentials::builder(akid.as_str(), secret.as_str())
            .session_token_opt(self.token.clone())
            .build()
            .map_err(|e| usage(format!("credentials: {e}")))?;
        Ok(Some(Loaded {
            credentials,
            origin: "the command line".into(),
        }))
    }

    /// Static credentials from the flags or `--credentials FILE`, if either was given.
    pub(crate) fn fixed(&self) -> Result<Option<Loaded>, Failure> {
        if let Some(l) = self.flags()? {
            return Ok(Some(l));
        }
        match &self.file {
            Some(path) => from_file(path, self.profile.as_deref()).map(Some),
            None => Ok(None),
        }
    }

    /// The credentials to use once: the flags, the file, or one fetch of the default chain.
    pub(crate) fn load(&self) -> Result<Loaded, Failure> {
        match self.fixed()? {
            Some(l) => Ok(l),
            None => from_chain(self.profile.as_deref()),
        }
    }

    /// Credentials for a command that may need them again: fixed ones, or the default chain
    /// behind a refreshing [`CredentialCache`].
    pub(crate) fn provider(&self, skew: Option<Arc<ClockSkew>>) -> Result<Provider, Failure> {
        Ok(match self.fixed()? {
            Some(l) => Provider::Fixed(l),
            None => {
                let plan = plan_chain(self.profile.as_deref())?;
                let origin = chain_origin(&plan);
                // One command line makes at most a few fetches: a 1-second minimum between
                // refreshes (instead of 30 s) lets a retry after ExpiredToken refetch at once.
                let policy = RefreshPolicy::builder()
                    .min_refresh_interval(Duration::from_secs(1))
                    .build()
                    .map_err(|e| fail(format!("refresh policy: {e}")))?;
                Provider::Chain(Box::new(ChainProvider {
                    cache: CredentialCache::new(policy),
                    source: plan.into_source(),
                    host: RealHost { skew, requests: 0 },
                    rng: Rng::from_entropy(),
                    origin,
                }))
            }
        })
    }
}

/// Reads a credentials document; the core's `parse_any_profile` detects its format (JSON, XML,
/// `KEY=value` lines, a shared credentials or config file, from which `profile`, default
/// `default`, is taken).
pub(crate) fn from_file(path: &str, profile: Option<&str>) -> Result<Loaded, Failure> {
    let bytes = std::fs::read(path).map_err(|e| fail(format!("cannot read {path}: {e}")))?;
    let name = profile.unwrap_or("default");
    let (format, credentials) = parse_any_profile(&bytes, name).map_err(|e| match e {
        DocumentError::ProfileWithoutKeys { .. } => fail(format!(
            "{path}: {e} (drop --credentials, use --profile {name})"
        )),
        e => fail(format!("{path}: {e}")),
    })?;
    let origin = match format {
        DocumentFormat::CredentialsFile | DocumentFormat::ConfigFile => {
            format!("{path} (profile {name})")
        }
        DocumentFormat::Environment => format!("{path} (environment variables)"),
        _ => format!("{path} ({format})"),
    };
    Ok(Loaded {
        credentials,
        origin,
    })
}

/// Plans the default chain from this process's environment and shared files. `profile`
/// overrides `AWS_PROFILE`.
pub(crate) fn plan_chain(profile: Option<&str>) -> Result<ChainPlan, Failure> {
    plan_chain_with_files(profile).map(|(plan, _)| plan)
}

/// [`plan_chain`], and which shared files were read (`path (found)`, `path (not found)`).
pub(crate) fn plan_chain_with_files(
    profile: Option<&str>,
) -> Result<(ChainPlan, Vec<String>), Failure> {
    let mut env = host::environment();
    if let Some(p) = profile {
        env.insert("AWS_PROFILE".into(), p.into());
    }
    let (credentials, config) = host::shared_files(&env)?;
    let files = [&credentials, &config]
        .iter()
        .filter_map(|f| {
            let p = f.path.as_ref()?;
            let state = if f.text.is_some() {
                "read"
            } else {
                "not found"
            };
            Some(format!("{} ({state})", p.display()))
        })
        .collect();
    let plan = chain::plan(&env, credentials.text.as_deref(), config.text.as_deref());
    Ok((plan, files))
}

fn chain_origin(plan: &ChainPlan) -> String {
    match plan.winner() {
        Some(w) => format!("the default chain ({w})"),
        None => "the default chain".into(),
    }
}

fn chain_error(e: &SourceError) -> Failure {
    fail(format!(
        "no credentials from the default chain: {e} (run `sigfresh credentials` to see why)"
    ))
}

/// One fetch of the default chain.
pub(crate) fn from_chain(profile: Option<&str>) -> Result<Loaded, Failure> {
    let plan = plan_chain(profile)?;
    let origin = chain_origin(&plan);
    let mut source = plan.into_source();
    let mut host = RealHost::default();
    let credentials = drive::fetch(&mut source, &mut host, Rng::from_entropy().jitter())
        .map_err(|e| chain_error(&e))?;
    Ok(Loaded {
        credentials,
        origin,
    })
}

/// Credentials that may be asked for again (and refreshed) during one command.
pub(crate) enum Provider {
    /// From the flags or a file: never refreshed.
    Fixed(Loaded),
    /// The default chain behind a refreshing cache.
    Chain(Box<ChainProvider>),
}

/// The default chain's source, its cache, and the host that drives it.
pub(crate) struct ChainProvider {
    cache: CredentialCache,
    source: ChainSource,
    host: RealHost,
    rng: Rng,
    origin: String,
}

impl ChainProvider {
    fn current(&mut self) -> Result<Credentials, Failure> {
        let rng = &mut self.rng;
        drive::credentials(&self.cache, &mut self.source, &mut self.host, || {
            rng.jitter()
        })
        .map_err(|e| match &e.error {
            Some(source_error) => chain_error(source_error),
            None => fail(format!("no credentials from {}: {e}", self.origin)),
        })
    }
}

impl Provider {
    /// The credentials to sign with now.
    pub(crate) fn current(&mut self) -> Result<Credentials, Failure> {
        match self {
            Provider::Fixed(l) => Ok(l.credentials.clone()),
            Provider::Chain(c) => c.current(),
        }
    }

    /// After AWS said `credentials` expired: drop them so the next [`Provider::current`]
    /// refreshes. False when they cannot be refreshed (fixed credentials).
    pub(crate) fn invalidate(&mut self, credentials: &Credentials) -> bool {
        match self {
            Provider::Fixed(_) => false,
            Provider::Chain(c) => {
                c.cache.invalidate_if_current(credentials.access_key_id());
                true
            }
        }
    }

    /// Where the credentials come from, for messages.
    pub(crate) fn origin(&self) -> &str {
        match self {
            Provider::Fixed(l) => &l.origin,
            Provider::Chain(c) => &c.origin,
        }
    }
}
