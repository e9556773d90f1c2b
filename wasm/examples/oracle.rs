//! The Rust side of the npm package's byte-for-byte tests: signs requests with the core
//! directly (no wasm, no JavaScript) so `node/test` can check that the JS API returns exactly
//! what Rust computes.
//!
//! Reads one JSON request per line on stdin and writes one JSON result per line:
//!
//! ```text
//! in:  {"method","uri","headers":[[n,v]...],"body"?,"body_hex"?,"payload_hash"?,"region","service",
//!       "time_ms","access_key_id","secret_access_key","session_token"?,"s3"?,"single_encode"?,
//!       "normalize_path"?,"token_after"?,"content_sha256"?,"allow"?,"deny"?,"expires_in"?}
//! out: {"signature","canonical_request","string_to_sign","headers":[[n,v]...],"url"?}
//!      or {"error": "<the core's message>"}
//! ```
//!
//! Run: `cargo run -q -p sigfresh-wasm --example oracle < requests.jsonl`.

use serde_json::{json, Value};
use sigfresh::credentials::Credentials;
use sigfresh::sigv4::{
    ContentSha256Header, HeaderSelection, PathNormalization, Payload, SessionTokenMode,
    SignableRequest, Signer, SigningSettings, UriEncoding,
};
use sigfresh::time::Timestamp;
use std::io::{BufRead, Write};

fn text<'a>(v: &'a Value, k: &str) -> Option<&'a str> {
    v.get(k).and_then(Value::as_str)
}

fn flag(v: &Value, k: &str) -> Option<bool> {
    v.get(k).and_then(Value::as_bool)
}

fn list(v: &Value, k: &str) -> Option<Vec<String>> {
    v.get(k).and_then(Value::as_array).map(|a| {
        a.iter()
            .filter_map(|x| x.as_str().map(str::to_owned))
            .collect()
    })
}

fn settings(v: &Value) -> SigningSettings {
    let mut s = if flag(v, "s3") == Some(true) {
        SigningSettings::s3()
    } else {
        SigningSettings::default()
    };
    if let Some(single) = flag(v, "single_encode") {
        s.uri_encoding = if single {
            UriEncoding::Single
        } else {
            UriEncoding::Double
        };
    }
    if let Some(n) = flag(v, "normalize_path") {
        s.path_normalization = if n {
            PathNormalization::Enabled
        } else {
            PathNormalization::Disabled
        };
    }
    if let Some(after) = flag(v, "token_after") {
        s.session_token = if after {
            SessionTokenMode::AppendAfterSigning
        } else {
            SessionTokenMode::Signed
        };
    }
    if let Some(add) = flag(v, "content_sha256") {
        s.content_sha256 = if add {
            ContentSha256Header::Add
        } else {
            ContentSha256Header::Omit
        };
    }
    if let Some(a) = list(v, "allow") {
        s.headers = HeaderSelection::AllowList(a);
    } else if let Some(d) = list(v, "deny") {
        s.headers = HeaderSelection::DenyList(d);
    }
    if let Some(e) = v.get("expires_in").and_then(Value::as_u64) {
        s = s.presigned(e as u32);
    }
    s
}

fn payload<'a>(v: &'a Value, bytes: &'a Option<Vec<u8>>) -> Payload<'a> {
    if let Some(b) = bytes {
        return Payload::Bytes(b);
    }
    match text(v, "payload_hash") {
        Some("UNSIGNED-PAYLOAD") => Payload::Unsigned,
        Some("STREAMING-AWS4-HMAC-SHA256-PAYLOAD") => Payload::StreamingSigned,
        Some("STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER") => Payload::StreamingSignedTrailer,
        Some("STREAMING-UNSIGNED-PAYLOAD-TRAILER") => Payload::StreamingUnsignedTrailer,
        Some("STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD") => Payload::StreamingEcdsa,
        Some("STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER") => Payload::StreamingEcdsaTrailer,
        Some(hash) => Payload::Precomputed(hash),
        None => Payload::Bytes(text(v, "body").unwrap_or("").as_bytes()),
    }
}

fn unhex(s: &str) -> Result<Vec<u8>, String> {
    (0..s.len() / 2)
        .map(|i| u8::from_str_radix(s.get(2 * i..2 * i + 2).unwrap_or(""), 16))
        .collect::<Result<_, _>>()
        .map_err(|e| format!("body_hex: {e}"))
}

fn sign(v: &Value) -> Result<Value, String> {
    let body = text(v, "body_hex").map(unhex).transpose()?;
    let headers: Vec<(&str, &str)> = v
        .get("headers")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|p| Some((p.get(0)?.as_str()?, p.get(1)?.as_str()?)))
                .collect()
        })
        .unwrap_or_default();
    let request = SignableRequest::new(
        text(v, "method").unwrap_or("GET"),
        text(v, "uri").unwrap_or(""),
        &headers,
        payload(v, &body),
    );
    let mut b = Credentials::builder(
        text(v, "access_key_id").unwrap_or(""),
        text(v, "secret_access_key").unwrap_or(""),
    );
    if let Some(t) = text(v, "session_token") {
        b = b.session_token(t);
    }
    let creds = b.build().map_err(|e| e.to_string())?;
    let time = Timestamp::from_unix_millis(v.get("time_ms").and_then(Value::as_i64).unwrap_or(0));
    let presign = v.get("expires_in").is_some();
    let signer = Signer::new(
        text(v, "region").unwrap_or(""),
        text(v, "service").unwrap_or(""),
        settings(v),
    )
    .map_err(|e| e.to_string())?;
    let out = signer
        .sign(&request, &creds, time)
        .map_err(|e| e.to_string())?;
    let mut r = json!({
        "signature": out.signature(),
        "canonical_request": out.canonical_request(),
        "string_to_sign": out.string_to_sign(),
        "headers": out.headers().map(|(n, v)| [n, v]).collect::<Vec<_>>(),
    });
    if presign {
        r["url"] = Value::from(out.signed_uri(&request));
    }
    Ok(r)
}

fn main() {
    let stdin = std::io::stdin();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for line in stdin.lock().lines() {
        let line = line.expect("stdin is readable");
        if line.trim().is_empty() {
            continue;
        }
        let result = match serde_json::from_str::<Value>(&line) {
            Ok(v) => sign(&v).unwrap_or_else(|e| json!({ "error": e })),
            Err(e) => json!({ "error": format!("bad input line: {e}") }),
        };
        writeln!(out, "{result}").expect("stdout is writable");
    }
}
