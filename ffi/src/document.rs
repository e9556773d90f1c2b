//! Credential documents in, credentials handles out: IMDS, container, credential_process, SSO,
//! STS, environment variables, and shared credentials/config files.

use crate::credentials::{new_handle, sigfresh_credentials};
use crate::handle::{
    boundary, bytes, free, get, handle_impl, into_handle, opt_text, out, pairs_into, slice, text,
    Error, Res,
};
use crate::result::*;
use crate::{sigfresh_pair, sigfresh_str};
use core::ffi::c_char;
use sigfresh::credentials::Credentials;
use sigfresh::document::{self, DocumentError, DocumentFormat, ProfileSet};

/// A document kind (`sigfresh_document_format`).
pub type sigfresh_document_format = u32;
/// EC2 instance metadata role credentials (JSON).
pub const SIGFRESH_FORMAT_INSTANCE_METADATA: sigfresh_document_format = 0;
/// ECS/EKS container credentials endpoint (JSON).
pub const SIGFRESH_FORMAT_CONTAINER: sigfresh_document_format = 1;
/// credential_process output (JSON).
pub const SIGFRESH_FORMAT_PROCESS: sigfresh_document_format = 2;
/// IAM Identity Center GetRoleCredentials (JSON).
pub const SIGFRESH_FORMAT_SSO: sigfresh_document_format = 3;
/// STS AssumeRole, AssumeRoleWithWebIdentity or GetSessionToken response (XML).
pub const SIGFRESH_FORMAT_STS: sigfresh_document_format = 4;
/// Environment variables.
pub const SIGFRESH_FORMAT_ENVIRONMENT: sigfresh_document_format = 5;
/// The shared credentials file.
pub const SIGFRESH_FORMAT_CREDENTIALS_FILE: sigfresh_document_format = 6;
/// The shared config file.
pub const SIGFRESH_FORMAT_CONFIG_FILE: sigfresh_document_format = 7;
/// A format this version of the ABI has no constant for (output only).
pub const SIGFRESH_FORMAT_OTHER: sigfresh_document_format = 99;

pub(crate) fn format_code(f: DocumentFormat) -> sigfresh_document_format {
    match f {
        DocumentFormat::InstanceMetadata => SIGFRESH_FORMAT_INSTANCE_METADATA,
        DocumentFormat::Container => SIGFRESH_FORMAT_CONTAINER,
        DocumentFormat::Process => SIGFRESH_FORMAT_PROCESS,
        DocumentFormat::Sso => SIGFRESH_FORMAT_SSO,
        DocumentFormat::Sts => SIGFRESH_FORMAT_STS,
        DocumentFormat::Environment => SIGFRESH_FORMAT_ENVIRONMENT,
        DocumentFormat::CredentialsFile => SIGFRESH_FORMAT_CREDENTIALS_FILE,
        DocumentFormat::ConfigFile => SIGFRESH_FORMAT_CONFIG_FILE,
        _ => SIGFRESH_FORMAT_OTHER,
    }
}

/// Runs one of the core's byte-document parsers.
///
/// # Safety
/// Caller contract (crate docs).
unsafe fn parse_with(
    doc: *const u8,
    doc_len: usize,
    credentials_out: *mut *const sigfresh_credentials,
    parse: fn(&[u8]) -> Result<Credentials, DocumentError>,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: forwarded contract.
        let (d, o) = unsafe {
            (
                bytes(doc, doc_len, "doc")?,
                out(credentials_out, "credentials_out")?,
            )
        };
        o.write(new_handle(parse(d)?));
        Ok(())
    })
}

/// Parses an IMDS role-credentials document (`/latest/meta-data/iam/security-credentials/<role>`).
/// On success `*credentials_out` is a new handle: release it with sigfresh_credentials_free.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_document_parse_imds(
    doc: *const u8,
    doc_len: usize,
    credentials_out: *mut *const sigfresh_credentials,
) -> sigfresh_result {
    // SAFETY: caller contract (crate docs).
    unsafe { parse_with(doc, doc_len, credentials_out, document::parse_imds) }
}

/// Parses a container credentials endpoint response (ECS, EKS Pod Identity).
/// On success `*credentials_out` is a new handle: release it with sigfresh_credentials_free.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_document_parse_container(
    doc: *const u8,
    doc_len: usize,
    credentials_out: *mut *const sigfresh_credentials,
) -> sigfresh_result {
    // SAFETY: caller contract (crate docs).
    unsafe { parse_with(doc, doc_len, credentials_out, document::parse_container) }
}

/// Parses credential_process output (`"Version": 1`).
/// On success `*credentials_out` is a new handle: release it with sigfresh_credentials_free.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_document_parse_process(
    doc: *const u8,
    doc_len: usize,
    credentials_out: *mut *const sigfresh_credentials,
) -> sigfresh_result {
    // SAFETY: caller contract (crate docs).
    unsafe { parse_with(doc, doc_len, credentials_out, document::parse_process) }
}

/// Parses an SSO GetRoleCredentials response.
/// On success `*credentials_out` is a new handle: release it with sigfresh_credentials_free.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_document_parse_sso(
    doc: *const u8,
    doc_len: usize,
    credentials_out: *mut *const sigfresh_credentials,
) -> sigfresh_result {
    // SAFETY: caller contract (crate docs).
    unsafe { parse_with(doc, doc_len, credentials_out, document::parse_sso) }
}

/// Parses an STS AssumeRole / AssumeRoleWithWebIdentity / GetSessionToken XML response.
/// On success `*credentials_out` is a new handle: release it with sigfresh_credentials_free.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_document_parse_sts(
    doc: *const u8,
    doc_len: usize,
    credentials_out: *mut *const sigfresh_credentials,
) -> sigfresh_result {
    // SAFETY: caller contract (crate docs).
    unsafe { parse_with(doc, doc_len, credentials_out, document::parse_sts) }
}

/// Detects which credential document `doc` is and parses it: IMDS, container, process, SSO
/// (JSON), STS (XML), environment lines (`NAME=value` or `export NAME=value` setting
/// AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY), or a shared credentials or config file (its
/// `default` profile; sigfresh_document_parse_any_profile names another). On success
/// `*format_out` is the detected SIGFRESH_FORMAT_* and `*credentials_out` a new handle:
/// release it with sigfresh_credentials_free.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_document_parse_any(
    doc: *const u8,
    doc_len: usize,
    format_out: *mut sigfresh_document_format,
    credentials_out: *mut *const sigfresh_credentials,
) -> sigfresh_result {
    // SAFETY: caller contract (crate docs).
    unsafe {
        sigfresh_document_parse_any_profile(
            doc,
            doc_len,
            c"default".as_ptr(),
            7,
            format_out,
            credentials_out,
        )
    }
}

/// As sigfresh_document_parse_any, reading the profile `profile` (UTF-8, case-sensitive) when
/// `doc` is a shared credentials or config file: SIGFRESH_DOCUMENT_PROFILE_NOT_FOUND when the
/// file has no such profile, SIGFRESH_DOCUMENT_PROFILE_WITHOUT_KEYS when it has no static keys
/// (role, process and SSO profiles need the credential chain). On success `*format_out` is the
/// detected SIGFRESH_FORMAT_* and `*credentials_out` a new handle: release it with
/// sigfresh_credentials_free.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_document_parse_any_profile(
    doc: *const u8,
    doc_len: usize,
    profile: *const c_char,
    profile_len: usize,
    format_out: *mut sigfresh_document_format,
    credentials_out: *mut *const sigfresh_credentials,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: caller contract (crate docs).
        let (d, p, f, o) = unsafe {
            (
                bytes(doc, doc_len, "doc")?,
                text(profile, profile_len, "profile")?,
                out(format_out, "format_out")?,
                out(credentials_out, "credentials_out")?,
            )
        };
        let (format, c) = document::parse_any_profile(d, p)?;
        f.write(format_code(format));
        o.write(new_handle(c));
        Ok(())
    })
}

/// Reads credentials from environment variables given as name/value pairs (AWS_ACCESS_KEY_ID,
/// AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_CREDENTIAL_EXPIRATION, AWS_ACCOUNT_ID; the
/// last pair with a name wins). Every pair must be UTF-8: pass the AWS_* variables rather than
/// a whole environment that may hold other encodings. SIGFRESH_ABSENT when neither key is set.
/// On success `*credentials_out` is a new handle: release it with sigfresh_credentials_free.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_document_parse_env(
    vars: *const sigfresh_pair,
    vars_len: usize,
    credentials_out: *mut *const sigfresh_credentials,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: caller contract (crate docs).
        let (v, o) = unsafe {
            (
                slice(vars, vars_len, "vars")?,
                out(credentials_out, "credentials_out")?,
            )
        };
        let mut env = Vec::new();
        // SAFETY: caller contract: every pair's pointers are valid for their lengths.
        unsafe { pairs_into(v, "vars", &mut env) }?;
        let c = document::parse_env(&env[..])?.ok_or_else(|| {
            Error::absent("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are both unset")
        })?;
        o.write(new_handle(c));
        Ok(())
    })
}

/// A short human name of a SIGFRESH_FORMAT_* constant (static; do not free), or NULL for an
/// unknown number.
#[no_mangle]
pub extern "C" fn sigfresh_document_format_name(format: sigfresh_document_format) -> *const c_char {
    let name = std::panic::catch_unwind(|| match format {
        SIGFRESH_FORMAT_INSTANCE_METADATA => Some(c"IMDS credentials"),
        SIGFRESH_FORMAT_CONTAINER => Some(c"container credentials"),
        SIGFRESH_FORMAT_PROCESS => Some(c"credential_process output"),
        SIGFRESH_FORMAT_SSO => Some(c"SSO GetRoleCredentials response"),
        SIGFRESH_FORMAT_STS => Some(c"STS response"),
        SIGFRESH_FORMAT_ENVIRONMENT => Some(c"environment"),
        SIGFRESH_FORMAT_CREDENTIALS_FILE => Some(c"shared credentials file"),
        SIGFRESH_FORMAT_CONFIG_FILE => Some(c"config file"),
        _ => None,
    });
    match name {
        Ok(Some(n)) => n.as_ptr(),
        _ => core::ptr::null(),
    }
}

/// The profiles and SSO sessions of a shared credentials file and config file. Immutable;
/// share between threads freely. Release with sigfresh_profile_set_free.
pub struct sigfresh_profile_set {
    _private: [u8; 0],
}

handle_impl!(sigfresh_profile_set => ProfileSet, 0x5347_4652_5052_4f46);

/// Parses the text of the shared credentials file and of the config file; either may be NULL
/// (file absent). Errors name the file and line. On success `*set_out` is a new handle: release
/// it with sigfresh_profile_set_free.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_profile_set_parse(
    credentials_text: *const c_char,
    credentials_text_len: usize,
    config_text: *const c_char,
    config_text_len: usize,
    set_out: *mut *const sigfresh_profile_set,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: caller contract (crate docs).
        let (cred, conf, o) = unsafe {
            (
                opt_text(credentials_text, credentials_text_len, "credentials_text")?,
                opt_text(config_text, config_text_len, "config_text")?,
                out(set_out, "set_out")?,
            )
        };
        let set = ProfileSet::parse(cred, conf)?;
        o.write(into_handle::<sigfresh_profile_set>(set).cast_const());
        Ok(())
    })
}

/// Releases a profile set. NULL is a no-op.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_profile_set_free(
    set: *const sigfresh_profile_set,
) -> sigfresh_result {
    // SAFETY: caller contract (crate docs).
    unsafe { free(set) }
}

/// The number of profiles (not counting SSO sessions).
#[no_mangle]
pub unsafe extern "C" fn sigfresh_profile_set_profile_count(
    set: *const sigfresh_profile_set,
    count_out: *mut usize,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: caller contract (crate docs).
        let (s, o) = unsafe { (get(set, "set")?, out(count_out, "count_out")?) };
        o.write(s.profiles().count());
        Ok(())
    })
}

/// The name of profile number `index` (profiles are ordered by name), borrowed from the set.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_profile_set_profile_name(
    set: *const sigfresh_profile_set,
    index: usize,
    name_out: *mut sigfresh_str,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: caller contract (crate docs).
        let (s, o) = unsafe { (get(set, "set")?, out(name_out, "name_out")?) };
        let count = s.profiles().count();
        let p = s
            .profiles()
            .nth(index)
            .ok_or_else(|| Error::index("index", index, count))?;
        o.write(sigfresh_str::of(p.name()));
        Ok(())
    })
}

fn profile<'a>(s: &'a ProfileSet, name: &str, sso: bool) -> Res<&'a document::Profile> {
    let found = if sso {
        s.sso_session(name)
    } else {
        s.profile(name)
    };
    found.ok_or_else(|| {
        let what = if sso { "SSO session" } else { "profile" };
        Error::new(SIGFRESH_NOT_FOUND, format!("no {what} named {name:?}"))
    })
}

/// # Safety
/// Caller contract (crate docs).
unsafe fn get_property(
    set: *const sigfresh_profile_set,
    name: *const c_char,
    name_len: usize,
    key: *const c_char,
    key_len: usize,
    value_out: *mut sigfresh_str,
    sso: bool,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: forwarded contract.
        let (s, n, k, o) = unsafe {
            (
                get(set, "set")?,
                text(name, name_len, "name")?,
                text(key, key_len, "key")?,
                out(value_out, "value_out")?,
            )
        };
        let v = profile(s, n, sso)?
            .get(k)
            .ok_or_else(|| Error::absent("property"))?;
        o.write(sigfresh_str::of(v));
        Ok(())
    })
}

/// The value of property `key` (ASCII case-insensitive, e.g. "region") of profile `name`,
/// borrowed from the set. SIGFRESH_NOT_FOUND when there is no such profile, SIGFRESH_ABSENT
/// when the profile has no such key.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_profile_set_get(
    set: *const sigfresh_profile_set,
    name: *const c_char,
    name_len: usize,
    key: *const c_char,
    key_len: usize,
    value_out: *mut sigfresh_str,
) -> sigfresh_result {
    // SAFETY: caller contract (crate docs).
    unsafe { get_property(set, name, name_len, key, key_len, value_out, false) }
}

/// Like sigfresh_profile_set_get, for an `[sso-session name]` section.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_profile_set_sso_session_get(
    set: *const sigfresh_profile_set,
    name: *const c_char,
    name_len: usize,
    key: *const c_char,
    key_len: usize,
    value_out: *mut sigfresh_str,
) -> sigfresh_result {
    // SAFETY: caller contract (crate docs).
    unsafe { get_property(set, name, name_len, key, key_len, value_out, true) }
}

/// The static credentials of profile `name` (aws_access_key_id / aws_secret_access_key, with
/// aws_session_token and aws_account_id when set). SIGFRESH_NOT_FOUND when there is no such
/// profile; SIGFRESH_ABSENT when it sets neither key (it gets credentials another way). On
/// success `*credentials_out` is a new handle: release it with sigfresh_credentials_free.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_profile_set_credentials(
    set: *const sigfresh_profile_set,
    name: *const c_char,
    name_len: usize,
    credentials_out: *mut *const sigfresh_credentials,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: caller contract (crate docs).
        let (s, n, o) = unsafe {
            (
                get(set, "set")?,
                text(name, name_len, "name")?,
                out(credentials_out, "credentials_out")?,
            )
        };
        let c = profile(s, n, false)?
            .credentials()?
            .ok_or_else(|| Error::absent("static credentials in this profile"))?;
        o.write(new_handle(c));
        Ok(())
    })
}
