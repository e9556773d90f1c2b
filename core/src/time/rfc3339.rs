//! The one timestamp parser every credential document uses.
//!
//! - RFC 3339 / ISO 8601 extended: `2015-08-30T12:36:00Z`, `...T12:36:00.123456789Z`,
//!   `+01:00`, `+0100`, `-05:00`; `T` or `t` or a space between date and time; a leap second
//!   (`:60`) is read as `:59.999`. Fractions beyond milliseconds are truncated.
//! - The SigV4 basic form `20150830T123600Z` ([`parse_amz_date`]).
//! - Epoch seconds and epoch milliseconds as decimal text ([`parse_epoch_seconds`],
//!   [`parse_epoch_millis`]), for the formats that use them.

use super::{Civil, Timestamp};
use core::fmt;

/// Why a timestamp did not parse: what was expected and the byte offset where it was not found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimeParseError {
    /// What the parser expected at `offset`.
    pub expected: &'static str,
    /// Byte offset into the input.
    pub offset: usize,
}

impl fmt::Display for TimeParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid timestamp: expected {} at byte {}",
            self.expected, self.offset
        )
    }
}

impl core::error::Error for TimeParseError {}

struct Cursor<'a> {
    b: &'a [u8],
    i: usize,
}

impl Cursor<'_> {
    fn err(&self, expected: &'static str) -> TimeParseError {
        TimeParseError {
            expected,
            offset: self.i,
        }
    }
    fn digits(&mut self, n: usize, what: &'static str) -> Result<u32, TimeParseError> {
        let mut v = 0u32;
        for _ in 0..n {
            match self.b.get(self.i) {
                Some(c @ b'0'..=b'9') => {
                    v = v * 10 + u32::from(c - b'0');
                    self.i += 1;
                }
                _ => return Err(self.err(what)),
            }
        }
        Ok(v)
    }
    fn lit(&mut self, c: u8, what: &'static str) -> Result<(), TimeParseError> {
        if self.b.get(self.i) == Some(&c) {
            self.i += 1;
            Ok(())
        } else {
            Err(self.err(what))
        }
    }
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }
}

fn build(civil: Civil, offset_min: i64) -> Result<Timestamp, TimeParseError> {
    let t = Timestamp::from_civil(civil).ok_or(TimeParseError {
        expected: "a real calendar date and time",
        offset: 0,
    })?;
    Ok(t.offset_millis(-offset_min * 60_000))
}

/// Parses RFC 3339 (see the module docs for the accepted forms).
///
/// ```
/// use sigfresh::time::{parse_rfc3339, Timestamp};
/// let a = parse_rfc3339("2015-08-30T12:36:00Z").unwrap();
/// assert_eq!(a, Timestamp::from_unix_seconds(1_440_938_160));
/// assert_eq!(parse_rfc3339("2015-08-30T14:36:00+0200").unwrap(), a);
/// assert!(parse_rfc3339("2015-02-30T12:36:00Z").is_err());
/// ```
pub fn parse_rfc3339(s: &str) -> Result<Timestamp, TimeParseError> {
    let mut c = Cursor {
        b: s.trim().as_bytes(),
        i: 0,
    };
    let year = c.digits(4, "a 4-digit year")?;
    c.lit(b'-', "'-' after the year")?;
    let month = c.digits(2, "a 2-digit month")?;
    c.lit(b'-', "'-' after the month")?;
    let day = c.digits(2, "a 2-digit day")?;
    match c.peek() {
        Some(b'T' | b't' | b' ') => c.i += 1,
        _ => return Err(c.err("'T' between date and time")),
    }
    let hour = c.digits(2, "a 2-digit hour")?;
    c.lit(b':', "':' after the hour")?;
    let minute = c.digits(2, "a 2-digit minute")?;
    c.lit(b':', "':' after the minute")?;
    let mut second = c.digits(2, "2-digit seconds")?;
    let mut millis = 0u32;
    if c.peek() == Some(b'.') || c.peek() == Some(b',') {
        c.i += 1;
        let start = c.i;
        while let Some(d @ b'0'..=b'9') = c.peek() {
            let place = c.i - start;
            if place < 3 {
                millis = millis * 10 + u32::from(d - b'0');
            }
            c.i += 1;
        }
        let n = c.i - start;
        if n == 0 {
            return Err(c.err("fraction digits after '.'"));
        }
        for _ in n..3 {
            millis *= 10;
        }
    }
    if second == 60 {
        second = 59;
        millis = 999;
    }
    let offset_min: i64 = match c.peek() {
        Some(b'Z' | b'z') => {
            c.i += 1;
            0
        }
        Some(sign @ (b'+' | b'-')) => {
            c.i += 1;
            let hh = c.digits(2, "a 2-digit offset hour")?;
            if c.peek() == Some(b':') {
                c.i += 1;
            }
            let mm = c.digits(2, "a 2-digit offset minute")?;
            if hh > 23 || mm > 59 {
                return Err(TimeParseError {
                    expected: "an offset below 24:00",
                    offset: c.i - 2,
                });
            }
            let v = i64::from(hh * 60 + mm);
            if sign == b'-' {
                -v
            } else {
                v
            }
        }
        _ => return Err(c.err("'Z' or a +hh:mm offset")),
    };
    if c.i != c.b.len() {
        return Err(c.err("end of timestamp"));
    }
    let civil = Civil {
        year: year as i32,
        month: month as u8,
        day: day as u8,
        hour: hour as u8,
        minute: minute as u8,
        second: second as u8,
        millis: millis as u16,
    };
    build(civil, offset_min)
}

/// Parses the SigV4 basic form `YYYYMMDDTHHMMSSZ` exactly (16 bytes).
///
/// ```
/// use sigfresh::time::{parse_amz_date, Timestamp};
/// assert_eq!(parse_amz_date("20150830T123600Z").unwrap(), Timestamp::from_unix_seconds(1_440_938_160));
/// ```
pub fn parse_amz_date(s: &str) -> Result<Timestamp, TimeParseError> {
    let mut c = Cursor {
        b: s.as_bytes(),
        i: 0,
    };
    let year = c.digits(4, "a 4-digit year")?;
    let month = c.digits(2, "a 2-digit month")?;
    let day = c.digits(2, "a 2-digit day")?;
    c.lit(b'T', "'T' between date and time")?;
    let hour = c.digits(2, "a 2-digit hour")?;
    let minute = c.digits(2, "a 2-digit minute")?;
    let second = c.digits(2, "2-digit seconds")?;
    c.lit(b'Z', "'Z'")?;
    if c.i != c.b.len() {
        return Err(c.err("end of timestamp"));
    }
    let civil = Civil {
        year: year as i32,
        month: month as u8,
        day: day as u8,
        hour: hour as u8,
        minute: minute as u8,
        second: second as u8,
        millis: 0,
    };
    build(civil, 0)
}

fn parse_int(s: &str) -> Result<i64, TimeParseError> {
    let t = s.trim();
    let (neg, digits) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t),
    };
    if digits.is_empty() || digits.len() > 18 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(TimeParseError {
            expected: "a whole number of at most 18 digits",
            offset: 0,
        });
    }
    let mut v: i64 = 0;
    for b in digits.bytes() {
        v = v * 10 + i64::from(b - b'0');
    }
    Ok(if neg { -v } else { v })
}

/// Parses decimal epoch seconds (`1440938160`).
pub fn parse_epoch_seconds(s: &str) -> Result<Timestamp, TimeParseError> {
    parse_int(s).map(Timestamp::from_unix_seconds)
}

/// Parses decimal epoch milliseconds (`1440938160000`).
pub fn parse_epoch_millis(s: &str) -> Result<Timestamp, TimeParseError> {
    parse_int(s).map(Timestamp::from_unix_millis)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SUITE: i64 = 1_440_938_160_000;

    #[test]
    fn accepted_forms() {
        let base = Timestamp::from_unix_millis(SUITE);
        for s in [
            "2015-08-30T12:36:00Z",
            "2015-08-30t12:36:00z",
            "2015-08-30 12:36:00Z",
            "2015-08-30T12:36:00.000Z",
            "2015-08-30T12:36:00.0009999Z",
            "2015-08-30T13:36:00+01:00",
            "2015-08-30T13:36:00+0100",
            "2015-08-30T07:06:00-05:30",
            "  2015-08-30T12:36:00Z\n",
        ] {
            assert_eq!(parse_rfc3339(s), Ok(base), "{s}");
        }
        assert_eq!(
            parse_rfc3339("2015-08-30T12:36:00.5Z")
                .unwrap()
                .unix_millis(),
            SUITE + 500
        );
        assert_eq!(
            parse_rfc3339("2015-08-30T12:36:00.123456789Z")
                .unwrap()
                .unix_millis(),
            SUITE + 123
        );
        assert_eq!(
            parse_rfc3339("2016-12-31T23:59:60Z").unwrap(),
            parse_rfc3339("2016-12-31T23:59:59.999Z").unwrap()
        );
    }

    #[test]
    fn rejected_forms_say_where() {
        let cases = [
            ("2015-08-30", 10),
            ("2015-08-30T12:36Z", 16),
            ("2015-08-30T12:36:00", 19),
            ("2015-08-30T12:36:00.Z", 20),
            ("2015-08-30T12:36:00Zjunk", 20),
            ("2015-08-30T12:36:00+25:00", 23),
            ("15-08-30T12:36:00Z", 2),
            ("", 0),
        ];
        for (s, off) in cases {
            let e = parse_rfc3339(s).unwrap_err();
            assert_eq!(e.offset, off, "{s}: {e}");
        }
        assert!(parse_rfc3339("2015-13-01T00:00:00Z").is_err());
        assert!(parse_rfc3339("2015-08-30T24:00:00Z").is_err());
    }

    #[test]
    fn amz_date_and_epochs() {
        let base = Timestamp::from_unix_millis(SUITE);
        assert_eq!(parse_amz_date("20150830T123600Z"), Ok(base));
        assert!(parse_amz_date("20150830T123600").is_err());
        assert!(parse_amz_date("20150830T123600Z ").is_err());
        assert!(parse_amz_date("2015083OT123600Z").is_err());
        assert_eq!(parse_epoch_seconds("1440938160"), Ok(base));
        assert_eq!(parse_epoch_millis("1440938160000"), Ok(base));
        assert_eq!(parse_epoch_seconds("-1").unwrap().unix_millis(), -1000);
        assert!(parse_epoch_seconds("1e9").is_err());
        assert!(parse_epoch_seconds("9999999999999999999").is_err());
        assert!(parse_epoch_seconds("").is_err());
    }
}
