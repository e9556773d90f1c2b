//! What [`CredentialCache`](super::CredentialCache) tells its callers: [`Access`] from `get`,
//! [`Completion`] from the `complete_*` methods, and the [`RefreshLease`] token.

use super::backoff::Failure;
use super::decision::RefreshDecision;
use crate::credentials::Credentials;
use crate::time::Timestamp;

/// The right to refresh, held by exactly one caller at a time. Hand it back with
/// [`CredentialCache::complete_success`](super::CredentialCache::complete_success), [`CredentialCache::complete_failure`](super::CredentialCache::complete_failure) or
/// [`CredentialCache::release`](super::CredentialCache::release). A lease that is never completed expires at
/// [`deadline`](Self::deadline); after that another caller may be given a new one.
#[must_use = "complete the lease, or other callers wait until it expires"]
#[derive(Debug)]
pub struct RefreshLease {
    pub(super) cache: u64,
    pub(super) id: u64,
    pub(super) installs_at_issue: u64,
    pub(super) issued_at: Timestamp,
    pub(super) deadline: Timestamp,
}

impl RefreshLease {
    /// When the lease was handed out.
    pub fn issued_at(&self) -> Timestamp {
        self.issued_at
    }
    /// After this instant another caller may take over.
    pub fn deadline(&self) -> Timestamp {
        self.deadline
    }
}

/// What a caller should do, from [`CredentialCache::get`](super::CredentialCache::get).
#[derive(Debug)]
#[non_exhaustive]
pub enum Access {
    /// Sign with `credentials`. `decision` says how fresh they are (log a warning on
    /// [`RefreshDecision::StaleButUsable`]). With a `lease`, this caller was chosen to refresh
    /// in the background: start a fetch and complete the lease when it ends.
    Use {
        /// The credentials to sign with.
        credentials: Credentials,
        /// How fresh they are.
        decision: RefreshDecision,
        /// Set when this caller should refresh in the background.
        lease: Option<RefreshLease>,
    },
    /// No credentials may be used until a refresh completes, and this caller must do it: fetch
    /// now, complete the lease, then call `get` again.
    Refresh {
        /// The lease to complete.
        lease: RefreshLease,
        /// Why a refresh is needed (`Missing`, `Expired` or `RefreshRequired`).
        decision: RefreshDecision,
    },
    /// Another caller is refreshing (or a refresh is not yet allowed). Call `get` again at
    /// `until`, or block in [`CredentialCache::wait_for_change`](super::CredentialCache::wait_for_change) with `generation`.
    Wait {
        /// When to call `get` again at the latest: the first instant the lease in flight has
        /// expired (its [`deadline`](RefreshLease::deadline) + 1 ms), or the next allowed
        /// refresh. At `until` a refresh is possible unless a completion arrived first.
        until: Timestamp,
        /// The state generation to wait on.
        generation: u64,
    },
    /// No usable credentials, and the last refresh failed; that failure is cached until
    /// `retry_at`. Fail the request (or wait).
    Failed {
        /// The last failure.
        failure: Failure,
        /// When the next refresh attempt is allowed.
        retry_at: Timestamp,
        /// The state generation to wait on.
        generation: u64,
    },
}

/// What a completion did, from the `complete_*` and [`install`](super::CredentialCache::install)
/// methods.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Completion {
    /// New credentials were installed.
    Installed {
        /// When the next refresh is due.
        next_refresh_at: Timestamp,
    },
    /// The source returned the credentials already cached (same access key id and expiry, as
    /// IMDS does before it rotates); they are kept and the next refresh waits at least the
    /// minimum refresh interval.
    Unchanged {
        /// When the next refresh is allowed.
        next_refresh_at: Timestamp,
    },
    /// The refresh failed; the last good credentials are kept. Next attempt at `retry_at`.
    Failed {
        /// When the next attempt is allowed.
        retry_at: Timestamp,
    },
    /// IMDS static stability: the credentials are (or will be) used past their expiry because
    /// IMDS is failing or returned expired credentials. Log a warning.
    StaleExtended {
        /// When the next attempt is due.
        retry_at: Timestamp,
    },
    /// The source returned credentials that had already expired (and static stability does not
    /// apply); they were not installed, and this counts as a retryable failure.
    RejectedExpired {
        /// When the next attempt is allowed.
        retry_at: Timestamp,
    },
    /// The lease was no longer valid (another caller took over and newer credentials were
    /// installed since it was issued, or it belongs to another cache). Nothing changed.
    Superseded,
}
