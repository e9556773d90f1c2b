//! Time as a value: the core never reads a clock.
//!
//! [`Timestamp`] is milliseconds since the Unix epoch (UTC). Hosts read their own clock and pass a
//! `Timestamp` in; the core only compares, adds and formats them. Civil-date conversion uses the
//! proleptic Gregorian calendar (Howard Hinnant's `days_from_civil`), valid for years 0..=9999,
//! which is every date AWS formats accept.

use core::fmt;
use core::time::Duration;

mod http_date;
mod rfc3339;

pub use http_date::parse_http_date;
pub use rfc3339::{
    parse_amz_date, parse_epoch_millis, parse_epoch_seconds, parse_rfc3339, TimeParseError,
};

/// Milliseconds since 1970-01-01T00:00:00Z. Negative values are before the epoch.
///
/// ```
/// use sigfresh::time::Timestamp;
/// let t = Timestamp::from_unix_seconds(1_440_938_160);
/// assert_eq!(t.to_string(), "2015-08-30T12:36:00Z");
/// assert_eq!(t.amz_date().unwrap().as_str(), "20150830T123600Z");
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Default)]
pub struct Timestamp(i64);

/// The smallest timestamp the civil conversions accept: 0000-01-01T00:00:00Z.
pub const MIN_CIVIL: Timestamp = Timestamp(-62_167_219_200_000);
/// The largest timestamp the civil conversions accept: 9999-12-31T23:59:59.999Z.
pub const MAX_CIVIL: Timestamp = Timestamp(253_402_300_799_999);

/// A broken-down UTC date and time.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Civil {
    /// Year, 0..=9999.
    pub year: i32,
    /// Month, 1..=12.
    pub month: u8,
    /// Day of month, 1..=31.
    pub day: u8,
    /// Hour, 0..=23.
    pub hour: u8,
    /// Minute, 0..=59.
    pub minute: u8,
    /// Second, 0..=59 (leap seconds are folded into 59 by the parsers).
    pub second: u8,
    /// Millisecond, 0..=999.
    pub millis: u16,
}

/// `YYYYMMDDTHHMMSSZ`, the SigV4 `X-Amz-Date` form, held inline (no allocation).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct AmzDate([u8; 16]);

impl AmzDate {
    /// The text, e.g. `20150830T123600Z`.
    pub fn as_str(&self) -> &str {
        // Only ASCII digits, 'T' and 'Z' are ever written into the array.
        core::str::from_utf8(&self.0).unwrap_or("")
    }
    /// The `YYYYMMDD` date part used in the credential scope.
    pub fn date(&self) -> &str {
        &self.as_str()[..8]
    }
}

impl fmt::Debug for AmzDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for AmzDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

const MS_PER_DAY: i64 = 86_400_000;

impl Timestamp {
    /// From milliseconds since the epoch.
    pub const fn from_unix_millis(ms: i64) -> Self {
        Timestamp(ms)
    }
    /// From whole seconds since the epoch (saturating at the `i64` range in milliseconds).
    pub const fn from_unix_seconds(s: i64) -> Self {
        Timestamp(s.saturating_mul(1000))
    }
    /// Milliseconds since the epoch.
    pub const fn unix_millis(self) -> i64 {
        self.0
    }
    /// Whole seconds since the epoch, rounded toward negative infinity.
    pub const fn unix_seconds(self) -> i64 {
        self.0.div_euclid(1000)
    }
    /// From a `std::time::SystemTime` the host read (feature `std`). Times outside the `i64` millisecond range
    /// saturate.
    #[cfg(feature = "std")]
    pub fn from_system_time(t: std::time::SystemTime) -> Self {
        match t.duration_since(std::time::UNIX_EPOCH) {
            Ok(d) => Timestamp(i64::try_from(d.as_millis()).unwrap_or(i64::MAX)),
            Err(e) => Timestamp(i64::try_from(e.duration().as_millis()).map_or(i64::MIN, |m| -m)),
        }
    }
    /// To a `std::time::SystemTime` (feature `std`).
    #[cfg(feature = "std")]
    pub fn to_system_time(self) -> std::time::SystemTime {
        let abs = Duration::from_millis(self.0.unsigned_abs());
        if self.0 >= 0 {
            std::time::UNIX_EPOCH + abs
        } else {
            std::time::UNIX_EPOCH - abs
        }
    }
    /// `self + d`, saturating.
    pub fn saturating_add(self, d: Duration) -> Self {
        Timestamp(self.0.saturating_add(duration_millis(d)))
    }
    /// `self - d`, saturating.
    pub fn saturating_sub(self, d: Duration) -> Self {
        Timestamp(self.0.saturating_sub(duration_millis(d)))
    }
    /// `self + ms` for a signed millisecond offset, saturating.
    pub fn offset_millis(self, ms: i64) -> Self {
        Timestamp(self.0.saturating_add(ms))
    }
    /// `self - earlier` in signed milliseconds, saturating.
    pub fn millis_since(self, earlier: Timestamp) -> i64 {
        self.0.saturating_sub(earlier.0)
    }
    /// `self - earlier` as a `Duration`, or `None` when `earlier` is later than `self`.
    pub fn duration_since(self, earlier: Timestamp) -> Option<Duration> {
        let ms = self.0.checked_sub(earlier.0)?;
        u64::try_from(ms).ok().map(Duration::from_millis)
    }

    /// Broken-down UTC time, or `None` outside years 0..=9999.
    pub fn to_civil(self) -> Option<Civil> {
        if self < MIN_CIVIL || self > MAX_CIVIL {
            return None;
        }
        // In range, so the offset from 0000-01-01T00:00:00Z (a day boundary) is non-negative:
        // unsigned division, no Euclidean fix-ups.
        let since_min = self.0.abs_diff(MIN_CIVIL.0);
        let ms_per_day = MS_PER_DAY as u64;
        let (days, ms_of_day) = (since_min / ms_per_day, since_min % ms_per_day);
        let (year, month, day) = civil_from_days_since_year_0(days);
        let secs = ms_of_day / 1000;
        Some(Civil {
            year: year as i32,
            month,
            day,
            hour: (secs / 3600) as u8,
            minute: (secs / 60 % 60) as u8,
            second: (secs % 60) as u8,
            millis: (ms_of_day % 1000) as u16,
        })
    }

    /// From a broken-down UTC time; `None` when any field is out of range (including
    /// day 31 of a 30-day month and 29 February of a common year).
    pub fn from_civil(c: Civil) -> Option<Self> {
        if !(0..=9999).contains(&c.year)
            || !(1..=12).contains(&c.month)
            || c.day == 0
            || c.day > days_in_month(c.year, c.month)
            || c.hour > 23
            || c.minute > 59
            || c.second > 59
            || c.millis > 999
        {
            return None;
        }
        let days = days_from_civil(i64::from(c.year), c.month, c.day);
        let secs = i64::from(c.hour) * 3600 + i64::from(c.minute) * 60 + i64::from(c.second);
        Some(Timestamp(
            days * MS_PER_DAY + secs * 1000 + i64::from(c.millis),
        ))
    }

    /// The SigV4 `X-Amz-Date` form (`YYYYMMDDTHHMMSSZ`, seconds truncated), or `None` outside
    /// years 0..=9999.
    pub fn amz_date(self) -> Option<AmzDate> {
        let c = self.to_civil()?;
        let year = c.year as u32;
        let [y0, y1] = two_digits((year / 100) as u8);
        let [y2, y3] = two_digits((year % 100) as u8);
        let [mo0, mo1] = two_digits(c.month);
        let [d0, d1] = two_digits(c.day);
        let [h0, h1] = two_digits(c.hour);
        let [mi0, mi1] = two_digits(c.minute);
        let [s0, s1] = two_digits(c.second);
        Some(AmzDate([
            y0, y1, y2, y3, mo0, mo1, d0, d1, b'T', h0, h1, mi0, mi1, s0, s1, b'Z',
        ]))
    }
}

/// RFC 3339 UTC with second precision (`2015-08-30T12:36:00Z`), with milliseconds when they
/// are not zero. Outside years 0..=9999 the raw millisecond count is printed instead.
impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.to_civil() {
            Some(c) => {
                write!(
                    f,
                    "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
                    c.year, c.month, c.day, c.hour, c.minute, c.second
                )?;
                if c.millis != 0 {
                    write!(f, ".{:03}", c.millis)?;
                }
                f.write_str("Z")
            }
            None => write!(f, "@{}ms", self.0),
        }
    }
}

fn duration_millis(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

/// Two decimal digits of `v` (0..=99).
#[inline]
fn two_digits(v: u8) -> [u8; 2] {
    [b'0' + v / 10, b'0' + v % 10]
}

pub(crate) fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

pub(crate) fn days_in_month(y: i32, m: u8) -> u8 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days since 1970-01-01 for a proleptic Gregorian date (Hinnant's algorithm).
fn days_from_civil(y: i64, m: u8, d: u8) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Year, month and day of the date `d0` days after 0000-01-01 (Hinnant's `civil_from_days` in
/// unsigned arithmetic: eras of 400 years counted from -0400-03-01, so nothing is negative).
fn civil_from_days_since_year_0(d0: u64) -> (i64, u8, u8) {
    // 0000-01-01 is 60 days before 0000-03-01, which is one era (146,097 days) after
    // -0400-03-01.
    let z = d0 + 146_097 - 60;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = (yoe + era * 400) as i64 - 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prelude::*;

    #[test]
    fn known_instants_format() {
        // 2015-08-30T12:36:00Z is the SigV4 suite's timestamp; 1440938160 is its epoch value
        // (computable by hand: 16677 days * 86400 + 12:36:00).
        assert_eq!(16_677 * 86_400 + 12 * 3600 + 36 * 60, 1_440_938_160);
        let t = Timestamp::from_unix_seconds(1_440_938_160);
        assert_eq!(t.amz_date().unwrap().as_str(), "20150830T123600Z");
        assert_eq!(t.to_string(), "2015-08-30T12:36:00Z");
        assert_eq!(
            Timestamp::from_unix_millis(0).to_string(),
            "1970-01-01T00:00:00Z"
        );
        assert_eq!(
            Timestamp::from_unix_millis(-1).to_string(),
            "1969-12-31T23:59:59.999Z"
        );
        assert_eq!(MAX_CIVIL.to_string(), "9999-12-31T23:59:59.999Z");
        assert_eq!(MIN_CIVIL.to_string(), "0000-01-01T00:00:00Z");
        assert!(MAX_CIVIL.offset_millis(1).amz_date().is_none());
    }

    #[test]
    fn civil_round_trips_at_both_ends_of_the_range() {
        // Year 0 (a leap year, before the first March of the algorithm's eras) and year 9999,
        // at a few times of day; the SigV4 form agrees with the RFC 3339 one.
        // Fewer days under Miri, which runs this code thousands of times slower.
        let n = if cfg!(miri) { 40 } else { 800 };
        for (start, days) in [
            (MIN_CIVIL, n),
            (MAX_CIVIL.offset_millis(1 - n * MS_PER_DAY), n),
        ] {
            for i in 0..days {
                for ms in [0, 1, 43_199_999, MS_PER_DAY - 1] {
                    let t = start.offset_millis(i * MS_PER_DAY + ms);
                    let c = t.to_civil().unwrap();
                    assert_eq!(Timestamp::from_civil(c), Some(t));
                    let rfc = t.to_string();
                    let digits: String = rfc[..19].chars().filter(char::is_ascii_digit).collect();
                    let amz = t.amz_date().unwrap();
                    assert_eq!(amz.as_str(), format!("{}T{}Z", &digits[..8], &digits[8..]));
                }
            }
        }
        assert_eq!(
            Timestamp::from_civil(Civil {
                year: 0,
                month: 2,
                day: 29,
                hour: 0,
                minute: 0,
                second: 0,
                millis: 0,
            })
            .and_then(Timestamp::amz_date)
            .map(|a| a.to_string()),
            Some("00000229T000000Z".to_string())
        );
    }

    #[test]
    fn civil_round_trips_every_day_across_leap_rules() {
        // Every day from 1599-12-01 to 2401-03-01 round-trips and is consecutive.
        let start = Timestamp::from_civil(Civil {
            year: 1599,
            month: 12,
            day: 1,
            hour: 0,
            minute: 0,
            second: 0,
            millis: 0,
        })
        .unwrap();
        let mut prev: Option<Civil> = None;
        for i in 0..(802 * 366) {
            let t = start.offset_millis(i * MS_PER_DAY);
            let c = t.to_civil().unwrap();
            assert_eq!(Timestamp::from_civil(c), Some(t));
            if let Some(p) = prev {
                let next_day = p.day < days_in_month(p.year, p.month);
                if next_day {
                    assert_eq!((c.year, c.month, c.day), (p.year, p.month, p.day + 1));
                } else {
                    assert_eq!(c.day, 1);
                }
            }
            prev = Some(c);
        }
    }

    #[test]
    fn from_civil_rejects_impossible_dates() {
        let ok = Civil {
            year: 2024,
            month: 2,
            day: 29,
            hour: 0,
            minute: 0,
            second: 0,
            millis: 0,
        };
        assert!(Timestamp::from_civil(ok).is_some());
        assert!(Timestamp::from_civil(Civil { year: 2023, ..ok }).is_none());
        assert!(Timestamp::from_civil(Civil { year: 1900, ..ok }).is_none());
        assert!(Timestamp::from_civil(Civil { year: 2000, ..ok }).is_some());
        assert!(Timestamp::from_civil(Civil {
            month: 4,
            day: 31,
            ..ok
        })
        .is_none());
        assert!(Timestamp::from_civil(Civil { hour: 24, ..ok }).is_none());
        assert!(Timestamp::from_civil(Civil { year: 10_000, ..ok }).is_none());
    }

    #[test]
    fn system_time_round_trip() {
        for ms in [0i64, 1, -1, 1_714_564_800_123, -86_400_000] {
            let t = Timestamp::from_unix_millis(ms);
            assert_eq!(Timestamp::from_system_time(t.to_system_time()), t);
        }
    }
}
