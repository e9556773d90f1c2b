//! What a machine asks the host to do, as C structs borrowing from the source handle.

use super::codes::code_of;
use crate::handle::handle_impl;
use crate::refresh::{failure_to_c, sigfresh_failure};
use crate::result::sigfresh_result;
use crate::{sigfresh_bytes, sigfresh_pair, sigfresh_str};
use sigfresh::source::{ChainSource, ProxyPolicy, Source, Step};

/// A step kind (`sigfresh_step_kind`).
pub type sigfresh_step_kind = u32;
/// Send `step.request`, then report with sigfresh_source_handle_response or
/// sigfresh_source_handle_transport_error.
pub const SIGFRESH_STEP_SEND: sigfresh_step_kind = 0;
/// Read the file `step.text` whole; report with sigfresh_source_handle_file (or _io_failure).
pub const SIGFRESH_STEP_READ_FILE: sigfresh_step_kind = 1;
/// Run the command `step.text` through the shell (sh -c), capturing stdout; report with
/// sigfresh_source_handle_process (or _io_failure).
pub const SIGFRESH_STEP_RUN_PROCESS: sigfresh_step_kind = 2;
/// Resolve the host name `step.text` to all its addresses; report with
/// sigfresh_source_handle_resolved (or _io_failure).
pub const SIGFRESH_STEP_RESOLVE: sigfresh_step_kind = 3;
/// Nothing to do before `step.wait_until_ms` (a retry backoff); poll again then.
pub const SIGFRESH_STEP_WAIT: sigfresh_step_kind = 4;
/// The fetch succeeded: take the credentials with sigfresh_source_credentials.
pub const SIGFRESH_STEP_DONE: sigfresh_step_kind = 5;
/// The fetch failed: `step.error` and `step.failure` say how (sigfresh_source_error_message
/// gives the text); pass `step.failure` to sigfresh_credential_cache_complete_failure.
pub const SIGFRESH_STEP_FAILED: sigfresh_step_kind = 6;
/// A step this version of the ABI has no constant for.
pub const SIGFRESH_STEP_OTHER: sigfresh_step_kind = 99;

/// An HTTP request to send exactly (plus the host's own Host, Content-Length and connection
/// headers). Borrowed from the source until its next start, poll, handle or free.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct sigfresh_http_request {
    /// "GET", "PUT" or "POST" (NUL-terminated).
    pub method: sigfresh_str,
    /// The absolute URL (NUL-terminated).
    pub url: sigfresh_str,
    /// Headers in order (lowercase names; not NUL-terminated). Values may be secret (the IMDS
    /// session token): do not log them.
    pub headers: *const sigfresh_pair,
    /// The number of headers.
    pub headers_len: usize,
    /// The body (empty for GET).
    pub body: sigfresh_bytes,
    /// Give up after this long and report SIGFRESH_TRANSPORT_TIMEOUT.
    pub timeout_ms: u64,
    /// Whether the host's proxy settings may be used (false: connect directly; metadata
    /// endpoints must never go through a proxy).
    pub use_proxy: bool,
    /// When not empty: the only IP addresses (text, NUL-terminated) the host may connect to.
    pub connect_to: *const sigfresh_str,
    /// The number of addresses.
    pub connect_to_len: usize,
}

/// What the host must do next. Fields not listed for a kind are zero; borrowed strings stay
/// valid until the source's next start, poll, handle or free.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct sigfresh_step {
    /// SIGFRESH_STEP_*.
    pub kind: sigfresh_step_kind,
    /// SEND: the request.
    pub request: sigfresh_http_request,
    /// READ_FILE: the path; RUN_PROCESS: the command; RESOLVE: the host name (NUL-terminated).
    pub text: sigfresh_str,
    /// WAIT: poll again at this time (Unix ms).
    pub wait_until_ms: i64,
    /// FAILED: the SIGFRESH_SOURCE_* code.
    pub error: sigfresh_result,
    /// FAILED: how the refresh engine should pace the next attempt.
    pub failure: sigfresh_failure,
}

/// A transport failure kind (`sigfresh_transport_error`).
pub type sigfresh_transport_error = u32;
/// The request's timeout passed.
pub const SIGFRESH_TRANSPORT_TIMEOUT: sigfresh_transport_error = 0;
/// The connection could not be made.
pub const SIGFRESH_TRANSPORT_CONNECT: sigfresh_transport_error = 1;
/// Any other I/O or protocol failure.
pub const SIGFRESH_TRANSPORT_IO: sigfresh_transport_error = 2;

/// A non-HTTP action kind (`sigfresh_io_action`) for sigfresh_source_handle_io_failure.
pub type sigfresh_io_action = u32;
/// Reading a file failed.
pub const SIGFRESH_IO_ACTION_READ_FILE: sigfresh_io_action = 0;
/// Running a process failed.
pub const SIGFRESH_IO_ACTION_RUN_PROCESS: sigfresh_io_action = 1;
/// Resolving a name failed.
pub const SIGFRESH_IO_ACTION_RESOLVE: sigfresh_io_action = 2;

/// Why a non-HTTP action failed (`sigfresh_io_failure`).
pub type sigfresh_io_failure = u32;
/// The file, command or name does not exist.
pub const SIGFRESH_IO_NOT_FOUND: sigfresh_io_failure = 0;
/// Permission denied.
pub const SIGFRESH_IO_PERMISSION_DENIED: sigfresh_io_failure = 1;
/// The action took too long.
pub const SIGFRESH_IO_TIMEOUT: sigfresh_io_failure = 2;
/// Anything else (the detail describes it; never include secrets).
pub const SIGFRESH_IO_OTHER: sigfresh_io_failure = 3;

pub(crate) enum Machine {
    Chain(Box<ChainSource>),
    Other(Box<dyn Source + Send>),
}

impl Machine {
    pub(crate) fn source(&mut self) -> &mut dyn Source {
        match self {
            Machine::Chain(c) => &mut **c,
            Machine::Other(s) => &mut **s,
        }
    }
    pub(crate) fn source_ref(&self) -> &dyn Source {
        match self {
            Machine::Chain(c) => &**c,
            Machine::Other(s) => &**s,
        }
    }
}

/// The last step, owned, with the C views that point into it.
pub(crate) struct LastStep {
    pub(crate) step: Step,
    pub(crate) method: String,
    pub(crate) url: String,
    pub(crate) headers: Vec<sigfresh_pair>,
    pub(crate) addresses: Vec<String>,
    pub(crate) address_views: Vec<sigfresh_str>,
    pub(crate) c: sigfresh_step,
}

/// A source machine with the data its last step lends to C.
pub(crate) struct SourceState {
    pub(crate) machine: Machine,
    pub(crate) last: Option<Box<LastStep>>,
}

/// A credential source state machine (IMDS, container endpoint, or the default chain). Reusable:
/// each start begins a new fetch and keeps what it learned (IMDS token, role). Not thread-safe.
/// Release with sigfresh_source_free.
pub struct sigfresh_source {
    _private: [u8; 0],
}

handle_impl!(sigfresh_source => SourceState, 0x5347_4652_534f_5552);

pub(crate) fn zero_step(kind: sigfresh_step_kind) -> sigfresh_step {
    sigfresh_step {
        kind,
        request: sigfresh_http_request {
            method: sigfresh_str::of(""),
            url: sigfresh_str::of(""),
            headers: core::ptr::null(),
            headers_len: 0,
            body: sigfresh_bytes {
                ptr: core::ptr::null(),
                len: 0,
            },
            timeout_ms: 0,
            use_proxy: false,
            connect_to: core::ptr::null(),
            connect_to_len: 0,
        },
        text: sigfresh_str::of(""),
        wait_until_ms: 0,
        error: 0,
        failure: sigfresh_failure::default(),
    }
}

/// Owned text with a NUL after it, so C can use it as a C string too.
pub(crate) fn nul(s: &str) -> String {
    let mut o = String::with_capacity(s.len() + 1);
    o.push_str(s);
    o.push('\0');
    o
}

pub(crate) fn view(s: &str) -> sigfresh_str {
    // The view excludes the trailing NUL added by `nul`.
    sigfresh_str::of(s.strip_suffix('\0').unwrap_or(s))
}

impl LastStep {
    /// Builds the C view of `step`. The views point into heap memory owned by the returned box
    /// (string buffers, vectors), which does not move when the box does.
    pub(crate) fn new(step: Step) -> Box<LastStep> {
        let mut b = Box::new(LastStep {
            step,
            method: String::new(),
            url: String::new(),
            headers: Vec::new(),
            addresses: Vec::new(),
            address_views: Vec::new(),
            c: zero_step(SIGFRESH_STEP_OTHER),
        });
        let l = &mut *b;
        l.c = match &mut l.step {
            Step::Send(req) => {
                l.method = nul(req.method.as_str());
                l.url = nul(&req.url.to_string());
                // Header values are not copied or NUL-terminated: they may be secret (the IMDS
                // session token), and the request wipes them when it is dropped.
                l.headers = req
                    .headers
                    .iter()
                    .map(|(n, v)| sigfresh_pair::of(n, v))
                    .collect();
                l.addresses = req.connect_to.iter().map(|a| nul(&a.to_string())).collect();
                l.address_views = l.addresses.iter().map(|a| view(a)).collect();
                let mut c = zero_step(SIGFRESH_STEP_SEND);
                c.request = sigfresh_http_request {
                    method: view(&l.method),
                    url: view(&l.url),
                    headers: l.headers.as_ptr(),
                    headers_len: l.headers.len(),
                    body: sigfresh_bytes {
                        ptr: req.body.as_ptr(),
                        len: req.body.len(),
                    },
                    timeout_ms: u64::try_from(req.timeout.as_millis()).unwrap_or(u64::MAX),
                    use_proxy: matches!(req.proxy, ProxyPolicy::UseHostSettings),
                    connect_to: l.address_views.as_ptr(),
                    connect_to_len: l.address_views.len(),
                };
                c
            }
            Step::ReadFile { path } => text_step(SIGFRESH_STEP_READ_FILE, path),
            Step::RunProcess { command } => text_step(SIGFRESH_STEP_RUN_PROCESS, command),
            Step::Resolve { host } => text_step(SIGFRESH_STEP_RESOLVE, host),
            Step::Wait(at) => {
                let mut c = zero_step(SIGFRESH_STEP_WAIT);
                c.wait_until_ms = at.unix_millis();
                c
            }
            Step::Done(Ok(_)) => zero_step(SIGFRESH_STEP_DONE),
            Step::Done(Err(e)) => {
                let mut c = zero_step(SIGFRESH_STEP_FAILED);
                c.error = code_of(e);
                c.failure = failure_to_c(e.failure());
                c
            }
            _ => zero_step(SIGFRESH_STEP_OTHER),
        };
        b
    }
}

pub(crate) fn text_step(kind: sigfresh_step_kind, s: &mut String) -> sigfresh_step {
    s.push('\0');
    let mut c = zero_step(kind);
    c.text = view(s);
    c
}
