//! Error classification and clock-skew correction.

use super::*;
use crate::classify::*;
use crate::credentials::sigfresh_credentials;
use crate::skew::*;
use ::jni::EnvUnowned;

#[no_mangle]
pub extern "system" fn Java_dev_sigfresh_internal_JniNative_classify<'l>(
    mut env: EnvUnowned<'l>,
    _this: JObject<'l>,
    status: i32,
    headers: JObjectArray<'l, JString<'l>>,
    body: JByteArray<'l>,
    skew: i64,
    local_now_ms: i64,
    credentials: i64,
) -> JObject<'l> {
    entry!(env, |e| {
        let flat = pairs_text(e, &headers, "headers")?;
        let pairs = c_pairs(&flat);
        let b = opt_bytes(e, &body)?;
        let status = u16::try_from(status).map_err(|_| invalid("status", "is not 0..=65535"))?;
        let mut c: *const sigfresh_classification = core::ptr::null();
        // SAFETY: locals borrowed for the call; the skew handle (optional) is checked by tag.
        check(unsafe {
            sigfresh_classification_new(
                status,
                pairs.as_ptr(),
                pairs.len(),
                b.as_ptr(),
                b.len(),
                opt_handle::<sigfresh_clock_skew>(skew),
                local_now_ms,
                &mut c,
            )
        })?;
        struct G(*const sigfresh_classification);
        impl Drop for G {
            fn drop(&mut self) {
                // SAFETY: made in this call.
                let _ = unsafe { sigfresh_classification_free(self.0) };
            }
        }
        let _g = G(c);
        let mut n = [0i64; 11];
        let (mut action, mut kind, mut st, mut verdict) = (0u32, 0u32, 0u16, 0u32);
        let (mut server, mut skew_ms) = (0i64, 0i64);
        let mut change: sigfresh_skew_change = zeroed();
        let (mut code, mut message): (sigfresh_str, sigfresh_str) = (zeroed(), zeroed());
        let (mut creq, mut sts): (sigfresh_str, sigfresh_str) = (zeroed(), zeroed());
        let mut texts: [Option<String>; 5] = [None, None, None, None, None];
        // SAFETY: `c` is live until the guard drops; outputs are locals; borrowed text is
        // copied at once.
        unsafe {
            check(sigfresh_classification_action(c, &mut action))?;
            check(sigfresh_classification_kind(c, &mut kind))?;
            check(sigfresh_classification_status(c, &mut st))?;
            n[0] = i64::from(action);
            n[1] = i64::from(kind);
            n[2] = i64::from(st);
            n[3] = if check_present(sigfresh_classification_server_time(c, &mut server))? {
                server
            } else {
                ABSENT
            };
            n[4] = if check_present(sigfresh_classification_skew_ms(c, &mut skew_ms))? {
                skew_ms
            } else {
                ABSENT
            };
            n[5] = if check_present(sigfresh_classification_skew_verdict(c, &mut verdict))? {
                i64::from(verdict)
            } else {
                -1
            };
            if check_present(sigfresh_classification_skew_change(c, &mut change))? {
                n[6] = i64::from(change.kind);
                n[7] = change.previous_ms;
                n[8] = change.offset_ms;
                n[9] = change.measured_ms;
            } else {
                n[6] = -1;
            }
            n[10] = if credentials != 0 {
                let mut a = 0u32;
                check(sigfresh_classification_action_for_source(
                    c,
                    handle::<sigfresh_credentials>(credentials, "credentials")?,
                    &mut a,
                ))?;
                i64::from(a)
            } else {
                -1
            };
            if check_present(sigfresh_classification_code(c, &mut code))? {
                texts[0] = Some(str_of(&code));
            }
            if check_present(sigfresh_classification_message(c, &mut message))? {
                texts[1] = Some(str_of(&message));
            }
            texts[2] = read_buf(|b, len, l| sigfresh_classification_explain(c, b, len, l))?;
            if check_present(sigfresh_classification_canonical_request(c, &mut creq))? {
                texts[3] = Some(str_of(&creq));
            }
            if check_present(sigfresh_classification_string_to_sign(c, &mut sts))? {
                texts[4] = Some(str_of(&sts));
            }
        }
        let o0 = new_longs(e, &n)?;
        let o1: JObject<'_> = new_strings(e, &texts)?.into();
        new_objects(e, vec![o0, o1])
    })
}

fn skew_h(h: i64) -> JRes<*const sigfresh_clock_skew> {
    handle::<sigfresh_clock_skew>(h, "skew")
}

#[no_mangle]
pub extern "system" fn Java_dev_sigfresh_internal_JniNative_skewNew<'l>(
    mut env: EnvUnowned<'l>,
    _this: JObject<'l>,
    threshold_ms: i64,
) -> i64 {
    entry!(env, |_e| {
        let mut s: *const sigfresh_clock_skew = core::ptr::null();
        // SAFETY: the output is a local.
        check(unsafe {
            if threshold_ms == ABSENT {
                sigfresh_clock_skew_new(&mut s)
            } else {
                sigfresh_clock_skew_new_with_threshold(threshold_ms, &mut s)
            }
        })?;
        Ok(to_handle(s))
    })
}

#[no_mangle]
pub extern "system" fn Java_dev_sigfresh_internal_JniNative_skewFree<'l>(
    mut env: EnvUnowned<'l>,
    _this: JObject<'l>,
    skew: i64,
) {
    // SAFETY: a handle from this library (or 0); checked by tag.
    entry!(env, |_e| check(unsafe {
        sigfresh_clock_skew_free(opt_handle(skew))
    }))
}

#[no_mangle]
pub extern "system" fn Java_dev_sigfresh_internal_JniNative_skewInfo<'l>(
    mut env: EnvUnowned<'l>,
    _this: JObject<'l>,
    skew: i64,
) -> JObject<'l> {
    entry!(env, |e| {
        let s = skew_h(skew)?;
        let (mut t, mut o) = (0i64, 0i64);
        // SAFETY: checked by tag; outputs are locals.
        unsafe {
            check(sigfresh_clock_skew_threshold(s, &mut t))?;
            check(sigfresh_clock_skew_offset(s, &mut o))?;
        }
        new_longs(e, &[t, o])
    })
}

#[no_mangle]
pub extern "system" fn Java_dev_sigfresh_internal_JniNative_skewCorrected<'l>(
    mut env: EnvUnowned<'l>,
    _this: JObject<'l>,
    skew: i64,
    local_now_ms: i64,
) -> i64 {
    entry!(env, |_e| {
        let s = skew_h(skew)?;
        let mut t = 0i64;
        // SAFETY: checked by tag; the output is a local.
        check(unsafe { sigfresh_clock_skew_corrected(s, local_now_ms, &mut t) })?;
        Ok(t)
    })
}

#[no_mangle]
pub extern "system" fn Java_dev_sigfresh_internal_JniNative_skewObserve<'l>(
    mut env: EnvUnowned<'l>,
    _this: JObject<'l>,
    skew: i64,
    server_time_ms: i64,
    request_sent_ms: i64,
    response_received_ms: i64,
) -> JObject<'l> {
    entry!(env, |e| {
        let s = skew_h(skew)?;
        let mut ch: sigfresh_skew_change = zeroed();
        // SAFETY: checked by tag; the output is a local.
        let code = unsafe {
            if response_received_ms == ABSENT {
                sigfresh_clock_skew_observe(s, server_time_ms, request_sent_ms, &mut ch)
            } else {
                sigfresh_clock_skew_observe_round_trip(
                    s,
                    server_time_ms,
                    request_sent_ms,
                    response_received_ms,
                    &mut ch,
                )
            }
        };
        if !check_present(code)? {
            return Ok(JObject::null());
        }
        new_longs(
            e,
            &[
                i64::from(ch.kind),
                ch.previous_ms,
                ch.offset_ms,
                ch.measured_ms,
            ],
        )
    })
}

#[no_mangle]
pub extern "system" fn Java_dev_sigfresh_internal_JniNative_skewObserveDateHeader<'l>(
    mut env: EnvUnowned<'l>,
    _this: JObject<'l>,
    skew: i64,
    date: JString<'l>,
    local_now_ms: i64,
) -> i64 {
    entry!(env, |e| {
        let s = skew_h(skew)?;
        let d = string(e, &date, "date")?;
        let mut m = 0i64;
        // SAFETY: checked by tag; locals borrowed for the call.
        check(unsafe {
            sigfresh_clock_skew_observe_date_header(
                s,
                d.as_ptr().cast(),
                d.len(),
                local_now_ms,
                &mut m,
            )
        })?;
        Ok(m)
    })
}

#[no_mangle]
pub extern "system" fn Java_dev_sigfresh_internal_JniNative_skewReset<'l>(
    mut env: EnvUnowned<'l>,
    _this: JObject<'l>,
    skew: i64,
) {
    entry!(env, |_e| {
        let s = skew_h(skew)?;
        // SAFETY: checked by tag.
        check(unsafe { sigfresh_clock_skew_reset(s) })
    })
}

#[no_mangle]
pub extern "system" fn Java_dev_sigfresh_internal_JniNative_skewIsSkewError<'l>(
    mut env: EnvUnowned<'l>,
    _this: JObject<'l>,
    code: JString<'l>,
    status: i32,
    measured_offset_ms: i64,
) -> i32 {
    entry!(env, |e| {
        let c = opt_string(e, &code, "code")?;
        let (cp, cl) = opt_ptr(&c);
        let status = u16::try_from(status).map_err(|_| invalid("status", "is not 0..=65535"))?;
        let m = (measured_offset_ms != ABSENT).then_some(measured_offset_ms);
        let mp = m.as_ref().map_or(core::ptr::null(), |m| m as *const i64);
        let mut v = 0u32;
        // SAFETY: locals borrowed for the call.
        check(unsafe { sigfresh_skew_is_skew_error(cp, cl, status, mp, &mut v) })?;
        Ok(v as i32)
    })
}
