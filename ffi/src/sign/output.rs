//! The library-owned result of one signing and its borrowed accessors.

use crate::handle::{boundary, free, get, handle_impl, out, Error, Res};
use crate::result::*;
use crate::{sigfresh_pair, sigfresh_str};
use sigfresh::sigv4::SigningOutput;

/// Output of one signing: every stage plus what to add to the request.
pub(crate) struct Signed {
    pub(super) out: SigningOutput,
    pub(super) signed_uri: String,
}

/// The result of one signing (library-owned): canonical request, string to sign, signature,
/// headers or query parameters to add, the signed URI. Immutable. Release with
/// sigfresh_signing_output_free.
pub struct sigfresh_signing_output {
    _private: [u8; 0],
}

handle_impl!(sigfresh_signing_output => Signed, 0x5347_4652_534f_5554);

/// Releases a signing output. NULL is a no-op. Strings borrowed from it become invalid.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_signing_output_free(
    output: *const sigfresh_signing_output,
) -> sigfresh_result {
    // SAFETY: caller contract (crate docs).
    unsafe { free(output) }
}

/// Reads one borrowed string from an output.
///
/// # Safety
/// Caller contract (crate docs).
unsafe fn output_str(
    output: *const sigfresh_signing_output,
    str_out: *mut sigfresh_str,
    f: impl FnOnce(&Signed) -> Res<&str>,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: forwarded contract.
        let (s, o) = unsafe { (get(output, "output")?, out(str_out, "str_out")?) };
        o.write(sigfresh_str::of(f(s)?));
        Ok(())
    })
}

/// The canonical request that was signed (SigV4 task 1), borrowed from the output. It contains
/// the session token when one was signed: treat it as secret.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_signing_output_canonical_request(
    output: *const sigfresh_signing_output,
    str_out: *mut sigfresh_str,
) -> sigfresh_result {
    // SAFETY: caller contract (crate docs).
    unsafe { output_str(output, str_out, |s| Ok(s.out.canonical_request())) }
}

/// The string to sign (SigV4 task 2), borrowed from the output.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_signing_output_string_to_sign(
    output: *const sigfresh_signing_output,
    str_out: *mut sigfresh_str,
) -> sigfresh_result {
    // SAFETY: caller contract (crate docs).
    unsafe { output_str(output, str_out, |s| Ok(s.out.string_to_sign())) }
}

/// The signature, 64 lowercase hex digits, borrowed from the output.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_signing_output_signature(
    output: *const sigfresh_signing_output,
    str_out: *mut sigfresh_str,
) -> sigfresh_result {
    // SAFETY: caller contract (crate docs).
    unsafe { output_str(output, str_out, |s| Ok(s.out.signature())) }
}

/// The Authorization header value, borrowed from the output; SIGFRESH_ABSENT when presigned.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_signing_output_authorization(
    output: *const sigfresh_signing_output,
    str_out: *mut sigfresh_str,
) -> sigfresh_result {
    // SAFETY: caller contract (crate docs).
    unsafe {
        output_str(output, str_out, |s| {
            s.out
                .authorization()
                .ok_or_else(|| Error::absent("authorization (presigned request)"))
        })
    }
}

/// The request URI as signed: the presigned URL, or for header signing the URI unchanged.
/// Borrowed from the output.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_signing_output_signed_uri(
    output: *const sigfresh_signing_output,
    str_out: *mut sigfresh_str,
) -> sigfresh_result {
    // SAFETY: caller contract (crate docs).
    unsafe { output_str(output, str_out, |s| Ok(&s.signed_uri)) }
}

/// The number of headers to set (0 when presigned).
#[no_mangle]
pub unsafe extern "C" fn sigfresh_signing_output_header_count(
    output: *const sigfresh_signing_output,
    count_out: *mut usize,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: caller contract (crate docs).
        let (s, o) = unsafe { (get(output, "output")?, out(count_out, "count_out")?) };
        o.write(s.out.headers().count());
        Ok(())
    })
}

/// Header `index` to set on the request (lowercase name, value), borrowed from the output.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_signing_output_header(
    output: *const sigfresh_signing_output,
    index: usize,
    header_out: *mut sigfresh_pair,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: caller contract (crate docs).
        let (s, o) = unsafe { (get(output, "output")?, out(header_out, "header_out")?) };
        let (n, v) = s
            .out
            .headers()
            .nth(index)
            .ok_or_else(|| Error::index("index", index, s.out.headers().count()))?;
        o.write(sigfresh_pair::of(n, v));
        Ok(())
    })
}

/// The number of query parameters a presigned URL carries (0 for header signing).
#[no_mangle]
pub unsafe extern "C" fn sigfresh_signing_output_query_param_count(
    output: *const sigfresh_signing_output,
    count_out: *mut usize,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: caller contract (crate docs).
        let (s, o) = unsafe { (get(output, "output")?, out(count_out, "count_out")?) };
        o.write(s.out.query_params().count());
        Ok(())
    })
}

/// Query parameter `index` (name, percent-encoded value), borrowed from the output.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_signing_output_query_param(
    output: *const sigfresh_signing_output,
    index: usize,
    param_out: *mut sigfresh_pair,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: caller contract (crate docs).
        let (s, o) = unsafe { (get(output, "output")?, out(param_out, "param_out")?) };
        let (n, v) = s
            .out
            .query_params()
            .nth(index)
            .ok_or_else(|| Error::index("index", index, s.out.query_params().count()))?;
        o.write(sigfresh_pair::of(n, v));
        Ok(())
    })
}
