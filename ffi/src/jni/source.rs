//! Credential sources: IMDS, container endpoint and the default chain state machines.

use super::*;
use crate::credentials::sigfresh_credentials;
use crate::document::sigfresh_profile_set;
use crate::source::*;
use ::jni::EnvUnowned;

fn src(h: i64) -> JRes<*mut sigfresh_source> {
    handle::<sigfresh_source>(h, "source").map(|p| p.cast_mut())
}

fn new_source(f: impl FnOnce(*mut *mut sigfresh_source) -> sigfresh_result) -> JRes<i64> {
    let mut out: *mut sigfresh_source = core::ptr::null_mut();
    check(f(&mut out))?;
    Ok(to_handle(out.cast_const()))
}

#[no_mangle]
pub extern "system" fn Java_dev_sigfresh_internal_JniNative_sourceNewImds<'l>(
    mut env: EnvUnowned<'l>,
    _this: JObject<'l>,
    env_vars: JObjectArray<'l, JString<'l>>,
    profile_set: i64,
    profile: JString<'l>,
) -> i64 {
    entry!(env, |e| {
        let flat = pairs_text(e, &env_vars, "env")?;
        let pairs = c_pairs(&flat);
        let profile = opt_string(e, &profile, "profile")?;
        let (pp, pl) = opt_ptr(&profile);
        let set = opt_handle::<sigfresh_profile_set>(profile_set);
        // SAFETY: locals borrowed for the call; the set (optional) is checked by tag.
        new_source(|o| unsafe {
            sigfresh_source_new_imds(pairs.as_ptr(), pairs.len(), set, pp, pl, o)
        })
    })
}

#[no_mangle]
pub extern "system" fn Java_dev_sigfresh_internal_JniNative_sourceNewContainer<'l>(
    mut env: EnvUnowned<'l>,
    _this: JObject<'l>,
    env_vars: JObjectArray<'l, JString<'l>>,
) -> i64 {
    entry!(env, |e| {
        let flat = pairs_text(e, &env_vars, "env")?;
        let pairs = c_pairs(&flat);
        // SAFETY: locals borrowed for the call.
        new_source(|o| unsafe { sigfresh_source_new_container(pairs.as_ptr(), pairs.len(), o) })
    })
}

#[no_mangle]
pub extern "system" fn Java_dev_sigfresh_internal_JniNative_sourceNewChain<'l>(
    mut env: EnvUnowned<'l>,
    _this: JObject<'l>,
    env_vars: JObjectArray<'l, JString<'l>>,
    credentials_text: JString<'l>,
    config_text: JString<'l>,
) -> i64 {
    entry!(env, |e| {
        let flat = pairs_text(e, &env_vars, "env")?;
        let pairs = c_pairs(&flat);
        let creds = opt_string(e, &credentials_text, "credentialsText")?;
        let config = opt_string(e, &config_text, "configText")?;
        let (cp, cl) = opt_ptr(&creds);
        let (fp, fl) = opt_ptr(&config);
        // SAFETY: locals borrowed for the call.
        new_source(|o| unsafe {
            sigfresh_source_new_chain(pairs.as_ptr(), pairs.len(), cp, cl, fp, fl, o)
        })
    })
}

#[no_mangle]
pub extern "system" fn Java_dev_sigfresh_internal_JniNative_sourceFree<'l>(
    mut env: EnvUnowned<'l>,
    _this: JObject<'l>,
    source: i64,
) {
    // SAFETY: a handle from this library (or 0); checked by tag.
    entry!(env, |_e| check(unsafe {
        sigfresh_source_free(opt_handle::<sigfresh_source>(source).cast_mut())
    }))
}

#[no_mangle]
pub extern "system" fn Java_dev_sigfresh_internal_JniNative_sourceStart<'l>(
    mut env: EnvUnowned<'l>,
    _this: JObject<'l>,
    source: i64,
    now_ms: i64,
    jitter: i64,
) {
    entry!(env, |_e| {
        let s = src(source)?;
        // SAFETY: checked by tag.
        check(unsafe { sigfresh_source_start(s, now_ms, jitter as u64) })
    })
}

#[no_mangle]
pub extern "system" fn Java_dev_sigfresh_internal_JniNative_sourcePoll<'l>(
    mut env: EnvUnowned<'l>,
    _this: JObject<'l>,
    source: i64,
    now_ms: i64,
) -> JObject<'l> {
    entry!(env, |e| {
        let s = src(source)?;
        let mut st: sigfresh_step = zeroed();
        // SAFETY: checked by tag; the step borrows from the source until the next call, and
        // everything is copied below before any other call on the source.
        check(unsafe { sigfresh_source_poll(s, now_ms, &mut st) })?;
        let (mut method, mut url, mut text, mut error) = (None, None, None, None);
        let mut headers = Vec::new();
        let mut body = Vec::new();
        let mut connect = Vec::new();
        let mut creds: *const sigfresh_credentials = core::ptr::null();
        let mut failure_kind = -1i64;
        // SAFETY: every pointer in the step is valid per the C contract until the next call.
        unsafe {
            match st.kind {
                SIGFRESH_STEP_SEND => {
                    let r = &st.request;
                    method = Some(str_of(&r.method));
                    url = Some(str_of(&r.url));
                    if r.headers_len > 0 && !r.headers.is_null() {
                        for p in core::slice::from_raw_parts(r.headers, r.headers_len) {
                            headers.push(str_of(&sigfresh_str {
                                ptr: p.name,
                                len: p.name_len,
                            }));
                            headers.push(str_of(&sigfresh_str {
                                ptr: p.value,
                                len: p.value_len,
                            }));
                        }
                    }
                    body = bytes_of(&r.body);
                    if r.connect_to_len > 0 && !r.connect_to.is_null() {
                        for a in core::slice::from_raw_parts(r.connect_to, r.connect_to_len) {
                            connect.push(str_of(a));
                        }
                    }
                }
                SIGFRESH_STEP_READ_FILE | SIGFRESH_STEP_RUN_PROCESS | SIGFRESH_STEP_RESOLVE => {
                    text = Some(str_of(&st.text));
                }
                SIGFRESH_STEP_DONE => {
                    check(sigfresh_source_credentials(s, &mut creds))?;
                }
                SIGFRESH_STEP_FAILED => {
                    failure_kind = i64::from(st.failure.kind);
                    error = read_buf(|b, n, l| sigfresh_source_error_message(s, b, n, l))?;
                }
                _ => {}
            }
        }
        let nums = [
            i64::from(st.kind),
            st.wait_until_ms,
            i64::from(st.error),
            failure_kind,
            i64::from(st.failure.has_retry_after),
            st.failure.retry_after_ms as i64,
            st.request.timeout_ms as i64,
            i64::from(st.request.use_proxy),
            to_handle(creds),
        ];
        let o0 = new_longs(e, &nums)?;
        let o1: JObject<'_> = new_strings(e, &[method, url, text, error])?.into();
        let o2: JObject<'_> = new_strings_all(e, &headers)?.into();
        let o3: JObject<'_> = e.byte_array_from_slice(&body)?.into();
        let o4: JObject<'_> = new_strings_all(e, &connect)?.into();
        new_objects(e, vec![o0, o1, o2, o3, o4])
    })
}

#[no_mangle]
pub extern "system" fn Java_dev_sigfresh_internal_JniNative_sourceHandleResponse<'l>(
    mut env: EnvUnowned<'l>,
    _this: JObject<'l>,
    source: i64,
    now_ms: i64,
    status: i32,
    headers: JObjectArray<'l, JString<'l>>,
    body: JByteArray<'l>,
) {
    entry!(env, |e| {
        let s = src(source)?;
        let flat = pairs_text(e, &headers, "headers")?;
        let pairs = c_pairs(&flat);
        let b = opt_bytes(e, &body)?;
        let status = u16::try_from(status).map_err(|_| invalid("status", "is not 0..=65535"))?;
        // SAFETY: checked by tag; locals borrowed for the call.
        check(unsafe {
            sigfresh_source_handle_response(
                s,
                now_ms,
                status,
                pairs.as_ptr(),
                pairs.len(),
                b.as_ptr(),
                b.len(),
            )
        })
    })
}

#[no_mangle]
pub extern "system" fn Java_dev_sigfresh_internal_JniNative_sourceHandleTransportError<'l>(
    mut env: EnvUnowned<'l>,
    _this: JObject<'l>,
    source: i64,
    now_ms: i64,
    error: i32,
    detail: JString<'l>,
) {
    entry!(env, |e| {
        let s = src(source)?;
        let d = opt_string(e, &detail, "detail")?.unwrap_or_default();
        // SAFETY: checked by tag; locals borrowed for the call.
        check(unsafe {
            sigfresh_source_handle_transport_error(
                s,
                now_ms,
                error as u32,
                d.as_ptr().cast(),
                d.len(),
            )
        })
    })
}

#[no_mangle]
pub extern "system" fn Java_dev_sigfresh_internal_JniNative_sourceHandleFile<'l>(
    mut env: EnvUnowned<'l>,
    _this: JObject<'l>,
    source: i64,
    now_ms: i64,
    contents: JByteArray<'l>,
) {
    entry!(env, |e| {
        let s = src(source)?;
        let b = opt_bytes(e, &contents)?;
        // SAFETY: checked by tag; locals borrowed for the call.
        check(unsafe { sigfresh_source_handle_file(s, now_ms, b.as_ptr(), b.len()) })
    })
}

#[no_mangle]
pub extern "system" fn Java_dev_sigfresh_internal_JniNative_sourceHandleProcess<'l>(
    mut env: EnvUnowned<'l>,
    _this: JObject<'l>,
    source: i64,
    now_ms: i64,
    exit_code: i64,
    stdout: JByteArray<'l>,
) {
    entry!(env, |e| {
        let s = src(source)?;
        let b = opt_bytes(e, &stdout)?;
        let code = if exit_code == ABSENT {
            None
        } else {
            Some(i32::try_from(exit_code).map_err(|_| invalid("exitCode", "is not an int"))?)
        };
        let cp = code.as_ref().map_or(core::ptr::null(), |c| c as *const i32);
        // SAFETY: checked by tag; locals borrowed for the call.
        check(unsafe { sigfresh_source_handle_process(s, now_ms, cp, b.as_ptr(), b.len()) })
    })
}

#[no_mangle]
pub extern "system" fn Java_dev_sigfresh_internal_JniNative_sourceHandleResolved<'l>(
    mut env: EnvUnowned<'l>,
    _this: JObject<'l>,
    source: i64,
    now_ms: i64,
    addresses: JObjectArray<'l, JString<'l>>,
) {
    entry!(env, |e| {
        let s = src(source)?;
        let a = strings(e, &addresses, "addresses")?;
        let strs = c_strs(&a);
        // SAFETY: checked by tag; locals borrowed for the call.
        check(unsafe { sigfresh_source_handle_resolved(s, now_ms, strs.as_ptr(), strs.len()) })
    })
}

#[no_mangle]
pub extern "system" fn Java_dev_sigfresh_internal_JniNative_sourceHandleIoFailure<'l>(
    mut env: EnvUnowned<'l>,
    _this: JObject<'l>,
    source: i64,
    now_ms: i64,
    action: i32,
    failure: i32,
    detail: JString<'l>,
) {
    entry!(env, |e| {
        let s = src(source)?;
        let d = opt_string(e, &detail, "detail")?.unwrap_or_default();
        // SAFETY: checked by tag; locals borrowed for the call.
        check(unsafe {
            sigfresh_source_handle_io_failure(
                s,
                now_ms,
                action as u32,
                failure as u32,
                d.as_ptr().cast(),
                d.len(),
            )
        })
    })
}

#[no_mangle]
pub extern "system" fn Java_dev_sigfresh_internal_JniNative_sourceExplain<'l>(
    mut env: EnvUnowned<'l>,
    _this: JObject<'l>,
    source: i64,
) -> JObject<'l> {
    entry!(env, |e| {
        let s = src(source)?.cast_const();
        // SAFETY: checked by tag; the buffer is ours.
        let t =
            read_buf(|b, n, l| unsafe { sigfresh_source_explain(s, b, n, l) })?.unwrap_or_default();
        Ok(JString::from_str(e, t)?.into())
    })
}

#[no_mangle]
pub extern "system" fn Java_dev_sigfresh_internal_JniNative_sourceWarnings<'l>(
    mut env: EnvUnowned<'l>,
    _this: JObject<'l>,
    source: i64,
) -> JObject<'l> {
    entry!(env, |e| {
        let s = src(source)?.cast_const();
        let mut n = 0usize;
        // SAFETY: checked by tag; outputs are ours.
        check(unsafe { sigfresh_source_warning_count(s, &mut n) })?;
        let mut out = Vec::with_capacity(n);
        for i in 0..n {
            // SAFETY: as above.
            if let Some(w) =
                read_buf(|b, len, l| unsafe { sigfresh_source_warning(s, i, b, len, l) })?
            {
                out.push(w);
            }
        }
        Ok(new_strings_all(e, &out)?.into())
    })
}
