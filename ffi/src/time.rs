//! Time as integers: parsing and formatting the timestamp forms AWS uses. Instants are
//! `int64_t` milliseconds since the Unix epoch (UTC).

use crate::handle::{boundary, out, out_buf, text, Error};
use crate::result::*;
use core::ffi::c_char;
use sigfresh::time::{parse_amz_date, parse_http_date, parse_rfc3339, Timestamp};

/// Parses RFC 3339 / ISO 8601 text (e.g. "2024-05-01T18:00:00Z", as in credential documents)
/// into Unix milliseconds. SIGFRESH_TIME_PARSE names the offending position.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_time_parse_rfc3339(
    text_ptr: *const c_char,
    text_len: usize,
    ms_out: *mut i64,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: caller contract (crate docs).
        let (s, o) = unsafe { (text(text_ptr, text_len, "text")?, out(ms_out, "ms_out")?) };
        o.write(parse_rfc3339(s)?.unix_millis());
        Ok(())
    })
}

/// Parses the SigV4 form "YYYYMMDDTHHMMSSZ" (X-Amz-Date) into Unix milliseconds.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_time_parse_amz_date(
    text_ptr: *const c_char,
    text_len: usize,
    ms_out: *mut i64,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: caller contract (crate docs).
        let (s, o) = unsafe { (text(text_ptr, text_len, "text")?, out(ms_out, "ms_out")?) };
        o.write(parse_amz_date(s)?.unix_millis());
        Ok(())
    })
}

/// Parses an HTTP `Date` header value (IMF-fixdate, RFC 850 or asctime) into Unix milliseconds.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_time_parse_http_date(
    text_ptr: *const c_char,
    text_len: usize,
    ms_out: *mut i64,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: caller contract (crate docs).
        let (s, o) = unsafe { (text(text_ptr, text_len, "text")?, out(ms_out, "ms_out")?) };
        o.write(parse_http_date(s)?.unix_millis());
        Ok(())
    })
}

fn out_of_range(ms: i64) -> Error {
    Error::new(
        SIGFRESH_TIME_OUT_OF_RANGE,
        format!("{ms} ms is outside years 0..=9999"),
    )
}

/// Formats Unix milliseconds as RFC 3339 UTC ("2015-08-30T12:36:00Z", with ".mmm" when the
/// milliseconds are not zero) into a caller buffer (17..25 bytes with the NUL).
/// SIGFRESH_TIME_OUT_OF_RANGE outside years 0..=9999.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_time_format_rfc3339(
    ms: i64,
    buf: *mut c_char,
    buf_len: usize,
    len_out: *mut usize,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: caller contract (crate docs).
        let o = unsafe { out_buf(buf, buf_len, len_out, "len_out") }?;
        let t = Timestamp::from_unix_millis(ms);
        t.to_civil().ok_or_else(|| out_of_range(ms))?;
        o.write_str(&t.to_string())
    })
}

/// Formats Unix milliseconds as "YYYYMMDDTHHMMSSZ" (seconds truncated) into a caller buffer
/// (17 bytes with the NUL). SIGFRESH_TIME_OUT_OF_RANGE outside years 0..=9999.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_time_format_amz_date(
    ms: i64,
    buf: *mut c_char,
    buf_len: usize,
    len_out: *mut usize,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: caller contract (crate docs).
        let o = unsafe { out_buf(buf, buf_len, len_out, "len_out") }?;
        let amz = Timestamp::from_unix_millis(ms)
            .amz_date()
            .ok_or_else(|| out_of_range(ms))?;
        o.write_str(amz.as_str())
    })
}
