//! [`CredentialCache`]: the thread-safe cache for hosts with threads.
//!
//! Reads are lock-free: the whole cache state is one immutable snapshot behind an `ArcSwap`
//! (on wasm32, which has one thread, a mutex-guarded `Arc`: see `crate::swap`), so a read is a
//! snapshot load, a few comparisons and a reference-count bump of the credentials. Writers (lease hand-out, completion, invalidation) serialize on a
//! mutex, build the next snapshot and swap it in whole, so readers never see torn state.

use super::access::{Access, Completion, RefreshLease};
use super::backoff::{failure_delay_millis, Failure};
use super::decision::{decide, next_refresh_at, CachedEntry, RefreshDecision};
use super::policy::{millis, Jitter, RefreshPolicy};
use crate::credentials::{AccessKeyId, Credentials};
use crate::swap::ArcSwap;
use crate::swap::{Guard, Lock};
use crate::time::Timestamp;
use alloc::sync::Arc;
use core::fmt;
use core::sync::atomic::{AtomicU64, Ordering};
#[cfg(feature = "std")]
use core::time::Duration;
#[cfg(feature = "std")]
use std::sync::{Condvar, PoisonError};

static NEXT_CACHE_ID: AtomicU64 = AtomicU64::new(1);

/// The earliest time the next lease may be handed out, and when that was decided.
#[derive(Clone, Copy, Debug)]
struct Gate {
    at: Timestamp,
    set_at: Timestamp,
    /// Set by a successful refresh (the minimum interval), not by a failure's backoff: only
    /// such a gate may be lifted by an invalidation.
    after_success: bool,
}

impl Gate {
    /// Open once `at` has come, or if the clock went back before the gate was set (the host's
    /// corrected time jumped backwards, e.g. when clock skew was first learned).
    fn open(&self, now: Timestamp) -> bool {
        now >= self.at || now < self.set_at
    }
}

#[derive(Clone, Copy, Debug)]
struct LeaseSlot {
    id: u64,
    issued_at: Timestamp,
    deadline: Timestamp,
}

impl LeaseSlot {
    /// Expired strictly after the deadline, or if time went back before it was issued.
    fn expired(&self, now: Timestamp) -> bool {
        now > self.deadline || now < self.issued_at
    }
}

#[derive(Clone, Debug, Default)]
struct State {
    entry: Option<CachedEntry>,
    gate: Option<Gate>,
    failure: Option<Failure>,
    consecutive_failures: u32,
    lease: Option<LeaseSlot>,
    /// Bumped whenever the cached credentials are replaced or dropped.
    installs: u64,
    /// When the success whose minimum-interval gate an invalidation last lifted happened.
    last_lift: Option<Timestamp>,
    /// Bumped on every change; what waiters watch.
    generation: u64,
}

/// A thread-safe credential cache with lock-free reads and single-holder refresh leases.
///
/// Every method that takes `now` wants the skew-corrected time (`skew.corrected(local_now)`),
/// so that expiry is judged by the server's clock. Leases and backoff are measured on the same
/// time line; if it jumps back past the instant a lease was issued or a backoff was set, that
/// lease counts as expired and that backoff as over (the alternative, waiting out the jump, could
/// stall refreshes for as long as the jump).
///
/// Guarantees:
/// * At most one unexpired lease exists at a time.
/// * A failed refresh never drops cached credentials; they stay in use until they expire.
/// * Expired credentials are never handed out, except IMDS credentials under static stability
///   (as [`RefreshDecision::StaleButUsable`]).
/// * A completion from a lease that was taken over is accepted only if it succeeded and no
///   newer credentials were installed since that lease was issued (so a source slower than
///   the lease timeout still makes progress); otherwise it is [`Completion::Superseded`].
pub struct CredentialCache {
    id: u64,
    policy: RefreshPolicy,
    state: ArcSwap<State>,
    /// The next lease id. Held while a new snapshot is built and swapped in.
    writer: Lock<u64>,
    #[cfg(feature = "std")]
    changed: Condvar,
}

impl fmt::Debug for CredentialCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.state.load();
        f.debug_struct("CredentialCache")
            .field("policy", &self.policy)
            .field("entry", &s.entry)
            .field("failure", &s.failure)
            .field("generation", &s.generation)
            .finish_non_exhaustive()
    }
}

enum Plan {
    Done(Access),
    Lease,
}

impl CredentialCache {
    /// An empty cache.
    pub fn new(policy: RefreshPolicy) -> Self {
        CredentialCache {
            id: NEXT_CACHE_ID.fetch_add(1, Ordering::Relaxed),
            policy,
            state: ArcSwap::from_pointee(State::default()),
            writer: Lock::new(1),
            #[cfg(feature = "std")]
            changed: Condvar::new(),
        }
    }

    /// The policy.
    pub fn policy(&self) -> &RefreshPolicy {
        &self.policy
    }

    /// The hot path: what to sign with at `now`, and whether this caller must refresh. Lock-free
    /// unless this caller is about to be handed a lease.
    pub fn get(&self, now: Timestamp) -> Access {
        match self.plan(&self.state.load(), now) {
            Plan::Done(access) => access,
            Plan::Lease => self.acquire(now),
        }
    }

    /// Runs `f` with the cached credentials (if any) and their decision at `now`, without
    /// cloning them or taking a lease: the cheapest read when many threads sign at once (no
    /// shared reference count is touched). When the decision wants a refresh, call
    /// [`get`](Self::get) to find out whether this caller should do it.
    pub fn with_current<R>(
        &self,
        now: Timestamp,
        f: impl FnOnce(Option<&Credentials>, RefreshDecision) -> R,
    ) -> R {
        let s = self.state.load();
        let decision = decide(&self.policy, s.entry.as_ref(), now);
        f(s.entry.as_ref().map(CachedEntry::credentials), decision)
    }

    /// The decision for the cached credentials at `now`, without taking a lease.
    pub fn decision(&self, now: Timestamp) -> RefreshDecision {
        decide(&self.policy, self.state.load().entry.as_ref(), now)
    }

    /// A copy of the cached entry, if any.
    pub fn entry(&self) -> Option<CachedEntry> {
        self.state.load().entry.clone()
    }

    /// The last recorded failure, cleared by the next success.
    pub fn last_failure(&self) -> Option<Failure> {
        self.state.load().failure
    }

    /// The state generation; it changes on every lease, completion and invalidation.
    pub fn generation(&self) -> u64 {
        self.state.load().generation
    }

    /// The earliest instant at which [`get`](Self::get) may hand out a lease, assuming no
    /// completion arrives first: the later of the refresh time, the backoff or minimum-interval
    /// gate, and the end of a lease in flight. `None` means now. A host with a timer wakes
    /// then.
    pub fn next_refresh_at(&self) -> Option<Timestamp> {
        let s = self.state.load();
        let mut at = next_refresh_at(&self.policy, s.entry.as_ref());
        if let Some(g) = s.gate {
            at = Some(at.map_or(g.at, |t| t.max(g.at)));
        }
        if let Some(l) = s.lease {
            let end = l.deadline.offset_millis(1);
            at = Some(at.map_or(end, |t| t.max(end)));
        }
        at
    }

    /// Installs credentials without a lease (static or host-provided credentials at startup).
    /// Classified like a successful refresh; a lease in flight is left alone.
    pub fn install(&self, credentials: Credentials, now: Timestamp, jitter: Jitter) -> Completion {
        let _writer = self.lock();
        let mut next = State::clone(&self.state.load());
        let result = self.apply_success(&mut next, credentials, now, jitter);
        self.publish(next);
        result
    }

    /// Completes a lease with the credentials the source returned.
    pub fn complete_success(
        &self,
        lease: RefreshLease,
        credentials: Credentials,
        now: Timestamp,
        jitter: Jitter,
    ) -> Completion {
        let _writer = self.lock();
        let cur = self.state.load_full();
        let current = self.is_current(&cur, &lease);
        if !current && (lease.cache != self.id || lease.installs_at_issue != cur.installs) {
            return Completion::Superseded;
        }
        let mut next = State::clone(&cur);
        let result = self.apply_success(&mut next, credentials, now, jitter);
        // A taken-over lease that installed credentials supersedes the lease that took over.
        let installed = matches!(
            result,
            Completion::Installed { .. } | Completion::StaleExtended { .. }
        );
        if current || installed {
            next.lease = None;
        }
        self.publish(next);
        result
    }

    /// Completes a lease with a failure. The cached credentials are kept; the next attempt
    /// is scheduled by the failure kind, the policy and `jitter`. A failure from a lease that
    /// was taken over is ignored ([`Completion::Superseded`]).
    pub fn complete_failure(
        &self,
        lease: RefreshLease,
        failure: Failure,
        now: Timestamp,
        jitter: Jitter,
    ) -> Completion {
        let _writer = self.lock();
        let cur = self.state.load_full();
        if !self.is_current(&cur, &lease) {
            return Completion::Superseded;
        }
        let mut next = State::clone(&cur);
        next.lease = None;
        let expired = next
            .entry
            .as_ref()
            .and_then(|e| e.credentials().expiry())
            .is_some_and(|e| now >= e);
        let extended = next
            .entry
            .as_ref()
            .filter(|_| expired)
            .and_then(|e| e.with_stale_extension(&self.policy, now, jitter));
        let result = match extended
            .as_ref()
            .and_then(|e| e.stale_retry_at().map(|r| (e, r)))
        {
            Some((entry, retry_at)) => {
                next.entry = Some(entry.clone());
                next.failure = Some(failure);
                next.consecutive_failures = next.consecutive_failures.saturating_add(1);
                next.gate = Some(Gate {
                    at: retry_at,
                    set_at: now,
                    after_success: false,
                });
                Completion::StaleExtended { retry_at }
            }
            None => Completion::Failed {
                retry_at: self.record_failure(&mut next, failure, now, jitter),
            },
        };
        self.publish(next);
        result
    }

    /// Gives a lease back without an outcome (the host decided not to fetch). Returns whether it
    /// was still the current lease.
    pub fn release(&self, lease: RefreshLease) -> bool {
        let _writer = self.lock();
        let cur = self.state.load_full();
        if !self.is_current(&cur, &lease) {
            return false;
        }
        let mut next = State::clone(&cur);
        next.lease = None;
        self.publish(next);
        true
    }

    /// After a service rejected a request as signed with expired credentials: drops the cached
    /// credentials only if they are still the ones with `access_key_id`, and returns whether it
    /// did. When many requests fail at once, only the first call drops anything; the rest find
    /// other (or no) credentials and return `false` without taking the lock.
    ///
    /// The next refresh may start at once: the drop lifts the minimum interval that followed the
    /// last successful refresh, so callers do not wait up to
    /// [`min_refresh_interval`](RefreshPolicy::min_refresh_interval) for credentials. It does so
    /// at most once per interval (a service that keeps rejecting what the source keeps handing
    /// back costs at most two fetches per interval, never a loop), and never lifts a failure's
    /// backoff.
    pub fn invalidate_if_current(&self, access_key_id: &AccessKeyId) -> bool {
        let holds = |s: &State| {
            s.entry
                .as_ref()
                .is_some_and(|e| e.credentials().access_key_id() == access_key_id)
        };
        if !holds(&self.state.load()) {
            return false;
        }
        let _writer = self.lock();
        let cur = self.state.load_full();
        if !holds(&cur) {
            return false;
        }
        let mut next = State::clone(&cur);
        next.entry = None;
        next.installs = next.installs.wrapping_add(1);
        if let Some(g) = cur.gate.filter(|g| g.after_success) {
            let interval = millis(self.policy.min_refresh_interval());
            let may_lift = cur
                .last_lift
                .is_none_or(|last| g.set_at < last || g.set_at >= last.offset_millis(interval));
            if may_lift {
                next.gate = None;
                next.last_lift = Some(g.set_at);
            }
        }
        self.publish(next);
        true
    }

    /// Blocks until the state generation differs from `seen` or `timeout` passes; returns
    /// whether it changed. Use it on [`Access::Wait`] instead of polling. (This waits on a
    /// `Condvar`, which measures the timeout itself; the cache still reads no clock.) Feature
    /// `std`.
    #[cfg(feature = "std")]
    pub fn wait_for_change(&self, seen: u64, timeout: Duration) -> bool {
        let guard = self.lock();
        let waited = self
            .changed
            .wait_timeout_while(guard, timeout, |_| self.state.load().generation == seen);
        // Poisoning cannot leave the state half-written (see `lock`); recover the guard.
        drop(waited.unwrap_or_else(PoisonError::into_inner));
        self.state.load().generation != seen
    }

    /// The writer lock. (Poisoning is recovered from: the state it guards is only ever
    /// replaced whole, by one `store` of a fully built snapshot.)
    fn lock(&self) -> Guard<'_, u64> {
        self.writer.lock()
    }

    fn is_current(&self, s: &State, lease: &RefreshLease) -> bool {
        lease.cache == self.id && s.lease.is_some_and(|l| l.id == lease.id)
    }

    fn publish(&self, mut next: State) {
        next.generation = next.generation.wrapping_add(1);
        self.state.store(Arc::new(next));
        #[cfg(feature = "std")]
        self.changed.notify_all();
    }

    /// Decides what `get` returns for state `s`, or that a lease should be taken.
    fn plan(&self, s: &State, now: Timestamp) -> Plan {
        let decision = decide(&self.policy, s.entry.as_ref(), now);
        let busy = s.lease.filter(|l| !l.expired(now));
        let gate_open = s.gate.is_none_or(|g| g.open(now));
        if busy.is_none() && gate_open && decision.wants_refresh(now) {
            return Plan::Lease;
        }
        let generation = s.generation;
        let access = match (&s.entry, busy) {
            (Some(e), _) if !decision.must_wait() => Access::Use {
                credentials: e.credentials().clone(),
                decision,
                lease: None,
            },
            // A lease is expired strictly after its deadline: the first instant another caller
            // can take over is one millisecond later (as `next_refresh_at` says), so a host that
            // sleeps until `until` is not told to wait again.
            (_, Some(l)) => Access::Wait {
                until: l.deadline.offset_millis(1),
                generation,
            },
            // Inside the mandatory window but no refresh is possible now (the last one failed
            // or returned these same credentials): they are still valid, so use them.
            (Some(e), None) if decision.usable() => Access::Use {
                credentials: e.credentials().clone(),
                decision,
                lease: None,
            },
            (_, None) => {
                let retry_at = s.gate.map_or(now, |g| g.at);
                match s.failure {
                    Some(failure) => Access::Failed {
                        failure,
                        retry_at,
                        generation,
                    },
                    None => Access::Wait {
                        until: retry_at,
                        generation,
                    },
                }
            }
        };
        Plan::Done(access)
    }

    /// The slow path: under the writer lock, re-plan and hand out a lease if still due.
    fn acquire(&self, now: Timestamp) -> Access {
        let mut next_id = self.lock();
        let cur = self.state.load_full();
        if let Plan::Done(access) = self.plan(&cur, now) {
            return access;
        }
        let id = *next_id;
        *next_id = next_id.wrapping_add(1);
        let deadline = now.saturating_add(self.policy.lease_timeout());
        let mut next = State::clone(&cur);
        next.lease = Some(LeaseSlot {
            id,
            issued_at: now,
            deadline,
        });
        self.publish(next);
        let lease = RefreshLease {
            cache: self.id,
            id,
            installs_at_issue: cur.installs,
            issued_at: now,
            deadline,
        };
        let decision = decide(&self.policy, cur.entry.as_ref(), now);
        match &cur.entry {
            Some(e) if !decision.must_wait() => Access::Use {
                credentials: e.credentials().clone(),
                decision,
                lease: Some(lease),
            },
            _ => Access::Refresh { lease, decision },
        }
    }

    /// Applies a successful fetch to `next` and says what happened.
    fn apply_success(
        &self,
        next: &mut State,
        credentials: Credentials,
        now: Timestamp,
        jitter: Jitter,
    ) -> Completion {
        let fresh = CachedEntry::new(credentials, now, jitter);
        let expired = fresh.credentials().expiry().is_some_and(|e| now >= e);
        if expired {
            // IMDS may hand back expired credentials during an outage: static stability keeps
            // them in use (as aws-config's `maybe_extend_expiration` does). Never for others.
            let extended = fresh.with_stale_extension(&self.policy, now, jitter);
            return match extended.and_then(|e| e.stale_retry_at().map(|r| (e, r))) {
                Some((entry, retry_at)) => {
                    next.entry = Some(entry);
                    next.installs = next.installs.wrapping_add(1);
                    next.failure = None;
                    next.consecutive_failures = 0;
                    next.gate = Some(Gate {
                        at: retry_at,
                        set_at: now,
                        after_success: false,
                    });
                    Completion::StaleExtended { retry_at }
                }
                None => Completion::RejectedExpired {
                    retry_at: self.record_failure(next, Failure::Retryable, now, jitter),
                },
            };
        }
        let unchanged = next
            .entry
            .as_ref()
            .is_some_and(|e| same_credentials(e.credentials(), fresh.credentials()));
        if !unchanged {
            next.entry = Some(fresh);
            next.installs = next.installs.wrapping_add(1);
        }
        next.failure = None;
        next.consecutive_failures = 0;
        let min_next = now.offset_millis(millis(self.policy.min_refresh_interval()));
        let gate_at = self.cap_at_boundaries(next.entry.as_ref(), now, min_next);
        next.gate = Some(Gate {
            at: gate_at,
            set_at: now,
            after_success: true,
        });
        let next_refresh_at =
            next_refresh_at(&self.policy, next.entry.as_ref()).map_or(gate_at, |t| t.max(gate_at));
        if unchanged {
            Completion::Unchanged { next_refresh_at }
        } else {
            Completion::Installed { next_refresh_at }
        }
    }

    /// Records a failure in `next` and returns when the next attempt is allowed.
    fn record_failure(
        &self,
        next: &mut State,
        failure: Failure,
        now: Timestamp,
        jitter: Jitter,
    ) -> Timestamp {
        next.consecutive_failures = next.consecutive_failures.saturating_add(1);
        next.failure = Some(failure);
        let delay = failure_delay_millis(&self.policy, failure, next.consecutive_failures, jitter);
        let retry_at = self.cap_at_boundaries(next.entry.as_ref(), now, now.offset_millis(delay));
        next.gate = Some(Gate {
            at: retry_at,
            set_at: now,
            after_success: false,
        });
        retry_at
    }

    /// A retry is never scheduled past the next boundary of the cached credentials (the start
    /// of the mandatory window, then expiry): an attempt is always made at those instants.
    fn cap_at_boundaries(
        &self,
        entry: Option<&CachedEntry>,
        now: Timestamp,
        at: Timestamp,
    ) -> Timestamp {
        let Some(e) = entry else { return at };
        let (Some(m), Some(x)) = (e.mandatory_at(&self.policy), e.credentials().expiry()) else {
            return at;
        };
        [m, x]
            .into_iter()
            .find(|&b| b > now)
            .map_or(at, |b| at.min(b))
    }
}

/// The same credentials as far as refreshing is concerned: same access key id and expiry.
fn same_credentials(a: &Credentials, b: &Credentials) -> bool {
    a.ptr_eq(b) || (a.access_key_id() == b.access_key_id() && a.expiry() == b.expiry())
}
