//! JNI entry points for the Java binding (`dev.sigfresh.internal.JniNative`), behind the `jni`
//! feature. Conventions: `java/BINDING.md`.
//!
//! Each `Java_dev_sigfresh_internal_JniNative_*` function is one native crossing: it converts
//! the Java arguments, calls the C ABI functions of this crate (so a handle made here is a C
//! handle and the other way round, which the Panama binding relies on), converts the results
//! and throws `dev.sigfresh.SigfreshException` on failure. No rule lives here.
//!
//! Panic boundary: [`jni::EnvUnowned::with_env`] wraps the body in `catch_unwind`; the
//! [`ThrowSigfresh`] policy turns a panic into a `SigfreshException` with `SIGFRESH_PANIC` and
//! an error into one with the C result code and the thread's last-error detail. A JNI failure
//! that left a Java exception pending (an `OutOfMemoryError`) is left to propagate.
//!
//! The module is excluded from cbindgen (`ffi/cbindgen.toml`): `include/sigfresh.h` does not
//! change with the feature.

use crate::handle::{sigfresh_bytes, sigfresh_pair, sigfresh_str};
use crate::result::*;
use ::jni::errors::ErrorPolicy;
use ::jni::objects::{JByteArray, JLongArray, JObject, JObjectArray, JString, JThrowable};
use ::jni::{jni_sig, jni_str, Env, JValue};
use core::ffi::c_char;

mod classify;
mod credentials;
mod packed;
mod refresh;
mod sign;
mod source;

/// `NativeApi.ABSENT_TIME`.
pub(crate) const ABSENT: i64 = i64::MIN;

/// A failed JNI call: a C result code with its detail, or a JNI error.
pub(crate) enum JErr {
    /// A `SIGFRESH_*` code and the detail (never a secret).
    Code(sigfresh_result, String),
    /// The JNI layer failed (a Java exception may be pending).
    Jni(::jni::errors::Error),
}

impl From<::jni::errors::Error> for JErr {
    fn from(e: ::jni::errors::Error) -> Self {
        JErr::Jni(e)
    }
}

pub(crate) type JRes<T> = Result<T, JErr>;

/// Turns a C result into `Ok` or the error with the thread's last-error detail.
pub(crate) fn check(code: sigfresh_result) -> JRes<()> {
    if code == SIGFRESH_OK {
        Ok(())
    } else {
        Err(JErr::Code(code, with_last_error(|s| s.to_owned())))
    }
}

/// As [`check`], with `SIGFRESH_ABSENT` as `Ok(false)`.
pub(crate) fn check_present(code: sigfresh_result) -> JRes<bool> {
    if code == SIGFRESH_ABSENT {
        Ok(false)
    } else {
        check(code).map(|()| true)
    }
}

pub(crate) fn null_arg(arg: &str) -> JErr {
    JErr::Code(SIGFRESH_NULL_PARAMETER, format!("`{arg}` is null"))
}

pub(crate) fn invalid(arg: &str, why: &str) -> JErr {
    JErr::Code(SIGFRESH_INVALID_ARGUMENT, format!("`{arg}`: {why}"))
}

/// The error policy of every entry point: throw `dev.sigfresh.SigfreshException`.
pub(crate) struct ThrowSigfresh;

fn throw_sigfresh(
    env: &mut Env<'_>,
    code: sigfresh_result,
    detail: &str,
) -> ::jni::errors::Result<()> {
    // SAFETY: sigfresh_result_name returns a static NUL-terminated string for every code.
    let name = unsafe { core::ffi::CStr::from_ptr(sigfresh_result_name(code)) };
    let name = JString::from_str(env, name.to_string_lossy())?;
    let detail = JString::from_str(env, detail)?;
    let obj = env.new_object(
        jni_str!("dev/sigfresh/SigfreshException"),
        jni_sig!("(ILjava/lang/String;Ljava/lang/String;)V"),
        &[
            JValue::Int(code as i32),
            JValue::from(&name),
            JValue::from(&detail),
        ],
    )?;
    let throwable = env.cast_local::<JThrowable<'_>>(obj)?;
    env.throw(throwable)
}

impl<T: Default> ErrorPolicy<T, JErr> for ThrowSigfresh {
    type Captures<'unowned_env_local: 'native_method, 'native_method> = ();

    fn on_error<'unowned_env_local: 'native_method, 'native_method>(
        env: &mut Env<'unowned_env_local>,
        _cap: &mut (),
        err: JErr,
    ) -> ::jni::errors::Result<T> {
        if env.exception_check() {
            // A Java exception (e.g. OutOfMemoryError) is already on its way.
            return Ok(T::default());
        }
        match err {
            JErr::Code(code, detail) => throw_sigfresh(env, code, &detail)?,
            JErr::Jni(e) => throw_sigfresh(env, SIGFRESH_INVALID_ARGUMENT, &format!("JNI: {e}"))?,
        }
        Ok(T::default())
    }

    fn on_panic<'unowned_env_local: 'native_method, 'native_method>(
        env: &mut Env<'unowned_env_local>,
        _cap: &mut (),
        payload: Box<dyn std::any::Any + Send + 'static>,
    ) -> ::jni::errors::Result<T> {
        let msg = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        if env.exception_check() {
            env.exception_clear();
        }
        throw_sigfresh(
            env,
            SIGFRESH_PANIC,
            &format!("internal error (panic caught at the JNI boundary): {msg}"),
        )?;
        Ok(T::default())
    }
}

/// Runs one entry point body inside the panic boundary with the [`ThrowSigfresh`] policy.
macro_rules! entry {
    ($env:ident, |$e:ident| $body:expr) => {
        $env.with_env(|$e: &mut ::jni::Env<'_>| -> $crate::jni::JRes<_> { $body })
            .resolve::<$crate::jni::ThrowSigfresh>()
    };
}
pub(crate) use entry;

// ---------------------------------------------------------------- Java → Rust

/// A non-null Java string as UTF-8 Rust text, converted from the JVM's UTF-16 chars
/// (`GetStringRegion`), not from JNI's "modified UTF-8". An unpaired surrogate is
/// `SIGFRESH_INVALID_UTF8` naming `arg` and the char index (never the text), as the Panama
/// binding and the C ABI's rule: invalid text is an error, never replaced.
pub(crate) fn string(env: &Env<'_>, s: &JString<'_>, arg: &str) -> JRes<String> {
    if s.is_null() {
        return Err(null_arg(arg));
    }
    let raw = env.get_raw();
    // SAFETY: `raw` is this thread's live JNIEnv; `s` is a non-null local reference to a
    // java.lang.String; GetStringRegion (JNI 1.2, every supported JVM) writes `len` chars into a
    // buffer of exactly that size and cannot go out of bounds for 0..len.
    let mut units = unsafe {
        let iface = *raw;
        let len = ((*iface).v1_1.GetStringLength)(raw, s.as_raw());
        let mut units = vec![0u16; usize::try_from(len).unwrap_or(0)];
        ((*iface).v1_2.GetStringRegion)(raw, s.as_raw(), 0, len, units.as_mut_ptr());
        units
    };
    let text = utf16_to_string(&units, arg);
    // The chars may be a secret: wipe the copy.
    units.iter_mut().for_each(|u| {
        // SAFETY: a valid, aligned `&mut u16`; volatile so the wipe is not optimized away.
        unsafe { core::ptr::write_volatile(u, 0) }
    });
    if env.exception_check() {
        return Err(JErr::Jni(::jni::errors::Error::JavaException));
    }
    text
}

/// UTF-16 → UTF-8, an unpaired surrogate being `SIGFRESH_INVALID_UTF8` with its char index.
pub(crate) fn utf16_to_string(units: &[u16], arg: &str) -> JRes<String> {
    // Room for the worst case (3 bytes per unit), so no reallocation leaves a copy behind.
    let mut out = String::with_capacity(units.len() * 3);
    let mut index = 0usize;
    for c in char::decode_utf16(units.iter().copied()) {
        match c {
            Ok(c) => {
                out.push(c);
                index += c.len_utf16();
            }
            Err(_) => {
                // SAFETY: zero bytes are valid UTF-8; wipes what may be part of a secret.
                unsafe { out.as_bytes_mut() }.fill(0);
                return Err(JErr::Code(
                    SIGFRESH_INVALID_UTF8,
                    format!("`{arg}`: unpaired UTF-16 surrogate at char index {index}"),
                ));
            }
        }
    }
    Ok(out)
}

/// A nullable Java string (see [`string`]).
pub(crate) fn opt_string(env: &Env<'_>, s: &JString<'_>, arg: &str) -> JRes<Option<String>> {
    if s.is_null() {
        Ok(None)
    } else {
        string(env, s, arg).map(Some)
    }
}

/// A non-null `String[]` (null elements are errors).
pub(crate) fn strings(
    env: &mut Env<'_>,
    a: &JObjectArray<'_, JString<'_>>,
    arg: &str,
) -> JRes<Vec<String>> {
    if a.is_null() {
        return Err(null_arg(arg));
    }
    let n = a.len(env)?;
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let s = a.get_element(env, i)?;
        if s.is_null() {
            return Err(null_arg(&format!("{arg}[{i}]")));
        }
        out.push(string(env, &s, &format!("{arg}[{i}]"))?);
        env.delete_local_ref(s);
    }
    Ok(out)
}

/// A nullable `String[]` (null → empty).
pub(crate) fn opt_strings(
    env: &mut Env<'_>,
    a: &JObjectArray<'_, JString<'_>>,
    arg: &str,
) -> JRes<Vec<String>> {
    if a.is_null() {
        Ok(Vec::new())
    } else {
        strings(env, a, arg)
    }
}

/// Flat name/value pairs from a `String[]`.
pub(crate) fn pairs_text(
    env: &mut Env<'_>,
    a: &JObjectArray<'_, JString<'_>>,
    arg: &str,
) -> JRes<Vec<String>> {
    let v = strings(env, a, arg)?;
    if v.len() % 2 != 0 {
        return Err(invalid(
            arg,
            "has an odd length (expected name/value pairs)",
        ));
    }
    Ok(v)
}

/// C pairs borrowing from flat text.
pub(crate) fn c_pairs(flat: &[String]) -> Vec<sigfresh_pair> {
    flat.chunks_exact(2)
        .map(|p| sigfresh_pair::of(&p[0], &p[1]))
        .collect()
}

/// C strs borrowing from text.
pub(crate) fn c_strs(v: &[String]) -> Vec<sigfresh_str> {
    v.iter().map(|s| sigfresh_str::of(s)).collect()
}

/// `(ptr, len)` of an optional string (NULL for none).
pub(crate) fn opt_ptr(s: &Option<String>) -> (*const c_char, usize) {
    match s {
        Some(s) => (s.as_ptr().cast(), s.len()),
        None => (core::ptr::null(), 0),
    }
}

/// A nullable `byte[]` (null → empty).
pub(crate) fn opt_bytes(env: &Env<'_>, a: &JByteArray<'_>) -> JRes<Vec<u8>> {
    if a.is_null() {
        Ok(Vec::new())
    } else {
        Ok(env.convert_byte_array(a)?)
    }
}

/// A non-null `byte[]`.
pub(crate) fn bytes(env: &Env<'_>, a: &JByteArray<'_>, arg: &str) -> JRes<Vec<u8>> {
    if a.is_null() {
        return Err(null_arg(arg));
    }
    Ok(env.convert_byte_array(a)?)
}

/// A non-null `long[]` of exactly `len` slots.
pub(crate) fn longs(env: &Env<'_>, a: &JLongArray<'_>, len: usize, arg: &str) -> JRes<Vec<i64>> {
    if a.is_null() {
        return Err(null_arg(arg));
    }
    let n = a.len(env)?;
    if n != len {
        return Err(invalid(arg, &format!("has {n} slots, expected {len}")));
    }
    let mut v = vec![0i64; n];
    a.get_region(env, 0, &mut v)?;
    Ok(v)
}

/// A non-null `long[]` of any length.
pub(crate) fn all_longs(env: &Env<'_>, a: &JLongArray<'_>, arg: &str) -> JRes<Vec<i64>> {
    if a.is_null() {
        return Err(null_arg(arg));
    }
    let n = a.len(env)?;
    let mut v = vec![0i64; n];
    a.get_region(env, 0, &mut v)?;
    Ok(v)
}

/// A non-zero handle as a pointer.
pub(crate) fn handle<T>(h: i64, arg: &str) -> JRes<*const T> {
    if h == 0 {
        Err(null_arg(arg))
    } else {
        Ok(h as usize as *const T)
    }
}

/// An optional handle (0 → NULL).
pub(crate) fn opt_handle<T>(h: i64) -> *const T {
    h as usize as *const T
}

/// A pointer as a Java handle.
pub(crate) fn to_handle<T>(p: *const T) -> i64 {
    p as usize as i64
}

/// A payload struct borrowing `data`.
pub(crate) fn payload(kind: i32, data: &[u8]) -> crate::sign::sigfresh_payload {
    crate::sign::sigfresh_payload {
        kind: kind as u32,
        data: data.as_ptr(),
        data_len: data.len(),
    }
}

// ---------------------------------------------------------------- Rust → Java

/// A new `String[]` from Rust strings (`None` → null element).
pub(crate) fn new_strings<'l, S: AsRef<str>>(
    env: &mut Env<'l>,
    items: &[Option<S>],
) -> JRes<JObjectArray<'l, JString<'l>>> {
    let arr = JObjectArray::<JString<'_>>::new(env, items.len(), JString::null())?;
    for (i, s) in items.iter().enumerate() {
        if let Some(s) = s {
            let js = JString::from_str(env, s.as_ref())?;
            arr.set_element(env, i, &js)?;
            env.delete_local_ref(js);
        }
    }
    Ok(arr)
}

/// A new `String[]` from non-null strings.
pub(crate) fn new_strings_all<'l, S: AsRef<str>>(
    env: &mut Env<'l>,
    items: &[S],
) -> JRes<JObjectArray<'l, JString<'l>>> {
    let arr = JObjectArray::<JString<'_>>::new(env, items.len(), JString::null())?;
    for (i, s) in items.iter().enumerate() {
        let js = JString::from_str(env, s.as_ref())?;
        arr.set_element(env, i, &js)?;
        env.delete_local_ref(js);
    }
    Ok(arr)
}

/// A new `long[]`.
pub(crate) fn new_longs<'l>(env: &mut Env<'l>, v: &[i64]) -> JRes<JObject<'l>> {
    let arr = JLongArray::new(env, v.len())?;
    arr.set_region(env, 0, v)?;
    Ok(arr.into())
}

/// A new `Object[]` from local references (consumed).
pub(crate) fn new_objects<'l>(env: &mut Env<'l>, items: Vec<JObject<'l>>) -> JRes<JObject<'l>> {
    let arr = JObjectArray::<JObject<'_>>::new(env, items.len(), JObject::null())?;
    for (i, o) in items.into_iter().enumerate() {
        arr.set_element(env, i, &o)?;
        env.delete_local_ref(o);
    }
    Ok(arr.into())
}

/// Borrowed C text as Rust text (lossless for the library's UTF-8 output).
///
/// # Safety
/// `s` points at `s.len` readable bytes (or is empty).
pub(crate) unsafe fn str_of(s: &sigfresh_str) -> String {
    if s.ptr.is_null() || s.len == 0 {
        return String::new();
    }
    // SAFETY: the caller's contract.
    let b = unsafe { core::slice::from_raw_parts(s.ptr.cast::<u8>(), s.len) };
    String::from_utf8_lossy(b).into_owned()
}

/// Borrowed C bytes.
///
/// # Safety
/// `b` points at `b.len` readable bytes (or is empty).
pub(crate) unsafe fn bytes_of(b: &sigfresh_bytes) -> Vec<u8> {
    if b.ptr.is_null() || b.len == 0 {
        return Vec::new();
    }
    // SAFETY: the caller's contract.
    unsafe { core::slice::from_raw_parts(b.ptr, b.len) }.to_vec()
}

/// Reads a caller-buffer text output: asks for the size, then fills. `ABSENT` → `None`.
pub(crate) fn read_buf(
    mut f: impl FnMut(*mut c_char, usize, *mut usize) -> sigfresh_result,
) -> JRes<Option<String>> {
    let mut buf = vec![0u8; 256];
    loop {
        let mut len = 0usize;
        let code = f(buf.as_mut_ptr().cast(), buf.len(), &mut len);
        if code == SIGFRESH_BUFFER_TOO_SMALL && len > buf.len() {
            buf = vec![0u8; len];
            continue;
        }
        if !check_present(code)? {
            return Ok(None);
        }
        buf.truncate(len);
        return Ok(Some(String::from_utf8_lossy(&buf).into_owned()));
    }
}

/// As [`read_buf`], absent being an error.
pub(crate) fn read_buf_req(
    f: impl FnMut(*mut c_char, usize, *mut usize) -> sigfresh_result,
    what: &str,
) -> JRes<String> {
    read_buf(f)?.ok_or_else(|| JErr::Code(SIGFRESH_ABSENT, format!("{what}: not present")))
}

/// A zeroed C output struct (all fields are integers, bools or pointers).
pub(crate) fn zeroed<T: Copy>() -> T {
    // SAFETY: only used for the crate's repr(C) output structs, whose fields are integers,
    // bools and raw pointers, all valid as zero.
    unsafe { core::mem::zeroed() }
}

// ---------------------------------------------------------------- meta

use ::jni::EnvUnowned;

#[no_mangle]
pub extern "system" fn Java_dev_sigfresh_internal_JniNative_version<'l>(
    mut env: EnvUnowned<'l>,
    _this: JObject<'l>,
) -> JObject<'l> {
    entry!(env, |e| Ok(JString::from_str(e, sigfresh::VERSION)?.into()))
}

#[no_mangle]
pub extern "system" fn Java_dev_sigfresh_internal_JniNative_resultName<'l>(
    mut env: EnvUnowned<'l>,
    _this: JObject<'l>,
    code: i32,
) -> JObject<'l> {
    entry!(env, |e| {
        // SAFETY: static NUL-terminated text.
        let s = unsafe { core::ffi::CStr::from_ptr(sigfresh_result_name(code as u32)) };
        Ok(JString::from_str(e, s.to_string_lossy())?.into())
    })
}

#[no_mangle]
pub extern "system" fn Java_dev_sigfresh_internal_JniNative_resultMessage<'l>(
    mut env: EnvUnowned<'l>,
    _this: JObject<'l>,
    code: i32,
) -> JObject<'l> {
    entry!(env, |e| {
        // SAFETY: static NUL-terminated text.
        let s = unsafe { core::ffi::CStr::from_ptr(sigfresh_result_message(code as u32)) };
        Ok(JString::from_str(e, s.to_string_lossy())?.into())
    })
}
