//! Credentials handles: build, read, free. The secret access key and session token leave the
//! library only through the two `*_expose` functions.

use crate::handle::{
    boundary, free, get, handle_impl, into_handle, opt_text, out, out_buf, text, Error,
};
use crate::result::*;
use core::ffi::c_char;
use sigfresh::credentials::{CredentialSource, Credentials};
use sigfresh::time::Timestamp;

/// AWS credentials (access key id, secret, optional session token, expiry, account id,
/// source). Immutable; share between threads freely. Release with sigfresh_credentials_free.
pub struct sigfresh_credentials {
    _private: [u8; 0],
}

handle_impl!(sigfresh_credentials => Credentials, 0x5347_4652_4352_4544);

/// Where credentials came from (`sigfresh_credential_source`).
pub type sigfresh_credential_source = u32;
/// Given directly by the host.
pub const SIGFRESH_CREDENTIAL_SOURCE_STATIC: sigfresh_credential_source = 0;
/// Environment variables.
pub const SIGFRESH_CREDENTIAL_SOURCE_ENVIRONMENT: sigfresh_credential_source = 1;
/// A shared credentials/config file profile (sigfresh_credentials_profile_name gives it).
pub const SIGFRESH_CREDENTIAL_SOURCE_PROFILE: sigfresh_credential_source = 2;
/// EC2 instance metadata (IMDS).
pub const SIGFRESH_CREDENTIAL_SOURCE_INSTANCE_METADATA: sigfresh_credential_source = 3;
/// The ECS/EKS container credentials endpoint.
pub const SIGFRESH_CREDENTIAL_SOURCE_CONTAINER_ENDPOINT: sigfresh_credential_source = 4;
/// credential_process output.
pub const SIGFRESH_CREDENTIAL_SOURCE_PROCESS: sigfresh_credential_source = 5;
/// IAM Identity Center (SSO).
pub const SIGFRESH_CREDENTIAL_SOURCE_SSO: sigfresh_credential_source = 6;
/// An STS response.
pub const SIGFRESH_CREDENTIAL_SOURCE_STS: sigfresh_credential_source = 7;
/// A source this version of the ABI has no constant for (output only).
pub const SIGFRESH_CREDENTIAL_SOURCE_OTHER: sigfresh_credential_source = 99;

pub(crate) fn source_code(s: &CredentialSource) -> sigfresh_credential_source {
    match s {
        CredentialSource::Static => SIGFRESH_CREDENTIAL_SOURCE_STATIC,
        CredentialSource::Environment => SIGFRESH_CREDENTIAL_SOURCE_ENVIRONMENT,
        CredentialSource::Profile(_) => SIGFRESH_CREDENTIAL_SOURCE_PROFILE,
        CredentialSource::InstanceMetadata => SIGFRESH_CREDENTIAL_SOURCE_INSTANCE_METADATA,
        CredentialSource::ContainerEndpoint => SIGFRESH_CREDENTIAL_SOURCE_CONTAINER_ENDPOINT,
        CredentialSource::Process => SIGFRESH_CREDENTIAL_SOURCE_PROCESS,
        CredentialSource::Sso => SIGFRESH_CREDENTIAL_SOURCE_SSO,
        CredentialSource::Sts => SIGFRESH_CREDENTIAL_SOURCE_STS,
        _ => SIGFRESH_CREDENTIAL_SOURCE_OTHER,
    }
}

/// The credentials behind a handle argument.
///
/// # Safety
/// Crate contract for handles.
pub(crate) unsafe fn creds<'a>(
    p: *const sigfresh_credentials,
    arg: &str,
) -> Result<&'a Credentials, Error> {
    // SAFETY: forwarded contract.
    unsafe { get::<sigfresh_credentials>(p, arg) }
}

/// Returns a new credentials handle.
pub(crate) fn new_handle(c: Credentials) -> *const sigfresh_credentials {
    into_handle::<sigfresh_credentials>(c).cast_const()
}

/// Builds credentials. `session_token` and `account_id` are optional (NULL: none);
/// `expiry_ms` is optional (NULL: the credentials do not expire). `source` is one of
/// SIGFRESH_CREDENTIAL_SOURCE_* except SIGFRESH_CREDENTIAL_SOURCE_PROFILE and SIGFRESH_CREDENTIAL_SOURCE_OTHER (profile
/// credentials come from sigfresh_profile_set_credentials). Validation is the core's: non-empty
/// visible ASCII, no '/' in the access key id. On success `*credentials_out` is a new handle:
/// release it with sigfresh_credentials_free.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_credentials_new(
    access_key_id: *const c_char,
    access_key_id_len: usize,
    secret_access_key: *const c_char,
    secret_access_key_len: usize,
    session_token: *const c_char,
    session_token_len: usize,
    expiry_ms: *const i64,
    account_id: *const c_char,
    account_id_len: usize,
    source: sigfresh_credential_source,
    credentials_out: *mut *const sigfresh_credentials,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: caller contract (crate docs): each pointer is valid for its length.
        let (akid, secret, token, account, o) = unsafe {
            (
                text(access_key_id, access_key_id_len, "access_key_id")?,
                text(
                    secret_access_key,
                    secret_access_key_len,
                    "secret_access_key",
                )?,
                opt_text(session_token, session_token_len, "session_token")?,
                opt_text(account_id, account_id_len, "account_id")?,
                out(credentials_out, "credentials_out")?,
            )
        };
        // SAFETY: caller contract: `expiry_ms` is NULL or points to one int64_t.
        let expiry = unsafe { crate::handle::opt_ref(expiry_ms, "expiry_ms") }?
            .map(|ms| Timestamp::from_unix_millis(*ms));
        let source = match source {
            SIGFRESH_CREDENTIAL_SOURCE_STATIC => CredentialSource::Static,
            SIGFRESH_CREDENTIAL_SOURCE_ENVIRONMENT => CredentialSource::Environment,
            SIGFRESH_CREDENTIAL_SOURCE_INSTANCE_METADATA => CredentialSource::InstanceMetadata,
            SIGFRESH_CREDENTIAL_SOURCE_CONTAINER_ENDPOINT => CredentialSource::ContainerEndpoint,
            SIGFRESH_CREDENTIAL_SOURCE_PROCESS => CredentialSource::Process,
            SIGFRESH_CREDENTIAL_SOURCE_SSO => CredentialSource::Sso,
            SIGFRESH_CREDENTIAL_SOURCE_STS => CredentialSource::Sts,
            other => {
                return Err(Error::invalid(
                    "source",
                    format!("{other} is not accepted here"),
                ))
            }
        };
        let mut b = Credentials::builder(akid, secret)
            .session_token_opt(token.map(str::to_owned))
            .expiry_opt(expiry)
            .source(source);
        if let Some(a) = account {
            b = b.account_id(a);
        }
        o.write(new_handle(b.build()?));
        Ok(())
    })
}

/// Releases credentials. NULL is a no-op; a freed handle gives SIGFRESH_HANDLE_FREED. The
/// secret is wiped when the last user (handle, cache, signer output) lets go of it.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_credentials_free(
    credentials: *const sigfresh_credentials,
) -> sigfresh_result {
    // SAFETY: caller contract (crate docs).
    unsafe { free(credentials) }
}

/// Copies the access key id (not secret) into a caller buffer.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_credentials_access_key_id(
    credentials: *const sigfresh_credentials,
    buf: *mut c_char,
    buf_len: usize,
    len_out: *mut usize,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: caller contract (crate docs).
        let (c, o) = unsafe {
            (
                creds(credentials, "credentials")?,
                out_buf(buf, buf_len, len_out, "len_out")?,
            )
        };
        o.write_str(c.access_key_id().as_str())
    })
}

/// SECRET. Copies the secret access key into a caller buffer. Call this only to hand the secret
/// to something that needs it verbatim; signing never does (pass the handle instead). The caller
/// owns the copy: wipe it (explicit_bzero) when done.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_credentials_secret_access_key_expose(
    credentials: *const sigfresh_credentials,
    buf: *mut c_char,
    buf_len: usize,
    len_out: *mut usize,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: caller contract (crate docs).
        let (c, o) = unsafe {
            (
                creds(credentials, "credentials")?,
                out_buf(buf, buf_len, len_out, "len_out")?,
            )
        };
        o.write_str(c.secret_access_key().expose_secret())
    })
}

/// SECRET. Copies the session token into a caller buffer; SIGFRESH_ABSENT for long-term
/// credentials. Signing adds it to requests itself; wipe the copy when done.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_credentials_session_token_expose(
    credentials: *const sigfresh_credentials,
    buf: *mut c_char,
    buf_len: usize,
    len_out: *mut usize,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: caller contract (crate docs).
        let (c, o) = unsafe {
            (
                creds(credentials, "credentials")?,
                out_buf(buf, buf_len, len_out, "len_out")?,
            )
        };
        let t = c
            .session_token()
            .ok_or_else(|| Error::absent("session token"))?;
        o.write_str(t.expose_secret())
    })
}

/// Whether the credentials carry a session token (temporary credentials).
#[no_mangle]
pub unsafe extern "C" fn sigfresh_credentials_has_session_token(
    credentials: *const sigfresh_credentials,
    has_out: *mut bool,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: caller contract (crate docs).
        let (c, o) = unsafe { (creds(credentials, "credentials")?, out(has_out, "has_out")?) };
        o.write(c.session_token().is_some());
        Ok(())
    })
}

/// When the credentials expire, in Unix ms; SIGFRESH_ABSENT when they do not expire.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_credentials_expiry(
    credentials: *const sigfresh_credentials,
    ms_out: *mut i64,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: caller contract (crate docs).
        let (c, o) = unsafe { (creds(credentials, "credentials")?, out(ms_out, "ms_out")?) };
        let e = c.expiry().ok_or_else(|| Error::absent("expiry"))?;
        o.write(e.unix_millis());
        Ok(())
    })
}

/// Copies the AWS account id into a caller buffer; SIGFRESH_ABSENT when unknown.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_credentials_account_id(
    credentials: *const sigfresh_credentials,
    buf: *mut c_char,
    buf_len: usize,
    len_out: *mut usize,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: caller contract (crate docs).
        let (c, o) = unsafe {
            (
                creds(credentials, "credentials")?,
                out_buf(buf, buf_len, len_out, "len_out")?,
            )
        };
        o.write_str(c.account_id().ok_or_else(|| Error::absent("account id"))?)
    })
}

/// Where the credentials came from (SIGFRESH_CREDENTIAL_SOURCE_*).
#[no_mangle]
pub unsafe extern "C" fn sigfresh_credentials_source(
    credentials: *const sigfresh_credentials,
    source_out: *mut sigfresh_credential_source,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: caller contract (crate docs).
        let (c, o) = unsafe {
            (
                creds(credentials, "credentials")?,
                out(source_out, "source_out")?,
            )
        };
        o.write(source_code(c.source()));
        Ok(())
    })
}

/// Copies the profile name of SIGFRESH_CREDENTIAL_SOURCE_PROFILE credentials into a caller buffer;
/// SIGFRESH_ABSENT for other sources.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_credentials_profile_name(
    credentials: *const sigfresh_credentials,
    buf: *mut c_char,
    buf_len: usize,
    len_out: *mut usize,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: caller contract (crate docs).
        let (c, o) = unsafe {
            (
                creds(credentials, "credentials")?,
                out_buf(buf, buf_len, len_out, "len_out")?,
            )
        };
        match c.source() {
            CredentialSource::Profile(name) => o.write_str(name),
            _ => Err(Error::absent("profile name")),
        }
    })
}
