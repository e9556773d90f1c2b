//! The signing fast path: the request's text arrives as one UTF-8 `byte[]` and the result
//! leaves as one `byte[]` (`dev.sigfresh.internal.JniPacked` packs and unpacks them), so a
//! signature costs one native call and two array copies instead of a JNI call per string.
//!
//! Request layout (every length a 4-byte little-endian count of bytes): method, URI, the number
//! of headers, then each header's name and value. Result: `name NUL value NUL ...` for header
//! signing (the signing headers are ASCII and never contain NUL), the URL's bytes for
//! presigning. Malformed packing is `SIGFRESH_INVALID_ARGUMENT`; text that is not UTF-8 is
//! `SIGFRESH_INVALID_UTF8` (the Java side only packs well-formed strings, so neither happens
//! in practice). Copies that may hold a session token are wiped before they are freed.

use super::*;
use crate::credentials::sigfresh_credentials;
use crate::sign::*;
use ::jni::EnvUnowned;

/// Requests up to this size are copied onto the stack; larger ones into one allocation.
const STACK_REQUEST: usize = 2048;

/// A cursor over the packed request.
struct Unpack<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Unpack<'a> {
    fn len(&mut self) -> JRes<usize> {
        let b = self
            .bytes
            .get(self.at..self.at + 4)
            .ok_or_else(|| invalid("request", "packed request is truncated"))?;
        self.at += 4;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
    }

    /// The next string; `what` names it in an error (built only then).
    fn text(&mut self, what: impl FnOnce() -> String) -> JRes<&'a str> {
        let n = self.len()?;
        let b = self
            .bytes
            .get(self.at..self.at + n)
            .ok_or_else(|| invalid("request", "packed request is truncated"))?;
        self.at += n;
        core::str::from_utf8(b).map_err(|e| {
            JErr::Code(
                SIGFRESH_INVALID_UTF8,
                format!("`{}`: invalid UTF-8 at byte {}", what(), e.valid_up_to()),
            )
        })
    }
}

/// Wipes a buffer that may hold a secret: a bulk fill the optimizer may not drop, because the
/// buffer is then handed to an opaque `black_box` (a byte-at-a-time volatile loop costs ~1 ns
/// a byte, more than the signature's own work for a 2 KiB buffer).
fn wipe(b: &mut [u8]) {
    b.fill(0);
    core::hint::black_box(&mut *b);
    core::sync::atomic::compiler_fence(core::sync::atomic::Ordering::SeqCst);
}

/// Copies the packed request out of Java and calls `f` with the C request built over it.
fn with_request<'local, R>(
    e: &mut Env<'local>,
    packed: &JByteArray<'_>,
    kind: i32,
    data: &JByteArray<'_>,
    f: impl FnOnce(&mut Env<'local>, &sigfresh_request) -> JRes<R>,
) -> JRes<R> {
    if packed.is_null() {
        return Err(null_arg("request"));
    }
    let n = packed.len(e)?;
    let mut stack = [0i8; STACK_REQUEST];
    let mut heap = Vec::new();
    let raw: &mut [i8] = if n <= STACK_REQUEST {
        &mut stack[..n]
    } else {
        heap.resize(n, 0i8);
        &mut heap[..]
    };
    packed.get_region(e, 0, raw)?;
    // SAFETY: i8 and u8 have the same size and alignment; the slice stays borrowed from `raw`.
    let bytes: &mut [u8] = unsafe { core::slice::from_raw_parts_mut(raw.as_mut_ptr().cast(), n) };
    let payload_bytes = opt_bytes(e, data)?;
    let result = (|| {
        let mut u = Unpack { bytes, at: 0 };
        let method = u.text(|| "method".into())?;
        let uri = u.text(|| "uri".into())?;
        let count = u.len()?;
        if count > bytes.len() / 8 {
            return Err(invalid("request", "packed request is truncated"));
        }
        let mut pairs = Vec::with_capacity(count);
        for i in 0..count {
            let name = u.text(|| format!("headers[{}]", 2 * i))?;
            let value = u.text(|| format!("headers[{}]", 2 * i + 1))?;
            pairs.push(sigfresh_pair::of(name, value));
        }
        if u.at != bytes.len() {
            return Err(invalid("request", "packed request has trailing bytes"));
        }
        let req = sigfresh_request {
            method: method.as_ptr().cast(),
            method_len: method.len(),
            uri: uri.as_ptr().cast(),
            uri_len: uri.len(),
            headers: pairs.as_ptr(),
            headers_len: pairs.len(),
            payload: payload(kind, &payload_bytes),
        };
        f(e, &req)
    })();
    // The headers may carry a session token.
    // SAFETY: as above; no other borrow of `raw` is alive now.
    wipe(unsafe { core::slice::from_raw_parts_mut(raw.as_mut_ptr().cast(), n) });
    result
}

#[no_mangle]
pub extern "system" fn Java_dev_sigfresh_internal_JniNative_signPacked<'l>(
    mut env: EnvUnowned<'l>,
    _this: JObject<'l>,
    signer: i64,
    request: JByteArray<'l>,
    payload_kind: i32,
    payload_data: JByteArray<'l>,
    credentials: i64,
    time_ms: i64,
) -> JObject<'l> {
    entry!(env, |e| {
        let s = handle::<sigfresh_signer>(signer, "signer")?;
        let c = handle::<sigfresh_credentials>(credentials, "credentials")?;
        with_request(e, &request, payload_kind, &payload_data, |e, req| {
            sign_packed(e, s, req, c, time_ms)
        })
    })
}

/// `sigfresh_signer_sign` with the result packed as `name NUL value NUL ...`.
fn sign_packed<'l>(
    e: &mut Env<'l>,
    s: *const sigfresh_signer,
    req: &sigfresh_request,
    c: *const sigfresh_credentials,
    time_ms: i64,
) -> JRes<JObject<'l>> {
    let mut buf = [0u8; STACK_REQUEST];
    let mut heap = Vec::new();
    let mut out = [sigfresh_pair::of("", ""); SIGFRESH_MAX_SIGNING_HEADERS];
    let (mut count, mut used) = (0usize, 0usize);
    // SAFETY: handles checked by tag; the request borrows locals; buffers are ours.
    let mut code = unsafe {
        sigfresh_signer_sign(
            s,
            req,
            c,
            time_ms,
            buf.as_mut_ptr().cast(),
            buf.len(),
            out.as_mut_ptr(),
            out.len(),
            &mut count,
            &mut used,
        )
    };
    let target: &mut [u8] = if code == SIGFRESH_BUFFER_TOO_SMALL && used > buf.len() {
        heap.resize(used, 0u8);
        // SAFETY: as above, with a buffer of the size the first call asked for.
        code = unsafe {
            sigfresh_signer_sign(
                s,
                req,
                c,
                time_ms,
                heap.as_mut_ptr().cast(),
                heap.len(),
                out.as_mut_ptr(),
                out.len(),
                &mut count,
                &mut used,
            )
        };
        &mut heap
    } else {
        &mut buf
    };
    let result = check(code).and_then(|()| {
        // name NUL value NUL ...: the C strings are already NUL-terminated in `target`.
        let mut packed = Vec::with_capacity(used);
        for p in &out[..count] {
            // SAFETY: the pairs point into `target`, alive here, NUL after each string.
            unsafe {
                packed.extend_from_slice(core::slice::from_raw_parts(
                    p.name.cast::<u8>(),
                    p.name_len + 1,
                ));
                packed.extend_from_slice(core::slice::from_raw_parts(
                    p.value.cast::<u8>(),
                    p.value_len + 1,
                ));
            }
        }
        let arr = e.byte_array_from_slice(&packed);
        wipe(&mut packed);
        Ok(arr?)
    });
    // Only the bytes the call wrote can hold the token.
    let written = used.min(target.len());
    wipe(&mut target[..written]);
    Ok(result?.into())
}

/// `NativeApi.signWithCache` over a packed request: the cache's lock-free read; when the core
/// says FRESH, [`sign_packed`] with those credentials at `now_ms`; else null (the Java side
/// takes the full path). One native call.
#[no_mangle]
pub extern "system" fn Java_dev_sigfresh_internal_JniNative_signWithCachePacked<'l>(
    mut env: EnvUnowned<'l>,
    _this: JObject<'l>,
    signer: i64,
    cache: i64,
    request: JByteArray<'l>,
    payload_kind: i32,
    payload_data: JByteArray<'l>,
    now_ms: i64,
) -> JObject<'l> {
    entry!(env, |e| {
        let s = handle::<sigfresh_signer>(signer, "signer")?;
        let ch = handle::<crate::refresh::sigfresh_credential_cache>(cache, "cache")?;
        let mut d: crate::refresh::sigfresh_refresh_decision = zeroed();
        let mut c: *const sigfresh_credentials = core::ptr::null();
        // SAFETY: the cache is checked by tag; outputs are locals.
        check(unsafe {
            crate::refresh::sigfresh_credential_cache_current(ch, now_ms, &mut d, &mut c)
        })?;
        struct Free(*const sigfresh_credentials);
        impl Drop for Free {
            fn drop(&mut self) {
                // SAFETY: a handle made by the call above (or NULL).
                let _ = unsafe { crate::credentials::sigfresh_credentials_free(self.0) };
            }
        }
        let _g = Free(c);
        if d.kind != crate::refresh::SIGFRESH_DECISION_FRESH || c.is_null() {
            return Ok(JObject::null());
        }
        with_request(e, &request, payload_kind, &payload_data, |e, req| {
            sign_packed(e, s, req, c, now_ms)
        })
    })
}

#[no_mangle]
pub extern "system" fn Java_dev_sigfresh_internal_JniNative_presignPacked<'l>(
    mut env: EnvUnowned<'l>,
    _this: JObject<'l>,
    signer: i64,
    request: JByteArray<'l>,
    payload_kind: i32,
    payload_data: JByteArray<'l>,
    credentials: i64,
    time_ms: i64,
) -> JObject<'l> {
    entry!(env, |e| {
        let s = handle::<sigfresh_signer>(signer, "signer")?;
        let c = handle::<sigfresh_credentials>(credentials, "credentials")?;
        with_request(e, &request, payload_kind, &payload_data, |e, req| {
            let mut buf = [0u8; STACK_REQUEST];
            let mut heap = Vec::new();
            let mut len = 0usize;
            // SAFETY: handles checked by tag; the request borrows locals; buffers are ours.
            let mut code = unsafe {
                sigfresh_signer_presign(
                    s,
                    req,
                    c,
                    time_ms,
                    buf.as_mut_ptr().cast(),
                    buf.len(),
                    &mut len,
                )
            };
            let target: &mut [u8] = if code == SIGFRESH_BUFFER_TOO_SMALL && len > buf.len() {
                heap.resize(len, 0u8);
                // SAFETY: as above, with the size the first call asked for.
                code = unsafe {
                    sigfresh_signer_presign(
                        s,
                        req,
                        c,
                        time_ms,
                        heap.as_mut_ptr().cast(),
                        heap.len(),
                        &mut len,
                    )
                };
                &mut heap
            } else {
                &mut buf
            };
            // The URL may carry the session token (X-Amz-Security-Token).
            let result = check(code).and_then(|()| Ok(e.byte_array_from_slice(&target[..len])?));
            let written = (len + 1).min(target.len());
            wipe(&mut target[..written]);
            Ok(result?.into())
        })
    })
}
