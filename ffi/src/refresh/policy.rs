//! The refresh policy: a builder handle, validated when a cache is made.

use crate::handle::{boundary, free, get_mut, handle_impl, into_handle, out, Error, Res};
use crate::result::*;
use core::time::Duration;
use sigfresh::refresh::{RefreshPolicy, RefreshPolicyBuilder};

/// A refresh policy under construction (starts from the defaults: refresh 5 min before
/// expiry with up to 20% jitter, wait inside the last minute, back off 1 s to 5 min...).
/// Validated when a cache is made. Not thread-safe while being changed. Release with
/// sigfresh_refresh_policy_free.
pub struct sigfresh_refresh_policy {
    _private: [u8; 0],
}

handle_impl!(sigfresh_refresh_policy => RefreshPolicyBuilder, 0x5347_4652_504f_4c49);

/// A policy duration (`sigfresh_policy_duration`) for sigfresh_refresh_policy_set_duration.
pub type sigfresh_policy_duration = u32;
/// Refresh this long before expiry (default 5 min).
pub const SIGFRESH_POLICY_REFRESH_WINDOW: sigfresh_policy_duration = 0;
/// Inside this window before expiry callers wait for fresh credentials (default 1 min).
pub const SIGFRESH_POLICY_MANDATORY_WINDOW: sigfresh_policy_duration = 1;
/// Refresh credentials without an expiry after this long (default 15 min).
pub const SIGFRESH_POLICY_MAX_AGE_WITHOUT_EXPIRY: sigfresh_policy_duration = 2;
/// First retry delay after a failure (default 1 s).
pub const SIGFRESH_POLICY_BACKOFF_INITIAL: sigfresh_policy_duration = 3;
/// Longest retry delay (default 5 min).
pub const SIGFRESH_POLICY_BACKOFF_MAX: sigfresh_policy_duration = 4;
/// Never refresh twice within this (default 30 s).
pub const SIGFRESH_POLICY_MIN_REFRESH_INTERVAL: sigfresh_policy_duration = 5;
/// A lease not completed within this may be taken over (default 30 s).
pub const SIGFRESH_POLICY_LEASE_TIMEOUT: sigfresh_policy_duration = 6;
/// How long a non-retryable failure is cached (default 1 min).
pub const SIGFRESH_POLICY_NON_RETRYABLE_TTL: sigfresh_policy_duration = 7;
/// IMDS static stability retry interval (default 5 min, plus up to 100% jitter).
pub const SIGFRESH_POLICY_STATIC_STABILITY_INTERVAL: sigfresh_policy_duration = 8;

/// A policy with the defaults. On success `*policy_out` is a new handle: release it with
/// sigfresh_refresh_policy_free.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_refresh_policy_new(
    policy_out: *mut *mut sigfresh_refresh_policy,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: caller contract (crate docs).
        let o = unsafe { out(policy_out, "policy_out") }?;
        o.write(into_handle::<sigfresh_refresh_policy>(
            RefreshPolicy::builder(),
        ));
        Ok(())
    })
}

/// Releases a policy. NULL is a no-op. Caches made from it are unaffected.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_refresh_policy_free(
    policy: *mut sigfresh_refresh_policy,
) -> sigfresh_result {
    // SAFETY: caller contract (crate docs).
    unsafe { free(policy) }
}

/// # Safety
/// Caller contract (crate docs).
unsafe fn edit_policy(
    policy: *mut sigfresh_refresh_policy,
    f: impl FnOnce(RefreshPolicyBuilder) -> Res<RefreshPolicyBuilder>,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: forwarded contract.
        let b = unsafe { get_mut(policy, "policy") }?;
        *b = f(b.clone())?;
        Ok(())
    })
}

/// Sets one duration (SIGFRESH_POLICY_*) in milliseconds. Rules between values (mandatory
/// window <= refresh window, nothing zero that must not be...) are checked when a cache is made.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_refresh_policy_set_duration(
    policy: *mut sigfresh_refresh_policy,
    which: sigfresh_policy_duration,
    ms: u64,
) -> sigfresh_result {
    let d = Duration::from_millis(ms);
    // SAFETY: caller contract (crate docs).
    unsafe {
        edit_policy(policy, |b| {
            Ok(match which {
                SIGFRESH_POLICY_REFRESH_WINDOW => b.refresh_window(d),
                SIGFRESH_POLICY_MANDATORY_WINDOW => b.mandatory_window(d),
                SIGFRESH_POLICY_MAX_AGE_WITHOUT_EXPIRY => b.max_age_without_expiry(d),
                SIGFRESH_POLICY_BACKOFF_INITIAL => b.backoff_initial(d),
                SIGFRESH_POLICY_BACKOFF_MAX => b.backoff_max(d),
                SIGFRESH_POLICY_MIN_REFRESH_INTERVAL => b.min_refresh_interval(d),
                SIGFRESH_POLICY_LEASE_TIMEOUT => b.lease_timeout(d),
                SIGFRESH_POLICY_NON_RETRYABLE_TTL => b.non_retryable_ttl(d),
                SIGFRESH_POLICY_STATIC_STABILITY_INTERVAL => b.static_stability_interval(d),
                other => {
                    return Err(Error::invalid(
                        "which",
                        format!("{other} is not a constant"),
                    ))
                }
            })
        })
    }
}

/// Sets how much earlier than the refresh window a refresh may start, as a percentage of the
/// window (default 20; at most 100, checked when a cache is made).
#[no_mangle]
pub unsafe extern "C" fn sigfresh_refresh_policy_set_jitter_percent(
    policy: *mut sigfresh_refresh_policy,
    percent: u32,
) -> sigfresh_result {
    // SAFETY: caller contract (crate docs).
    unsafe {
        edit_policy(policy, |b| {
            let p = u8::try_from(percent).map_err(|_| {
                Error::new(
                    SIGFRESH_LENGTH_TOO_LARGE,
                    format!("`percent` {percent} does not fit"),
                )
            })?;
            Ok(b.refresh_jitter_percent(p))
        })
    }
}

/// Sets whether IMDS credentials keep being used past expiry while IMDS fails (default true).
#[no_mangle]
pub unsafe extern "C" fn sigfresh_refresh_policy_set_imds_static_stability(
    policy: *mut sigfresh_refresh_policy,
    enabled: bool,
) -> sigfresh_result {
    // SAFETY: caller contract (crate docs).
    unsafe { edit_policy(policy, |b| Ok(b.imds_static_stability(enabled))) }
}
