//! SigV4 signing and presigning: [`Signer`] wraps the core's signer for one region, service and
//! settings; a call crosses the boundary once with a packed request head.

use crate::credentials::{is_whole, millis_text, timestamp, Credentials};
use crate::error::{self, ErrorInfo, Res};
use crate::pack::{self, Out};
use crate::prelude::*;
use sigfresh::sigv4::{
    self, ContentSha256Header, HeaderSelection, PathNormalization, Payload, PresignedLifetime,
    SessionTokenMode, SignableRequest, SigningOutput, SigningSettings, UriEncoding,
};
use wasm_bindgen::prelude::*;

/// Payload kinds the JS wrapper passes: the body as text, the body as bytes, or a payload hash
/// given as text (64 hex digits, or one of the payload markers the core names).
const BODY_TEXT: u32 = 0;
const BODY_BYTES: u32 = 1;
const HASH_TEXT: u32 = 2;

pub(crate) fn payload<'a>(
    kind: u32,
    text: &'a str,
    bytes: &'a [u8],
) -> Result<Payload<'a>, ErrorInfo> {
    Ok(match kind {
        BODY_TEXT => Payload::Bytes(text.as_bytes()),
        BODY_BYTES => Payload::Bytes(bytes),
        HASH_TEXT => match text {
            "UNSIGNED-PAYLOAD" => Payload::Unsigned,
            "STREAMING-AWS4-HMAC-SHA256-PAYLOAD" => Payload::StreamingSigned,
            "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER" => Payload::StreamingSignedTrailer,
            "STREAMING-UNSIGNED-PAYLOAD-TRAILER" => Payload::StreamingUnsignedTrailer,
            "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD" => Payload::StreamingEcdsa,
            "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER" => Payload::StreamingEcdsaTrailer,
            hash => Payload::Precomputed(hash),
        },
        _ => {
            return Err(ErrorInfo::argument(
                "ERR_INVALID_ARG_VALUE",
                "unknown payload kind",
            ))
        }
    })
}

/// A whole number of seconds from JavaScript, or an error naming `what`.
pub(crate) fn whole_seconds(v: f64, what: &str) -> Result<u32, ErrorInfo> {
    if !is_whole(v) || !(0.0..=f64::from(u32::MAX)).contains(&v) {
        return Err(ErrorInfo::argument(
            "ERR_INVALID_ARG_VALUE",
            format!("{what} must be a whole, non-negative number of seconds"),
        ));
    }
    Ok(v as u32)
}

/// Sets `slot` to `on` or `off` when JavaScript gave the boolean option, else leaves the core's
/// default.
pub(crate) fn flag<T>(slot: &mut T, option: Option<bool>, on: T, off: T) {
    if let Some(v) = option {
        *slot = if v { on } else { off };
    }
}

/// The settings of signing ([`SigningSettings`]) and of verifying (the core's
/// `VerifySettings`): both start from the defaults or the S3 preset and take the same boolean
/// options.
pub(crate) trait SharedSettings: Default {
    /// The S3 preset.
    fn s3() -> Self;
    /// URI encoding, path normalization and session token mode.
    fn shared(
        &mut self,
    ) -> (
        &mut UriEncoding,
        &mut PathNormalization,
        &mut SessionTokenMode,
    );
}

/// Implements [`SharedSettings`] for a core settings type with those fields.
macro_rules! shared_settings {
    ($t:ty) => {
        impl $crate::sign::SharedSettings for $t {
            fn s3() -> Self {
                <$t>::s3()
            }
            fn shared(
                &mut self,
            ) -> (
                &mut sigfresh::sigv4::UriEncoding,
                &mut sigfresh::sigv4::PathNormalization,
                &mut sigfresh::sigv4::SessionTokenMode,
            ) {
                (
                    &mut self.uri_encoding,
                    &mut self.path_normalization,
                    &mut self.session_token,
                )
            }
        }
    };
}
#[cfg(feature = "verify")]
pub(crate) use shared_settings;

shared_settings!(SigningSettings);

/// The defaults or the S3 preset, with the shared boolean options (`singleEncode`,
/// `normalizePath`, `tokenAfterSigning`) set where JavaScript gave them.
pub(crate) fn settings<S: SharedSettings>(
    s3: bool,
    single_encode: Option<bool>,
    normalize_path: Option<bool>,
    token_after_signing: Option<bool>,
) -> S {
    let mut s = if s3 { S::s3() } else { S::default() };
    let (uri, path, token) = s.shared();
    flag(uri, single_encode, UriEncoding::Single, UriEncoding::Double);
    flag(
        path,
        normalize_path,
        PathNormalization::Enabled,
        PathNormalization::Disabled,
    );
    flag(
        token,
        token_after_signing,
        SessionTokenMode::AppendAfterSigning,
        SessionTokenMode::Signed,
    );
    s
}

fn names(packed: Option<String>) -> Option<Vec<String>> {
    packed.map(|p| {
        if p.is_empty() {
            Vec::new()
        } else {
            p.split('\0').map(str::to_owned).collect()
        }
    })
}

/// Signs for one region and service with fixed settings (the core's `Signer`).
#[wasm_bindgen]
pub struct Signer {
    inner: sigv4::Signer,
    presign: bool,
}

#[wasm_bindgen]
impl Signer {
    /// `s3` starts from the core's S3 settings, the other arguments override single settings;
    /// `allow`/`deny` are NUL-packed header names; `expires_in` (seconds) makes a presigner.
    #[wasm_bindgen(constructor)]
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        region: &str,
        service: &str,
        s3: bool,
        single_encode: Option<bool>,
        normalize_path: Option<bool>,
        token_after_signing: Option<bool>,
        content_sha256: Option<bool>,
        allow: Option<String>,
        deny: Option<String>,
        expires_in: Option<f64>,
    ) -> Res<Signer> {
        let mut s: SigningSettings =
            settings(s3, single_encode, normalize_path, token_after_signing);
        flag(
            &mut s.content_sha256,
            content_sha256,
            ContentSha256Header::Add,
            ContentSha256Header::Omit,
        );
        match (names(allow), names(deny)) {
            (Some(_), Some(_)) => {
                return Err(ErrorInfo::argument(
                    "ERR_INVALID_ARG_VALUE",
                    "give either an allow list or a deny list of headers, not both",
                )
                .into())
            }
            (Some(a), None) => s.headers = HeaderSelection::AllowList(a),
            (None, Some(d)) => s.headers = HeaderSelection::DenyList(d),
            (None, None) => {}
        }
        let presign = expires_in.is_some();
        if let Some(e) = expires_in {
            s = s.presigned(whole_seconds(e, "expiresIn")?);
        }
        let inner = sigv4::Signer::new(region, service, s).map_err(|e| error::signing(&e))?;
        Ok(Signer { inner, presign })
    }

    /// Signs a request whose payload is text (or a marker/precomputed hash in `text`). Returns
    /// NUL-joined `signature, canonical request, string to sign` (the two stages empty unless
    /// `stages`), then the headers to set as name/value items, or the presigned URL.
    #[allow(clippy::too_many_arguments)]
    pub fn sign(
        &self,
        credentials: &Credentials,
        time_ms: f64,
        head: &str,
        nheaders: u32,
        payload_kind: u32,
        text: &str,
        stages: bool,
    ) -> Res<String> {
        self.run(
            credentials,
            time_ms,
            head,
            nheaders,
            payload(payload_kind, text, &[])?,
            stages,
        )
    }

    /// [`Signer::sign`] for a binary body.
    pub fn sign_bytes(
        &self,
        credentials: &Credentials,
        time_ms: f64,
        head: &str,
        nheaders: u32,
        body: &[u8],
        stages: bool,
    ) -> Res<String> {
        self.run(
            credentials,
            time_ms,
            head,
            nheaders,
            Payload::Bytes(body),
            stages,
        )
    }
}

impl Signer {
    fn run(
        &self,
        credentials: &Credentials,
        time_ms: f64,
        head: &str,
        nheaders: u32,
        payload: Payload<'_>,
        stages: bool,
    ) -> Res<String> {
        let time = timestamp(time_ms, "signing time")?;
        let h = pack::head(head, nheaders)?;
        let request = SignableRequest::new(h.method, h.uri, &h.headers, payload);
        let out = self
            .inner
            .sign(&request, &credentials.inner, time)
            .map_err(|e| error::signing(&e))?;
        let lifetime = self.inner.presigned_lifetime(&credentials.inner, time);
        Ok(self.render(&out, &request, stages, lifetime))
    }

    /// A presigned URL is followed by its lifetime: `X-Amz-Expires` end and real end (epoch
    /// ms), cut short and expiry unknown (`1`/`0`).
    fn render(
        &self,
        out: &SigningOutput,
        request: &SignableRequest<'_>,
        stages: bool,
        lifetime: Option<PresignedLifetime>,
    ) -> String {
        let mut o = Out::with_capacity(if stages { 2048 } else { 768 });
        o.item(out.signature());
        o.item(if stages { out.canonical_request() } else { "" });
        o.item(if stages { out.string_to_sign() } else { "" });
        if self.presign {
            o.item(&out.signed_uri(request));
            if let Some(l) = lifetime {
                let flag = |b: bool| if b { "1" } else { "0" };
                o.item(&millis_text(l.url_expires_at));
                o.item(&millis_text(l.ends_at));
                o.item(flag(l.cut_short));
                o.item(flag(l.expiry_unknown));
            }
        } else {
            for (name, value) in out.headers() {
                o.item(name);
                o.item(value);
            }
        }
        o.text
    }
}
