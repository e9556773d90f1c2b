//! AWS Signature Version 4: sign requests in headers or as presigned URLs, and verify them.
//!
//! The modules follow the algorithm: [`canonical`](self) builds the canonical request (task 1),
//! the string to sign is assembled here (task 2), `signing_key` derives the key and MACs
//! (task 3), and [`SigningOutput`] carries the result (task 4: add it to the request).
//!
//! ```
//! use sigfresh::credentials::Credentials;
//! use sigfresh::sigv4::{Payload, SignableRequest, Signer, SigningSettings};
//! use sigfresh::time::Timestamp;
//!
//! let creds = Credentials::builder("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
//!     .build()?;
//! let signer = Signer::new("us-east-1", "service", SigningSettings::default())?;
//! let request = SignableRequest::new("GET", "https://example.amazonaws.com/", &[], Payload::Bytes(b""));
//! let out = signer.sign(&request, &creds, Timestamp::from_unix_seconds(1_440_938_160))?;
//! // The official suite's get-vanilla case:
//! assert_eq!(
//!     out.signature(),
//!     "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
//! );
//! for (name, value) in out.headers() {
//!     println!("{name}: {value}"); // x-amz-date, authorization
//! }
//! # Ok::<(), Box<dyn core::error::Error>>(())
//! ```

use crate::prelude::*;
mod canonical;
pub mod diff;
mod encode;
mod error;
mod lifetime;
mod output;
mod request;
mod settings;
mod signing_key;
mod stackvec;
mod verify;

pub use error::SigningError;
pub use lifetime::PresignedLifetime;
pub use output::SigningOutput;
pub(crate) use request::PayloadHash;
pub use request::{Payload, SignableRequest};
pub use settings::{
    ContentSha256Header, HeaderSelection, PathNormalization, PresignedPayload, SessionTokenMode,
    SignatureLocation, SigningSettings, UriEncoding, DEFAULT_EXCLUDED_HEADERS,
    MAX_PRESIGN_EXPIRES_SECS,
};
pub(crate) use signing_key::HmacKey as SigningKey;
pub use verify::{verify, Verified, VerifyError, VerifySettings};

use crate::credentials::Credentials;
use crate::time::{AmzDate, Timestamp};
use canonical::{
    classify_name, for_each_name, push_lower, sort_headers, value_is_clean,
    write_canonical_request, CanonicalParts, Header, HeaderList,
};
use core::ops::Range;
use output::Slot;

/// The algorithm name that starts every string to sign and `Authorization` header.
pub const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// SHA-256 of the empty string, the payload hash of a request without a body.
pub const EMPTY_PAYLOAD_SHA256: &str =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// Signs requests for one region and service with fixed settings. Cheap to share: signing
/// takes `&self`. Signing keys are cached inside each [`Credentials`] value, so steady-state
/// signing derives nothing.
#[derive(Clone, Debug)]
pub struct Signer {
    region: Box<str>,
    service: Box<str>,
    settings: SigningSettings,
    /// Lowercased allow/deny list from the settings.
    listed: Vec<String>,
}

fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

pub(crate) fn is_token(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(is_tchar)
}

fn is_scope_part(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(crate::credentials::is_scope_byte)
}

/// Positions of the string to sign and signature written after a canonical request.
pub(crate) struct Tail {
    pub string_to_sign: Range<usize>,
    pub date: Range<usize>,
    pub scope: Range<usize>,
    pub signature: Range<usize>,
}

/// SigV4 tasks 2 and 3: appends the string to sign for the canonical request at `cr`, then the
/// hex signature, using (and filling) the credentials' signing-key cache.
pub(crate) fn finish_signature(
    buf: &mut String,
    cr: Range<usize>,
    amz: &AmzDate,
    region: &str,
    service: &str,
    credentials: &Credentials,
) -> Tail {
    let cr_hash = signing_key::sha256(buf.get(cr).unwrap_or("").as_bytes());
    let amz_str = amz.as_str();
    let day = amz_str.get(..8).unwrap_or("");
    let sts_start = buf.len();
    buf.push_str(ALGORITHM);
    buf.push('\n');
    let date_start = buf.len();
    buf.push_str(amz_str);
    let date = date_start..buf.len();
    buf.push('\n');
    let scope_start = buf.len();
    buf.push_str(day);
    buf.push('/');
    buf.push_str(region);
    buf.push('/');
    buf.push_str(service);
    let scope_key_end = buf.len();
    buf.push_str("/aws4_request");
    let scope = scope_start..buf.len();
    buf.push('\n');
    // Only ASCII hex digits: `from_utf8` cannot fail.
    buf.push_str(core::str::from_utf8(&signing_key::hex32(&cr_hash)).unwrap_or(""));
    let string_to_sign = sts_start..buf.len();
    let sig = {
        let scope_key = buf.get(scope_start..scope_key_end).unwrap_or("").as_bytes();
        let sts_bytes = buf.get(string_to_sign.clone()).unwrap_or("").as_bytes();
        credentials.with_signing_key(
            scope_key,
            |secret| signing_key::derive_signing_key(secret, day, region, service),
            |key| key.mac(sts_bytes),
        )
    };
    let sig_start = buf.len();
    buf.push_str(core::str::from_utf8(&signing_key::hex32(&sig)).unwrap_or(""));
    Tail {
        string_to_sign,
        date,
        scope,
        signature: sig_start..buf.len(),
    }
}

impl Signer {
    /// A signer for `region` (e.g. `us-east-1`) and `service` (the signing name, e.g. `s3`,
    /// `execute-api`). Fails when either cannot appear in a credential scope or an allow/deny
    /// list entry is not a header name.
    pub fn new(
        region: &str,
        service: &str,
        settings: SigningSettings,
    ) -> Result<Self, SigningError> {
        if !is_scope_part(region) {
            return Err(SigningError::InvalidRegion);
        }
        if !is_scope_part(service) {
            return Err(SigningError::InvalidService);
        }
        let listed = match &settings.headers {
            HeaderSelection::AllowList(l) | HeaderSelection::DenyList(l) => l
                .iter()
                .map(|n| {
                    if is_token(n) {
                        Ok(n.to_ascii_lowercase())
                    } else {
                        Err(SigningError::InvalidHeaderSelection)
                    }
                })
                .collect::<Result<Vec<_>, _>>()?,
            _ => Vec::new(),
        };
        if let SignatureLocation::QueryString { expires_in_secs } = settings.location {
            if !(1..=MAX_PRESIGN_EXPIRES_SECS).contains(&expires_in_secs) {
                return Err(SigningError::InvalidExpires { expires_in_secs });
            }
        }
        Ok(Signer {
            region: region.into(),
            service: service.into(),
            settings,
            listed,
        })
    }

    /// The region this signer signs for.
    pub fn region(&self) -> &str {
        &self.region
    }
    /// The service (signing name) this signer signs for.
    pub fn service(&self) -> &str {
        &self.service
    }
    /// The settings.
    pub fn settings(&self) -> &SigningSettings {
        &self.settings
    }

    fn is_selected(&self, lower_name_eq: impl Fn(&str) -> bool) -> bool {
        let excluded = DEFAULT_EXCLUDED_HEADERS.iter().any(|n| lower_name_eq(n));
        match self.settings.headers {
            HeaderSelection::AllowList(_) => self.listed.iter().any(|n| lower_name_eq(n)),
            HeaderSelection::DenyList(_) => {
                !excluded && !self.listed.iter().any(|n| lower_name_eq(n))
            }
            _ => !excluded,
        }
    }

    /// Signs `request` with `credentials` at `time` (the host's clock, corrected for skew).
    ///
    /// Headers the signer manages are taken out of the given list and produced by the signer:
    /// `x-amz-date` (from `time`), `authorization`, `x-amz-security-token` (when the
    /// credentials have a token) and, with [`ContentSha256Header::Add`],
    /// `x-amz-content-sha256`. A given `x-amz-content-sha256` that disagrees with the payload
    /// is an error rather than a signature the server will reject.
    pub fn sign(
        &self,
        request: &SignableRequest<'_>,
        credentials: &Credentials,
        time: Timestamp,
    ) -> Result<SigningOutput, SigningError> {
        let amz = time.amz_date().ok_or(SigningError::TimeOutOfRange)?;
        if !is_token(request.method) {
            return Err(SigningError::InvalidMethod);
        }
        let parts = request::split_uri(request.uri)?;
        let presign = match self.settings.location {
            SignatureLocation::QueryString { expires_in_secs } => Some(expires_in_secs),
            _ => None,
        };
        let payload = match (presign, self.settings.presigned_payload) {
            (Some(_), PresignedPayload::Unsigned) => PayloadHash::of(&Payload::Unsigned)?,
            _ => PayloadHash::of(&request.payload)?,
        };
        let payload_hash = payload.as_str();
        let token = credentials.session_token().map(|t| t.expose_secret());
        let sign_token = token.is_some() && self.settings.session_token == SessionTokenMode::Signed;
        let add_sha = presign.is_none() && self.settings.content_sha256 == ContentSha256Header::Add;

        // Select and validate the headers to sign.
        let mut headers = HeaderList::new();
        let mut has_host = false;
        let mut capacity = 0usize;
        for (index, &(name, value)) in request.headers.iter().enumerate() {
            let (token_ok, lower) = classify_name(name);
            if !token_ok {
                return Err(SigningError::InvalidHeaderName { index });
            }
            // Lowercase names (HTTP/2, most clients) compare as plain bytes.
            let is = |n: &str| {
                if lower {
                    name == n
                } else {
                    name.eq_ignore_ascii_case(n)
                }
            };
            let content_sha = is("x-amz-content-sha256");
            if content_sha && value.trim_matches([' ', '\t']) != payload_hash {
                return Err(SigningError::ContentSha256Mismatch);
            }
            let managed = is("x-amz-date")
                || is("authorization")
                || (token.is_some() && is("x-amz-security-token"))
                || (add_sha && content_sha);
            if managed {
                continue;
            }
            let host = is("host");
            has_host |= host;
            if !host && !self.is_selected(is) {
                continue;
            }
            let allowed = |b: u8| b == b'\t' || (b' '..=b'~').contains(&b);
            // A full fold vectorizes; `all` would stop early and go byte by byte.
            if !value.bytes().fold(true, |ok, b| ok & allowed(b)) {
                // Only the error path looks for the offset.
                let offset = value.bytes().position(|b| !allowed(b)).unwrap_or(0);
                let mut lower = String::new();
                push_lower(&mut lower, name);
                return Err(SigningError::InvalidHeaderValue {
                    name: lower,
                    offset,
                });
            }
            capacity += 2 * (name.len() + value.len() + 3);
            headers.push(Header {
                name,
                value,
                seq: index as u32,
                clean: value_is_clean(value),
                lower,
            });
        }
        let seq = request.headers.len() as u32;
        if !has_host {
            let authority = parts.authority.ok_or(SigningError::MissingHost)?;
            headers.push(Header {
                name: "host",
                value: authority,
                seq,
                clean: value_is_clean(authority),
                lower: true,
            });
            capacity += 2 * (authority.len() + 8);
        }
        if presign.is_none() {
            // In their sorted order, so that the sort has little to move.
            if add_sha {
                headers.push(Header {
                    name: "x-amz-content-sha256",
                    value: payload_hash,
                    seq,
                    clean: true,
                    lower: true,
                });
            }
            headers.push(Header {
                name: "x-amz-date",
                value: amz.as_str(),
                seq,
                clean: true,
                lower: true,
            });
            if sign_token {
                if let Some(t) = token {
                    headers.push(Header {
                        name: "x-amz-security-token",
                        value: t,
                        seq,
                        // Credentials accept only visible ASCII in a token.
                        clean: true,
                        lower: true,
                    });
                    capacity += t.len() + 24;
                }
            }
        }
        sort_headers(headers.as_mut_slice());

        let akid = credentials.access_key_id().as_str();
        let date = amz.date();
        let scope_len = 8 + 1 + self.region.len() + 1 + self.service.len() + "/aws4_request".len();

        // Presigning: the X-Amz-* parameters, encoded, in their own buffer.
        let mut params = String::new();
        let mut query: [Option<(usize, Slot)>; 7] = Default::default();
        let mut extra: [(&str, &str); 6] = [("", ""); 6];
        let mut nextra = 0;
        if let Some(expires) = presign {
            params.reserve(
                3 * (akid.len() + scope_len) + 64 + 3 * token.map_or(0, str::len) + capacity,
            );
            let mut put = |params: &mut String, idx: usize, f: &dyn Fn(&mut String)| {
                let start = params.len();
                f(params);
                query[idx] = Some((idx, Slot::Params(start..params.len())));
            };
            put(&mut params, 0, &|p| p.push_str(ALGORITHM));
            put(&mut params, 1, &|p| {
                encode::push_encoded(p, akid, false);
                p.push_str("%2F");
                p.push_str(date);
                p.push_str("%2F");
                encode::push_encoded(p, &self.region, false);
                p.push_str("%2F");
                encode::push_encoded(p, &self.service, false);
                p.push_str("%2Faws4_request");
            });
            put(&mut params, 2, &|p| p.push_str(amz.as_str()));
            put(&mut params, 3, &|p| {
                use core::fmt::Write;
                let _ = write!(p, "{expires}");
            });
            let hl = headers.as_slice();
            put(&mut params, 4, &|p| {
                let mut first = true;
                for_each_name(hl, |h| {
                    if !first {
                        p.push_str("%3B");
                    }
                    first = false;
                    // Header names may hold tchars such as `$ # & +`: encode them like any
                    // other query value.
                    encode::push_encoded_lower(p, h.name);
                });
            });
            if let Some(t) = token {
                put(&mut params, 5, &|p| encode::push_encoded(p, t, false));
            }
            for (i, q) in query.iter().enumerate().take(6) {
                if let Some((_, Slot::Params(r))) = q {
                    if i == 5 && !sign_token {
                        continue;
                    }
                    extra[nextra] = (output::QUERY_NAMES[i], params.get(r.clone()).unwrap_or(""));
                    nextra += 1;
                }
            }
        }

        // Task 1: the canonical request.
        let mut buf = String::with_capacity(
            request.method.len()
                + 3 * (parts.path.len() + parts.query.len())
                + params.len()
                + 150
                + capacity
                + 2 * scope_len
                + akid.len()
                + 400,
        );
        let written = write_canonical_request(
            &CanonicalParts {
                method: request.method,
                path: parts.path,
                query: parts.query,
                uri_encoding: self.settings.uri_encoding,
                path_normalization: self.settings.path_normalization,
                extra_query: &extra[..nextra],
                skip_query_keys: &[],
                headers: headers.as_slice(),
                payload_hash,
            },
            &mut buf,
        );
        let cr = written.whole.clone();

        let tail = finish_signature(
            &mut buf,
            cr.clone(),
            &amz,
            &self.region,
            &self.service,
            credentials,
        );
        let (sts, date_range, scope_range, signature) =
            (tail.string_to_sign, tail.date, tail.scope, tail.signature);

        // Task 4: what to add to the request.
        let mut out_headers: [Option<(usize, Slot)>; 4] = Default::default();
        let mut authorization = None;
        // Where the token is in `buf`, for the wipe on drop (`params` is wiped whole).
        let mut secret = 0..0;
        if let Some(_expires) = presign {
            let sig_slot = Slot::Buf(signature.clone());
            query[6] = Some((6, sig_slot));
            if sign_token {
                // In the canonical query string.
                secret = cr.clone();
            }
        } else {
            let auth_start = buf.len();
            buf.push_str(ALGORITHM);
            buf.push_str(" Credential=");
            buf.push_str(akid);
            buf.push('/');
            buf.extend_from_within(scope_range);
            buf.push_str(", SignedHeaders=");
            buf.extend_from_within(written.signed_headers.clone());
            buf.push_str(", Signature=");
            buf.extend_from_within(signature.clone());
            let auth = auth_start..buf.len();
            out_headers[0] = Some((0, Slot::Buf(date_range)));
            if let Some(t) = token {
                // Signed: point at the value inside the canonical request. Appended after
                // signing: copy it once into the buffer.
                let range = match written.token_value.clone().filter(|_| sign_token) {
                    Some(r) => r,
                    None => {
                        let start = buf.len();
                        buf.push_str(t);
                        start..buf.len()
                    }
                };
                secret = range.clone();
                out_headers[1] = Some((1, Slot::Buf(range)));
            }
            if add_sha {
                out_headers[2] = Some((2, Slot::Buf(cr.end - payload_hash.len()..cr.end)));
            }
            out_headers[3] = Some((3, Slot::Buf(auth.clone())));
            authorization = Some(auth);
        }
        Ok(SigningOutput {
            buf,
            params,
            canonical_request: cr,
            string_to_sign: sts,
            signature,
            authorization,
            headers: out_headers,
            query,
            has_token: token.is_some(),
            secret,
        })
    }
}
