//! `sigfresh credentials`: resolves the AWS default chain with real I/O and prints what the
//! core decided — which source won and why, the expiry, the next refresh, the trap warnings —
//! and, with `--watch`, keeps refreshing on the cache's schedule and prints each rotation.

use crate::args::{self, Args};
use crate::host::RealHost;
use crate::rng::Rng;
use crate::{clock, creds, fail, usage, write, Failure};
use sigfresh::credentials::Credentials;
use sigfresh::refresh::{
    Access, Completion, CredentialCache, RefreshDecision, RefreshLease, RefreshPolicy,
};
use sigfresh::source::drive::{self, BlockingHost};
use sigfresh::source::{ChainSource, Refreshes};
use std::io::Write;
use std::time::Duration;

pub(crate) const HELP: &str = "\
sigfresh credentials — resolve the AWS default credential chain and explain it

USAGE:
    sigfresh credentials [--profile NAME] [--watch [--watch-limit N]] [POLICY]

Follows the AWS default chain with real I/O, in AWS order: environment variables, web identity
token file, the profile in the shared files (AWS_SHARED_CREDENTIALS_FILE or ~/.aws/credentials,
AWS_CONFIG_FILE or ~/.aws/config: static keys, credential_process, role_arn via STS), the
container credentials endpoint, then EC2 instance metadata (IMDS). Prints which source won and
why each earlier one did not, the credentials (secret and token masked), when they expire,
when sigfresh would refresh them, and warnings for the classic traps (keys in the environment
shadowing the instance role, session tokens without expiry, pinned static keys).

OPTIONS:
    --profile NAME               The profile to use (like AWS_PROFILE)
    --watch                      Keep refreshing when the refresh cache says so, and print each
                                 refresh: rotations, unchanged answers, failures (Ctrl-C stops)
    --watch-limit N              With --watch: stop after N rotations (new credentials)

POLICY (the refresh cache's settings; defaults are sigfresh's):
    --refresh-window SECONDS     Refresh this long before expiry (default 300)
    --mandatory-window SECONDS   Inside this window, wait for a refresh (default 60)
    --min-refresh-interval SECONDS
                                 Never refresh again sooner than this (default 30)

EXAMPLES:
    # Which credentials would an SDK use here, and will they refresh?
    sigfresh credentials

    # On EC2: watch the instance role rotate (IMDS publishes new credentials before expiry)
    sigfresh credentials --watch

    # Against a local IMDS emulator
    AWS_EC2_METADATA_SERVICE_ENDPOINT=http://127.0.0.1:1338 sigfresh credentials
";

struct Options {
    profile: Option<String>,
    watch: bool,
    limit: Option<u64>,
    policy: RefreshPolicy,
}

fn parse(args: &[String]) -> Result<Options, Failure> {
    let mut o = Options {
        profile: None,
        watch: false,
        limit: None,
        policy: RefreshPolicy::default(),
    };
    let mut builder = RefreshPolicy::builder();
    let mut it = Args::new(args);
    let secs = |it: &mut Args, arg: &str| -> Result<Duration, Failure> {
        Ok(Duration::from_secs(
            it.number(arg, "a whole number of seconds")?,
        ))
    };
    while let Some(arg) = it.next_arg()? {
        match arg.as_str() {
            "--profile" => o.profile = Some(it.value(&arg)?),
            "--watch" => o.watch = true,
            "--watch-limit" => o.limit = Some(it.number(&arg, "a number of rotations")?),
            "--refresh-window" => builder = builder.refresh_window(secs(&mut it, &arg)?),
            "--mandatory-window" => builder = builder.mandatory_window(secs(&mut it, &arg)?),
            "--min-refresh-interval" => {
                builder = builder.min_refresh_interval(secs(&mut it, &arg)?)
            }
            s if args::is_option(s) => return Err(args::unknown(s)),
            s => return Err(usage(format!("unexpected argument {s:?}"))),
        }
    }
    it.finish()?;
    if o.limit.is_some() && !o.watch {
        return Err(usage("--watch-limit only applies with --watch"));
    }
    o.policy = builder
        .build()
        .map_err(|e| usage(format!("refresh policy: {e}")))?;
    Ok(o)
}

/// `******** (40 characters, masked)`.
fn masked(secret: &str) -> String {
    format!("******** ({} characters, masked)", secret.len())
}

struct Watcher {
    cache: CredentialCache,
    source: ChainSource,
    host: RealHost,
    rng: Rng,
}

impl Watcher {
    /// Fetches with `lease` and completes it; the fetch error, if any, for the message.
    fn refresh(&mut self, lease: RefreshLease) -> (Completion, Option<String>) {
        let result = drive::fetch(&mut self.source, &mut self.host, self.rng.jitter());
        let error = result.as_ref().err().map(ToString::to_string);
        let now = self.host.now();
        let c = drive::complete(&self.cache, lease, result, now, self.rng.jitter());
        (c, error)
    }

    fn current(&self) -> Option<Credentials> {
        self.cache.entry().map(|e| e.credentials().clone())
    }
}

/// Runs `sigfresh credentials`.
pub(crate) fn run(args: &[String], out: &mut dyn Write) -> Result<(), Failure> {
    let o = parse(args)?;
    let (plan, files) = creds::plan_chain_with_files(o.profile.as_deref())?;
    let mut w = Watcher {
        cache: CredentialCache::new(o.policy.clone()),
        source: plan.into_source(),
        host: RealHost::default(),
        rng: Rng::from_entropy(),
    };
    let first = match w.cache.get(w.host.now()) {
        Access::Refresh { lease, .. } => w.refresh(lease).1,
        _ => Some("the cache did not ask for a first fetch".into()),
    };
    let explanation = w.source.explain();
    let mut t = explanation.to_string();
    let Some(c) = w.current() else {
        write(out, t.as_bytes())?;
        return Err(fail(format!(
            "no credentials: {}",
            first.unwrap_or_else(|| "the fetch failed".into())
        )));
    };
    let now = w.host.now();
    let field = |t: &mut String, name: &str, value: &str| {
        t.push_str(&format!("{name:<20}{value}\n"));
    };
    t.push('\n');
    field(&mut t, "access key id:", c.access_key_id().as_str());
    field(
        &mut t,
        "secret access key:",
        &masked(c.secret_access_key().expose_secret()),
    );
    if let Some(tok) = c.session_token() {
        field(&mut t, "session token:", &masked(tok.expose_secret()));
    }
    if let Some(a) = c.account_id() {
        field(&mut t, "account id:", a);
    }
    match c.expiry() {
        Some(e) => field(
            &mut t,
            "expires:",
            &format!("{e} ({})", clock::relative(e, now)),
        ),
        None => field(&mut t, "expires:", "never (no expiry given)"),
    }
    let state = match w.cache.decision(now) {
        RefreshDecision::Fresh { .. } => "fresh".to_owned(),
        RefreshDecision::RefreshAdvised { .. } => "a refresh is due".to_owned(),
        RefreshDecision::RefreshRequired { .. } => {
            "expiring: inside the mandatory window, signing waits for a refresh".to_owned()
        }
        RefreshDecision::StaleButUsable { retry_at, .. } => {
            format!("EXPIRED, kept in use while IMDS fails (static stability); retry at {retry_at}")
        }
        RefreshDecision::Expired { .. } => "EXPIRED: requests will get ExpiredToken".to_owned(),
        _ => "unknown".to_owned(),
    };
    field(&mut t, "state:", &state);
    if let Some(next) = w.cache.next_refresh_at() {
        let why = match (explanation.refreshes(), c.expiry()) {
            (Some(Refreshes::Never), _) => {
                " (re-read then; these credentials never change)".to_owned()
            }
            (_, Some(e)) => format!(" ({} before expiry)", clock::human(e.millis_since(next))),
            _ => String::new(),
        };
        field(&mut t, "next refresh:", &format!("{next}{why}"));
    }
    if !files.is_empty() {
        field(&mut t, "shared files:", &files.join(", "));
    }
    write(out, t.as_bytes())?;
    if o.watch {
        watch(&mut w, o.limit, out)?;
    }
    Ok(())
}

fn watch(w: &mut Watcher, limit: Option<u64>, out: &mut dyn Write) -> Result<(), Failure> {
    write(
        out,
        b"\nwatching: refreshing when the cache says so (Ctrl-C to stop)\n",
    )?;
    let mut rotations = 0u64;
    loop {
        if limit.is_some_and(|l| rotations >= l) {
            return Ok(());
        }
        if let Some(at) = w.cache.next_refresh_at() {
            clock::sleep_until(at);
        }
        let now = w.host.now();
        let before = w.current();
        let lease = match w.cache.get(now) {
            Access::Use {
                lease: Some(lease), ..
            }
            | Access::Refresh { lease, .. } => lease,
            Access::Use { lease: None, .. } => {
                // Not due yet (the clock is a hair behind the schedule): look again shortly.
                std::thread::sleep(Duration::from_millis(50));
                continue;
            }
            Access::Wait { until, .. } => {
                clock::sleep_until(until);
                continue;
            }
            Access::Failed { retry_at, .. } => {
                clock::sleep_until(retry_at);
                continue;
            }
            _ => continue,
        };
        let (completion, error) = w.refresh(lease);
        let at = w.host.now();
        let line = match completion {
            Completion::Installed { next_refresh_at } => {
                rotations += 1;
                let new = w.current();
                let from = before.map_or("none".into(), |c| c.access_key_id().to_string());
                let (to, exp) = new.map_or(("?".into(), String::new()), |c| {
                    (
                        c.access_key_id().to_string(),
                        c.expiry()
                            .map_or(String::new(), |e| format!(", expires {e}")),
                    )
                });
                format!("{at}  rotated: {from} -> {to}{exp}; next refresh {next_refresh_at}")
            }
            Completion::Unchanged { next_refresh_at } => {
                format!(
                    "{at}  unchanged (the source has not rotated yet); next try {next_refresh_at}"
                )
            }
            Completion::Failed { retry_at } => format!(
                "{at}  refresh failed: {}; keeping the current credentials, retry at {retry_at}",
                error.unwrap_or_default()
            ),
            Completion::StaleExtended { retry_at } => format!(
                "{at}  source failing: keeping the expired IMDS credentials (static stability), \
                 retry at {retry_at}"
            ),
            Completion::RejectedExpired { retry_at } => format!(
                "{at}  the source returned expired credentials; not installed, retry at {retry_at}"
            ),
            _ => format!("{at}  refresh superseded"),
        };
        write(out, format!("{line}\n").as_bytes())?;
    }
}
