//! The plain C structs the cache answers with (decision, access, completion, failure) and
//! their conversions.

use crate::handle::{Error, Res};
use core::time::Duration;
use sigfresh::refresh::{Completion, Failure, RefreshDecision};
use sigfresh::time::Timestamp;

/// A refresh decision kind (`sigfresh_decision_kind`).
pub type sigfresh_decision_kind = u32;
/// Use the credentials; nothing to do until `refresh_at_ms`.
pub const SIGFRESH_DECISION_FRESH: sigfresh_decision_kind = 0;
/// Use them; one caller should refresh in the background.
pub const SIGFRESH_DECISION_REFRESH_ADVISED: sigfresh_decision_kind = 1;
/// Inside the mandatory window: still valid until `expires_at_ms`, but wait for a refresh.
pub const SIGFRESH_DECISION_REFRESH_REQUIRED: sigfresh_decision_kind = 2;
/// IMDS static stability: expired but still used; next attempt at `retry_at_ms`.
pub const SIGFRESH_DECISION_STALE_BUT_USABLE: sigfresh_decision_kind = 3;
/// Expired: must not be used.
pub const SIGFRESH_DECISION_EXPIRED: sigfresh_decision_kind = 4;
/// No credentials are cached.
pub const SIGFRESH_DECISION_MISSING: sigfresh_decision_kind = 5;
/// A decision this version of the ABI has no constant for.
pub const SIGFRESH_DECISION_OTHER: sigfresh_decision_kind = 99;

/// What the cached credentials allow at an instant. Fields not listed for a kind are 0.
#[repr(C)]
#[derive(Clone, Copy, Default)]
pub struct sigfresh_refresh_decision {
    /// SIGFRESH_DECISION_*.
    pub kind: sigfresh_decision_kind,
    /// FRESH: when a background refresh becomes due.
    pub refresh_at_ms: i64,
    /// REFRESH_ADVISED (when `has_expiry`), REFRESH_REQUIRED: the expiry; STALE_BUT_USABLE,
    /// EXPIRED: when they expired.
    pub expires_at_ms: i64,
    /// Whether `expires_at_ms` is set.
    pub has_expiry: bool,
    /// STALE_BUT_USABLE: the next refresh attempt.
    pub retry_at_ms: i64,
    /// Whether signing with the credentials is allowed when no refresh can be made now.
    pub usable: bool,
    /// Whether a caller must wait for a refresh before signing.
    pub must_wait: bool,
}

pub(crate) fn decision(d: RefreshDecision) -> sigfresh_refresh_decision {
    let mut out = sigfresh_refresh_decision {
        usable: d.usable(),
        must_wait: d.must_wait(),
        ..Default::default()
    };
    let mut expiry = |t: Timestamp| {
        out.expires_at_ms = t.unix_millis();
        out.has_expiry = true;
    };
    let kind = match d {
        RefreshDecision::Fresh { refresh_at } => {
            out.refresh_at_ms = refresh_at.unix_millis();
            SIGFRESH_DECISION_FRESH
        }
        RefreshDecision::RefreshAdvised { expires_at } => {
            expires_at.map(&mut expiry);
            SIGFRESH_DECISION_REFRESH_ADVISED
        }
        RefreshDecision::RefreshRequired { expires_at } => {
            expiry(expires_at);
            SIGFRESH_DECISION_REFRESH_REQUIRED
        }
        RefreshDecision::StaleButUsable {
            expired_at,
            retry_at,
        } => {
            expiry(expired_at);
            out.retry_at_ms = retry_at.unix_millis();
            SIGFRESH_DECISION_STALE_BUT_USABLE
        }
        RefreshDecision::Expired { expired_at } => {
            expiry(expired_at);
            SIGFRESH_DECISION_EXPIRED
        }
        RefreshDecision::Missing => SIGFRESH_DECISION_MISSING,
        _ => SIGFRESH_DECISION_OTHER,
    };
    out.kind = kind;
    out
}

/// A failure kind (`sigfresh_failure_kind`).
pub type sigfresh_failure_kind = u32;
/// A transient failure: back off and retry.
pub const SIGFRESH_FAILURE_RETRYABLE: sigfresh_failure_kind = 0;
/// Retrying will not help soon; cached for the non-retryable TTL.
pub const SIGFRESH_FAILURE_NON_RETRYABLE: sigfresh_failure_kind = 1;
/// The source throttled; `retry_after_ms` when it said how long to wait.
pub const SIGFRESH_FAILURE_THROTTLED: sigfresh_failure_kind = 2;
/// The source is not reachable (no IMDS, no container endpoint).
pub const SIGFRESH_FAILURE_SOURCE_UNAVAILABLE: sigfresh_failure_kind = 3;
/// A failure this version of the ABI has no constant for (output only).
pub const SIGFRESH_FAILURE_OTHER: sigfresh_failure_kind = 99;

/// Why a refresh failed.
#[repr(C)]
#[derive(Clone, Copy, Default)]
pub struct sigfresh_failure {
    /// SIGFRESH_FAILURE_*.
    pub kind: sigfresh_failure_kind,
    /// THROTTLED: whether the source gave a Retry-After.
    pub has_retry_after: bool,
    /// THROTTLED: the Retry-After in milliseconds.
    pub retry_after_ms: u64,
}

pub(crate) fn failure_to_c(f: Failure) -> sigfresh_failure {
    match f {
        Failure::Retryable => sigfresh_failure::default(),
        Failure::NonRetryable => sigfresh_failure {
            kind: SIGFRESH_FAILURE_NON_RETRYABLE,
            ..Default::default()
        },
        Failure::Throttled { retry_after } => sigfresh_failure {
            kind: SIGFRESH_FAILURE_THROTTLED,
            has_retry_after: retry_after.is_some(),
            retry_after_ms: retry_after
                .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX)),
        },
        Failure::SourceUnavailable => sigfresh_failure {
            kind: SIGFRESH_FAILURE_SOURCE_UNAVAILABLE,
            ..Default::default()
        },
        _ => sigfresh_failure {
            kind: SIGFRESH_FAILURE_OTHER,
            ..Default::default()
        },
    }
}

/// Reads a C `sigfresh_failure` field by field; the `bool` is read as a byte, so a value
/// other than 0 or 1 (memset garbage) is accepted as true instead of being undefined behaviour.
///
/// # Safety
/// `f` is NULL or valid for a read of one `sigfresh_failure`.
pub(crate) unsafe fn failure_in(f: *const sigfresh_failure) -> Res<Failure> {
    if f.is_null() {
        return Err(Error::null("failure"));
    }
    if !f.is_aligned() {
        return Err(Error::invalid(
            "failure",
            "pointer is not aligned for its type",
        ));
    }
    // SAFETY: non-null and aligned; the caller's contract makes it readable. Each field is read
    // through a raw pointer of a type for which every bit pattern is valid.
    let (kind, has_retry_after, retry_after_ms) = unsafe {
        (
            (&raw const (*f).kind).read(),
            (&raw const (*f).has_retry_after).cast::<u8>().read() != 0,
            (&raw const (*f).retry_after_ms).read(),
        )
    };
    Ok(match kind {
        SIGFRESH_FAILURE_RETRYABLE => Failure::Retryable,
        SIGFRESH_FAILURE_NON_RETRYABLE => Failure::NonRetryable,
        SIGFRESH_FAILURE_THROTTLED => Failure::Throttled {
            retry_after: has_retry_after.then(|| Duration::from_millis(retry_after_ms)),
        },
        SIGFRESH_FAILURE_SOURCE_UNAVAILABLE => Failure::SourceUnavailable,
        other => {
            return Err(Error::invalid(
                "failure.kind",
                format!("{other} is not a constant"),
            ))
        }
    })
}

/// An access kind (`sigfresh_access_kind`).
pub type sigfresh_access_kind = u32;
/// Sign with the credentials; with a lease, this caller should refresh in the background.
pub const SIGFRESH_ACCESS_USE: sigfresh_access_kind = 0;
/// No credentials may be used until a refresh completes: fetch now with the lease.
pub const SIGFRESH_ACCESS_REFRESH: sigfresh_access_kind = 1;
/// Another caller is refreshing: retry at `until_ms` or wait on `generation`.
pub const SIGFRESH_ACCESS_WAIT: sigfresh_access_kind = 2;
/// No usable credentials and the last refresh failed (`failure`) until `until_ms`.
pub const SIGFRESH_ACCESS_FAILED: sigfresh_access_kind = 3;
/// An access this version of the ABI has no constant for.
pub const SIGFRESH_ACCESS_OTHER: sigfresh_access_kind = 99;

/// What sigfresh_credential_cache_get tells a caller to do. Fields not listed for a kind are 0.
#[repr(C)]
#[derive(Clone, Copy, Default)]
pub struct sigfresh_access {
    /// SIGFRESH_ACCESS_*.
    pub kind: sigfresh_access_kind,
    /// USE, REFRESH: the decision for the cached credentials.
    pub decision: sigfresh_refresh_decision,
    /// WAIT: when to call get again at the latest (the first instant the lease in flight has
    /// expired, its deadline + 1 ms, or the next allowed refresh); FAILED: when the next refresh
    /// is allowed.
    pub until_ms: i64,
    /// WAIT, FAILED: the generation to pass to sigfresh_credential_cache_wait_for_change.
    pub generation: u64,
    /// FAILED: the last failure.
    pub failure: sigfresh_failure,
}

/// A completion kind (`sigfresh_completion_kind`).
pub type sigfresh_completion_kind = u32;
/// New credentials were installed; next refresh at `at_ms`.
pub const SIGFRESH_COMPLETION_INSTALLED: sigfresh_completion_kind = 0;
/// The source returned the cached credentials again; next refresh allowed at `at_ms`.
pub const SIGFRESH_COMPLETION_UNCHANGED: sigfresh_completion_kind = 1;
/// The refresh failed; the last good credentials are kept; next attempt at `at_ms`.
pub const SIGFRESH_COMPLETION_FAILED: sigfresh_completion_kind = 2;
/// IMDS static stability extended expired credentials; next attempt at `at_ms`. Log a warning.
pub const SIGFRESH_COMPLETION_STALE_EXTENDED: sigfresh_completion_kind = 3;
/// The source returned already-expired credentials; not installed; next attempt at `at_ms`.
pub const SIGFRESH_COMPLETION_REJECTED_EXPIRED: sigfresh_completion_kind = 4;
/// The lease was taken over and newer credentials installed; nothing changed (`at_ms` 0).
pub const SIGFRESH_COMPLETION_SUPERSEDED: sigfresh_completion_kind = 5;
/// A completion this version of the ABI has no constant for.
pub const SIGFRESH_COMPLETION_OTHER: sigfresh_completion_kind = 99;

/// What a completion (or install) did.
#[repr(C)]
#[derive(Clone, Copy, Default)]
pub struct sigfresh_completion {
    /// SIGFRESH_COMPLETION_*.
    pub kind: sigfresh_completion_kind,
    /// The next refresh or retry time (Unix ms), per kind.
    pub at_ms: i64,
}

pub(crate) fn completion(c: Completion) -> sigfresh_completion {
    let (kind, at) = match c {
        Completion::Installed { next_refresh_at } => {
            (SIGFRESH_COMPLETION_INSTALLED, Some(next_refresh_at))
        }
        Completion::Unchanged { next_refresh_at } => {
            (SIGFRESH_COMPLETION_UNCHANGED, Some(next_refresh_at))
        }
        Completion::Failed { retry_at } => (SIGFRESH_COMPLETION_FAILED, Some(retry_at)),
        Completion::StaleExtended { retry_at } => {
            (SIGFRESH_COMPLETION_STALE_EXTENDED, Some(retry_at))
        }
        Completion::RejectedExpired { retry_at } => {
            (SIGFRESH_COMPLETION_REJECTED_EXPIRED, Some(retry_at))
        }
        Completion::Superseded => (SIGFRESH_COMPLETION_SUPERSEDED, None),
        _ => (SIGFRESH_COMPLETION_OTHER, None),
    };
    sigfresh_completion {
        kind,
        at_ms: at.map_or(0, Timestamp::unix_millis),
    }
}
