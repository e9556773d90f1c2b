//! `sigfresh presign` and `sigfresh verify`, run as a user runs them.

mod support;

use support::{assert_clean_error, root, run, stderr, stdout, suite, temp_dir};

const S3_DOC_ARGS: [&str; 14] = [
    "--region",
    "us-east-1",
    "--service",
    "s3",
    "--s3",
    "--expires",
    "86400",
    "--time",
    "20130524T000000Z",
    "--access-key-id",
    "AKIAIOSFODNN7EXAMPLE",
    "--secret-access-key",
    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "--method",
];

/// The S3 documentation's presigned URL example ("Authenticating Requests: Using Query
/// Parameters"): every parameter and the signature.
const S3_DOC_URL: &str = "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";

fn imds_doc() -> String {
    root()
        .join("tests/documents/imds/valid-basic.json")
        .display()
        .to_string()
}

#[test]
fn presign_matches_the_s3_documentation_example() {
    let mut args = vec!["presign", "https://examplebucket.s3.amazonaws.com/test.txt"];
    args.extend(S3_DOC_ARGS);
    args.push("GET");
    let out = run(&args, None);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), format!("{S3_DOC_URL}\n"));
    assert_eq!(stderr(&out), "", "long-term keys: no warning");
}

#[test]
fn presign_warns_when_the_url_outlives_the_credentials() {
    let doc = imds_doc(); // expires 2024-05-01T18:00:00Z
    let base = [
        "presign",
        "https://bucket.s3.amazonaws.com/report.pdf",
        "--region",
        "us-east-1",
        "--service",
        "s3",
        "--s3",
        "--credentials",
    ];
    let mut args = base.to_vec();
    args.extend([
        doc.as_str(),
        "--time",
        "2024-05-01T12:00:00Z",
        "--expires",
        "604800",
    ]);
    let out = run(&args, None);
    assert!(out.status.success(), "{}", stderr(&out));
    let url = stdout(&out);
    assert!(url.contains("X-Amz-Expires=604800&"), "{url}");
    assert!(url.contains("X-Amz-Security-Token=IQoJb3JpZ2lu"), "{url}");
    let err = stderr(&out);
    assert!(
        err.starts_with(
            "sigfresh: warning: the URL says it is valid for 7 d 0 h (until 2024-05-08T12:00:00Z)"
        ),
        "{err}"
    );
    assert!(
        err.contains("it will stop working at 2024-05-01T18:00:00Z, 6 h 0 min after signing"),
        "{err}"
    );
    assert!(err.contains("shorten --expires to 21600"), "{err}");
    assert_eq!(err.lines().count(), 1);

    let mut args = base.to_vec();
    args.extend([
        doc.as_str(),
        "--time",
        "2024-05-01T12:00:00Z",
        "--expires",
        "3600",
    ]);
    assert_eq!(
        stderr(&run(&args, None)),
        "",
        "a URL inside the lifetime: no warning"
    );

    let mut args = base.to_vec();
    args.extend([doc.as_str(), "--time", "2024-05-01T19:00:00Z"]);
    let err = stderr(&run(&args, None));
    assert!(
        err.contains("the credentials expired at 2024-05-01T18:00:00Z"),
        "{err}"
    );
    assert!(err.contains("ExpiredToken"), "{err}");

    // A session token without an expiry: the lifetime is unknown, say so.
    let out = run(
        &[
            "presign",
            "https://h.example.com/x",
            "--region",
            "r",
            "--service",
            "s",
            "--access-key-id",
            "A",
            "--secret-access-key",
            "S",
            "--session-token",
            "T",
        ],
        None,
    );
    assert!(
        stderr(&out).contains("session token of unknown expiry"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn presign_bad_input() {
    let creds = ["--access-key-id", "A", "--secret-access-key", "S"];
    let with = |extra: &[&str]| {
        let mut a = vec!["presign"];
        a.extend(extra);
        a.extend(creds);
        run(&a, None)
    };
    assert_clean_error(
        &with(&["--region", "r", "--service", "s"]),
        2,
        "give the URL to presign",
    );
    assert_clean_error(
        &with(&["/relative", "--region", "r", "--service", "s"]),
        2,
        "not an absolute",
    );
    assert_clean_error(
        &with(&["https://h/", "--service", "s"]),
        2,
        "--region is required",
    );
    assert_clean_error(
        &with(&[
            "https://h/",
            "--region",
            "r",
            "--service",
            "s",
            "--expires",
            "0",
        ]),
        2,
        "between 1 and 604800",
    );
    assert_clean_error(
        &with(&[
            "https://h/",
            "--region",
            "r",
            "--service",
            "s",
            "--expires",
            "-5",
        ]),
        2,
        "--expires takes",
    );
    assert_clean_error(
        &with(&[
            "https://h/",
            "https://i/",
            "--region",
            "r",
            "--service",
            "s",
        ]),
        2,
        "give one URL",
    );
    assert_clean_error(
        &with(&[
            "https://h/",
            "--region",
            "r",
            "--service",
            "s",
            "--time",
            "noon",
        ]),
        2,
        "--time \"noon\"",
    );
    assert_clean_error(
        &with(&["https://h/", "--region", "r", "--service", "s", "--wat"]),
        2,
        "unknown option \"--wat\"",
    );
}

const SUITE_CREDS: [&str; 4] = [
    "--access-key-id",
    "AKIDEXAMPLE",
    "--secret-access-key",
    "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
];

fn verify(input: Option<&[u8]>, file: Option<&str>, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["verify", file.unwrap_or("-")];
    args.extend(extra);
    run(&args, input)
}

#[test]
fn verify_accepts_the_suite_signed_request() {
    let sreq = suite("get-vanilla", "sreq");
    let mut extra = vec!["--time", "20150830T123600Z"];
    extra.extend(SUITE_CREDS);
    let out = verify(None, sreq.to_str(), &extra);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.starts_with("OK: the signature is valid\n"), "{text}");
    assert!(
        text.contains("region/service:  us-east-1/service"),
        "{text}"
    );
    assert!(text.contains("signed headers:  host;x-amz-date"), "{text}");
    // Ten minutes later it is still inside AWS's 15-minute window; an hour later it is not.
    let mut extra = vec!["--time", "20150830T124600Z"];
    extra.extend(SUITE_CREDS);
    assert!(verify(None, sreq.to_str(), &extra).status.success());
    let mut extra = vec!["--time", "20150830T133600Z"];
    extra.extend(SUITE_CREDS);
    let out = verify(None, sreq.to_str(), &extra);
    assert_clean_error(
        &out,
        1,
        "signed at 2015-08-30T12:36:00Z, 3600s from the verifier's time",
    );
    assert!(
        stdout(&out).contains("fix: fix the signer's clock"),
        "{}",
        stdout(&out)
    );
    let mut extra = vec!["--time", "20150830T133600Z", "--max-skew", "7200"];
    extra.extend(SUITE_CREDS);
    assert!(verify(None, sreq.to_str(), &extra).status.success());
}

#[test]
fn verify_names_the_precise_reason() {
    let sreq = std::fs::read_to_string(suite("get-vanilla", "sreq")).unwrap();
    let mut extra = vec!["--time", "20150830T123600Z"];
    extra.extend(SUITE_CREDS);

    // The request changed after signing: the canonical request the verifier computed is shown.
    let tampered = sreq.replace("Host:example.amazonaws.com", "Host:evil.amazonaws.com");
    let out = verify(Some(tampered.as_bytes()), None, &extra);
    assert_clean_error(
        &out,
        1,
        "the request does not verify: signature does not match",
    );
    let text = stdout(&out);
    assert!(
        text.starts_with("FAILED: signature does not match."),
        "{text}"
    );
    assert!(
        text.contains("GET\n/\n\nhost:evil.amazonaws.com\nx-amz-date:20150830T123600Z\n"),
        "{text}"
    );

    // Another key.
    let out = verify(
        Some(sreq.as_bytes()),
        None,
        &[
            "--time",
            "20150830T123600Z",
            "--access-key-id",
            "AKIDOTHER",
            "--secret-access-key",
            "x",
        ],
    );
    assert_clean_error(&out, 1, "unknown access key id \"AKIDEXAMPLE\"");
    assert!(stdout(&out).contains("signed by AKIDEXAMPLE but the credentials given are AKIDOTHER"));

    // The right id, the wrong secret.
    let out = verify(
        Some(sreq.as_bytes()),
        None,
        &[
            "--time",
            "20150830T123600Z",
            "--access-key-id",
            "AKIDEXAMPLE",
            "--secret-access-key",
            "wrong",
        ],
    );
    assert_clean_error(&out, 1, "signature does not match");

    // Not signed at all.
    let req = std::fs::read(suite("get-vanilla", "req")).unwrap();
    assert_clean_error(
        &verify(Some(&req), None, &extra),
        1,
        "request is not signed",
    );

    // A session token that is not the one issued.
    let out = verify(
        Some(sreq.as_bytes()),
        None,
        &[
            "--time",
            "20150830T123600Z",
            "--access-key-id",
            "AKIDEXAMPLE",
            "--secret-access-key",
            "s",
            "--session-token",
            "T",
        ],
    );
    assert_clean_error(&out, 1, "session token does not belong");

    // Malformed input, bad flags, unreadable files.
    assert_clean_error(
        &verify(Some(b"GET / HTTP/1.1\nbroken\n"), None, &extra),
        1,
        "line 2",
    );
    let bad_auth = sreq.replace(
        "Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request",
        "Credential=AKIDEXAMPLE",
    );
    assert_clean_error(
        &verify(Some(bad_auth.as_bytes()), None, &extra),
        1,
        "malformed signature information",
    );
    assert_clean_error(
        &verify(None, Some("/nonexistent.req"), &extra),
        1,
        "cannot read /nonexistent.req",
    );
    assert_clean_error(
        &verify(Some(b""), None, &["--max-skew", "lots"]),
        2,
        "--max-skew takes",
    );
    assert_clean_error(&verify(Some(b""), None, &["--frob"]), 2, "unknown option");
}

#[test]
fn verify_presigned_urls_and_signed_requests_round_trip() {
    // The S3 documentation's URL, as the request target.
    let req = "GET /test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404 HTTP/1.1\nHost: examplebucket.s3.amazonaws.com\n\n";
    let keys = [
        "--access-key-id",
        "AKIAIOSFODNN7EXAMPLE",
        "--secret-access-key",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "--s3",
    ];
    let mut extra = vec!["--time", "2013-05-24T12:00:00Z"];
    extra.extend(keys);
    let out = verify(Some(req.as_bytes()), None, &extra);
    assert!(out.status.success(), "{}", stdout(&out));
    assert!(stdout(&out).contains("URL valid until: 2013-05-25T00:00:00Z"));
    let mut extra = vec!["--time", "2013-05-26T00:00:00Z"];
    extra.extend(keys);
    let out = verify(Some(req.as_bytes()), None, &extra);
    assert_clean_error(&out, 1, "presigned request expired at 2013-05-25T00:00:00Z");

    // sign | verify with a credentials document (its session token signed and checked).
    let doc = root().join("tests/documents/imds/valid-basic.json");
    let doc = doc.to_str().unwrap();
    let signed = run(
        &["sign", "-", "--region", "eu-west-1", "--service", "sqs", "--time", "2024-05-01T12:00:00Z", "--credentials", doc],
        Some(b"POST https://sqs.eu-west-1.amazonaws.com/ HTTP/1.1\nContent-Type: application/x-www-form-urlencoded\n\nAction=ListQueues"),
    );
    assert!(signed.status.success(), "{}", stderr(&signed));
    let out = verify(
        Some(&signed.stdout),
        None,
        &["--credentials", doc, "--time", "2024-05-01T12:00:00Z"],
    );
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert!(
        stdout(&out).contains("x-amz-security-token"),
        "{}",
        stdout(&out)
    );
    // The same request checked after the credentials expired: the signature is fine, the
    // token is not, and AWS would say ExpiredToken.
    let out = verify(
        Some(&signed.stdout),
        None,
        &[
            "--credentials",
            doc,
            "--time",
            "2024-05-01T18:05:00Z",
            "--max-skew",
            "86400",
        ],
    );
    assert_clean_error(&out, 1, "credentials expired at 2024-05-01T18:00:00Z");
    assert!(stdout(&out).starts_with("FAILED: the signature is valid, but the credentials expired"));

    // A body changed after signing.
    let changed =
        String::from_utf8_lossy(&signed.stdout).replace("Action=ListQueues", "Action=DeleteQueue");
    let out = verify(
        Some(changed.as_bytes()),
        None,
        &["--credentials", doc, "--time", "2024-05-01T12:00:00Z"],
    );
    assert_clean_error(&out, 1, "signature does not match");
    let _ = temp_dir("verify"); // keeps the helper used
}

#[test]
fn presign_and_verify_flags_agree() {
    // A path that the rules treat differently: `//` and `..` kept or removed, `%20` encoded
    // once or twice; a session token signed or appended after signing; the payload signed as
    // UNSIGNED-PAYLOAD or as the empty body's hash.
    let url = "https://h.example.com/a//b/../c%20d";
    let keys = [
        "--access-key-id",
        "AKIDFLAGS",
        "--secret-access-key",
        "flagsSecret",
        "--session-token",
        "flagsToken",
    ];
    let at = ["--time", "2024-01-01T00:00:00Z"];
    for flags in [
        vec![],
        vec!["--single-encode"],
        vec!["--no-normalize-path"],
        vec![
            "--single-encode",
            "--no-normalize-path",
            "--unsigned-payload",
        ],
        vec!["--omit-session-token"],
    ] {
        let mut args = vec![
            "presign",
            url,
            "--region",
            "r",
            "--service",
            "svc",
            "--method",
            "PUT",
        ];
        args.extend(keys);
        args.extend(at);
        args.extend(flags.iter().copied());
        let out = run(&args, None);
        assert!(out.status.success(), "{flags:?}: {}", stderr(&out));
        let signed = stdout(&out);
        let target = signed.trim().strip_prefix("https://h.example.com").unwrap();
        // The token is in the URL either way (signed, or appended unsigned).
        assert!(
            signed.contains("&X-Amz-Security-Token=flagsToken&"),
            "{signed}"
        );
        let req = format!("PUT {target} HTTP/1.1\nHost: h.example.com\n\n");
        let mut v = vec!["verify", "-"];
        v.extend(keys);
        v.extend(at);
        v.extend(flags.iter().copied());
        let out = run(&v, Some(req.as_bytes()));
        assert!(
            out.status.success(),
            "{flags:?}: {}{}",
            stdout(&out),
            stderr(&out)
        );
        if !flags.is_empty() {
            // The same URL checked with the default rules does not verify.
            let mut v = vec!["verify", "-"];
            v.extend(keys);
            v.extend(at);
            assert_clean_error(&run(&v, Some(req.as_bytes())), 1, "does not verify");
        }
    }
}
