//! How a machine retries one exchange inside one fetch: bounded attempts, exponential backoff
//! with "equal jitter" drawn from the host's [`Jitter`].

use crate::refresh::Jitter;
use core::time::Duration;

/// Attempts and backoff for one exchange (one request) within a fetch.
///
/// The `n`-th retry waits `initial * 2^(n-1)`, capped at `max`, then shortened by up to half by
/// the fetch's jitter (equal jitter: the wait is in `(d/2, d]`), so an instance never retries
/// in lock-step with itself or its neighbours.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Total attempts per exchange, at least 1 (1 means no retry).
    pub max_attempts: u32,
    /// The first backoff.
    pub backoff_initial: Duration,
    /// The longest backoff.
    pub backoff_max: Duration,
}

impl Default for RetryPolicy {
    /// 3 attempts, 250 ms doubling to at most 2 s.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            backoff_initial: Duration::from_millis(250),
            backoff_max: Duration::from_secs(2),
        }
    }
}

impl RetryPolicy {
    /// A policy with `max_attempts` (at least 1) and the default backoff.
    pub fn with_attempts(max_attempts: u32) -> Self {
        RetryPolicy {
            max_attempts: max_attempts.max(1),
            ..RetryPolicy::default()
        }
    }

    /// The wait after `failed` attempts (1 for the first failure), in milliseconds.
    pub(crate) fn backoff_millis(&self, failed: u32, jitter: Jitter) -> i64 {
        let initial = i64::try_from(self.backoff_initial.as_millis()).unwrap_or(i64::MAX);
        let max = i64::try_from(self.backoff_max.as_millis()).unwrap_or(i64::MAX);
        let shift = failed.saturating_sub(1).min(30);
        let d = initial.saturating_mul(1i64 << shift).min(max).max(0);
        d - jitter.scale_millis(d / 2)
    }
}

/// Attempt bookkeeping for the exchange in progress.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Attempts {
    failed: u32,
}

impl Attempts {
    /// Records a failed attempt; `Some(wait_ms)` when another attempt is allowed.
    pub(crate) fn fail(&mut self, policy: &RetryPolicy, jitter: Jitter) -> Option<i64> {
        self.failed = self.failed.saturating_add(1);
        (self.failed < policy.max_attempts.max(1))
            .then(|| policy.backoff_millis(self.failed, jitter))
    }
    /// Attempts made so far (after `fail`).
    pub(crate) fn made(&self) -> u32 {
        self.failed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prelude::*;

    #[test]
    fn backoff_doubles_and_caps() {
        let p = RetryPolicy::default();
        let z: Vec<i64> = (1..=5).map(|n| p.backoff_millis(n, Jitter::ZERO)).collect();
        assert_eq!(z, [250, 500, 1000, 2000, 2000]);
        assert_eq!(p.backoff_millis(1, Jitter::MAX), 126);
        let mut a = Attempts::default();
        assert_eq!(a.fail(&p, Jitter::ZERO), Some(250));
        assert_eq!(a.fail(&p, Jitter::ZERO), Some(500));
        assert_eq!(a.fail(&p, Jitter::ZERO), None);
        assert_eq!(a.made(), 3);
    }
}
