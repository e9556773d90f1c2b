//! The time parsers (`parse_http_date`, `parse_rfc3339`, `parse_amz_date`, epoch seconds and
//! millis) and `ClockSkew::observe_date_header` on arbitrary text: never panic; a parsed time
//! in years 0..=9999 formats as an `x-amz-date` that parses back to the same second.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sigfresh::skew::ClockSkew;
use sigfresh::time::{
    parse_amz_date, parse_epoch_millis, parse_epoch_seconds, parse_http_date, parse_rfc3339,
    Timestamp,
};

fn round_trip(t: Timestamp) {
    let _ = (t.to_string(), format!("{t:?}"), t.to_civil());
    if let Some(amz) = t.amz_date() {
        let back = parse_amz_date(amz.as_str()).expect("an x-amz-date the core wrote parses");
        assert_eq!(back.unix_seconds(), t.unix_millis().div_euclid(1000));
        if let Some(c) = t.to_civil() {
            assert_eq!(Timestamp::from_civil(c), Some(t), "civil round trip");
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    for r in [
        parse_http_date(s),
        parse_rfc3339(s),
        parse_amz_date(s),
        parse_epoch_seconds(s),
        parse_epoch_millis(s),
    ] {
        match r {
            Ok(t) => round_trip(t),
            Err(e) => {
                let _ = (e.to_string(), e.offset <= s.len());
            }
        }
    }
    let skew = ClockSkew::default();
    let _ = skew.observe_date_header(s, Timestamp::from_unix_seconds(1_700_000_000));
    let _ = skew.corrected(Timestamp::from_unix_seconds(1_700_000_000));
});
