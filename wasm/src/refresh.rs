//! The refresh policy and the core's [`CredentialCache`](sigfresh::refresh::CredentialCache)
//! behind a JS handle. The JS wrapper reads the clock and the random jitter, runs the provider,
//! and does what [`CredentialCache::get`] says; every decision is the core's.

use crate::credentials::{is_whole, millis, millis_text, timestamp, Credentials};
use crate::error::{self, failure_name, ErrorInfo, Res};
use crate::pack::Out;
use crate::prelude::*;
use core::time::Duration;
use sigfresh::credentials::Credentials as CoreCredentials;
use sigfresh::refresh::{self, Access, Completion, Failure, Jitter, RefreshDecision};
use wasm_bindgen::prelude::*;

/// [`CredentialCache::get`] result bits: the kind in the low nibble, then flags.
const USE: u32 = 1;
const REFRESH: u32 = 2;
const WAIT: u32 = 3;
const FAILED: u32 = 4;
const HAS_LEASE: u32 = 16;
const NEW_CREDENTIALS: u32 = 32;
const STALE: u32 = 64;

fn duration(ms: f64, what: &str) -> Result<Duration, ErrorInfo> {
    if !is_whole(ms) || ms < 0.0 {
        return Err(ErrorInfo::argument(
            "ERR_INVALID_ARG_VALUE",
            format!("{what} must be a whole, non-negative number of milliseconds"),
        ));
    }
    Ok(Duration::from_millis(ms as u64))
}

fn ms(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// The refresh policy (the core's `RefreshPolicy`); absent settings keep the core's defaults.
#[wasm_bindgen]
pub struct RefreshPolicy {
    inner: refresh::RefreshPolicy,
}

#[wasm_bindgen]
impl RefreshPolicy {
    /// Builds and validates a policy; durations are milliseconds.
    #[wasm_bindgen(constructor)]
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        refresh_window: Option<f64>,
        mandatory_window: Option<f64>,
        refresh_jitter_percent: Option<f64>,
        max_age_without_expiry: Option<f64>,
        backoff_initial: Option<f64>,
        backoff_max: Option<f64>,
        min_refresh_interval: Option<f64>,
        lease_timeout: Option<f64>,
        non_retryable_ttl: Option<f64>,
        imds_static_stability: Option<bool>,
        static_stability_interval: Option<f64>,
    ) -> Res<RefreshPolicy> {
        type Setter = fn(refresh::RefreshPolicyBuilder, Duration) -> refresh::RefreshPolicyBuilder;
        let mut b = refresh::RefreshPolicy::builder();
        let durations: [(Option<f64>, &str, Setter); 9] = [
            (refresh_window, "refreshWindowMs", |b, d| {
                b.refresh_window(d)
            }),
            (mandatory_window, "mandatoryWindowMs", |b, d| {
                b.mandatory_window(d)
            }),
            (max_age_without_expiry, "maxAgeWithoutExpiryMs", |b, d| {
                b.max_age_without_expiry(d)
            }),
            (backoff_initial, "backoffInitialMs", |b, d| {
                b.backoff_initial(d)
            }),
            (backoff_max, "backoffMaxMs", |b, d| b.backoff_max(d)),
            (min_refresh_interval, "minRefreshIntervalMs", |b, d| {
                b.min_refresh_interval(d)
            }),
            (lease_timeout, "leaseTimeoutMs", |b, d| b.lease_timeout(d)),
            (non_retryable_ttl, "nonRetryableTtlMs", |b, d| {
                b.non_retryable_ttl(d)
            }),
            (
                static_stability_interval,
                "staticStabilityIntervalMs",
                |b, d| b.static_stability_interval(d),
            ),
        ];
        for (value, name, set) in durations {
            if let Some(v) = value {
                b = set(b, duration(v, name)?);
            }
        }
        if let Some(p) = refresh_jitter_percent {
            if !(0.0..=255.0).contains(&p) || !is_whole(p) {
                return Err(ErrorInfo::argument(
                    "ERR_INVALID_ARG_VALUE",
                    "refreshJitterPercent must be a whole number from 0 to 100",
                )
                .into());
            }
            b = b.refresh_jitter_percent(p as u8);
        }
        if let Some(on) = imds_static_stability {
            b = b.imds_static_stability(on);
        }
        let inner = b.build().map_err(|e| error::policy(&e))?;
        Ok(RefreshPolicy { inner })
    }

    /// The settings as NUL-joined `name\0milliseconds` items (booleans as 0/1), in the order
    /// of the constructor.
    pub fn describe(&self) -> String {
        let p = &self.inner;
        let items = [
            ("refreshWindowMs", ms(p.refresh_window())),
            ("mandatoryWindowMs", ms(p.mandatory_window())),
            (
                "refreshJitterPercent",
                u64::from(p.refresh_jitter_percent()),
            ),
            ("maxAgeWithoutExpiryMs", ms(p.max_age_without_expiry())),
            ("backoffInitialMs", ms(p.backoff_initial())),
            ("backoffMaxMs", ms(p.backoff_max())),
            ("minRefreshIntervalMs", ms(p.min_refresh_interval())),
            ("leaseTimeoutMs", ms(p.lease_timeout())),
            ("nonRetryableTtlMs", ms(p.non_retryable_ttl())),
            ("imdsStaticStability", u64::from(p.imds_static_stability())),
            (
                "staticStabilityIntervalMs",
                ms(p.static_stability_interval()),
            ),
        ];
        let mut out = Out::with_capacity(320);
        for (name, value) in items {
            out.item(name);
            out.item(&value.to_string());
        }
        out.text
    }
}

/// The right to refresh, handed out by [`CredentialCache::get`]; complete it once.
#[wasm_bindgen]
pub struct Lease {
    inner: Option<refresh::RefreshLease>,
}

impl Lease {
    fn take(&mut self) -> Result<refresh::RefreshLease, ErrorInfo> {
        self.inner.take().ok_or_else(|| {
            ErrorInfo::argument("ERR_LEASE_USED", "this refresh lease was already completed")
        })
    }
}

#[wasm_bindgen]
impl Lease {
    /// When another caller may take over (epoch ms).
    #[wasm_bindgen(getter)]
    pub fn deadline(&self) -> f64 {
        self.inner
            .as_ref()
            .map_or(f64::NAN, |l| millis(l.deadline()))
    }
}

/// What a completion did, packed as `kind\0at`: the kind (`installed`, `unchanged`,
/// `failed`, `stale-extended`, `rejected-expired`, `superseded`) and the next refresh or retry
/// time (epoch ms; empty when the kind has none).
fn completed(c: Completion) -> String {
    let (kind, at) = match c {
        Completion::Installed { next_refresh_at } => ("installed", Some(next_refresh_at)),
        Completion::Unchanged { next_refresh_at } => ("unchanged", Some(next_refresh_at)),
        Completion::Failed { retry_at } => ("failed", Some(retry_at)),
        Completion::StaleExtended { retry_at } => ("stale-extended", Some(retry_at)),
        Completion::RejectedExpired { retry_at } => ("rejected-expired", Some(retry_at)),
        _ => ("superseded", None),
    };
    let mut o = Out::with_capacity(32);
    o.item(kind);
    o.item(&at.map(millis_text).unwrap_or_default());
    o.text
}

/// A refresh decision packed as `kind\0at\0expires_at`: the kind (`fresh`,
/// `refresh-advised`, `refresh-required`, `stale-but-usable`, `expired`, `missing`), its
/// refresh/retry time and the expiry (epoch ms, empty when absent).
fn decision(d: RefreshDecision) -> String {
    let (kind, at, expires_at) = match d {
        RefreshDecision::Fresh { refresh_at } => ("fresh", Some(refresh_at), None),
        RefreshDecision::RefreshAdvised { expires_at } => ("refresh-advised", None, expires_at),
        RefreshDecision::RefreshRequired { expires_at } => {
            ("refresh-required", None, Some(expires_at))
        }
        RefreshDecision::StaleButUsable {
            expired_at,
            retry_at,
        } => ("stale-but-usable", Some(retry_at), Some(expired_at)),
        RefreshDecision::Expired { expired_at } => ("expired", None, Some(expired_at)),
        _ => ("missing", None, None),
    };
    let mut o = Out::with_capacity(48);
    o.item(kind);
    o.item(&at.map(millis_text).unwrap_or_default());
    o.item(&expires_at.map(millis_text).unwrap_or_default());
    o.text
}

/// The core's credential cache, plus the parts of the last [`CredentialCache::get`] answer
/// for the JS side to take.
#[wasm_bindgen]
pub struct CredentialCache {
    inner: refresh::CredentialCache,
    /// The credentials last handed to JS (so an unchanged value is not converted again).
    handed: Option<CoreCredentials>,
    pending_credentials: Option<CoreCredentials>,
    pending_lease: Option<refresh::RefreshLease>,
    at: f64,
    failure: Option<Failure>,
}

#[wasm_bindgen]
impl CredentialCache {
    /// An empty cache with `policy`.
    #[wasm_bindgen(constructor)]
    pub fn new(policy: &RefreshPolicy) -> CredentialCache {
        CredentialCache {
            inner: refresh::CredentialCache::new(policy.inner.clone()),
            handed: None,
            pending_credentials: None,
            pending_lease: None,
            at: f64::NAN,
            failure: None,
        }
    }

    /// The core's `get(now)`, as bits: kind (1 use, 2 refresh, 3 wait, 4 failed) | 16 a lease
    /// is waiting in [`take_lease`](Self::take_lease) | 32 new credentials are waiting in
    /// [`take_credentials`](Self::take_credentials) (otherwise the last ones handed out) | 64
    /// the credentials are stale (IMDS static stability). `at` holds the wait/retry time.
    pub fn get(&mut self, now_ms: f64) -> Res<u32> {
        let now = timestamp(now_ms, "now")?;
        self.pending_credentials = None;
        self.pending_lease = None;
        self.at = f64::NAN;
        self.failure = None;
        Ok(match self.inner.get(now) {
            Access::Use {
                credentials,
                decision,
                lease,
            } => {
                let mut bits = USE;
                if matches!(decision, RefreshDecision::StaleButUsable { .. }) {
                    bits |= STALE;
                }
                bits | self.stash(credentials, lease)
            }
            Access::Refresh { lease, .. } => {
                self.pending_lease = Some(lease);
                REFRESH | HAS_LEASE
            }
            Access::Wait { until, .. } => {
                self.at = millis(until);
                WAIT
            }
            Access::Failed {
                failure, retry_at, ..
            } => {
                self.at = millis(retry_at);
                self.failure = Some(failure);
                FAILED
            }
            // `Access` may grow variants: treat an unknown one as "try again now".
            _ => {
                self.at = now_ms;
                WAIT
            }
        })
    }

    fn stash(&mut self, credentials: CoreCredentials, lease: Option<refresh::RefreshLease>) -> u32 {
        let mut bits = 0;
        if lease.is_some() {
            bits |= HAS_LEASE;
        }
        self.pending_lease = lease;
        let same = self.handed.as_ref().is_some_and(|h| h.ptr_eq(&credentials));
        if !same {
            self.handed = Some(credentials.clone());
            self.pending_credentials = Some(credentials);
            bits |= NEW_CREDENTIALS;
        }
        bits
    }

    /// The credentials of the last `get`, when it flagged new ones.
    pub fn take_credentials(&mut self) -> Option<Credentials> {
        self.pending_credentials.take().map(Credentials::wrap)
    }
    /// The lease of the last `get`, when it flagged one.
    pub fn take_lease(&mut self) -> Option<Lease> {
        self.pending_lease.take().map(|l| Lease { inner: Some(l) })
    }
    /// The wait-until or retry-at time of the last `get` (epoch ms; NaN when none).
    #[wasm_bindgen(getter)]
    pub fn at(&self) -> f64 {
        self.at
    }
    /// The failure kind of a `failed` answer.
    #[wasm_bindgen(getter)]
    pub fn failure(&self) -> Option<String> {
        self.failure.map(|f| failure_name(f).to_owned())
    }

    /// Completes `lease` with fresh credentials.
    pub fn complete_success(
        &self,
        lease: &mut Lease,
        credentials: &Credentials,
        now_ms: f64,
        jitter: f64,
    ) -> Res<String> {
        let now = timestamp(now_ms, "now")?;
        let lease = lease.take()?;
        Ok(completed(self.inner.complete_success(
            lease,
            credentials.inner.clone(),
            now,
            Jitter::from_fraction(jitter),
        )))
    }

    /// Completes `lease` with a failure: `retryable`, `non-retryable`, `throttled` (with an
    /// optional `Retry-After` in ms) or `unavailable`.
    pub fn complete_failure(
        &self,
        lease: &mut Lease,
        failure: &str,
        retry_after_ms: Option<f64>,
        now_ms: f64,
        jitter: f64,
    ) -> Res<String> {
        let now = timestamp(now_ms, "now")?;
        let failure = match failure {
            "retryable" => Failure::Retryable,
            "non-retryable" => Failure::NonRetryable,
            "unavailable" => Failure::SourceUnavailable,
            "throttled" => Failure::Throttled {
                retry_after: retry_after_ms
                    .map(|m| duration(m, "retryAfterMs"))
                    .transpose()?,
            },
            other => {
                return Err(ErrorInfo::argument(
                    "ERR_INVALID_ARG_VALUE",
                    format!(
                        "unknown failure kind \"{other}\" (expected retryable, non-retryable, throttled or unavailable)"
                    ),
                )
                .into())
            }
        };
        let lease = lease.take()?;
        Ok(completed(self.inner.complete_failure(
            lease,
            failure,
            now,
            Jitter::from_fraction(jitter),
        )))
    }

    /// Gives `lease` back without an outcome; whether it was still current.
    pub fn release(&self, lease: &mut Lease) -> Res<bool> {
        Ok(self.inner.release(lease.take()?))
    }

    /// Installs credentials without a lease.
    pub fn install(&self, credentials: &Credentials, now_ms: f64, jitter: f64) -> Res<String> {
        let now = timestamp(now_ms, "now")?;
        Ok(completed(self.inner.install(
            credentials.inner.clone(),
            now,
            Jitter::from_fraction(jitter),
        )))
    }

    /// Drops the cached credentials if they are still the ones with this access key id.
    pub fn invalidate_if_current(&self, credentials: &Credentials) -> bool {
        self.inner
            .invalidate_if_current(credentials.inner.access_key_id())
    }

    /// When the next lease may be handed out (epoch ms), `undefined` for now.
    pub fn next_refresh_at(&self) -> Option<f64> {
        self.inner.next_refresh_at().map(millis)
    }

    /// The decision for the cached credentials at `now`.
    pub fn decision(&self, now_ms: f64) -> Res<String> {
        Ok(decision(self.inner.decision(timestamp(now_ms, "now")?)))
    }

    /// The last recorded failure kind, cleared by the next success.
    pub fn last_failure(&self) -> Option<String> {
        self.inner
            .last_failure()
            .map(|f| failure_name(f).to_owned())
    }

    /// The state generation (changes on every lease, completion and invalidation).
    pub fn generation(&self) -> f64 {
        self.inner.generation() as f64
    }
}
