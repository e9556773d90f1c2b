//! The IMDS machine (`source::ImdsSource` through the `Source` trait) fed fuzzer-chosen
//! outcomes for up to 3 fetches and 64 steps: never panics, every request it asks for is safe
//! to send (no control characters from a response end up in a header or the URL), and `poll`
//! after `Done` repeats the result.
#![no_main]

use arbitrary::Unstructured;
use core::time::Duration;
use libfuzzer_sys::fuzz_target;
use sigfresh::source::{ImdsConfig, ImdsSource, RetryPolicy, V1Fallback};
use sigfresh_fuzz::drive;

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let mut config = ImdsConfig::default();
    let flags = u.arbitrary::<u8>().unwrap_or(0);
    if flags & 1 != 0 {
        config.v1_fallback = V1Fallback::Disabled;
    }
    if flags & 2 != 0 {
        config.retry = RetryPolicy::with_attempts(u32::from(flags >> 4));
    }
    if flags & 4 != 0 {
        config.token_ttl = Duration::from_secs(u64::from(u.arbitrary::<u16>().unwrap_or(0)));
    }
    let mut m = ImdsSource::new(config);
    drive(&mut m, &mut u, 3, 64);
    let _ = (format!("{m:?}"), m.role_name());
});
