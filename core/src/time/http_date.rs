//! HTTP `Date` header parsing ([`parse_http_date`]).
//!
//! Accepted forms (RFC 9110 §5.6.7 and what AWS endpoints send):
//!
//! - IMF-fixdate / RFC 1123: `Sun, 06 Nov 1994 08:49:37 GMT`. Tolerated variations from the
//!   older RFC 822/5322 grammar: a one-digit day, no weekday, a two-digit year, and the zones
//!   `GMT`, `UT`, `UTC`, `Z`, `EST`/`EDT`/`CST`/`CDT`/`MST`/`MDT`/`PST`/`PDT` or a numeric
//!   `+hhmm`/`-hh:mm` offset (S3 echoes `RequestTime` as `Fri, 26 Aug 2011 20:14:09 +0900`).
//! - Obsolete RFC 850: `Sunday, 06-Nov-94 08:49:37 GMT` (a four-digit year is accepted too).
//! - asctime: `Sun Nov  6 08:49:37 1994` (UTC implied).
//! - ISO 8601, delegated to [`parse_rfc3339`](super::parse_rfc3339) (`2015-08-30T12:36:00Z`) and
//!   [`parse_amz_date`](super::parse_amz_date) (`20150830T123600Z`): some AWS responses carry
//!   those forms (S3's `<ServerTime>`, `x-amz-date`-style values).
//!
//! **Two-digit years.** RFC 9110 §5.6.7 says to read a two-digit year that appears to be more than
//! 50 years in the future as the most recent past year with the same last two digits. That rule
//! needs the current date and the core reads no clock, so a fixed pivot is used instead:
//! `70..=99` → `1970..=1999`, `00..=69` → `2000..=2069`. The two agree for every date from 2020
//! through 2069.
//!
//! **Weekdays.** The weekday must be a real weekday name (short or long, any ASCII case), but a
//! weekday that does not match the date is *not* an error: the date is authoritative. AWS SDKs
//! (Java v2 `DateUtils.parseRfc1123Date`, botocore via `email.utils`) do not reject a mismatch
//! either, and a skew tracker must not lose a server time over a cosmetic field.
//!
//! Leading and trailing whitespace is ignored; runs of spaces between fields are accepted (asctime
//! pads single-digit days with a second space). A leap second (`:60`) reads as `:59.999`, as in
//! [`parse_rfc3339`](super::parse_rfc3339). Error offsets are byte offsets into the input as given.

use super::{parse_amz_date, parse_rfc3339, Civil, TimeParseError, Timestamp};

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];
const WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// Parses an HTTP `Date` header value in any of the forms listed in the module docs.
///
/// ```
/// use sigfresh::time::{parse_http_date, Timestamp};
/// let t = Timestamp::from_unix_seconds(784_111_777);
/// assert_eq!(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), Ok(t));
/// assert_eq!(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"), Ok(t));
/// assert_eq!(parse_http_date("Sun Nov  6 08:49:37 1994"), Ok(t));
/// assert_eq!(parse_http_date("1994-11-06T08:49:37Z"), Ok(t));
/// assert_eq!(parse_http_date("19941106T084937Z"), Ok(t));
/// assert!(parse_http_date("Sun, 31 Nov 1994 08:49:37 GMT").is_err());
/// ```
pub fn parse_http_date(s: &str) -> Result<Timestamp, TimeParseError> {
    let trimmed = s.trim_start();
    let lead = s.len() - trimmed.len();
    let t = trimmed.trim_end();
    let b = t.as_bytes();
    let leading_digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if leading_digits >= 4 {
        // ISO 8601: extended form has '-' after the year, basic (SigV4) form does not.
        let shift = |e: TimeParseError| TimeParseError {
            expected: e.expected,
            offset: e.offset + lead,
        };
        return if b.get(4) == Some(&b'-') {
            parse_rfc3339(t).map_err(shift)
        } else {
            parse_amz_date(t).map_err(shift)
        };
    }
    let mut c = Cursor { b, i: 0, lead };
    if leading_digits > 0 {
        // RFC 822 allows the weekday to be omitted: `06 Nov 1994 08:49:37 GMT`.
        return imf_rest(&mut c);
    }
    let day_name = c.word();
    if !is_weekday(day_name) {
        return Err(c.err_at(0, "a weekday name or an ISO 8601 date"));
    }
    match c.peek() {
        Some(b',') => {
            c.i += 1;
            c.spaces("a space after the weekday")?;
            imf_rest(&mut c)
        }
        Some(b' ' | b'\t') => {
            c.spaces("a space after the weekday")?;
            asctime_rest(&mut c)
        }
        _ => Err(c.err("',' or a space after the weekday")),
    }
}

/// `dd Mon yyyy hh:mm:ss zone` (IMF-fixdate) or `dd-Mon-yy hh:mm:ss zone` (RFC 850).
fn imf_rest(c: &mut Cursor<'_>) -> Result<Timestamp, TimeParseError> {
    let date_start = c.i;
    let day = c.number(1, 2, "a day of the month")?;
    let rfc850 = match c.peek() {
        Some(b'-') => {
            c.i += 1;
            true
        }
        _ => {
            c.spaces("a space after the day")?;
            false
        }
    };
    let month = c.month()?;
    if rfc850 {
        c.lit(b'-', "'-' after the month")?;
    } else {
        c.spaces("a space after the month")?;
    }
    let year = c.year()?;
    c.spaces("a space before the time")?;
    let (hour, minute, second) = c.time()?;
    c.spaces("a time zone ('GMT')")?;
    let offset_min = c.zone()?;
    c.end()?;
    build(
        c, date_start, year, month, day, hour, minute, second, offset_min,
    )
}

/// `Mon  d hh:mm:ss yyyy` after the weekday (asctime).
fn asctime_rest(c: &mut Cursor<'_>) -> Result<Timestamp, TimeParseError> {
    let date_start = c.i;
    let month = c.month()?;
    c.spaces("a space after the month")?;
    let day = c.number(1, 2, "a day of the month")?;
    c.spaces("a space before the time")?;
    let (hour, minute, second) = c.time()?;
    c.spaces("a space before the year")?;
    let year = c.number(4, 4, "a 4-digit year")?;
    c.end()?;
    build(c, date_start, year, month, day, hour, minute, second, 0)
}

#[allow(clippy::too_many_arguments)]
fn build(
    c: &Cursor<'_>,
    date_start: usize,
    year: u32,
    month: u8,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    offset_min: i64,
) -> Result<Timestamp, TimeParseError> {
    let (second, millis) = if second == 60 { (59, 999) } else { (second, 0) };
    // The cursor bounded every number to at most 4 digits, so the casts below cannot truncate;
    // from_civil rejects out-of-range values.
    let civil = Civil {
        year: year as i32,
        month,
        day: day as u8,
        hour: hour as u8,
        minute: minute as u8,
        second: second as u8,
        millis,
    };
    match Timestamp::from_civil(civil) {
        Some(t) => Ok(t.offset_millis(-offset_min * 60_000)),
        None => Err(c.err_at(date_start, "a real calendar date and time")),
    }
}

fn is_weekday(w: &[u8]) -> bool {
    WEEKDAYS.iter().any(|full| {
        w.eq_ignore_ascii_case(full.as_bytes()) || w.eq_ignore_ascii_case(&full.as_bytes()[..3])
    })
}

struct Cursor<'a> {
    b: &'a [u8],
    i: usize,
    /// Bytes trimmed from the front of the original input, added to error offsets.
    lead: usize,
}

impl<'a> Cursor<'a> {
    fn err(&self, expected: &'static str) -> TimeParseError {
        self.err_at(self.i, expected)
    }
    fn err_at(&self, at: usize, expected: &'static str) -> TimeParseError {
        TimeParseError {
            expected,
            offset: at + self.lead,
        }
    }
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }
    fn word(&mut self) -> &'a [u8] {
        let start = self.i;
        while self.peek().is_some_and(|c| c.is_ascii_alphabetic()) {
            self.i += 1;
        }
        &self.b[start..self.i]
    }
    fn spaces(&mut self, what: &'static str) -> Result<(), TimeParseError> {
        let start = self.i;
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.i += 1;
        }
        if self.i == start {
            Err(self.err(what))
        } else {
            Ok(())
        }
    }
    fn lit(&mut self, c: u8, what: &'static str) -> Result<(), TimeParseError> {
        if self.peek() == Some(c) {
            self.i += 1;
            Ok(())
        } else {
            Err(self.err(what))
        }
    }
    /// Between `min` and `max` (≤ 4) decimal digits, and not followed by another digit.
    fn number(
        &mut self,
        min: usize,
        max: usize,
        what: &'static str,
    ) -> Result<u32, TimeParseError> {
        let start = self.i;
        let mut v = 0u32;
        while let Some(d @ b'0'..=b'9') = self.peek() {
            if self.i - start == max {
                return Err(self.err(what));
            }
            v = v * 10 + u32::from(d - b'0');
            self.i += 1;
        }
        if self.i - start < min {
            return Err(self.err(what));
        }
        Ok(v)
    }
    /// Exactly two digits, whatever follows (the `hh` of an `hhmm` offset).
    fn digits2(&mut self, what: &'static str) -> Result<u32, TimeParseError> {
        match (self.b.get(self.i), self.b.get(self.i + 1)) {
            (Some(a @ b'0'..=b'9'), Some(b @ b'0'..=b'9')) => {
                self.i += 2;
                Ok(u32::from(a - b'0') * 10 + u32::from(b - b'0'))
            }
            _ => Err(self.err(what)),
        }
    }
    fn month(&mut self) -> Result<u8, TimeParseError> {
        let start = self.i;
        let w = self.word();
        match MONTHS
            .iter()
            .position(|m| w.eq_ignore_ascii_case(m.as_bytes()))
        {
            // position() < 12, so the cast cannot truncate.
            Some(i) => Ok(i as u8 + 1),
            None => Err(self.err_at(start, "a month name (Jan..Dec)")),
        }
    }
    /// A 4-digit year, or a 2-digit one read with the fixed pivot described in the module docs.
    fn year(&mut self) -> Result<u32, TimeParseError> {
        let start = self.i;
        let y = self.number(2, 4, "a 2- or 4-digit year")?;
        match self.i - start {
            2 if y >= 70 => Ok(1900 + y),
            2 => Ok(2000 + y),
            4 => Ok(y),
            _ => Err(self.err_at(start, "a 2- or 4-digit year")),
        }
    }
    fn time(&mut self) -> Result<(u32, u32, u32), TimeParseError> {
        let hour = self.number(2, 2, "a 2-digit hour")?;
        self.lit(b':', "':' after the hour")?;
        let minute = self.number(2, 2, "a 2-digit minute")?;
        self.lit(b':', "':' after the minute")?;
        let second = self.number(2, 2, "2-digit seconds")?;
        Ok((hour, minute, second))
    }
    /// Minutes east of UTC.
    fn zone(&mut self) -> Result<i64, TimeParseError> {
        let start = self.i;
        match self.peek() {
            Some(sign @ (b'+' | b'-')) => {
                self.i += 1;
                let hh = self.digits2("a 2-digit offset hour")?;
                if self.peek() == Some(b':') {
                    self.i += 1;
                }
                let mm = self.digits2("a 2-digit offset minute")?;
                if hh > 23 || mm > 59 {
                    return Err(self.err_at(start, "an offset below 24:00"));
                }
                let v = i64::from(hh * 60 + mm);
                Ok(if sign == b'-' { -v } else { v })
            }
            _ => {
                let w = self.word().to_ascii_uppercase();
                let hours = match w.as_slice() {
                    b"GMT" | b"UT" | b"UTC" | b"Z" => 0,
                    b"EDT" => -4,
                    b"EST" | b"CDT" => -5,
                    b"CST" | b"MDT" => -6,
                    b"MST" | b"PDT" => -7,
                    b"PST" => -8,
                    _ => return Err(self.err_at(start, "a time zone ('GMT')")),
                };
                Ok(hours * 60)
            }
        }
    }
    fn end(&self) -> Result<(), TimeParseError> {
        if self.i == self.b.len() {
            Ok(())
        } else {
            Err(self.err("end of date"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 1994-11-06T08:49:37Z, RFC 9110's example instant.
    const EXAMPLE: i64 = 784_111_777;

    #[test]
    fn rfc9110_examples_and_tolerated_variants() {
        let t = Timestamp::from_unix_seconds(EXAMPLE);
        for s in [
            "Sun, 06 Nov 1994 08:49:37 GMT",
            "Sunday, 06-Nov-94 08:49:37 GMT",
            "Sun Nov  6 08:49:37 1994",
            "Sun Nov 6 08:49:37 1994",
            "  Sun, 06 Nov 1994 08:49:37 GMT\r\n",
            "sun, 06 nov 1994 08:49:37 gmt",
            "Sun, 6 Nov 1994 08:49:37 GMT",
            "Sun, 06 Nov 94 08:49:37 GMT",
            "06 Nov 1994 08:49:37 GMT",
            "Sunday, 06-Nov-1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 08:49:37 UTC",
            "Sun, 06 Nov 1994 08:49:37 +0000",
            "Sun, 06 Nov 1994 17:49:37 +0900",
            "Sun, 06 Nov 1994 00:49:37 PST",
            "Sun, 06 Nov 1994 03:19:37 -05:30",
            "1994-11-06T08:49:37Z",
            "19941106T084937Z",
        ] {
            assert_eq!(parse_http_date(s), Ok(t), "{s:?}");
        }
    }

    #[test]
    fn weekday_must_be_a_name_but_may_disagree_with_the_date() {
        let t = Timestamp::from_unix_seconds(EXAMPLE);
        // 1994-11-06 was a Sunday; a wrong weekday is ignored.
        assert_eq!(parse_http_date("Mon, 06 Nov 1994 08:49:37 GMT"), Ok(t));
        assert_eq!(parse_http_date("Wednesday, 06-Nov-94 08:49:37 GMT"), Ok(t));
        let e = parse_http_date("Sux, 06 Nov 1994 08:49:37 GMT").unwrap_err();
        assert_eq!(e.offset, 0);
    }

    #[test]
    fn two_digit_year_pivot() {
        let y = |s: &str| parse_http_date(s).unwrap().to_civil().unwrap().year;
        assert_eq!(y("Thursday, 01-Jan-70 00:00:00 GMT"), 1970);
        assert_eq!(y("Friday, 31-Dec-99 23:59:59 GMT"), 1999);
        assert_eq!(y("Saturday, 01-Jan-00 00:00:00 GMT"), 2000);
        assert_eq!(y("Sunday, 31-Dec-69 23:59:59 GMT"), 2069);
    }

    #[test]
    fn leap_second_and_offsets_at_the_edges() {
        let a = parse_http_date("Sat, 31 Dec 2016 23:59:60 GMT").unwrap();
        assert_eq!(a, parse_rfc3339("2016-12-31T23:59:59.999Z").unwrap());
        assert_eq!(
            parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT"),
            Ok(Timestamp::from_unix_millis(0))
        );
    }

    #[test]
    fn rejected_forms_say_where() {
        let cases = [
            ("", 0),
            ("   ", 3),
            ("Sun 06 Nov 1994 08:49:37 GMT", 4),
            ("Sun, 06 Nov 1994 08:49:37", 25),
            ("Sun, 06 Nov 1994 08:49:37 XYZ", 26),
            ("Sun, 06 Foo 1994 08:49:37 GMT", 8),
            ("Sun, 06 Nov 199 08:49:37 GMT", 12),
            ("Sun, 06 Nov 19945 08:49:37 GMT", 16),
            ("Sun, 006 Nov 1994 08:49:37 GMT", 7),
            ("Sun, 06 Nov 1994 8:49:37 GMT", 18),
            ("Sun, 06 Nov 1994 08:49:37 GMT junk", 29),
            ("Sun, 31 Nov 1994 08:49:37 GMT", 5),
            ("Sun, 06 Nov 1994 24:00:00 GMT", 5),
            ("Sun, 06 Nov 1994 08:49:37 +2400", 26),
            ("Sun Nov  6 08:49:37 94", 22),
            ("  2015-08-30T12:36Z", 18),
            ("20150830T1236Z", 13),
            ("Sun,", 4),
            ("Sun", 3),
        ];
        for (s, off) in cases {
            let e = parse_http_date(s).unwrap_err();
            assert_eq!(e.offset, off, "{s:?}: {e}");
        }
    }
}
