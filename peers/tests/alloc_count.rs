//! Heap allocations per signature: a header-signed W1 and W2 request must make at most 2
//! allocations inside `Signer::sign` once the signing-key cache is warm. aws-sigv4's count is
//! printed for context (no assertion on it).
//!
//! The counting allocator counts per thread, so the test harness's own threads do not disturb
//! the numbers.

mod common;

use common::workload::{load, Workload};
use sigfresh::sigv4::{SignableRequest, Signer};
use sigfresh::time::Timestamp;
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

struct Counting;

thread_local! {
    static COUNTING: Cell<bool> = const { Cell::new(false) };
    static ALLOCS: Cell<usize> = const { Cell::new(0) };
    static BYTES: Cell<usize> = const { Cell::new(0) };
}

fn note(size: usize) {
    // `try_with`: the thread-locals may already be gone while a thread shuts down.
    let _ = COUNTING.try_with(|on| {
        if on.get() {
            let _ = ALLOCS.try_with(|a| a.set(a.get() + 1));
            let _ = BYTES.try_with(|b| b.set(b.get() + size));
        }
    });
}

// SAFETY: every method forwards to `System` with the caller's arguments unchanged; the counters
// are const-initialised thread-locals without destructors, so touching them never allocates.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note(layout.size());
        // SAFETY: same contract as our caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        note(layout.size());
        // SAFETY: same contract as our caller's.
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // A reallocation is counted as one more allocation.
        note(new_size);
        // SAFETY: same contract as our caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as our caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Runs `f` and returns (allocations incl. reallocations, bytes requested) made meanwhile on
/// this thread, plus `f`'s result (dropped by the caller, outside the count).
fn count<R>(f: impl FnOnce() -> R) -> (usize, usize, R) {
    ALLOCS.with(|a| a.set(0));
    BYTES.with(|b| b.set(0));
    COUNTING.with(|c| c.set(true));
    let r = f();
    COUNTING.with(|c| c.set(false));
    (ALLOCS.with(Cell::get), BYTES.with(Cell::get), r)
}

fn sigfresh_allocs(w: &Workload) -> (usize, usize) {
    let c = &w.case;
    let signer = Signer::new(&c.region, &c.service, c.knobs.sigfresh()).unwrap();
    let creds = c.credentials();
    let headers = c.header_refs();
    let req = SignableRequest {
        method: &c.method,
        uri: &c.uri,
        headers: &headers,
        payload: c.body.payload(),
    };
    let now = Timestamp::from_unix_seconds(c.time);
    // Warm-up: derives and caches the signing key for this day/region/service.
    let warm = signer.sign(&req, &creds, now).unwrap();
    assert_eq!(warm.signature(), w.signature, "{}", w.name);
    drop(warm);
    let (n, bytes, out) = count(|| signer.sign(&req, &creds, now));
    let out = out.unwrap();
    assert_eq!(out.signature(), w.signature, "{}", w.name);
    drop(out);
    (n, bytes)
}

fn aws_allocs(w: &Workload) -> (usize, usize) {
    use aws_sigv4::http_request::{sign, SignableRequest};
    let c = &w.case;
    let identity = common::aws::identity(c.token.as_deref());
    let params = aws_sigv4::sign::v4::SigningParams::builder()
        .identity(&identity)
        .region(&c.region)
        .name(&c.service)
        .time(common::aws::system_time(c.time))
        .settings(common::aws::settings(c))
        .build()
        .unwrap()
        .into();
    let run = || {
        let req = SignableRequest::new(
            &c.method,
            c.uri.as_str(),
            c.headers.iter().map(|(n, v)| (n.as_str(), v.as_str())),
            common::aws::body(&c.body),
        )
        .unwrap();
        sign(req, &params).unwrap()
    };
    drop(run());
    let (n, bytes, out) = count(run);
    assert_eq!(out.signature(), w.signature, "{}", w.name);
    drop(out);
    (n, bytes)
}

#[test]
fn header_signing_allocates_at_most_twice() {
    let mut report = Vec::new();
    let mut over = Vec::new();
    for w in load() {
        let (ours, ours_bytes) = sigfresh_allocs(&w);
        let (theirs, theirs_bytes) = aws_allocs(&w);
        report.push(format!(
            "{}: sigfresh {ours} allocations ({ours_bytes} bytes), aws-sigv4 {theirs} ({theirs_bytes} bytes)",
            w.name
        ));
        // W3 is presigned; the bound is for header signing (W1, W2).
        if w.case.knobs.presign.is_none() && ours > 2 {
            over.push(format!("{}: {ours}", w.name));
        }
    }
    eprintln!("{}", report.join("\n"));
    assert!(
        over.is_empty(),
        "header signing must make at most 2 heap allocations inside sign(): {over:?}\n{}",
        report.join("\n")
    );
}
