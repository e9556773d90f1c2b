//! The `sigfresh` binary, run as a user runs it, checked against the official suite's files.

mod support;

use std::process::Output;
use support::{assert_clean_error, run, stderr, stdout, suite, temp_dir, Run};

const SUITE_ARGS: [&str; 10] = [
    "--region",
    "us-east-1",
    "--service",
    "service",
    "--time",
    "20150830T123600Z",
    "--access-key-id",
    "AKIDEXAMPLE",
    "--secret-access-key",
    "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
];

fn sign_case(case: &str, print: &str) -> Output {
    let req = suite(case, "req");
    let mut args = vec!["sign", req.to_str().unwrap()];
    args.extend(SUITE_ARGS);
    args.extend(["--print", print]);
    run(&args, None)
}

#[test]
fn each_print_stage_is_byte_exact_with_the_suite() {
    for case in [
        "get-vanilla",
        "get-vanilla-query-order-key",
        "post-header-key-sort",
        "get-utf8",
    ] {
        for (print, ext) in [
            ("canonical-request", "creq"),
            ("string-to-sign", "sts"),
            ("authorization", "authz"),
        ] {
            let out = sign_case(case, print);
            assert!(
                out.status.success(),
                "{case} {print}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            let mut want = std::fs::read(suite(case, ext)).unwrap();
            want.push(b'\n');
            assert_eq!(
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&want),
                "{case} {print}"
            );
        }
        let sig = sign_case(case, "signature");
        let authz = std::fs::read_to_string(suite(case, "authz")).unwrap();
        let want_sig = authz.rsplit("Signature=").next().unwrap();
        assert_eq!(
            String::from_utf8(sig.stdout).unwrap(),
            format!("{want_sig}\n")
        );
    }
}

#[test]
fn signed_request_and_json_from_stdin() {
    let req = std::fs::read(suite("get-vanilla", "req")).unwrap();
    let mut args = vec!["sign", "-"];
    args.extend(SUITE_ARGS);
    let out = run(&args, Some(&req));
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("GET / HTTP/1.1\nHost: example.amazonaws.com\n"),
        "{text}"
    );
    assert!(!text.contains('\r'), "LF input gives LF output");
    assert!(text.contains("authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31\n"), "{text}");

    args.extend(["--print", "json"]);
    let out = run(&args, Some(&req));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v["signature"],
        "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
    );
    assert_eq!(v["headers"]["x-amz-date"], "20150830T123600Z");
}

#[test]
fn presign_prints_a_url_with_every_parameter() {
    let req = b"GET https://examplebucket.s3.amazonaws.com/test.txt HTTP/1.1\n\n";
    let mut args = vec![
        "sign",
        "-",
        "--s3",
        "--query",
        "--expires",
        "86400",
        "--print",
        "json",
    ];
    args.extend(SUITE_ARGS);
    let out = run(&args, Some(req));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let url = v["signed_uri"].as_str().unwrap();
    assert!(url.starts_with("https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fservice%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature="), "{url}");
    assert!(v["authorization"].is_null());
}

#[test]
fn bad_input_gives_a_clear_error_and_exit_code() {
    let out = run(
        &["sign", "-", "--service", "s3"],
        Some(b"GET / HTTP/1.1\nHost: h\n"),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--region is required"));

    let mut args = vec!["sign", "-", "--time", "yesterday"];
    args.extend(&SUITE_ARGS[..4]);
    args.extend(&SUITE_ARGS[6..]);
    let out = run(&args, Some(b"GET / HTTP/1.1\nHost: h\n"));
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--time \"yesterday\""));

    let mut args = vec!["sign", "-"];
    args.extend(SUITE_ARGS);
    let out = run(
        &args,
        Some(b"GET / HTTP/1.1\nX-Note: caf\xc3\xa9\nHost: h\n"),
    );
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("x-note") && err.contains("non-ASCII"), "{err}");

    let out = run(
        &[
            "sign",
            "/nonexistent/file.req",
            "--region",
            "r",
            "--service",
            "s",
            "--access-key-id",
            "A",
            "--secret-access-key",
            "S",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read /nonexistent/file.req"));

    let out = run(&["frobnicate"], None);
    assert_eq!(out.status.code(), Some(2));
    let out = run(&["sign", "--help"], None);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("EXAMPLES:"));
}

/// Cases whose expected files do not describe what a real service signs (see
/// core/tests/sigv4_suite.rs and the suite's FORMAT.md), left to the core's suite test.
const LEGACY: [&str; 4] = [
    "get-header-value-multiline",
    "post-x-www-form-urlencoded",
    "post-x-www-form-urlencoded-parameters",
    "double-encode-path",
];

const STS_TOKEN: &str = "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==";

fn cases() -> Vec<String> {
    fn walk(dir: &std::path::Path, base: &std::path::Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, base, out);
            } else if p.extension().is_some_and(|x| x == "req") {
                let rel = p.parent().unwrap().strip_prefix(base).unwrap();
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let base = support::root().join("tests/vectors/sigv4-suite");
    let mut out = Vec::new();
    walk(&base, &base, &mut out);
    out.sort();
    out
}

#[test]
fn every_suite_case_is_byte_exact_at_every_stage() {
    let all = cases();
    assert_eq!(all.len(), 33, "the suite has 33 requests");
    let mut checked = 0;
    for case in all.iter().filter(|c| !LEGACY.contains(&c.as_str())) {
        let req = suite(case, "req");
        // Each case's .sts names its time and scope (double-url-encode differs).
        let sts = std::fs::read_to_string(suite(case, "sts")).unwrap();
        let lines: Vec<&str> = sts.lines().collect();
        let scope: Vec<&str> = lines[2].split('/').collect();
        let mut base = vec!["sign", req.to_str().unwrap()];
        base.extend([
            "--time",
            lines[1],
            "--region",
            scope[1],
            "--service",
            scope[2],
        ]);
        base.extend(&SUITE_ARGS[6..]);
        if case.starts_with("post-sts-token/") {
            base.extend(["--session-token", STS_TOKEN]);
        }
        if case.ends_with("post-sts-header-after") {
            base.push("--omit-session-token");
        }
        for (print, ext) in [
            ("canonical-request", "creq"),
            ("string-to-sign", "sts"),
            ("authorization", "authz"),
        ] {
            let mut args = base.clone();
            args.extend(["--print", print]);
            let out = run(&args, None);
            assert!(out.status.success(), "{case} {print}: {}", stderr(&out));
            let want = std::fs::read_to_string(suite(case, ext)).unwrap();
            // A few files end in a newline, most do not; the CLI always prints exactly one.
            let want = format!("{}\n", want.trim_end_matches('\n'));
            assert_eq!(stdout(&out), want, "{case}: stage {print}");
        }
        checked += 1;
    }
    assert_eq!(checked, 29);
}

#[test]
fn signed_request_stage_matches_the_suite_sreq() {
    // The rendered signed request is the .req with the signing headers added: the same
    // request line, the same headers, the suite's Authorization.
    for case in [
        "get-vanilla",
        "post-header-key-sort",
        "get-vanilla-query-order-key",
    ] {
        let req = suite(case, "req");
        let mut args = vec!["sign", req.to_str().unwrap()];
        args.extend(SUITE_ARGS);
        let out = run(&args, None);
        let got = stdout(&out);
        let sreq = std::fs::read_to_string(suite(case, "sreq")).unwrap();
        let norm = |s: &str| -> Vec<String> {
            s.lines()
                .map(|l| match l.split_once(':') {
                    Some((n, v)) if !l.starts_with("GET ") && !l.starts_with("POST ") => {
                        format!("{}:{}", n.to_ascii_lowercase(), v.trim())
                    }
                    _ => l.to_owned(),
                })
                .filter(|l| !l.is_empty())
                .collect()
        };
        let (mut a, mut b) = (norm(&got), norm(&sreq));
        a.sort();
        b.sort();
        assert_eq!(a, b, "{case}");
    }
}

#[test]
fn sign_flags_change_the_canonical_request() {
    let req = b"PUT https://bucket.s3.amazonaws.com/a//b/../c%20d.txt HTTP/1.1\nContent-Type: text/plain\n\nhello";
    let creq = |extra: &[&str]| {
        let mut args = vec!["sign", "-", "--print", "canonical-request"];
        args.extend(SUITE_ARGS);
        args.extend(extra);
        let out = run(&args, Some(req));
        assert!(out.status.success(), "{extra:?}: {}", stderr(&out));
        stdout(&out)
    };
    let plain = creq(&[]);
    assert!(plain.starts_with("PUT\n/a/c%2520d.txt\n"), "{plain}");
    assert!(plain.ends_with("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824\n"));
    let single = creq(&["--single-encode"]);
    assert!(single.starts_with("PUT\n/a/c%20d.txt\n"), "{single}");
    let raw = creq(&["--no-normalize-path"]);
    assert!(raw.starts_with("PUT\n/a//b/../c%2520d.txt\n"), "{raw}");
    let s3 = creq(&["--s3"]);
    assert!(s3.starts_with("PUT\n/a//b/../c%20d.txt\n"), "{s3}");
    assert!(s3.contains("\nx-amz-content-sha256:2cf24dba"), "{s3}");
    let body = creq(&["--sign-body"]);
    assert!(body.contains("\nx-amz-content-sha256:2cf24dba"), "{body}");
    let unsigned = creq(&["--unsigned-payload"]);
    assert!(unsigned.ends_with("\nUNSIGNED-PAYLOAD\n"), "{unsigned}");
    // The signed request keeps its body whatever the payload hash says.
    let mut args = vec!["sign", "-", "--unsigned-payload", "--s3"];
    args.extend(SUITE_ARGS);
    let signed = stdout(&run(&args, Some(req)));
    assert!(signed.ends_with("\n\nhello"), "{signed}");
    let with_token = creq(&["--session-token", "TOKEN123"]);
    assert!(
        with_token.contains("x-amz-security-token:TOKEN123\n"),
        "{with_token}"
    );
    let omitted = creq(&["--session-token", "TOKEN123", "--omit-session-token"]);
    assert!(!omitted.contains("TOKEN123"), "{omitted}");
    // --name=value works like --name value.
    let mut args = vec![
        "sign",
        "-",
        "--print=canonical-request",
        "--region=us-east-1",
    ];
    args.extend(&SUITE_ARGS[2..]);
    assert_eq!(stdout(&run(&args, Some(req))), plain);
}

#[test]
fn query_signing_prints_each_stage() {
    let req = b"GET https://examplebucket.s3.amazonaws.com/test.txt HTTP/1.1\n\n";
    let mut args = vec![
        "sign",
        "-",
        "--s3",
        "--query",
        "--expires",
        "86400",
        "--print",
        "signed-request",
    ];
    args.extend(SUITE_ARGS);
    let out = run(&args, Some(req));
    let text = stdout(&out);
    assert!(
        text.starts_with("GET /test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&"),
        "{text}"
    );
    assert!(
        text.contains("\nHost: examplebucket.s3.amazonaws.com\n"),
        "{text}"
    );
    let mut args = vec!["sign", "-", "--query", "--print", "authorization"];
    args.extend(SUITE_ARGS);
    assert_clean_error(
        &run(&args, Some(req)),
        2,
        "--print authorization needs header signing",
    );
    let mut args = vec!["sign", "-", "--expires", "60"];
    args.extend(SUITE_ARGS);
    assert_clean_error(
        &run(&args, Some(req)),
        2,
        "--expires only applies with --query",
    );
    let mut args = vec!["sign", "-", "--query", "--expires", "604801"];
    args.extend(SUITE_ARGS);
    assert_clean_error(&run(&args, Some(req)), 2, "604800");
}

/// Writes `text` to a file in `dir` and returns its path.
fn put(dir: &std::path::Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.display().to_string()
}

#[test]
fn credentials_from_every_document_format() {
    let dir = temp_dir("sign-docs");
    let docs = support::root().join("tests/documents");
    let env_file = put(
        &dir,
        "creds.env",
        "export AWS_ACCESS_KEY_ID=AKIDENVFILE\nexport AWS_SECRET_ACCESS_KEY=\"envSecret\"\nAWS_SESSION_TOKEN=envToken\n",
    );
    let profile_config = put(
        &dir,
        "config",
        "[profile dev]\naws_access_key_id = AKIDCONFIGDEV\naws_secret_access_key = s\n",
    );
    let cases: Vec<(String, Vec<&str>, &str)> = vec![
        (
            docs.join("imds/valid-basic.json").display().to_string(),
            vec![],
            "ASIAIMDSBASICEXAMPLE",
        ),
        (
            docs.join("sts/valid-assume-role.xml").display().to_string(),
            vec![],
            "ASIA",
        ),
        (
            docs.join("process/valid-full.json").display().to_string(),
            vec![],
            "A",
        ),
        (
            docs.join("profile/basic.credentials").display().to_string(),
            vec![],
            "AKIAPROFILEDEFAULTEX",
        ),
        (
            docs.join("profile/basic.credentials").display().to_string(),
            vec!["--profile", "temp"],
            "ASIAPROFILETEMPEXAMP",
        ),
        (env_file, vec![], "AKIDENVFILE"),
        (profile_config, vec!["--profile", "dev"], "AKIDCONFIGDEV"),
    ];
    let req = b"GET https://example.amazonaws.com/ HTTP/1.1\n\n";
    for (file, extra, akid) in cases {
        let mut args = vec![
            "sign",
            "-",
            "--region",
            "us-east-1",
            "--service",
            "service",
            "--time",
            "20150830T123600Z",
            "--credentials",
            &file,
            "--print",
            "authorization",
        ];
        args.extend(extra.iter().copied());
        let out = run(&args, Some(req));
        assert!(out.status.success(), "{file}: {}", stderr(&out));
        assert!(
            stdout(&out).starts_with(&format!("AWS4-HMAC-SHA256 Credential={akid}")),
            "{file}: {}",
            stdout(&out)
        );
    }
    // The token of a document is signed.
    let out = run(
        &[
            "sign",
            "-",
            "--region",
            "r",
            "--service",
            "s",
            "--credentials",
            &docs.join("imds/valid-basic.json").display().to_string(),
            "--print",
            "canonical-request",
        ],
        Some(req),
    );
    assert!(
        stdout(&out).contains("x-amz-security-token:IQoJb3JpZ2lu"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn bad_credentials_input_is_one_clear_line() {
    let dir = temp_dir("sign-bad-docs");
    let docs = support::root().join("tests/documents");
    let req: &[u8] = b"GET https://example.amazonaws.com/ HTTP/1.1\n\n";
    let sign = |extra: &[&str]| {
        let mut args = vec!["sign", "-", "--region", "us-east-1", "--service", "s"];
        args.extend(extra);
        run(&args, Some(req))
    };
    let truncated = docs.join("imds/truncated.json").display().to_string();
    assert_clean_error(&sign(&["--credentials", &truncated]), 1, "truncated.json");
    assert_clean_error(
        &sign(&["--credentials", "/nonexistent/creds.json"]),
        1,
        "cannot read /nonexistent/creds.json",
    );
    let half = docs.join("profile/basic.credentials").display().to_string();
    assert_clean_error(
        &sign(&["--credentials", &half, "--profile", "half"]),
        1,
        "aws_secret_access_key",
    );
    assert_clean_error(
        &sign(&["--credentials", &half, "--profile", "nope"]),
        1,
        "no profile `nope`",
    );
    let role = put(
        &dir,
        "role.config",
        "[profile r]\nrole_arn = arn:aws:iam::123456789012:role/x\nsource_profile = default\n",
    );
    assert_clean_error(
        &sign(&["--credentials", &role, "--profile", "r"]),
        1,
        "need the credential chain (drop --credentials, use --profile r)",
    );
    assert_clean_error(
        &sign(&["--access-key-id", "A"]),
        2,
        "--secret-access-key is required",
    );
    assert_clean_error(
        &sign(&["--secret-access-key", "S"]),
        2,
        "--access-key-id is required",
    );
    assert_clean_error(&sign(&["--session-token", "T"]), 2, "--session-token needs");
    assert_clean_error(
        &sign(&[
            "--access-key-id",
            "A",
            "--secret-access-key",
            "S",
            "--credentials",
            &truncated,
        ]),
        2,
        "not both",
    );
    assert_clean_error(
        &sign(&["--access-key-id", "A B", "--secret-access-key", "S"]),
        2,
        "access key id has a character",
    );
    let secret_in_error = sign(&["--access-key-id", "A", "--secret-access-key", "sec ret"]);
    assert_clean_error(&secret_in_error, 2, "secret access key");
    assert!(!stderr(&secret_in_error).contains("sec ret"));
}

#[test]
fn sign_without_credentials_uses_the_default_chain() {
    let home = temp_dir("sign-chain");
    let req: &[u8] = b"GET https://example.amazonaws.com/ HTTP/1.1\n\n";
    let args = [
        "sign",
        "-",
        "--region",
        "us-east-1",
        "--service",
        "s",
        "--time",
        "20150830T123600Z",
        "--print",
        "authorization",
    ];
    let out = Run::new(&args)
        .stdin(req)
        .clean_env(
            &home,
            &[
                ("AWS_ACCESS_KEY_ID", "AKIDFROMENV"),
                ("AWS_SECRET_ACCESS_KEY", "envSecret"),
            ],
        )
        .output();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("Credential=AKIDFROMENV/20150830/"),
        "{}",
        stdout(&out)
    );
    std::fs::create_dir_all(home.join(".aws")).unwrap();
    put(
        &home.join(".aws"),
        "credentials",
        "[work]\naws_access_key_id = AKIDFROMPROFILE\naws_secret_access_key = p\n",
    );
    let mut with_profile = args.to_vec();
    with_profile.extend(["--profile", "work"]);
    let out = Run::new(&with_profile)
        .stdin(req)
        .clean_env(&home, &[])
        .output();
    assert!(
        stdout(&out).contains("Credential=AKIDFROMPROFILE/"),
        "{}",
        stderr(&out)
    );
    // Nothing configured (IMDS off): one line saying so.
    let out = Run::new(&args)
        .stdin(req)
        .clean_env(&temp_dir("sign-empty"), &[])
        .output();
    assert_clean_error(&out, 1, "no credentials from the default chain");
}

#[test]
fn malformed_requests_and_unknown_flags_fail_cleanly() {
    let mut args = vec!["sign", "-"];
    args.extend(SUITE_ARGS);
    for (input, needle) in [
        (&b""[..], "the first line must be"),
        (b"GET / HTTP/1.1\nno colon here\n", "line 2"),
        (b"GET / HTTP/1.1\n folded\n", "continuation"),
        (b"GET /\xff HTTP/1.1\n", "not UTF-8"),
        (b"G@T / HTTP/1.1\nHost: h\n", "method"),
        (b"GET relative HTTP/1.1\nHost: h\n", "URI"),
        (b"GET / HTTP/1.1\n\n", "no host header"),
    ] {
        assert_clean_error(&run(&args, Some(input)), 1, needle);
    }
    for (flags, needle) in [
        (vec!["sign", "--bogus"], "unknown option \"--bogus\""),
        (vec!["sign", "--region"], "--region needs a value"),
        (vec!["sign", "--query=yes"], "--query does not take a value"),
        (vec!["sign", "a.req", "b.req"], "give one request file"),
        (
            vec!["sign", "--expires", "soon"],
            "--expires takes a whole number",
        ),
        (
            vec![
                "sign",
                "-",
                "--region",
                "us east",
                "--service",
                "s",
                "--access-key-id",
                "A",
                "--secret-access-key",
                "S",
            ],
            "region",
        ),
        (
            vec![
                "sign",
                "-",
                "--region",
                "r",
                "--service",
                "s",
                "--print",
                "everything",
            ],
            "--print \"everything\"",
        ),
        (
            vec![
                "sign",
                "-",
                "--region",
                "r",
                "--service",
                "s",
                "--time",
                "2015-02-30T00:00:00Z",
            ],
            "--time",
        ),
        (vec!["frobnicate"], "unknown command"),
        (vec!["help", "frobnicate"], "no help for unknown command"),
    ] {
        assert_clean_error(&run(&flags, Some(b"GET / HTTP/1.1\nHost: h\n")), 2, needle);
    }
    // An unreadable file (a directory).
    let dir = temp_dir("sign-dir");
    let mut args = vec!["sign", dir.to_str().unwrap()];
    args.extend(SUITE_ARGS);
    assert_clean_error(&run(&args, None), 1, "cannot read");
}

#[test]
fn help_and_version() {
    let out = run(&[], None);
    assert!(out.status.success());
    for cmd in [
        "sign",
        "presign",
        "verify",
        "explain",
        "credentials",
        "curl",
        "demo",
    ] {
        assert!(
            stdout(&out).contains(&format!("    {cmd} ")),
            "{cmd} is listed"
        );
        for args in [vec![cmd, "--help"], vec!["help", cmd], vec![cmd, "-h"]] {
            let h = run(&args, None);
            assert!(h.status.success(), "{args:?}");
            let text = stdout(&h);
            assert!(
                text.starts_with(&format!("sigfresh {cmd} ")),
                "{args:?}: {text}"
            );
            assert!(text.contains("EXAMPLES:"), "{cmd} help has examples");
        }
    }
    let v = run(&["--version"], None);
    assert_eq!(
        stdout(&v),
        format!("sigfresh {}\n", env!("CARGO_PKG_VERSION"))
    );
}
