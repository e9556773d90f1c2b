//! Credentials, credential documents, profile sets and timestamps.

use super::*;
use crate::credentials::*;
use crate::document::*;
use crate::time::*;
use ::jni::EnvUnowned;

type Creds = sigfresh_credentials;

/// Runs a C constructor that writes a credentials handle.
fn new_creds(f: impl FnOnce(*mut *const Creds) -> sigfresh_result) -> JRes<i64> {
    let mut out: *const Creds = core::ptr::null();
    check(f(&mut out))?;
    Ok(to_handle(out))
}

#[no_mangle]
pub extern "system" fn Java_dev_sigfresh_internal_JniNative_credentialsNew<'l>(
    mut env: EnvUnowned<'l>,
    _this: JObject<'l>,
    access_key_id: JString<'l>,
    secret_access_key: JString<'l>,
    session_token: JString<'l>,
    expiry_ms: i64,
    account_id: JString<'l>,
    source: i32,
) -> i64 {
    entry!(env, |e| {
        let akid = string(e, &access_key_id, "accessKeyId")?;
        let secret = zeroize_on_drop(string(e, &secret_access_key, "secretAccessKey")?);
        let token = zeroize_on_drop_opt(opt_string(e, &session_token, "sessionToken")?);
        let account = opt_string(e, &account_id, "accountId")?;
        let (tp, tl) = opt_ptr(&token.0);
        let (ap, al) = opt_ptr(&account);
        let expiry = (expiry_ms != ABSENT).then_some(expiry_ms);
        let ep = expiry
            .as_ref()
            .map_or(core::ptr::null(), |e| e as *const i64);
        new_creds(|o| {
            // SAFETY: every pointer is valid for its length for the call.
            unsafe {
                sigfresh_credentials_new(
                    akid.as_ptr().cast(),
                    akid.len(),
                    secret.0.as_ptr().cast(),
                    secret.0.len(),
                    tp,
                    tl,
                    ep,
                    ap,
                    al,
                    source as u32,
                    o,
                )
            }
        })
    })
}

/// A secret copied out of Java, wiped when dropped.
struct Wiped(String);
impl Drop for Wiped {
    fn drop(&mut self) {
        // SAFETY: writing zero bytes keeps the String valid UTF-8.
        unsafe { self.0.as_bytes_mut() }.fill(0);
    }
}
fn zeroize_on_drop(s: String) -> Wiped {
    Wiped(s)
}
struct WipedOpt(Option<String>);
impl Drop for WipedOpt {
    fn drop(&mut self) {
        if let Some(s) = self.0.as_mut() {
            // SAFETY: writing zero bytes keeps the String valid UTF-8.
            unsafe { s.as_bytes_mut() }.fill(0);
        }
    }
}
fn zeroize_on_drop_opt(s: Option<String>) -> WipedOpt {
    WipedOpt(s)
}

#[no_mangle]
pub extern "system" fn Java_dev_sigfresh_internal_JniNative_credentialsFree<'l>(
    mut env: EnvUnowned<'l>,
    _this: JObject<'l>,
    credentials: i64,
) {
    entry!(env, |_e| {
        // SAFETY: a handle from this library (or 0); checked by tag.
        check(unsafe { sigfresh_credentials_free(opt_handle(credentials)) })
    })
}

#[no_mangle]
pub extern "system" fn Java_dev_sigfresh_internal_JniNative_credentialsText<'l>(
    mut env: EnvUnowned<'l>,
    _this: JObject<'l>,
    credentials: i64,
) -> JObject<'l> {
    entry!(env, |e| {
        let c = handle::<Creds>(credentials, "credentials")?;
        // SAFETY (all three): the handle is checked by tag; the buffer pointers are ours.
        let akid = read_buf_req(
            |b, n, l| unsafe { sigfresh_credentials_access_key_id(c, b, n, l) },
            "access key id",
        )?;
        let account = read_buf(|b, n, l| unsafe { sigfresh_credentials_account_id(c, b, n, l) })?;
        let profile = read_buf(|b, n, l| unsafe { sigfresh_credentials_profile_name(c, b, n, l) })?;
        Ok(new_strings(e, &[Some(akid), account, profile])?.into())
    })
}

#[no_mangle]
pub extern "system" fn Java_dev_sigfresh_internal_JniNative_credentialsInfo<'l>(
    mut env: EnvUnowned<'l>,
    _this: JObject<'l>,
    credentials: i64,
) -> JObject<'l> {
    entry!(env, |e| {
        let c = handle::<Creds>(credentials, "credentials")?;
        let mut has = false;
        let mut expiry = 0i64;
        let mut source = 0u32;
        // SAFETY: the handle is checked by tag; outputs are locals.
        unsafe {
            check(sigfresh_credentials_has_session_token(c, &mut has))?;
            if !check_present(sigfresh_credentials_expiry(c, &mut expiry))? {
                expiry = ABSENT;
            }
            check(sigfresh_credentials_source(c, &mut source))?;
        }
        new_longs(e, &[i64::from(has), expiry, i64::from(source)])
    })
}

#[no_mangle]
pub extern "system" fn Java_dev_sigfresh_internal_JniNative_credentialsExpose<'l>(
    mut env: EnvUnowned<'l>,
    _this: JObject<'l>,
    credentials: i64,
) -> JObject<'l> {
    entry!(env, |e| {
        let c = handle::<Creds>(credentials, "credentials")?;
        // SAFETY (both): the handle is checked by tag; the buffer pointers are ours.
        let secret = Wiped(read_buf_req(
            |b, n, l| unsafe { sigfresh_credentials_secret_access_key_expose(c, b, n, l) },
            "secret access key",
        )?);
        let token = WipedOpt(read_buf(|b, n, l| unsafe {
            sigfresh_credentials_session_token_expose(c, b, n, l)
        })?);
        Ok(new_strings(e, &[Some(secret.0.as_str()), token.0.as_deref()])?.into())
    })
}

// ---------------------------------------------------------------- documents

#[no_mangle]
pub extern "system" fn Java_dev_sigfresh_internal_JniNative_documentParse<'l>(
    mut env: EnvUnowned<'l>,
    _this: JObject<'l>,
    format: i32,
    document: JByteArray<'l>,
) -> i64 {
    entry!(env, |e| {
        let doc = bytes(e, &document, "document")?;
        type Parse = unsafe extern "C" fn(*const u8, usize, *mut *const Creds) -> sigfresh_result;
        let f: Parse = match format as u32 {
            SIGFRESH_FORMAT_INSTANCE_METADATA => sigfresh_document_parse_imds,
            SIGFRESH_FORMAT_CONTAINER => sigfresh_document_parse_container,
            SIGFRESH_FORMAT_PROCESS => sigfresh_document_parse_process,
            SIGFRESH_FORMAT_SSO => sigfresh_document_parse_sso,
            SIGFRESH_FORMAT_STS => sigfresh_document_parse_sts,
            _ => {
                return Err(invalid(
                    "format",
                    &format!("{format} is not a JSON/XML format"),
                ))
            }
        };
        // SAFETY: `doc` is valid for its length; the output is ours.
        new_creds(|o| unsafe { f(doc.as_ptr(), doc.len(), o) })
    })
}

#[no_mangle]
pub extern "system" fn Java_dev_sigfresh_internal_JniNative_documentParseAny<'l>(
    mut env: EnvUnowned<'l>,
    _this: JObject<'l>,
    document: JByteArray<'l>,
) -> JObject<'l> {
    entry!(env, |e| {
        let doc = bytes(e, &document, "document")?;
        let mut format = 0u32;
        // SAFETY: `doc` is valid for its length; outputs are ours.
        let h = new_creds(|o| unsafe {
            sigfresh_document_parse_any(doc.as_ptr(), doc.len(), &mut format, o)
        })?;
        new_longs(e, &[i64::from(format), h])
    })
}

#[no_mangle]
pub extern "system" fn Java_dev_sigfresh_internal_JniNative_documentParseEnv<'l>(
    mut env: EnvUnowned<'l>,
    _this: JObject<'l>,
    vars: JObjectArray<'l, JString<'l>>,
) -> i64 {
    entry!(env, |e| {
        let flat = pairs_text(e, &vars, "vars")?;
        let pairs = c_pairs(&flat);
        // SAFETY: the pairs borrow `flat`, alive for the call.
        new_creds(|o| unsafe { sigfresh_document_parse_env(pairs.as_ptr(), pairs.len(), o) })
    })
}

#[no_mangle]
pub extern "system" fn Java_dev_sigfresh_internal_JniNative_documentFormatName<'l>(
    mut env: EnvUnowned<'l>,
    _this: JObject<'l>,
    format: i32,
) -> JObject<'l> {
    entry!(env, |e| {
        // SAFETY: a static NUL-terminated string.
        let s = unsafe { core::ffi::CStr::from_ptr(sigfresh_document_format_name(format as u32)) };
        Ok(JString::from_str(e, s.to_string_lossy())?.into())
    })
}

// ---------------------------------------------------------------- profile sets

#[no_mangle]
pub extern "system" fn Java_dev_sigfresh_internal_JniNative_profileSetParse<'l>(
    mut env: EnvUnowned<'l>,
    _this: JObject<'l>,
    credentials_text: JString<'l>,
    config_text: JString<'l>,
) -> i64 {
    entry!(env, |e| {
        let creds = opt_string(e, &credentials_text, "credentialsText")?;
        let config = opt_string(e, &config_text, "configText")?;
        let (cp, cl) = opt_ptr(&creds);
        let (fp, fl) = opt_ptr(&config);
        let mut out: *const sigfresh_profile_set = core::ptr::null();
        // SAFETY: pointers valid for their lengths; the output is ours.
        check(unsafe { sigfresh_profile_set_parse(cp, cl, fp, fl, &mut out) })?;
        Ok(to_handle(out))
    })
}

#[no_mangle]
pub extern "system" fn Java_dev_sigfresh_internal_JniNative_profileSetFree<'l>(
    mut env: EnvUnowned<'l>,
    _this: JObject<'l>,
    set: i64,
) {
    entry!(env, |_e| {
        // SAFETY: a handle from this library (or 0); checked by tag.
        check(unsafe { sigfresh_profile_set_free(opt_handle(set)) })
    })
}

#[no_mangle]
pub extern "system" fn Java_dev_sigfresh_internal_JniNative_profileSetNames<'l>(
    mut env: EnvUnowned<'l>,
    _this: JObject<'l>,
    set: i64,
) -> JObject<'l> {
    entry!(env, |e| {
        let s = handle::<sigfresh_profile_set>(set, "set")?;
        let mut n = 0usize;
        // SAFETY: the handle is checked by tag; outputs are locals.
        check(unsafe { sigfresh_profile_set_profile_count(s, &mut n) })?;
        let mut names = Vec::with_capacity(n);
        for i in 0..n {
            let mut v: sigfresh_str = zeroed();
            // SAFETY: as above; `v` borrows from the set, copied at once.
            check(unsafe { sigfresh_profile_set_profile_name(s, i, &mut v) })?;
            names.push(unsafe { str_of(&v) });
        }
        Ok(new_strings_all(e, &names)?.into())
    })
}

type SetGet = unsafe extern "C" fn(
    *const sigfresh_profile_set,
    *const c_char,
    usize,
    *const c_char,
    usize,
    *mut sigfresh_str,
) -> sigfresh_result;

fn set_get<'l>(
    e: &mut Env<'l>,
    set: i64,
    name: &JString<'_>,
    key: &JString<'_>,
    f: SetGet,
) -> JRes<JObject<'l>> {
    let s = handle::<sigfresh_profile_set>(set, "set")?;
    let name = string(e, name, "name")?;
    let key = string(e, key, "key")?;
    let mut v: sigfresh_str = zeroed();
    // SAFETY: pointers valid for their lengths; `v` borrows from the set, copied at once.
    let code = unsafe {
        f(
            s,
            name.as_ptr().cast(),
            name.len(),
            key.as_ptr().cast(),
            key.len(),
            &mut v,
        )
    };
    if code == SIGFRESH_ABSENT || code == SIGFRESH_NOT_FOUND {
        return Ok(JObject::null());
    }
    check(code)?;
    // SAFETY: as above.
    let text = unsafe { str_of(&v) };
    Ok(JString::from_str(e, text)?.into())
}

#[no_mangle]
pub extern "system" fn Java_dev_sigfresh_internal_JniNative_profileSetGet<'l>(
    mut env: EnvUnowned<'l>,
    _this: JObject<'l>,
    set: i64,
    profile: JString<'l>,
    key: JString<'l>,
) -> JObject<'l> {
    entry!(env, |e| set_get(
        e,
        set,
        &profile,
        &key,
        sigfresh_profile_set_get
    ))
}

#[no_mangle]
pub extern "system" fn Java_dev_sigfresh_internal_JniNative_profileSetSsoSessionGet<'l>(
    mut env: EnvUnowned<'l>,
    _this: JObject<'l>,
    set: i64,
    session: JString<'l>,
    key: JString<'l>,
) -> JObject<'l> {
    entry!(env, |e| set_get(
        e,
        set,
        &session,
        &key,
        sigfresh_profile_set_sso_session_get
    ))
}

#[no_mangle]
pub extern "system" fn Java_dev_sigfresh_internal_JniNative_profileSetCredentials<'l>(
    mut env: EnvUnowned<'l>,
    _this: JObject<'l>,
    set: i64,
    profile: JString<'l>,
) -> i64 {
    entry!(env, |e| {
        let s = handle::<sigfresh_profile_set>(set, "set")?;
        let name = string(e, &profile, "profile")?;
        // SAFETY: pointers valid for their lengths; the output is ours.
        new_creds(|o| unsafe {
            sigfresh_profile_set_credentials(s, name.as_ptr().cast(), name.len(), o)
        })
    })
}

// ---------------------------------------------------------------- time

#[no_mangle]
pub extern "system" fn Java_dev_sigfresh_internal_JniNative_timeParse<'l>(
    mut env: EnvUnowned<'l>,
    _this: JObject<'l>,
    kind: i32,
    text: JString<'l>,
) -> i64 {
    entry!(env, |e| {
        let t = string(e, &text, "text")?;
        type Parse = unsafe extern "C" fn(*const c_char, usize, *mut i64) -> sigfresh_result;
        let f: Parse = match kind {
            0 => sigfresh_time_parse_rfc3339,
            1 => sigfresh_time_parse_amz_date,
            2 => sigfresh_time_parse_http_date,
            _ => return Err(invalid("kind", &format!("{kind} is not a time format"))),
        };
        let mut ms = 0i64;
        // SAFETY: `t` is valid for its length; the output is a local.
        check(unsafe { f(t.as_ptr().cast(), t.len(), &mut ms) })?;
        Ok(ms)
    })
}

#[no_mangle]
pub extern "system" fn Java_dev_sigfresh_internal_JniNative_timeFormat<'l>(
    mut env: EnvUnowned<'l>,
    _this: JObject<'l>,
    kind: i32,
    ms: i64,
) -> JObject<'l> {
    entry!(env, |e| {
        type Format = unsafe extern "C" fn(i64, *mut c_char, usize, *mut usize) -> sigfresh_result;
        let f: Format = match kind {
            0 => sigfresh_time_format_rfc3339,
            1 => sigfresh_time_format_amz_date,
            _ => return Err(invalid("kind", &format!("{kind} is not a time format"))),
        };
        // SAFETY: the buffer pointers are ours.
        let s = read_buf_req(|b, n, l| unsafe { f(ms, b, n, l) }, "time")?;
        Ok(JString::from_str(e, s)?.into())
    })
}
