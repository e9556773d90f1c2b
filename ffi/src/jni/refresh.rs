//! The credential cache, its policy and leases.

use super::*;
use crate::credentials::sigfresh_credentials;
use crate::refresh::*;
use ::jni::EnvUnowned;

type Cache = sigfresh_credential_cache;

fn cache(h: i64) -> JRes<*const Cache> {
    handle::<Cache>(h, "cache")
}

fn lease(h: i64) -> JRes<*mut sigfresh_lease> {
    handle::<sigfresh_lease>(h, "lease").map(|p| p.cast_mut())
}

fn decision_slots(d: &sigfresh_refresh_decision) -> [i64; 7] {
    [
        i64::from(d.kind),
        d.refresh_at_ms,
        d.expires_at_ms,
        i64::from(d.has_expiry),
        d.retry_at_ms,
        i64::from(d.usable),
        i64::from(d.must_wait),
    ]
}

#[no_mangle]
pub extern "system" fn Java_dev_sigfresh_internal_JniNative_cacheNew<'l>(
    mut env: EnvUnowned<'l>,
    _this: JObject<'l>,
    policy: JLongArray<'l>,
) -> i64 {
    entry!(env, |e| {
        let p = longs(e, &policy, 11, "policy")?;
        // Durations: -1 or >= 0; jitter: -1 or a u32; static stability: -1, 0 or 1.
        for (i, v) in p.iter().enumerate() {
            let ok = *v == -1
                || match i {
                    0..=8 => *v >= 0,
                    9 => u32::try_from(*v).is_ok(),
                    _ => *v == 0 || *v == 1,
                };
            if !ok {
                return Err(JErr::Code(
                    SIGFRESH_INVALID_ARGUMENT,
                    format!("`policy[{i}]`: {v} is out of range"),
                ));
            }
        }
        let mut pol: *mut sigfresh_refresh_policy = core::ptr::null_mut();
        // SAFETY: outputs are ours; the policy is made here and freed by the guard.
        unsafe {
            check(sigfresh_refresh_policy_new(&mut pol))?;
            struct G(*mut sigfresh_refresh_policy);
            impl Drop for G {
                fn drop(&mut self) {
                    // SAFETY: made in this call.
                    let _ = unsafe { sigfresh_refresh_policy_free(self.0) };
                }
            }
            let _g = G(pol);
            for (i, ms) in p[..9].iter().enumerate() {
                if *ms >= 0 {
                    check(sigfresh_refresh_policy_set_duration(
                        pol, i as u32, *ms as u64,
                    ))?;
                }
            }
            if p[9] >= 0 {
                let pct = u32::try_from(p[9]).unwrap_or(u32::MAX);
                check(sigfresh_refresh_policy_set_jitter_percent(pol, pct))?;
            }
            if p[10] >= 0 {
                check(sigfresh_refresh_policy_set_imds_static_stability(
                    pol,
                    p[10] == 1,
                ))?;
            }
            let mut c: *const Cache = core::ptr::null();
            check(sigfresh_credential_cache_new(pol, &mut c))?;
            Ok(to_handle(c))
        }
    })
}

#[no_mangle]
pub extern "system" fn Java_dev_sigfresh_internal_JniNative_cacheFree<'l>(
    mut env: EnvUnowned<'l>,
    _this: JObject<'l>,
    cache: i64,
) {
    // SAFETY: a handle from this library (or 0); checked by tag.
    entry!(env, |_e| check(unsafe {
        sigfresh_credential_cache_free(opt_handle(cache))
    }))
}

#[no_mangle]
pub extern "system" fn Java_dev_sigfresh_internal_JniNative_cacheGet<'l>(
    mut env: EnvUnowned<'l>,
    _this: JObject<'l>,
    cache_h: i64,
    now_ms: i64,
) -> JObject<'l> {
    entry!(env, |e| {
        let c = cache(cache_h)?;
        let mut a: sigfresh_access = zeroed();
        let mut creds: *const sigfresh_credentials = core::ptr::null();
        let mut l: *mut sigfresh_lease = core::ptr::null_mut();
        // SAFETY: the cache is checked by tag; outputs are locals.
        check(unsafe { sigfresh_credential_cache_get(c, now_ms, &mut a, &mut creds, &mut l) })?;
        let d = decision_slots(&a.decision);
        let slots = [
            i64::from(a.kind),
            d[0],
            d[1],
            d[2],
            d[3],
            d[4],
            d[5],
            d[6],
            a.until_ms,
            a.generation as i64,
            i64::from(a.failure.kind),
            i64::from(a.failure.has_retry_after),
            a.failure.retry_after_ms as i64,
            to_handle(creds),
            to_handle(l.cast_const()),
        ];
        new_longs(e, &slots)
    })
}

#[no_mangle]
pub extern "system" fn Java_dev_sigfresh_internal_JniNative_cacheCurrent<'l>(
    mut env: EnvUnowned<'l>,
    _this: JObject<'l>,
    cache_h: i64,
    now_ms: i64,
) -> JObject<'l> {
    entry!(env, |e| {
        let c = cache(cache_h)?;
        let mut d: sigfresh_refresh_decision = zeroed();
        let mut creds: *const sigfresh_credentials = core::ptr::null();
        // SAFETY: the cache is checked by tag; outputs are locals.
        check(unsafe { sigfresh_credential_cache_current(c, now_ms, &mut d, &mut creds) })?;
        let s = decision_slots(&d);
        new_longs(
            e,
            &[s[0], s[1], s[2], s[3], s[4], s[5], s[6], to_handle(creds)],
        )
    })
}

fn completion<'l>(
    e: &mut Env<'l>,
    c: &sigfresh_completion,
    extra: Option<i64>,
) -> JRes<JObject<'l>> {
    match extra {
        Some(x) => new_longs(e, &[i64::from(c.kind), c.at_ms, x]),
        None => new_longs(e, &[i64::from(c.kind), c.at_ms]),
    }
}

#[no_mangle]
pub extern "system" fn Java_dev_sigfresh_internal_JniNative_cacheCompleteSuccess<'l>(
    mut env: EnvUnowned<'l>,
    _this: JObject<'l>,
    cache_h: i64,
    lease_h: i64,
    credentials: i64,
    now_ms: i64,
    jitter: i64,
) -> JObject<'l> {
    entry!(env, |e| {
        let (c, l) = (cache(cache_h)?, lease(lease_h)?);
        let cr = handle::<sigfresh_credentials>(credentials, "credentials")?;
        let mut out: sigfresh_completion = zeroed();
        // SAFETY: handles checked by tag; the output is a local.
        check(unsafe {
            sigfresh_credential_cache_complete_success(c, l, cr, now_ms, jitter as u64, &mut out)
        })?;
        completion(e, &out, None)
    })
}

#[no_mangle]
pub extern "system" fn Java_dev_sigfresh_internal_JniNative_cacheCompleteDocument<'l>(
    mut env: EnvUnowned<'l>,
    _this: JObject<'l>,
    cache_h: i64,
    lease_h: i64,
    document: JByteArray<'l>,
    now_ms: i64,
    jitter: i64,
) -> JObject<'l> {
    entry!(env, |e| {
        let (c, l) = (cache(cache_h)?, lease(lease_h)?);
        let doc = bytes(e, &document, "document")?;
        let mut format = 0u32;
        let mut out: sigfresh_completion = zeroed();
        // SAFETY: handles checked by tag; `doc` valid for its length; outputs are locals.
        check(unsafe {
            sigfresh_credential_cache_complete_document(
                c,
                l,
                doc.as_ptr(),
                doc.len(),
                now_ms,
                jitter as u64,
                &mut format,
                &mut out,
            )
        })?;
        completion(e, &out, Some(i64::from(format)))
    })
}

#[no_mangle]
pub extern "system" fn Java_dev_sigfresh_internal_JniNative_cacheCompleteFailure<'l>(
    mut env: EnvUnowned<'l>,
    _this: JObject<'l>,
    cache_h: i64,
    lease_h: i64,
    failure_kind: i32,
    retry_after_ms: i64,
    now_ms: i64,
    jitter: i64,
) -> JObject<'l> {
    entry!(env, |e| {
        let (c, l) = (cache(cache_h)?, lease(lease_h)?);
        let f = sigfresh_failure {
            kind: failure_kind as u32,
            has_retry_after: retry_after_ms != ABSENT,
            retry_after_ms: if retry_after_ms == ABSENT {
                0
            } else {
                retry_after_ms as u64
            },
        };
        let mut out: sigfresh_completion = zeroed();
        // SAFETY: handles checked by tag; inputs and outputs are locals.
        check(unsafe {
            sigfresh_credential_cache_complete_failure(c, l, &f, now_ms, jitter as u64, &mut out)
        })?;
        completion(e, &out, None)
    })
}

#[no_mangle]
pub extern "system" fn Java_dev_sigfresh_internal_JniNative_cacheRelease<'l>(
    mut env: EnvUnowned<'l>,
    _this: JObject<'l>,
    cache_h: i64,
    lease_h: i64,
) -> bool {
    entry!(env, |_e| {
        let (c, l) = (cache(cache_h)?, lease(lease_h)?);
        let mut was = false;
        // SAFETY: handles checked by tag; the output is a local.
        check(unsafe { sigfresh_credential_cache_release(c, l, &mut was) })?;
        Ok(was)
    })
}

#[no_mangle]
pub extern "system" fn Java_dev_sigfresh_internal_JniNative_cacheInstall<'l>(
    mut env: EnvUnowned<'l>,
    _this: JObject<'l>,
    cache_h: i64,
    credentials: i64,
    now_ms: i64,
    jitter: i64,
) -> JObject<'l> {
    entry!(env, |e| {
        let c = cache(cache_h)?;
        let cr = handle::<sigfresh_credentials>(credentials, "credentials")?;
        let mut out: sigfresh_completion = zeroed();
        // SAFETY: handles checked by tag; the output is a local.
        check(unsafe {
            sigfresh_credential_cache_install(c, cr, now_ms, jitter as u64, &mut out)
        })?;
        completion(e, &out, None)
    })
}

#[no_mangle]
pub extern "system" fn Java_dev_sigfresh_internal_JniNative_cacheInvalidateIfCurrent<'l>(
    mut env: EnvUnowned<'l>,
    _this: JObject<'l>,
    cache_h: i64,
    credentials: i64,
) -> bool {
    entry!(env, |_e| {
        let c = cache(cache_h)?;
        let cr = handle::<sigfresh_credentials>(credentials, "credentials")?;
        let mut dropped = false;
        // SAFETY: handles checked by tag; the output is a local.
        check(unsafe { sigfresh_credential_cache_invalidate_if_current(c, cr, &mut dropped) })?;
        Ok(dropped)
    })
}

#[no_mangle]
pub extern "system" fn Java_dev_sigfresh_internal_JniNative_cacheNextRefreshAt<'l>(
    mut env: EnvUnowned<'l>,
    _this: JObject<'l>,
    cache_h: i64,
) -> i64 {
    entry!(env, |_e| {
        let c = cache(cache_h)?;
        let mut at = 0i64;
        // SAFETY: the cache is checked by tag; the output is a local.
        Ok(
            if check_present(unsafe { sigfresh_credential_cache_next_refresh_at(c, &mut at) })? {
                at
            } else {
                ABSENT
            },
        )
    })
}

#[no_mangle]
pub extern "system" fn Java_dev_sigfresh_internal_JniNative_cacheWaitForChange<'l>(
    mut env: EnvUnowned<'l>,
    _this: JObject<'l>,
    cache_h: i64,
    generation: i64,
    timeout_ms: i64,
) -> bool {
    entry!(env, |_e| {
        let c = cache(cache_h)?;
        if timeout_ms < 0 {
            return Err(invalid("timeoutMs", "is negative"));
        }
        let mut changed = false;
        // SAFETY: the cache is checked by tag; the output is a local.
        check(unsafe {
            sigfresh_credential_cache_wait_for_change(
                c,
                generation as u64,
                timeout_ms as u64,
                &mut changed,
            )
        })?;
        Ok(changed)
    })
}

#[no_mangle]
pub extern "system" fn Java_dev_sigfresh_internal_JniNative_cacheGeneration<'l>(
    mut env: EnvUnowned<'l>,
    _this: JObject<'l>,
    cache_h: i64,
) -> i64 {
    entry!(env, |_e| {
        let c = cache(cache_h)?;
        let mut g = 0u64;
        // SAFETY: the cache is checked by tag; the output is a local.
        check(unsafe { sigfresh_credential_cache_generation(c, &mut g) })?;
        Ok(g as i64)
    })
}

#[no_mangle]
pub extern "system" fn Java_dev_sigfresh_internal_JniNative_cacheLastFailure<'l>(
    mut env: EnvUnowned<'l>,
    _this: JObject<'l>,
    cache_h: i64,
) -> JObject<'l> {
    entry!(env, |e| {
        let c = cache(cache_h)?;
        let mut f: sigfresh_failure = zeroed();
        // SAFETY: the cache is checked by tag; the output is a local.
        if !check_present(unsafe { sigfresh_credential_cache_last_failure(c, &mut f) })? {
            return Ok(JObject::null());
        }
        new_longs(
            e,
            &[
                i64::from(f.kind),
                i64::from(f.has_retry_after),
                f.retry_after_ms as i64,
            ],
        )
    })
}

#[no_mangle]
pub extern "system" fn Java_dev_sigfresh_internal_JniNative_leaseFree<'l>(
    mut env: EnvUnowned<'l>,
    _this: JObject<'l>,
    lease_h: i64,
) {
    // SAFETY: a handle from this library (or 0); checked by tag.
    entry!(env, |_e| check(unsafe {
        sigfresh_lease_free(opt_handle::<sigfresh_lease>(lease_h).cast_mut())
    }))
}

#[no_mangle]
pub extern "system" fn Java_dev_sigfresh_internal_JniNative_leaseInfo<'l>(
    mut env: EnvUnowned<'l>,
    _this: JObject<'l>,
    lease_h: i64,
) -> JObject<'l> {
    entry!(env, |e| {
        let l = lease(lease_h)?;
        let (mut issued, mut deadline) = (0i64, 0i64);
        // SAFETY: the lease is checked by tag; outputs are locals.
        unsafe {
            check(sigfresh_lease_issued_at(l, &mut issued))?;
            check(sigfresh_lease_deadline(l, &mut deadline))?;
        }
        new_longs(e, &[issued, deadline])
    })
}
