//! The request to sign or verify, as C describes it, converted for the call.

use crate::handle::{bytes, slice, text, At, Error, Res};
use crate::sigfresh_pair;
use core::ffi::c_char;
use core::mem::MaybeUninit;
use sigfresh::sigv4::{Payload, SignableRequest};

/// What the payload hash line says (`sigfresh_payload_kind`).
pub type sigfresh_payload_kind = u32;
/// `data` is the body; it is hashed with SHA-256.
pub const SIGFRESH_PAYLOAD_BYTES: sigfresh_payload_kind = 0;
/// `data` is the body's SHA-256 as 64 lowercase hex digits.
pub const SIGFRESH_PAYLOAD_PRECOMPUTED: sigfresh_payload_kind = 1;
/// UNSIGNED-PAYLOAD (`data` ignored).
pub const SIGFRESH_PAYLOAD_UNSIGNED: sigfresh_payload_kind = 2;
/// STREAMING-AWS4-HMAC-SHA256-PAYLOAD.
pub const SIGFRESH_PAYLOAD_STREAMING_SIGNED: sigfresh_payload_kind = 3;
/// STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER.
pub const SIGFRESH_PAYLOAD_STREAMING_SIGNED_TRAILER: sigfresh_payload_kind = 4;
/// STREAMING-UNSIGNED-PAYLOAD-TRAILER.
pub const SIGFRESH_PAYLOAD_STREAMING_UNSIGNED_TRAILER: sigfresh_payload_kind = 5;
/// STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD.
pub const SIGFRESH_PAYLOAD_STREAMING_ECDSA: sigfresh_payload_kind = 6;
/// STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER.
pub const SIGFRESH_PAYLOAD_STREAMING_ECDSA_TRAILER: sigfresh_payload_kind = 7;

/// The most headers header signing produces (x-amz-date, x-amz-security-token,
/// x-amz-content-sha256, authorization): a `headers_out` array this long always suffices.
pub const SIGFRESH_MAX_SIGNING_HEADERS: usize = 4;

/// The payload description of a request.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct sigfresh_payload {
    /// SIGFRESH_PAYLOAD_*.
    pub kind: sigfresh_payload_kind,
    /// The body (BYTES) or the hex hash (PRECOMPUTED); ignored for the other kinds.
    pub data: *const u8,
    /// The length of `data`.
    pub data_len: usize,
}

/// A request to sign or verify, as it will be (was) sent. Borrowed for the call only.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct sigfresh_request {
    /// The method, e.g. "GET".
    pub method: *const c_char,
    /// Its length.
    pub method_len: usize,
    /// An absolute URL ("https://host/path?query") or an origin-form target ("/path?query")
    /// with a host header.
    pub uri: *const c_char,
    /// Its length.
    pub uri_len: usize,
    /// Headers in wire order (duplicates allowed; names in any case).
    pub headers: *const sigfresh_pair,
    /// The number of headers.
    pub headers_len: usize,
    /// What to hash.
    pub payload: sigfresh_payload,
}

/// How many headers are converted without a heap allocation.
const INLINE_HEADERS: usize = 16;

/// Converts a C request and runs `f` with it.
///
/// # Safety
/// Caller contract (crate docs) for every pointer inside `req`.
pub(crate) unsafe fn with_request<R>(
    req: *const sigfresh_request,
    f: impl FnOnce(&SignableRequest<'_>) -> Res<R>,
) -> Res<R> {
    // SAFETY: caller contract: NULL or one valid `sigfresh_request`.
    let r = unsafe { crate::handle::req_ref(req, "request") }?;
    // SAFETY: caller contract for each field's pointer and length.
    let (method, uri, pairs) = unsafe {
        (
            text(r.method, r.method_len, "request.method")?,
            text(r.uri, r.uri_len, "request.uri")?,
            slice(r.headers, r.headers_len, "request.headers")?,
        )
    };
    let data = r.payload.data;
    let len = r.payload.data_len;
    let payload = match r.payload.kind {
        // SAFETY: caller contract for the payload's pointer and length.
        SIGFRESH_PAYLOAD_BYTES => {
            Payload::Bytes(unsafe { bytes(data, len, "request.payload.data") }?)
        }
        SIGFRESH_PAYLOAD_PRECOMPUTED => {
            // SAFETY: as above.
            Payload::Precomputed(unsafe { text(data.cast(), len, "request.payload.data") }?)
        }
        SIGFRESH_PAYLOAD_UNSIGNED => Payload::Unsigned,
        SIGFRESH_PAYLOAD_STREAMING_SIGNED => Payload::StreamingSigned,
        SIGFRESH_PAYLOAD_STREAMING_SIGNED_TRAILER => Payload::StreamingSignedTrailer,
        SIGFRESH_PAYLOAD_STREAMING_UNSIGNED_TRAILER => Payload::StreamingUnsignedTrailer,
        SIGFRESH_PAYLOAD_STREAMING_ECDSA => Payload::StreamingEcdsa,
        SIGFRESH_PAYLOAD_STREAMING_ECDSA_TRAILER => Payload::StreamingEcdsaTrailer,
        other => {
            return Err(Error::invalid(
                "request.payload.kind",
                format!("{other} is not one of the documented constants"),
            ))
        }
    };
    let mut inline = [MaybeUninit::<(&str, &str)>::uninit(); INLINE_HEADERS];
    let mut heap = Vec::new();
    let headers: &[(&str, &str)] = if pairs.len() <= INLINE_HEADERS {
        for (slot, (i, p)) in inline.iter_mut().zip(pairs.iter().enumerate()) {
            // SAFETY: caller contract for each pair's pointers.
            slot.write(unsafe {
                (
                    text(p.name, p.name_len, At("request.headers", i, "name"))?,
                    text(p.value, p.value_len, At("request.headers", i, "value"))?,
                )
            });
        }
        // SAFETY: the loop initialized the first `pairs.len()` slots (it returns early on any
        // error), and `MaybeUninit<T>` has the layout of `T`.
        unsafe { &*(core::ptr::from_ref(&inline[..pairs.len()]) as *const [(&str, &str)]) }
    } else {
        // SAFETY: as above.
        unsafe { crate::handle::pairs_into(pairs, "request.headers", &mut heap) }?;
        &heap
    };
    f(&SignableRequest::new(method, uri, headers, payload))
}
