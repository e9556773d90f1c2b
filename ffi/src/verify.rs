//! Verification: settings built once, a host callback that maps access key ids to credentials,
//! and the verified request as a result handle.

use crate::credentials::{creds, sigfresh_credentials};
use crate::handle::{boundary, free, get, get_mut, handle_impl, into_handle, out, Error, Res};
use crate::result::*;
use crate::sigfresh_str;
use crate::sign::{
    path_normalization, presigned_payload, session_token_mode, sigfresh_presigned_payload,
    sigfresh_request, uri_encoding, with_request,
};
use core::cell::RefCell;
use core::ffi::{c_char, c_void};
use sigfresh::sigv4::{verify, Verified, VerifySettings};
use sigfresh::time::Timestamp;
use std::ffi::CString;

/// Verification settings (path encoding and normalization the signer used, allowed clock
/// skew, presigned token mode). Not thread-safe while being changed; verifying only reads
/// it. Release with sigfresh_verifier_free.
pub struct sigfresh_verifier {
    _private: [u8; 0],
}

handle_impl!(sigfresh_verifier => VerifySettings, 0x5347_4652_5645_5246);

/// A request whose signature checked out: access key id, region, service, signing time,
/// expiry (presigned), signed header names. Immutable. Release with sigfresh_verified_free.
pub struct sigfresh_verified {
    _private: [u8; 0],
}

handle_impl!(sigfresh_verified => Verified, 0x5347_4652_5645_5244);

/// Maps an access key id to the credentials that may have signed with it. `access_key_id` is
/// NUL-terminated and valid during the call. Return a credentials handle the caller keeps
/// owning (it is only read during the call), or NULL for an unknown key.
pub type sigfresh_credentials_lookup = Option<
    unsafe extern "C" fn(
        userdata: *mut c_void,
        access_key_id: *const c_char,
        access_key_id_len: usize,
    ) -> *const sigfresh_credentials,
>;

/// A verifier with the defaults: double encoding, normalization, 900 s allowed skew, signed
/// presigned token. On success `*verifier_out` is a new handle: release it with
/// sigfresh_verifier_free.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_verifier_new(
    verifier_out: *mut *mut sigfresh_verifier,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: caller contract (crate docs).
        let o = unsafe { out(verifier_out, "verifier_out") }?;
        o.write(into_handle::<sigfresh_verifier>(VerifySettings::default()));
        Ok(())
    })
}

/// A verifier with S3's rules (single encoding, no normalization). Release with
/// sigfresh_verifier_free.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_verifier_new_s3(
    verifier_out: *mut *mut sigfresh_verifier,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: caller contract (crate docs).
        let o = unsafe { out(verifier_out, "verifier_out") }?;
        o.write(into_handle::<sigfresh_verifier>(VerifySettings::s3()));
        Ok(())
    })
}

/// Releases a verifier. NULL is a no-op.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_verifier_free(
    verifier: *mut sigfresh_verifier,
) -> sigfresh_result {
    // SAFETY: caller contract (crate docs).
    unsafe { free(verifier) }
}

/// # Safety
/// Caller contract (crate docs).
unsafe fn edit(
    verifier: *mut sigfresh_verifier,
    f: impl FnOnce(&mut VerifySettings) -> Res,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: forwarded contract.
        f(unsafe { get_mut(verifier, "verifier") }?)
    })
}

/// Sets the URI encoding the signer used (SIGFRESH_URI_ENCODING_*).
#[no_mangle]
pub unsafe extern "C" fn sigfresh_verifier_set_uri_encoding(
    verifier: *mut sigfresh_verifier,
    encoding: crate::sign::sigfresh_uri_encoding,
) -> sigfresh_result {
    // SAFETY: caller contract (crate docs).
    unsafe {
        edit(verifier, |v| {
            v.uri_encoding = uri_encoding(encoding)?;
            Ok(())
        })
    }
}

/// Sets the path normalization the signer used (SIGFRESH_PATH_NORMALIZATION_*).
#[no_mangle]
pub unsafe extern "C" fn sigfresh_verifier_set_path_normalization(
    verifier: *mut sigfresh_verifier,
    normalization: crate::sign::sigfresh_path_normalization,
) -> sigfresh_result {
    // SAFETY: caller contract (crate docs).
    unsafe {
        edit(verifier, |v| {
            v.path_normalization = path_normalization(normalization)?;
            Ok(())
        })
    }
}

/// Sets whether a presigned URL's X-Amz-Security-Token was signed (SIGFRESH_SESSION_TOKEN_*).
#[no_mangle]
pub unsafe extern "C" fn sigfresh_verifier_set_session_token_mode(
    verifier: *mut sigfresh_verifier,
    mode: crate::sign::sigfresh_session_token_mode,
) -> sigfresh_result {
    // SAFETY: caller contract (crate docs).
    unsafe {
        edit(verifier, |v| {
            v.session_token = session_token_mode(mode)?;
            Ok(())
        })
    }
}

/// Sets how far (seconds) the signing time may be from now (default 900).
#[no_mangle]
pub unsafe extern "C" fn sigfresh_verifier_set_max_skew_secs(
    verifier: *mut sigfresh_verifier,
    max_skew_secs: u32,
) -> sigfresh_result {
    // SAFETY: caller contract (crate docs).
    unsafe {
        edit(verifier, |v| {
            v.max_skew_secs = max_skew_secs;
            Ok(())
        })
    }
}

/// Whether a valid signature made with credentials that expired by `now_ms` is refused with
/// SIGFRESH_VERIFY_CREDENTIALS_EXPIRED, as AWS answers ExpiredToken. Default true.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_verifier_set_reject_expired_credentials(
    verifier: *mut sigfresh_verifier,
    reject: bool,
) -> sigfresh_result {
    // SAFETY: caller contract (crate docs).
    unsafe {
        edit(verifier, |v| {
            v.reject_expired_credentials = reject;
            Ok(())
        })
    }
}

/// Sets the payload presigned URLs were signed over (SIGFRESH_PRESIGNED_PAYLOAD_*): the
/// request's own payload (the default) or UNSIGNED-PAYLOAD (the default of
/// sigfresh_verifier_new_s3).
#[no_mangle]
pub unsafe extern "C" fn sigfresh_verifier_set_presigned_payload(
    verifier: *mut sigfresh_verifier,
    payload: sigfresh_presigned_payload,
) -> sigfresh_result {
    // SAFETY: caller contract (crate docs).
    unsafe {
        edit(verifier, |v| {
            v.presigned_payload = presigned_payload(payload)?;
            Ok(())
        })
    }
}

/// Verifies a signed request as it arrived (headers including Authorization, or a URI with
/// the X-Amz-* parameters, and the payload) at `now_ms`. `lookup` is called at most once with
/// the request's access key id. On success `*verified_out` is a new handle: release it with
/// sigfresh_verified_free. On SIGFRESH_VERIFY_SIGNATURE_MISMATCH the last-error detail holds
/// the canonical request and string to sign the verifier computed (session token redacted).
#[no_mangle]
pub unsafe extern "C" fn sigfresh_verifier_verify(
    verifier: *const sigfresh_verifier,
    request: *const sigfresh_request,
    lookup: sigfresh_credentials_lookup,
    lookup_userdata: *mut c_void,
    now_ms: i64,
    verified_out: *mut *const sigfresh_verified,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: caller contract (crate docs).
        let (settings, o) = unsafe {
            (
                get(verifier, "verifier")?,
                out(verified_out, "verified_out")?,
            )
        };
        let lookup = lookup.ok_or_else(|| Error::null("lookup"))?;
        let failure: RefCell<Option<Error>> = RefCell::new(None);
        let find = |akid: &str| {
            let id = match CString::new(akid) {
                Ok(id) => id,
                Err(_) => return None,
            };
            // SAFETY: `lookup` is the host's function with the documented signature; `id`
            // outlives the call.
            let found = unsafe { lookup(lookup_userdata, id.as_ptr(), akid.len()) };
            if found.is_null() {
                return None;
            }
            // SAFETY: the host returns a handle of this library (checked by its tag).
            match unsafe { creds(found, "lookup result") } {
                Ok(c) => Some(c.clone()),
                Err(e) => {
                    *failure.borrow_mut() = Some(e);
                    None
                }
            }
        };
        let now = Timestamp::from_unix_millis(now_ms);
        // SAFETY: caller contract for the request's pointers.
        let result = unsafe { with_request(request, |r| Ok(verify(r, find, now, settings))) }?;
        if let Some(e) = failure.into_inner() {
            return Err(e);
        }
        o.write(into_handle::<sigfresh_verified>(result?).cast_const());
        Ok(())
    })
}

/// Releases a verified result. NULL is a no-op.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_verified_free(
    verified: *const sigfresh_verified,
) -> sigfresh_result {
    // SAFETY: caller contract (crate docs).
    unsafe { free(verified) }
}

/// # Safety
/// Caller contract (crate docs).
unsafe fn verified_str(
    verified: *const sigfresh_verified,
    str_out: *mut sigfresh_str,
    f: impl FnOnce(&Verified) -> &str,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: forwarded contract.
        let (v, o) = unsafe { (get(verified, "verified")?, out(str_out, "str_out")?) };
        o.write(sigfresh_str::of(f(v)));
        Ok(())
    })
}

/// The access key id that signed, borrowed from the result.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_verified_access_key_id(
    verified: *const sigfresh_verified,
    str_out: *mut sigfresh_str,
) -> sigfresh_result {
    // SAFETY: caller contract (crate docs).
    unsafe { verified_str(verified, str_out, |v| &v.access_key_id) }
}

/// The region of the credential scope, borrowed from the result.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_verified_region(
    verified: *const sigfresh_verified,
    str_out: *mut sigfresh_str,
) -> sigfresh_result {
    // SAFETY: caller contract (crate docs).
    unsafe { verified_str(verified, str_out, |v| &v.region) }
}

/// The service of the credential scope, borrowed from the result.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_verified_service(
    verified: *const sigfresh_verified,
    str_out: *mut sigfresh_str,
) -> sigfresh_result {
    // SAFETY: caller contract (crate docs).
    unsafe { verified_str(verified, str_out, |v| &v.service) }
}

/// When the request was signed (Unix ms).
#[no_mangle]
pub unsafe extern "C" fn sigfresh_verified_signed_at(
    verified: *const sigfresh_verified,
    ms_out: *mut i64,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: caller contract (crate docs).
        let (v, o) = unsafe { (get(verified, "verified")?, out(ms_out, "ms_out")?) };
        o.write(v.signed_at.unix_millis());
        Ok(())
    })
}

/// When a presigned request stops being valid (Unix ms); SIGFRESH_ABSENT for header signing.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_verified_expires_at(
    verified: *const sigfresh_verified,
    ms_out: *mut i64,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: caller contract (crate docs).
        let (v, o) = unsafe { (get(verified, "verified")?, out(ms_out, "ms_out")?) };
        let e = v
            .expires_at
            .ok_or_else(|| Error::absent("expiry (header-signed request)"))?;
        o.write(e.unix_millis());
        Ok(())
    })
}

/// The number of signed header names.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_verified_signed_header_count(
    verified: *const sigfresh_verified,
    count_out: *mut usize,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: caller contract (crate docs).
        let (v, o) = unsafe { (get(verified, "verified")?, out(count_out, "count_out")?) };
        o.write(v.signed_headers.len());
        Ok(())
    })
}

/// Signed header name `index` (lowercase), borrowed from the result.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_verified_signed_header(
    verified: *const sigfresh_verified,
    index: usize,
    str_out: *mut sigfresh_str,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: caller contract (crate docs).
        let (v, o) = unsafe { (get(verified, "verified")?, out(str_out, "str_out")?) };
        let h = v
            .signed_headers
            .get(index)
            .ok_or_else(|| Error::index("index", index, v.signed_headers.len()))?;
        o.write(sigfresh_str::of(h));
        Ok(())
    })
}
