//! [`RefreshPolicy`]: when to refresh, how long to back off, how long a lease lasts; and
//! [`Jitter`], the host-supplied random value that spreads a fleet's refreshes.

use core::fmt;
use core::time::Duration;

/// A host-supplied random value in `[0, 1)`, held as a 32-bit binary fraction so that every
/// computation with it is exact integer arithmetic (the same input gives the same instant on
/// every platform).
///
/// The core has no randomness: the host draws one value per event (installing credentials,
/// recording a failure) and passes it in. [`Jitter::ZERO`] gives the nominal, un-jittered times.
///
/// ```
/// use sigfresh::refresh::Jitter;
/// assert_eq!(Jitter::from_fraction(0.5), Jitter::from_u64(1 << 63));
/// assert_eq!(Jitter::from_fraction(7.0), Jitter::MAX); // clamped below 1
/// assert_eq!(Jitter::from_fraction(f64::NAN), Jitter::ZERO);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Jitter(u32);

impl Jitter {
    /// No jitter: every time is the nominal one.
    pub const ZERO: Jitter = Jitter(0);
    /// The largest value, `1 - 2^-32`.
    pub const MAX: Jitter = Jitter(u32::MAX);

    /// From a fraction; values outside `[0, 1)` are clamped into it and NaN becomes zero.
    pub fn from_fraction(f: f64) -> Self {
        if f.is_nan() || f <= 0.0 {
            Jitter::ZERO
        } else if f >= 1.0 {
            Jitter::MAX
        } else {
            // f in (0, 1) so f * 2^32 is in (0, 2^32); the cast saturates anyway.
            Jitter((f * 4_294_967_296.0) as u32)
        }
    }

    /// From a uniformly random `u64` (e.g. a host RNG's output): its high 32 bits.
    pub const fn from_u64(v: u64) -> Self {
        Jitter((v >> 32) as u32)
    }

    /// The value as a fraction in `[0, 1)`.
    pub fn fraction(self) -> f64 {
        f64::from(self.0) / 4_294_967_296.0
    }

    /// `ms * fraction`, rounded down, for a non-negative millisecond count.
    pub(crate) fn scale_millis(self, ms: i64) -> i64 {
        let ms = ms.max(0) as u128;
        // (ms * self.0) >> 32 < ms, so it fits back into an i64.
        ((ms * u128::from(self.0)) >> 32) as i64
    }
}

/// Why a [`RefreshPolicyBuilder`] refused its settings.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PolicyError {
    /// A duration that must be positive was zero (names the setting).
    Zero(&'static str),
    /// The mandatory window was longer than the refresh window.
    MandatoryWindowTooLong,
    /// The refresh jitter was above 100 percent (the value given).
    JitterPercentTooLarge(u8),
    /// The maximum backoff was shorter than the initial backoff.
    BackoffMaxBelowInitial,
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PolicyError::Zero(field) => write!(f, "{field} must be greater than zero"),
            PolicyError::MandatoryWindowTooLong => {
                f.write_str("mandatory window must not be longer than the refresh window")
            }
            PolicyError::JitterPercentTooLarge(p) => {
                write!(f, "refresh jitter is {p} percent; at most 100 is allowed")
            }
            PolicyError::BackoffMaxBelowInitial => {
                f.write_str("maximum backoff must not be shorter than the initial backoff")
            }
        }
    }
}

impl core::error::Error for PolicyError {}

/// When credentials are refreshed and how failures are paced. Build one with
/// [`RefreshPolicy::builder`]; [`RefreshPolicy::default`] is the design rule below.
///
/// | setting | default | meaning |
/// | --- | --- | --- |
/// | [`refresh_window`](Self::refresh_window) | 5 min | a background refresh starts this long before expiry |
/// | [`mandatory_window`](Self::mandatory_window) | 1 min | inside it, callers wait for a refresh before signing |
/// | [`refresh_jitter_percent`](Self::refresh_jitter_percent) | 20 % | each refresh moves earlier by up to this share of the refresh window (default: up to 60 s) |
/// | [`max_age_without_expiry`](Self::max_age_without_expiry) | 15 min | credentials without an expiry are re-read after this long |
/// | [`backoff_initial`](Self::backoff_initial) / [`backoff_max`](Self::backoff_max) | 1 s / 5 min | delay after consecutive failures doubles from initial to max; each delay is drawn from `(d/2, d]` ("equal jitter") |
/// | [`min_refresh_interval`](Self::min_refresh_interval) | 30 s | after a successful refresh, the next one waits at least this long (no hot loop when a source hands back credentials already inside the window) |
/// | [`lease_timeout`](Self::lease_timeout) | 30 s | a refresh lease not completed by then may be taken over by another caller |
/// | [`non_retryable_ttl`](Self::non_retryable_ttl) | 1 min | a non-retryable error is cached this long before the source is asked again |
/// | [`imds_static_stability`](Self::imds_static_stability) | on | IMDS credentials stay usable past expiry while IMDS is failing |
/// | [`static_stability_interval`](Self::static_stability_interval) | 5 min | while IMDS is failing, retry every 5–10 min (interval plus up to one interval of jitter) |
///
/// Two pacing rules hold whatever the settings: a retry is never scheduled past the start of
/// the mandatory window or past expiry (an attempt is always made at those instants), and
/// static stability never applies to a source other than
/// [`CredentialSource::InstanceMetadata`](crate::credentials::CredentialSource::InstanceMetadata).
///
/// ```
/// use core::time::Duration;
/// use sigfresh::refresh::{PolicyError, RefreshPolicy};
/// let p = RefreshPolicy::default();
/// assert_eq!(p.refresh_window(), Duration::from_secs(300));
/// let err = RefreshPolicy::builder()
///     .mandatory_window(Duration::from_secs(600))
///     .build()
///     .unwrap_err();
/// assert_eq!(err, PolicyError::MandatoryWindowTooLong);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RefreshPolicy {
    refresh_window: Duration,
    mandatory_window: Duration,
    refresh_jitter_percent: u8,
    max_age_without_expiry: Duration,
    backoff_initial: Duration,
    backoff_max: Duration,
    min_refresh_interval: Duration,
    lease_timeout: Duration,
    non_retryable_ttl: Duration,
    imds_static_stability: bool,
    static_stability_interval: Duration,
}

impl Default for RefreshPolicy {
    /// The defaults in the table on [`RefreshPolicy`].
    fn default() -> Self {
        RefreshPolicy {
            refresh_window: Duration::from_secs(5 * 60),
            mandatory_window: Duration::from_secs(60),
            refresh_jitter_percent: 20,
            max_age_without_expiry: Duration::from_secs(15 * 60),
            backoff_initial: Duration::from_secs(1),
            backoff_max: Duration::from_secs(5 * 60),
            min_refresh_interval: Duration::from_secs(30),
            lease_timeout: Duration::from_secs(30),
            non_retryable_ttl: Duration::from_secs(60),
            imds_static_stability: true,
            static_stability_interval: Duration::from_secs(5 * 60),
        }
    }
}

impl RefreshPolicy {
    /// A builder starting from the defaults.
    pub fn builder() -> RefreshPolicyBuilder {
        RefreshPolicyBuilder(RefreshPolicy::default())
    }
    /// A builder starting from this policy.
    pub fn to_builder(&self) -> RefreshPolicyBuilder {
        RefreshPolicyBuilder(self.clone())
    }
    /// How long before expiry a background refresh starts (before jitter).
    pub fn refresh_window(&self) -> Duration {
        self.refresh_window
    }
    /// How long before expiry callers stop signing and wait for a refresh.
    pub fn mandatory_window(&self) -> Duration {
        self.mandatory_window
    }
    /// The largest share of the refresh window by which jitter moves a refresh earlier.
    pub fn refresh_jitter_percent(&self) -> u8 {
        self.refresh_jitter_percent
    }
    /// How long credentials without an expiry are used before they are re-read.
    pub fn max_age_without_expiry(&self) -> Duration {
        self.max_age_without_expiry
    }
    /// The nominal delay after the first failure.
    pub fn backoff_initial(&self) -> Duration {
        self.backoff_initial
    }
    /// The largest nominal delay after repeated failures.
    pub fn backoff_max(&self) -> Duration {
        self.backoff_max
    }
    /// The least time between a successful refresh and the next one.
    pub fn min_refresh_interval(&self) -> Duration {
        self.min_refresh_interval
    }
    /// How long a refresh lease is valid before another caller may take over.
    pub fn lease_timeout(&self) -> Duration {
        self.lease_timeout
    }
    /// How long a non-retryable error is cached.
    pub fn non_retryable_ttl(&self) -> Duration {
        self.non_retryable_ttl
    }
    /// Whether IMDS credentials follow static stability.
    pub fn imds_static_stability(&self) -> bool {
        self.imds_static_stability
    }
    /// The base retry interval while static stability keeps stale IMDS credentials in use.
    pub fn static_stability_interval(&self) -> Duration {
        self.static_stability_interval
    }

    /// The jitter span in milliseconds: `refresh_window * percent / 100`.
    pub(crate) fn jitter_span_millis(&self) -> i64 {
        millis(self.refresh_window).saturating_mul(i64::from(self.refresh_jitter_percent)) / 100
    }
}

/// Builds a validated [`RefreshPolicy`]; every setter takes the value as given and
/// [`build`](Self::build) checks them together.
#[derive(Clone, Debug)]
pub struct RefreshPolicyBuilder(RefreshPolicy);

macro_rules! duration_setters {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        pub fn $name(mut self, d: Duration) -> Self {
            self.0.$name = d;
            self
        }
    )*};
}

impl RefreshPolicyBuilder {
    duration_setters! {
        /// Sets [`RefreshPolicy::refresh_window`].
        refresh_window;
        /// Sets [`RefreshPolicy::mandatory_window`]; must not exceed the refresh window.
        mandatory_window;
        /// Sets [`RefreshPolicy::max_age_without_expiry`]; must be positive.
        max_age_without_expiry;
        /// Sets [`RefreshPolicy::backoff_initial`]; must be positive.
        backoff_initial;
        /// Sets [`RefreshPolicy::backoff_max`]; must not be below the initial backoff.
        backoff_max;
        /// Sets [`RefreshPolicy::min_refresh_interval`]; must be positive (zero would allow a hot
        /// loop).
        min_refresh_interval;
        /// Sets [`RefreshPolicy::lease_timeout`]; must be positive.
        lease_timeout;
        /// Sets [`RefreshPolicy::non_retryable_ttl`]; must be positive.
        non_retryable_ttl;
        /// Sets [`RefreshPolicy::static_stability_interval`]; must be positive.
        static_stability_interval;
    }

    /// Sets [`RefreshPolicy::refresh_jitter_percent`]; at most 100.
    pub fn refresh_jitter_percent(mut self, percent: u8) -> Self {
        self.0.refresh_jitter_percent = percent;
        self
    }
    /// Sets [`RefreshPolicy::imds_static_stability`].
    pub fn imds_static_stability(mut self, on: bool) -> Self {
        self.0.imds_static_stability = on;
        self
    }

    /// Checks the settings together and returns the policy.
    pub fn build(self) -> Result<RefreshPolicy, PolicyError> {
        let p = self.0;
        for (name, d) in [
            ("max age without expiry", p.max_age_without_expiry),
            ("initial backoff", p.backoff_initial),
            ("minimum refresh interval", p.min_refresh_interval),
            ("lease timeout", p.lease_timeout),
            ("non-retryable error TTL", p.non_retryable_ttl),
            ("static stability interval", p.static_stability_interval),
        ] {
            if millis(d) == 0 {
                return Err(PolicyError::Zero(name));
            }
        }
        if p.mandatory_window > p.refresh_window {
            return Err(PolicyError::MandatoryWindowTooLong);
        }
        if p.refresh_jitter_percent > 100 {
            return Err(PolicyError::JitterPercentTooLarge(p.refresh_jitter_percent));
        }
        if p.backoff_max < p.backoff_initial {
            return Err(PolicyError::BackoffMaxBelowInitial);
        }
        Ok(p)
    }
}

/// A duration in whole milliseconds, saturating at `i64::MAX`.
pub(crate) fn millis(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prelude::*;

    #[test]
    fn jitter_is_exact_integer_math() {
        assert_eq!(Jitter::ZERO.scale_millis(60_000), 0);
        assert_eq!(Jitter::from_fraction(0.5).scale_millis(60_000), 30_000);
        assert_eq!(Jitter::MAX.scale_millis(60_000), 59_999);
        assert_eq!(Jitter::MAX.scale_millis(i64::MAX), i64::MAX - (1 << 31));
        assert_eq!(Jitter::from_fraction(0.25).scale_millis(-5), 0);
        assert_eq!(Jitter::from_u64(u64::MAX), Jitter::MAX);
        assert!((Jitter::from_fraction(0.75).fraction() - 0.75).abs() < 1e-9);
        assert_eq!(Jitter::from_fraction(-1.0), Jitter::ZERO);
    }

    #[test]
    fn builder_validates_each_rule() {
        let b = RefreshPolicy::builder;
        assert_eq!(b().build(), Ok(RefreshPolicy::default()));
        assert_eq!(
            b().lease_timeout(Duration::ZERO).build(),
            Err(PolicyError::Zero("lease timeout"))
        );
        assert_eq!(
            b().min_refresh_interval(Duration::from_micros(999)).build(),
            Err(PolicyError::Zero("minimum refresh interval"))
        );
        assert_eq!(
            b().refresh_window(Duration::from_secs(30)).build(),
            Err(PolicyError::MandatoryWindowTooLong)
        );
        assert_eq!(
            b().refresh_jitter_percent(101).build(),
            Err(PolicyError::JitterPercentTooLarge(101))
        );
        assert_eq!(
            b().backoff_max(Duration::from_millis(500)).build(),
            Err(PolicyError::BackoffMaxBelowInitial)
        );
        // Equal windows and a zero refresh window (with a zero mandatory one) are allowed.
        let p = b()
            .refresh_window(Duration::ZERO)
            .mandatory_window(Duration::ZERO)
            .refresh_jitter_percent(100)
            .imds_static_stability(false)
            .build()
            .unwrap();
        assert!(!p.imds_static_stability());
        assert_eq!(p.to_builder().build(), Ok(p));
        for e in [
            PolicyError::Zero("x"),
            PolicyError::MandatoryWindowTooLong,
            PolicyError::JitterPercentTooLarge(150),
            PolicyError::BackoffMaxBelowInitial,
        ] {
            assert!(!e.to_string().is_empty());
        }
    }

    #[test]
    fn jitter_span_is_a_share_of_the_refresh_window() {
        assert_eq!(RefreshPolicy::default().jitter_span_millis(), 60_000);
        let p = RefreshPolicy::builder()
            .refresh_jitter_percent(0)
            .build()
            .unwrap();
        assert_eq!(p.jitter_span_millis(), 0);
    }
}
