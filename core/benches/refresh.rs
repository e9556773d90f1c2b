//! The refresh hot path: read the current credentials and the decision.
//!
//! `CARGO_TARGET_DIR=/work/target-h2 cargo bench -p sigfresh --bench refresh -- --warm-up-time 1 --measurement-time 3`
//! Medians are in `target/criterion/<group>/<bench>/new/estimates.json`.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use sigfresh::credentials::{CredentialSource, Credentials};
use sigfresh::refresh::{decide, Access, CachedEntry, CredentialCache, Jitter, RefreshPolicy};
use sigfresh::time::Timestamp;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

const HOUR: i64 = 3_600_000;

fn t0() -> Timestamp {
    Timestamp::from_unix_seconds(1_700_000_000)
}

fn creds() -> Credentials {
    Credentials::builder("ASIABENCHMARK", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
        .session_token("token")
        .expiry(t0().offset_millis(6 * HOUR))
        .source(CredentialSource::InstanceMetadata)
        .build()
        .unwrap()
}

fn fresh_cache() -> Arc<CredentialCache> {
    let c = CredentialCache::new(RefreshPolicy::default());
    let _ = c.install(creds(), t0(), Jitter::from_fraction(0.3));
    Arc::new(c)
}

/// Reads in a loop on another thread until dropped (the "2 threads" case).
struct Contender {
    stop: Arc<AtomicBool>,
    handle: Option<std::thread::JoinHandle<u64>>,
}

impl Contender {
    fn start(cache: &Arc<CredentialCache>, now: Timestamp) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let (c, s) = (cache.clone(), stop.clone());
        let handle = std::thread::spawn(move || {
            let mut n = 0u64;
            while !s.load(Ordering::Relaxed) {
                if let Access::Use { .. } = black_box(c.get(black_box(now))) {
                    n += 1;
                }
            }
            n
        });
        Contender {
            stop,
            handle: Some(handle),
        }
    }
}

impl Drop for Contender {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}

fn hot_path(c: &mut Criterion) {
    let mut g = c.benchmark_group("refresh");
    let now = t0().offset_millis(HOUR);
    let policy = RefreshPolicy::default();
    let entry = CachedEntry::new(creds(), t0(), Jitter::from_fraction(0.3));
    g.bench_function("decide (pure)", |b| {
        b.iter(|| decide(black_box(&policy), black_box(Some(&entry)), black_box(now)))
    });

    let cache = fresh_cache();
    g.bench_function("get fresh, uncontended", |b| {
        b.iter(|| black_box(cache.get(black_box(now))))
    });
    let read = |c: &CredentialCache| {
        c.with_current(black_box(now), |creds, d| {
            black_box(creds.map(|c| c.access_key_id().as_str().len()));
            d
        })
    };
    g.bench_function("with_current, uncontended", |b| b.iter(|| read(&cache)));
    g.bench_function("decision only, uncontended", |b| {
        b.iter(|| black_box(cache.decision(black_box(now))))
    });
    {
        let _other = Contender::start(&cache, now);
        g.bench_function("get fresh, 2 threads", |b| {
            b.iter(|| black_box(cache.get(black_box(now))))
        });
        g.bench_function("with_current, 2 threads", |b| b.iter(|| read(&cache)));
        g.bench_function("decision only, 2 threads", |b| {
            b.iter(|| black_box(cache.decision(black_box(now))))
        });
    }

    // In the refresh window with another caller's lease in flight: still lock-free.
    let advisory = t0().offset_millis(6 * HOUR - 240_000);
    let cache = fresh_cache();
    let held = match cache.get(advisory) {
        Access::Use { lease: Some(l), .. } => l,
        other => panic!("expected a background lease, got {other:?}"),
    };
    g.bench_function("get advised, lease in flight, uncontended", |b| {
        b.iter(|| black_box(cache.get(black_box(advisory))))
    });
    {
        let _other = Contender::start(&cache, advisory);
        g.bench_function("get advised, lease in flight, 2 threads", |b| {
            b.iter(|| black_box(cache.get(black_box(advisory))))
        });
    }
    assert!(cache.release(held));
    g.finish();
}

criterion_group!(benches, hot_path);
criterion_main!(benches);
