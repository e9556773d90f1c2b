//! The host's clocks and time formatting. Every clock read of the CLI is in this file, each in
//! one function with the reason it may read the clock.

use sigfresh::time::{parse_amz_date, parse_rfc3339, Timestamp};
use std::time::Instant;

/// The wall clock.
#[allow(clippy::disallowed_methods)] // The CLI is a host: reading the clock is its job.
pub(crate) fn wall() -> Timestamp {
    Timestamp::from_system_time(std::time::SystemTime::now())
}

/// A monotonic reading, to measure how long something took (signing time in the demo) and to
/// pace the demo; never used as a time of day.
#[allow(clippy::disallowed_methods)] // The CLI is a host: it measures its own durations.
pub(crate) fn mono() -> Instant {
    Instant::now()
}

/// Nanoseconds of the wall clock, to seed the jitter generator.
#[allow(clippy::disallowed_methods)] // A seed for jitter, not a time: any value will do.
pub(crate) fn entropy() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64)
}

/// Sleeps until the wall clock reaches `until` (returns at once when it already has). Sleeps
/// in slices of at most a minute and looks at the wall clock again after each, so a machine
/// that was suspended, or whose clock was stepped, does not oversleep.
pub(crate) fn sleep_until(until: Timestamp) {
    while let Some(d) = until.duration_since(wall()).filter(|d| !d.is_zero()) {
        std::thread::sleep(d.min(std::time::Duration::from_secs(60)));
    }
}

/// Parses a `--time` value: RFC 3339 or the SigV4 `YYYYMMDDTHHMMSSZ` form.
pub(crate) fn parse_time(flag: &str, s: &str) -> Result<Timestamp, crate::Failure> {
    parse_amz_date(s)
        .or_else(|_| parse_rfc3339(s))
        .map_err(|e| {
            crate::usage(format!(
                "{flag} {s:?}: {e}; use RFC 3339 (2015-08-30T12:36:00Z) or 20150830T123600Z"
            ))
        })
}

/// `5 h 58 min`, `10 min`, `42 s`, `250 ms`: a duration for people, rounded to what matters.
pub(crate) fn human(ms: i64) -> String {
    let ms = ms.unsigned_abs();
    let (d, h, m, s) = (
        ms / 86_400_000,
        ms / 3_600_000 % 24,
        ms / 60_000 % 60,
        ms / 1000 % 60,
    );
    if ms < 1000 {
        format!("{ms} ms")
    } else if ms < 60_000 {
        format!("{s} s")
    } else if ms < 3_600_000 {
        if s == 0 {
            format!("{m} min")
        } else {
            format!("{m} min {s} s")
        }
    } else if ms < 86_400_000 {
        format!("{h} h {m} min")
    } else {
        format!("{d} d {h} h")
    }
}

/// `in 5 h 58 min` or `5 h 58 min ago`, from `now` to `t`.
pub(crate) fn relative(t: Timestamp, now: Timestamp) -> String {
    let ms = t.millis_since(now);
    if ms >= 0 {
        format!("in {}", human(ms))
    } else {
        format!("{} ago", human(ms))
    }
}

/// The IMF-fixdate form of an HTTP `Date` header (`Sun, 06 Nov 1994 08:49:37 GMT`), for the
/// demo's servers. (The core parses this form but has no formatter.)
pub(crate) fn http_date(t: Timestamp) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let Some(c) = t.to_civil() else {
        return String::new();
    };
    // 1970-01-01 was a Thursday.
    let weekday = t.unix_seconds().div_euclid(86_400).rem_euclid(7) as usize;
    format!(
        "{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT",
        DAYS[weekday],
        c.day,
        MONTHS[usize::from(c.month.clamp(1, 12)) - 1],
        c.year,
        c.hour,
        c.minute,
        c.second
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use sigfresh::time::parse_http_date;

    #[test]
    fn http_dates_round_trip() {
        for s in [0, 784_111_777, 1_440_938_160, 1_754_993_700, 4_102_444_800] {
            let t = Timestamp::from_unix_seconds(s);
            let text = http_date(t);
            assert_eq!(parse_http_date(&text), Ok(t), "{text}");
        }
        assert_eq!(
            http_date(Timestamp::from_unix_seconds(784_111_777)),
            "Sun, 06 Nov 1994 08:49:37 GMT"
        );
    }

    #[test]
    fn human_durations() {
        assert_eq!(human(250), "250 ms");
        assert_eq!(human(42_000), "42 s");
        assert_eq!(human(600_000), "10 min");
        assert_eq!(human(-61_000), "1 min 1 s");
        assert_eq!(human(21_480_000), "5 h 58 min");
        assert_eq!(human(3 * 86_400_000 + 3_600_000), "3 d 1 h");
        let t = Timestamp::from_unix_seconds(1000);
        assert_eq!(relative(t, Timestamp::from_unix_seconds(940)), "in 1 min");
        assert_eq!(relative(t, Timestamp::from_unix_seconds(1060)), "1 min ago");
    }
}
