//! Credential source state machines (IMDS, container endpoint, the default chain) stepped from
//! C: poll for the next step (an HTTP request to send, a file to read, a process to run, a name
//! to resolve, a time to wait until), do it, report what happened, until the fetch is done.

mod codes;
mod outcome;
mod step;

pub(crate) use codes::describe;
pub use codes::*;
pub use outcome::*;
pub use step::*;

use crate::credentials::{new_handle, sigfresh_credentials};
use crate::document::sigfresh_profile_set;
use crate::handle::{
    boundary, free, get, get_mut, into_handle, opt_text, out, out_buf, pairs_into, slice, Error,
    Res,
};
use crate::result::sigfresh_result;
use crate::sigfresh_pair;
use core::ffi::c_char;
use sigfresh::credentials::Credentials;
use sigfresh::refresh::Jitter;
use sigfresh::source::{
    chain, ContainerConfig, ContainerSource, ImdsConfig, ImdsSource, SourceError, Step,
};
use sigfresh::time::Timestamp;

/// Converts a C array of name/value pairs.
///
/// # Safety
/// Caller contract (crate docs).
unsafe fn named_pairs<'a>(
    p: *const sigfresh_pair,
    len: usize,
    what: &'static str,
) -> Res<Vec<(&'a str, &'a str)>> {
    // SAFETY: forwarded contract.
    let pairs = unsafe { slice(p, len, what) }?;
    let mut v = Vec::new();
    // SAFETY: forwarded contract.
    unsafe { pairs_into(pairs, what, &mut v) }?;
    Ok(v)
}

fn new_source(machine: Machine) -> *mut sigfresh_source {
    into_handle::<sigfresh_source>(SourceState {
        machine,
        last: None,
    })
}

/// An IMDS machine configured from environment variables (`env`: AWS_EC2_METADATA_* and
/// AWS_METADATA_SERVICE_* pairs) and, optionally, profile `profile` of `profiles` (both NULL for
/// none; the environment wins). SIGFRESH_SOURCE_IMDS_DISABLED or SIGFRESH_SOURCE_CONFIG when the
/// settings say so. On success `*source_out` is a new handle: release it with
/// sigfresh_source_free.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_source_new_imds(
    env: *const sigfresh_pair,
    env_len: usize,
    profiles: *const sigfresh_profile_set,
    profile: *const c_char,
    profile_len: usize,
    source_out: *mut *mut sigfresh_source,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: caller contract (crate docs).
        let (env, name, o) = unsafe {
            (
                named_pairs(env, env_len, "env")?,
                opt_text(profile, profile_len, "profile")?,
                out(source_out, "source_out")?,
            )
        };
        let set = if profiles.is_null() {
            None
        } else {
            // SAFETY: caller contract (crate docs).
            Some(unsafe { get(profiles, "profiles") }?)
        };
        let p = match (set, name) {
            (Some(s), Some(n)) => Some(s.profile(n).ok_or_else(|| {
                Error::new(
                    crate::result::SIGFRESH_NOT_FOUND,
                    format!("no profile named {n:?}"),
                )
            })?),
            _ => None,
        };
        let config = ImdsConfig::from_env(&env, p)?;
        o.write(new_source(Machine::Other(Box::new(ImdsSource::new(
            config,
        )))));
        Ok(())
    })
}

/// A container-endpoint machine (ECS, EKS Pod Identity) configured from environment variables
/// (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI / _FULL_URI, AWS_CONTAINER_AUTHORIZATION_TOKEN[_FILE]).
/// SIGFRESH_ABSENT when neither URI variable is set. On success `*source_out` is a new handle:
/// release it with sigfresh_source_free.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_source_new_container(
    env: *const sigfresh_pair,
    env_len: usize,
    source_out: *mut *mut sigfresh_source,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: caller contract (crate docs).
        let (env, o) = unsafe {
            (
                named_pairs(env, env_len, "env")?,
                out(source_out, "source_out")?,
            )
        };
        let config = ContainerConfig::from_env(&env)?
            .ok_or_else(|| Error::absent("container endpoint (no URI variable set)"))?;
        o.write(new_source(Machine::Other(Box::new(ContainerSource::new(
            config,
        )))));
        Ok(())
    })
}

/// The AWS default chain planned from environment variables and the text of the shared
/// credentials and config files (NULL when a file does not exist): environment, web identity,
/// profile, container endpoint, IMDS. Planning fetches nothing; sigfresh_source_explain tells
/// what was chosen and why. On success `*source_out` is a new handle: release it with
/// sigfresh_source_free.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_source_new_chain(
    env: *const sigfresh_pair,
    env_len: usize,
    credentials_text: *const c_char,
    credentials_text_len: usize,
    config_text: *const c_char,
    config_text_len: usize,
    source_out: *mut *mut sigfresh_source,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: caller contract (crate docs).
        let (env, cred, conf, o) = unsafe {
            (
                named_pairs(env, env_len, "env")?,
                opt_text(credentials_text, credentials_text_len, "credentials_text")?,
                opt_text(config_text, config_text_len, "config_text")?,
                out(source_out, "source_out")?,
            )
        };
        let plan = chain::plan(&env, cred, conf);
        o.write(new_source(Machine::Chain(Box::new(plan.into_source()))));
        Ok(())
    })
}

/// Releases a source. NULL is a no-op. Borrowed step data becomes invalid.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_source_free(source: *mut sigfresh_source) -> sigfresh_result {
    // SAFETY: caller contract (crate docs).
    unsafe { free(source) }
}

/// Runs `f` on the source's state.
///
/// # Safety
/// Caller contract (crate docs).
unsafe fn with_source(
    source: *mut sigfresh_source,
    f: impl FnOnce(&mut SourceState) -> Res,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: forwarded contract.
        f(unsafe { get_mut(source, "source") }?)
    })
}

/// Begins a fetch at `now_ms` with a fresh random `jitter` from the host.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_source_start(
    source: *mut sigfresh_source,
    now_ms: i64,
    jitter: u64,
) -> sigfresh_result {
    // SAFETY: caller contract (crate docs).
    unsafe {
        with_source(source, |s| {
            s.last = None;
            s.machine.source().start(
                Timestamp::from_unix_millis(now_ms),
                Jitter::from_u64(jitter),
            );
            Ok(())
        })
    }
}

/// What to do next at `now_ms`. `*step_out` borrows from the source until its next start,
/// poll, handle or free. A finished fetch keeps answering DONE/FAILED until the next start.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_source_poll(
    source: *mut sigfresh_source,
    now_ms: i64,
    step_out: *mut sigfresh_step,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: caller contract (crate docs).
        let (s, o) = unsafe { (get_mut(source, "source")?, out(step_out, "step_out")?) };
        let step = s.machine.source().poll(Timestamp::from_unix_millis(now_ms));
        let last = LastStep::new(step);
        o.write(last.c);
        s.last = Some(last);
        Ok(())
    })
}

fn last_done(s: &SourceState) -> Option<&Result<Credentials, SourceError>> {
    match s.last.as_deref().map(|l| &l.step) {
        Some(Step::Done(r)) => Some(r),
        _ => None,
    }
}

/// After a DONE step: the credentials. On success `*credentials_out` is a new handle: release it
/// with sigfresh_credentials_free. SIGFRESH_ABSENT when the last poll was not DONE.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_source_credentials(
    source: *const sigfresh_source,
    credentials_out: *mut *const sigfresh_credentials,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: caller contract (crate docs).
        let (s, o) = unsafe {
            (
                get(source, "source")?,
                out(credentials_out, "credentials_out")?,
            )
        };
        match last_done(s) {
            Some(Ok(c)) => {
                o.write(new_handle(c.clone()));
                Ok(())
            }
            _ => Err(Error::absent("credentials (the last poll was not DONE)")),
        }
    })
}

/// After a FAILED step: what went wrong and how to fix it (names the request, status, AWS
/// error code, variable or file; never credentials), into a caller buffer. SIGFRESH_ABSENT
/// when the last poll was not FAILED.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_source_error_message(
    source: *const sigfresh_source,
    buf: *mut c_char,
    buf_len: usize,
    len_out: *mut usize,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: caller contract (crate docs).
        let (s, o) = unsafe {
            (
                get(source, "source")?,
                out_buf(buf, buf_len, len_out, "len_out")?,
            )
        };
        match last_done(s) {
            Some(Err(e)) => o.write_str(&e.to_string()),
            _ => Err(Error::absent("error (the last poll was not FAILED)")),
        }
    })
}

/// The number of warnings the current fetch gathered (e.g. the IMDS hop-limit diagnosis).
#[no_mangle]
pub unsafe extern "C" fn sigfresh_source_warning_count(
    source: *const sigfresh_source,
    count_out: *mut usize,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: caller contract (crate docs).
        let (s, o) = unsafe { (get(source, "source")?, out(count_out, "count_out")?) };
        o.write(s.machine.source_ref().warnings().len());
        Ok(())
    })
}

/// Warning `index` as text (what and how to fix it), into a caller buffer.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_source_warning(
    source: *const sigfresh_source,
    index: usize,
    buf: *mut c_char,
    buf_len: usize,
    len_out: *mut usize,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: caller contract (crate docs).
        let (s, o) = unsafe {
            (
                get(source, "source")?,
                out_buf(buf, buf_len, len_out, "len_out")?,
            )
        };
        let w = s.machine.source_ref().warnings();
        let one = w
            .get(index)
            .ok_or_else(|| Error::index("index", index, w.len()))?;
        o.write_str(&one.to_string())
    })
}

/// For a chain source: the plan (each source, whether it is configured, which was chosen and
/// why) and the last fetch's outcome, as text, into a caller buffer. SIGFRESH_ABSENT for other
/// sources.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_source_explain(
    source: *const sigfresh_source,
    buf: *mut c_char,
    buf_len: usize,
    len_out: *mut usize,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: caller contract (crate docs).
        let (s, o) = unsafe {
            (
                get(source, "source")?,
                out_buf(buf, buf_len, len_out, "len_out")?,
            )
        };
        match &s.machine {
            Machine::Chain(c) => o.write_str(&c.explain().to_string()),
            Machine::Other(_) => Err(Error::absent("explanation (not a chain source)")),
        }
    })
}
