//! W1–W3 (`tests/bench/workload.json`) signed by sigfresh and by aws-sigv4 1.6.4 in one run,
//! plus the hashing floor: the SHA-256 and HMAC work any SigV4 signer must do once the signing
//! key is cached with its HMAC pad states (W1/W3: hash the canonical request, one HMAC over the
//! string to sign; W2: also hash the 1 KiB body).
//!
//! Inputs are built outside the timed loops. aws-sigv4's `sign` consumes its
//! `SignableRequest`, so building that (which parses the URI) is part of its loop; sigfresh's
//! request is a borrowed struct. Results: `BENCHMARKS.md`.
//!
//! ```text
//! cargo bench -p sigfresh-peers --bench sign -- --warm-up-time 2 --measurement-time 5
//! cargo bench -p sigfresh-peers --bench sign -- paired      # alternating rounds, ratios
//! <bench binary> count W1 2000                               # for callgrind, see `count`
//! ```

#[path = "../tests/common/mod.rs"]
mod common;

use common::workload::{load, Workload};
use common::Body;
use criterion::measurement::WallTime;
use criterion::{black_box, criterion_group, BenchmarkGroup, Criterion};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use sigfresh::sigv4::{SignableRequest, Signer};
use sigfresh::time::Timestamp;

fn bench_sigfresh(g: &mut BenchmarkGroup<'_, WallTime>, w: &Workload) {
    let case = &w.case;
    let signer = Signer::new(&case.region, &case.service, case.knobs.sigfresh()).unwrap();
    let creds = case.credentials();
    let headers = case.header_refs();
    let req = SignableRequest {
        method: &case.method,
        uri: &case.uri,
        headers: &headers,
        payload: case.body.payload(),
    };
    let now = Timestamp::from_unix_seconds(case.time);
    let out = signer.sign(&req, &creds, now).unwrap();
    assert_eq!(out.signature(), w.signature, "{}: sigfresh", w.name);
    g.bench_function("sigfresh", |b| {
        b.iter(|| {
            signer
                .sign(black_box(&req), black_box(&creds), black_box(now))
                .unwrap()
        })
    });
}

fn bench_aws(g: &mut BenchmarkGroup<'_, WallTime>, w: &Workload) {
    use aws_sigv4::http_request::{sign, SignableRequest};
    let case = &w.case;
    let identity = common::aws::identity(case.token.as_deref());
    let params = aws_sigv4::sign::v4::SigningParams::builder()
        .identity(&identity)
        .region(&case.region)
        .name(&case.service)
        .time(common::aws::system_time(case.time))
        .settings(common::aws::settings(case))
        .build()
        .unwrap()
        .into();
    let run = || {
        let req = SignableRequest::new(
            black_box(&case.method),
            black_box(case.uri.as_str()),
            case.headers.iter().map(|(n, v)| (n.as_str(), v.as_str())),
            common::aws::body(&case.body),
        )
        .unwrap();
        sign(req, &params).unwrap()
    };
    assert_eq!(run().signature(), w.signature, "{}: aws-sigv4", w.name);
    g.bench_function("aws-sigv4", |b| b.iter(run));
}

type HmacSha256 = Hmac<Sha256>;

/// The signing key for the workload's scope, derived once (the "cached key").
fn signing_key(w: &Workload) -> [u8; 32] {
    let date = &w.string_to_sign.split('\n').nth(1).unwrap()[..8];
    let mut key = format!("AWS4{}", common::SECRET_KEY).into_bytes();
    for part in [date, &w.case.region, &w.case.service, "aws4_request"] {
        let mut mac = HmacSha256::new_from_slice(&key).unwrap();
        mac.update(part.as_bytes());
        key = mac.finalize().into_bytes().to_vec();
    }
    key.try_into().unwrap()
}

fn bench_floor(g: &mut BenchmarkGroup<'_, WallTime>, w: &Workload) {
    let key = signing_key(w);
    let creq = w.canonical_request.as_bytes();
    let sts = w.string_to_sign.as_bytes();
    let body: &[u8] = match &w.case.body {
        Body::Bytes(b) => b,
        _ => &[],
    };
    // Check that the floor computes the real thing.
    let mut mac = HmacSha256::new_from_slice(&key).unwrap();
    mac.update(sts);
    assert_eq!(hex::encode(mac.finalize().into_bytes()), w.signature);
    assert!(w
        .string_to_sign
        .ends_with(&hex::encode(Sha256::digest(creq))));
    // The key's HMAC pad blocks are absorbed once, outside the loop (as sigfresh caches them
    // with the signing key): each iteration clones the keyed state and hashes only the
    // message blocks.
    let keyed = HmacSha256::new_from_slice(&key).unwrap();
    g.bench_function("floor", |b| {
        b.iter(|| {
            let body_hash = if body.is_empty() {
                None
            } else {
                Some(Sha256::digest(black_box(body)))
            };
            let creq_hash = Sha256::digest(black_box(creq));
            let mut mac = black_box(&keyed).clone();
            mac.update(black_box(sts));
            (body_hash, creq_hash, mac.finalize().into_bytes())
        })
    });
}

fn benches(c: &mut Criterion) {
    for w in load() {
        let mut g = c.benchmark_group(w.name);
        bench_sigfresh(&mut g, &w);
        bench_aws(&mut g, &w);
        bench_floor(&mut g, &w);
        g.finish();
    }
}

/// `cargo bench -p sigfresh-peers --bench sign -- paired`: the three calls of each workload timed
/// in alternating short rounds (the order rotating from round to round), so that a load change
/// on a shared machine hits all three alike. Prints the median ns per call of each and the
/// medians of the per-round ratios. Same setup and checks as the Criterion benchmarks.
// A benchmark reads the clock and prints its table; the library does neither.
#[allow(clippy::disallowed_methods, clippy::print_stdout)]
fn paired() {
    use std::time::Instant;
    const ROUNDS: usize = 41;
    const ITERS: u32 = 400;
    fn time(f: &mut dyn FnMut(), iters: u32) -> f64 {
        let start = Instant::now();
        for _ in 0..iters {
            f();
        }
        start.elapsed().as_nanos() as f64 / f64::from(iters)
    }
    fn median(mut v: Vec<f64>) -> f64 {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    }
    println!("workload  sigfresh_ns  aws_sigv4_ns  floor_ns  aws/sigfresh  sigfresh/floor");
    for w in load() {
        let case = &w.case;
        // sigfresh, as in `bench_sigfresh`.
        let signer = Signer::new(&case.region, &case.service, case.knobs.sigfresh()).unwrap();
        let creds = case.credentials();
        let headers = case.header_refs();
        let req = SignableRequest {
            method: &case.method,
            uri: &case.uri,
            headers: &headers,
            payload: case.body.payload(),
        };
        let now = Timestamp::from_unix_seconds(case.time);
        assert_eq!(
            signer.sign(&req, &creds, now).unwrap().signature(),
            w.signature
        );
        let mut ours = || {
            black_box(
                signer
                    .sign(black_box(&req), black_box(&creds), black_box(now))
                    .unwrap(),
            );
        };
        // aws-sigv4, as in `bench_aws`.
        let identity = common::aws::identity(case.token.as_deref());
        let params = aws_sigv4::sign::v4::SigningParams::builder()
            .identity(&identity)
            .region(&case.region)
            .name(&case.service)
            .time(common::aws::system_time(case.time))
            .settings(common::aws::settings(case))
            .build()
            .unwrap()
            .into();
        let aws_sign = || {
            use aws_sigv4::http_request::{sign, SignableRequest};
            let req = SignableRequest::new(
                black_box(&case.method),
                black_box(case.uri.as_str()),
                case.headers.iter().map(|(n, v)| (n.as_str(), v.as_str())),
                common::aws::body(&case.body),
            )
            .unwrap();
            sign(req, &params).unwrap()
        };
        assert_eq!(aws_sign().signature(), w.signature);
        let mut theirs = || {
            black_box(aws_sign());
        };
        // The floor, as in `bench_floor`.
        let keyed = HmacSha256::new_from_slice(&signing_key(&w)).unwrap();
        let (creq, sts) = (w.canonical_request.as_bytes(), w.string_to_sign.as_bytes());
        let body: &[u8] = match &case.body {
            Body::Bytes(b) => b,
            _ => &[],
        };
        let mut floor = || {
            let body_hash = (!body.is_empty()).then(|| Sha256::digest(black_box(body)));
            let creq_hash = Sha256::digest(black_box(creq));
            let mut mac = black_box(&keyed).clone();
            mac.update(black_box(sts));
            black_box((body_hash, creq_hash, mac.finalize().into_bytes()));
        };
        // Warm-up: about 0.1 s of each (the allocator and caches settle).
        for _ in 0..20 {
            time(&mut ours, ITERS);
            time(&mut theirs, ITERS / 8);
            time(&mut floor, ITERS);
        }
        let (mut o, mut t, mut f) = (Vec::new(), Vec::new(), Vec::new());
        for round in 0..=ROUNDS {
            let mut times = [0.0; 3];
            for k in 0..3 {
                let which = (round + k) % 3;
                times[which] = match which {
                    0 => time(&mut ours, ITERS),
                    1 => time(&mut theirs, ITERS),
                    _ => time(&mut floor, ITERS),
                };
            }
            if round > 0 {
                // Round 0 warms up.
                o.push(times[0]);
                t.push(times[1]);
                f.push(times[2]);
            }
        }
        let theirs_over_ours = median(t.iter().zip(&o).map(|(t, o)| t / o).collect());
        let ours_over_floor = median(o.iter().zip(&f).map(|(o, f)| o / f).collect());
        println!(
            "{:8}  {:11.0}  {:12.0}  {:8.0}  {:12.2}  {:14.2}",
            w.name,
            median(o),
            median(t),
            median(f),
            theirs_over_ours,
            ours_over_floor
        );
    }
}

/// `<bench binary> count <W1|W2|W3> <n>`: `n` sigfresh signatures of one workload in
/// `count_sigfresh`, and nothing else timed, for instruction counts under valgrind:
/// `valgrind --tool=callgrind --toggle-collect='sign::count_sigfresh*' <binary> count W1 2000`.
/// (valgrind does not run SHA-NI, so SHA-256 takes its portable path there; count the rest.)
fn count(name: &str, n: u32) {
    let w = load()
        .into_iter()
        .find(|w| w.name == name)
        .expect("W1, W2 or W3");
    let case = &w.case;
    let signer = Signer::new(&case.region, &case.service, case.knobs.sigfresh()).unwrap();
    let creds = case.credentials();
    let headers = case.header_refs();
    let req = SignableRequest {
        method: &case.method,
        uri: &case.uri,
        headers: &headers,
        payload: case.body.payload(),
    };
    let now = Timestamp::from_unix_seconds(case.time);
    assert_eq!(
        signer.sign(&req, &creds, now).unwrap().signature(),
        w.signature
    );
    count_sigfresh(n, &|| {
        black_box(
            signer
                .sign(black_box(&req), black_box(&creds), black_box(now))
                .unwrap(),
        );
    });
}

#[inline(never)]
fn count_sigfresh(n: u32, f: &dyn Fn()) {
    for _ in 0..n {
        f();
    }
}

criterion_group!(sign_benches, benches);

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "paired") {
        paired();
        return;
    }
    if let [mode, name, n, ..] = args.as_slice() {
        if mode == "count" {
            count(name, n.parse().expect("a count"));
            return;
        }
    }
    sign_benches();
    Criterion::default().configure_from_args().final_summary();
}
