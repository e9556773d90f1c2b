//! Signers, signing, presigning, every stage, verification and raw request parsing.

use super::*;
use crate::credentials::sigfresh_credentials;
use crate::raw_request::*;
use crate::sign::*;
use crate::verify::*;
use ::jni::EnvUnowned;
use core::ffi::c_void;

/// A request converted from Java; the C view borrows it.
struct Req {
    method: String,
    uri: String,
    headers: Vec<String>,
    payload: Vec<u8>,
    kind: i32,
}

impl Req {
    fn from_java(
        e: &mut Env<'_>,
        method: &JString<'_>,
        uri: &JString<'_>,
        headers: &JObjectArray<'_, JString<'_>>,
        kind: i32,
        data: &JByteArray<'_>,
    ) -> JRes<Req> {
        Ok(Req {
            method: string(e, method, "method")?,
            uri: string(e, uri, "uri")?,
            headers: pairs_text(e, headers, "headers")?,
            payload: opt_bytes(e, data)?,
            kind,
        })
    }

    /// The C request; `pairs` must outlive its use.
    fn c(&self, pairs: &[sigfresh_pair]) -> sigfresh_request {
        sigfresh_request {
            method: self.method.as_ptr().cast(),
            method_len: self.method.len(),
            uri: self.uri.as_ptr().cast(),
            uri_len: self.uri.len(),
            headers: pairs.as_ptr(),
            headers_len: pairs.len(),
            payload: payload(self.kind, &self.payload),
        }
    }
}

/// Frees a C object when dropped (also on the error path).
struct Guard<T>(*const T, unsafe extern "C" fn(*const T) -> sigfresh_result);
impl<T> Drop for Guard<T> {
    fn drop(&mut self) {
        // SAFETY: the pointer is a live handle made in this call (or NULL).
        let _ = unsafe { (self.1)(self.0) };
    }
}

/// The same for handles whose free takes `*mut T`.
struct GuardMut<T>(*mut T, unsafe extern "C" fn(*mut T) -> sigfresh_result);
impl<T> Drop for GuardMut<T> {
    fn drop(&mut self) {
        // SAFETY: the pointer is a live handle made in this call (or NULL).
        let _ = unsafe { (self.1)(self.0) };
    }
}

/// Every slot is -1 ("keep the default") or a 32-bit unsigned value; anything else is
/// `SIGFRESH_INVALID_ARGUMENT` naming the slot (as the Panama binding).
fn check_u32_slots(slots: &[i64], what: &str) -> JRes<()> {
    for (i, v) in slots.iter().enumerate() {
        if *v != -1 && u32::try_from(*v).is_err() {
            return Err(JErr::Code(
                SIGFRESH_INVALID_ARGUMENT,
                format!("`{what}[{i}]`: {v} is neither -1 nor a 32-bit unsigned value"),
            ));
        }
    }
    Ok(())
}

/// Applies a slot checked by [`check_u32_slots`] unless it is -1.
fn apply(slot: i64, f: impl FnOnce(u32) -> sigfresh_result) -> JRes<()> {
    if slot >= 0 {
        check(f(slot as u32))?;
    }
    Ok(())
}

#[no_mangle]
pub extern "system" fn Java_dev_sigfresh_internal_JniNative_signerNew<'l>(
    mut env: EnvUnowned<'l>,
    _this: JObject<'l>,
    region: JString<'l>,
    service: JString<'l>,
    settings: JLongArray<'l>,
    header_names: JObjectArray<'l, JString<'l>>,
) -> i64 {
    entry!(env, |e| {
        let region = string(e, &region, "region")?;
        let service = string(e, &service, "service")?;
        let s = longs(e, &settings, 8, "settings")?;
        check_u32_slots(&s, "settings")?;
        let names = opt_strings(e, &header_names, "headerNames")?;
        let strs = c_strs(&names);
        let mut st: *mut sigfresh_signing_settings = core::ptr::null_mut();
        // SAFETY: outputs are ours; every handle passed was made just above.
        unsafe {
            check(if s[0] == 1 {
                sigfresh_signing_settings_new_s3(&mut st)
            } else {
                sigfresh_signing_settings_new(&mut st)
            })?;
            let _g = GuardMut(st, sigfresh_signing_settings_free);
            apply(s[1], |v| sigfresh_signing_settings_set_uri_encoding(st, v))?;
            apply(s[2], |v| {
                sigfresh_signing_settings_set_path_normalization(st, v)
            })?;
            apply(s[3], |v| {
                sigfresh_signing_settings_set_session_token_mode(st, v)
            })?;
            apply(s[4], |v| {
                sigfresh_signing_settings_set_content_sha256(st, v)
            })?;
            apply(s[5], |v| {
                sigfresh_signing_settings_set_header_selection(st, v, strs.as_ptr(), strs.len())
            })?;
            let expires = u32::try_from(s[7].max(0)).unwrap_or(u32::MAX);
            apply(s[6], |v| {
                sigfresh_signing_settings_set_location(st, v, expires)
            })?;
            let mut signer: *const sigfresh_signer = core::ptr::null();
            check(sigfresh_signer_new(
                st,
                region.as_ptr().cast(),
                region.len(),
                service.as_ptr().cast(),
                service.len(),
                &mut signer,
            ))?;
            Ok(to_handle(signer))
        }
    })
}

#[no_mangle]
pub extern "system" fn Java_dev_sigfresh_internal_JniNative_signerFree<'l>(
    mut env: EnvUnowned<'l>,
    _this: JObject<'l>,
    signer: i64,
) {
    // SAFETY: a handle from this library (or 0); checked by tag.
    entry!(env, |_e| check(unsafe {
        sigfresh_signer_free(opt_handle(signer))
    }))
}

#[no_mangle]
pub extern "system" fn Java_dev_sigfresh_internal_JniNative_signStrings<'l>(
    mut env: EnvUnowned<'l>,
    _this: JObject<'l>,
    signer: i64,
    method: JString<'l>,
    uri: JString<'l>,
    headers: JObjectArray<'l, JString<'l>>,
    payload_kind: i32,
    payload_data: JByteArray<'l>,
    credentials: i64,
    time_ms: i64,
) -> JObject<'l> {
    entry!(env, |e| {
        let s = handle::<sigfresh_signer>(signer, "signer")?;
        let c = handle::<sigfresh_credentials>(credentials, "credentials")?;
        let r = Req::from_java(e, &method, &uri, &headers, payload_kind, &payload_data)?;
        sign_to_java(e, s, &r, c, time_ms)
    })
}

/// `sigfresh_signer_sign` into a Java `String[]` of the added headers.
fn sign_to_java<'l>(
    e: &mut Env<'l>,
    s: *const sigfresh_signer,
    r: &Req,
    c: *const sigfresh_credentials,
    time_ms: i64,
) -> JRes<JObject<'l>> {
    let pairs = c_pairs(&r.headers);
    let req = r.c(&pairs);
    let mut buf = vec![0u8; 2048];
    let mut out = [sigfresh_pair::of("", ""); crate::sign::SIGFRESH_MAX_SIGNING_HEADERS];
    loop {
        let (mut count, mut used) = (0usize, 0usize);
        // SAFETY: handles checked by tag; every pointer is ours and valid for its length.
        let code = unsafe {
            sigfresh_signer_sign(
                s,
                &req,
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
        if code == SIGFRESH_BUFFER_TOO_SMALL && used > buf.len() {
            buf = vec![0u8; used];
            continue;
        }
        check(code)?;
        let mut flat = Vec::with_capacity(count * 2);
        for p in &out[..count] {
            // SAFETY: the pairs point into `buf`, alive here.
            unsafe {
                flat.push(str_of(&sigfresh_str {
                    ptr: p.name,
                    len: p.name_len,
                }));
                flat.push(str_of(&sigfresh_str {
                    ptr: p.value,
                    len: p.value_len,
                }));
            }
        }
        return Ok(new_strings_all(e, &flat)?.into());
    }
}

/// `NativeApi.signWithCache` with one JNI call per string (input `JniPacked` does not pack):
/// one crossing for the hot path. The cache's lock-free read
/// (`sigfresh_credential_cache_current`); when the core says FRESH, sign with those
/// credentials at `now_ms`; otherwise null (the Java side then takes the full path, which may
/// refresh or wait).
#[no_mangle]
pub extern "system" fn Java_dev_sigfresh_internal_JniNative_signWithCacheStrings<'l>(
    mut env: EnvUnowned<'l>,
    _this: JObject<'l>,
    signer: i64,
    cache: i64,
    method: JString<'l>,
    uri: JString<'l>,
    headers: JObjectArray<'l, JString<'l>>,
    payload_kind: i32,
    payload_data: JByteArray<'l>,
    now_ms: i64,
) -> JObject<'l> {
    entry!(env, |e| {
        let s = handle::<sigfresh_signer>(signer, "signer")?;
        let ch = handle::<crate::refresh::sigfresh_credential_cache>(cache, "cache")?;
        let r = Req::from_java(e, &method, &uri, &headers, payload_kind, &payload_data)?;
        let mut d: crate::refresh::sigfresh_refresh_decision = zeroed();
        let mut c: *const sigfresh_credentials = core::ptr::null();
        // SAFETY: the cache is checked by tag; outputs are locals.
        check(unsafe {
            crate::refresh::sigfresh_credential_cache_current(ch, now_ms, &mut d, &mut c)
        })?;
        let _g = Guard(c, crate::credentials::sigfresh_credentials_free);
        if d.kind != crate::refresh::SIGFRESH_DECISION_FRESH || c.is_null() {
            return Ok(JObject::null());
        }
        sign_to_java(e, s, &r, c, now_ms)
    })
}

#[no_mangle]
pub extern "system" fn Java_dev_sigfresh_internal_JniNative_presignStrings<'l>(
    mut env: EnvUnowned<'l>,
    _this: JObject<'l>,
    signer: i64,
    method: JString<'l>,
    uri: JString<'l>,
    headers: JObjectArray<'l, JString<'l>>,
    payload_kind: i32,
    payload_data: JByteArray<'l>,
    credentials: i64,
    time_ms: i64,
) -> JObject<'l> {
    entry!(env, |e| {
        let s = handle::<sigfresh_signer>(signer, "signer")?;
        let c = handle::<sigfresh_credentials>(credentials, "credentials")?;
        let r = Req::from_java(e, &method, &uri, &headers, payload_kind, &payload_data)?;
        let pairs = c_pairs(&r.headers);
        let req = r.c(&pairs);
        // SAFETY: handles checked by tag; the request borrows locals; the buffer is ours.
        let url = read_buf_req(
            |b, n, l| unsafe { sigfresh_signer_presign(s, &req, c, time_ms, b, n, l) },
            "url",
        )?;
        Ok(JString::from_str(e, url)?.into())
    })
}

type OutStr =
    unsafe extern "C" fn(*const sigfresh_signing_output, *mut sigfresh_str) -> sigfresh_result;
type OutPair = unsafe extern "C" fn(
    *const sigfresh_signing_output,
    usize,
    *mut sigfresh_pair,
) -> sigfresh_result;
type OutCount = unsafe extern "C" fn(*const sigfresh_signing_output, *mut usize) -> sigfresh_result;

fn out_str(o: *const sigfresh_signing_output, f: OutStr) -> JRes<Option<String>> {
    let mut v: sigfresh_str = zeroed();
    // SAFETY: `o` is a live output made in this call; `v` is copied at once.
    if check_present(unsafe { f(o, &mut v) })? {
        Ok(Some(unsafe { str_of(&v) }))
    } else {
        Ok(None)
    }
}

fn out_pairs(o: *const sigfresh_signing_output, count: OutCount, f: OutPair) -> JRes<Vec<String>> {
    let mut n = 0usize;
    // SAFETY: `o` is a live output made in this call.
    check(unsafe { count(o, &mut n) })?;
    let mut flat = Vec::with_capacity(n * 2);
    for i in 0..n {
        let mut p: sigfresh_pair = zeroed();
        // SAFETY: as above; the pair is copied at once.
        check(unsafe { f(o, i, &mut p) })?;
        unsafe {
            flat.push(str_of(&sigfresh_str {
                ptr: p.name,
                len: p.name_len,
            }));
            flat.push(str_of(&sigfresh_str {
                ptr: p.value,
                len: p.value_len,
            }));
        }
    }
    Ok(flat)
}

#[no_mangle]
pub extern "system" fn Java_dev_sigfresh_internal_JniNative_signOutput<'l>(
    mut env: EnvUnowned<'l>,
    _this: JObject<'l>,
    signer: i64,
    method: JString<'l>,
    uri: JString<'l>,
    headers: JObjectArray<'l, JString<'l>>,
    payload_kind: i32,
    payload_data: JByteArray<'l>,
    credentials: i64,
    time_ms: i64,
) -> JObject<'l> {
    entry!(env, |e| {
        let s = handle::<sigfresh_signer>(signer, "signer")?;
        let c = handle::<sigfresh_credentials>(credentials, "credentials")?;
        let r = Req::from_java(e, &method, &uri, &headers, payload_kind, &payload_data)?;
        let pairs = c_pairs(&r.headers);
        let req = r.c(&pairs);
        let mut o: *const sigfresh_signing_output = core::ptr::null();
        // SAFETY: handles checked by tag; the request borrows locals.
        check(unsafe { sigfresh_signer_sign_output(s, &req, c, time_ms, &mut o) })?;
        let _g = Guard(o, sigfresh_signing_output_free);
        let stages = [
            out_str(o, sigfresh_signing_output_canonical_request)?,
            out_str(o, sigfresh_signing_output_string_to_sign)?,
            out_str(o, sigfresh_signing_output_signature)?,
            out_str(o, sigfresh_signing_output_authorization)?,
            out_str(o, sigfresh_signing_output_signed_uri)?,
        ];
        let hs = out_pairs(
            o,
            sigfresh_signing_output_header_count,
            sigfresh_signing_output_header,
        )?;
        let qs = out_pairs(
            o,
            sigfresh_signing_output_query_param_count,
            sigfresh_signing_output_query_param,
        )?;
        let a0: JObject<'_> = new_strings(e, &stages)?.into();
        let a1: JObject<'_> = new_strings_all(e, &hs)?.into();
        let a2: JObject<'_> = new_strings_all(e, &qs)?.into();
        let outer = JObjectArray::<JObjectArray<'_, JString<'_>>>::new(
            e,
            3,
            JObjectArray::<JString<'_>>::null(),
        )?;
        for (i, a) in [a0, a1, a2].into_iter().enumerate() {
            // SAFETY: `a` is a local reference to a String[] made above.
            let arr = unsafe { JObjectArray::<JString<'_>>::from_raw(e, a.into_raw()) };
            outer.set_element(e, i, &arr)?;
            e.delete_local_ref(arr);
        }
        Ok(outer.into())
    })
}

// ---------------------------------------------------------------- verification

#[no_mangle]
pub extern "system" fn Java_dev_sigfresh_internal_JniNative_verifierNew<'l>(
    mut env: EnvUnowned<'l>,
    _this: JObject<'l>,
    settings: JLongArray<'l>,
) -> i64 {
    entry!(env, |e| {
        let s = longs(e, &settings, 5, "settings")?;
        check_u32_slots(&s, "settings")?;
        let mut v: *mut sigfresh_verifier = core::ptr::null_mut();
        // SAFETY: outputs are ours; the verifier is made just above and freed on error.
        unsafe {
            check(if s[0] == 1 {
                sigfresh_verifier_new_s3(&mut v)
            } else {
                sigfresh_verifier_new(&mut v)
            })?;
            let mut g = GuardMut(v, sigfresh_verifier_free);
            apply(s[1], |x| sigfresh_verifier_set_uri_encoding(v, x))?;
            apply(s[2], |x| sigfresh_verifier_set_path_normalization(v, x))?;
            apply(s[3], |x| sigfresh_verifier_set_session_token_mode(v, x))?;
            apply(s[4], |x| sigfresh_verifier_set_max_skew_secs(v, x))?;
            g.0 = core::ptr::null_mut();
        }
        Ok(to_handle(v))
    })
}

#[no_mangle]
pub extern "system" fn Java_dev_sigfresh_internal_JniNative_verifierFree<'l>(
    mut env: EnvUnowned<'l>,
    _this: JObject<'l>,
    verifier: i64,
) {
    // SAFETY: a handle from this library (or 0); checked by tag.
    entry!(env, |_e| check(unsafe {
        sigfresh_verifier_free(opt_handle::<sigfresh_verifier>(verifier).cast_mut())
    }))
}

/// The lookup's user data: the candidate handles and their access key ids.
struct Candidates(Vec<(String, *const sigfresh_credentials)>);

unsafe extern "C" fn lookup(
    userdata: *mut c_void,
    akid: *const c_char,
    len: usize,
) -> *const sigfresh_credentials {
    // No panic can happen below (comparisons only); the C side also guards its callbacks.
    // SAFETY: `userdata` is the `Candidates` passed by verify, alive for the call; `akid` is
    // valid for `len` bytes per the C contract.
    let (cands, asked) = unsafe {
        (
            &*(userdata as *const Candidates),
            core::slice::from_raw_parts(akid.cast::<u8>(), len),
        )
    };
    cands
        .0
        .iter()
        .find(|(id, _)| id.as_bytes() == asked)
        .map_or(core::ptr::null(), |(_, h)| *h)
}

type VStr = unsafe extern "C" fn(*const sigfresh_verified, *mut sigfresh_str) -> sigfresh_result;

#[no_mangle]
pub extern "system" fn Java_dev_sigfresh_internal_JniNative_verify<'l>(
    mut env: EnvUnowned<'l>,
    _this: JObject<'l>,
    verifier: i64,
    method: JString<'l>,
    uri: JString<'l>,
    headers: JObjectArray<'l, JString<'l>>,
    payload_kind: i32,
    payload_data: JByteArray<'l>,
    candidates: JLongArray<'l>,
    now_ms: i64,
) -> JObject<'l> {
    entry!(env, |e| {
        let v = handle::<sigfresh_verifier>(verifier, "verifier")?;
        let r = Req::from_java(e, &method, &uri, &headers, payload_kind, &payload_data)?;
        let hs = all_longs(e, &candidates, "candidates")?;
        let mut cands = Candidates(Vec::with_capacity(hs.len()));
        for (i, h) in hs.iter().enumerate() {
            let c = handle::<sigfresh_credentials>(*h, &format!("candidates[{i}]"))?;
            // SAFETY: checked by tag; the buffer is ours.
            let id = read_buf_req(
                |b, n, l| unsafe {
                    crate::credentials::sigfresh_credentials_access_key_id(c, b, n, l)
                },
                "access key id",
            )?;
            cands.0.push((id, c));
        }
        let pairs = c_pairs(&r.headers);
        let req = r.c(&pairs);
        let mut out: *const sigfresh_verified = core::ptr::null();
        // SAFETY: the verifier is checked by tag; `cands` outlives the call; locals borrowed.
        check(unsafe {
            sigfresh_verifier_verify(
                v,
                &req,
                Some(lookup),
                (&cands as *const Candidates).cast_mut().cast(),
                now_ms,
                &mut out,
            )
        })?;
        verified_to_java(e, out)
    })
}

/// The `String[]` of `NativeApi.verify` from a verified result, which it frees.
fn verified_to_java<'l>(e: &mut Env<'l>, out: *const sigfresh_verified) -> JRes<JObject<'l>> {
    let _g = Guard(out, sigfresh_verified_free);
    let get = |f: VStr| -> JRes<String> {
        let mut s: sigfresh_str = zeroed();
        // SAFETY: `out` is live until the guard drops; copied at once.
        check(unsafe { f(out, &mut s) })?;
        Ok(unsafe { str_of(&s) })
    };
    let mut items: Vec<Option<String>> = vec![
        Some(get(sigfresh_verified_access_key_id)?),
        Some(get(sigfresh_verified_region)?),
        Some(get(sigfresh_verified_service)?),
    ];
    let (mut signed, mut expires) = (0i64, 0i64);
    // SAFETY: as above.
    unsafe {
        check(sigfresh_verified_signed_at(out, &mut signed))?;
        items.push(Some(signed.to_string()));
        items.push(
            check_present(sigfresh_verified_expires_at(out, &mut expires))?
                .then(|| expires.to_string()),
        );
        let mut n = 0usize;
        check(sigfresh_verified_signed_header_count(out, &mut n))?;
        for i in 0..n {
            let mut s: sigfresh_str = zeroed();
            check(sigfresh_verified_signed_header(out, i, &mut s))?;
            items.push(Some(str_of(&s)));
        }
    }
    Ok(new_strings(e, &items)?.into())
}

/// The lookup's user data for `verifyWithLookup`: the thread's JNI env and the Java
/// `NativeApi.CredentialsLookup`, plus the first JNI failure (a Java exception thrown by `find`
/// stays pending and is rethrown when the entry point returns).
struct JavaLookup<'a, 'l> {
    env: &'a mut Env<'l>,
    lookup: &'a JObject<'l>,
    failed: Option<::jni::errors::Error>,
}

impl JavaLookup<'_, '_> {
    fn find(&mut self, akid: &[u8]) -> ::jni::errors::Result<i64> {
        let s = JString::from_str(self.env, String::from_utf8_lossy(akid))?;
        let h = self
            .env
            .call_method(
                self.lookup,
                jni_str!("find"),
                jni_sig!("(Ljava/lang/String;)J"),
                &[JValue::from(&s)],
            )?
            .j()?;
        self.env.delete_local_ref(s);
        Ok(h)
    }
}

unsafe extern "C" fn java_lookup(
    userdata: *mut c_void,
    akid: *const c_char,
    len: usize,
) -> *const sigfresh_credentials {
    // SAFETY: `userdata` is the `JavaLookup` passed by verifyWithLookup on this thread, alive
    // and not otherwise borrowed for the C call; `akid` is valid for `len` bytes per the C
    // contract.
    let (l, asked) = unsafe {
        (
            &mut *(userdata as *mut JavaLookup<'_, '_>),
            core::slice::from_raw_parts(akid.cast::<u8>(), len),
        )
    };
    if l.failed.is_some() {
        return core::ptr::null();
    }
    // No unwinding out of an `extern "C"` function.
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| l.find(asked)));
    match r {
        Ok(Ok(h)) => opt_handle(h),
        Ok(Err(err)) => {
            l.failed = Some(err);
            core::ptr::null()
        }
        Err(_) => {
            l.failed = Some(::jni::errors::Error::JniCall(
                ::jni::errors::JniError::Unknown,
            ));
            core::ptr::null()
        }
    }
}

#[no_mangle]
pub extern "system" fn Java_dev_sigfresh_internal_JniNative_verifyWithLookup<'l>(
    mut env: EnvUnowned<'l>,
    _this: JObject<'l>,
    verifier: i64,
    method: JString<'l>,
    uri: JString<'l>,
    headers: JObjectArray<'l, JString<'l>>,
    payload_kind: i32,
    payload_data: JByteArray<'l>,
    lookup: JObject<'l>,
    now_ms: i64,
) -> JObject<'l> {
    entry!(env, |e| {
        let v = handle::<sigfresh_verifier>(verifier, "verifier")?;
        if lookup.is_null() {
            return Err(null_arg("lookup"));
        }
        let r = Req::from_java(e, &method, &uri, &headers, payload_kind, &payload_data)?;
        let pairs = c_pairs(&r.headers);
        let req = r.c(&pairs);
        let mut out: *const sigfresh_verified = core::ptr::null();
        let mut jl = JavaLookup {
            env: e,
            lookup: &lookup,
            failed: None,
        };
        // SAFETY: the verifier is checked by tag; `jl` outlives the call and is only used by
        // the callback, on this thread, during it; locals borrowed.
        let code = unsafe {
            sigfresh_verifier_verify(
                v,
                &req,
                Some(java_lookup),
                (&mut jl as *mut JavaLookup<'_, '_>).cast(),
                now_ms,
                &mut out,
            )
        };
        if let Some(err) = jl.failed {
            // SAFETY: `out` is NULL or a result made by this call.
            let _ = unsafe { sigfresh_verified_free(out) };
            return Err(JErr::Jni(err));
        }
        check(code)?;
        verified_to_java(e, out)
    })
}

// ---------------------------------------------------------------- raw requests

#[no_mangle]
pub extern "system" fn Java_dev_sigfresh_internal_JniNative_rawRequestParse<'l>(
    mut env: EnvUnowned<'l>,
    _this: JObject<'l>,
    text: JByteArray<'l>,
) -> JObject<'l> {
    entry!(env, |e| {
        let t = bytes(e, &text, "text")?;
        let mut r: *const sigfresh_raw_request = core::ptr::null();
        // SAFETY: `t` valid for its length; the output is ours.
        check(unsafe { sigfresh_raw_request_parse(t.as_ptr(), t.len(), &mut r) })?;
        let _g = Guard(r, sigfresh_raw_request_free);
        type RStr =
            unsafe extern "C" fn(*const sigfresh_raw_request, *mut sigfresh_str) -> sigfresh_result;
        let get = |f: RStr| -> JRes<String> {
            let mut s: sigfresh_str = zeroed();
            // SAFETY: `r` is live until the guard drops; copied at once.
            check(unsafe { f(r, &mut s) })?;
            Ok(unsafe { str_of(&s) })
        };
        let mut version: sigfresh_str = zeroed();
        // SAFETY: `r` is live until the guard drops; copied at once. A request line without a
        // version is legal input: ABSENT → null.
        let version = check_present(unsafe { sigfresh_raw_request_version(r, &mut version) })?
            .then(|| unsafe { str_of(&version) });
        let line = [
            Some(get(sigfresh_raw_request_method)?),
            Some(get(sigfresh_raw_request_target)?),
            version,
        ];
        let mut n = 0usize;
        let mut flat = Vec::new();
        let mut body: sigfresh_bytes = zeroed();
        // SAFETY: as above.
        unsafe {
            check(sigfresh_raw_request_header_count(r, &mut n))?;
            for i in 0..n {
                let mut p: sigfresh_pair = zeroed();
                check(sigfresh_raw_request_header(r, i, &mut p))?;
                flat.push(str_of(&sigfresh_str {
                    ptr: p.name,
                    len: p.name_len,
                }));
                flat.push(str_of(&sigfresh_str {
                    ptr: p.value,
                    len: p.value_len,
                }));
            }
            check(sigfresh_raw_request_body(r, &mut body))?;
        }
        // SAFETY: `body` points into `r`, still live.
        let body = unsafe { bytes_of(&body) };
        let a0: JObject<'_> = new_strings(e, &line)?.into();
        let a1: JObject<'_> = new_strings_all(e, &flat)?.into();
        let a2: JObject<'_> = e.byte_array_from_slice(&body)?.into();
        new_objects(e, vec![a0, a1, a2])
    })
}
