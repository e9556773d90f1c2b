//! Differential test: sigfresh against aws-sigv4 1.6.4 on 10,000 generated requests, plus one
//! explicit test per known difference (`peers/KNOWN_DIFFERENCES.md`).

mod common;

use common::gen::{aws_case, config};
use common::{aws, compare, redact_like_aws, sign_aws, sign_sigfresh, Body, Case, Knobs};
use proptest::test_runner::{TestCaseError, TestRunner};

/// Signs with both and compares every stage; `Err` carries a full report.
fn diff(case: &Case) -> Result<(), String> {
    aws::capture();
    let (mut ours, signed_uri) =
        sign_sigfresh(case).map_err(|e| format!("{e}\n{}", case.describe()))?;
    let theirs = sign_aws(case).map_err(|e| format!("{e}\n{}", case.describe()))?;
    if theirs.canonical_request.is_none() {
        return Err("aws-sigv4's canonical request was not captured (tracing capture off?)".into());
    }
    ours.canonical_request = ours.canonical_request.map(|c| redact_like_aws(&c, case));
    if theirs.string_to_sign.is_none() {
        ours.string_to_sign = None;
    }
    compare(&ours, &theirs, "aws-sigv4").map_err(|e| format!("{e}\n{}", case.describe()))?;
    if let Some(uri) = signed_uri {
        check_signed_uri(case, &uri, &ours.query_params)?;
    }
    Ok(())
}

/// The presigned URL is the request URL (without fragment) plus exactly the query params.
fn check_signed_uri(case: &Case, uri: &str, params: &[(String, String)]) -> Result<(), String> {
    let base = case.uri.split('#').next().unwrap_or_default();
    let rest = uri
        .strip_prefix(base)
        .ok_or_else(|| format!("signed URL {uri:?} does not start with {base:?}"))?;
    // Only the first '?' starts the query: a '?' at the end of a non-empty query is data, so
    // the parameters follow a '&' (fuzzing finding F2).
    let sep = match base.find('?') {
        None => "?",
        Some(q) if q + 1 == base.len() || base.ends_with('&') => "",
        Some(_) => "&",
    };
    let rest = rest
        .strip_prefix(sep)
        .ok_or_else(|| format!("signed URL {uri:?}: expected {sep:?} after the request URL"))?;
    let mut got: Vec<(String, String)> = rest
        .split('&')
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (k.to_string(), v.to_string())
        })
        .collect();
    got.sort();
    if got != params {
        return Err(format!(
            "signed URL {uri:?} appends {got:?}, query_params() says {params:?}"
        ));
    }
    Ok(())
}

#[test]
fn ten_thousand_generated_requests_agree() {
    aws::capture();
    let mut runner = TestRunner::new(config(CASES));
    let stats = Stats::default();
    let result = runner.run(&aws_case(), |case| {
        stats.count(&case);
        diff(&case).map_err(TestCaseError::fail)
    });
    if let Err(e) = result {
        panic!("sigfresh and aws-sigv4 disagree (minimal input after shrinking):\n{e}");
    }
    stats.check();
}

const CASES: u32 = 10_000;

static N_FEATURES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// What the generated corpus covered; `check` fails if a feature was never exercised.
#[derive(Default)]
struct Stats(std::cell::RefCell<std::collections::BTreeMap<&'static str, u32>>);

impl Stats {
    fn count(&self, c: &Case) {
        let path = c.uri.split(['?', '#']).next().unwrap_or_default();
        let path = path.find("://").map_or(path, |i| {
            let rest = &path[i + 3..];
            rest.find('/').map_or("", |j| &rest[j..])
        });
        let query = c.uri.split_once('?').map_or("", |(_, q)| q);
        let k = c.knobs;
        let features = [
            ("total", true),
            ("single encoding (S3)", k.single_encoding),
            ("double encoding", !k.single_encoding),
            ("path normalization on", k.normalize),
            ("x-amz-content-sha256 added", k.content_sha256),
            ("presigned", k.presign.is_some()),
            ("session token signed", c.token.is_some() && !k.append_token),
            (
                "session token appended after signing",
                c.token.is_some() && k.append_token,
            ),
            ("origin-form with host header", c.uri.starts_with('/')),
            (
                "path has // or ./..",
                path.contains("//") || path.contains("/."),
            ),
            ("path has %XX", path.contains('%')),
            (
                "path has raw reserved",
                path.contains([':', '@', '*', '=', '!', '(', '+']),
            ),
            ("path has raw non-ASCII", !path.is_ascii()),
            ("query has repeated key", {
                let keys: Vec<&str> = query
                    .split('&')
                    .map(|kv| kv.split('=').next().unwrap_or_default())
                    .collect();
                keys.iter().enumerate().any(|(i, k)| keys[..i].contains(k))
            }),
            (
                "query has empty value or bare key",
                query
                    .split('&')
                    .any(|kv| kv.ends_with('=') || (!kv.is_empty() && !kv.contains('='))),
            ),
            ("query has +", query.contains('+')),
            (
                "query has lowercase %xx",
                query
                    .as_bytes()
                    .windows(3)
                    .any(|w| w[0] == b'%' && w[1..].iter().any(u8::is_ascii_lowercase)),
            ),
            ("repeated header name", {
                let names: Vec<String> = c
                    .headers
                    .iter()
                    .map(|(n, _)| n.to_ascii_lowercase())
                    .collect();
                names
                    .iter()
                    .enumerate()
                    .any(|(i, n)| names[..i].contains(n))
            }),
            (
                "header value with runs of spaces",
                c.headers
                    .iter()
                    .any(|(_, v)| v.contains("  ") || v.starts_with(' ')),
            ),
            (
                "default-excluded header present",
                c.headers.iter().any(|(n, _)| {
                    sigfresh::sigv4::DEFAULT_EXCLUDED_HEADERS
                        .contains(&n.to_ascii_lowercase().as_str())
                }),
            ),
            ("body bytes", matches!(c.body, Body::Bytes(_))),
            ("body unsigned", c.body == Body::Unsigned),
            ("header deny list", k.header_selection == 1),
            ("header allow list", k.header_selection == 2),
            (
                "query has empty piece",
                query.starts_with('&') || query.contains("&&"),
            ),
            (
                "query has invalid escape",
                query.contains("%zz") || query.starts_with("%4&"),
            ),
        ];
        N_FEATURES.store(features.len(), std::sync::atomic::Ordering::Relaxed);
        let mut m = self.0.borrow_mut();
        for (name, on) in features {
            if on {
                *m.entry(name).or_default() += 1;
            }
        }
    }

    fn check(&self) {
        let m = self.0.borrow();
        eprintln!("coverage of the generated corpus: {m:#?}");
        assert!(m["total"] >= CASES, "fewer cases than configured ran");
        for (name, n) in m.iter() {
            assert!(*n >= 100, "only {n} cases exercised {name:?}");
        }
        let n = N_FEATURES.load(std::sync::atomic::Ordering::Relaxed);
        assert_eq!(m.len(), n, "some feature was never generated: {m:#?}");
    }
}

/// A hand-written case: the given knobs and request, a fixed time, no token.
fn case(knobs: Knobs, method: &str, uri: &str, headers: &[(&str, &str)], body: Body) -> Case {
    Case {
        method: method.into(),
        uri: uri.into(),
        headers: headers
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect(),
        body,
        region: "us-east-1".into(),
        service: "service".into(),
        time: 1_714_564_800,
        token: None,
        knobs,
        params: None,
        botocore_url: None,
    }
}

fn empty() -> Body {
    Body::Bytes(Vec::new())
}

fn presign_s3() -> Knobs {
    Knobs {
        presign: Some(60),
        ..Knobs::S3
    }
}

/// Both signers' canonical requests (aws-sigv4's as logged; no sensitive headers are used in
/// these cases, so nothing is redacted).
fn both(c: &Case) -> (String, String) {
    aws::capture();
    let (ours, _) = sign_sigfresh(c).expect("sigfresh signs");
    let theirs = sign_aws(c).expect("aws-sigv4 signs");
    assert_ne!(ours.signature, theirs.signature, "expected a difference");
    (
        ours.canonical_request.expect("canonical request"),
        theirs
            .canonical_request
            .expect("captured canonical request"),
    )
}

/// Line `n` of a canonical request (0 method, 1 URI, 2 query, 3.. headers).
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
fn sanity_agreement_on_a_plain_request() {
    let c = case(
        Knobs::DEFAULT,
        "GET",
        "https://example.amazonaws.com/a/b?x=1",
        &[("X-Custom", "  a   b  ")],
        Body::Bytes(b"hello".to_vec()),
    );
    diff(&c).unwrap();
}

/// Inputs that look like they might differ but do not (each is also inside the generated
/// corpus or pinned here so a change on either side shows up).
#[test]
fn agreements_worth_pinning() {
    for (uri, headers, method) in [
        // Empty pieces are dropped; `b` means `b=`; invalid escapes are literal `%`.
        ("https://h.example/?&a=1&&b&", &[][..], "GET"),
        ("https://h.example/?a=%zz&b=%&c=%4", &[][..], "GET"),
        // `+` is a space in both; sorting is on the encoded pairs in both.
        (
            "https://h.example/?a=x+y&a=x%20y&A=1&a=~&a=%7E",
            &[][..],
            "GET",
        ),
        // Method and host are signed as given (no case change).
        ("https://H.Example.COM/", &[][..], "get"),
        // A `host` header wins over the URL authority; a given x-amz-date is replaced.
        (
            "https://h.example/",
            &[
                ("Host", "other.example"),
                ("X-Amz-Date", "19990101T000000Z"),
            ][..],
            "GET",
        ),
        ("https://[::1]:443/a#frag", &[][..], "GET"),
    ] {
        diff(&case(Knobs::DEFAULT, method, uri, headers, empty())).unwrap();
    }
    // Line breaks in header values (obs-fold) are rejected by both.
    let c = case(
        Knobs::DEFAULT,
        "GET",
        "https://h.example/",
        &[("x-a", "a\r\n b")],
        empty(),
    );
    assert!(sign_sigfresh(&c).is_err());
    assert!(sign_aws(&c).is_err());
}

/// KNOWN_DIFFERENCES.md A1: aws-sigv4's default exclusion list is shorter.
#[test]
fn difference_a1_default_excluded_headers() {
    aws::capture();
    let c = case(
        Knobs::DEFAULT,
        "PUT",
        "https://h.example/k",
        &[
            ("Expect", "100-continue"),
            ("Connection", "keep-alive"),
            ("TE", "trailers"),
        ],
        empty(),
    );
    let (ours, _) = sign_sigfresh(&c).unwrap();
    let theirs =
        aws::sign_aws_with(&c, aws_sigv4::http_request::SigningSettings::default()).unwrap();
    let signed = |s: &common::Signed| {
        let a = s.authorization.clone().unwrap();
        a.split("SignedHeaders=")
            .nth(1)
            .unwrap()
            .split(',')
            .next()
            .unwrap()
            .to_string()
    };
    assert_eq!(signed(&ours), "host;x-amz-date");
    assert_eq!(signed(&theirs), "connection;expect;host;te;x-amz-date");
    // With sigfresh's list handed to aws-sigv4 (as the generated corpus does) they agree.
    diff(&c).unwrap();
}

/// A2: tabs in header values.
#[test]
fn difference_a2_tabs_in_header_values() {
    let c = case(
        Knobs::DEFAULT,
        "GET",
        "https://h.example/",
        &[("x-a", "a\t\tb"), ("x-b", "\t c \t")],
        empty(),
    );
    let (ours, theirs) = both(&c);
    assert_eq!(header_line(&ours, "x-a"), Some("x-a:a b"));
    assert_eq!(header_line(&ours, "x-b"), Some("x-b:c"));
    assert_eq!(header_line(&theirs, "x-a"), Some("x-a:a\t\tb"));
    assert_eq!(header_line(&theirs, "x-b"), Some("x-b:\t c \t"));
}

/// A3: percent-escapes in the query that do not decode to UTF-8.
#[test]
fn difference_a3_non_utf8_query_escapes() {
    let c = case(
        Knobs::DEFAULT,
        "GET",
        "https://h.example/?a=%FF&b=%C3",
        &[],
        empty(),
    );
    let (ours, theirs) = both(&c);
    assert_eq!(line(&ours, 2), "a=%FF&b=%C3");
    assert_eq!(line(&theirs, 2), "a=%EF%BF%BD&b=%EF%BF%BD");
}

/// A4: S3 (single encoding) paths not in canonical encoded form.
#[test]
fn difference_a4_s3_path_not_in_canonical_form() {
    for (path, ours_uri) in [
        (
            "/a:b@c*d(e)!$,;=+'",
            "/a%3Ab%40c%2Ad%28e%29%21%24%2C%3B%3D%2B%27",
        ),
        ("/caf\u{e9}", "/caf%C3%A9"),
        ("/a%2fb%e2%82%ac", "/a%2Fb%E2%82%AC"),
        ("/%41%7E%2E", "/A~."),
        ("/100%", "/100%25"),
    ] {
        let c = case(
            Knobs::S3,
            "GET",
            &format!("https://h.example{path}"),
            &[],
            Body::Unsigned,
        );
        let (ours, theirs) = both(&c);
        assert_eq!(line(&ours, 1), ours_uri, "{path}");
        assert_eq!(
            line(&theirs, 1),
            path,
            "aws-sigv4 signs the S3 path as sent: {path}"
        );
    }
    // A path already in canonical form is signed identically (the generated corpus).
    let c = case(
        Knobs::S3,
        "GET",
        "https://h.example/a%3Ab/%E2%82%AC/%2F/./..//x",
        &[],
        Body::Unsigned,
    );
    diff(&c).unwrap();
}

/// A5: presigned URLs: aws-sigv4 never signs `x-amz-user-agent` and `x-amz-checksum-mode`.
#[test]
fn difference_a5_presign_skips_two_headers() {
    let c = case(
        presign_s3(),
        "GET",
        "https://h.example/k",
        &[
            ("x-amz-user-agent", "sdk/1"),
            ("x-amz-checksum-mode", "ENABLED"),
        ],
        Body::Unsigned,
    );
    let (ours, theirs) = both(&c);
    assert!(line(&ours, 2)
        .contains("X-Amz-SignedHeaders=host%3Bx-amz-checksum-mode%3Bx-amz-user-agent"));
    assert!(
        line(&theirs, 2).ends_with("X-Amz-SignedHeaders=host"),
        "{theirs}"
    );
}

/// A6: presigned URLs: a request `x-amz-date` header.
#[test]
fn difference_a6_presign_with_x_amz_date_header() {
    let c = case(
        presign_s3(),
        "GET",
        "https://h.example/k",
        &[("X-Amz-Date", "20240501T120000Z")],
        Body::Unsigned,
    );
    let (ours, theirs) = both(&c);
    assert_eq!(header_line(&ours, "x-amz-date"), None);
    assert_eq!(
        header_line(&theirs, "x-amz-date"),
        Some("x-amz-date:20240501T120000Z")
    );
}

/// A7: an `x-amz-content-sha256` header that contradicts the payload.
#[test]
fn difference_a7_content_sha256_header_contradicting_payload() {
    aws::capture();
    for knobs in [Knobs::S3, Knobs::DEFAULT] {
        let c = case(
            knobs,
            "PUT",
            "https://h.example/k",
            &[("x-amz-content-sha256", "UNSIGNED-PAYLOAD")],
            Body::Bytes(b"x".to_vec()),
        );
        let err = sign_sigfresh(&c).unwrap_err();
        assert!(err.contains("x-amz-content-sha256"), "{err}");
        let theirs = sign_aws(&c).unwrap().canonical_request.unwrap();
        let hash = Body::Bytes(b"x".to_vec()).hash_line();
        assert!(
            theirs.ends_with(&hash),
            "aws-sigv4 hashes the body: {theirs}"
        );
        let header = if knobs.content_sha256 {
            hash.as_str()
        } else {
            "UNSIGNED-PAYLOAD"
        };
        assert_eq!(
            header_line(&theirs, "x-amz-content-sha256"),
            Some(format!("x-amz-content-sha256:{header}").as_str())
        );
    }
}

/// A8: non-ASCII header values.
#[test]
fn difference_a8_non_ascii_header_value() {
    aws::capture();
    let c = case(
        Knobs::DEFAULT,
        "GET",
        "https://h.example/",
        &[("x-a", "caf\u{e9}")],
        empty(),
    );
    let err = sign_sigfresh(&c).unwrap_err();
    assert!(err.contains("x-a"), "{err}");
    let theirs = sign_aws(&c).unwrap().canonical_request.unwrap();
    assert_eq!(header_line(&theirs, "x-a"), Some("x-a:caf\u{e9}"));
}

/// A9: user info in the URL.
#[test]
fn difference_a9_userinfo_in_url() {
    let c = case(
        Knobs::DEFAULT,
        "GET",
        "https://u:p@h.example:8443/",
        &[],
        empty(),
    );
    let (ours, theirs) = both(&c);
    assert_eq!(header_line(&ours, "host"), Some("host:h.example:8443"));
    assert_eq!(
        header_line(&theirs, "host"),
        Some("host:u:p@h.example:8443")
    );
    // With the default port both drop it (aws-sigv4 then uses `Uri::host()`).
    diff(&case(
        Knobs::DEFAULT,
        "GET",
        "https://u:p@h.example:443/",
        &[],
        empty(),
    ))
    .unwrap();
}

/// A10: characters `http::Uri` rejects (aws-sigv4 cannot sign these requests at all).
#[test]
fn difference_a10_uri_characters_http_rejects() {
    aws::capture();
    for (uri, query_line) in [
        ("https://h.example/?a=b c", "a=b%20c"),
        ("https://h.example/?a=<x>", "a=%3Cx%3E"),
        ("https://h.example/a b?", ""),
    ] {
        let c = case(Knobs::DEFAULT, "GET", uri, &[], empty());
        let (ours, _) = sign_sigfresh(&c).unwrap();
        assert_eq!(
            line(ours.canonical_request.as_deref().unwrap(), 2),
            query_line
        );
        let err = sign_aws(&c).unwrap_err();
        assert!(err.contains("aws-sigv4 request"), "{err}");
    }
}
