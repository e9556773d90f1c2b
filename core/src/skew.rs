//! Clock-skew tracking from server times, and which AWS errors clock skew explains.
//!
//! SigV4 signatures carry their signing time and AWS rejects requests signed more than 5 minutes
//! (S3: 15 minutes) away from its own clock. [`ClockSkew`] remembers how far the server's clock is
//! from the host's (`server − local`, in milliseconds) so that the host can sign with, and judge
//! credential expiry by, [`ClockSkew::corrected`] instead of its raw clock. It is a single atomic:
//! share it by reference (or in an `Arc`) between threads; every method takes `&self`.
//!
//! ## When an observed offset is adopted
//!
//! Each observation measures a *candidate* offset `server_time − local_now`. The tracker adopts the
//! candidate only when it differs from the offset in use by at least the threshold
//! ([`ClockSkew::DEFAULT_THRESHOLD_MS`], 4 minutes, unless built with
//! [`ClockSkew::with_threshold_millis`]); otherwise it keeps the current offset. So:
//!
//! - a host whose clock is right keeps an offset of exactly 0: a `Date` header has 1-second
//!   resolution and the response spends time in flight, so small differences are measurement
//!   noise, not skew;
//! - a host whose clock is 10 minutes off adopts the server's clock on the first observation and
//!   then keeps it steady (later observations differ from it by noise only);
//! - when the host clock is fixed (NTP steps it), the next observation differs from the stored
//!   offset by the size of the step and is adopted, so a stale correction heals itself.
//!
//! Sources: the 4-minute figure is the one the AWS SDKs use — Java v2
//! `ClockSkew.CLOCK_SKEW_ADJUST_THRESHOLD` (`Duration.ofMinutes(4)`), Kotlin
//! (aws-sdk-kotlin#1065: "with a minimum threshold of 4 minutes, the client time will be updated
//! for all successive requests"), JS v3 (aws-sdk-js-v3#8189 moved it from 5 to 4 minutes) and Go v2
//! (aws-sdk-go-v2#3472). Comparing against the offset in use rather than against zero follows
//! Go v2's "stale offset healing" (`|attemptSkew − candidateSkew|` must exceed the threshold).
//! [`ClockSkew::observe_round_trip`] implements the midpoint estimate and the 15-minute round-trip
//! guard those SDKs adopted in 2026.
//!
//! ## Which errors clock skew explains
//!
//! [`is_skew_error`] follows the AWS SDK for Java v2 (`AwsErrorCode`, `AwsStatusCode`,
//! `AwsServiceException.isClockSkewException`): the codes in [`DEFINITE_SKEW_CODES`] always mean
//! the signing time was rejected; the codes in [`POSSIBLE_SKEW_CODES`] and the statuses 401 and
//! 403 mean skew only when the measured offset is at least [`SKEW_DETECTION_THRESHOLD_MS`].

use crate::time::{parse_http_date, TimeParseError, Timestamp};
use core::sync::atomic::{AtomicI64, Ordering};

/// Error codes that always mean AWS rejected the request's signing time: `RequestTimeTooSkewed`
/// (S3), `RequestExpired` (EC2 and query APIs: "reached the service more than 15 minutes after
/// the date stamp on the request … or the date stamp on the request is more than 15 minutes in
/// the future"), `RequestInTheFuture`.
///
/// This is the AWS SDK for Java v2 `AwsErrorCode.DEFINITE_CLOCK_SKEW_ERROR_CODES` set. Go v2 (PR
/// #3472, 2026) dropped `RequestExpired` and `RequestInTheFuture` from its skew set; sigfresh keeps
/// them because both are answered by re-signing with a corrected time, and `RequestExpired` is
/// *not* an expired-credentials error (it is about the signature's date, not the token's).
pub const DEFINITE_SKEW_CODES: &[&str] = &[
    "RequestTimeTooSkewed",
    "RequestExpired",
    "RequestInTheFuture",
];

/// Error codes that clock skew can cause but that have other causes too (a wrong secret key, a
/// request changed after signing): `InvalidSignatureException` (JSON services),
/// `SignatureDoesNotMatch` (XML/query services), `AuthFailure` (EC2). Java v2
/// `AwsErrorCode.POSSIBLE_CLOCK_SKEW_ERROR_CODES`.
pub const POSSIBLE_SKEW_CODES: &[&str] = &[
    "InvalidSignatureException",
    "SignatureDoesNotMatch",
    "AuthFailure",
];

/// A measured offset of at least this many milliseconds (4 minutes) turns a possible skew error
/// into a likely one. Java v2 `ClockSkew.isClockSkewed` compares with `>=` against 4 minutes; Go
/// v2 uses `>` against the same value.
pub const SKEW_DETECTION_THRESHOLD_MS: i64 = 4 * 60 * 1000;

/// Round trips longer than this (15 minutes) say too little about the server's clock to use
/// (Go v2 `maxTrustedRequestDuration`, JS v3 "elapsed guard").
pub const MAX_TRUSTED_ROUND_TRIP_MS: i64 = 15 * 60 * 1000;

/// What [`is_skew_error`] concluded about an error response.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SkewVerdict {
    /// The error code itself says the signing time was rejected ([`DEFINITE_SKEW_CODES`]).
    Definite,
    /// A code or status that skew can cause, and the measured offset is at least
    /// [`SKEW_DETECTION_THRESHOLD_MS`]: treat as skew (correct the clock and retry once).
    Likely,
    /// A code or status that skew can cause, but no offset was measured (no usable server time):
    /// skew cannot be confirmed or ruled out. Not treated as skew.
    Possible,
    /// A code or status that skew can cause, but the measured offset is below the threshold: the
    /// clock is not the cause.
    Unlikely,
    /// Not an error clock skew causes.
    NotSkew,
}

impl SkewVerdict {
    /// True for [`SkewVerdict::Definite`] and [`SkewVerdict::Likely`]: correcting the clock and
    /// retrying is the right response.
    pub fn is_skew(self) -> bool {
        matches!(self, SkewVerdict::Definite | SkewVerdict::Likely)
    }
}

/// Decides whether an error response is explained by clock skew.
///
/// `code` is the AWS error code (already stripped of any `namespace#` prefix), `status` the HTTP
/// status, and `measured_offset_ms` how far the server's clock was from the time the request was
/// signed with (`server − signing time`), when known. Pass the offset *after* any correction the
/// request was signed with (`server_time − skew.corrected(local_now)`), so that a request already
/// signed with a corrected clock is not blamed on skew again (Java v2 does the same with
/// `Instant.now().minus(clockSkew)`).
///
/// ```
/// use sigfresh::skew::{is_skew_error, SkewVerdict};
/// assert_eq!(is_skew_error(Some("RequestTimeTooSkewed"), 403, None), SkewVerdict::Definite);
/// assert_eq!(is_skew_error(Some("SignatureDoesNotMatch"), 403, Some(600_000)), SkewVerdict::Likely);
/// assert_eq!(is_skew_error(Some("SignatureDoesNotMatch"), 403, Some(1_000)), SkewVerdict::Unlikely);
/// assert_eq!(is_skew_error(None, 403, None), SkewVerdict::Possible);
/// assert_eq!(is_skew_error(Some("NoSuchKey"), 404, Some(600_000)), SkewVerdict::NotSkew);
/// ```
pub fn is_skew_error(
    code: Option<&str>,
    status: u16,
    measured_offset_ms: Option<i64>,
) -> SkewVerdict {
    if code.is_some_and(|c| DEFINITE_SKEW_CODES.contains(&c)) {
        return SkewVerdict::Definite;
    }
    let possible =
        code.is_some_and(|c| POSSIBLE_SKEW_CODES.contains(&c)) || matches!(status, 401 | 403);
    if !possible {
        return SkewVerdict::NotSkew;
    }
    match measured_offset_ms {
        None => SkewVerdict::Possible,
        Some(ms) if ms.unsigned_abs() >= SKEW_DETECTION_THRESHOLD_MS.unsigned_abs() => {
            SkewVerdict::Likely
        }
        Some(_) => SkewVerdict::Unlikely,
    }
}

/// What one observation did to a [`ClockSkew`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SkewChange {
    /// The measured offset differed from the one in use by at least the threshold and replaced it.
    Adopted {
        /// The offset in use before (ms, `server − local`).
        previous_ms: i64,
        /// The offset now in use (ms): the measured one.
        offset_ms: i64,
    },
    /// The measured offset was within the threshold of the one in use, which is kept.
    Kept {
        /// The offset still in use (ms).
        offset_ms: i64,
        /// What this observation measured (ms).
        measured_ms: i64,
    },
}

impl SkewChange {
    /// The offset this observation measured (ms, `server − local`).
    pub fn measured_ms(self) -> i64 {
        match self {
            SkewChange::Adopted { offset_ms, .. } => offset_ms,
            SkewChange::Kept { measured_ms, .. } => measured_ms,
        }
    }
    /// The offset in use after this observation (ms).
    pub fn offset_ms(self) -> i64 {
        match self {
            SkewChange::Adopted { offset_ms, .. } | SkewChange::Kept { offset_ms, .. } => offset_ms,
        }
    }
}

/// The offset between the server's clock and the host's, shared between threads.
///
/// ```
/// use sigfresh::skew::ClockSkew;
/// use sigfresh::time::Timestamp;
/// let skew = ClockSkew::default();
/// // The host's clock is 10 minutes behind the server's.
/// let local_now = Timestamp::from_unix_seconds(1_440_938_160);
/// let offset = skew.observe_date_header("Sun, 30 Aug 2015 12:46:00 GMT", local_now).unwrap();
/// assert_eq!(offset, 600_000);
/// assert_eq!(skew.offset_millis(), 600_000);
/// assert_eq!(skew.corrected(local_now), Timestamp::from_unix_seconds(1_440_938_760));
/// ```
#[derive(Debug)]
pub struct ClockSkew {
    offset_ms: AtomicI64,
    threshold_ms: i64,
}

/// An offset of 0 and the default 4-minute threshold.
impl Default for ClockSkew {
    fn default() -> Self {
        ClockSkew::new()
    }
}

impl ClockSkew {
    /// The default adoption threshold: 4 minutes (see the module docs for the sources).
    pub const DEFAULT_THRESHOLD_MS: i64 = SKEW_DETECTION_THRESHOLD_MS;

    /// A tracker with offset 0 and the default threshold.
    pub const fn new() -> Self {
        ClockSkew::with_threshold_millis(ClockSkew::DEFAULT_THRESHOLD_MS)
    }

    /// A tracker with offset 0 that adopts an observed offset when it differs from the one in use
    /// by at least `threshold_ms` (negative values count as 0, which adopts every observation).
    pub const fn with_threshold_millis(threshold_ms: i64) -> Self {
        ClockSkew {
            offset_ms: AtomicI64::new(0),
            threshold_ms: if threshold_ms < 0 { 0 } else { threshold_ms },
        }
    }

    /// The adoption threshold in milliseconds.
    pub fn threshold_millis(&self) -> i64 {
        self.threshold_ms
    }

    /// The offset in use: server time minus local time, in milliseconds (positive when the host's
    /// clock is behind the server's).
    pub fn offset_millis(&self) -> i64 {
        // Relaxed is enough: the offset is one self-contained value (an AtomicI64 cannot tear) and
        // no other memory is published through it.
        self.offset_ms.load(Ordering::Relaxed)
    }

    /// `local_now` corrected by the offset in use: the time to sign with and to judge credential
    /// expiry by.
    pub fn corrected(&self, local_now: Timestamp) -> Timestamp {
        local_now.offset_millis(self.offset_millis())
    }

    /// Records that the server's clock read `server_time` when the host's read `local_now`, and
    /// adopts the measured offset per the rule in the module docs.
    pub fn observe(&self, server_time: Timestamp, local_now: Timestamp) -> SkewChange {
        self.consider(server_time.millis_since(local_now))
    }

    /// Like [`ClockSkew::observe`], with the host's clock read when the request was sent and when
    /// the response arrived: the server time is compared with the midpoint of the two, which
    /// bounds the error to half the round trip (the AWS SDKs' 2026 rule). Returns `None`, and
    /// changes nothing, when `response_received` is before `request_sent` or the round trip is
    /// longer than [`MAX_TRUSTED_ROUND_TRIP_MS`].
    pub fn observe_round_trip(
        &self,
        server_time: Timestamp,
        request_sent: Timestamp,
        response_received: Timestamp,
    ) -> Option<SkewChange> {
        let rtt = response_received.millis_since(request_sent);
        if !(0..=MAX_TRUSTED_ROUND_TRIP_MS).contains(&rtt) {
            return None;
        }
        Some(self.observe(server_time, request_sent.offset_millis(rtt / 2)))
    }

    /// Parses a `Date` header value ([`parse_http_date`]) and observes it against `local_now`.
    /// Returns the offset this header measured (`server − local`, ms), whether or not it was
    /// adopted; [`ClockSkew::offset_millis`] gives the offset in use afterwards. A header that
    /// does not parse changes nothing.
    ///
    /// Do not pass the `Date` of a response that carries an `Age` header: it came from a cache and
    /// its `Date` is stale (RFC 9111 §5.1; the AWS SDKs skip such responses).
    pub fn observe_date_header(
        &self,
        value: &str,
        local_now: Timestamp,
    ) -> Result<i64, TimeParseError> {
        let server_time = parse_http_date(value)?;
        Ok(self.observe(server_time, local_now).measured_ms())
    }

    /// Forgets the offset (back to 0).
    pub fn reset(&self) {
        self.offset_ms.store(0, Ordering::Relaxed);
    }

    fn consider(&self, candidate: i64) -> SkewChange {
        let threshold = self.threshold_ms.unsigned_abs();
        let mut previous = self.offset_ms.load(Ordering::Relaxed);
        loop {
            if candidate.saturating_sub(previous).unsigned_abs() < threshold {
                return SkewChange::Kept {
                    offset_ms: previous,
                    measured_ms: candidate,
                };
            }
            match self.offset_ms.compare_exchange_weak(
                previous,
                candidate,
                Ordering::Relaxed,
                Ordering::Relaxed,
            ) {
                Ok(_) => {
                    return SkewChange::Adopted {
                        previous_ms: previous,
                        offset_ms: candidate,
                    }
                }
                // Another thread changed the offset meanwhile: judge against its value.
                Err(current) => previous = current,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_440_938_160_000;

    #[test]
    fn threshold_is_inclusive_and_relative_to_the_offset_in_use() {
        let s = ClockSkew::default();
        let now = Timestamp::from_unix_millis(NOW);
        let at = |ms: i64| Timestamp::from_unix_millis(NOW + ms);
        assert!(matches!(
            s.observe(at(239_999), now),
            SkewChange::Kept { offset_ms: 0, .. }
        ));
        assert_eq!(
            s.observe(at(240_000), now),
            SkewChange::Adopted {
                previous_ms: 0,
                offset_ms: 240_000
            }
        );
        // Within 4 minutes of the offset in use: kept, even though far from zero.
        assert_eq!(s.observe(at(400_000), now).offset_ms(), 240_000);
        // Healing: the clock was fixed, the measured offset is back near zero.
        assert_eq!(
            s.observe(at(-500), now),
            SkewChange::Adopted {
                previous_ms: 240_000,
                offset_ms: -500
            }
        );
        s.reset();
        assert_eq!(s.offset_millis(), 0);
    }

    #[test]
    fn zero_threshold_adopts_everything_and_extremes_saturate() {
        let s = ClockSkew::with_threshold_millis(-5);
        assert_eq!(s.threshold_millis(), 0);
        let change = s.observe(
            Timestamp::from_unix_millis(i64::MAX),
            Timestamp::from_unix_millis(i64::MIN),
        );
        assert_eq!(change.offset_ms(), i64::MAX);
        assert_eq!(
            s.corrected(Timestamp::from_unix_millis(5)),
            Timestamp::from_unix_millis(i64::MAX)
        );
    }

    #[test]
    fn round_trip_uses_the_midpoint_and_rejects_bad_round_trips() {
        let s = ClockSkew::with_threshold_millis(0);
        let sent = Timestamp::from_unix_millis(NOW);
        let received = sent.offset_millis(2_000);
        let server = sent.offset_millis(601_000);
        assert_eq!(
            s.observe_round_trip(server, sent, received)
                .map(SkewChange::offset_ms),
            Some(600_000)
        );
        assert_eq!(s.observe_round_trip(server, received, sent), None);
        assert_eq!(
            s.observe_round_trip(
                server,
                sent,
                sent.offset_millis(MAX_TRUSTED_ROUND_TRIP_MS + 1)
            ),
            None
        );
        assert_eq!(s.offset_millis(), 600_000);
    }

    #[test]
    fn verdicts() {
        for code in DEFINITE_SKEW_CODES {
            assert_eq!(
                is_skew_error(Some(code), 400, Some(0)),
                SkewVerdict::Definite
            );
        }
        for code in POSSIBLE_SKEW_CODES {
            assert_eq!(
                is_skew_error(Some(code), 400, Some(-240_000)),
                SkewVerdict::Likely
            );
            assert_eq!(
                is_skew_error(Some(code), 400, Some(239_999)),
                SkewVerdict::Unlikely
            );
            assert_eq!(is_skew_error(Some(code), 400, None), SkewVerdict::Possible);
        }
        assert_eq!(
            is_skew_error(Some("AccessDenied"), 403, Some(i64::MIN)),
            SkewVerdict::Likely
        );
        assert_eq!(is_skew_error(None, 401, Some(0)), SkewVerdict::Unlikely);
        assert_eq!(
            is_skew_error(None, 400, Some(600_000)),
            SkewVerdict::NotSkew
        );
        assert!(SkewVerdict::Likely.is_skew() && !SkewVerdict::Possible.is_skew());
    }
}
