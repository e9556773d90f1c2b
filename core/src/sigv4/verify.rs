//! Verification: the mirror image of signing, for API authors and for diagnosing failures.
//!
//! Given a signed request (header-signed or presigned), a lookup from access key id to
//! credentials, and `now`, [`verify`] recomputes the signature over exactly the headers the
//! request says it signed, and answers `Ok` or the precise reason it would be rejected. The
//! final comparison is constant-time.
//!
//! ```
//! use sigfresh::credentials::Credentials;
//! use sigfresh::sigv4::{verify, Payload, SignableRequest, Signer, SigningSettings, VerifySettings};
//! use sigfresh::time::Timestamp;
//!
//! let creds = Credentials::builder("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY").build()?;
//! let t = Timestamp::from_unix_seconds(1_440_938_160);
//! let req = SignableRequest::new("GET", "https://example.amazonaws.com/", &[], Payload::Bytes(b""));
//! let out = Signer::new("us-east-1", "service", SigningSettings::default())?.sign(&req, &creds, t)?;
//! let mut headers = vec![("host", "example.amazonaws.com")];
//! headers.extend(out.headers());
//! let signed = SignableRequest::new("GET", "/", &headers, Payload::Bytes(b""));
//! let ok = verify(&signed, |id| (id == "AKIDEXAMPLE").then(|| creds.clone()), t, &VerifySettings::default())?;
//! assert_eq!(ok.service, "service");
//! # Ok::<(), Box<dyn core::error::Error>>(())
//! ```

use super::canonical::{sort_headers, write_canonical_request, CanonicalParts, Header, HeaderList};
use super::encode::Decoded;
use super::request::split_uri;
use super::settings::{
    PathNormalization, PresignedPayload, SessionTokenMode, UriEncoding, MAX_PRESIGN_EXPIRES_SECS,
};
use super::{finish_signature, PayloadHash, SigningError, ALGORITHM};
use crate::credentials::Credentials;
use crate::prelude::*;
use crate::time::{parse_amz_date, Timestamp};
use alloc::borrow::Cow;
use core::fmt;
use subtle::ConstantTimeEq;
use zeroize::{Zeroize, Zeroizing};

/// How to verify. Start from [`VerifySettings::default`] or [`VerifySettings::s3`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct VerifySettings {
    /// Path encoding the signer used; default [`UriEncoding::Double`].
    pub uri_encoding: UriEncoding,
    /// Path normalization the signer used; default [`PathNormalization::Enabled`].
    pub path_normalization: PathNormalization,
    /// How far the signing time of a header-signed request may be from `now`, and how far in
    /// the future a presigned URL's start may be; default 900 s (AWS's 15 minutes).
    pub max_skew_secs: u32,
    /// Whether a presigned URL's `X-Amz-Security-Token` was signed; default
    /// [`SessionTokenMode::Signed`]. (For header signing the `SignedHeaders` list says so.)
    pub session_token: SessionTokenMode,
    /// The payload a presigned URL was signed over; default [`PresignedPayload::AsGiven`] (the
    /// request's payload), [`PresignedPayload::Unsigned`] in [`VerifySettings::s3`].
    pub presigned_payload: PresignedPayload,
    /// Refuse a valid signature made with credentials that have expired by `now`
    /// ([`VerifyError::CredentialsExpired`]), as AWS answers `ExpiredToken`; default `true`.
    pub reject_expired_credentials: bool,
}

impl Default for VerifySettings {
    fn default() -> Self {
        VerifySettings {
            uri_encoding: UriEncoding::Double,
            path_normalization: PathNormalization::Enabled,
            max_skew_secs: 900,
            session_token: SessionTokenMode::Signed,
            presigned_payload: PresignedPayload::AsGiven,
            reject_expired_credentials: true,
        }
    }
}

impl VerifySettings {
    /// S3's rules: single encoding, no normalization, presigned URLs over `UNSIGNED-PAYLOAD`.
    pub fn s3() -> Self {
        VerifySettings {
            uri_encoding: UriEncoding::Single,
            path_normalization: PathNormalization::Disabled,
            presigned_payload: PresignedPayload::Unsigned,
            ..VerifySettings::default()
        }
    }
}

/// A request whose signature checked out.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Verified {
    /// The access key id that signed.
    pub access_key_id: String,
    /// The region from the credential scope.
    pub region: String,
    /// The service from the credential scope.
    pub service: String,
    /// When it was signed.
    pub signed_at: Timestamp,
    /// For a presigned request, when it stops being valid.
    pub expires_at: Option<Timestamp>,
    /// The signed header names, lowercase, as listed by the request.
    pub signed_headers: Vec<String>,
}

/// Why a request does not verify. Never contains the secret key; the canonical request in
/// [`VerifyError::SignatureMismatch`] has the session token replaced by `<redacted>`.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum VerifyError {
    /// Neither an `Authorization` header nor an `X-Amz-Signature` query parameter.
    MissingSignature,
    /// The signature information is malformed (what is wrong is named).
    Malformed(&'static str),
    /// An algorithm other than `AWS4-HMAC-SHA256` (SigV4a is not supported).
    UnsupportedAlgorithm(String),
    /// The lookup knows no such access key id.
    UnknownAccessKey(String),
    /// A header listed in `SignedHeaders` is not in the request.
    MissingSignedHeader(String),
    /// No `x-amz-date` header / `X-Amz-Date` parameter.
    MissingDate,
    /// `x-amz-date` is not `YYYYMMDDTHHMMSSZ`.
    InvalidDate,
    /// The credential scope's date is not the date of `x-amz-date`.
    ScopeDateMismatch,
    /// The signing time is too far from `now` (AWS: `RequestTimeTooSkewed`).
    RequestTimeTooSkewed {
        /// When the request says it was signed.
        signed_at: Timestamp,
        /// The verifier's time.
        now: Timestamp,
        /// The allowed difference in seconds.
        max_skew_secs: u32,
    },
    /// A presigned request past its `X-Amz-Expires`.
    Expired {
        /// When it stopped being valid.
        expired_at: Timestamp,
        /// The verifier's time.
        now: Timestamp,
    },
    /// `X-Amz-Expires` is not a number in 1..=604800.
    InvalidExpires,
    /// The signature is valid, but the credentials that made it expired at `expired_at`, before
    /// the verifier's `now` (AWS answers `ExpiredToken`). Only with
    /// [`VerifySettings::reject_expired_credentials`].
    CredentialsExpired {
        /// The credentials' expiry.
        expired_at: Timestamp,
        /// The verifier's time.
        now: Timestamp,
    },
    /// The request's session token is not the one issued with these credentials (or is
    /// missing).
    SessionTokenMismatch,
    /// The request itself cannot be canonicalized (bad URI, method...).
    Request(SigningError),
    /// The signature differs from the one computed over the request.
    SignatureMismatch {
        /// The canonical request the verifier computed (session token redacted).
        canonical_request: String,
        /// The string to sign the verifier computed.
        string_to_sign: String,
    },
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VerifyError::MissingSignature => {
                f.write_str("request is not signed: no Authorization header or X-Amz-Signature parameter")
            }
            VerifyError::Malformed(what) => write!(f, "malformed signature information: {what}"),
            VerifyError::UnsupportedAlgorithm(a) => {
                write!(f, "unsupported algorithm {a:?} (expected {ALGORITHM})")
            }
            VerifyError::UnknownAccessKey(id) => write!(f, "unknown access key id {id:?}"),
            VerifyError::MissingSignedHeader(h) => {
                write!(f, "header {h:?} is listed in SignedHeaders but not present")
            }
            VerifyError::MissingDate => f.write_str("no x-amz-date header or X-Amz-Date parameter"),
            VerifyError::InvalidDate => f.write_str("x-amz-date is not YYYYMMDDTHHMMSSZ"),
            VerifyError::ScopeDateMismatch => {
                f.write_str("the credential scope date is not the date of x-amz-date")
            }
            VerifyError::RequestTimeTooSkewed { signed_at, now, max_skew_secs } => write!(
                f,
                "signed at {signed_at}, {}s from the verifier's time {now}; at most {max_skew_secs}s is allowed",
                now.millis_since(*signed_at) / 1000
            ),
            VerifyError::Expired { expired_at, now } => {
                write!(f, "presigned request expired at {expired_at} (now {now})")
            }
            VerifyError::InvalidExpires => f.write_str("X-Amz-Expires must be 1..=604800 seconds"),
            VerifyError::CredentialsExpired { expired_at, now } => write!(
                f,
                "the signature is valid, but the credentials expired at {expired_at} (now {now}): \
                 AWS answers 403 ExpiredToken"
            ),
            VerifyError::SessionTokenMismatch => {
                f.write_str("the session token does not belong to these credentials")
            }
            VerifyError::Request(e) => write!(f, "request cannot be canonicalized: {e}"),
            VerifyError::SignatureMismatch { canonical_request, string_to_sign } => write!(
                f,
                "signature does not match. The canonical request computed was:\n{canonical_request}\n\
                 The string to sign was:\n{string_to_sign}"
            ),
        }
    }
}

impl core::error::Error for VerifyError {}

impl From<SigningError> for VerifyError {
    fn from(e: SigningError) -> Self {
        VerifyError::Request(e)
    }
}

/// The parsed signature information.
struct SigInfo<'a> {
    akid: &'a str,
    date: &'a str,
    region: &'a str,
    service: &'a str,
    signed_headers: &'a str,
    signature: String,
    amz_date: String,
    expires: Option<String>,
    /// Borrowed from a header; decoded (owned) from a presigned query, wiped on drop.
    token: Option<Cow<'a, str>>,
    presigned: bool,
}

impl Drop for SigInfo<'_> {
    fn drop(&mut self) {
        if let Some(Cow::Owned(t)) = &mut self.token {
            t.zeroize();
        }
    }
}

fn parse_credential(cred: &str) -> Result<(&str, &str, &str, &str), VerifyError> {
    let mut it = cred.rsplitn(5, '/');
    let term = it.next().ok_or(VerifyError::Malformed("Credential"))?;
    let service = it
        .next()
        .ok_or(VerifyError::Malformed("Credential has no service"))?;
    let region = it
        .next()
        .ok_or(VerifyError::Malformed("Credential has no region"))?;
    let date = it
        .next()
        .ok_or(VerifyError::Malformed("Credential has no date"))?;
    let akid = it
        .next()
        .ok_or(VerifyError::Malformed("Credential has no access key id"))?;
    if term != "aws4_request" {
        return Err(VerifyError::Malformed(
            "Credential scope must end in aws4_request",
        ));
    }
    if akid.is_empty() || date.len() != 8 || region.is_empty() || service.is_empty() {
        return Err(VerifyError::Malformed("Credential has an empty part"));
    }
    Ok((akid, date, region, service))
}

fn header<'a>(req: &super::SignableRequest<'a>, name: &str) -> Option<&'a str> {
    req.headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.trim())
}

/// Percent-decodes a query value. The buffer is allocated once at its final size (decoding
/// never lengthens) and becomes the result without a copy, so a decoded session token leaves
/// no freed partial copy behind; a value that is not UTF-8 is converted and its bytes wiped.
fn decode(s: &str) -> String {
    let mut bytes = Vec::with_capacity(s.len());
    bytes.extend(Decoded::new(s, true).map(|(b, _)| b));
    match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let bytes = Zeroizing::new(e.into_bytes());
            String::from_utf8_lossy(&bytes).into_owned()
        }
    }
}

fn from_authorization<'a>(
    auth: &'a str,
    req: &super::SignableRequest<'a>,
) -> Result<SigInfo<'a>, VerifyError> {
    let (alg, rest) = auth
        .split_once(' ')
        .ok_or(VerifyError::Malformed("Authorization"))?;
    if alg != ALGORITHM {
        return Err(VerifyError::UnsupportedAlgorithm(alg.to_string()));
    }
    let (mut cred, mut signed, mut sig) = (None, None, None);
    for part in rest.split(',') {
        let (k, v) = part
            .trim()
            .split_once('=')
            .ok_or(VerifyError::Malformed("Authorization"))?;
        match k {
            "Credential" => cred = Some(v),
            "SignedHeaders" => signed = Some(v),
            "Signature" => sig = Some(v),
            _ => return Err(VerifyError::Malformed("unknown Authorization component")),
        }
    }
    let cred = cred.ok_or(VerifyError::Malformed("Authorization has no Credential"))?;
    let (akid, date, region, service) = parse_credential(cred)?;
    Ok(SigInfo {
        akid,
        date,
        region,
        service,
        signed_headers: signed
            .ok_or(VerifyError::Malformed("Authorization has no SignedHeaders"))?,
        signature: sig
            .ok_or(VerifyError::Malformed("Authorization has no Signature"))?
            .to_string(),
        amz_date: header(req, "x-amz-date")
            .ok_or(VerifyError::MissingDate)?
            .to_string(),
        expires: None,
        token: header(req, "x-amz-security-token").map(Cow::Borrowed),
        presigned: false,
    })
}

/// The signature information of a presigned request. The query is split on `&` first and each
/// parameter decoded afterwards, so an encoded `&` inside a value (`X-Amz-SignedHeaders=a%26b`)
/// stays data. The decoded credential and header list live in the caller's buffers.
fn from_query<'a>(
    query: &'a str,
    cred_buf: &'a mut String,
    signed_buf: &'a mut String,
) -> Result<Option<SigInfo<'a>>, VerifyError> {
    let get = |name: &str| {
        query.split('&').find_map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (k == name).then_some(v)
        })
    };
    let Some(sig) = get("X-Amz-Signature") else {
        return Ok(None);
    };
    let alg = decode(get("X-Amz-Algorithm").ok_or(VerifyError::Malformed("no X-Amz-Algorithm"))?);
    if alg != ALGORITHM {
        return Err(VerifyError::UnsupportedAlgorithm(alg));
    }
    *cred_buf =
        decode(get("X-Amz-Credential").ok_or(VerifyError::Malformed("no X-Amz-Credential"))?);
    *signed_buf =
        decode(get("X-Amz-SignedHeaders").ok_or(VerifyError::Malformed("no X-Amz-SignedHeaders"))?);
    let (akid, date, region, service) = parse_credential(cred_buf)?;
    Ok(Some(SigInfo {
        akid,
        date,
        region,
        service,
        signed_headers: signed_buf,
        signature: decode(sig),
        amz_date: decode(get("X-Amz-Date").ok_or(VerifyError::MissingDate)?),
        expires: Some(decode(
            get("X-Amz-Expires").ok_or(VerifyError::InvalidExpires)?,
        )),
        token: get("X-Amz-Security-Token").map(|t| Cow::Owned(decode(t))),
        presigned: true,
    }))
}

/// Verifies a signed request. `lookup` maps an access key id to its credentials (`None`:
/// unknown key). `now` is the verifier's clock. The request is given as it arrived: headers
/// including `Authorization` (or a URI including the `X-Amz-*` parameters) and the payload.
pub fn verify(
    request: &super::SignableRequest<'_>,
    lookup: impl FnOnce(&str) -> Option<Credentials>,
    now: Timestamp,
    settings: &VerifySettings,
) -> Result<Verified, VerifyError> {
    let parts = split_uri(request.uri)?;
    let (mut cred_buf, mut signed_buf) = (String::new(), String::new());
    let info = match header(request, "authorization") {
        Some(auth) => from_authorization(auth, request)?,
        None => from_query(parts.query, &mut cred_buf, &mut signed_buf)?
            .ok_or(VerifyError::MissingSignature)?,
    };
    if info.signature.len() != 64 || !info.signature.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(VerifyError::Malformed("Signature must be 64 hex digits"));
    }
    let signed_at = parse_amz_date(&info.amz_date).map_err(|_| VerifyError::InvalidDate)?;
    if info.amz_date.get(..8) != Some(info.date) {
        return Err(VerifyError::ScopeDateMismatch);
    }
    let skew_ms = i64::from(settings.max_skew_secs) * 1000;
    let expires_at = match &info.expires {
        Some(e) => {
            let secs: u32 = e.parse().map_err(|_| VerifyError::InvalidExpires)?;
            if !(1..=MAX_PRESIGN_EXPIRES_SECS).contains(&secs) {
                return Err(VerifyError::InvalidExpires);
            }
            Some(signed_at.offset_millis(i64::from(secs) * 1000))
        }
        None => None,
    };
    match expires_at {
        Some(exp) if now > exp => {
            return Err(VerifyError::Expired {
                expired_at: exp,
                now,
            })
        }
        Some(_) if signed_at.millis_since(now) > skew_ms => {
            return Err(VerifyError::RequestTimeTooSkewed {
                signed_at,
                now,
                max_skew_secs: settings.max_skew_secs,
            })
        }
        None if now.millis_since(signed_at).abs() > skew_ms => {
            return Err(VerifyError::RequestTimeTooSkewed {
                signed_at,
                now,
                max_skew_secs: settings.max_skew_secs,
            })
        }
        _ => {}
    }
    let credentials =
        lookup(info.akid).ok_or_else(|| VerifyError::UnknownAccessKey(info.akid.to_string()))?;
    let expected_token = credentials.session_token().map(|t| t.expose_secret());
    if let Some(t) = expected_token {
        let given = info.token.as_deref().unwrap_or("");
        if !bool::from(given.as_bytes().ct_eq(t.as_bytes())) {
            return Err(VerifyError::SessionTokenMismatch);
        }
    }

    // Rebuild the canonical request over exactly the listed headers.
    let mut headers = HeaderList::new();
    let mut names = Vec::new();
    for name in info.signed_headers.split(';') {
        if name.is_empty() {
            return Err(VerifyError::Malformed("empty name in SignedHeaders"));
        }
        names.push(name.to_string());
        let before = headers.as_slice().len();
        for (i, (n, v)) in request.headers.iter().enumerate() {
            if n.eq_ignore_ascii_case(name) {
                headers.push(Header {
                    name,
                    value: v,
                    seq: i as u32,
                    clean: false,
                    lower: false,
                });
            }
        }
        if headers.as_slice().len() == before {
            match (name, parts.authority) {
                ("host", Some(a)) => headers.push(Header {
                    name,
                    value: a,
                    seq: 0,
                    clean: false,
                    lower: false,
                }),
                _ => return Err(VerifyError::MissingSignedHeader(name.to_string())),
            }
        }
    }
    sort_headers(headers.as_mut_slice());
    let hash_header = header(request, "x-amz-content-sha256");
    let payload = match (info.presigned, settings.presigned_payload) {
        (true, PresignedPayload::Unsigned) => PayloadHash::of(&super::Payload::Unsigned)?,
        _ => PayloadHash::of(&request.payload)?,
    };
    let payload_hash = hash_header.unwrap_or(payload.as_str());
    // The canonical request holds the session token: allocated once large enough (so it never
    // moves and leaves a copy behind) and wiped on drop.
    let mut buf = Zeroizing::new(String::with_capacity(canonical_capacity(
        request,
        &parts,
        headers.as_slice(),
        payload_hash,
        info.region.len() + info.service.len(),
    )));
    let written = write_canonical_request(
        &CanonicalParts {
            method: request.method,
            path: parts.path,
            query: parts.query,
            uri_encoding: settings.uri_encoding,
            path_normalization: settings.path_normalization,
            extra_query: &[],
            skip_query_keys: match (info.presigned, settings.session_token) {
                (false, _) => &[],
                (true, SessionTokenMode::AppendAfterSigning) => {
                    &["X-Amz-Signature", "X-Amz-Security-Token"]
                }
                (true, _) => &["X-Amz-Signature"],
            },
            headers: headers.as_slice(),
            payload_hash,
        },
        &mut buf,
    );
    let amz = signed_at.amz_date().ok_or(VerifyError::InvalidDate)?;
    let tail = finish_signature(
        &mut buf,
        written.whole.clone(),
        &amz,
        info.region,
        info.service,
        &credentials,
    );
    let computed = buf.get(tail.signature.clone()).unwrap_or("");
    let given = info.signature.to_ascii_lowercase();
    if !bool::from(computed.as_bytes().ct_eq(given.as_bytes())) {
        let canonical_request =
            super::diff::redact_session_token(buf.get(written.whole.clone()).unwrap_or(""));
        return Err(VerifyError::SignatureMismatch {
            canonical_request,
            string_to_sign: buf.get(tail.string_to_sign).unwrap_or("").to_string(),
        });
    }
    if let Some(expired_at) = credentials.expiry().filter(|e| *e <= now) {
        if settings.reject_expired_credentials {
            return Err(VerifyError::CredentialsExpired { expired_at, now });
        }
    }
    Ok(Verified {
        access_key_id: info.akid.to_string(),
        region: info.region.to_string(),
        service: info.service.to_string(),
        signed_at,
        expires_at,
        signed_headers: names,
    })
}

/// An upper bound of the canonical request plus string to sign: percent-encoding at most
/// triples the path and query, each header line is its name twice (line and signed list) and
/// value, and the string to sign is a fixed part plus the scope.
fn canonical_capacity(
    request: &super::SignableRequest<'_>,
    parts: &super::request::UriParts<'_>,
    headers: &[Header<'_>],
    payload_hash: &str,
    scope: usize,
) -> usize {
    let headers: usize = headers
        .iter()
        .map(|h| 2 * h.name.len() + h.value.len() + 3)
        .sum();
    request.method.len()
        + 3 * (parts.path.len() + parts.query.len())
        + headers
        + payload_hash.len()
        + scope
        + 256
}
