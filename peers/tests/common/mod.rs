//! Shared by the differential tests and the benchmark: a signer-independent request model
//! ([`Case`]), adapters that sign a `Case` with sigfresh and with aws-sigv4 into one comparable
//! [`Signed`] shape, and the W1–W3 workload file.
//!
//! Every test binary compiles this module and uses a different part of it.
#![allow(dead_code, unused_imports)]

pub mod aws;
pub mod gen;
pub mod workload;

pub use aws::sign_aws;

use sigfresh::credentials::Credentials;
use sigfresh::sigv4::{
    ContentSha256Header, HeaderSelection, PathNormalization, Payload, SessionTokenMode,
    SignableRequest, SignatureLocation, Signer, SigningSettings, UriEncoding,
};
use sigfresh::time::Timestamp;
use std::fmt::Write as _;

pub const ACCESS_KEY: &str = "AKIDEXAMPLE";
pub const SECRET_KEY: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

/// The payload description, owned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Body {
    Bytes(Vec<u8>),
    Precomputed(String),
    Unsigned,
    StreamingSigned,
    StreamingSignedTrailer,
    StreamingUnsignedTrailer,
}

impl Body {
    pub fn payload(&self) -> Payload<'_> {
        match self {
            Body::Bytes(b) => Payload::Bytes(b),
            Body::Precomputed(h) => Payload::Precomputed(h),
            Body::Unsigned => Payload::Unsigned,
            Body::StreamingSigned => Payload::StreamingSigned,
            Body::StreamingSignedTrailer => Payload::StreamingSignedTrailer,
            Body::StreamingUnsignedTrailer => Payload::StreamingUnsignedTrailer,
        }
    }

    /// The payload hash line of the canonical request.
    pub fn hash_line(&self) -> String {
        use sha2::Digest;
        match self {
            Body::Bytes(b) => hex::encode(sha2::Sha256::digest(b)),
            Body::Precomputed(h) => h.clone(),
            Body::Unsigned => "UNSIGNED-PAYLOAD".into(),
            Body::StreamingSigned => "STREAMING-AWS4-HMAC-SHA256-PAYLOAD".into(),
            Body::StreamingSignedTrailer => "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER".into(),
            Body::StreamingUnsignedTrailer => "STREAMING-UNSIGNED-PAYLOAD-TRAILER".into(),
        }
    }
}

/// The signing knobs both signers share, as plain data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Knobs {
    /// `UriEncoding::Single` (S3) instead of `Double`.
    pub single_encoding: bool,
    /// `PathNormalization::Enabled`.
    pub normalize: bool,
    /// `ContentSha256Header::Add`.
    pub content_sha256: bool,
    /// `SessionTokenMode::AppendAfterSigning` instead of `Signed`.
    pub append_token: bool,
    /// `Some(expires)`: presigned URL.
    pub presign: Option<u32>,
    /// Header selection: 0 default, 1 [`DENY_LIST`], 2 [`ALLOW_LIST`].
    pub header_selection: u8,
}

/// The deny list used when `header_selection == 1` (mixed case on purpose).
pub const DENY_LIST: &[&str] = &["Range", "x-amz-meta-color", "CONTENT-TYPE"];
/// The allow list used when `header_selection == 2` (includes a default-excluded header).
pub const ALLOW_LIST: &[&str] = &["range", "X-Amz-Meta-Color", "content-md5", "User-Agent"];

impl Knobs {
    pub const S3: Knobs = Knobs {
        single_encoding: true,
        normalize: false,
        content_sha256: true,
        append_token: false,
        presign: None,
        header_selection: 0,
    };
    pub const DEFAULT: Knobs = Knobs {
        single_encoding: false,
        normalize: true,
        content_sha256: false,
        append_token: false,
        presign: None,
        header_selection: 0,
    };

    pub fn sigfresh(&self) -> SigningSettings {
        let mut s = SigningSettings::default();
        s.uri_encoding = if self.single_encoding {
            UriEncoding::Single
        } else {
            UriEncoding::Double
        };
        s.path_normalization = if self.normalize {
            PathNormalization::Enabled
        } else {
            PathNormalization::Disabled
        };
        s.content_sha256 = if self.content_sha256 {
            ContentSha256Header::Add
        } else {
            ContentSha256Header::Omit
        };
        s.session_token = if self.append_token {
            SessionTokenMode::AppendAfterSigning
        } else {
            SessionTokenMode::Signed
        };
        let list = |l: &[&str]| l.iter().map(|h| h.to_string()).collect();
        s.headers = match self.header_selection {
            1 => HeaderSelection::DenyList(list(DENY_LIST)),
            2 => HeaderSelection::AllowList(list(ALLOW_LIST)),
            _ => HeaderSelection::Default,
        };
        if let Some(expires_in_secs) = self.presign {
            s.location = SignatureLocation::QueryString { expires_in_secs };
        }
        s
    }
}

/// One request to sign, independent of any signer's types.
#[derive(Clone, Debug)]
pub struct Case {
    pub method: String,
    /// Absolute URL or origin-form target (then `headers` has a `host`).
    pub uri: String,
    pub headers: Vec<(String, String)>,
    pub body: Body,
    pub region: String,
    pub service: String,
    /// Unix seconds.
    pub time: i64,
    pub token: Option<String>,
    pub knobs: Knobs,
    /// For botocore's `request.params` mode: the decoded query pairs, while `botocore_url` is the
    /// URL without its query. `None`: botocore gets `uri` as is.
    pub params: Option<Vec<(String, String)>>,
    pub botocore_url: Option<String>,
}

impl Case {
    pub fn credentials(&self) -> Credentials {
        Credentials::builder(ACCESS_KEY, SECRET_KEY)
            .session_token_opt(self.token.clone())
            .build()
            .expect("valid test credentials")
    }

    pub fn header_refs(&self) -> Vec<(&str, &str)> {
        self.headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect()
    }

    /// A short, copy-pasteable description for failure messages.
    pub fn describe(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "  method:  {:?}", self.method);
        let _ = writeln!(s, "  uri:     {:?}", self.uri);
        let _ = writeln!(s, "  headers: {:?}", self.headers);
        let body = match &self.body {
            Body::Bytes(b) => format!("Bytes({} bytes: {:?})", b.len(), hex::encode(b)),
            other => format!("{other:?}"),
        };
        let _ = writeln!(s, "  body:    {body}");
        let _ = writeln!(
            s,
            "  scope:   {} {} t={} token={}",
            self.region,
            self.service,
            self.time,
            match &self.token {
                Some(t) => format!("{} chars", t.len()),
                None => "none".into(),
            }
        );
        let _ = writeln!(s, "  knobs:   {:?}", self.knobs);
        s
    }
}

/// What a signer produced, in a shape both signers can fill.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Signed {
    /// The canonical request; for aws-sigv4 it is the one it logs (sensitive header values
    /// redacted), and [`redact_like_aws`] turns sigfresh's into the same form.
    pub canonical_request: Option<String>,
    /// The string to sign (aws-sigv4 logs it only for presigned requests).
    pub string_to_sign: Option<String>,
    pub signature: String,
    pub authorization: Option<String>,
    /// Headers to set, lowercase names, sorted.
    pub headers: Vec<(String, String)>,
    /// Query parameters to append, percent-encoded (RFC 3986), sorted.
    pub query_params: Vec<(String, String)>,
}

/// Signs `case` with sigfresh.
pub fn sign_sigfresh(case: &Case) -> Result<(Signed, Option<String>), String> {
    let signer = Signer::new(&case.region, &case.service, case.knobs.sigfresh())
        .map_err(|e| format!("Signer::new: {e}"))?;
    let headers = case.header_refs();
    let req = SignableRequest {
        method: &case.method,
        uri: &case.uri,
        headers: &headers,
        payload: case.body.payload(),
    };
    let creds = case.credentials();
    let out = signer
        .sign(&req, &creds, Timestamp::from_unix_seconds(case.time))
        .map_err(|e| format!("sigfresh: {e}"))?;
    let mut hs: Vec<(String, String)> = out
        .headers()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect();
    hs.sort();
    let mut qs: Vec<(String, String)> = out
        .query_params()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect();
    qs.sort();
    let signed_uri = case.knobs.presign.map(|_| out.signed_uri(&req));
    Ok((
        Signed {
            canonical_request: Some(out.canonical_request().to_string()),
            string_to_sign: Some(out.string_to_sign().to_string()),
            signature: out.signature().to_string(),
            authorization: out.authorization().map(str::to_string),
            headers: hs,
            query_params: qs,
        },
        signed_uri,
    ))
}

/// Header names whose values aws-sigv4 replaces by `** redacted (length=N) **` when it logs the
/// canonical request (its `SIGV4_SENSITIVE_HEADERS`).
const AWS_SENSITIVE: &[&str] = &[
    "authorization",
    "proxy-authorization",
    "x-amz-security-token",
    "cookie",
    "set-cookie",
    "x-amz-server-side-encryption-customer-key",
    "x-amz-server-side-encryption-customer-key-md5",
    "x-amz-copy-source-server-side-encryption-customer-key",
    "x-amz-copy-source-server-side-encryption-customer-key-md5",
];

/// Rewrites sigfresh's canonical request for `case` the way aws-sigv4's `redacted()` logs it:
/// the value of a sensitive header becomes `** redacted (length=N) **`, N being the summed length
/// of its values (without the commas that join repeated values).
pub fn redact_like_aws(creq: &str, case: &Case) -> String {
    let mut out = Vec::new();
    let mut done = false;
    for (i, line) in creq.split('\n').enumerate() {
        if i >= 3 && !done {
            if line.is_empty() {
                done = true;
            } else if let Some((name, value)) = line.split_once(':') {
                if AWS_SENSITIVE.contains(&name) {
                    let n = case
                        .headers
                        .iter()
                        .filter(|(h, _)| h.eq_ignore_ascii_case(name))
                        .count()
                        .max(1);
                    let len = value.len() - (n - 1);
                    out.push(format!("{name}:** redacted (length={len}) **"));
                    continue;
                }
            }
        }
        out.push(line.to_string());
    }
    out.join("\n")
}

/// RFC 3986 encoding of every byte except unreserved ones, uppercase hex.
pub fn enc3986(s: &[u8]) -> String {
    let mut o = String::with_capacity(s.len());
    for &b in s {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            o.push(char::from(b));
        } else {
            let _ = write!(o, "%{b:02X}");
        }
    }
    o
}

/// Compares two signers' outputs field by field; `Err` names the first differing field.
pub fn compare(ours: &Signed, theirs: &Signed, peer: &str) -> Result<(), String> {
    let mut diffs = Vec::new();
    if let (Some(a), Some(b)) = (&ours.canonical_request, &theirs.canonical_request) {
        if a != b {
            diffs.push(format!(
                "canonical request differs\n--- sigfresh\n{a}\n--- {peer}\n{b}\n---"
            ));
        }
    }
    if let (Some(a), Some(b)) = (&ours.string_to_sign, &theirs.string_to_sign) {
        if a != b {
            diffs.push(format!(
                "string to sign differs\n--- sigfresh\n{a}\n--- {peer}\n{b}\n---"
            ));
        }
    }
    if ours.signature != theirs.signature {
        diffs.push(format!(
            "signature differs: sigfresh {} vs {peer} {}",
            ours.signature, theirs.signature
        ));
    }
    if ours.authorization != theirs.authorization {
        diffs.push(format!(
            "authorization differs:\n  sigfresh {:?}\n  {peer} {:?}",
            ours.authorization, theirs.authorization
        ));
    }
    if ours.headers != theirs.headers {
        diffs.push(format!(
            "headers to set differ:\n  sigfresh {:?}\n  {peer} {:?}",
            ours.headers, theirs.headers
        ));
    }
    if ours.query_params != theirs.query_params {
        diffs.push(format!(
            "query params to add differ:\n  sigfresh {:?}\n  {peer} {:?}",
            ours.query_params, theirs.query_params
        ));
    }
    if diffs.is_empty() {
        Ok(())
    } else {
        Err(diffs.join("\n"))
    }
}
