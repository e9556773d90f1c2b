//! Differential test against botocore (`peers/botocore_sign.py`): 600 generated requests are
//! signed by botocore's `SigV4Auth`, `S3SigV4Auth`, `SigV4QueryAuth` and `S3SigV4QueryAuth`
//! and by sigfresh; canonical request, string to sign and signature must match exactly. Known
//! differences each have an explicit test below (see `peers/KNOWN_DIFFERENCES.md`).
//!
//! Needs `python3` with botocore (`pip install botocore`); set `PYTHON` to use another
//! interpreter. Without it the tests fail and say so.

mod common;

use common::gen::{botocore_case, sample};
use common::{sign_sigfresh, Body, Case, Knobs, ACCESS_KEY, SECRET_KEY};
use serde_json::{json, Value};
use std::io::Write as _;
use std::process::Command;

const CORPUS: usize = 600;

fn python() -> String {
    std::env::var("PYTHON").unwrap_or_else(|_| "python3".into())
}

fn signer_kind(c: &Case) -> &'static str {
    match (c.knobs.single_encoding, c.knobs.presign.is_some()) {
        (true, false) => "s3",
        (true, true) => "s3query",
        (false, false) => "v4",
        (false, true) => "v4query",
    }
}

fn to_json(id: usize, c: &Case) -> Value {
    let (body_hex, unsigned) = match &c.body {
        Body::Bytes(b) => (hex::encode(b), false),
        Body::Unsigned => (String::new(), true),
        other => panic!("botocore corpus cannot express {other:?}"),
    };
    json!({
        "id": id,
        "signer": signer_kind(c),
        "method": c.method,
        "url": c.botocore_url.as_deref().unwrap_or(&c.uri),
        "params": c.params,
        "headers": c.headers,
        "body_hex": body_hex,
        "unsigned": unsigned,
        "region": c.region,
        "service": c.service,
        "time": c.time,
        "access_key": ACCESS_KEY,
        "secret_key": SECRET_KEY,
        "token": c.token,
        "expires": c.knobs.presign.unwrap_or(0),
    })
}

/// Signs every case with botocore in one `python3` run; one JSON object per case.
fn botocore_sign(cases: &[Case]) -> Vec<Value> {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/botocore_sign.py");
    static SEQ: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let path = std::env::temp_dir().join(format!(
        "sigfresh-botocore-{}-{}.jsonl",
        std::process::id(),
        SEQ.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    ));
    {
        let mut f = std::fs::File::create(&path).expect("create temp request file");
        for (i, c) in cases.iter().enumerate() {
            writeln!(f, "{}", to_json(i, c)).expect("write temp request file");
        }
    }
    let out = Command::new(python())
        .arg(script)
        .arg(&path)
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "botocore differential test needs `{}` with botocore installed \
                 (pip install botocore); running it failed: {e}",
                python()
            )
        });
    let _ = std::fs::remove_file(&path);
    assert!(
        out.status.success(),
        "botocore differential test needs `{}` with botocore installed (pip install botocore); \
         {script} exited with {}:\n{}",
        python(),
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let mut lines: Vec<Value> = String::from_utf8(out.stdout)
        .expect("UTF-8 output")
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    let version = lines.pop().expect("version line");
    eprintln!("botocore {}", version["botocore_version"]);
    assert_eq!(lines.len(), cases.len(), "one botocore result per request");
    lines
}

/// The `X-Amz-*` parameters of a presigned URL, as `(name, encoded value)`, sorted.
fn amz_params(url: &str) -> Vec<(String, String)> {
    let query = url.split_once('?').map_or("", |(_, q)| q);
    let mut v: Vec<(String, String)> = query
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .filter(|(k, _)| k.starts_with("X-Amz-"))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    v.sort();
    v
}

/// Compares sigfresh with one botocore result; `Err` is a full report.
fn diff(c: &Case, b: &Value) -> Result<(), String> {
    if let Some(e) = b.get("error") {
        return Err(format!("botocore failed: {e}"));
    }
    let (ours, _) = sign_sigfresh(c)?;
    let mut problems = Vec::new();
    let field = |name: &str| b[name].as_str().map(str::to_string);
    if ours.canonical_request != field("canonical_request") {
        problems.push(format!(
            "canonical request differs\n--- sigfresh\n{}\n--- botocore\n{}\n---",
            ours.canonical_request.unwrap_or_default(),
            field("canonical_request").unwrap_or_default()
        ));
    }
    if ours.string_to_sign != field("string_to_sign") {
        problems.push(format!(
            "string to sign differs\n--- sigfresh\n{}\n--- botocore\n{}",
            ours.string_to_sign.unwrap_or_default(),
            field("string_to_sign").unwrap_or_default()
        ));
    }
    if Some(&ours.signature) != field("signature").as_ref() {
        problems.push(format!(
            "signature differs: sigfresh {} vs botocore {:?}",
            ours.signature,
            field("signature")
        ));
    }
    if c.knobs.presign.is_some() {
        let theirs = amz_params(b["url"].as_str().unwrap_or_default());
        let ours: Vec<(String, String)> = ours
            .query_params
            .iter()
            .filter(|(k, _)| k.starts_with("X-Amz-"))
            .cloned()
            .collect();
        if ours != theirs {
            problems.push(format!(
                "presigned X-Amz-* params differ:\n  sigfresh {ours:?}\n  botocore {theirs:?}"
            ));
        }
    } else if ours.authorization != field("authorization") {
        problems.push(format!(
            "Authorization differs:\n  sigfresh {:?}\n  botocore {:?}",
            ours.authorization,
            field("authorization")
        ));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

#[test]
fn generated_corpus_matches_botocore() {
    let cases = sample(botocore_case(), CORPUS, 0xb07_0c0e);
    let results = botocore_sign(&cases);
    let mut failures = Vec::new();
    let mut kinds = std::collections::BTreeMap::<&str, usize>::new();
    for (c, b) in cases.iter().zip(&results) {
        *kinds.entry(signer_kind(c)).or_default() += 1;
        if c.params.is_some() {
            *kinds.entry("query as decoded params").or_default() += 1;
        }
        if let Err(e) = diff(c, b) {
            failures.push(format!("{e}\n{}", c.describe()));
        }
    }
    eprintln!("botocore corpus: {kinds:?}");
    if std::env::var_os("BOTOCORE_DIFF_ALL").is_some() {
        for f in &failures {
            eprintln!("=====\n{f}");
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {CORPUS} requests differ from botocore; first ones:\n{}",
        failures.len(),
        failures
            .iter()
            .take(3)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n=====\n")
    );
    for kind in ["s3", "s3query", "v4", "v4query", "query as decoded params"] {
        assert!(
            kinds.get(kind).copied().unwrap_or(0) >= 50,
            "too few {kind}: {kinds:?}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Known differences: each test shows the difference on a minimal input.

fn case(knobs: Knobs, method: &str, uri: &str, headers: &[(&str, &str)]) -> Case {
    Case {
        method: method.into(),
        uri: uri.into(),
        headers: headers
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect(),
        body: if knobs.presign.is_some() && knobs.single_encoding {
            Body::Unsigned
        } else {
            Body::Bytes(Vec::new())
        },
        region: "us-east-1".into(),
        service: if knobs.single_encoding {
            "s3"
        } else {
            "service"
        }
        .into(),
        time: 1_714_564_800,
        token: None,
        knobs,
        params: None,
        botocore_url: None,
    }
}

/// sigfresh's and botocore's canonical requests for one case (asserting that they differ).
fn both(c: &Case) -> (String, String) {
    let b = botocore_sign(std::slice::from_ref(c)).remove(0);
    let (ours, _) = sign_sigfresh(c).expect("sigfresh signs");
    assert_ne!(
        Some(ours.signature.as_str()),
        b["signature"].as_str(),
        "expected a difference"
    );
    (
        ours.canonical_request.unwrap_or_default(),
        b["canonical_request"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
    )
}

fn agree(c: &Case) {
    let b = botocore_sign(std::slice::from_ref(c)).remove(0);
    diff(c, &b).unwrap_or_else(|e| panic!("{e}\n{}", c.describe()));
}

fn line(creq: &str, n: usize) -> &str {
    creq.split('\n').nth(n).unwrap_or_default()
}

fn header_line<'a>(creq: &'a str, name: &str) -> Option<&'a str> {
    creq.split('\n')
        .skip(3)
        .take_while(|l| !l.is_empty())
        .find(|l| l.split_once(':').map(|(n, _)| n) == Some(name))
}

#[test]
fn agreement_on_a_plain_request() {
    agree(&case(
        Knobs::DEFAULT,
        "GET",
        "https://example.amazonaws.com/a/b?x=1",
        &[("X-A", " a  b ")],
    ));
}

/// botocore agrees with sigfresh where aws-sigv4 does not (evidence for A2, A3, A1).
#[test]
fn agreements_that_settle_aws_sigv4_differences() {
    // A2: tabs are whitespace (`' '.join(value.split())`).
    agree(&case(
        Knobs::DEFAULT,
        "GET",
        "https://h.example/",
        &[("x-a", "a\t\tb"), ("x-b", "\t c \t")],
    ));
    // A3: URL query text is kept byte for byte, so `%FF` stays `%FF`.
    agree(&case(
        Knobs::DEFAULT,
        "GET",
        "https://h.example/?a=%FF&b=%C3",
        &[],
    ));
    // A1: expect, connection, te ... are in botocore's SIGNED_HEADERS_BLACKLIST.
    agree(&case(
        Knobs::DEFAULT,
        "PUT",
        "https://h.example/",
        &[
            ("Expect", "100-continue"),
            ("Connection", "close"),
            ("TE", "x"),
            ("Keep-Alive", "1"),
            ("Upgrade", "h2"),
            ("Trailer", "x"),
            ("User-Agent", "x"),
            ("X-Amzn-Trace-Id", "x"),
            ("Proxy-Authorization", "x"),
            ("Proxy-Authenticate", "x"),
        ],
    ));
}

/// B1: non-S3 paths ending in a `.` or `..` segment.
#[test]
fn difference_b1_trailing_dot_segment_loses_slash() {
    for (path, ours_uri, boto_uri) in [
        ("/a/b/..", "/a/", "/a"),
        ("/a/.", "/a/", "/a"),
        ("/a/b/../..", "/", "/"),
    ] {
        let c = case(
            Knobs::DEFAULT,
            "GET",
            &format!("https://h.example{path}"),
            &[],
        );
        if ours_uri == boto_uri {
            agree(&c);
            continue;
        }
        let (ours, theirs) = both(&c);
        assert_eq!(line(&ours, 1), ours_uri, "{path}");
        assert_eq!(line(&theirs, 1), boto_uri, "{path}");
    }
}

/// B2: a query given in the URL (botocore `params` empty) is signed as written, only sorted.
#[test]
fn difference_b2_url_query_text_is_not_re_encoded() {
    for (query, ours_q, boto_q) in [
        ("a=x+y", "a=x%20y", "a=x+y"),
        ("a=%2f", "a=%2F", "a=%2f"),
        ("a=b:c&b=*", "a=b%3Ac&b=%2A", "a=b:c&b=*"),
        ("a=%7E", "a=~", "a=%7E"),
        ("b&&a=1", "a=1&b=", "=&a=1&b="),
    ] {
        let c = case(
            Knobs::DEFAULT,
            "GET",
            &format!("https://h.example/?{query}"),
            &[],
        );
        let (ours, theirs) = both(&c);
        assert_eq!(line(&ours, 2), ours_q, "{query}");
        assert_eq!(line(&theirs, 2), boto_q, "{query}");
    }
    // The same pairs given as botocore `params` (how its serializers pass them) agree.
    let mut c = case(
        Knobs::DEFAULT,
        "GET",
        "https://h.example/?a=x+y&b=%2f&c=b:c&d=%7E",
        &[],
    );
    c.botocore_url = Some("https://h.example/".into());
    c.params = Some(vec![
        ("a".into(), "x y".into()),
        ("b".into(), "/".into()),
        ("c".into(), "b:c".into()),
        ("d".into(), "~".into()),
    ]);
    agree(&c);
}

/// B3: presigning keeps only the first value of a repeated query key.
#[test]
fn difference_b3_presign_drops_repeated_keys() {
    let c = case(
        Knobs {
            presign: Some(900),
            ..Knobs::S3
        },
        "GET",
        "https://h.example/k?a=1&a=2",
        &[],
    );
    let (ours, theirs) = both(&c);
    assert!(line(&ours, 2).ends_with("&a=1&a=2"), "{ours}");
    assert!(line(&theirs, 2).ends_with("&a=1"), "{theirs}");
}

/// B4: botocore upper-cases the method.
#[test]
fn difference_b4_method_is_upper_cased() {
    let (ours, theirs) = both(&case(Knobs::DEFAULT, "get", "https://h.example/", &[]));
    assert_eq!(line(&ours, 0), "get");
    assert_eq!(line(&theirs, 0), "GET");
}

/// B5: botocore lower-cases the host it derives from the URL.
#[test]
fn difference_b5_host_from_url_is_lower_cased() {
    let (ours, theirs) = both(&case(Knobs::DEFAULT, "GET", "https://H.Example.COM/", &[]));
    assert_eq!(header_line(&ours, "host"), Some("host:H.Example.COM"));
    assert_eq!(header_line(&theirs, "host"), Some("host:h.example.com"));
}

/// B6: `proxy-connection` is not in botocore's exclusion list.
#[test]
fn difference_b6_proxy_connection() {
    let (ours, theirs) = both(&case(
        Knobs::DEFAULT,
        "GET",
        "https://h.example/",
        &[("Proxy-Connection", "keep-alive")],
    ));
    assert_eq!(header_line(&ours, "proxy-connection"), None);
    assert_eq!(
        header_line(&theirs, "proxy-connection"),
        Some("proxy-connection:keep-alive")
    );
}

/// B7: outside S3, a request `X-Amz-Content-SHA256` header becomes botocore's payload hash.
#[test]
fn difference_b7_content_sha256_header_is_the_payload_hash() {
    let mut c = case(
        Knobs::DEFAULT,
        "PUT",
        "https://h.example/k",
        &[("X-Amz-Content-SHA256", "UNSIGNED-PAYLOAD")],
    );
    c.body = Body::Bytes(b"x".to_vec());
    let b = botocore_sign(std::slice::from_ref(&c)).remove(0);
    let theirs = b["canonical_request"].as_str().unwrap();
    assert!(theirs.ends_with("\nUNSIGNED-PAYLOAD"), "{theirs}");
    let err = sign_sigfresh(&c).unwrap_err();
    assert!(err.contains("x-amz-content-sha256"), "{err}");
}

/// B8: an S3 URL without a path is signed with an empty canonical URI line.
#[test]
fn difference_b8_s3_empty_path() {
    let (ours, theirs) = both(&case(Knobs::S3, "GET", "https://h.example", &[]));
    assert_eq!(line(&ours, 1), "/");
    assert_eq!(line(&theirs, 1), "");
    agree(&case(Knobs::S3, "GET", "https://h.example/", &[]));
}

/// B9 (= A4): S3 paths are signed as written by botocore too.
#[test]
fn difference_b9_s3_path_not_in_canonical_form() {
    for (path, ours_uri) in [
        ("/a=b@c:d", "/a%3Db%40c%3Ad"),
        ("/a%2fb", "/a%2Fb"),
        ("/%7E", "/~"),
    ] {
        let (ours, theirs) = both(&case(
            Knobs::S3,
            "GET",
            &format!("https://h.example{path}"),
            &[],
        ));
        assert_eq!(line(&ours, 1), ours_uri);
        assert_eq!(line(&theirs, 1), path);
    }
}

/// B10: with a `Date` header botocore signs `date` (rewritten to the signing time) and adds no
/// `X-Amz-Date`.
#[test]
fn difference_b10_date_header_replaces_x_amz_date() {
    let (ours, theirs) = both(&case(
        Knobs::DEFAULT,
        "GET",
        "https://h.example/",
        &[("Date", "Mon, 01 Jan 2024 00:00:00 GMT")],
    ));
    assert_eq!(
        header_line(&ours, "date"),
        Some("date:Mon, 01 Jan 2024 00:00:00 GMT")
    );
    assert!(header_line(&ours, "x-amz-date").is_some());
    assert_eq!(
        header_line(&theirs, "date"),
        Some("date:Wed, 01 May 2024 12:00:00 -0000")
    );
    assert_eq!(header_line(&theirs, "x-amz-date"), None);
}
