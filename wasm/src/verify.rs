//! Verification of signed requests (header-signed and presigned) with the core's verifier.

use crate::credentials::{millis_text, timestamp, Credentials};
use crate::error::{self, Res};
use crate::pack::{self, Out};
use crate::prelude::*;
use crate::sign::{payload, settings, shared_settings, whole_seconds};
use sigfresh::sigv4::{self, SignableRequest, VerifySettings};
use wasm_bindgen::prelude::*;

shared_settings!(VerifySettings);

#[wasm_bindgen]
extern "C" {
    /// `(accessKeyId) => Credentials | undefined`, called once by the core's verifier. It must
    /// return a fresh handle (`share()`): the handle is moved into Rust.
    pub type Lookup;
    #[wasm_bindgen(method, js_name = call)]
    fn call(this: &Lookup, this_arg: &JsValue, access_key_id: &str) -> Option<Credentials>;
}

/// Verifies a signed request (header or presigned) at `now_ms` with the core's verifier.
/// Returns NUL-joined `access key id, region, service, signed at (epoch ms), expires at (epoch
/// ms or empty)`, then the signed header names.
#[wasm_bindgen]
#[allow(clippy::too_many_arguments)]
pub fn verify(
    head: &str,
    nheaders: u32,
    payload_kind: u32,
    text: &str,
    bytes: &[u8],
    lookup: &Lookup,
    now_ms: f64,
    s3: bool,
    single_encode: Option<bool>,
    normalize_path: Option<bool>,
    max_skew_secs: Option<f64>,
    token_after_signing: Option<bool>,
) -> Res<String> {
    let now = timestamp(now_ms, "now")?;
    let mut s: VerifySettings = settings(s3, single_encode, normalize_path, token_after_signing);
    if let Some(m) = max_skew_secs {
        s.max_skew_secs = whole_seconds(m, "maxSkewSeconds")?;
    }
    let h = pack::head(head, nheaders)?;
    let request = SignableRequest::new(
        h.method,
        h.uri,
        &h.headers,
        payload(payload_kind, text, bytes)?,
    );
    let v = sigv4::verify(
        &request,
        |akid| lookup.call(&JsValue::UNDEFINED, akid).map(|c| c.inner),
        now,
        &s,
    )
    .map_err(|e| error::verify(&e))?;
    let mut o = Out::with_capacity(256);
    o.item(&v.access_key_id);
    o.item(&v.region);
    o.item(&v.service);
    o.item(&millis_text(v.signed_at));
    o.item(&v.expires_at.map(millis_text).unwrap_or_default());
    for h in &v.signed_headers {
        o.item(h);
    }
    Ok(o.text)
}
