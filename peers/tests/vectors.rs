//! The expected values of the conformance corpus's own signing cases
//! (`tests/vectors/signing/*.json`) come from peers, never from sigfresh: this test signs each
//! case with the peers its `peers` list names (aws-sigv4 1.6.4 and/or botocore through
//! `botocore_sign.py`), checks that the peers agree with each other, and checks that the
//! committed `expect` object is exactly what they produced.
//!
//! Regenerate after adding or changing a case:
//!
//! ```text
//! SIGFRESH_REGEN_VECTORS=1 cargo test -p sigfresh-peers --test vectors
//! ```
//!
//! Cases with an empty `peers` list are expectations no peer can produce (errors); they are
//! written by hand from the spec and this test leaves them alone.

mod common;

use aws_sigv4::http_request::{
    PayloadChecksumKind, PercentEncodingMode, SessionTokenMode, SignatureLocation, SigningSettings,
    UriPathNormalizationMode,
};
use common::{aws, Body, Case, Knobs, ACCESS_KEY, SECRET_KEY};
use serde_json::{json, Map, Value};
use std::borrow::Cow;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/signing")
}

fn s<'a>(v: &'a Value, k: &str) -> Option<&'a str> {
    v.get(k).and_then(Value::as_str)
}

/// The case as the peers' shared request model.
fn to_case(v: &Value) -> Case {
    let req = &v["request"];
    let body = match &req["payload"] {
        Value::Null => Body::Bytes(s(req, "body").unwrap_or("").as_bytes().to_vec()),
        Value::String(p) => match p.as_str() {
            "bytes" => Body::Bytes(s(req, "body").unwrap_or("").as_bytes().to_vec()),
            "unsigned" => Body::Unsigned,
            "streaming-signed" => Body::StreamingSigned,
            "streaming-signed-trailer" => Body::StreamingSignedTrailer,
            "streaming-unsigned-trailer" => Body::StreamingUnsignedTrailer,
            other => panic!("unknown payload {other}"),
        },
        Value::Object(o) => Body::Precomputed(o["precomputed"].as_str().unwrap().to_string()),
        other => panic!("bad payload {other}"),
    };
    let creds = &v["credentials"];
    assert_eq!(s(creds, "access_key_id"), Some(ACCESS_KEY));
    assert_eq!(s(creds, "secret_access_key"), Some(SECRET_KEY));
    let set = &v["settings"];
    let time = sigfresh::time::parse_amz_date(s(v, "time").unwrap()).unwrap();
    Case {
        method: s(req, "method").unwrap().to_string(),
        uri: s(req, "uri").unwrap().to_string(),
        headers: req["headers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| (h[0].as_str().unwrap().into(), h[1].as_str().unwrap().into()))
            .collect(),
        body,
        region: s(v, "region").unwrap().into(),
        service: s(v, "service").unwrap().into(),
        time: time.unix_seconds(),
        token: s(creds, "session_token").map(str::to_string),
        knobs: Knobs {
            single_encoding: s(set, "uri_encoding") == Some("single"),
            normalize: set["path_normalization"].as_bool().unwrap_or(true),
            content_sha256: set["content_sha256"].as_bool().unwrap_or(false),
            append_token: s(set, "session_token") == Some("append-after-signing"),
            presign: set["presign_expires"].as_u64().map(|e| e as u32),
            header_selection: 0,
        },
        params: None,
        botocore_url: None,
    }
}

/// aws-sigv4's settings for the case, including the header selection (sigfresh's defaults as
/// `excluded_headers`; an allow list as the exclusion of every other request header, as in
/// `common::aws::settings`; see KNOWN_DIFFERENCES.md "Header selection").
fn aws_settings(v: &Value, c: &Case) -> SigningSettings {
    let k = c.knobs;
    let mut st = SigningSettings::default();
    st.percent_encoding_mode = if k.single_encoding {
        PercentEncodingMode::Single
    } else {
        PercentEncodingMode::Double
    };
    st.uri_path_normalization_mode = if k.normalize {
        UriPathNormalizationMode::Enabled
    } else {
        UriPathNormalizationMode::Disabled
    };
    st.payload_checksum_kind = if k.content_sha256 {
        PayloadChecksumKind::XAmzSha256
    } else {
        PayloadChecksumKind::NoHeader
    };
    st.session_token_mode = if k.append_token {
        SessionTokenMode::Exclude
    } else {
        SessionTokenMode::Include
    };
    if let Some(e) = k.presign {
        st.signature_location = SignatureLocation::QueryParams;
        st.expires_in = Some(Duration::from_secs(u64::from(e)));
    }
    let lower = |x: &Value| x.as_str().unwrap().to_ascii_lowercase();
    let defaults = sigfresh::sigv4::DEFAULT_EXCLUDED_HEADERS
        .iter()
        .map(|h| h.to_string());
    let sel = &v["settings"]["headers"];
    let excluded: Vec<String> = if let Some(allow) = sel["allow"].as_array() {
        let allow: Vec<String> = allow.iter().map(lower).collect();
        let always = [
            "host",
            "x-amz-date",
            "x-amz-security-token",
            "x-amz-content-sha256",
        ];
        defaults
            .chain(c.headers.iter().map(|(n, _)| n.to_ascii_lowercase()))
            .filter(|n| !allow.contains(n) && !always.contains(&n.as_str()))
            .collect()
    } else if let Some(deny) = sel["deny"].as_array() {
        defaults.chain(deny.iter().map(lower)).collect()
    } else {
        defaults.collect()
    };
    st.excluded_headers = Some(excluded.into_iter().map(Cow::Owned).collect());
    st
}

fn aws_expect(v: &Value, c: &Case) -> Map<String, Value> {
    aws::capture();
    let signed = aws::sign_aws_with(c, aws_settings(v, c)).expect("aws-sigv4 signs the case");
    let mut m = Map::new();
    m.insert("signature".into(), signed.signature.into());
    let pairs = |l: &[(String, String)]| {
        Value::Array(l.iter().map(|(a, b)| json!([a, b])).collect::<Vec<_>>())
    };
    if c.knobs.presign.is_some() {
        m.insert("query_params".into(), pairs(&signed.query_params));
        if let Some(sts) = signed.string_to_sign {
            m.insert("string_to_sign".into(), sts.into());
        }
    } else {
        m.insert("headers".into(), pairs(&signed.headers));
        m.insert("authorization".into(), signed.authorization.into());
    }
    if let Some(cr) = signed.canonical_request {
        // aws-sigv4 logs sensitive header values redacted; such a canonical request is not
        // an expectation.
        if !cr.contains("** redacted") {
            m.insert("canonical_request".into(), cr.into());
        }
    }
    m
}

/// botocore's results for the cases, in order (one python3 run).
fn botocore_expect(cases: &[(&Value, Case)]) -> Vec<Map<String, Value>> {
    let path = std::env::temp_dir().join(format!("sigfresh-vectors-{}.jsonl", std::process::id()));
    {
        let mut f = std::fs::File::create(&path).unwrap();
        for (i, (_, c)) in cases.iter().enumerate() {
            let (body_hex, unsigned) = match &c.body {
                Body::Bytes(b) => (hex::encode(b), false),
                Body::Unsigned => (String::new(), true),
                other => panic!("botocore cannot express payload {other:?}"),
            };
            let kind = match (c.knobs.single_encoding, c.knobs.presign.is_some()) {
                (true, false) => "s3",
                (true, true) => "s3query",
                (false, false) => "v4",
                (false, true) => "v4query",
            };
            assert!(
                !c.knobs.append_token,
                "botocore has no token-after-signing mode"
            );
            let line = json!({
                "id": i, "signer": kind, "method": c.method, "url": c.uri, "params": null,
                "headers": c.headers, "body_hex": body_hex, "unsigned": unsigned,
                "region": c.region, "service": c.service, "time": c.time,
                "access_key": ACCESS_KEY, "secret_key": SECRET_KEY, "token": c.token,
                "expires": c.knobs.presign.unwrap_or(0),
            });
            writeln!(f, "{line}").unwrap();
        }
    }
    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".into());
    let out = Command::new(&python)
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/botocore_sign.py"))
        .arg(&path)
        .output()
        .expect("run botocore_sign.py");
    let _ = std::fs::remove_file(&path);
    assert!(
        out.status.success(),
        "botocore_sign.py needs `{python}` with botocore: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    lines.pop(); // version line
    lines
        .into_iter()
        .zip(cases)
        .map(|(b, (_, c))| {
            assert!(b.get("error").is_none(), "botocore failed: {b}");
            let mut m = Map::new();
            for k in ["canonical_request", "string_to_sign", "signature"] {
                m.insert(k.into(), b[k].clone());
            }
            if c.knobs.presign.is_none() {
                m.insert("authorization".into(), b["authorization"].clone());
            } else {
                // The X-Amz-* parameters botocore put in the URL.
                let url = b["url"].as_str().unwrap();
                let q = url.split_once('?').map_or("", |(_, q)| q);
                let mut ps: Vec<(String, String)> = q
                    .split('&')
                    .filter_map(|kv| kv.split_once('='))
                    .filter(|(k, _)| k.starts_with("X-Amz-"))
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect();
                ps.sort();
                m.insert("query_params".into(), json!(ps));
            }
            m
        })
        .collect()
}

/// Merges `b` into `a`; a field both have must be equal.
fn merge(name: &str, a: &mut Map<String, Value>, b: Map<String, Value>) {
    for (k, v) in b {
        match a.get(&k) {
            Some(old) if k == "query_params" => {
                // botocore's URL holds only the X-Amz-* parameters it added; aws-sigv4 lists
                // every added parameter. Compare the X-Amz-* ones.
                let amz = |x: &Value| -> Vec<Value> {
                    x.as_array()
                        .unwrap()
                        .iter()
                        .filter(|p| p[0].as_str().unwrap().starts_with("X-Amz-"))
                        .cloned()
                        .collect()
                };
                assert_eq!(amz(old), amz(&v), "{name}: peers disagree on query_params");
            }
            Some(old) => assert_eq!(old, &v, "{name}: peers disagree on {k}"),
            None => {
                a.insert(k, v);
            }
        }
    }
}

#[test]
fn signing_expectations_are_the_peers_output() {
    let regen = std::env::var_os("SIGFRESH_REGEN_VECTORS").is_some();
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let docs: Vec<(PathBuf, Value)> = files
        .into_iter()
        .map(|p| {
            let v = serde_json::from_slice(&std::fs::read(&p).unwrap()).unwrap();
            (p, v)
        })
        .collect();
    let peers = |v: &Value, p: &str| {
        v["peers"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x.as_str() == Some(p))
    };
    let boto_cases: Vec<(&Value, Case)> = docs
        .iter()
        .filter(|(_, v)| peers(v, "botocore"))
        .map(|(_, v)| (v, to_case(v)))
        .collect();
    let mut boto = botocore_expect(&boto_cases).into_iter();
    let mut checked = 0;
    let mut mismatches = Vec::new();
    for (path, v) in &docs {
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        let listed = v["peers"].as_array().unwrap();
        if listed.is_empty() {
            let e = &v["expect"];
            assert!(
                e.get("error").is_some(),
                "{name}: a case without peers must expect an error written from the spec"
            );
            continue;
        }
        let c = to_case(v);
        let mut expect = Map::new();
        if peers(v, "aws-sigv4") {
            merge(&name, &mut expect, aws_expect(v, &c));
        }
        if peers(v, "botocore") {
            merge(&name, &mut expect, boto.next().unwrap());
        }
        for p in listed {
            assert!(
                matches!(p.as_str(), Some("aws-sigv4" | "botocore")),
                "{name}: unknown peer {p}"
            );
        }
        let expect = Value::Object(expect);
        checked += 1;
        if v.get("expect") != Some(&expect) {
            if regen {
                let mut nv = v.clone();
                nv["expect"] = expect;
                let mut text = serde_json::to_string_pretty(&nv).unwrap();
                text.push('\n');
                std::fs::write(path, text).unwrap();
                eprintln!("regenerated {name}");
            } else {
                mismatches.push(name);
            }
        }
    }
    eprintln!("{checked} signing cases checked against their peers");
    assert!(
        mismatches.is_empty(),
        "committed expectations differ from the peers' output (regenerate with \
         SIGFRESH_REGEN_VECTORS=1): {mismatches:?}"
    );
}
