//! Signing: settings built once, a signer per (region, service, settings), and signing into
//! caller buffers or into a library-owned result.

mod output;
mod request;
mod settings;

pub use output::*;
pub use request::*;
pub use settings::*;

use crate::credentials::{creds, sigfresh_credentials};
use crate::handle::{boundary, free, get, handle_impl, into_handle, out, out_buf, text, Error};
use crate::result::*;
use crate::sigfresh_pair;
use core::ffi::c_char;
use sigfresh::sigv4::{SignatureLocation, Signer, SigningOutput};
use sigfresh::time::Timestamp;

/// A signer for one region, service and settings. Immutable; share between threads freely.
/// Release with sigfresh_signer_free.
pub struct sigfresh_signer {
    _private: [u8; 0],
}

handle_impl!(sigfresh_signer => Signer, 0x5347_4652_5349_474e);

/// Builds a signer for `region` and `service` (the signing name, e.g. "s3") with a copy of
/// `settings`. On success `*signer_out` is a new handle: release it with sigfresh_signer_free.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_signer_new(
    settings: *const sigfresh_signing_settings,
    region: *const c_char,
    region_len: usize,
    service: *const c_char,
    service_len: usize,
    signer_out: *mut *const sigfresh_signer,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: caller contract (crate docs).
        let (s, r, v, o) = unsafe {
            (
                get(settings, "settings")?,
                text(region, region_len, "region")?,
                text(service, service_len, "service")?,
                out(signer_out, "signer_out")?,
            )
        };
        let signer = Signer::new(r, v, s.clone())?;
        o.write(into_handle::<sigfresh_signer>(signer).cast_const());
        Ok(())
    })
}

/// Releases a signer. NULL is a no-op.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_signer_free(signer: *const sigfresh_signer) -> sigfresh_result {
    // SAFETY: caller contract (crate docs).
    unsafe { free(signer) }
}

fn is_presigning(s: &Signer) -> bool {
    !matches!(s.settings().location, SignatureLocation::Headers)
}

fn mode_mismatch(want_presign: bool) -> Error {
    let detail = if want_presign {
        "this signer signs into headers; build one with SIGFRESH_LOCATION_QUERY_STRING to presign"
    } else {
        "this signer presigns; use sigfresh_signer_presign or sigfresh_signer_sign_output"
    };
    Error::new(SIGFRESH_SIGN_MODE_MISMATCH, detail)
}

/// Header signing into caller buffers (the hot path). Signs `request` with `credentials` at
/// `time_ms` (the host clock, skew-corrected) and writes the headers to set on the request
/// (x-amz-date, x-amz-security-token, x-amz-content-sha256, authorization — those that apply)
/// into `headers_out`: each name and value is NUL-terminated text inside `buf`. On success
/// `*headers_count_out` is the number of headers and `*buf_used_out` the bytes of `buf` used.
/// SIGFRESH_BUFFER_TOO_SMALL when `buf` or `headers_out` is too small: then only
/// `*headers_count_out` and `*buf_used_out` are written, with the sizes needed (a
/// SIGFRESH_MAX_SIGNING_HEADERS array and a 1 KiB buffer fit typical requests).
/// SIGFRESH_SIGN_MODE_MISMATCH for a presigning signer. Nothing to free.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_signer_sign(
    signer: *const sigfresh_signer,
    request: *const sigfresh_request,
    credentials: *const sigfresh_credentials,
    time_ms: i64,
    buf: *mut c_char,
    buf_len: usize,
    headers_out: *mut sigfresh_pair,
    headers_out_len: usize,
    headers_count_out: *mut usize,
    buf_used_out: *mut usize,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: caller contract (crate docs).
        let (s, c, count_o, used_o) = unsafe {
            (
                get(signer, "signer")?,
                creds(credentials, "credentials")?,
                out(headers_count_out, "headers_count_out")?,
                out(buf_used_out, "buf_used_out")?,
            )
        };
        // SAFETY: caller contract: `buf` and `headers_out` are valid for their lengths.
        let (buf, hdrs) = unsafe {
            (
                crate::handle::slice_mut(buf.cast::<u8>(), buf_len, "buf")?,
                crate::handle::slice_mut(headers_out, headers_out_len, "headers_out")?,
            )
        };
        if is_presigning(s) {
            return Err(mode_mismatch(false));
        }
        let t = Timestamp::from_unix_millis(time_ms);
        // SAFETY: caller contract for the request's pointers.
        let (count, needed, written) = unsafe {
            with_request(request, |r| {
                let signed = s.sign(r, c, t)?;
                Ok(copy_headers(&signed, buf, hdrs))
            })
        }?;
        if !written {
            count_o.write(count);
            used_o.write(needed);
            return Err(Error::new(
                SIGFRESH_BUFFER_TOO_SMALL,
                format!("{count} headers in {needed} bytes are needed"),
            ));
        }
        count_o.write(count);
        used_o.write(needed);
        Ok(())
    })
}

/// Writes the headers of `signed` into the caller's arrays when they fit. Returns the number
/// of headers, the bytes they take, and whether they were written.
fn copy_headers(
    signed: &SigningOutput,
    buf: &mut [u8],
    hdrs: &mut [sigfresh_pair],
) -> (usize, usize, bool) {
    let mut all = [("", ""); SIGFRESH_MAX_SIGNING_HEADERS];
    let mut count = 0;
    let mut needed = 0;
    for (slot, (n, v)) in all.iter_mut().zip(signed.headers()) {
        *slot = (n, v);
        count += 1;
        needed += n.len() + v.len() + 2;
    }
    if count > hdrs.len() || needed > buf.len() {
        return (count, needed, false);
    }
    let base = buf.as_mut_ptr();
    let mut at = 0;
    let mut put = |s: &str| {
        // SAFETY: the strings written and their NULs add up to `needed <= buf.len()`, so every
        // write is inside `buf`; the source is Rust-owned memory, not the caller's buffer.
        unsafe {
            let dst = base.add(at);
            core::ptr::copy_nonoverlapping(s.as_ptr(), dst, s.len());
            dst.add(s.len()).write(0);
            at += s.len() + 1;
            dst.cast_const().cast::<c_char>()
        }
    };
    for (slot, (n, v)) in hdrs.iter_mut().zip(&all[..count]) {
        *slot = sigfresh_pair {
            name: put(n),
            name_len: n.len(),
            value: put(v),
            value_len: v.len(),
        };
    }
    (count, needed, true)
}

/// Presigning into a caller buffer: writes the presigned URL (the request URI without any
/// #fragment, plus the X-Amz-* parameters), NUL-terminated. Caller buffer rules: see the
/// header preamble. SIGFRESH_SIGN_MODE_MISMATCH for a header-signing signer. Nothing to free.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_signer_presign(
    signer: *const sigfresh_signer,
    request: *const sigfresh_request,
    credentials: *const sigfresh_credentials,
    time_ms: i64,
    url_buf: *mut c_char,
    url_buf_len: usize,
    url_len_out: *mut usize,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: caller contract (crate docs).
        let (s, c, o) = unsafe {
            (
                get(signer, "signer")?,
                creds(credentials, "credentials")?,
                out_buf(url_buf, url_buf_len, url_len_out, "url_len_out")?,
            )
        };
        if !is_presigning(s) {
            return Err(mode_mismatch(true));
        }
        let t = Timestamp::from_unix_millis(time_ms);
        // SAFETY: caller contract for the request's pointers.
        let url = unsafe { with_request(request, |r| Ok(s.sign(r, c, t)?.signed_uri(r))) }?;
        o.write_str(&url)
    })
}

/// How long a presigned URL really works (sigfresh_signer_presigned_lifetime).
#[repr(C)]
#[derive(Clone, Copy, Default)]
pub struct sigfresh_presigned_lifetime {
    /// The signing time (Unix ms).
    pub signed_at_ms: i64,
    /// When X-Amz-Expires runs out (Unix ms).
    pub url_expires_at_ms: i64,
    /// When the URL really stops working: the earlier of url_expires_at_ms and the
    /// credentials' expiry (Unix ms). At or before signed_at_ms when they had already expired.
    pub ends_at_ms: i64,
    /// The credentials expire before url_expires_at_ms: the URL dies early, at ends_at_ms.
    pub cut_short: bool,
    /// The credentials have a session token but no known expiry: the URL stops working when
    /// that token expires, which may be earlier.
    pub expiry_unknown: bool,
}

/// The lifetime of the URL a presigning `signer` makes with `credentials` at `time_ms` (its
/// X-Amz-Expires against the credentials' expiry): AWS checks the session token on every use,
/// so a URL signed with temporary credentials stops working when they expire. Written to
/// `*lifetime_out`; nothing to free. SIGFRESH_SIGN_MODE_MISMATCH for a header signer.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_signer_presigned_lifetime(
    signer: *const sigfresh_signer,
    credentials: *const sigfresh_credentials,
    time_ms: i64,
    lifetime_out: *mut sigfresh_presigned_lifetime,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: caller contract (crate docs).
        let (s, c, o) = unsafe {
            (
                get(signer, "signer")?,
                creds(credentials, "credentials")?,
                out(lifetime_out, "lifetime_out")?,
            )
        };
        let l = s
            .presigned_lifetime(c, Timestamp::from_unix_millis(time_ms))
            .ok_or_else(|| mode_mismatch(true))?;
        o.write(sigfresh_presigned_lifetime {
            signed_at_ms: l.signed_at.unix_millis(),
            url_expires_at_ms: l.url_expires_at.unix_millis(),
            ends_at_ms: l.ends_at.unix_millis(),
            cut_short: l.cut_short,
            expiry_unknown: l.expiry_unknown,
        });
        Ok(())
    })
}

/// Signs (header signing or presigning, as the signer's settings say) into a library-owned
/// result with every stage. On success `*output_out` is a new handle: release it with
/// sigfresh_signing_output_free.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_signer_sign_output(
    signer: *const sigfresh_signer,
    request: *const sigfresh_request,
    credentials: *const sigfresh_credentials,
    time_ms: i64,
    output_out: *mut *const sigfresh_signing_output,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: caller contract (crate docs).
        let (s, c, o) = unsafe {
            (
                get(signer, "signer")?,
                creds(credentials, "credentials")?,
                out(output_out, "output_out")?,
            )
        };
        let t = Timestamp::from_unix_millis(time_ms);
        // SAFETY: caller contract for the request's pointers.
        let signed = unsafe {
            with_request(request, |r| {
                let out = s.sign(r, c, t)?;
                let signed_uri = out.signed_uri(r);
                Ok(Signed { out, signed_uri })
            })
        }?;
        o.write(into_handle::<sigfresh_signing_output>(signed).cast_const());
        Ok(())
    })
}
