//! Differential tests and benchmarks against peer implementations. Nothing here ships.
//!
//! Everything lives in the test and bench targets:
//!
//! - `tests/aws_sigv4_diff.rs`: 10,000 generated requests signed by sigfresh and aws-sigv4
//!   1.6.4, with every stage compared. There is also one explicit test per known difference.
//! - `tests/botocore_diff.rs`: 600 generated requests signed by botocore (through
//!   `botocore_sign.py`; needs `python3` with botocore), plus the known differences.
//! - `tests/workloads.rs`: W1–W3 from `tests/bench/workload.json`, reproduced by both signers.
//! - `tests/alloc_count.rs`: heap allocations per signature (a counting global allocator).
//! - `benches/sign.rs`: the Criterion benchmark. Results are in `BENCHMARKS.md` at the repo
//!   root.
//!
//! `KNOWN_DIFFERENCES.md` documents every disagreement and its evidence.
#![forbid(unsafe_code)]
