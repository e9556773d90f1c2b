//! W1 (`tests/bench/workload.json`) signed from Rust, twice: by the core's `Signer::sign`
//! directly, and through the C ABI's `sigfresh_signer_sign` (the same call `tests/c/bench_w1.c`
//! times from C). `tests/c/run.sh bench` runs this and the C program in turn and prints the
//! ratio. Prints one line: `rust_core_ns=<median> rust_ffi_ns=<median>` (ns per signature,
//! the two timed in alternating rounds) and the median per-round ratio `rust_ffi_over_core`.
//!
//! ```text
//! CARGO_TARGET_DIR=/work/target-h6 cargo run --release -p sigfresh-ffi --example bench_w1
//! ```

use sigfresh::credentials::Credentials;
use sigfresh::sigv4::{Payload, SignableRequest, Signer, SigningSettings};
use sigfresh::time::Timestamp;
use sigfresh_ffi::credentials::sigfresh_credentials_new;
use sigfresh_ffi::credentials::SIGFRESH_CREDENTIAL_SOURCE_STATIC;
use sigfresh_ffi::sign::*;
use sigfresh_ffi::{result::SIGFRESH_OK, sigfresh_pair};
use std::hint::black_box;

const ROUNDS: usize = 15;
const ITERS: usize = 20_000;

fn s<'a>(v: &'a serde_json::Value, k: &str) -> &'a str {
    v[k].as_str()
        .unwrap_or_else(|| panic!("workload.json: {k}"))
}

/// Times `a` and `b` in alternating rounds of `ITERS` calls (so load on a shared machine hits
/// both alike). Returns the median ns per call of each and the median of the per-round ratios
/// `b / a`.
#[allow(clippy::disallowed_methods)] // a benchmark reads the clock; the library does not
fn paired(mut a: impl FnMut(), mut b: impl FnMut()) -> (f64, f64, f64) {
    let round = |f: &mut dyn FnMut()| {
        let start = std::time::Instant::now();
        for _ in 0..ITERS {
            f();
        }
        start.elapsed().as_nanos() as f64 / ITERS as f64
    };
    round(&mut a);
    round(&mut b);
    let (mut ta, mut tb, mut ratio) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..ROUNDS {
        let x = round(&mut a);
        let y = round(&mut b);
        ta.push(x);
        tb.push(y);
        ratio.push(y / x);
    }
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    (median(ta), median(tb), median(ratio))
}

fn main() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/bench/workload.json");
    let root: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("workload.json")).unwrap();
    let w = &root["W1"];
    let (akid, secret, token) = (
        s(&root, "access_key"),
        s(&root, "secret_key"),
        s(&root, "session_token"),
    );
    let time_ms = root["time_epoch"].as_i64().unwrap() * 1000;
    let headers: Vec<(&str, &str)> = w["headers"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str().unwrap()))
        .collect();
    let (uri, region, service) = (s(w, "url"), s(w, "region"), s(w, "service"));

    // The core, called directly.
    let signer = Signer::new(region, service, SigningSettings::s3()).unwrap();
    let creds = Credentials::builder(akid, secret)
        .session_token(token)
        .build()
        .unwrap();
    let req = SignableRequest::new("GET", uri, &headers, Payload::Unsigned);
    let now = Timestamp::from_unix_millis(time_ms);
    let out = signer.sign(&req, &creds, now).unwrap();
    assert_eq!(out.signature(), s(w, "signature"));
    // The C ABI, called from Rust.
    let mut settings = std::ptr::null_mut();
    let mut c_signer = std::ptr::null();
    let mut c_creds = std::ptr::null();
    let pairs: Vec<sigfresh_pair> = headers
        .iter()
        .map(|(n, v)| sigfresh_pair {
            name: n.as_ptr().cast(),
            name_len: n.len(),
            value: v.as_ptr().cast(),
            value_len: v.len(),
        })
        .collect();
    let c_req = sigfresh_request {
        method: c"GET".as_ptr(),
        method_len: 3,
        uri: uri.as_ptr().cast(),
        uri_len: uri.len(),
        headers: pairs.as_ptr(),
        headers_len: pairs.len(),
        payload: sigfresh_payload {
            kind: SIGFRESH_PAYLOAD_UNSIGNED,
            data: std::ptr::null(),
            data_len: 0,
        },
    };
    let mut buf = [0 as std::ffi::c_char; 1024];
    let mut hs = [sigfresh_pair {
        name: std::ptr::null(),
        name_len: 0,
        value: std::ptr::null(),
        value_len: 0,
    }; SIGFRESH_MAX_SIGNING_HEADERS];
    let (mut count, mut used) = (0usize, 0usize);
    // SAFETY: every pointer refers to live locals of the right size for the whole block.
    let (core, ffi, ratio) = unsafe {
        assert_eq!(sigfresh_signing_settings_new_s3(&mut settings), SIGFRESH_OK);
        assert_eq!(
            sigfresh_signer_new(
                settings,
                region.as_ptr().cast(),
                region.len(),
                service.as_ptr().cast(),
                service.len(),
                &mut c_signer
            ),
            SIGFRESH_OK
        );
        assert_eq!(
            sigfresh_credentials_new(
                akid.as_ptr().cast(),
                akid.len(),
                secret.as_ptr().cast(),
                secret.len(),
                token.as_ptr().cast(),
                token.len(),
                std::ptr::null(),
                std::ptr::null(),
                0,
                SIGFRESH_CREDENTIAL_SOURCE_STATIC,
                &mut c_creds
            ),
            SIGFRESH_OK
        );
        let mut sign = || {
            sigfresh_signer_sign(
                c_signer,
                &c_req,
                c_creds,
                time_ms,
                buf.as_mut_ptr(),
                buf.len(),
                hs.as_mut_ptr(),
                hs.len(),
                &mut count,
                &mut used,
            )
        };
        assert_eq!(sign(), SIGFRESH_OK);
        paired(
            || {
                black_box(signer.sign(black_box(&req), black_box(&creds), black_box(now))).ok();
            },
            || {
                black_box(sign());
            },
        )
    };
    let last = hs[count - 1];
    // SAFETY: the value points into `buf`, NUL-terminated, written by the last call.
    let auth = unsafe { std::ffi::CStr::from_ptr(last.value) }
        .to_str()
        .unwrap();
    assert!(auth.ends_with(s(w, "signature")), "{auth}");
    #[allow(clippy::print_stdout)] // the benchmark's one line of output
    {
        println!("rust_core_ns={core:.1} rust_ffi_ns={ffi:.1} rust_ffi_over_core={ratio:.3}");
    }
}
