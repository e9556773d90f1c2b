//! Raw HTTP/1.1 request text (the SigV4 suite's `.req` format) parsed by the core.

use crate::handle::{boundary, bytes, free, get, handle_impl, into_handle, out, Error};
use crate::result::*;
use crate::{sigfresh_bytes, sigfresh_pair, sigfresh_str};
use sigfresh::raw_request::RawRequest;

/// An owned copy of a parsed request.
pub(crate) struct OwnedRequest {
    method: String,
    target: String,
    version: Option<String>,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

/// A parsed raw request (method, target, version, headers as parsed — trimmed, folded lines
/// joined — and body). Immutable. Release with sigfresh_raw_request_free.
pub struct sigfresh_raw_request {
    _private: [u8; 0],
}

handle_impl!(sigfresh_raw_request => OwnedRequest, 0x5347_4652_5241_5752);

/// Parses request text: request line, `Name: value` headers (LF or CRLF; obs-folds joined with
/// one space), a blank line and the body. On success `*request_out` is a new handle: release it
/// with sigfresh_raw_request_free.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_raw_request_parse(
    text: *const u8,
    text_len: usize,
    request_out: *mut *const sigfresh_raw_request,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: caller contract (crate docs).
        let (t, o) = unsafe {
            (
                bytes(text, text_len, "text")?,
                out(request_out, "request_out")?,
            )
        };
        let r = RawRequest::parse(t)?;
        let owned = OwnedRequest {
            method: r.method.to_owned(),
            target: r.target.to_owned(),
            version: r.version.map(str::to_owned),
            headers: r
                .headers
                .iter()
                .map(|(n, v)| ((*n).to_owned(), v.to_string()))
                .collect(),
            body: r.body.to_vec(),
        };
        o.write(into_handle::<sigfresh_raw_request>(owned).cast_const());
        Ok(())
    })
}

/// Releases a parsed request. NULL is a no-op.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_raw_request_free(
    request: *const sigfresh_raw_request,
) -> sigfresh_result {
    // SAFETY: caller contract (crate docs).
    unsafe { free(request) }
}

/// # Safety
/// Caller contract (crate docs).
unsafe fn read<T>(
    r: *const sigfresh_raw_request,
    p: *mut T,
    f: impl FnOnce(&OwnedRequest) -> Result<T, Error>,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: forwarded contract.
        let (r, o) = unsafe { (get(r, "request")?, out(p, "out")?) };
        o.write(f(r)?);
        Ok(())
    })
}

/// The method, borrowed.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_raw_request_method(
    request: *const sigfresh_raw_request,
    str_out: *mut sigfresh_str,
) -> sigfresh_result {
    // SAFETY: caller contract (crate docs).
    unsafe { read(request, str_out, |r| Ok(sigfresh_str::of(&r.method))) }
}

/// The request target exactly as written, borrowed.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_raw_request_target(
    request: *const sigfresh_raw_request,
    str_out: *mut sigfresh_str,
) -> sigfresh_result {
    // SAFETY: caller contract (crate docs).
    unsafe { read(request, str_out, |r| Ok(sigfresh_str::of(&r.target))) }
}

/// The protocol version (e.g. "HTTP/1.1"), borrowed; SIGFRESH_ABSENT when the line has none.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_raw_request_version(
    request: *const sigfresh_raw_request,
    str_out: *mut sigfresh_str,
) -> sigfresh_result {
    // SAFETY: caller contract (crate docs).
    unsafe {
        read(request, str_out, |r| {
            r.version
                .as_deref()
                .map(sigfresh_str::of)
                .ok_or_else(|| Error::absent("version"))
        })
    }
}

/// The number of headers.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_raw_request_header_count(
    request: *const sigfresh_raw_request,
    count_out: *mut usize,
) -> sigfresh_result {
    // SAFETY: caller contract (crate docs).
    unsafe { read(request, count_out, |r| Ok(r.headers.len())) }
}

/// Header `index` (name as written, value trimmed), borrowed.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_raw_request_header(
    request: *const sigfresh_raw_request,
    index: usize,
    header_out: *mut sigfresh_pair,
) -> sigfresh_result {
    // SAFETY: caller contract (crate docs).
    unsafe {
        read(request, header_out, |r| {
            let (n, v) = r
                .headers
                .get(index)
                .ok_or_else(|| Error::index("index", index, r.headers.len()))?;
            Ok(sigfresh_pair::of(n, v))
        })
    }
}

/// The body (bytes after the blank line; may be empty), borrowed.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_raw_request_body(
    request: *const sigfresh_raw_request,
    bytes_out: *mut sigfresh_bytes,
) -> sigfresh_result {
    // SAFETY: caller contract (crate docs).
    unsafe {
        read(request, bytes_out, |r| {
            Ok(sigfresh_bytes {
                ptr: r.body.as_ptr(),
                len: r.body.len(),
            })
        })
    }
}
