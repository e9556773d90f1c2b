//! The `sigfresh` binary, run as a user runs it, checked against the official suite's files.

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

fn suite(case: &str, ext: &str) -> PathBuf {
    let name = case.rsplit('/').next().unwrap();
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/vectors/sigv4-suite")
        .join(case)
        .join(format!("{name}.{ext}"))
}

fn run(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sigfresh"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(input) = stdin {
        use std::io::Write;
        // The binary may exit before reading stdin (usage errors): a closed pipe is fine.
        let _ = child.stdin.take().unwrap().write_all(input);
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

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
