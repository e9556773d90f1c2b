//! The cross-language conformance corpus (`tests/vectors/`, format in its README.md) through the
//! Rust core. The C, Node and CLI runners read the same files and check the same expectations.
//!
//! `cargo test -p sigfresh --test conformance -- --nocapture` prints the counts per kind.

#[path = "conformance/run.rs"]
mod run;
mod support;

use support::vectors::{cases, Report};

#[test]
fn the_corpus_passes_through_the_rust_core() {
    let mut report = Report::default();
    run::suite(&mut report);
    for (name, case) in cases("signing") {
        report.record("signing", &name, run::signing(&case));
    }
    for (name, case) in cases("documents") {
        report.record("documents", &name, run::document(&case));
    }
    for (name, case) in cases("errors") {
        report.record("errors", &name, run::error(&case));
    }
    for (name, case) in cases("refresh") {
        report.record("refresh", &name, run::refresh(&case));
    }
    for (name, case) in cases("exchanges") {
        report.record("exchanges", &name, run::exchange(&case));
    }
    report.finish();
}
