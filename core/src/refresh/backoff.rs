//! How long to wait after a failed refresh: [`Failure`] says what went wrong, the policy and a
//! host-supplied [`Jitter`] say how long until the next attempt.

use super::policy::{millis, Jitter, RefreshPolicy};
use core::time::Duration;

/// Why a refresh failed, as the host classified it. (Hosts map HTTP status codes and transport
/// errors onto these; `crate::classify` will offer that mapping.)
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Failure {
    /// A transient error: a 5xx, a reset connection, a truncated or unparseable document.
    /// Retried with exponential backoff.
    Retryable,
    /// An error that retrying soon will not fix: access denied, no role attached, a
    /// misconfiguration. Cached for [`RefreshPolicy::non_retryable_ttl`] so the source is not
    /// hammered.
    NonRetryable,
    /// The source asked the caller to slow down (HTTP 429, `Throttling`, `SlowDown`). Retried
    /// with exponential backoff, but not before `retry_after` (capped at
    /// [`RefreshPolicy::backoff_max`]) when the source said how long to wait.
    Throttled {
        /// The source's `Retry-After`, if it sent one.
        retry_after: Option<Duration>,
    },
    /// The source could not be reached at all (connection refused, timeout, no route).
    /// Retried with exponential backoff.
    SourceUnavailable,
}

/// The nominal backoff after `consecutive` failures (1 for the first), before jitter:
/// `initial * 2^(consecutive-1)`, capped at the maximum.
pub(crate) fn nominal_backoff_millis(policy: &RefreshPolicy, consecutive: u32) -> i64 {
    let initial = millis(policy.backoff_initial());
    let max = millis(policy.backoff_max());
    let shift = consecutive.saturating_sub(1).min(62);
    initial.saturating_mul(1i64 << shift).min(max)
}

/// "Equal jitter": a nominal delay `d` becomes `d - jitter * d/2`, a value in `(d/2, d]`. It
/// keeps a floor of half the delay (no instant retry) while spreading a fleet's retries.
fn equal_jitter(d: i64, jitter: Jitter) -> i64 {
    d - jitter.scale_millis(d / 2)
}

/// The delay in milliseconds before the next attempt after a failure.
pub(crate) fn failure_delay_millis(
    policy: &RefreshPolicy,
    failure: Failure,
    consecutive: u32,
    jitter: Jitter,
) -> i64 {
    let backoff = equal_jitter(nominal_backoff_millis(policy, consecutive), jitter);
    match failure {
        Failure::NonRetryable => millis(policy.non_retryable_ttl()),
        Failure::Retryable | Failure::SourceUnavailable => backoff,
        Failure::Throttled { retry_after } => {
            let asked = retry_after
                .map_or(0, millis)
                .min(millis(policy.backoff_max()));
            backoff.max(asked)
        }
    }
}

/// The delay while static stability keeps stale IMDS credentials in use: the interval plus up to
/// one more interval of jitter (5–10 minutes by default; the AWS SDKs retry after "~5 minutes"
/// (Java v2) or 10–15 minutes (Rust `aws-config`)).
pub(crate) fn static_stability_delay_millis(policy: &RefreshPolicy, jitter: Jitter) -> i64 {
    let base = millis(policy.static_stability_interval());
    base.saturating_add(jitter.scale_millis(base))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prelude::*;

    #[test]
    fn backoff_doubles_to_the_cap_with_equal_jitter() {
        let p = RefreshPolicy::default();
        let nominal: Vec<i64> = (1..=12).map(|n| nominal_backoff_millis(&p, n)).collect();
        assert_eq!(
            nominal,
            [
                1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 64_000, 128_000, 256_000, 300_000,
                300_000, 300_000
            ]
        );
        assert_eq!(nominal_backoff_millis(&p, u32::MAX), 300_000);
        assert_eq!(nominal_backoff_millis(&p, 0), 1_000);
        let f = Failure::Retryable;
        assert_eq!(failure_delay_millis(&p, f, 3, Jitter::ZERO), 4_000);
        assert_eq!(failure_delay_millis(&p, f, 3, Jitter::MAX), 2_001);
        assert_eq!(
            failure_delay_millis(
                &p,
                Failure::SourceUnavailable,
                1,
                Jitter::from_fraction(0.5)
            ),
            750
        );
    }

    #[test]
    fn non_retryable_is_cached_and_throttling_honors_retry_after() {
        let p = RefreshPolicy::default();
        assert_eq!(
            failure_delay_millis(&p, Failure::NonRetryable, 1, Jitter::MAX),
            60_000
        );
        let t = |s| Failure::Throttled {
            retry_after: Some(Duration::from_secs(s)),
        };
        assert_eq!(failure_delay_millis(&p, t(20), 1, Jitter::ZERO), 20_000);
        assert_eq!(failure_delay_millis(&p, t(0), 2, Jitter::ZERO), 2_000);
        // A huge Retry-After is capped at the maximum backoff.
        assert_eq!(
            failure_delay_millis(&p, t(86_400), 1, Jitter::ZERO),
            300_000
        );
        let none = Failure::Throttled { retry_after: None };
        assert_eq!(failure_delay_millis(&p, none, 4, Jitter::ZERO), 8_000);
    }

    #[test]
    fn static_stability_retries_in_five_to_ten_minutes() {
        let p = RefreshPolicy::default();
        assert_eq!(static_stability_delay_millis(&p, Jitter::ZERO), 300_000);
        assert_eq!(static_stability_delay_millis(&p, Jitter::MAX), 599_999);
    }
}
