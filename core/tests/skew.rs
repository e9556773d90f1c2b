//! ClockSkew and parse_http_date: learning from each date form, the threshold, corrected time,
//! concurrency, and never-panic properties.

use proptest::prelude::*;
use sigfresh::classify::{classify, Action, ErrorKind, ErrorResponse};
use sigfresh::skew::{is_skew_error, ClockSkew, SkewChange, SkewVerdict};
use sigfresh::time::{parse_http_date, Timestamp};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// 1994-11-06T08:49:37Z, the instant of RFC 9110's examples.
const SERVER: i64 = 784_111_777_000;

#[test]
fn offset_is_learned_from_every_date_form() {
    for header in [
        "Sun, 06 Nov 1994 08:49:37 GMT",
        "Sunday, 06-Nov-94 08:49:37 GMT",
        "Sun Nov  6 08:49:37 1994",
        "1994-11-06T08:49:37Z",
        "19941106T084937Z",
        "Sun, 06 Nov 1994 09:49:37 +0100",
    ] {
        for local_offset in [-600_000i64, 600_000, -3_600_000 * 25] {
            let skew = ClockSkew::default();
            let local_now = Timestamp::from_unix_millis(SERVER - local_offset);
            assert_eq!(
                skew.observe_date_header(header, local_now),
                Ok(local_offset),
                "{header}"
            );
            assert_eq!(skew.offset_millis(), local_offset, "{header}");
            assert_eq!(
                skew.corrected(local_now),
                Timestamp::from_unix_millis(SERVER),
                "{header}"
            );
        }
    }
}

#[test]
fn unparseable_headers_change_nothing() {
    let skew = ClockSkew::default();
    let now = Timestamp::from_unix_millis(SERVER - 600_000);
    skew.observe_date_header("Sun, 06 Nov 1994 08:49:37 GMT", now)
        .unwrap();
    for bad in [
        "",
        "yesterday",
        "Sun, 06 Nov 1994 08:49:37",
        "Sun, 31 Feb 1994 08:49:37 GMT",
    ] {
        assert!(skew.observe_date_header(bad, now).is_err(), "{bad}");
    }
    assert_eq!(skew.offset_millis(), 600_000);
}

#[test]
fn threshold_behaviour() {
    let skew = ClockSkew::default();
    let local = |ms: i64| Timestamp::from_unix_millis(SERVER - ms);
    let server = Timestamp::from_unix_millis(SERVER);
    // Sub-threshold noise (a 1 s header, a slow response) is ignored: the offset stays exactly 0.
    for noise in [0, 999, -1_500, 30_000, -239_999] {
        assert!(matches!(
            skew.observe(server, local(noise)),
            SkewChange::Kept { offset_ms: 0, .. }
        ));
    }
    assert_eq!(skew.offset_millis(), 0);
    // Exactly 4 minutes is adopted.
    assert_eq!(
        skew.observe(server, local(240_000)),
        SkewChange::Adopted {
            previous_ms: 0,
            offset_ms: 240_000
        }
    );
    // Near the adopted offset: kept, no jitter.
    assert_eq!(skew.observe(server, local(241_000)).offset_ms(), 240_000);
    // The host clock is fixed: the stale offset heals.
    assert_eq!(skew.observe(server, local(0)).offset_ms(), 0);
    // A custom threshold.
    let fine = ClockSkew::with_threshold_millis(2_000);
    assert_eq!(fine.observe(server, local(2_000)).offset_ms(), 2_000);
    assert_eq!(fine.observe(server, local(3_000)).offset_ms(), 2_000);
    fine.reset();
    assert_eq!(fine.offset_millis(), 0);
}

#[test]
fn corrected_time_is_local_plus_offset() {
    let skew = ClockSkew::default();
    let local_now = Timestamp::from_unix_millis(1_000_000);
    assert_eq!(skew.corrected(local_now), local_now);
    skew.observe(Timestamp::from_unix_millis(1_000_000 - 900_000), local_now);
    assert_eq!(skew.offset_millis(), -900_000);
    assert_eq!(
        skew.corrected(Timestamp::from_unix_millis(5_000_000)),
        Timestamp::from_unix_millis(4_100_000)
    );
    assert_eq!(
        skew.corrected(Timestamp::from_unix_millis(i64::MIN)),
        Timestamp::from_unix_millis(i64::MIN)
    );
}

#[test]
fn concurrent_observers_never_tear() {
    const PLUS: i64 = 600_000;
    const MINUS: i64 = -3_000_000_000_123; // far apart, and not a value any thread writes half of
    let skew = Arc::new(ClockSkew::default());
    let stop = Arc::new(AtomicBool::new(false));
    let reader = {
        let (skew, stop) = (Arc::clone(&skew), Arc::clone(&stop));
        std::thread::spawn(move || {
            let mut seen = 0u64;
            while !stop.load(Ordering::Relaxed) {
                let v = skew.offset_millis();
                assert!(
                    v == 0 || v == PLUS || v == MINUS,
                    "torn or invented offset {v}"
                );
                seen += 1;
            }
            seen
        })
    };
    let writers: Vec<_> = (0..8)
        .map(|t| {
            let skew = Arc::clone(&skew);
            std::thread::spawn(move || {
                let local = Timestamp::from_unix_millis(SERVER);
                for i in 0..20_000 {
                    let target = if (i + t) % 2 == 0 { PLUS } else { MINUS };
                    let change = skew.observe(local.offset_millis(target), local);
                    assert!(matches!(change.offset_ms(), 0 | PLUS | MINUS));
                    if i % 1000 == 0 {
                        skew.observe_date_header(
                            "Sun, 06 Nov 1994 08:49:37 GMT",
                            local.offset_millis(-PLUS),
                        )
                        .unwrap();
                    }
                }
            })
        })
        .collect();
    for w in writers {
        w.join().unwrap();
    }
    stop.store(true, Ordering::Relaxed);
    assert!(reader.join().unwrap() > 0);
    let last = skew.offset_millis();
    assert!(last == PLUS || last == MINUS, "{last}");
}

#[test]
fn ten_minute_clock_error_and_signature_does_not_match() {
    let server = Timestamp::from_unix_millis(SERVER);
    let headers = [("Date", "Sun, 06 Nov 1994 08:49:37 GMT")];
    let body =
        b"<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated \
                 does not match the signature you provided.</Message></Error>";
    for clock_error in [-600_000i64, 600_000] {
        let skew = ClockSkew::default();
        let local_now = server.offset_millis(clock_error);
        let c = classify(
            &ErrorResponse::new(403, &headers, body),
            Some(&skew),
            local_now,
        );
        assert_eq!(
            c.action,
            Action::CorrectClockAndRetry,
            "clock error {clock_error}"
        );
        assert_eq!(c.kind, ErrorKind::ClockSkew);
        assert_eq!(c.skew_ms, Some(-clock_error));
        assert_eq!(c.skew_verdict, SkewVerdict::Likely);
        assert_eq!(c.server_time, Some(server));
        assert_eq!(skew.offset_millis(), -clock_error);
        assert_eq!(skew.corrected(local_now), server);
        // Within the threshold the same response is a real signature mismatch.
        let small = ClockSkew::default();
        let c = classify(
            &ErrorResponse::new(403, &headers, body),
            Some(&small),
            server.offset_millis(clock_error / 3),
        );
        assert_eq!(
            (c.action, c.kind),
            (Action::Fatal, ErrorKind::SignatureMismatch)
        );
        assert_eq!(c.skew_verdict, SkewVerdict::Unlikely);
        assert_eq!(small.offset_millis(), 0);
    }
}

#[test]
fn skew_verdicts_follow_the_java_sdk_sets() {
    assert_eq!(
        is_skew_error(Some("RequestExpired"), 400, None),
        SkewVerdict::Definite
    );
    assert_eq!(
        is_skew_error(Some("RequestInTheFuture"), 400, Some(0)),
        SkewVerdict::Definite
    );
    assert_eq!(
        is_skew_error(Some("InvalidSignatureException"), 400, None),
        SkewVerdict::Possible
    );
    assert_eq!(
        is_skew_error(Some("InvalidSignatureException"), 400, Some(240_000)),
        SkewVerdict::Likely
    );
    assert_eq!(
        is_skew_error(Some("AuthFailure"), 401, Some(-239_999)),
        SkewVerdict::Unlikely
    );
    assert_eq!(is_skew_error(None, 403, Some(300_000)), SkewVerdict::Likely);
    assert_eq!(
        is_skew_error(Some("ValidationException"), 400, Some(300_000)),
        SkewVerdict::NotSkew
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    #[test]
    fn parse_http_date_never_panics(s in "\\PC{0,48}") {
        if let Err(e) = parse_http_date(&s) {
            prop_assert!(e.offset <= s.len(), "{e:?} for {s:?}");
        }
    }

    #[test]
    fn parse_http_date_never_panics_on_near_misses(
        wd in "(Sun|Sunday|Mon|xx|)",
        sep in "(, | |,|-)",
        day in "[0-9]{0,3}",
        mon in "(Nov|nov|Foo|)",
        year in "[0-9]{0,5}",
        time in "[0-9:]{0,10}",
        zone in "( GMT| UTC| \\+[0-9:]{0,6}| -[0-9]{0,5}| PST|)",
    ) {
        let s = format!("{wd}{sep}{day} {mon} {year} {time}{zone}");
        let _ = parse_http_date(&s);
        let s = format!("{wd}{sep}{day}-{mon}-{year} {time}{zone}");
        let _ = parse_http_date(&s);
        let s = format!("{wd} {mon} {day} {time} {year}");
        let _ = parse_http_date(&s);
    }

    #[test]
    fn imf_fixdate_round_trips(secs in -62_135_596_800i64..253_402_300_799) {
        // Format with the civil conversion, then parse back.
        let t = Timestamp::from_unix_seconds(secs);
        let c = t.to_civil().unwrap();
        const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
        let s = format!(
            "Mon, {:02} {} {:04} {:02}:{:02}:{:02} GMT",
            c.day, MONTHS[usize::from(c.month) - 1], c.year, c.hour, c.minute, c.second
        );
        prop_assert_eq!(parse_http_date(&s), Ok(t));
    }

    #[test]
    fn observe_never_panics_and_keeps_a_consistent_value(
        pairs in proptest::collection::vec((any::<i64>(), any::<i64>()), 1..16),
        threshold in any::<i64>(),
    ) {
        let skew = ClockSkew::with_threshold_millis(threshold);
        for (server, local) in pairs {
            let change = skew.observe(Timestamp::from_unix_millis(server), Timestamp::from_unix_millis(local));
            prop_assert_eq!(change.offset_ms(), skew.offset_millis());
            let _ = skew.corrected(Timestamp::from_unix_millis(local));
        }
    }
}
