//! Deterministic request generators (proptest strategies run with a fixed seed).
//!
//! [`aws_case`] covers everything both sigfresh and aws-sigv4 define the same way: inputs that
//! fall in a documented difference (see `peers/KNOWN_DIFFERENCES.md`) are not generated here,
//! and each such difference has its own explicit test instead. [`botocore_case`] does the same
//! for botocore.

use super::{enc3986, Body, Case, Knobs};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngSeed, TestRunner};

/// A proptest config with a fixed seed, no failure files and `cases` cases.
pub fn config(cases: u32) -> Config {
    Config {
        cases,
        rng_seed: RngSeed::Fixed(0x5167_f4e5),
        failure_persistence: None,
        max_shrink_iters: 2_000,
        ..Config::default()
    }
}

/// Draws `n` values of `strategy` deterministically (no shrinking), for corpora handed to
/// another process.
pub fn sample<S: Strategy>(strategy: S, n: usize, seed: u64) -> Vec<S::Value> {
    let cfg = Config {
        rng_seed: RngSeed::Fixed(seed),
        ..Config::default()
    };
    let mut runner = TestRunner::new(cfg);
    (0..n)
        .map(|_| {
            strategy
                .new_tree(&mut runner)
                .expect("strategy produces values")
                .current()
        })
        .collect()
}

const METHODS: &[&str] = &["GET", "PUT", "POST", "DELETE", "HEAD", "PATCH", "OPTIONS"];
const REGIONS: &[&str] = &["us-east-1", "eu-west-2", "ap-southeast-1", "cn-north-1"];
const SERVICES: &[&str] = &["s3", "execute-api", "dynamodb", "sts", "service", "lambda"];
const HOSTS: &[&str] = &[
    "example.amazonaws.com",
    "examplebucket.s3.amazonaws.com",
    "execute-api.ap-southeast-1.amazonaws.com",
    "localhost",
    "127.0.0.1",
];

/// Raw (unescaped) path characters `http::Uri` accepts that are not unreserved.
const PATH_RESERVED: &[&str] = &[
    "*", ":", "@", "=", "!", "$", "&", "'", "(", ")", "+", ",", ";", "[", "]",
];
/// Characters of decoded path and query text beyond ASCII letters and digits.
const TEXT_CHARS: &[&str] = &[
    " ", "  ", "*", "~", ":", "@", "=", "%", "/", "+", "&", "?", "#", "!", "$", "'", "(", ")", ",",
    ";", "-", "_", ".", "é", "日本", "€", "😀", "\"", "<", ">", "[", "]", "{", "}", "|", "^", "`",
    "\\",
];

fn word() -> impl Strategy<Value = String> {
    "[A-Za-z0-9]{1,5}"
}

/// Decoded text (what a server sees after URL-decoding): ASCII words and special characters.
fn text(max_pieces: usize) -> impl Strategy<Value = String> {
    vec(
        prop_oneof![3 => word(), 2 => select(TEXT_CHARS).prop_map(str::to_string)],
        0..=max_pieces,
    )
    .prop_map(|v| v.concat())
}

/// A path segment as it appears in a URL for the double-encoding (non-S3) rules: raw reserved
/// characters, `%XX` escapes in either case, raw UTF-8 and dot segments are all fair.
fn raw_segment() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => word(),
        2 => select(PATH_RESERVED).prop_map(str::to_string),
        2 => select(&["%20", "%2F", "%3A", "%25", "%2a", "%e2%82%ac", "%C3%A9", "%2E", "%7E"][..])
            .prop_map(str::to_string),
        1 => select(&["é", "日本", "€", "~", "-", "_", "."][..]).prop_map(str::to_string),
    ];
    prop_oneof![
        8 => vec(piece, 1..4).prop_map(|v| v.concat()),
        1 => Just(".".to_string()),
        1 => Just("..".to_string()),
        1 => Just(String::new()),
    ]
}

/// A path segment in the canonical encoded form S3 expects (every byte that is not unreserved
/// as uppercase `%XX`), including `.`, `..` and empty segments, which S3 signs verbatim.
fn encoded_segment() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => text(4).prop_filter("non-empty", |s| !s.is_empty()).prop_map(|s| enc3986(s.as_bytes())),
        1 => Just(".".to_string()),
        1 => Just("..".to_string()),
        1 => Just(String::new()),
    ]
}

fn join_path(segments: Vec<String>, trailing_slash: bool) -> String {
    if segments.is_empty() {
        return if trailing_slash {
            "/".into()
        } else {
            String::new()
        };
    }
    let mut p = String::new();
    for s in segments {
        p.push('/');
        p.push_str(&s);
    }
    if trailing_slash {
        p.push('/');
    }
    p
}

/// Encodes decoded query text for the URL: each character independently stays raw (when the
/// URL allows it and it is not `&`, `=` (in keys), `+`, `%`, `#`), becomes `%XX` or `%xx`, and a
/// space becomes `+` or `%20`.
fn messy_encode(s: &str, style: &mut u64, is_key: bool) -> String {
    let mut out = String::new();
    for c in s.chars() {
        *style = style
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let pick = (*style >> 33) % 4;
        let mut buf = [0u8; 4];
        let bytes = c.encode_utf8(&mut buf).as_bytes();
        let structural = matches!(c, '&' | '+' | '%' | '#') || (c == '=' && is_key);
        let url_ok = !c.is_ascii() || matches!(c as u32, 0x21 | 0x24..=0x3B | 0x3D | 0x3F..=0x7E);
        if c == ' ' && pick < 2 {
            out.push('+');
        } else if !structural && url_ok && (pick == 0 || (pick == 1 && !c.is_ascii())) {
            out.push(c);
        } else {
            for b in bytes {
                if pick == 3 {
                    out.push_str(&format!("%{b:02x}"));
                } else {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
        }
    }
    out
}

/// A query: decoded pairs with repeated keys and empty values, and the URL text for them.
/// With `canonical`, the text is already in canonical form; otherwise it is messy (raw
/// characters, lowercase escapes, `+` for space, `k` without `=`).
fn query(
    canonical: bool,
    unique_keys: bool,
) -> impl Strategy<Value = (Vec<(String, String)>, String)> {
    let key = prop_oneof![
        3 => select(&["a", "A", "b", "list-type", "prefix", "x y", "é", "k=1", "Z", "a b"][..])
            .prop_map(str::to_string),
        2 => text(3),
    ];
    let value = prop_oneof![
        2 => Just(String::new()),
        1 => select(&["1", "2", "photos/2024", "a+b", "A", "=", "~", " "][..]).prop_map(str::to_string),
        4 => text(4),
    ];
    (vec((key, value, 0u8..4), 0..7), any::<u64>()).prop_map(move |(pairs, mut style)| {
        let mut decoded: Vec<(String, String)> = Vec::new();
        let mut parts = Vec::new();
        for (k, v, form) in pairs {
            if unique_keys && decoded.iter().any(|(dk, _)| *dk == k) {
                continue;
            }
            let (ek, ev) = if canonical {
                (enc3986(k.as_bytes()), enc3986(v.as_bytes()))
            } else {
                (
                    messy_encode(&k, &mut style, true),
                    messy_encode(&v, &mut style, false),
                )
            };
            // form 0: `k` alone when the value is empty (it means `k=`).
            if v.is_empty() && !k.is_empty() && form == 0 && !canonical {
                parts.push(ek);
            } else {
                parts.push(format!("{ek}={ev}"));
            }
            decoded.push((k, v));
        }
        (decoded, parts.join("&"))
    })
}

fn header_name() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => select(&[
            "Content-Type", "range", "X-Amz-Meta-Color", "x-amz-meta-color", "X-AMZ-META-COLOR",
            "If-None-Match", "Content-MD5", "x-amz-acl", "Cache-Control", "My-Header1",
            "x-amz-server-side-encryption-customer-key", "cookie", "accept",
            "x_underscore", "x.dot", "x~tilde", "user-agent", "x-amzn-trace-id", "expect",
            "connection", "transfer-encoding",
        ][..]).prop_map(str::to_string),
        1 => "[a-zA-Z][a-zA-Z0-9-]{0,8}",
    ]
}

/// A header value with leading, trailing and repeated inner spaces (never tabs: see
/// `KNOWN_DIFFERENCES.md`).
fn header_value() -> impl Strategy<Value = String> {
    vec(
        prop_oneof![
            4 => "[!-~]{1,6}",
            2 => Just(" ".to_string()),
            1 => Just("   ".to_string()),
        ],
        0..6,
    )
    .prop_map(|v| v.concat())
}

fn body() -> impl Strategy<Value = Body> {
    prop_oneof![
        4 => vec(any::<u8>(), 0..48).prop_map(Body::Bytes),
        2 => Just(Body::Unsigned),
        1 => vec(any::<u8>(), 32).prop_map(|b| Body::Precomputed(hex::encode(b))),
        1 => Just(Body::StreamingSigned),
        1 => Just(Body::StreamingSignedTrailer),
        1 => Just(Body::StreamingUnsignedTrailer),
    ]
}

fn token() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        1 => Just(None),
        2 => "[A-Za-z0-9+/=]{1,64}".prop_map(Some),
    ]
}

/// Scheme, host and port: `(scheme, authority_in_url, host_header_value)`.
fn authority() -> impl Strategy<Value = (String, String, String)> {
    (select(&["http", "https"][..]), select(HOSTS), 0u8..6).prop_map(|(scheme, host, port)| {
        let (in_url, header) = match (port, scheme) {
            (0..=2, _) => (host.to_string(), host.to_string()),
            (3, "https") => (format!("{host}:443"), host.to_string()),
            (3, _) => (format!("{host}:80"), host.to_string()),
            (4, "https") => (format!("{host}:80"), format!("{host}:80")),
            (4, _) => (format!("{host}:443"), format!("{host}:443")),
            _ => (format!("{host}:8443"), format!("{host}:8443")),
        };
        (scheme.to_string(), in_url, header)
    })
}

/// The knobs: S3-like, default, and every mix in between.
fn knobs() -> impl Strategy<Value = Knobs> {
    (
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        0u8..4,
        prop_oneof![3 => Just(None), 1 => (1u32..=604_800).prop_map(Some)],
        prop_oneof![4 => Just(0u8), 1 => Just(1u8), 1 => Just(2u8)],
    )
        .prop_map(
            |(single, normalize, sha, tok, presign, header_selection)| Knobs {
                single_encoding: single,
                normalize,
                content_sha256: sha,
                append_token: tok == 0,
                presign,
                header_selection,
            },
        )
}

/// One request for the aws-sigv4 differential test.
pub fn aws_case() -> impl Strategy<Value = Case> {
    let path = (
        knobs(),
        vec(raw_segment(), 0..6),
        vec(encoded_segment(), 0..6),
        any::<bool>(),
    );
    let rest = (
        select(METHODS),
        authority(),
        query(false, false),
        vec((header_name(), header_value()), 0..6),
        body(),
        (select(REGIONS), select(SERVICES)),
        946_684_800i64..4_102_444_800,
        token(),
        (0u8..10, 0u8..10),
    );
    (path, rest).prop_map(
        |(
            (knobs, raw_segs, enc_segs, trailing),
            (
                method,
                (scheme, auth, host_header),
                (_, query),
                mut headers,
                body,
                (region, service),
                time,
                token,
                (form, quirk),
            ),
        )| {
            // Odd query shapes both define the same way: empty pieces, invalid escapes.
            let query = match quirk {
                0 => format!("&{query}&&"),
                1 => format!("{query}&x=%zz%"),
                2 => format!("%4&{query}&=&=v"),
                _ => query,
            };
            // Single (S3) encoding re-encodes the path; aws-sigv4 signs it as sent. They agree
            // exactly on canonically encoded paths, so only those are generated for Single.
            let path = if knobs.single_encoding {
                join_path(enc_segs, trailing)
            } else {
                join_path(raw_segs, trailing)
            };
            // Origin form (with a `host` header) needs a path; an absolute URL may omit it.
            let path = if form == 0 && path.is_empty() {
                "/".to_string()
            } else {
                path
            };
            let target = if query.is_empty() && form % 3 != 0 {
                path
            } else {
                format!("{path}?{query}")
            };
            let uri = if form == 0 {
                headers.insert(
                    0,
                    (
                        if time % 2 == 0 { "Host" } else { "host" }.into(),
                        host_header,
                    ),
                );
                target
            } else {
                format!("{scheme}://{auth}{target}")
            };
            if knobs.content_sha256 && knobs.presign.is_none() && form == 1 {
                headers.push(("x-amz-content-sha256".into(), body.hash_line()));
            }
            Case {
                method: method.to_string(),
                uri,
                headers,
                body,
                region: region.to_string(),
                service: service.to_string(),
                time,
                token,
                knobs,
                params: None,
                botocore_url: None,
            }
        },
    )
}

/// One request for the botocore corpus. botocore has no `AppendAfterSigning` mode, ties
/// `x-amz-content-sha256` to S3 (or to unsigned payloads), and takes the query either as
/// already-encoded URL text or as decoded `params`, so the generator follows those shapes.
pub fn botocore_case() -> impl Strategy<Value = Case> {
    (
        (0u8..4, any::<bool>(), select(METHODS), authority()),
        (
            vec(raw_segment(), 0..6),
            vec(encoded_segment(), 0..6),
            any::<bool>(),
        ),
        (
            query(true, false),
            query(false, false),
            query(false, true),
            0u8..3,
        ),
        vec((header_name(), header_value()), 0..6),
        (vec(any::<u8>(), 0..48), any::<bool>()),
        (select(REGIONS), 946_684_800i64..4_102_444_800, token()),
    )
        .prop_map(
            |(
                (kind, presign, method, (scheme, auth, _)),
                (raw_segs, enc_segs, trailing),
                (canon_q, messy_q, unique_q, qmode),
                headers,
                (bytes, unsigned),
                (region, time, token),
            )| {
                // kind 0/1: S3 (S3SigV4Auth / S3SigV4QueryAuth); 2/3: other services.
                let s3 = kind < 2;
                let knobs = Knobs {
                    presign: presign.then_some(900),
                    ..if s3 { Knobs::S3 } else { Knobs::DEFAULT }
                };
                let mut raw_segs = raw_segs;
                // botocore drops the trailing `/` after a final `.`/`..` (its own
                // remove_dot_segments); that difference has its own test.
                if !s3 {
                    while matches!(raw_segs.last().map(String::as_str), Some("." | "..")) {
                        raw_segs.pop();
                    }
                }
                let path = if s3 {
                    // botocore signs an empty S3 path as an empty line (own test).
                    let p = join_path(enc_segs, trailing);
                    if p.is_empty() {
                        "/".to_string()
                    } else {
                        p
                    }
                } else {
                    join_path(raw_segs, trailing)
                };
                // The query: canonical URL text (botocore signs URL text as is), or decoded
                // params with messy URL text for sigfresh. Presigning goes through a dict, so
                // keys are unique there.
                let (params, query) = match (presign, qmode) {
                    (true, _) => (None, unique_q.1),
                    (false, 0) => (None, canon_q.1),
                    (false, _) => (Some(messy_q.0), messy_q.1),
                };
                let base = format!("{scheme}://{auth}{path}");
                let uri = if query.is_empty() {
                    base.clone()
                } else {
                    format!("{base}?{query}")
                };
                let body = if presign && s3 {
                    Body::Unsigned
                } else if presign {
                    // SigV4QueryAuth moves a body into the query string (as JSON/form data).
                    Body::Bytes(Vec::new())
                } else if unsigned && scheme == "https" && !presign {
                    Body::Unsigned
                } else {
                    Body::Bytes(bytes)
                };
                let mut knobs = knobs;
                if !s3 && body == Body::Unsigned {
                    // botocore adds `X-Amz-Content-SHA256: UNSIGNED-PAYLOAD` when payload
                    // signing is off.
                    knobs.content_sha256 = true;
                }
                let headers = headers
                    .into_iter()
                    .filter(|(n, _)| {
                        // botocore removes/replaces `Authorization`, and its exclusion list
                        // lacks `proxy-connection` (own test); neither is generated.
                        !n.eq_ignore_ascii_case("authorization")
                    })
                    .collect();
                Case {
                    method: method.to_string(),
                    botocore_url: params.as_ref().map(|_| base.clone()),
                    params,
                    uri,
                    headers,
                    body,
                    region: region.to_string(),
                    service: if s3 {
                        "s3".into()
                    } else {
                        "execute-api".into()
                    },
                    time,
                    token,
                    knobs,
                }
            },
        )
}
