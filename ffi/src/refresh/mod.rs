//! The refresh policy and the thread-safe credential cache with its single-holder leases.

mod policy;
mod types;

pub use policy::*;
pub use types::*;
pub(crate) use types::{completion, decision, failure_in, failure_to_c};

use crate::credentials::{creds, new_handle, sigfresh_credentials};
use crate::document::{format_code, sigfresh_document_format};
use crate::handle::{
    boundary, bytes, free, get, get_mut, handle_impl, into_handle, out, Error, Res,
};
use crate::result::*;
use core::time::Duration;
use sigfresh::document;
use sigfresh::refresh::{Access, CredentialCache, Jitter, RefreshLease};
use sigfresh::time::Timestamp;

/// A thread-safe credential cache: lock-free reads, one refresh lease at a time. Share it
/// between threads freely. Release with sigfresh_credential_cache_free (after every other
/// thread is done with it).
pub struct sigfresh_credential_cache {
    _private: [u8; 0],
}

handle_impl!(sigfresh_credential_cache => CredentialCache, 0x5347_4652_4341_4348);

/// The right to refresh, held by one caller. Complete it (success, document, failure) or
/// release it, then free it with sigfresh_lease_free. Freeing an unused lease lets it
/// expire at its deadline. Not thread-safe: hand it between threads, do not share it.
pub struct sigfresh_lease {
    _private: [u8; 0],
}

handle_impl!(sigfresh_lease => Option<RefreshLease>, 0x5347_4652_4c45_4153);

/// An empty cache with a validated copy of `policy` (SIGFRESH_POLICY_* errors name the rule).
/// On success `*cache_out` is a new handle: release it with sigfresh_credential_cache_free.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_credential_cache_new(
    policy: *const sigfresh_refresh_policy,
    cache_out: *mut *const sigfresh_credential_cache,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: caller contract (crate docs).
        let (p, o) = unsafe { (get(policy, "policy")?, out(cache_out, "cache_out")?) };
        let cache = CredentialCache::new(p.clone().build()?);
        o.write(into_handle::<sigfresh_credential_cache>(cache).cast_const());
        Ok(())
    })
}

/// Releases a cache. NULL is a no-op. No other thread may be using it.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_credential_cache_free(
    cache: *const sigfresh_credential_cache,
) -> sigfresh_result {
    // SAFETY: caller contract (crate docs).
    unsafe { free(cache) }
}

/// The hot-path read, lock-free and without a lease: the decision for the cached credentials at
/// `now_ms` (skew-corrected) and, when credentials are cached, a new handle to them in
/// `*credentials_out` (NULL otherwise) to release with sigfresh_credentials_free. Sign only when
/// `decision_out->must_wait` is false; otherwise call sigfresh_credential_cache_get.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_credential_cache_current(
    cache: *const sigfresh_credential_cache,
    now_ms: i64,
    decision_out: *mut sigfresh_refresh_decision,
    credentials_out: *mut *const sigfresh_credentials,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: caller contract (crate docs).
        let (c, d, o) = unsafe {
            (
                get(cache, "cache")?,
                out(decision_out, "decision_out")?,
                out(credentials_out, "credentials_out")?,
            )
        };
        let (dec, cur) = c.with_current(Timestamp::from_unix_millis(now_ms), |cur, dec| {
            (dec, cur.cloned())
        });
        d.write(decision(dec));
        o.write(cur.map_or(core::ptr::null(), new_handle));
        Ok(())
    })
}

/// What to sign with at `now_ms` and whether this caller must refresh. On success
/// `*access_out` says what to do; `*credentials_out` is a new credentials handle for
/// SIGFRESH_ACCESS_USE (else NULL) to release with sigfresh_credentials_free; `*lease_out` is a
/// new lease when this caller was chosen to refresh (USE with a background lease, or REFRESH;
/// else NULL): complete or release it, then free it with sigfresh_lease_free.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_credential_cache_get(
    cache: *const sigfresh_credential_cache,
    now_ms: i64,
    access_out: *mut sigfresh_access,
    credentials_out: *mut *const sigfresh_credentials,
    lease_out: *mut *mut sigfresh_lease,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: caller contract (crate docs).
        let (c, a, co, lo) = unsafe {
            (
                get(cache, "cache")?,
                out(access_out, "access_out")?,
                out(credentials_out, "credentials_out")?,
                out(lease_out, "lease_out")?,
            )
        };
        let mut access = sigfresh_access::default();
        let (mut cred, mut lease) = (None, None);
        match c.get(Timestamp::from_unix_millis(now_ms)) {
            Access::Use {
                credentials,
                decision: d,
                lease: l,
            } => {
                access.kind = SIGFRESH_ACCESS_USE;
                access.decision = decision(d);
                cred = Some(credentials);
                lease = l;
            }
            Access::Refresh {
                lease: l,
                decision: d,
            } => {
                access.kind = SIGFRESH_ACCESS_REFRESH;
                access.decision = decision(d);
                lease = Some(l);
            }
            Access::Wait { until, generation } => {
                access.kind = SIGFRESH_ACCESS_WAIT;
                access.until_ms = until.unix_millis();
                access.generation = generation;
            }
            Access::Failed {
                failure,
                retry_at,
                generation,
            } => {
                access.kind = SIGFRESH_ACCESS_FAILED;
                access.failure = failure_to_c(failure);
                access.until_ms = retry_at.unix_millis();
                access.generation = generation;
            }
            _ => access.kind = SIGFRESH_ACCESS_OTHER,
        }
        a.write(access);
        co.write(cred.map_or(core::ptr::null(), new_handle));
        lo.write(lease.map_or(core::ptr::null_mut(), |l| {
            into_handle::<sigfresh_lease>(Some(l))
        }));
        Ok(())
    })
}

fn lease_used() -> Error {
    Error::new(
        SIGFRESH_LEASE_ALREADY_USED,
        "`lease` was already completed or released",
    )
}

/// Takes the lease out of its handle, or says it was used.
fn take_lease(l: &mut Option<RefreshLease>) -> Res<RefreshLease> {
    l.take().ok_or_else(lease_used)
}

/// Completes a lease with the credentials the source returned (a jitter drawn by the host).
/// The lease is used up (free it with sigfresh_lease_free); `credentials` stays the caller's.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_credential_cache_complete_success(
    cache: *const sigfresh_credential_cache,
    lease: *mut sigfresh_lease,
    credentials: *const sigfresh_credentials,
    now_ms: i64,
    jitter: u64,
    completion_out: *mut sigfresh_completion,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: caller contract (crate docs).
        let (c, l, cr, o) = unsafe {
            (
                get(cache, "cache")?,
                get_mut(lease, "lease")?,
                creds(credentials, "credentials")?,
                out(completion_out, "completion_out")?,
            )
        };
        let l = take_lease(l)?;
        let now = Timestamp::from_unix_millis(now_ms);
        o.write(completion(c.complete_success(
            l,
            cr.clone(),
            now,
            Jitter::from_u64(jitter),
        )));
        Ok(())
    })
}

/// Parses a JSON/XML credential document (as sigfresh_document_parse_any) and completes the
/// lease with it. When the document does not parse, the document's error is returned and the
/// lease is left unused (complete it with sigfresh_credential_cache_complete_failure). On
/// success `*format_out` is the detected format.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_credential_cache_complete_document(
    cache: *const sigfresh_credential_cache,
    lease: *mut sigfresh_lease,
    doc: *const u8,
    doc_len: usize,
    now_ms: i64,
    jitter: u64,
    format_out: *mut sigfresh_document_format,
    completion_out: *mut sigfresh_completion,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: caller contract (crate docs).
        let (c, l, d, f, o) = unsafe {
            (
                get(cache, "cache")?,
                get_mut(lease, "lease")?,
                bytes(doc, doc_len, "doc")?,
                out(format_out, "format_out")?,
                out(completion_out, "completion_out")?,
            )
        };
        if l.is_none() {
            return Err(lease_used());
        }
        let (format, creds) = document::parse_any(d)?;
        let l = take_lease(l)?;
        let now = Timestamp::from_unix_millis(now_ms);
        let done = c.complete_success(l, creds, now, Jitter::from_u64(jitter));
        f.write(format_code(format));
        o.write(completion(done));
        Ok(())
    })
}

/// Completes a lease with a failure; the cached credentials are kept and the next attempt is
/// scheduled from the failure kind, the policy and `jitter`. The lease is used up.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_credential_cache_complete_failure(
    cache: *const sigfresh_credential_cache,
    lease: *mut sigfresh_lease,
    failure: *const sigfresh_failure,
    now_ms: i64,
    jitter: u64,
    completion_out: *mut sigfresh_completion,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: caller contract (crate docs).
        let (c, l, fl, o) = unsafe {
            (
                get(cache, "cache")?,
                get_mut(lease, "lease")?,
                failure_in(failure)?,
                out(completion_out, "completion_out")?,
            )
        };
        let l = take_lease(l)?;
        let now = Timestamp::from_unix_millis(now_ms);
        o.write(completion(c.complete_failure(
            l,
            fl,
            now,
            Jitter::from_u64(jitter),
        )));
        Ok(())
    })
}

/// Gives a lease back without an outcome. `*was_current_out` says whether it was still the
/// cache's current lease. The lease is used up.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_credential_cache_release(
    cache: *const sigfresh_credential_cache,
    lease: *mut sigfresh_lease,
    was_current_out: *mut bool,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: caller contract (crate docs).
        let (c, l, o) = unsafe {
            (
                get(cache, "cache")?,
                get_mut(lease, "lease")?,
                out(was_current_out, "was_current_out")?,
            )
        };
        let l = take_lease(l)?;
        o.write(c.release(l));
        Ok(())
    })
}

/// Installs credentials without a lease (static or host-provided credentials at startup).
#[no_mangle]
pub unsafe extern "C" fn sigfresh_credential_cache_install(
    cache: *const sigfresh_credential_cache,
    credentials: *const sigfresh_credentials,
    now_ms: i64,
    jitter: u64,
    completion_out: *mut sigfresh_completion,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: caller contract (crate docs).
        let (c, cr, o) = unsafe {
            (
                get(cache, "cache")?,
                creds(credentials, "credentials")?,
                out(completion_out, "completion_out")?,
            )
        };
        let now = Timestamp::from_unix_millis(now_ms);
        o.write(completion(c.install(
            cr.clone(),
            now,
            Jitter::from_u64(jitter),
        )));
        Ok(())
    })
}

/// After a service rejected a request as signed with expired credentials: drops the cached
/// credentials only if they still have the access key id of `credentials` (the ones the
/// request was signed with). `*dropped_out` says whether it did.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_credential_cache_invalidate_if_current(
    cache: *const sigfresh_credential_cache,
    credentials: *const sigfresh_credentials,
    dropped_out: *mut bool,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: caller contract (crate docs).
        let (c, cr, o) = unsafe {
            (
                get(cache, "cache")?,
                creds(credentials, "credentials")?,
                out(dropped_out, "dropped_out")?,
            )
        };
        o.write(c.invalidate_if_current(cr.access_key_id()));
        Ok(())
    })
}

/// The earliest instant (Unix ms) a lease may be handed out, assuming no completion first.
/// SIGFRESH_ABSENT means now. A host with a timer wakes then.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_credential_cache_next_refresh_at(
    cache: *const sigfresh_credential_cache,
    at_ms_out: *mut i64,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: caller contract (crate docs).
        let (c, o) = unsafe { (get(cache, "cache")?, out(at_ms_out, "at_ms_out")?) };
        let at = c
            .next_refresh_at()
            .ok_or_else(|| Error::absent("next refresh time (it is now)"))?;
        o.write(at.unix_millis());
        Ok(())
    })
}

/// Blocks until the cache's generation differs from `generation` or `timeout_ms` passes
/// (measured by the OS condition variable; the library reads no clock). `*changed_out` says
/// whether it changed. Use on SIGFRESH_ACCESS_WAIT instead of polling.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_credential_cache_wait_for_change(
    cache: *const sigfresh_credential_cache,
    generation: u64,
    timeout_ms: u64,
    changed_out: *mut bool,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: caller contract (crate docs).
        let (c, o) = unsafe { (get(cache, "cache")?, out(changed_out, "changed_out")?) };
        o.write(c.wait_for_change(generation, Duration::from_millis(timeout_ms)));
        Ok(())
    })
}

/// The cache's state generation (changes on every lease, completion and invalidation).
#[no_mangle]
pub unsafe extern "C" fn sigfresh_credential_cache_generation(
    cache: *const sigfresh_credential_cache,
    generation_out: *mut u64,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: caller contract (crate docs).
        let (c, o) = unsafe { (get(cache, "cache")?, out(generation_out, "generation_out")?) };
        o.write(c.generation());
        Ok(())
    })
}

/// The last recorded failure (cleared by the next success); SIGFRESH_ABSENT when none.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_credential_cache_last_failure(
    cache: *const sigfresh_credential_cache,
    failure_out: *mut sigfresh_failure,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: caller contract (crate docs).
        let (c, o) = unsafe { (get(cache, "cache")?, out(failure_out, "failure_out")?) };
        let f = c
            .last_failure()
            .ok_or_else(|| Error::absent("last failure"))?;
        o.write(failure_to_c(f));
        Ok(())
    })
}

/// Releases a lease handle. NULL is a no-op. An unused lease is dropped and expires at its
/// deadline (other callers wait until then): prefer sigfresh_credential_cache_release.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_lease_free(lease: *mut sigfresh_lease) -> sigfresh_result {
    // SAFETY: caller contract (crate docs).
    unsafe { free(lease) }
}

/// When the lease was handed out (Unix ms). SIGFRESH_LEASE_ALREADY_USED after completion.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_lease_issued_at(
    lease: *const sigfresh_lease,
    ms_out: *mut i64,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: caller contract (crate docs).
        let (l, o) = unsafe { (get(lease, "lease")?, out(ms_out, "ms_out")?) };
        let l = l.as_ref().ok_or_else(lease_used)?;
        o.write(l.issued_at().unix_millis());
        Ok(())
    })
}

/// After this instant (Unix ms) another caller may take over the refresh.
/// SIGFRESH_LEASE_ALREADY_USED after completion.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_lease_deadline(
    lease: *const sigfresh_lease,
    ms_out: *mut i64,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: caller contract (crate docs).
        let (l, o) = unsafe { (get(lease, "lease")?, out(ms_out, "ms_out")?) };
        let l = l.as_ref().ok_or_else(lease_used)?;
        o.write(l.deadline().unix_millis());
        Ok(())
    })
}
