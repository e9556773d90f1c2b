//! Where the shared credentials and config files are, the active profile and the region, from
//! an environment given as name/value pairs (the core's `source::shared`).

use crate::document::sigfresh_profile_set;
use crate::handle::{boundary, get, out, out_buf, pairs_into, pick, slice, Error, Res};
use crate::result::*;
use crate::sigfresh_pair;
use core::ffi::c_char;
use sigfresh::source::shared::{self, HostOs, RegionSource};

/// The host's operating system family (`sigfresh_host_os`): which home directory variable
/// and path separator apply.
pub type sigfresh_host_os = u32;
/// HOME, `/`.
pub const SIGFRESH_HOST_OS_UNIX: sigfresh_host_os = 0;
/// USERPROFILE (else HOME), `\`.
pub const SIGFRESH_HOST_OS_WINDOWS: sigfresh_host_os = 1;

/// Where a region was found (`sigfresh_region_source`).
pub type sigfresh_region_source = u32;
/// The AWS_REGION variable.
pub const SIGFRESH_REGION_SOURCE_AWS_REGION: sigfresh_region_source = 0;
/// The AWS_DEFAULT_REGION variable.
pub const SIGFRESH_REGION_SOURCE_AWS_DEFAULT_REGION: sigfresh_region_source = 1;
/// The active profile's `region`.
pub const SIGFRESH_REGION_SOURCE_PROFILE: sigfresh_region_source = 2;
/// A source this version of the ABI has no constant for (output only).
pub const SIGFRESH_REGION_SOURCE_OTHER: sigfresh_region_source = 99;

fn host_os(v: u32) -> Res<HostOs> {
    pick(
        "os",
        v,
        &[
            (SIGFRESH_HOST_OS_UNIX, HostOs::Unix),
            (SIGFRESH_HOST_OS_WINDOWS, HostOs::Windows),
        ],
    )
}

/// Runs `f` with the pairs as an environment map.
///
/// # Safety
/// Caller contract (crate docs): every pair's pointers are valid for their lengths.
unsafe fn with_env<T>(
    vars: *const sigfresh_pair,
    vars_len: usize,
    f: impl FnOnce(&[(&str, &str)]) -> Res<T>,
) -> Res<T> {
    // SAFETY: forwarded contract.
    let v = unsafe { slice(vars, vars_len, "vars") }?;
    let mut env = Vec::new();
    // SAFETY: forwarded contract.
    unsafe { pairs_into(v, "vars", &mut env) }?;
    f(&env)
}

/// One of the two shared file paths into a caller buffer.
///
/// # Safety
/// Caller contract (crate docs).
unsafe fn file_path(
    vars: *const sigfresh_pair,
    vars_len: usize,
    os: sigfresh_host_os,
    config: bool,
    buf: *mut c_char,
    buf_len: usize,
    len_out: *mut usize,
) -> sigfresh_result {
    boundary(|| {
        let os = host_os(os)?;
        // SAFETY: caller contract (crate docs).
        let o = unsafe { out_buf(buf, buf_len, len_out, "len_out") }?;
        // SAFETY: caller contract (crate docs).
        let path = unsafe {
            with_env(vars, vars_len, |env| {
                let p = shared::shared_file_paths(env, os);
                Ok(if config { p.config } else { p.credentials })
            })
        }?;
        let path = path.ok_or_else(|| Error::absent("no home directory to find the file in"))?;
        o.write_str(&path)
    })
}

/// The shared credentials file's path: AWS_SHARED_CREDENTIALS_FILE when set (a leading `~/`
/// is the home directory), else `.aws/credentials` in the home directory (HOME; on Windows
/// USERPROFILE, else HOME). `vars` are the environment's name/value pairs (the last pair with
/// a name wins). Into a caller buffer; SIGFRESH_ABSENT when there is no home directory to
/// find it in.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_shared_credentials_file_path(
    vars: *const sigfresh_pair,
    vars_len: usize,
    os: sigfresh_host_os,
    buf: *mut c_char,
    buf_len: usize,
    len_out: *mut usize,
) -> sigfresh_result {
    // SAFETY: caller contract (crate docs).
    unsafe { file_path(vars, vars_len, os, false, buf, buf_len, len_out) }
}

/// The shared config file's path: AWS_CONFIG_FILE when set, else `.aws/config` in the home
/// directory (as sigfresh_shared_credentials_file_path). Into a caller buffer;
/// SIGFRESH_ABSENT when there is no home directory to find it in.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_shared_config_file_path(
    vars: *const sigfresh_pair,
    vars_len: usize,
    os: sigfresh_host_os,
    buf: *mut c_char,
    buf_len: usize,
    len_out: *mut usize,
) -> sigfresh_result {
    // SAFETY: caller contract (crate docs).
    unsafe { file_path(vars, vars_len, os, true, buf, buf_len, len_out) }
}

/// The active profile's name: AWS_PROFILE, else AWS_DEFAULT_PROFILE, else `default`. Into a
/// caller buffer.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_shared_active_profile(
    vars: *const sigfresh_pair,
    vars_len: usize,
    buf: *mut c_char,
    buf_len: usize,
    len_out: *mut usize,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: caller contract (crate docs).
        let o = unsafe { out_buf(buf, buf_len, len_out, "len_out") }?;
        // SAFETY: caller contract (crate docs).
        unsafe {
            with_env(vars, vars_len, |env| {
                o.write_str(shared::active_profile_name(env))
            })
        }
    })
}

/// The region to sign for when none is given: AWS_REGION, else AWS_DEFAULT_REGION, else the
/// `region` of the active profile (sigfresh_shared_active_profile) in `profiles` (optional,
/// NULL for none). Into a caller buffer, and where it came from into `*source_out`
/// (SIGFRESH_REGION_SOURCE_*; written only on success). SIGFRESH_ABSENT when none is set.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_shared_region(
    vars: *const sigfresh_pair,
    vars_len: usize,
    profiles: *const sigfresh_profile_set,
    source_out: *mut sigfresh_region_source,
    buf: *mut c_char,
    buf_len: usize,
    len_out: *mut usize,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: caller contract (crate docs).
        let (set, s, o) = unsafe {
            (
                if profiles.is_null() {
                    None
                } else {
                    Some(get(profiles, "profiles")?)
                },
                out(source_out, "source_out")?,
                out_buf(buf, buf_len, len_out, "len_out")?,
            )
        };
        // SAFETY: caller contract (crate docs).
        let region = unsafe { with_env(vars, vars_len, |env| Ok(shared::region(env, set))) }?
            .ok_or_else(|| Error::absent("no region is set"))?;
        o.write_str(&region.name)?;
        s.write(match region.source {
            RegionSource::AwsRegion => SIGFRESH_REGION_SOURCE_AWS_REGION,
            RegionSource::AwsDefaultRegion => SIGFRESH_REGION_SOURCE_AWS_DEFAULT_REGION,
            RegionSource::Profile => SIGFRESH_REGION_SOURCE_PROFILE,
            _ => SIGFRESH_REGION_SOURCE_OTHER,
        });
        Ok(())
    })
}
