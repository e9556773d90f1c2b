//! Behaviour of `CredentialCache`, one rule per test, with a hand-stepped clock.

use core::time::Duration;
use sigfresh::credentials::{CredentialSource, Credentials};
use sigfresh::refresh::{
    Access, Completion, CredentialCache, Failure, Jitter, RefreshDecision, RefreshLease,
    RefreshPolicy,
};
use sigfresh::time::Timestamp;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};

const S: i64 = 1_000;
const MIN: i64 = 60 * S;
const HOUR: i64 = 60 * MIN;

fn at(ms: i64) -> Timestamp {
    Timestamp::from_unix_seconds(1_700_000_000).offset_millis(ms)
}

fn creds(key: &str, expiry_ms: Option<i64>, source: CredentialSource) -> Credentials {
    Credentials::builder(key, format!("secret-of-{key}"))
        .session_token("token")
        .expiry_opt(expiry_ms.map(at))
        .source(source)
        .build()
        .unwrap()
}

fn sts(key: &str, expiry_ms: i64) -> Credentials {
    creds(key, Some(expiry_ms), CredentialSource::Sts)
}

fn imds(key: &str, expiry_ms: i64) -> Credentials {
    creds(key, Some(expiry_ms), CredentialSource::InstanceMetadata)
}

fn cache() -> CredentialCache {
    CredentialCache::new(RefreshPolicy::default())
}

#[track_caller]
fn lease_of(a: Access) -> RefreshLease {
    match a {
        Access::Refresh { lease, .. }
        | Access::Use {
            lease: Some(lease), ..
        } => lease,
        other => panic!("expected a lease, got {other:?}"),
    }
}

#[track_caller]
fn used(a: &Access) -> (&str, RefreshDecision, bool) {
    match a {
        Access::Use {
            credentials,
            decision,
            lease,
        } => (
            credentials.access_key_id().as_str(),
            *decision,
            lease.is_some(),
        ),
        other => panic!("expected Use, got {other:?}"),
    }
}

/// A cache holding STS credentials `A` that expire at 1 h, installed at 0.
fn cache_with_a() -> CredentialCache {
    let c = cache();
    let done = c.install(sts("A", HOUR), at(0), Jitter::ZERO);
    assert_eq!(
        done,
        Completion::Installed {
            next_refresh_at: at(55 * MIN)
        }
    );
    c
}

#[test]
fn a_waiter_sleeping_until_the_wait_time_finds_the_lease_expired() {
    let c = cache();
    let _first = lease_of(c.get(at(0)));
    assert_eq!(_first.deadline(), at(30 * S));
    // The lease is live through its deadline, so a caller at the deadline still waits; the
    // time it is given is the first instant the lease is expired, the same instant
    // `next_refresh_at` names, and at that time it is handed the refresh.
    let until = match c.get(at(30 * S)) {
        Access::Wait { until, .. } => until,
        other => panic!("{other:?}"),
    };
    assert_eq!(until, at(30 * S + 1));
    assert_eq!(c.next_refresh_at(), Some(until));
    match c.get(until) {
        Access::Refresh { decision, .. } => assert_eq!(decision, RefreshDecision::Missing),
        other => panic!("a caller woken at `until` was told {other:?}"),
    }
}

#[test]
fn empty_cache_gives_one_blocking_lease_and_others_wait() {
    let c = cache();
    let lease = match c.get(at(0)) {
        Access::Refresh { lease, decision } => {
            assert_eq!(decision, RefreshDecision::Missing);
            lease
        }
        other => panic!("{other:?}"),
    };
    assert_eq!(lease.deadline(), at(30 * S));
    for _ in 0..3 {
        match c.get(at(S)) {
            // The first instant the lease is expired (it is live through its deadline).
            Access::Wait { until, .. } => assert_eq!(until, at(30 * S + 1)),
            other => panic!("{other:?}"),
        }
    }
    let done = c.complete_success(lease, sts("A", HOUR), at(2 * S), Jitter::ZERO);
    assert_eq!(
        done,
        Completion::Installed {
            next_refresh_at: at(55 * MIN)
        }
    );
    let a = c.get(at(3 * S));
    assert_eq!(
        used(&a),
        (
            "A",
            RefreshDecision::Fresh {
                refresh_at: at(55 * MIN)
            },
            false
        )
    );
    assert_eq!(c.next_refresh_at(), Some(at(55 * MIN)));
}

#[test]
fn advisory_window_hands_one_background_lease_and_keeps_serving() {
    let c = cache_with_a();
    let first = c.get(at(55 * MIN));
    let (key, decision, has_lease) = used(&first);
    assert_eq!((key, has_lease), ("A", true));
    assert_eq!(
        decision,
        RefreshDecision::RefreshAdvised {
            expires_at: Some(at(HOUR))
        }
    );
    for t in 0..100 {
        assert!(!used(&c.get(at(55 * MIN + t * 100))).2);
    }
    let done = c.complete_success(
        lease_of(first),
        sts("B", 7 * HOUR),
        at(56 * MIN),
        Jitter::ZERO,
    );
    assert!(matches!(done, Completion::Installed { .. }));
    assert_eq!(used(&c.get(at(56 * MIN))).0, "B");
}

#[test]
fn failures_keep_the_last_good_credentials_and_back_off_exponentially() {
    let c = cache_with_a();
    let mut now = 55 * MIN;
    let mut delays = Vec::new();
    for _ in 0..5 {
        let lease = lease_of(c.get(at(now)));
        let Completion::Failed { retry_at } =
            c.complete_failure(lease, Failure::SourceUnavailable, at(now), Jitter::ZERO)
        else {
            panic!("expected Failed");
        };
        delays.push(retry_at.millis_since(at(now)));
        // Until the retry time: the old credentials, no lease.
        assert_eq!(used(&c.get(retry_at.offset_millis(-1))), {
            (
                "A",
                RefreshDecision::RefreshAdvised {
                    expires_at: Some(at(HOUR)),
                },
                false,
            )
        });
        assert_eq!(c.last_failure(), Some(Failure::SourceUnavailable));
        now = retry_at.millis_since(at(0));
    }
    assert_eq!(delays, [S, 2 * S, 4 * S, 8 * S, 16 * S]);
    // Jitter shortens a delay into (d/2, d].
    let lease = lease_of(c.get(at(now)));
    let Completion::Failed { retry_at } =
        c.complete_failure(lease, Failure::Retryable, at(now), Jitter::MAX)
    else {
        panic!()
    };
    assert_eq!(retry_at.millis_since(at(now)), 16 * S + 1);
    // A success resets the count.
    let lease = lease_of(c.get(retry_at));
    let _ = c.complete_success(lease, sts("B", 7 * HOUR), retry_at, Jitter::ZERO);
    assert_eq!(c.last_failure(), None);
}

#[test]
fn retries_are_never_scheduled_past_the_mandatory_window_or_expiry() {
    let c = cache_with_a();
    // A failure 10 s before the mandatory window with a 60 s non-retryable TTL: capped.
    let lease = lease_of(c.get(at(58 * MIN + 50 * S)));
    let done = c.complete_failure(
        lease,
        Failure::NonRetryable,
        at(58 * MIN + 50 * S),
        Jitter::ZERO,
    );
    assert_eq!(
        done,
        Completion::Failed {
            retry_at: at(59 * MIN)
        }
    );
    // In the mandatory window one caller refreshes synchronously, the others wait for it.
    let lease = match c.get(at(59 * MIN)) {
        Access::Refresh { lease, decision } => {
            assert_eq!(
                decision,
                RefreshDecision::RefreshRequired {
                    expires_at: at(HOUR)
                }
            );
            lease
        }
        other => panic!("{other:?}"),
    };
    assert!(matches!(c.get(at(59 * MIN + 1)), Access::Wait { .. }));
    let done = c.complete_failure(lease, Failure::NonRetryable, at(59 * MIN + S), Jitter::ZERO);
    assert_eq!(done, Completion::Failed { retry_at: at(HOUR) });
    // After a failed refresh the still-valid credentials are used rather than refused...
    let a = c.get(at(59 * MIN + 2 * S));
    let (key, decision, _) = used(&a);
    assert_eq!(
        (key, decision),
        (
            "A",
            RefreshDecision::RefreshRequired {
                expires_at: at(HOUR)
            }
        )
    );
    // ...but never once expired: at expiry one attempt, then the cached error.
    let lease = lease_of(c.get(at(HOUR)));
    let done = c.complete_failure(lease, Failure::NonRetryable, at(HOUR), Jitter::ZERO);
    assert_eq!(
        done,
        Completion::Failed {
            retry_at: at(HOUR + MIN)
        }
    );
    for t in [HOUR, HOUR + 30 * S, HOUR + MIN - 1] {
        match c.get(at(t)) {
            Access::Failed {
                failure, retry_at, ..
            } => {
                assert_eq!(failure, Failure::NonRetryable);
                assert_eq!(retry_at, at(HOUR + MIN));
            }
            other => panic!("{other:?}"),
        }
    }
    assert!(matches!(c.get(at(HOUR + MIN)), Access::Refresh { .. }));
}

#[test]
fn non_retryable_errors_are_cached_and_throttling_honours_retry_after() {
    let c = cache();
    let lease = lease_of(c.get(at(0)));
    let done = c.complete_failure(lease, Failure::NonRetryable, at(0), Jitter::MAX);
    assert_eq!(done, Completion::Failed { retry_at: at(MIN) });
    let mut refused = 0;
    for t in (0..MIN).step_by(500) {
        assert!(matches!(c.get(at(t)), Access::Failed { .. }));
        refused += 1;
    }
    assert_eq!(refused, 120);
    let lease = lease_of(c.get(at(MIN)));
    let throttled = Failure::Throttled {
        retry_after: Some(Duration::from_secs(20)),
    };
    let done = c.complete_failure(lease, throttled, at(MIN), Jitter::ZERO);
    assert_eq!(
        done,
        Completion::Failed {
            retry_at: at(MIN + 20 * S)
        }
    );
}

#[test]
fn unchanged_credentials_do_not_cause_a_hot_loop() {
    // The source keeps returning credentials already inside the refresh window.
    let c = cache();
    let mut leases = 0;
    let mut unchanged = 0;
    for t in (0..(3 * MIN)).step_by(100) {
        match c.get(at(t)) {
            Access::Refresh { lease, .. }
            | Access::Use {
                lease: Some(lease), ..
            } => {
                leases += 1;
                match c.complete_success(lease, sts("A", 4 * MIN), at(t), Jitter::ZERO) {
                    Completion::Unchanged { next_refresh_at } => {
                        unchanged += 1;
                        assert_eq!(next_refresh_at, at(t + 30 * S));
                    }
                    Completion::Installed { .. } => {}
                    other => panic!("{other:?}"),
                }
            }
            Access::Use { .. } => {}
            other => panic!("{other:?}"),
        }
    }
    // 0 s, 30 s, ..., 150 s: one per minimum refresh interval, never more.
    assert_eq!((leases, unchanged), (6, 5));
}

#[test]
fn an_expired_lease_is_taken_over_and_the_late_success_still_counts() {
    let c = cache_with_a();
    let slow = lease_of(c.get(at(55 * MIN)));
    assert!(
        !used(&c.get(at(55 * MIN + 30 * S))).2,
        "valid through its deadline"
    );
    let takeover = lease_of(c.get(at(55 * MIN + 30 * S + 1)));
    // The slow fetch finishes first: nothing newer was installed since it was issued.
    let done = c.complete_success(
        slow,
        sts("B", 7 * HOUR),
        at(55 * MIN + 45 * S),
        Jitter::ZERO,
    );
    assert!(matches!(done, Completion::Installed { .. }));
    // The takeover's result is superseded, whatever it is.
    let late = c.complete_success(takeover, sts("C", 7 * HOUR), at(56 * MIN), Jitter::ZERO);
    assert_eq!(late, Completion::Superseded);
    assert_eq!(used(&c.get(at(56 * MIN))).0, "B");

    // The other order: the takeover installs first; the stale lease is superseded.
    let c = cache_with_a();
    let slow = lease_of(c.get(at(55 * MIN)));
    let takeover = lease_of(c.get(at(55 * MIN + 31 * S)));
    let done = c.complete_success(
        takeover,
        sts("C", 7 * HOUR),
        at(55 * MIN + 40 * S),
        Jitter::ZERO,
    );
    assert!(matches!(done, Completion::Installed { .. }));
    let late = c.complete_success(slow, sts("B", 7 * HOUR), at(56 * MIN), Jitter::ZERO);
    assert_eq!(late, Completion::Superseded);
    assert_eq!(used(&c.get(at(56 * MIN))).0, "C");

    // A stale lease's failure is ignored and does not disturb the lease that took over.
    let c = cache_with_a();
    let slow = lease_of(c.get(at(55 * MIN)));
    let takeover = lease_of(c.get(at(55 * MIN + 31 * S)));
    let late = c.complete_failure(
        slow,
        Failure::Retryable,
        at(55 * MIN + 40 * S),
        Jitter::ZERO,
    );
    assert_eq!(late, Completion::Superseded);
    assert_eq!(c.last_failure(), None);
    assert!(
        c.release(takeover),
        "the takeover is still the current lease"
    );
}

#[test]
fn leases_from_another_cache_or_released_leases_are_handled() {
    let c1 = cache_with_a();
    let c2 = cache_with_a();
    let l1 = lease_of(c1.get(at(55 * MIN)));
    let l2 = lease_of(c2.get(at(55 * MIN)));
    assert_eq!(
        c2.complete_success(l1, sts("X", 7 * HOUR), at(55 * MIN), Jitter::ZERO),
        Completion::Superseded
    );
    assert!(c2.release(l2));
    // Released: the next caller gets the lease at once.
    assert!(used(&c2.get(at(55 * MIN))).2);
}

#[test]
fn invalidation_drops_only_the_current_credentials_once() {
    let c = Arc::new(cache_with_a());
    let key = c.entry().unwrap().credentials().access_key_id().clone();
    let dropped = Arc::new(AtomicUsize::new(0));
    let barrier = Arc::new(Barrier::new(8));
    let handles: Vec<_> = (0..8)
        .map(|_| {
            let (c, key, dropped, barrier) =
                (c.clone(), key.clone(), dropped.clone(), barrier.clone());
            std::thread::spawn(move || {
                barrier.wait();
                for _ in 0..13 {
                    if c.invalidate_if_current(&key) {
                        dropped.fetch_add(1, Ordering::Relaxed);
                    }
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    assert_eq!(
        dropped.load(Ordering::Relaxed),
        1,
        "104 rejections, one drop"
    );
    assert_eq!(c.decision(at(MIN)), RefreshDecision::Missing);
    // The drop lifts the minimum interval after the last install: the next caller refreshes
    // at once instead of waiting up to 30 s.
    let lease = lease_of(c.get(at(10 * S)));
    let _ = c.complete_success(lease, sts("A2", 7 * HOUR), at(10 * S), Jitter::ZERO);
    // Rejected again within the interval: dropped, but the interval now holds (no loop).
    let key2 = c.entry().unwrap().credentials().access_key_id().clone();
    assert!(c.invalidate_if_current(&key2));
    match c.get(at(20 * S)) {
        Access::Wait { until, .. } => assert_eq!(until, at(40 * S)),
        other => panic!("{other:?}"),
    }
    let lease = lease_of(c.get(at(MIN)));
    let _ = c.complete_success(lease, sts("B", 7 * HOUR), at(MIN), Jitter::ZERO);
    // A late rejection of the old key does not drop the new credentials.
    assert!(!c.invalidate_if_current(&key));
    assert_eq!(used(&c.get(at(MIN))).0, "B");
}

#[test]
fn imds_static_stability_keeps_stale_credentials_and_retries_every_five_to_ten_minutes() {
    let c = cache();
    let _ = c.install(imds("A", HOUR), at(0), Jitter::ZERO);
    // IMDS is down through expiry.
    let lease = lease_of(c.get(at(HOUR)));
    let done = c.complete_failure(
        lease,
        Failure::SourceUnavailable,
        at(HOUR),
        Jitter::from_fraction(0.5),
    );
    assert_eq!(
        done,
        Completion::StaleExtended {
            retry_at: at(HOUR + 7 * MIN + 30 * S)
        }
    );
    let stale = RefreshDecision::StaleButUsable {
        expired_at: at(HOUR),
        retry_at: at(HOUR + 7 * MIN + 30 * S),
    };
    for t in [HOUR, HOUR + 5 * MIN, HOUR + 7 * MIN + 30 * S - 1] {
        assert_eq!(used(&c.get(at(t))), ("A", stale, false));
    }
    assert_eq!(c.next_refresh_at(), Some(at(HOUR + 7 * MIN + 30 * S)));
    // At the retry time one caller refreshes in the background; the rest keep signing.
    let first = c.get(at(HOUR + 7 * MIN + 30 * S));
    assert!(used(&first).2);
    // IMDS is back but hands out the old, expired credentials: still extended.
    let done = c.complete_success(
        lease_of(first),
        imds("A", HOUR),
        at(HOUR + 8 * MIN),
        Jitter::ZERO,
    );
    assert_eq!(
        done,
        Completion::StaleExtended {
            retry_at: at(HOUR + 13 * MIN)
        }
    );
    let lease = lease_of(c.get(at(HOUR + 13 * MIN)));
    let done = c.complete_success(
        lease,
        imds("B", 7 * HOUR),
        at(HOUR + 13 * MIN),
        Jitter::ZERO,
    );
    assert!(matches!(done, Completion::Installed { .. }));
    assert!(matches!(
        used(&c.get(at(HOUR + 14 * MIN))).1,
        RefreshDecision::Fresh { .. }
    ));
}

#[test]
fn other_sources_are_never_used_past_expiry() {
    for source in [CredentialSource::Sts, CredentialSource::ContainerEndpoint] {
        let c = cache();
        let _ = c.install(creds("A", Some(HOUR), source.clone()), at(0), Jitter::ZERO);
        let lease = lease_of(c.get(at(HOUR)));
        let done = c.complete_failure(lease, Failure::SourceUnavailable, at(HOUR), Jitter::ZERO);
        assert_eq!(
            done,
            Completion::Failed {
                retry_at: at(HOUR + S)
            }
        );
        assert!(matches!(c.get(at(HOUR + 1)), Access::Failed { .. }));
        // A source returning expired credentials: rejected, counted as a failure.
        let lease = lease_of(c.get(at(HOUR + S)));
        let done = c.complete_success(
            lease,
            creds("B", Some(HOUR), source),
            at(HOUR + S),
            Jitter::ZERO,
        );
        assert_eq!(
            done,
            Completion::RejectedExpired {
                retry_at: at(HOUR + 3 * S)
            }
        );
        assert_eq!(
            c.entry().unwrap().credentials().access_key_id().as_str(),
            "A"
        );
    }
    // IMDS with static stability turned off behaves the same.
    let off = RefreshPolicy::builder()
        .imds_static_stability(false)
        .build()
        .unwrap();
    let c = CredentialCache::new(off);
    let _ = c.install(imds("A", HOUR), at(0), Jitter::ZERO);
    let lease = lease_of(c.get(at(HOUR)));
    let done = c.complete_failure(lease, Failure::SourceUnavailable, at(HOUR), Jitter::ZERO);
    assert!(matches!(done, Completion::Failed { .. }));
    assert!(matches!(c.get(at(HOUR + 1)), Access::Failed { .. }));
}

#[test]
fn credentials_without_expiry_are_reread_after_the_max_age_without_blocking() {
    let c = cache();
    let _ = c.install(
        creds("A", None, CredentialSource::Environment),
        at(0),
        Jitter::ZERO,
    );
    assert_eq!(c.next_refresh_at(), Some(at(15 * MIN)));
    let a = c.get(at(15 * MIN));
    assert_eq!(
        used(&a),
        (
            "A",
            RefreshDecision::RefreshAdvised { expires_at: None },
            true
        )
    );
    let _ = c.complete_failure(lease_of(a), Failure::Retryable, at(15 * MIN), Jitter::ZERO);
    // Failing forever never makes them unusable.
    assert_eq!(used(&c.get(at(1000 * HOUR))).0, "A");
}

#[test]
fn time_going_backwards_expires_leases_and_ends_backoff() {
    let c = cache_with_a();
    let first = lease_of(c.get(at(56 * MIN)));
    // The corrected clock jumps back before the lease was issued (skew learned): the lease
    // counts as expired and is taken over instead of blocking for the size of the jump.
    let second = lease_of(c.get(at(55 * MIN + 30 * S)));
    assert_eq!(
        c.complete_failure(first, Failure::Retryable, at(57 * MIN), Jitter::ZERO),
        Completion::Superseded
    );
    let done = c.complete_failure(second, Failure::Retryable, at(57 * MIN), Jitter::ZERO);
    assert_eq!(
        done,
        Completion::Failed {
            retry_at: at(57 * MIN + S)
        }
    );
    // Forward in time the backoff holds...
    assert!(!used(&c.get(at(57 * MIN + 500))).2);
    // ...but before the instant it was set, it is over.
    assert!(used(&c.get(at(56 * MIN + 59 * S))).2);
}

#[test]
fn exactly_one_of_many_racing_callers_gets_the_lease() {
    for _round in 0..50 {
        let c = Arc::new(cache_with_a());
        let leases = Arc::new(AtomicUsize::new(0));
        let barrier = Arc::new(Barrier::new(8));
        let handles: Vec<_> = (0..8)
            .map(|_| {
                let (c, leases, barrier) = (c.clone(), leases.clone(), barrier.clone());
                std::thread::spawn(move || {
                    barrier.wait();
                    let mut mine = Vec::new();
                    for i in 0..200 {
                        if let Access::Use { lease: Some(l), .. } = c.get(at(56 * MIN + i)) {
                            leases.fetch_add(1, Ordering::Relaxed);
                            mine.push(l);
                        }
                    }
                    mine
                })
            })
            .collect();
        let held: Vec<RefreshLease> = handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect();
        assert_eq!(leases.load(Ordering::Relaxed), 1);
        assert_eq!(held.len(), 1);
    }
}

#[test]
fn waiters_block_until_the_outcome_or_their_timeout() {
    let c = Arc::new(cache());
    let lease = lease_of(c.get(at(0)));
    let Access::Wait { generation, .. } = c.get(at(0)) else {
        panic!()
    };
    // Nothing changes: the wait times out.
    assert!(!c.wait_for_change(generation, Duration::from_millis(20)));
    let waiter = {
        let c = c.clone();
        std::thread::spawn(move || c.wait_for_change(generation, Duration::from_secs(60)))
    };
    let _ = c.complete_success(lease, sts("A", HOUR), at(S), Jitter::ZERO);
    assert!(
        waiter.join().unwrap(),
        "woken by the completion, not the timeout"
    );
    assert!(matches!(c.get(at(S)), Access::Use { .. }));
}

#[test]
fn readers_never_see_a_torn_key_and_secret() {
    let c = Arc::new(cache_with_a());
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let readers: Vec<_> = (0..4)
        .map(|_| {
            let (c, stop) = (c.clone(), stop.clone());
            std::thread::spawn(move || {
                let mut n = 0u64;
                while !stop.load(Ordering::Relaxed) {
                    if let Access::Use { credentials, .. } = c.get(at(MIN)) {
                        let key = credentials.access_key_id().as_str();
                        assert_eq!(
                            credentials.secret_access_key().expose_secret(),
                            format!("secret-of-{key}")
                        );
                        n += 1;
                    }
                }
                n
            })
        })
        .collect();
    for i in 0..2_000 {
        let _ = c.install(sts(&format!("K{i}"), HOUR + i), at(MIN), Jitter::ZERO);
    }
    stop.store(true, Ordering::Relaxed);
    let reads: u64 = readers.into_iter().map(|h| h.join().unwrap()).sum();
    assert!(reads > 0);
}

#[test]
fn with_current_reads_without_a_lease() {
    let c = cache();
    assert!(c.with_current(at(0), |creds, d| creds.is_none()
        && d == RefreshDecision::Missing));
    let _ = c.install(sts("A", HOUR), at(0), Jitter::ZERO);
    let key = c.with_current(at(56 * MIN), |creds, d| {
        assert_eq!(
            d,
            RefreshDecision::RefreshAdvised {
                expires_at: Some(at(HOUR))
            }
        );
        creds.map(|c| c.access_key_id().as_str().to_owned())
    });
    assert_eq!(key.as_deref(), Some("A"));
    // It never hands out a lease: the next `get` still does.
    assert!(used(&c.get(at(56 * MIN))).2);
}

#[test]
fn invalidation_never_lifts_a_failure_backoff() {
    let c = cache_with_a();
    let key = c.entry().unwrap().credentials().access_key_id().clone();
    // The background refresh at 55 min fails: the next attempt is backed off.
    let lease = lease_of(c.get(at(55 * MIN)));
    let retry_at = match c.complete_failure(
        lease,
        Failure::SourceUnavailable,
        at(55 * MIN),
        Jitter::ZERO,
    ) {
        Completion::Failed { retry_at } => retry_at,
        other => panic!("{other:?}"),
    };
    assert!(retry_at > at(55 * MIN));
    // A rejection drops the credentials but not the backoff: no lease before `retry_at`.
    assert!(c.invalidate_if_current(&key));
    match c.get(at(55 * MIN)) {
        Access::Failed { retry_at: r, .. } | Access::Wait { until: r, .. } => {
            assert_eq!(r, retry_at)
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(c.get(retry_at), Access::Refresh { .. }));
}
