//! Clock skew: the offset between AWS's clock and the host's, learned from server times.

use crate::handle::{boundary, free, get, handle_impl, into_handle, opt_text, out, text, Error};
use crate::result::*;
use core::ffi::c_char;
use sigfresh::skew::{is_skew_error, ClockSkew, SkewChange, SkewVerdict};
use sigfresh::time::Timestamp;

/// The server-minus-local clock offset, one atomic: share it between threads freely.
/// Release with sigfresh_clock_skew_free.
pub struct sigfresh_clock_skew {
    _private: [u8; 0],
}

handle_impl!(sigfresh_clock_skew => ClockSkew, 0x5347_4652_534b_4557);

/// What an observation did (`sigfresh_skew_change_kind`).
pub type sigfresh_skew_change_kind = u32;
/// The measured offset replaced the one in use.
pub const SIGFRESH_SKEW_ADOPTED: sigfresh_skew_change_kind = 0;
/// The measured offset was within the threshold; the one in use is kept.
pub const SIGFRESH_SKEW_KEPT: sigfresh_skew_change_kind = 1;
/// A change this version of the ABI has no constant for.
pub const SIGFRESH_SKEW_OTHER: sigfresh_skew_change_kind = 99;

/// What one observation did to a clock skew tracker.
#[repr(C)]
#[derive(Clone, Copy, Default)]
pub struct sigfresh_skew_change {
    /// SIGFRESH_SKEW_ADOPTED or SIGFRESH_SKEW_KEPT.
    pub kind: sigfresh_skew_change_kind,
    /// ADOPTED: the offset in use before (ms).
    pub previous_ms: i64,
    /// The offset in use after the observation (ms, server minus local).
    pub offset_ms: i64,
    /// The offset this observation measured (ms).
    pub measured_ms: i64,
}

pub(crate) fn change(c: SkewChange) -> sigfresh_skew_change {
    let mut out = sigfresh_skew_change {
        offset_ms: c.offset_ms(),
        measured_ms: c.measured_ms(),
        ..Default::default()
    };
    out.kind = match c {
        SkewChange::Adopted { previous_ms, .. } => {
            out.previous_ms = previous_ms;
            SIGFRESH_SKEW_ADOPTED
        }
        SkewChange::Kept { .. } => SIGFRESH_SKEW_KEPT,
        _ => SIGFRESH_SKEW_OTHER,
    };
    out
}

/// Whether clock skew explains an error (`sigfresh_skew_verdict`).
pub type sigfresh_skew_verdict = u32;
/// The code says the signing time was rejected.
pub const SIGFRESH_SKEW_VERDICT_DEFINITE: sigfresh_skew_verdict = 0;
/// A code skew can cause, with a measured offset over the threshold: treat as skew.
pub const SIGFRESH_SKEW_VERDICT_LIKELY: sigfresh_skew_verdict = 1;
/// A code skew can cause, no offset measured: not treated as skew.
pub const SIGFRESH_SKEW_VERDICT_POSSIBLE: sigfresh_skew_verdict = 2;
/// A code skew can cause, but the offset is small: not the cause.
pub const SIGFRESH_SKEW_VERDICT_UNLIKELY: sigfresh_skew_verdict = 3;
/// Not an error clock skew causes.
pub const SIGFRESH_SKEW_VERDICT_NOT_SKEW: sigfresh_skew_verdict = 4;
/// A verdict this version of the ABI has no constant for.
pub const SIGFRESH_SKEW_VERDICT_OTHER: sigfresh_skew_verdict = 99;

pub(crate) fn verdict(v: SkewVerdict) -> sigfresh_skew_verdict {
    match v {
        SkewVerdict::Definite => SIGFRESH_SKEW_VERDICT_DEFINITE,
        SkewVerdict::Likely => SIGFRESH_SKEW_VERDICT_LIKELY,
        SkewVerdict::Possible => SIGFRESH_SKEW_VERDICT_POSSIBLE,
        SkewVerdict::Unlikely => SIGFRESH_SKEW_VERDICT_UNLIKELY,
        SkewVerdict::NotSkew => SIGFRESH_SKEW_VERDICT_NOT_SKEW,
        _ => SIGFRESH_SKEW_VERDICT_OTHER,
    }
}

/// A tracker with offset 0 and the default 4-minute adoption threshold. On success
/// `*skew_out` is a new handle: release it with sigfresh_clock_skew_free.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_clock_skew_new(
    skew_out: *mut *const sigfresh_clock_skew,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: caller contract (crate docs).
        let o = unsafe { out(skew_out, "skew_out") }?;
        o.write(into_handle::<sigfresh_clock_skew>(ClockSkew::new()).cast_const());
        Ok(())
    })
}

/// A tracker with offset 0 that adopts an observed offset differing from the one in use by at
/// least `threshold_ms` (negative counts as 0). Release with sigfresh_clock_skew_free.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_clock_skew_new_with_threshold(
    threshold_ms: i64,
    skew_out: *mut *const sigfresh_clock_skew,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: caller contract (crate docs).
        let o = unsafe { out(skew_out, "skew_out") }?;
        let s = ClockSkew::with_threshold_millis(threshold_ms);
        o.write(into_handle::<sigfresh_clock_skew>(s).cast_const());
        Ok(())
    })
}

/// Releases a tracker. NULL is a no-op.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_clock_skew_free(
    skew: *const sigfresh_clock_skew,
) -> sigfresh_result {
    // SAFETY: caller contract (crate docs).
    unsafe { free(skew) }
}

/// The adoption threshold (ms).
#[no_mangle]
pub unsafe extern "C" fn sigfresh_clock_skew_threshold(
    skew: *const sigfresh_clock_skew,
    ms_out: *mut i64,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: caller contract (crate docs).
        let (s, o) = unsafe { (get(skew, "skew")?, out(ms_out, "ms_out")?) };
        o.write(s.threshold_millis());
        Ok(())
    })
}

/// The offset in use (ms, server minus local; positive when the host clock is behind).
#[no_mangle]
pub unsafe extern "C" fn sigfresh_clock_skew_offset(
    skew: *const sigfresh_clock_skew,
    ms_out: *mut i64,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: caller contract (crate docs).
        let (s, o) = unsafe { (get(skew, "skew")?, out(ms_out, "ms_out")?) };
        o.write(s.offset_millis());
        Ok(())
    })
}

/// `local_now_ms` corrected by the offset: the time to sign with and judge expiry by.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_clock_skew_corrected(
    skew: *const sigfresh_clock_skew,
    local_now_ms: i64,
    ms_out: *mut i64,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: caller contract (crate docs).
        let (s, o) = unsafe { (get(skew, "skew")?, out(ms_out, "ms_out")?) };
        o.write(
            s.corrected(Timestamp::from_unix_millis(local_now_ms))
                .unix_millis(),
        );
        Ok(())
    })
}

/// Records that the server's clock read `server_time_ms` when the host's read `local_now_ms`.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_clock_skew_observe(
    skew: *const sigfresh_clock_skew,
    server_time_ms: i64,
    local_now_ms: i64,
    change_out: *mut sigfresh_skew_change,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: caller contract (crate docs).
        let (s, o) = unsafe { (get(skew, "skew")?, out(change_out, "change_out")?) };
        let c = s.observe(
            Timestamp::from_unix_millis(server_time_ms),
            Timestamp::from_unix_millis(local_now_ms),
        );
        o.write(change(c));
        Ok(())
    })
}

/// Like sigfresh_clock_skew_observe, comparing the server time with the midpoint of the round
/// trip. SIGFRESH_ABSENT (nothing changed) when the response came before the request or the
/// round trip is longer than 15 minutes.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_clock_skew_observe_round_trip(
    skew: *const sigfresh_clock_skew,
    server_time_ms: i64,
    request_sent_ms: i64,
    response_received_ms: i64,
    change_out: *mut sigfresh_skew_change,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: caller contract (crate docs).
        let (s, o) = unsafe { (get(skew, "skew")?, out(change_out, "change_out")?) };
        let c = s
            .observe_round_trip(
                Timestamp::from_unix_millis(server_time_ms),
                Timestamp::from_unix_millis(request_sent_ms),
                Timestamp::from_unix_millis(response_received_ms),
            )
            .ok_or_else(|| Error::absent("an observation (round trip unusable)"))?;
        o.write(change(c));
        Ok(())
    })
}

/// Parses an HTTP Date header value and observes it against `local_now_ms`; `*measured_ms_out`
/// is the offset it measured, adopted or not. SIGFRESH_TIME_PARSE when it does not parse (nothing
/// changes). Do not pass the Date of a response that carries an Age header.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_clock_skew_observe_date_header(
    skew: *const sigfresh_clock_skew,
    date: *const c_char,
    date_len: usize,
    local_now_ms: i64,
    measured_ms_out: *mut i64,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: caller contract (crate docs).
        let (s, d, o) = unsafe {
            (
                get(skew, "skew")?,
                text(date, date_len, "date")?,
                out(measured_ms_out, "measured_ms_out")?,
            )
        };
        o.write(s.observe_date_header(d, Timestamp::from_unix_millis(local_now_ms))?);
        Ok(())
    })
}

/// Forgets the offset (back to 0).
#[no_mangle]
pub unsafe extern "C" fn sigfresh_clock_skew_reset(
    skew: *const sigfresh_clock_skew,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: caller contract (crate docs).
        unsafe { get(skew, "skew") }?.reset();
        Ok(())
    })
}

/// Whether clock skew explains an error: `code` (optional, NULL for none) is the AWS error
/// code, `status` the HTTP status, `measured_offset_ms` (optional) the measured server-minus-
/// signing-time offset.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_skew_is_skew_error(
    code: *const c_char,
    code_len: usize,
    status: u16,
    measured_offset_ms: *const i64,
    verdict_out: *mut sigfresh_skew_verdict,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: caller contract (crate docs).
        let (c, o) = unsafe {
            (
                opt_text(code, code_len, "code")?,
                out(verdict_out, "verdict_out")?,
            )
        };
        // SAFETY: caller contract: NULL or one int64_t.
        let m =
            unsafe { crate::handle::opt_ref(measured_offset_ms, "measured_offset_ms") }?.copied();
        o.write(verdict(is_skew_error(c, status, m)));
        Ok(())
    })
}
