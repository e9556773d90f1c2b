//! Signing settings: a builder handle with one setter per knob, each an enum-like constant.

use crate::handle::{
    boundary, free, get_mut, handle_impl, into_handle, out, pick, slice, text, At, Error, Res,
};
use crate::result::*;
use crate::sigfresh_str;
use sigfresh::sigv4::{
    ContentSha256Header, HeaderSelection, PathNormalization, PresignedPayload, SessionTokenMode,
    SignatureLocation, SigningSettings, UriEncoding,
};

/// How the canonical URI path is encoded (`sigfresh_uri_encoding`).
pub type sigfresh_uri_encoding = u32;
/// Encode the path once more (every service but S3). The default.
pub const SIGFRESH_URI_ENCODING_DOUBLE: sigfresh_uri_encoding = 0;
/// Decode and encode once (S3).
pub const SIGFRESH_URI_ENCODING_SINGLE: sigfresh_uri_encoding = 1;

/// Whether dot segments and repeated slashes are removed (`sigfresh_path_normalization`).
pub type sigfresh_path_normalization = u32;
/// Normalize the path (every service but S3). The default.
pub const SIGFRESH_PATH_NORMALIZATION_ENABLED: sigfresh_path_normalization = 0;
/// Sign the path as sent (S3).
pub const SIGFRESH_PATH_NORMALIZATION_DISABLED: sigfresh_path_normalization = 1;

/// Where the session token goes (`sigfresh_session_token_mode`).
pub type sigfresh_session_token_mode = u32;
/// X-Amz-Security-Token is signed. The default.
pub const SIGFRESH_SESSION_TOKEN_SIGNED: sigfresh_session_token_mode = 0;
/// The token is added after signing, unsigned (AWS IoT and a few others).
pub const SIGFRESH_SESSION_TOKEN_APPEND_AFTER_SIGNING: sigfresh_session_token_mode = 1;

/// Whether x-amz-content-sha256 is added (`sigfresh_content_sha256`).
pub type sigfresh_content_sha256 = u32;
/// Do not add it. The default.
pub const SIGFRESH_CONTENT_SHA256_OMIT: sigfresh_content_sha256 = 0;
/// Add and sign it (S3).
pub const SIGFRESH_CONTENT_SHA256_ADD: sigfresh_content_sha256 = 1;

/// Which request headers are signed (`sigfresh_header_selection`).
pub type sigfresh_header_selection = u32;
/// Every header except those proxies change (user-agent, x-amzn-trace-id, hop-by-hop...).
pub const SIGFRESH_HEADERS_DEFAULT: sigfresh_header_selection = 0;
/// Only the listed headers (plus host and the signer's own).
pub const SIGFRESH_HEADERS_ALLOW_LIST: sigfresh_header_selection = 1;
/// The default set minus the listed headers.
pub const SIGFRESH_HEADERS_DENY_LIST: sigfresh_header_selection = 2;

/// What a presigned request signs as its payload (`sigfresh_presigned_payload`).
pub type sigfresh_presigned_payload = u32;
/// The payload the request describes (every service but S3). The default.
pub const SIGFRESH_PRESIGNED_PAYLOAD_AS_GIVEN: sigfresh_presigned_payload = 0;
/// UNSIGNED-PAYLOAD whatever the request describes (S3; the default of the S3 settings).
pub const SIGFRESH_PRESIGNED_PAYLOAD_UNSIGNED: sigfresh_presigned_payload = 1;

/// Where the signature goes (`sigfresh_signature_location`).
pub type sigfresh_signature_location = u32;
/// An Authorization header. The default.
pub const SIGFRESH_LOCATION_HEADERS: sigfresh_signature_location = 0;
/// Query parameters: a presigned URL.
pub const SIGFRESH_LOCATION_QUERY_STRING: sigfresh_signature_location = 1;

/// Signing settings under construction (starts from the defaults of every service but S3,
/// or from S3's). Not thread-safe while being changed. Release with
/// sigfresh_signing_settings_free.
pub struct sigfresh_signing_settings {
    _private: [u8; 0],
}

handle_impl!(sigfresh_signing_settings => SigningSettings, 0x5347_4652_5345_5454);

/// New signing settings with the defaults for every service except S3 (double URI encoding,
/// path normalization, signed session token, no x-amz-content-sha256, default header set,
/// header signing). On success `*settings_out` is a new handle: release it with
/// sigfresh_signing_settings_free.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_signing_settings_new(
    settings_out: *mut *mut sigfresh_signing_settings,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: caller contract (crate docs).
        let o = unsafe { out(settings_out, "settings_out") }?;
        o.write(into_handle::<sigfresh_signing_settings>(
            SigningSettings::default(),
        ));
        Ok(())
    })
}

/// New signing settings with S3's rules (single encoding, no normalization,
/// x-amz-content-sha256 added). Release with sigfresh_signing_settings_free.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_signing_settings_new_s3(
    settings_out: *mut *mut sigfresh_signing_settings,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: caller contract (crate docs).
        let o = unsafe { out(settings_out, "settings_out") }?;
        o.write(into_handle::<sigfresh_signing_settings>(
            SigningSettings::s3(),
        ));
        Ok(())
    })
}

/// Releases signing settings. NULL is a no-op. Signers built from them are unaffected.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_signing_settings_free(
    settings: *mut sigfresh_signing_settings,
) -> sigfresh_result {
    // SAFETY: caller contract (crate docs).
    unsafe { free(settings) }
}

/// Applies `f` to the settings behind a handle.
///
/// # Safety
/// Caller contract (crate docs).
unsafe fn edit(
    settings: *mut sigfresh_signing_settings,
    f: impl FnOnce(&mut SigningSettings) -> Res,
) -> sigfresh_result {
    boundary(|| {
        // SAFETY: forwarded contract.
        f(unsafe { get_mut(settings, "settings") }?)
    })
}

/// Sets the URI encoding (SIGFRESH_URI_ENCODING_*).
#[no_mangle]
pub unsafe extern "C" fn sigfresh_signing_settings_set_uri_encoding(
    settings: *mut sigfresh_signing_settings,
    encoding: sigfresh_uri_encoding,
) -> sigfresh_result {
    // SAFETY: caller contract (crate docs).
    unsafe {
        edit(settings, |s| {
            s.uri_encoding = uri_encoding(encoding)?;
            Ok(())
        })
    }
}

/// Sets path normalization (SIGFRESH_PATH_NORMALIZATION_*).
#[no_mangle]
pub unsafe extern "C" fn sigfresh_signing_settings_set_path_normalization(
    settings: *mut sigfresh_signing_settings,
    normalization: sigfresh_path_normalization,
) -> sigfresh_result {
    // SAFETY: caller contract (crate docs).
    unsafe {
        edit(settings, |s| {
            s.path_normalization = path_normalization(normalization)?;
            Ok(())
        })
    }
}

/// Sets where the session token goes (SIGFRESH_SESSION_TOKEN_*).
#[no_mangle]
pub unsafe extern "C" fn sigfresh_signing_settings_set_session_token_mode(
    settings: *mut sigfresh_signing_settings,
    mode: sigfresh_session_token_mode,
) -> sigfresh_result {
    // SAFETY: caller contract (crate docs).
    unsafe {
        edit(settings, |s| {
            s.session_token = session_token_mode(mode)?;
            Ok(())
        })
    }
}

/// Sets what presigned requests sign as their payload (SIGFRESH_PRESIGNED_PAYLOAD_*). Header
/// signing is not affected.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_signing_settings_set_presigned_payload(
    settings: *mut sigfresh_signing_settings,
    payload: sigfresh_presigned_payload,
) -> sigfresh_result {
    // SAFETY: caller contract (crate docs).
    unsafe {
        edit(settings, |s| {
            s.presigned_payload = presigned_payload(payload)?;
            Ok(())
        })
    }
}

pub(crate) fn presigned_payload(v: u32) -> Res<PresignedPayload> {
    pick(
        "payload",
        v,
        &[
            (
                SIGFRESH_PRESIGNED_PAYLOAD_AS_GIVEN,
                PresignedPayload::AsGiven,
            ),
            (
                SIGFRESH_PRESIGNED_PAYLOAD_UNSIGNED,
                PresignedPayload::Unsigned,
            ),
        ],
    )
}

pub(crate) fn session_token_mode(mode: u32) -> Res<SessionTokenMode> {
    pick(
        "mode",
        mode,
        &[
            (SIGFRESH_SESSION_TOKEN_SIGNED, SessionTokenMode::Signed),
            (
                SIGFRESH_SESSION_TOKEN_APPEND_AFTER_SIGNING,
                SessionTokenMode::AppendAfterSigning,
            ),
        ],
    )
}

pub(crate) fn uri_encoding(v: u32) -> Res<UriEncoding> {
    pick(
        "encoding",
        v,
        &[
            (SIGFRESH_URI_ENCODING_DOUBLE, UriEncoding::Double),
            (SIGFRESH_URI_ENCODING_SINGLE, UriEncoding::Single),
        ],
    )
}

pub(crate) fn path_normalization(v: u32) -> Res<PathNormalization> {
    pick(
        "normalization",
        v,
        &[
            (
                SIGFRESH_PATH_NORMALIZATION_ENABLED,
                PathNormalization::Enabled,
            ),
            (
                SIGFRESH_PATH_NORMALIZATION_DISABLED,
                PathNormalization::Disabled,
            ),
        ],
    )
}

/// Sets whether x-amz-content-sha256 is added (SIGFRESH_CONTENT_SHA256_*).
#[no_mangle]
pub unsafe extern "C" fn sigfresh_signing_settings_set_content_sha256(
    settings: *mut sigfresh_signing_settings,
    content_sha256: sigfresh_content_sha256,
) -> sigfresh_result {
    // SAFETY: caller contract (crate docs).
    unsafe {
        edit(settings, |s| {
            s.content_sha256 = pick(
                "content_sha256",
                content_sha256,
                &[
                    (SIGFRESH_CONTENT_SHA256_OMIT, ContentSha256Header::Omit),
                    (SIGFRESH_CONTENT_SHA256_ADD, ContentSha256Header::Add),
                ],
            )?;
            Ok(())
        })
    }
}

/// Sets which headers are signed (SIGFRESH_HEADERS_*). `names` (UTF-8 header names, copied) is
/// the allow or deny list; it must be empty for SIGFRESH_HEADERS_DEFAULT. Names are checked
/// when a signer is built (SIGFRESH_SIGN_INVALID_HEADER_SELECTION).
#[no_mangle]
pub unsafe extern "C" fn sigfresh_signing_settings_set_header_selection(
    settings: *mut sigfresh_signing_settings,
    selection: sigfresh_header_selection,
    names: *const sigfresh_str,
    names_len: usize,
) -> sigfresh_result {
    // SAFETY: caller contract (crate docs).
    unsafe {
        edit(settings, |s| {
            let list = slice(names, names_len, "names")?
                .iter()
                .enumerate()
                .map(|(i, n)| text(n.ptr, n.len, At("names", i, "ptr")).map(str::to_owned))
                .collect::<Res<Vec<_>>>()?;
            s.headers = match selection {
                SIGFRESH_HEADERS_DEFAULT if list.is_empty() => HeaderSelection::Default,
                SIGFRESH_HEADERS_DEFAULT => {
                    return Err(Error::invalid(
                        "names",
                        "must be empty for SIGFRESH_HEADERS_DEFAULT",
                    ))
                }
                SIGFRESH_HEADERS_ALLOW_LIST => HeaderSelection::AllowList(list),
                SIGFRESH_HEADERS_DENY_LIST => HeaderSelection::DenyList(list),
                other => {
                    return Err(Error::invalid(
                        "selection",
                        format!("{other} is not a constant"),
                    ))
                }
            };
            Ok(())
        })
    }
}

/// Sets where the signature goes (SIGFRESH_LOCATION_*). For SIGFRESH_LOCATION_QUERY_STRING
/// (presigning) `expires_in_secs` is X-Amz-Expires (1..=604800, checked when a signer is
/// built); it is ignored for SIGFRESH_LOCATION_HEADERS.
#[no_mangle]
pub unsafe extern "C" fn sigfresh_signing_settings_set_location(
    settings: *mut sigfresh_signing_settings,
    location: sigfresh_signature_location,
    expires_in_secs: u32,
) -> sigfresh_result {
    // SAFETY: caller contract (crate docs).
    unsafe {
        edit(settings, |s| {
            s.location = match location {
                SIGFRESH_LOCATION_HEADERS => SignatureLocation::Headers,
                SIGFRESH_LOCATION_QUERY_STRING => {
                    SignatureLocation::QueryString { expires_in_secs }
                }
                other => {
                    return Err(Error::invalid(
                        "location",
                        format!("{other} is not a constant"),
                    ))
                }
            };
            Ok(())
        })
    }
}
