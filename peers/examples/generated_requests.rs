//! The generator check across hosts (tests/vectors/generated.sh): writes pseudo-random requests
//! drawn with fixed seeds from the differential tests' generators (`peers/tests/common/gen.rs`)
//! as JSON lines, and their signatures through the Rust core.
//!
//! `cargo run -p sigfresh-peers --example generated_requests -- OUT_DIR [N_AWS N_BOTOCORE]`
//!
//! Writes `OUT_DIR/requests.jsonl` (one request per line, host-neutral: the signing-case
//! vocabulary of tests/vectors/README.md plus `body_hex`, `time` in Unix seconds and, for the
//! botocore-shaped requests, the `botocore` spec `peers/botocore_sign.py` reads) and
//! `OUT_DIR/rust.jsonl` (`id`, `signature`, `canonical_request`, `string_to_sign`,
//! `authorization`, or `id` and `error`). The other hosts sign `requests.jsonl` themselves and
//! `tests/vectors/tools/compare_generated.py` compares everything.
#![allow(clippy::print_stdout)]

#[path = "../tests/common/mod.rs"]
mod common;

use common::gen::{aws_case, botocore_case, sample};
use common::{Body, Case, ACCESS_KEY, DENY_LIST, SECRET_KEY};
use serde_json::{json, Value};
use sigfresh::time::Timestamp;
use std::io::Write as _;

/// The seeds: changing them changes the corpus (a different but equally valid check).
const AWS_SEED: u64 = 0x9e4e_4a7e_d000_0001;
const BOTOCORE_SEED: u64 = 0x9e4e_4a7e_d000_0002;

fn payload(body: &Body) -> Value {
    match body {
        Body::Bytes(_) => "bytes".into(),
        Body::Precomputed(h) => json!({ "precomputed": h }),
        Body::Unsigned => "unsigned".into(),
        Body::StreamingSigned => "streaming-signed".into(),
        Body::StreamingSignedTrailer => "streaming-signed-trailer".into(),
        Body::StreamingUnsignedTrailer => "streaming-unsigned-trailer".into(),
    }
}

fn settings(c: &Case) -> Value {
    let k = c.knobs;
    let mut s = serde_json::Map::new();
    s.insert(
        "uri_encoding".into(),
        if k.single_encoding {
            "single"
        } else {
            "double"
        }
        .into(),
    );
    s.insert("path_normalization".into(), k.normalize.into());
    s.insert("content_sha256".into(), k.content_sha256.into());
    s.insert(
        "session_token".into(),
        if k.append_token {
            "append-after-signing"
        } else {
            "signed"
        }
        .into(),
    );
    match k.header_selection {
        1 => {
            s.insert("headers".into(), json!({ "deny": DENY_LIST }));
        }
        2 => {
            s.insert("headers".into(), json!({ "allow": common::ALLOW_LIST }));
        }
        _ => {}
    }
    if let Some(e) = k.presign {
        s.insert("presign_expires".into(), e.into());
    }
    Value::Object(s)
}

/// The spec `peers/botocore_sign.py` reads (as in `peers/tests/botocore_diff.rs`).
fn botocore_spec(id: usize, c: &Case) -> Value {
    let (body_hex, unsigned) = match &c.body {
        Body::Bytes(b) => (hex::encode(b), false),
        _ => (String::new(), true),
    };
    let signer = match (c.knobs.single_encoding, c.knobs.presign.is_some()) {
        (true, false) => "s3",
        (true, true) => "s3query",
        (false, false) => "v4",
        (false, true) => "v4query",
    };
    json!({
        "id": id, "signer": signer, "method": c.method,
        "url": c.botocore_url.as_deref().unwrap_or(&c.uri), "params": c.params,
        "headers": c.headers, "body_hex": body_hex, "unsigned": unsigned,
        "region": c.region, "service": c.service, "time": c.time,
        "access_key": ACCESS_KEY, "secret_key": SECRET_KEY, "token": c.token,
        "expires": c.knobs.presign.unwrap_or(0),
    })
}

fn request(id: usize, c: &Case, botocore: bool) -> Value {
    let body_hex = match &c.body {
        Body::Bytes(b) => hex::encode(b),
        _ => String::new(),
    };
    let amz = Timestamp::from_unix_seconds(c.time)
        .amz_date()
        .map(|d| d.as_str().to_string());
    json!({
        "id": id, "method": c.method, "uri": c.uri, "headers": c.headers,
        "body_hex": body_hex, "payload": payload(&c.body),
        "region": c.region, "service": c.service, "time": c.time, "amz_time": amz,
        "access_key_id": ACCESS_KEY, "secret_access_key": SECRET_KEY, "session_token": c.token,
        "settings": settings(c),
        "botocore": if botocore { botocore_spec(id, c) } else { Value::Null },
    })
}

fn snake(name: &str) -> String {
    let mut out = String::new();
    for (i, ch) in name.chars().enumerate() {
        if ch.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(ch.to_ascii_lowercase());
    }
    out
}

fn signed(id: usize, c: &Case) -> Value {
    match common::sign_sigfresh(c) {
        Ok((s, _)) => json!({
            "id": id, "signature": s.signature, "canonical_request": s.canonical_request,
            "string_to_sign": s.string_to_sign, "authorization": s.authorization,
        }),
        Err(_) => {
            let signer = sigfresh::sigv4::Signer::new(&c.region, &c.service, c.knobs.sigfresh());
            let headers = c.header_refs();
            let req = sigfresh::sigv4::SignableRequest::new(
                &c.method,
                &c.uri,
                &headers,
                c.body.payload(),
            );
            let err = signer
                .and_then(|s| {
                    s.sign(&req, &c.credentials(), Timestamp::from_unix_seconds(c.time))
                        .map(|_| ())
                })
                .expect_err("sign_sigfresh failed, so signing fails");
            let d = format!("{err:?}");
            let end = d.find([' ', '(', '{']).unwrap_or(d.len());
            json!({ "id": id, "error": format!("sign_{}", snake(&d[..end])) })
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = std::path::PathBuf::from(args.first().expect("usage: generated_requests OUT_DIR"));
    let n_aws: usize = args.get(1).map_or(2000, |n| n.parse().expect("N_AWS"));
    let n_boto: usize = args.get(2).map_or(1000, |n| n.parse().expect("N_BOTOCORE"));
    std::fs::create_dir_all(&dir).expect("create OUT_DIR");
    let mut cases: Vec<(Case, bool)> = sample(aws_case(), n_aws, AWS_SEED)
        .into_iter()
        .map(|c| (c, false))
        .collect();
    cases.extend(
        sample(botocore_case(), n_boto, BOTOCORE_SEED)
            .into_iter()
            .map(|c| (c, true)),
    );
    let mut reqs = std::io::BufWriter::new(
        std::fs::File::create(dir.join("requests.jsonl")).expect("requests.jsonl"),
    );
    let mut rust =
        std::io::BufWriter::new(std::fs::File::create(dir.join("rust.jsonl")).expect("rust.jsonl"));
    let mut errors = 0;
    for (id, (c, boto)) in cases.iter().enumerate() {
        writeln!(reqs, "{}", request(id, c, *boto)).expect("write");
        let s = signed(id, c);
        errors += usize::from(s.get("error").is_some());
        writeln!(rust, "{s}").expect("write");
    }
    reqs.flush().expect("flush");
    rust.flush().expect("flush");
    eprintln!(
        "generated {} requests ({n_aws} aws-sigv4-shaped, {n_boto} botocore-shaped; {errors} \
         signing errors) into {}",
        cases.len(),
        dir.display()
    );
}
