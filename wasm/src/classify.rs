//! AWS error classification: the core's `classify`.

use crate::credentials::{millis_text, timestamp};
use crate::error::Res;
use crate::pack::{self, Out};
use crate::prelude::*;
use crate::skew::{observation, verdict_name, ClockSkew};
use sigfresh::classify::{self, Action, ErrorKind, ErrorResponse};
use sigfresh::credentials::CredentialSource;
use sigfresh::skew;
use wasm_bindgen::prelude::*;

fn action_name(a: Action) -> &'static str {
    match a {
        Action::RefreshCredentialsAndRetry => "refresh-credentials-and-retry",
        Action::CorrectClockAndRetry => "correct-clock-and-retry",
        Action::Throttled => "throttled",
        Action::RetryTransient => "retry-transient",
        _ => "fatal",
    }
}

fn kind_name(k: ErrorKind) -> &'static str {
    match k {
        ErrorKind::ExpiredToken => "expired-token",
        ErrorKind::CredentialsNotRecognized => "credentials-not-recognized",
        ErrorKind::ClockSkew => "clock-skew",
        ErrorKind::Throttling => "throttling",
        ErrorKind::Transient => "transient",
        ErrorKind::SignatureMismatch => "signature-mismatch",
        ErrorKind::AccessDenied => "access-denied",
        _ => "other",
    }
}

/// Classifies an error response (`headers` NUL-packed) with the core's rules, without a
/// clock-skew tracker (see [`ClockSkew::classify`]). Returns NUL-joined `action, action for
/// temporary credentials, kind, status, code, message, server time (epoch ms), skew (ms),
/// skew verdict, explanation, AWS's canonical request, AWS's string to sign` (S3
/// SignatureDoesNotMatch echoes), then the four items of the skew observation when the response
/// taught the tracker (empty items for absent values).
#[wasm_bindgen]
pub fn classify_error(status: u16, headers: &str, body: &[u8], local_ms: f64) -> Res<String> {
    classify_with(status, headers, body, None, local_ms)
}

#[wasm_bindgen]
impl ClockSkew {
    /// Classifies an error response; a skew error teaches this tracker the server's clock.
    pub fn classify(&self, status: u16, headers: &str, body: &[u8], local_ms: f64) -> Res<String> {
        classify_with(status, headers, body, Some(&self.inner), local_ms)
    }
}

fn classify_with(
    status: u16,
    headers: &str,
    body: &[u8],
    skew: Option<&skew::ClockSkew>,
    local_ms: f64,
) -> Res<String> {
    let now = timestamp(local_ms, "now")?;
    let pairs = pack::pairs(headers);
    let before = skew.map(skew::ClockSkew::offset_millis);
    let response = ErrorResponse::new(status, &pairs, body);
    let c = classify::classify(&response, skew, now);
    let mut o = Out::with_capacity(512);
    o.item(action_name(c.action));
    o.item(action_name(
        c.action_for_source(&CredentialSource::InstanceMetadata),
    ));
    o.item(kind_name(c.kind));
    o.item(&c.status.to_string());
    o.item(c.code.as_deref().unwrap_or(""));
    o.item(c.message.as_deref().unwrap_or(""));
    o.item(&c.server_time.map(millis_text).unwrap_or_default());
    o.item(&c.skew_ms.map(|m| m.to_string()).unwrap_or_default());
    o.item(verdict_name(c.skew_verdict));
    o.item(&c.explain());
    o.item(c.canonical_request.as_deref().unwrap_or(""));
    o.item(c.string_to_sign.as_deref().unwrap_or(""));
    if let Some(ch) = c.skew_change {
        o.item(&observation(ch, before.unwrap_or_default()));
    }
    Ok(o.text)
}
