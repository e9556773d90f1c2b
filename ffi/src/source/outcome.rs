//! Reporting what happened when the host did a step.

use super::*;
use crate::handle::{bytes, opt_text, slice, text, At, Error, Res};
use crate::result::sigfresh_result;
use crate::{sigfresh_pair, sigfresh_str};
use core::ffi::c_char;
use sigfresh::source::{
    FileContents, HttpResponse, IoFailure, Outcome, ProcessOutput, TransportError,
};
use sigfresh::time::Timestamp;
use std::net::IpAddr;

/// # Safety
/// Caller contract (crate docs).
unsafe fn feed(
    source: *mut sigfresh_source,
    now_ms: i64,
    outcome: impl FnOnce() -> Res<Outcome>,
) -> sigfresh_result {
    // SAFETY: forwarded contract.
    unsafe {
        with_source(source, |s| {
            let o = outcome()?;
            s.last = None;
            s.machine
                .source()
                .handle(Timestamp::from_unix_millis(now_ms), o);
            Ok(())
        })
    }
}

/// Reports the HTTP response to a SEND step: status, headers, body (copied).
#[no_mangle]
pub unsafe extern "C" fn sigfresh_source_handle_response(
    source: *mut sigfresh_source,
    now_ms: i64,
    status: u16,
    headers: *const sigfresh_pair,
    headers_len: usize,
    body: *const u8,
    body_len: usize,
) -> sigfresh_result {
    // SAFETY: caller contract (crate docs).
    unsafe {
        feed(source, now_ms, || {
            let h = named_pairs(headers, headers_len, "headers")?;
            let b = bytes(body, body_len, "body")?;
            let h = h
                .into_iter()
                .map(|(n, v)| (n.to_owned(), v.to_owned()))
                .collect();
            Ok(Outcome::Http(Ok(HttpResponse::new(status, h, b.to_vec()))))
        })
    }
}

/// Reports that a SEND step got no response (SIGFRESH_TRANSPORT_*), with an optional detail
/// (NULL for none; never include secrets).
#[no_mangle]
pub unsafe extern "C" fn sigfresh_source_handle_transport_error(
    source: *mut sigfresh_source,
    now_ms: i64,
    error: sigfresh_transport_error,
    detail: *const c_char,
    detail_len: usize,
) -> sigfresh_result {
    // SAFETY: caller contract (crate docs).
    unsafe {
        feed(source, now_ms, || {
            let d = opt_text(detail, detail_len, "detail")?
                .unwrap_or("")
                .to_owned();
            Ok(Outcome::Http(Err(match error {
                SIGFRESH_TRANSPORT_TIMEOUT => TransportError::Timeout,
                SIGFRESH_TRANSPORT_CONNECT => TransportError::Connect(d),
                SIGFRESH_TRANSPORT_IO => TransportError::Io(d),
                other => {
                    return Err(Error::invalid(
                        "error",
                        format!("{other} is not a constant"),
                    ))
                }
            })))
        })
    }
}

/// Reports the contents of the file a READ_FILE step named (copied).
#[no_mangle]
pub unsafe extern "C" fn sigfresh_source_handle_file(
    source: *mut sigfresh_source,
    now_ms: i64,
    contents: *const u8,
    contents_len: usize,
) -> sigfresh_result {
    // SAFETY: caller contract (crate docs).
    unsafe {
        feed(source, now_ms, || {
            let b = bytes(contents, contents_len, "contents")?;
            Ok(Outcome::File(Ok(FileContents(b.to_vec()))))
        })
    }
}

/// Reports what the process of a RUN_PROCESS step produced: its exit code (`exit_code` NULL
/// when it was killed by a signal) and standard output (copied).
#[no_mangle]
pub unsafe extern "C" fn sigfresh_source_handle_process(
    source: *mut sigfresh_source,
    now_ms: i64,
    exit_code: *const i32,
    stdout_bytes: *const u8,
    stdout_len: usize,
) -> sigfresh_result {
    // SAFETY: caller contract (crate docs).
    unsafe {
        feed(source, now_ms, || {
            let b = bytes(stdout_bytes, stdout_len, "stdout_bytes")?;
            let code = crate::handle::opt_ref(exit_code, "exit_code")?.copied();
            Ok(Outcome::Process(Ok(ProcessOutput::new(code, b.to_vec()))))
        })
    }
}

/// Reports the addresses a RESOLVE step's name resolved to, as text ("10.0.0.1", "fd00::1").
#[no_mangle]
pub unsafe extern "C" fn sigfresh_source_handle_resolved(
    source: *mut sigfresh_source,
    now_ms: i64,
    addresses: *const sigfresh_str,
    addresses_len: usize,
) -> sigfresh_result {
    // SAFETY: caller contract (crate docs).
    unsafe {
        feed(source, now_ms, || {
            let list = slice(addresses, addresses_len, "addresses")?;
            let mut ips = Vec::with_capacity(list.len());
            for (i, a) in list.iter().enumerate() {
                let t = text(a.ptr, a.len, At("addresses", i, "ptr"))?;
                ips.push(
                    t.parse::<IpAddr>().map_err(|_| {
                        Error::invalid(At("addresses", i, "ptr"), "not an IP address")
                    })?,
                );
            }
            Ok(Outcome::Resolved(Ok(ips)))
        })
    }
}

/// Reports that the action of a READ_FILE, RUN_PROCESS or RESOLVE step (`action`,
/// SIGFRESH_IO_ACTION_*) failed (`failure`, SIGFRESH_IO_*), with an optional detail for
/// SIGFRESH_IO_OTHER (NULL for none; never include secrets).
#[no_mangle]
pub unsafe extern "C" fn sigfresh_source_handle_io_failure(
    source: *mut sigfresh_source,
    now_ms: i64,
    action: sigfresh_io_action,
    failure: sigfresh_io_failure,
    detail: *const c_char,
    detail_len: usize,
) -> sigfresh_result {
    // SAFETY: caller contract (crate docs).
    unsafe {
        feed(source, now_ms, || {
            let d = opt_text(detail, detail_len, "detail")?.unwrap_or("");
            let f = match failure {
                SIGFRESH_IO_NOT_FOUND => IoFailure::NotFound,
                SIGFRESH_IO_PERMISSION_DENIED => IoFailure::PermissionDenied,
                SIGFRESH_IO_TIMEOUT => IoFailure::Timeout,
                SIGFRESH_IO_OTHER => IoFailure::Other(d.to_owned()),
                other => {
                    return Err(Error::invalid(
                        "failure",
                        format!("{other} is not a constant"),
                    ))
                }
            };
            Ok(match action {
                SIGFRESH_IO_ACTION_READ_FILE => Outcome::File(Err(f)),
                SIGFRESH_IO_ACTION_RUN_PROCESS => Outcome::Process(Err(f)),
                SIGFRESH_IO_ACTION_RESOLVE => Outcome::Resolved(Err(f)),
                other => {
                    return Err(Error::invalid(
                        "action",
                        format!("{other} is not a constant"),
                    ))
                }
            })
        })
    }
}
