//! `sigfresh demo` in its short mode: the report's numbers are checked, not its timing.

mod support;

use serde_json::Value;
use std::time::Duration;
use support::{assert_clean_error, stderr, stdout, Run};

fn demo(args: &[&str]) -> std::process::Output {
    let mut all = vec!["demo"];
    all.extend(args);
    Run::new(&all).timeout(Duration::from_secs(300)).output()
}

fn n(v: &Value, path: &[&str]) -> u64 {
    let mut x = v;
    for p in path {
        x = &x[*p];
    }
    x.as_u64()
        .unwrap_or_else(|| panic!("{path:?} is not a number in {v}"))
}

fn check_report(v: &Value, hours: u64, threads: u64) {
    let rotations = n(v, &["rotations"]);
    // 6-hour credentials, the first set 15 min to 5 h 45 min old at the start.
    assert!(
        rotations >= hours / 6,
        "{hours} h: at least {} rotations: {v}",
        hours / 6
    );
    for client in ["naive", "sigfresh"] {
        let sent = n(v, &[client, "requests"]);
        let done = n(v, &[client, "succeeded"])
            + n(v, &[client, "expired_token_rejections"])
            + n(v, &[client, "other_failures"]);
        assert_eq!(sent, done, "{client}: every request is accounted for");
        assert_eq!(n(v, &[client, "other_failures"]), 0, "{client}: {v}");
    }
    // One request per thread per simulated minute.
    assert_eq!(n(v, &["naive", "requests"]), hours * 60 * threads);
    assert_eq!(n(v, &["sigfresh", "requests"]), hours * 60 * threads);

    // The naive client fails from its credentials' expiry on, and never recovers.
    let naive_expired = n(v, &["naive", "expired_token_rejections"]);
    assert!(naive_expired > 0, "{v}");
    assert_eq!(n(v, &["naive", "refreshes"]), 0);
    assert_eq!(
        n(v, &["naive", "imds_calls"]),
        3,
        "token, role, credentials: once"
    );
    let expired_at = v["naive_credentials_expired_at"].as_str().unwrap();
    let first = v["naive"]["first_expired_token_at"].as_str().unwrap();
    assert!(
        first >= expired_at,
        "no rejection before expiry: {first} < {expired_at}"
    );

    // sigfresh's client: no rejection, one refresh per rotation, each before expiry.
    assert_eq!(n(v, &["sigfresh", "expired_token_rejections"]), 0, "{v}");
    assert_eq!(n(v, &["sigfresh", "retries"]), 0);
    assert_eq!(n(v, &["sigfresh", "refreshes"]), rotations, "{v}");
    assert_eq!(n(v, &["sigfresh", "succeeded"]), hours * 60 * threads);
    for lead in v["sigfresh"]["refreshed_before_expiry_secs"]
        .as_array()
        .unwrap()
    {
        let s = lead.as_i64().unwrap();
        assert!((60..=360).contains(&s), "refreshed {s} s before expiry");
    }
    // A handful of IMDS calls, not one per request or per thread.
    let calls = n(v, &["sigfresh", "imds_calls"]);
    assert!(
        calls >= 3 + rotations && calls <= 3 + 4 * rotations + 4,
        "{calls} IMDS calls"
    );
    assert_eq!(
        n(v, &["imds_server_requests"]),
        calls + n(v, &["naive", "imds_calls"]),
        "the IMDS stand-in saw exactly the clients' calls"
    );
    assert!(n(v, &["sigfresh", "sign_p50_ns"]) > 0);
}

#[test]
fn short_demo_report_shows_the_bug_and_the_fix() {
    let out = demo(&[
        "--hours",
        "13",
        "--threads",
        "4",
        "--seed",
        "42",
        "--json",
        "--no-progress",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stderr(&out), "", "--no-progress: nothing on stderr");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(n(&v, &["hours"]), 13);
    assert_eq!(n(&v, &["seed"]), 42);
    assert!(n(&v, &["rotations"]) >= 2);
    check_report(&v, 13, 4);
}

#[test]
fn other_seeds_and_sizes_count_the_same_way() {
    for (seed, hours, threads) in [("1", 13, 2), ("2024", 20, 3), ("99", 7, 1)] {
        let h = hours.to_string();
        let t = threads.to_string();
        let out = demo(&[
            "--hours",
            &h,
            "--threads",
            &t,
            "--seed",
            seed,
            "--json",
            "--no-progress",
        ]);
        assert!(out.status.success(), "seed {seed}: {}", stderr(&out));
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        check_report(&v, hours, threads);
    }
    // The same seed gives the same schedule and the same counts.
    let run = || {
        let out = demo(&[
            "--hours",
            "13",
            "--threads",
            "2",
            "--seed",
            "5",
            "--json",
            "--no-progress",
        ]);
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        (
            v["rotation_times"].clone(),
            v["naive"]["expired_token_rejections"].clone(),
            v["sigfresh"]["imds_calls"].clone(),
        )
    };
    assert_eq!(run(), run());
}

#[test]
fn text_report_and_progress_lines() {
    let out = demo(&["--hours", "13", "--threads", "4", "--seed", "42"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with("sigfresh demo: 13 simulated hours, 4 threads per client"),
        "{text}"
    );
    let row = |name: &str| -> Vec<String> {
        let line = text
            .lines()
            .find(|l| l.trim_start().starts_with(name))
            .unwrap_or_else(|| panic!("{name} row in {text}"));
        line[name.len() + 2..]
            .split_whitespace()
            .map(str::to_owned)
            .collect()
    };
    assert_eq!(row("requests sent"), ["3120", "3120"]);
    let expired = row("ExpiredToken rejections");
    assert_ne!(expired[0], "0", "{text}");
    assert_eq!(expired[1], "0", "{text}");
    assert!(
        text.contains("naive client: its credentials expired at +"),
        "{text}"
    );
    assert!(text.contains(" ExpiredToken ("), "{text}");
    assert!(
        text.contains("sigfresh client: 2 refresh(es) for 2 rotation(s)")
            || text.contains("sigfresh client: 3 refresh(es) for 3 rotation(s)"),
        "{text}"
    );
    // Not a terminal: one progress line per simulated hour on stderr.
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 13, "{err}");
    assert!(
        err.lines()
            .last()
            .unwrap()
            .starts_with("hour  13/13: naive 3120 sent, "),
        "{err}"
    );
}

#[test]
fn per_minute_and_speed() {
    let out = demo(&[
        "--hours",
        "6",
        "--threads",
        "1",
        "--per-minute",
        "3",
        "--speed",
        "0",
        "--json",
        "--no-progress",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(n(&v, &["requests_per_thread_per_minute"]), 3);
    assert_eq!(n(&v, &["sigfresh", "requests"]), 6 * 60 * 3);
    assert_eq!(n(&v, &["sigfresh", "expired_token_rejections"]), 0);
    // Paced: 2 simulated hours per second, so 6 hours take at least 3 seconds.
    let out = demo(&[
        "--hours",
        "6",
        "--threads",
        "1",
        "--speed",
        "2",
        "--json",
        "--no-progress",
    ]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["real_seconds"].as_f64().unwrap() >= 2.9, "{v}");
}

#[test]
fn demo_bad_flags() {
    for (args, needle) in [
        (vec!["--hours", "0"], "--hours 0: use 1 to 168"),
        (vec!["--hours", "many"], "--hours takes"),
        (vec!["--threads", "100"], "--threads 100: use 1 to 32"),
        (vec!["--per-minute", "0"], "--per-minute 0"),
        (vec!["--seed", "-1"], "--seed takes"),
        (vec!["--fast"], "unknown option"),
        (vec!["now"], "unexpected argument"),
        (vec!["--speed", "fast"], "--speed takes"),
        (
            vec!["--hours", "168", "--threads", "32", "--per-minute", "60"],
            "would take too long",
        ),
    ] {
        assert_clean_error(&demo(&args), 2, needle);
    }
}
