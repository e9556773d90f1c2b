//! Signing a [`Case`] with aws-sigv4 1.6.4.
//!
//! aws-sigv4 does not return its canonical request; it logs it (with sensitive header values
//! redacted) through `tracing` at TRACE level, and logs the string to sign for presigned
//! requests. [`capture`] installs a tiny subscriber that records those two fields, so the
//! differential tests can compare them stage by stage. Without it (the benchmark and the
//! allocation test) aws-sigv4 runs exactly as in production.

use super::{enc3986, Body, Case, Signed, ACCESS_KEY, ALLOW_LIST, DENY_LIST, SECRET_KEY};
use aws_sigv4::http_request::{
    sign, PayloadChecksumKind, PercentEncodingMode, SessionTokenMode, SignableBody,
    SignableRequest, SignatureLocation, SigningSettings, UriPathNormalizationMode,
};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;
use std::borrow::Cow;
use std::cell::RefCell;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// aws-sigv4's settings equivalent to the case's knobs. `excluded_headers` is set to sigfresh's
/// default exclusion list (aws-sigv4's own default excludes only four headers; that difference
/// has its own test).
pub fn settings(case: &Case) -> SigningSettings {
    let k = case.knobs;
    let mut s = SigningSettings::default();
    s.percent_encoding_mode = if k.single_encoding {
        PercentEncodingMode::Single
    } else {
        PercentEncodingMode::Double
    };
    s.uri_path_normalization_mode = if k.normalize {
        UriPathNormalizationMode::Enabled
    } else {
        UriPathNormalizationMode::Disabled
    };
    s.payload_checksum_kind = if k.content_sha256 {
        PayloadChecksumKind::XAmzSha256
    } else {
        PayloadChecksumKind::NoHeader
    };
    s.session_token_mode = if k.append_token {
        SessionTokenMode::Exclude
    } else {
        SessionTokenMode::Include
    };
    if let Some(expires) = k.presign {
        s.signature_location = SignatureLocation::QueryParams;
        s.expires_in = Some(Duration::from_secs(u64::from(expires)));
    }
    let defaults = sigfresh::sigv4::DEFAULT_EXCLUDED_HEADERS
        .iter()
        .map(|h| h.to_string());
    let excluded: Vec<String> = match k.header_selection {
        // Deny list: the defaults plus the list.
        1 => defaults
            .chain(DENY_LIST.iter().map(|h| h.to_ascii_lowercase()))
            .collect(),
        // Allow list, emulated: exclude every other header the request has, except the ones
        // the signer adds itself and `host`.
        2 => {
            let allow: Vec<String> = ALLOW_LIST.iter().map(|h| h.to_ascii_lowercase()).collect();
            defaults
                .chain(case.headers.iter().map(|(n, _)| n.to_ascii_lowercase()))
                .filter(|n| !allow.contains(n) && !ALWAYS_SIGNED.contains(&n.as_str()))
                .collect()
        }
        _ => defaults.collect(),
    };
    s.excluded_headers = Some(excluded.into_iter().map(Cow::Owned).collect());
    s
}

/// Headers sigfresh signs whatever the header selection says.
const ALWAYS_SIGNED: &[&str] = &[
    "host",
    "x-amz-date",
    "x-amz-security-token",
    "x-amz-content-sha256",
];

pub fn identity(token: Option<&str>) -> Identity {
    aws_credential_types::Credentials::new(
        ACCESS_KEY,
        SECRET_KEY,
        token.map(str::to_string),
        None,
        "sigfresh-peers",
    )
    .into()
}

pub fn body(b: &Body) -> SignableBody<'_> {
    match b {
        Body::Bytes(bytes) => SignableBody::Bytes(bytes),
        Body::Precomputed(h) => SignableBody::Precomputed(h.clone()),
        Body::Unsigned => SignableBody::UnsignedPayload,
        // aws-sigv4 has no variant for this marker; `Precomputed` puts any text on the line.
        Body::StreamingSigned => {
            SignableBody::Precomputed("STREAMING-AWS4-HMAC-SHA256-PAYLOAD".into())
        }
        Body::StreamingSignedTrailer => SignableBody::StreamingSignedPayloadTrailer,
        Body::StreamingUnsignedTrailer => SignableBody::StreamingUnsignedPayloadTrailer,
    }
}

pub fn system_time(unix_secs: i64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(u64::try_from(unix_secs).expect("time after 1970"))
}

/// Signs `case` with aws-sigv4. The canonical request and string to sign are filled only when
/// [`capture`] is active on this thread.
pub fn sign_aws(case: &Case) -> Result<Signed, String> {
    sign_aws_with(case, settings(case))
}

/// [`sign_aws`] with explicit aws-sigv4 settings.
pub fn sign_aws_with(case: &Case, settings: SigningSettings) -> Result<Signed, String> {
    let identity = identity(case.token.as_deref());
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(&case.region)
        .name(&case.service)
        .time(system_time(case.time))
        .settings(settings)
        .build()
        .map_err(|e| format!("aws-sigv4 params: {e}"))?
        .into();
    let req = SignableRequest::new(
        &case.method,
        case.uri.as_str(),
        case.headers.iter().map(|(n, v)| (n.as_str(), v.as_str())),
        body(&case.body),
    )
    .map_err(|e| format!("aws-sigv4 request: {e}"))?;
    CAPTURED.with(|c| *c.borrow_mut() = Captured::default());
    let out = sign(req, &params).map_err(|e| format!("aws-sigv4: {e}"))?;
    let captured = CAPTURED.with(|c| std::mem::take(&mut *c.borrow_mut()));
    let (instructions, signature) = out.into_parts();
    let mut headers: Vec<(String, String)> = instructions
        .headers()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect();
    headers.sort();
    let authorization = headers
        .iter()
        .find(|(n, _)| n == "authorization")
        .map(|(_, v)| v.clone());
    let mut query_params: Vec<(String, String)> = instructions
        .params()
        .iter()
        .map(|(n, v)| (enc3986(n.as_bytes()), enc3986(v.as_bytes())))
        .collect();
    query_params.sort();
    Ok(Signed {
        canonical_request: captured.canonical_request,
        string_to_sign: captured.string_to_sign,
        signature,
        authorization,
        headers,
        query_params,
    })
}

#[derive(Default)]
struct Captured {
    canonical_request: Option<String>,
    string_to_sign: Option<String>,
}

thread_local! {
    static CAPTURED: RefCell<Captured> = RefCell::new(Captured::default());
}

/// Installs (once per process) the subscriber that records aws-sigv4's logged canonical
/// request and string to sign.
pub fn capture() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // Fails only if another global subscriber is set; then fields stay `None` and only the
        // signature and outputs are compared.
        let _ = tracing::subscriber::set_global_default(Capture);
    });
}

struct Capture;

struct Visitor;

impl tracing::field::Visit for Visitor {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        match field.name() {
            // `%value` fields arrive as `DisplayValue`, whose Debug is the Display text.
            "canonical_request" => CAPTURED.with(|c| {
                c.borrow_mut().canonical_request = Some(format!("{value:?}"));
            }),
            "string_to_sign" => CAPTURED.with(|c| {
                c.borrow_mut().string_to_sign = Some(format!("{value:?}"));
            }),
            _ => {}
        }
    }
}

impl tracing::Subscriber for Capture {
    fn enabled(&self, metadata: &tracing::Metadata<'_>) -> bool {
        metadata.target().starts_with("aws_sigv4")
    }
    fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        event.record(&mut Visitor);
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}
