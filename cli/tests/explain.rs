//! `sigfresh explain` on the real-shaped AWS error samples of tests/errors.

mod support;

use std::path::{Path, PathBuf};
use support::{assert_clean_error, root, run, stderr, stdout, temp_dir};

fn body(name: &str) -> Vec<u8> {
    std::fs::read(root().join("tests/errors/bodies").join(name)).unwrap()
}

fn response(status: &str, headers: &[&str], body_file: &str) -> Vec<u8> {
    let mut r = format!("HTTP/1.1 {status}\r\n");
    for h in headers {
        r.push_str(h);
        r.push_str("\r\n");
    }
    r.push_str("\r\n");
    let mut bytes = r.into_bytes();
    bytes.extend(body(body_file));
    bytes
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

/// The request behind tests/errors/bodies/s3_signature_does_not_match.xml, except that it
/// was signed with `Range: bytes=0-99` where AWS's canonical request has `bytes=0-9`.
const S3_REQUEST: &str = "GET /test.txt HTTP/1.1
Host: examplebucket.s3.amazonaws.com
Range: bytes=0-99
x-amz-content-sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
x-amz-date: 20250812T101500Z
Authorization: AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20250812/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41

";

#[test]
fn signature_mismatch_diffs_our_canonical_request_against_aws() {
    let dir = temp_dir("explain-diff");
    let resp = write(
        &dir,
        "resp",
        &response(
            "403 Forbidden",
            &[
                "Content-Type: application/xml",
                "Date: Tue, 12 Aug 2025 10:15:00 GMT",
            ],
            "s3_signature_does_not_match.xml",
        ),
    );
    let req = write(&dir, "req", S3_REQUEST.as_bytes());
    let out = run(
        &[
            "explain",
            resp.to_str().unwrap(),
            "--request",
            req.to_str().unwrap(),
            "--s3",
        ],
        None,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with("The request signature did not match (SignatureDoesNotMatch, HTTP 403)"),
        "{text}"
    );
    assert!(
        text.contains("clock offset: none: the clocks agree"),
        "{text}"
    );
    assert!(
        text.contains("\n- range:bytes=0-99\n+ range:bytes=0-9\n"),
        "{text}"
    );
    assert!(
        text.contains("  host:examplebucket.s3.amazonaws.com\n"),
        "{text}"
    );
    assert!(
        text.contains("They first differ in the canonical headers (line 5)"),
        "{text}"
    );
    // Nothing from the body but the canonical request: not the signature, not the string to sign.
    assert!(!text.contains("f0e8bdb87c964420"), "{text}");
    assert!(!text.contains("7344ae5b7ee6c3e7"), "{text}");

    // The path encoded twice (no --s3) where S3 encodes once: the URI line differs, and the
    // hint names the S3 rule.
    let aws = String::from_utf8(body("s3_signature_does_not_match.xml"))
        .unwrap()
        .replace(
            "<CanonicalRequest>GET\n/test.txt",
            "<CanonicalRequest>GET\n/my%20file.txt",
        );
    let mut r = b"HTTP/1.1 403 Forbidden\nDate: Tue, 12 Aug 2025 10:15:00 GMT\n\n".to_vec();
    r.extend(aws.as_bytes());
    let resp = write(&dir, "resp2", &r);
    let req2 = S3_REQUEST
        .replace("GET /test.txt", "GET /my%20file.txt")
        .replace("bytes=0-99", "bytes=0-9");
    let req = write(&dir, "req2", req2.as_bytes());
    let out = run(
        &[
            "explain",
            resp.to_str().unwrap(),
            "--request",
            req.to_str().unwrap(),
        ],
        None,
    );
    let text = stdout(&out);
    assert!(
        text.contains("- /my%2520file.txt\n+ /my%20file.txt\n"),
        "{text}"
    );
    assert!(
        text.contains("They first differ in the canonical URI (the path) (line 2)"),
        "{text}"
    );
    assert!(text.contains("S3 encodes it once"), "{text}");
    // With --s3 the canonical requests agree: then the secret key is the suspect.
    let out = run(
        &[
            "explain",
            resp.to_str().unwrap(),
            "--request",
            req.to_str().unwrap(),
            "--s3",
        ],
        None,
    );
    assert!(
        stdout(&out).contains("The canonical requests are identical: the secret key is wrong"),
        "{}",
        stdout(&out)
    );

    // Without --request, AWS's canonical request is shown and --request suggested.
    let out = run(
        &["explain", "-", "--time", "2025-08-12T10:15:00Z"],
        Some(&r),
    );
    let text = stdout(&out);
    assert!(
        text.contains("AWS's canonical request:\nGET\n/my%20file.txt\n"),
        "{text}"
    );
    assert!(text.contains("Pass --request"), "{text}");
}

#[test]
fn clock_skew_says_by_how_much() {
    let dir = temp_dir("explain-skew");
    let req = write(&dir, "req", S3_REQUEST.as_bytes());
    let resp = response(
        "403 Forbidden",
        &["Date: Tue, 12 Aug 2025 10:25:00 GMT"],
        "s3_signature_does_not_match.xml",
    );
    let out = run(
        &["explain", "-", "--request", req.to_str().unwrap(), "--s3"],
        Some(&resp),
    );
    let text = stdout(&out);
    assert!(text.starts_with("The request was signed with a time AWS rejected (SignatureDoesNotMatch, HTTP 403): the signing clock was 10 min behind AWS's."), "{text}");
    assert!(
        text.contains("signed at:    2025-08-12T10:15:00Z (the request's X-Amz-Date)"),
        "{text}"
    );
    assert!(
        text.contains("next step:    re-sign with AWS's time, retry once (CorrectClockAndRetry)"),
        "{text}"
    );

    // S3's RequestTimeTooSkewed quotes both clocks in the body.
    let resp = response("403 Forbidden", &[], "s3_request_time_too_skewed.xml");
    let out = run(&["explain", "-"], Some(&resp));
    let text = stdout(&out);
    assert!(text.contains("RequestTimeTooSkewed"), "{text}");
    assert!(
        text.contains("the signing clock is 3 h 0 min behind AWS's"),
        "{text}"
    );
}

#[test]
fn expired_token_says_when() {
    let doc = root().join("tests/documents/imds/valid-basic.json"); // expires 2024-05-01T18:00:00Z
    let out = run(
        &[
            "explain",
            root()
                .join("tests/errors/bodies/dynamodb_expired_token.json")
                .to_str()
                .unwrap(),
            "--status",
            "400",
            "--credentials",
            doc.to_str().unwrap(),
            "--time",
            "2024-05-01T18:17:00Z",
        ],
        None,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with("The session token has expired (ExpiredTokenException, HTTP 400)"),
        "{text}"
    );
    assert!(text.contains("The credentials expired at 2024-05-01T18:00:00Z, 17 min before 2024-05-01T18:17:00Z (the response arrived (--time))"), "{text}");
    // Without credentials: the response cannot say when.
    let resp = response(
        "400 Bad Request",
        &["Content-Type: application/xml"],
        "s3_expired_token.xml",
    );
    let out = run(&["explain", "-"], Some(&resp));
    let text = stdout(&out);
    assert!(
        text.contains("AWS does not say when the token expired"),
        "{text}"
    );
    // S3 echoes the session token: it never reaches the output.
    assert!(!text.contains("IQoJb3JpZ2luX2VjEXAMPLETOKEN"), "{text}");
    // API Gateway's bare message, LF line ends.
    let out = run(&["explain", "-"], Some(b"HTTP/1.1 403 Forbidden\n\n{\"message\":\"The security token included in the request is expired\"}"));
    assert!(
        stdout(&out).starts_with("The session token has expired (HTTP 403)"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn throttling_transient_and_denials() {
    let out = run(
        &[
            "explain",
            root()
                .join("tests/errors/bodies/iam_throttling.xml")
                .to_str()
                .unwrap(),
            "--status",
            "400",
            "-H",
            "Retry-After: 3",
        ],
        None,
    );
    let text = stdout(&out);
    assert!(
        text.starts_with("AWS is throttling these requests (Throttling, HTTP 400)"),
        "{text}"
    );
    assert!(
        text.contains("retry after:  3 (AWS's Retry-After)"),
        "{text}"
    );
    let resp = response("503 Slow Down", &[], "s3_slow_down.xml");
    assert!(stdout(&run(&["explain", "-"], Some(&resp))).contains("SlowDown"));
    let resp = response("403 Forbidden", &[], "s3_access_denied.xml");
    assert!(stdout(&run(&["explain", "-"], Some(&resp)))
        .starts_with("Access was denied (AccessDenied, HTTP 403)"));
    let resp = response(
        "500 Internal Server Error",
        &[],
        "s3_internal_error_200.xml",
    );
    assert!(stdout(&run(&["explain", "-"], Some(&resp))).contains("retry with backoff"));
}

#[test]
fn explain_bad_input() {
    assert_clean_error(
        &run(&["explain", "-"], Some(b"{\"message\":\"x\"}")),
        1,
        "give --status",
    );
    assert_clean_error(
        &run(&["explain", "-"], Some(b"HTTP/1.1 abc\r\n\r\n")),
        1,
        "no status code",
    );
    assert_clean_error(
        &run(&["explain", "-", "--status", "abc"], Some(b"")),
        2,
        "--status takes an HTTP status code",
    );
    assert_clean_error(
        &run(&["explain", "-", "--status", "700"], Some(b"")),
        2,
        "100..599",
    );
    assert_clean_error(
        &run(&["explain", "-", "-H", "nocolon"], Some(b"")),
        2,
        "expected 'Name: value'",
    );
    assert_clean_error(
        &run(&["explain", "/nonexistent/resp"], None),
        1,
        "cannot read /nonexistent/resp",
    );
    assert_clean_error(
        &run(
            &["explain", "-", "--request", "/nonexistent/req"],
            Some(b""),
        ),
        1,
        "cannot read /nonexistent/req",
    );
    let dir = temp_dir("explain-bad");
    let bad = write(&dir, "req", b"GET / HTTP/1.1\nbroken line\n");
    assert_clean_error(
        &run(
            &["explain", "-", "--request", bad.to_str().unwrap()],
            Some(b""),
        ),
        1,
        "--request: line 2",
    );
    assert_clean_error(
        &run(&["explain", "-", "--time", "later"], Some(b"")),
        2,
        "--time \"later\"",
    );
    assert_clean_error(
        &run(&["explain", "-", "--nope"], Some(b"")),
        2,
        "unknown option",
    );
}
