//! Concurrency torture for `refresh::CredentialCache`: 2 × available cores threads sharing one
//! cache and one fake clock perform 1,000,000 operations in total (`TORTURE_OPS` to change;
//! `TORTURE_SEED` for another random sequence), mixing `get`, `with_current`, `decision`,
//! `entry`, `next_refresh_at`, leases held for a while or for a long time (so others take
//! over), successful completions with fresh / already-expired / IMDS / unchanged / non-expiring
//! credentials, failures of every kind, releases, `install` and `invalidate_if_current`.
//!
//! # Clock and ordering
//! `phased`: the clock is constant within a phase (each thread runs a batch of operations
//! concurrently with the others) and moves between phases, at a barrier, by a random step:
//! mostly seconds, sometimes past a lease timeout, a refresh window or an expiry, and now and
//! then backwards (a host's corrected clock can jump back). So the `now` passed to the cache is
//! monotonic in the cache's own order of operations within a phase and across phases, which
//! makes the lease invariant exactly checkable.
//!
//! `free_running`: every operation reads a clock that other threads advance concurrently (no
//! phases), so `now` values arrive out of order; only the per-call invariants are checked.
//!
//! # Invariants
//! * Never expired credentials handed out (`get` → `Use`, or `with_current` with a usable
//!   decision), except IMDS credentials under static stability as `StaleButUsable`.
//! * No torn credentials: secret, token, expiry and source are all derived from the access key
//!   id when a value is made, and re-derived on every read.
//! * At most one unexpired lease (phased): when a lease is issued, the lease the cache held
//!   before must have expired at that instant (or been completed/released/cleared). To check
//!   this exactly, `get` runs under a test-side read lock and lease completions/releases under
//!   its write lock, so the registry of the current lease changes atomically with the cache's
//!   own slot; reads without lease effects (`with_current`, `decision`, `install`,
//!   `invalidate_if_current`, ...) take no test lock.
//! * Completions agree with the registry: the current lease's release returns `true` and its
//!   failure is never `Superseded`; a lease that is no longer current is released `false` and
//!   fails `Superseded`.
//! * Every kind of event actually happened (counts are asserted non-zero in runs of at least
//!   100,000 operations; `scripts/miri.sh` runs 2,000 under Miri for its data-race checks).
//!
//! Runs in about 2 seconds in debug builds on 2 cores; no `#[ignore]` needed.

use core::time::Duration;
use sigfresh::credentials::{CredentialSource, Credentials};
use sigfresh::refresh::{
    Access, Completion, CredentialCache, Failure, Jitter, RefreshDecision, RefreshLease,
    RefreshPolicy,
};
use sigfresh::time::Timestamp;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Barrier, Mutex, RwLock};

const S: i64 = 1_000;
const MIN: i64 = 60 * S;
const START: i64 = 1_704_067_200_000; // 2024-01-01T00:00:00Z

fn threads() -> usize {
    2 * std::thread::available_parallelism().map_or(1, |n| n.get())
}

fn total_ops() -> u64 {
    std::env::var("TORTURE_OPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000)
}

fn seed() -> u64 {
    std::env::var("TORTURE_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x5eed)
}

/// xorshift64*: a small deterministic generator per thread.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1)
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    fn jitter(&mut self) -> Jitter {
        Jitter::from_u64(self.next())
    }
}

static SERIAL: AtomicU64 = AtomicU64::new(1);

fn source_code(s: &CredentialSource) -> char {
    match s {
        CredentialSource::InstanceMetadata => 'I',
        CredentialSource::Process => 'P',
        CredentialSource::Static => 'S',
        _ => 'T',
    }
}

/// Credentials whose every part is derived from the access key id, so a torn value shows.
fn make(expiry: Option<i64>, source: CredentialSource) -> Credentials {
    let n = SERIAL.fetch_add(1, Ordering::Relaxed);
    let exp = expiry.map_or("none".to_owned(), |e| e.to_string());
    let akid = format!("ASIA{n}E{exp}K{}", source_code(&source));
    let mut b = Credentials::builder(akid.clone(), secret_for(&akid)).source(source);
    if let Some(e) = expiry {
        b = b.expiry(Timestamp::from_unix_millis(e));
    }
    b.session_token(token_for(&akid)).build().unwrap()
}

fn secret_for(akid: &str) -> String {
    format!("secret-of-{akid}")
}

fn token_for(akid: &str) -> String {
    format!("token-of-{}", akid.len())
}

/// Re-derives everything from the access key id.
fn check_whole(c: &Credentials) {
    let akid = c.access_key_id().as_str();
    assert_eq!(
        c.secret_access_key().expose_secret(),
        secret_for(akid),
        "torn secret"
    );
    assert_eq!(
        c.session_token().map(|t| t.expose_secret()),
        Some(token_for(akid).as_str()),
        "torn token"
    );
    let (rest, kind) = akid.rsplit_once('K').unwrap();
    let exp = rest.rsplit_once('E').unwrap().1;
    let expiry = (exp != "none").then(|| Timestamp::from_unix_millis(exp.parse().unwrap()));
    assert_eq!(c.expiry(), expiry, "torn expiry");
    assert_eq!(
        kind.chars().next(),
        Some(source_code(c.source())),
        "torn source"
    );
}

/// The central safety property: expired credentials only as IMDS static stability.
fn check_not_expired(c: &Credentials, decision: &RefreshDecision, now: Timestamp) {
    check_whole(c);
    if c.expiry().is_some_and(|e| now >= e) {
        assert_eq!(
            *c.source(),
            CredentialSource::InstanceMetadata,
            "expired non-IMDS credentials handed out at {now}: {c:?} ({decision:?})"
        );
        assert!(
            matches!(decision, RefreshDecision::StaleButUsable { .. }),
            "expired IMDS credentials handed out as {decision:?}"
        );
    }
}

/// What a source returned: fresh, already expired, IMDS, no expiry, near expiry, or the very
/// credentials the cache holds (as IMDS does before it rotates).
fn fetch(rng: &mut Rng, now: i64, current: Option<Credentials>) -> Credentials {
    match rng.below(100) {
        0..=34 => make(
            Some(now + 2 * MIN + rng.below(18 * MIN as u64) as i64),
            CredentialSource::Sts,
        ),
        35..=49 => make(Some(now + 15 * MIN), CredentialSource::InstanceMetadata),
        50..=57 => make(
            Some(now - 1 - rng.below(MIN as u64) as i64),
            CredentialSource::InstanceMetadata,
        ),
        58..=67 => make(
            Some(now - rng.below(MIN as u64) as i64),
            CredentialSource::Process,
        ),
        68..=72 => make(None, CredentialSource::Static),
        73..=82 => make(
            Some(now + 20 * S + rng.below(40 * S as u64) as i64),
            CredentialSource::Sts,
        ),
        _ => current.unwrap_or_else(|| make(Some(now + 30 * MIN), CredentialSource::Sts)),
    }
}

fn failure(rng: &mut Rng) -> Failure {
    match rng.below(4) {
        0 => Failure::Retryable,
        1 => Failure::NonRetryable,
        2 => Failure::Throttled {
            retry_after: Some(Duration::from_millis(rng.below(120_000))),
        },
        _ => Failure::SourceUnavailable,
    }
}

/// Counts of what happened, to prove the mix was exercised.
#[derive(Default)]
struct Counts {
    ops: AtomicU64,
    uses: AtomicU64,
    stale_uses: AtomicU64,
    leases: AtomicU64,
    waits: AtomicU64,
    failed: AtomicU64,
    installed: AtomicU64,
    unchanged: AtomicU64,
    completion_failed: AtomicU64,
    stale_extended: AtomicU64,
    rejected_expired: AtomicU64,
    superseded: AtomicU64,
    released: AtomicU64,
    invalidated: AtomicU64,
    takeovers: AtomicU64,
}

impl Counts {
    fn bump(c: &AtomicU64) {
        c.fetch_add(1, Ordering::Relaxed);
    }
    fn completion(&self, c: Completion) {
        Counts::bump(match c {
            Completion::Installed { .. } => &self.installed,
            Completion::Unchanged { .. } => &self.unchanged,
            Completion::Failed { .. } => &self.completion_failed,
            Completion::StaleExtended { .. } => &self.stale_extended,
            Completion::RejectedExpired { .. } => &self.rejected_expired,
            _ => &self.superseded,
        });
    }
}

/// The test's record of the lease the cache holds (phased mode).
#[derive(Clone, Copy, Debug, PartialEq)]
struct LeaseRec {
    serial: u64,
    issued_at: Timestamp,
    deadline: Timestamp,
}

struct Shared {
    cache: CredentialCache,
    clock: AtomicI64,
    /// `get` under read, lease completions under write (phased mode only).
    order: RwLock<()>,
    current: Mutex<Option<LeaseRec>>,
    lease_serial: AtomicU64,
    counts: Counts,
    phased: bool,
}

struct Held {
    lease: RefreshLease,
    rec: LeaseRec,
    /// Complete only from this phase on (a slow source, so others take over).
    due_phase: u64,
}

impl Shared {
    fn now(&self) -> Timestamp {
        Timestamp::from_unix_millis(self.clock.load(Ordering::SeqCst))
    }

    /// Records a lease just issued at `now`; the one the cache held before must have expired.
    fn register(&self, lease: &RefreshLease, now: Timestamp) -> LeaseRec {
        let rec = LeaseRec {
            serial: self.lease_serial.fetch_add(1, Ordering::Relaxed),
            issued_at: lease.issued_at(),
            deadline: lease.deadline(),
        };
        assert_eq!(rec.issued_at, now, "a lease is issued at the caller's now");
        Counts::bump(&self.counts.leases);
        if self.phased {
            let mut cur = self.current.lock().unwrap();
            if let Some(prev) = *cur {
                let expired = now > prev.deadline || now < prev.issued_at;
                assert!(
                    expired,
                    "two unexpired leases at {now}: {prev:?} and {rec:?} (issued at {now})"
                );
                Counts::bump(&self.counts.takeovers);
            }
            *cur = Some(rec);
        }
        rec
    }

    fn get(&self, rng: &mut Rng, now: Timestamp, held: &mut Option<Held>, phase: u64) {
        let read = self.phased.then(|| self.order.read().unwrap());
        let issued = match self.cache.get(now) {
            Access::Use {
                credentials,
                decision,
                lease,
            } => {
                Counts::bump(&self.counts.uses);
                if matches!(decision, RefreshDecision::StaleButUsable { .. }) {
                    Counts::bump(&self.counts.stale_uses);
                }
                check_not_expired(&credentials, &decision, now);
                lease.map(|lease| {
                    let rec = self.register(&lease, now);
                    (lease, rec)
                })
            }
            Access::Refresh { lease, decision } => {
                assert!(
                    matches!(
                        decision,
                        RefreshDecision::Missing
                            | RefreshDecision::Expired { .. }
                            | RefreshDecision::RefreshRequired { .. }
                    ),
                    "Refresh with {decision:?}"
                );
                let rec = self.register(&lease, now);
                Some((lease, rec))
            }
            Access::Wait { .. } => {
                Counts::bump(&self.counts.waits);
                None
            }
            Access::Failed { .. } => {
                Counts::bump(&self.counts.failed);
                None
            }
            other => panic!("unknown access {other:?}"),
        };
        drop(read);
        if let Some((lease, rec)) = issued {
            self.hold(rng, held, lease, rec, phase);
        }
    }

    fn hold(
        &self,
        rng: &mut Rng,
        held: &mut Option<Held>,
        lease: RefreshLease,
        rec: LeaseRec,
        phase: u64,
    ) {
        let due_phase = if rng.chance(15) {
            phase + 1 + rng.below(4)
        } else {
            phase
        };
        if let Some(old) = held.replace(Held {
            lease,
            rec,
            due_phase,
        }) {
            // One lease per thread: a second one means the first was taken over; finish it.
            self.finish(rng, old, self.now());
        }
    }

    /// Completes, fails or releases a held lease and checks the answer against the registry.
    fn finish(&self, rng: &mut Rng, h: Held, now: Timestamp) {
        let _write = self.phased.then(|| self.order.write().unwrap());
        let mut cur = self.phased.then(|| self.current.lock().unwrap());
        let is_current = cur.as_ref().is_some_and(|c| **c == Some(h.rec));
        match rng.below(10) {
            0..=5 => {
                let current = self.cache.entry().map(|e| e.credentials().clone());
                let fetched = fetch(rng, now.unix_millis(), current);
                let r = self
                    .cache
                    .complete_success(h.lease, fetched, now, rng.jitter());
                self.counts.completion(r);
                if let Some(cur) = cur.as_mut() {
                    let installed = matches!(
                        r,
                        Completion::Installed { .. } | Completion::StaleExtended { .. }
                    );
                    if is_current {
                        assert_ne!(r, Completion::Superseded, "the current lease was refused");
                        **cur = None;
                    } else if installed {
                        // A taken-over lease that installs clears whatever lease is current.
                        **cur = None;
                    }
                }
            }
            6..=8 => {
                let r = self
                    .cache
                    .complete_failure(h.lease, failure(rng), now, rng.jitter());
                self.counts.completion(r);
                if let Some(cur) = cur.as_mut() {
                    assert_eq!(
                        r == Completion::Superseded,
                        !is_current,
                        "failure of a {} lease answered {r:?}",
                        if is_current { "current" } else { "taken-over" }
                    );
                    if is_current {
                        **cur = None;
                    }
                }
            }
            _ => {
                let still = self.cache.release(h.lease);
                Counts::bump(&self.counts.released);
                if let Some(cur) = cur.as_mut() {
                    assert_eq!(still, is_current, "release of {:?}", h.rec);
                    if is_current {
                        **cur = None;
                    }
                }
            }
        }
    }

    /// One random operation at `now`.
    fn op(&self, rng: &mut Rng, now: Timestamp, held: &mut Option<Held>, phase: u64) {
        Counts::bump(&self.counts.ops);
        match rng.below(1000) {
            0..=399 => self.get(rng, now, held, phase),
            400..=599 => self.cache.with_current(now, |c, d| {
                if let Some(c) = c {
                    if d.usable() {
                        check_not_expired(c, &d, now);
                    } else {
                        check_whole(c);
                    }
                }
            }),
            600..=679 => {
                let d = self.cache.decision(now);
                let _ = d.wants_refresh(now);
            }
            680..=719 => {
                if let Some(e) = self.cache.entry() {
                    check_whole(e.credentials());
                }
                let _ = (self.cache.next_refresh_at(), self.cache.last_failure());
            }
            720..=899 => {
                if held.as_ref().is_some_and(|h| phase >= h.due_phase) {
                    let h = held.take().unwrap();
                    self.finish(rng, h, now);
                }
            }
            900..=901 => {
                let id = self
                    .cache
                    .entry()
                    .map(|e| e.credentials().access_key_id().clone());
                if let Some(id) = id {
                    if self.cache.invalidate_if_current(&id) {
                        Counts::bump(&self.counts.invalidated);
                    }
                }
            }
            902..=929 => {
                let c = fetch(rng, now.unix_millis(), None);
                let _ = self.cache.install(c, now, rng.jitter());
            }
            930..=939 => {
                let g = self.cache.generation();
                let _ = self.cache.wait_for_change(g, Duration::ZERO);
            }
            _ => {
                if let Some(e) = self.cache.entry() {
                    let _ = format!("{e:?}");
                }
            }
        }
    }
}

/// The clock's next step: mostly seconds, sometimes past a lease timeout (10 s), a refresh
/// window (5 min), an expiry, and now and then backwards.
fn step(rng: &mut Rng) -> i64 {
    match rng.below(1000) {
        0..=699 => rng.below(2 * S as u64) as i64,
        700..=899 => 2 * S + rng.below(28 * S as u64) as i64,
        900..=979 => 30 * S + rng.below(150 * S as u64) as i64,
        980..=994 => 10 * MIN + rng.below(30 * MIN as u64) as i64,
        _ => -(rng.below(MIN as u64) as i64),
    }
}

/// The default policy with a short lease timeout and refresh interval, so leases, takeovers
/// and refreshes are frequent on the test's clock.
fn policy() -> RefreshPolicy {
    RefreshPolicy::builder()
        .lease_timeout(Duration::from_secs(10))
        .min_refresh_interval(Duration::from_secs(1))
        .non_retryable_ttl(Duration::from_secs(20))
        .backoff_max(Duration::from_secs(60))
        .build()
        .unwrap()
}

fn assert_exercised(c: &Counts, phased: bool) {
    let get = |a: &AtomicU64| a.load(Ordering::Relaxed);
    let summary = format!(
        "ops {} uses {} stale {} leases {} takeovers {} waits {} failed {} | installed {} unchanged {} \
         failed {} stale-extended {} rejected-expired {} superseded {} released {} invalidated {}",
        get(&c.ops), get(&c.uses), get(&c.stale_uses), get(&c.leases), get(&c.takeovers),
        get(&c.waits), get(&c.failed), get(&c.installed), get(&c.unchanged),
        get(&c.completion_failed), get(&c.stale_extended), get(&c.rejected_expired),
        get(&c.superseded), get(&c.released), get(&c.invalidated)
    );
    eprintln!("{summary}");
    if total_ops() < 100_000 {
        // A short run (Miri uses a few thousand operations) checks the invariants only.
        return;
    }
    for (name, v) in [
        ("uses", &c.uses),
        ("stale uses", &c.stale_uses),
        ("leases", &c.leases),
        ("waits", &c.waits),
        ("installed", &c.installed),
        ("unchanged", &c.unchanged),
        ("failed completions", &c.completion_failed),
        ("stale extensions", &c.stale_extended),
        ("rejected expired", &c.rejected_expired),
        ("releases", &c.released),
        ("invalidations", &c.invalidated),
    ] {
        assert!(get(v) > 0, "no {name}: {summary}");
    }
    if phased {
        assert!(
            get(&c.takeovers) > 0 && get(&c.superseded) > 0,
            "no takeovers: {summary}"
        );
    }
}

fn shared(phased: bool) -> Shared {
    Shared {
        cache: CredentialCache::new(policy()),
        clock: AtomicI64::new(START),
        order: RwLock::new(()),
        current: Mutex::new(None),
        lease_serial: AtomicU64::new(1),
        counts: Counts::default(),
        phased,
    }
}

#[test]
fn phased() {
    const BATCH: u64 = 32;
    let n = threads();
    let per_thread = total_ops() / n as u64;
    let phases = per_thread.div_ceil(BATCH);
    let s = shared(true);
    let barrier = Barrier::new(n);
    std::thread::scope(|scope| {
        for t in 0..n {
            let (s, barrier) = (&s, &barrier);
            scope.spawn(move || {
                let mut rng = Rng::new(seed() ^ (t as u64 + 1));
                let mut held = None;
                let mut done = 0;
                for phase in 0..phases {
                    let now = s.now();
                    while done < per_thread.min((phase + 1) * BATCH) {
                        s.op(&mut rng, now, &mut held, phase);
                        done += 1;
                    }
                    if barrier.wait().is_leader() {
                        // Quiescent: check the cache as a whole, then move the clock.
                        if let Some(e) = s.cache.entry() {
                            check_whole(e.credentials());
                        }
                        let next = s.clock.load(Ordering::SeqCst) + step(&mut rng);
                        s.clock.store(next, Ordering::SeqCst);
                    }
                    barrier.wait();
                }
                if let Some(h) = held.take() {
                    s.finish(&mut rng, h, s.now());
                }
            });
        }
    });
    assert_eq!(s.counts.ops.load(Ordering::Relaxed), per_thread * n as u64);
    assert_exercised(&s.counts, true);
}

#[test]
fn free_running() {
    let n = threads();
    let per_thread = total_ops() / 5 / n as u64;
    let s = shared(false);
    std::thread::scope(|scope| {
        for t in 0..n {
            let s = &s;
            scope.spawn(move || {
                let mut rng = Rng::new(seed() ^ (0x100 + t as u64));
                let mut held = None;
                for i in 0..per_thread {
                    if rng.chance(3) {
                        s.clock.fetch_add(step(&mut rng), Ordering::SeqCst);
                    }
                    s.op(&mut rng, s.now(), &mut held, i / 64);
                }
                if let Some(h) = held.take() {
                    s.finish(&mut rng, h, s.now());
                }
            });
        }
    });
    assert_exercised(&s.counts, false);
}
