//! [`Credentials`]: the core's credentials value behind a JS handle, built, parsed from a
//! document or read from an environment map by the core.

use crate::error::{self, ErrorInfo, Res};
#[cfg(feature = "documents")]
use crate::pack;
use crate::prelude::*;
use sigfresh::credentials::{CredentialSource, Credentials as CoreCredentials};
#[cfg(feature = "documents")]
use sigfresh::document::{self, DocumentFormat};
use sigfresh::time::Timestamp;
use wasm_bindgen::prelude::*;

/// A millisecond count from JavaScript as a [`Timestamp`]; `what` names it in the error.
pub(crate) fn timestamp(ms: f64, what: &str) -> Result<Timestamp, ErrorInfo> {
    if !ms.is_finite() {
        return Err(ErrorInfo::argument(
            "ERR_INVALID_DATE",
            format!("{what} is not a valid time"),
        ));
    }
    // `as` truncates toward zero and saturates at the i64 range, far beyond any date the core
    // accepts.
    Ok(Timestamp::from_unix_millis(ms as i64))
}

/// Whether `v` is a whole number (finite, no fraction). `f64::fract` is not in `core`.
pub(crate) fn is_whole(v: f64) -> bool {
    // From 2^52 on every finite f64 is whole; below, the truncating cast is exact.
    const EXACT: f64 = 4_503_599_627_370_496.0;
    v.is_finite() && (!(-EXACT..=EXACT).contains(&v) || (v as i64) as f64 == v)
}

/// A [`Timestamp`] as JavaScript milliseconds.
pub(crate) fn millis(t: Timestamp) -> f64 {
    t.unix_millis() as f64
}

/// A [`Timestamp`] as decimal epoch milliseconds, for packed results (integer formatting only:
/// no float formatting code is linked).
pub(crate) fn millis_text(t: Timestamp) -> String {
    t.unix_millis().to_string()
}

fn source_name(s: &CredentialSource) -> &'static str {
    match s {
        CredentialSource::Static => "static",
        CredentialSource::Environment => "environment",
        CredentialSource::Profile(_) => "profile",
        CredentialSource::InstanceMetadata => "instance-metadata",
        CredentialSource::ContainerEndpoint => "container",
        CredentialSource::Process => "process",
        CredentialSource::Sso => "sso",
        CredentialSource::Sts => "sts",
        _ => "other",
    }
}

#[cfg(feature = "documents")]
fn format_name(f: DocumentFormat) -> &'static str {
    match f {
        DocumentFormat::InstanceMetadata => "imds",
        DocumentFormat::Container => "container",
        DocumentFormat::Process => "process",
        DocumentFormat::Sso => "sso",
        DocumentFormat::Sts => "sts",
        DocumentFormat::Environment => "environment",
        _ => "other",
    }
}

/// AWS credentials (the core's immutable value; clones share one signing-key cache).
#[wasm_bindgen]
pub struct Credentials {
    pub(crate) inner: CoreCredentials,
    /// The document format they were parsed from (`imds`, `container`, ...), if parsed.
    format: Option<&'static str>,
}

impl Credentials {
    pub(crate) fn wrap(inner: CoreCredentials) -> Self {
        Credentials {
            inner,
            format: None,
        }
    }
}

#[wasm_bindgen]
impl Credentials {
    /// Builds and validates credentials. `expiry_ms` is epoch milliseconds; `source` one of
    /// the names [`Credentials::source`] returns (`static` when absent).
    #[wasm_bindgen(constructor)]
    pub fn new(
        access_key_id: String,
        secret_access_key: String,
        session_token: Option<String>,
        expiry_ms: Option<f64>,
        account_id: Option<String>,
        source: Option<String>,
    ) -> Res<Credentials> {
        let expiry = expiry_ms
            .map(|ms| timestamp(ms, "expiration"))
            .transpose()?;
        let source = match source.as_deref() {
            None | Some("static") => CredentialSource::Static,
            Some("environment") => CredentialSource::Environment,
            Some("instance-metadata") => CredentialSource::InstanceMetadata,
            Some("container") => CredentialSource::ContainerEndpoint,
            Some("process") => CredentialSource::Process,
            Some("sso") => CredentialSource::Sso,
            Some("sts") => CredentialSource::Sts,
            Some(other) => {
                return Err(ErrorInfo::argument(
                    "ERR_INVALID_ARG_VALUE",
                    format!("unknown credential source \"{other}\""),
                )
                .into())
            }
        };
        let mut b = CoreCredentials::builder(access_key_id, secret_access_key)
            .session_token_opt(session_token)
            .expiry_opt(expiry)
            .source(source);
        if let Some(a) = account_id {
            b = b.account_id(a);
        }
        Ok(Credentials::wrap(
            b.build().map_err(|e| error::credentials(&e))?,
        ))
    }

    /// Parses a credential document. `format` is `imds`, `container`, `process`, `sso` or `sts`;
    /// without it the core detects the format (`parse_any`).
    #[cfg(feature = "documents")]
    pub fn parse(bytes: &[u8], format: Option<String>) -> Res<Credentials> {
        let parsed = match format.as_deref() {
            None => document::parse_any(bytes),
            Some("imds") => document::parse_imds(bytes).map(|c| (DocumentFormat::InstanceMetadata, c)),
            Some("container") => document::parse_container(bytes).map(|c| (DocumentFormat::Container, c)),
            Some("process") => document::parse_process(bytes).map(|c| (DocumentFormat::Process, c)),
            Some("sso") => document::parse_sso(bytes).map(|c| (DocumentFormat::Sso, c)),
            Some("sts") => document::parse_sts(bytes).map(|c| (DocumentFormat::Sts, c)),
            Some(other) => {
                return Err(ErrorInfo::argument(
                    "ERR_INVALID_ARG_VALUE",
                    format!(
                        "unknown document format \"{other}\" (expected imds, container, process, sso or sts)"
                    ),
                )
                .into())
            }
        };
        let (format, inner) = parsed.map_err(|e| error::document(&e))?;
        Ok(Credentials {
            inner,
            format: Some(format_name(format)),
        })
    }

    /// Reads `AWS_ACCESS_KEY_ID` and friends from an environment packed as `name\0value\0...`.
    /// `undefined` when neither key variable is set. With `documents` (browsers have no
    /// environment variables, so the default browser build leaves it out).
    #[cfg(feature = "documents")]
    pub fn from_env(env: &str) -> Res<Option<Credentials>> {
        let pairs = pack::pairs(env);
        let parsed = document::parse_env(&pairs).map_err(|e| error::document(&e))?;
        Ok(parsed.map(|inner| Credentials {
            inner,
            format: Some("environment"),
        }))
    }

    /// The access key id.
    #[wasm_bindgen(getter)]
    pub fn access_key_id(&self) -> String {
        self.inner.access_key_id().as_str().to_owned()
    }
    /// The secret access key (the JS wrapper hands it only to hosts that ask, e.g. the AWS SDK
    /// adapter).
    #[wasm_bindgen(getter)]
    pub fn secret_access_key(&self) -> String {
        self.inner.secret_access_key().expose_secret().to_owned()
    }
    /// The session token, if any.
    #[wasm_bindgen(getter)]
    pub fn session_token(&self) -> Option<String> {
        self.inner
            .session_token()
            .map(|t| t.expose_secret().to_owned())
    }
    /// Expiry in epoch milliseconds, if any.
    #[wasm_bindgen(getter)]
    pub fn expiry_ms(&self) -> Option<f64> {
        self.inner.expiry().map(millis)
    }
    /// The account id, if known.
    #[wasm_bindgen(getter)]
    pub fn account_id(&self) -> Option<String> {
        self.inner.account_id().map(str::to_owned)
    }
    /// Where the credentials came from: `static`, `environment`, `profile`,
    /// `instance-metadata`, `container`, `process`, `sso`, `sts`.
    #[wasm_bindgen(getter)]
    pub fn source(&self) -> String {
        source_name(self.inner.source()).to_owned()
    }
    /// The document format they were parsed from, if parsed.
    #[wasm_bindgen(getter)]
    pub fn format(&self) -> Option<String> {
        self.format.map(str::to_owned)
    }
    /// Another handle to the same value (shares the signing-key cache).
    pub fn share(&self) -> Credentials {
        Credentials {
            inner: self.inner.clone(),
            format: self.format,
        }
    }
    /// Whether both handles hold the very same value.
    pub fn same(&self, other: &Credentials) -> bool {
        self.inner.ptr_eq(&other.inner)
    }
}
