//! The pure decision: given a policy, the cached credentials and the (skew-corrected) time, is
//! it time to refresh?

use super::backoff::static_stability_delay_millis;
use super::policy::{millis, Jitter, RefreshPolicy};
use crate::credentials::{CredentialSource, Credentials};
use crate::time::Timestamp;

/// Credentials as installed in a cache: the credentials, when they were installed, the jitter
/// drawn for them, and whether IMDS static stability has extended their use.
///
/// The jitter is drawn once, at install time, and stored here, so every caller that looks at
/// the same entry computes the same [`refresh_at`](Self::refresh_at).
#[derive(Clone, Debug)]
pub struct CachedEntry {
    credentials: Credentials,
    installed_at: Timestamp,
    jitter: Jitter,
    stale_retry_at: Option<Timestamp>,
}

impl CachedEntry {
    /// An entry for credentials installed at `installed_at` with a freshly drawn `jitter`.
    pub fn new(credentials: Credentials, installed_at: Timestamp, jitter: Jitter) -> Self {
        CachedEntry {
            credentials,
            installed_at,
            jitter,
            stale_retry_at: None,
        }
    }

    /// The credentials.
    pub fn credentials(&self) -> &Credentials {
        &self.credentials
    }
    /// When the entry was installed.
    pub fn installed_at(&self) -> Timestamp {
        self.installed_at
    }
    /// The jitter drawn at install time.
    pub fn jitter(&self) -> Jitter {
        self.jitter
    }
    /// When static stability extended the use of these (expired or expiring) IMDS credentials,
    /// the time of the next refresh attempt; `None` otherwise.
    pub fn stale_retry_at(&self) -> Option<Timestamp> {
        self.stale_retry_at
    }

    /// When a background refresh becomes due: `expiry - refresh_window - jitter * span`, or
    /// `installed_at + max_age - jitter * span` without an expiry (`span` is the policy's
    /// jitter share of the refresh window). Jitter only ever moves the refresh earlier.
    pub fn refresh_at(&self, policy: &RefreshPolicy) -> Timestamp {
        let early = self.jitter.scale_millis(policy.jitter_span_millis());
        let nominal = match self.credentials.expiry() {
            Some(e) => e.offset_millis(-millis(policy.refresh_window())),
            None => self
                .installed_at
                .offset_millis(millis(policy.max_age_without_expiry())),
        };
        nominal.offset_millis(-early)
    }

    /// When callers must start waiting for fresh credentials: `expiry - mandatory_window`;
    /// `None` for credentials without an expiry.
    pub fn mandatory_at(&self, policy: &RefreshPolicy) -> Option<Timestamp> {
        let w = millis(policy.mandatory_window());
        self.credentials.expiry().map(|e| e.offset_millis(-w))
    }

    /// Whether these credentials follow IMDS static stability: they came from
    /// [`CredentialSource::InstanceMetadata`] and the policy enables it. Never true for any
    /// other source.
    pub fn follows_static_stability(&self, policy: &RefreshPolicy) -> bool {
        policy.imds_static_stability()
            && *self.credentials.source() == CredentialSource::InstanceMetadata
    }

    /// For IMDS credentials under static stability: a copy whose use is extended past expiry,
    /// with the next refresh attempt `static_stability_interval * (1 + jitter)` after `now`.
    /// `None` for every other source: their expiry is never extended.
    pub fn with_stale_extension(
        &self,
        policy: &RefreshPolicy,
        now: Timestamp,
        jitter: Jitter,
    ) -> Option<CachedEntry> {
        if !self.follows_static_stability(policy) {
            return None;
        }
        let retry_at = now.offset_millis(static_stability_delay_millis(policy, jitter));
        Some(CachedEntry {
            stale_retry_at: Some(retry_at),
            ..self.clone()
        })
    }
}

/// What the cached credentials allow at a given instant. Boundaries are inclusive on the later
/// side: at exactly `refresh_at` a refresh is advised, at exactly `expiry - mandatory_window` it
/// is required, and at exactly `expiry` the credentials are expired.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RefreshDecision {
    /// Use the credentials; nothing to do until `refresh_at`.
    Fresh {
        /// When a background refresh becomes due.
        refresh_at: Timestamp,
    },
    /// Use the credentials; one caller should refresh in the background.
    RefreshAdvised {
        /// When the credentials expire (`None`: they do not, but are older than the maximum
        /// age).
        expires_at: Option<Timestamp>,
    },
    /// The credentials are inside the mandatory window: still valid until `expires_at`, but a
    /// caller should wait for a refresh before signing. A cache hands them out anyway when no
    /// refresh can be made right now (the last one failed and is backing off).
    RefreshRequired {
        /// When the credentials expire.
        expires_at: Timestamp,
    },
    /// IMDS static stability: the credentials expired but IMDS is failing, so they are still
    /// used. Log a warning. The next refresh attempt is at `retry_at`.
    StaleButUsable {
        /// When the credentials expired.
        expired_at: Timestamp,
        /// When the next refresh attempt is due.
        retry_at: Timestamp,
    },
    /// The credentials expired; they must not be used.
    Expired {
        /// When they expired.
        expired_at: Timestamp,
    },
    /// No credentials are cached.
    Missing,
}

impl RefreshDecision {
    /// Whether cached credentials exist that may be signed with when no refresh can be made
    /// right now: `Fresh`, `RefreshAdvised`, `RefreshRequired` (not yet expired) and
    /// `StaleButUsable`.
    pub fn usable(&self) -> bool {
        !matches!(
            self,
            RefreshDecision::Expired { .. } | RefreshDecision::Missing
        )
    }

    /// Whether a caller must wait for a refresh before signing: `RefreshRequired`, `Expired`,
    /// `Missing`.
    pub fn must_wait(&self) -> bool {
        matches!(
            self,
            RefreshDecision::RefreshRequired { .. }
                | RefreshDecision::Expired { .. }
                | RefreshDecision::Missing
        )
    }

    /// Whether a refresh is due at `now`: everything except `Fresh` and a `StaleButUsable`
    /// whose retry time has not come.
    pub fn wants_refresh(&self, now: Timestamp) -> bool {
        match self {
            RefreshDecision::Fresh { .. } => false,
            RefreshDecision::StaleButUsable { retry_at, .. } => now >= *retry_at,
            _ => true,
        }
    }

    /// When a host should next wake to refresh: `refresh_at` for `Fresh`, `retry_at` for
    /// `StaleButUsable`, and `None` (now) otherwise.
    pub fn next_refresh_at(&self) -> Option<Timestamp> {
        match self {
            RefreshDecision::Fresh { refresh_at } => Some(*refresh_at),
            RefreshDecision::StaleButUsable { retry_at, .. } => Some(*retry_at),
            _ => None,
        }
    }
}

/// The decision for `cached` at `now`. `now` must be the skew-corrected time (pass
/// `skew.corrected(local_now)`): expiry is judged against the server's clock.
///
/// ```
/// use sigfresh::credentials::Credentials;
/// use sigfresh::refresh::{decide, CachedEntry, Jitter, RefreshDecision, RefreshPolicy};
/// use sigfresh::time::Timestamp;
/// let policy = RefreshPolicy::default();
/// let t0 = Timestamp::from_unix_seconds(1_700_000_000);
/// let creds = Credentials::builder("ASIAEXAMPLE", "secret")
///     .expiry(t0.offset_millis(3_600_000))
///     .build()
///     .unwrap();
/// let entry = CachedEntry::new(creds, t0, Jitter::ZERO);
/// assert_eq!(
///     decide(&policy, Some(&entry), t0),
///     RefreshDecision::Fresh { refresh_at: t0.offset_millis(3_300_000) }
/// );
/// assert_eq!(decide(&policy, None, t0), RefreshDecision::Missing);
/// ```
pub fn decide(
    policy: &RefreshPolicy,
    cached: Option<&CachedEntry>,
    now: Timestamp,
) -> RefreshDecision {
    let Some(entry) = cached else {
        return RefreshDecision::Missing;
    };
    let refresh_at = entry.refresh_at(policy);
    let Some(expiry) = entry.credentials.expiry() else {
        return if now < refresh_at {
            RefreshDecision::Fresh { refresh_at }
        } else {
            RefreshDecision::RefreshAdvised { expires_at: None }
        };
    };
    if now >= expiry {
        // Only IMDS entries under static stability ever carry `stale_retry_at`; re-check the
        // policy so that turning it off takes effect for existing entries too.
        return match entry.stale_retry_at {
            Some(retry_at) if entry.follows_static_stability(policy) => {
                RefreshDecision::StaleButUsable {
                    expired_at: expiry,
                    retry_at,
                }
            }
            _ => RefreshDecision::Expired { expired_at: expiry },
        };
    }
    if now >= expiry.offset_millis(-millis(policy.mandatory_window())) {
        RefreshDecision::RefreshRequired { expires_at: expiry }
    } else if now >= refresh_at {
        RefreshDecision::RefreshAdvised {
            expires_at: Some(expiry),
        }
    } else {
        RefreshDecision::Fresh { refresh_at }
    }
}

/// When a host holding `cached` should next wake to refresh (`None`: now). The same as
/// `decide(policy, cached, now).next_refresh_at()` while the entry is fresh.
pub fn next_refresh_at(policy: &RefreshPolicy, cached: Option<&CachedEntry>) -> Option<Timestamp> {
    let entry = cached?;
    match entry.stale_retry_at {
        // Extended IMDS credentials: the static-stability retry time.
        Some(retry_at) if entry.follows_static_stability(policy) => Some(retry_at),
        _ => Some(entry.refresh_at(policy)),
    }
}

#[cfg(test)]
#[path = "decision_tests.rs"]
mod tests;
