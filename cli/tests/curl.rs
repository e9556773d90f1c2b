//! `sigfresh curl` against local servers that check SigV4 with the core's verifier.

mod support;

use sigfresh::credentials::Credentials;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use support::{
    assert_clean_error, aws_error, creds_for, imds_server, now, stderr, stdout, temp_dir,
    verify_req, Resp, Run, TestServer,
};

const KEYS: [&str; 8] = [
    "--access-key-id",
    "AKIDCURLTEST",
    "--secret-access-key",
    "curlSecret",
    "--region",
    "us-east-1",
    "--service",
    "execute-api",
];

fn static_creds() -> Credentials {
    Credentials::builder("AKIDCURLTEST", "curlSecret")
        .build()
        .unwrap()
}

/// A server that verifies every request with the static keys and echoes what it saw.
fn echo_server() -> TestServer {
    TestServer::start(|req, _| {
        match verify_req(req, |id| (id == "AKIDCURLTEST").then(static_creds), now()) {
            Ok(akid) => Resp::new(
                200,
                format!(
                    "ok {akid} {} {} {}",
                    req.method,
                    req.target,
                    String::from_utf8_lossy(&req.body)
                ),
            )
            .header("X-Echo", "yes"),
            Err(e) => Resp::new(403, aws_error("SignatureDoesNotMatch", &e.to_string())),
        }
    })
}

#[test]
fn signs_sends_and_prints_the_body() {
    let server = echo_server();
    let url = format!("{}/prod/items?b=2&a=1", server.url());
    let mut args = vec!["curl", "GET", url.as_str()];
    args.extend(KEYS);
    let out = Run::new(&args).output();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "ok AKIDCURLTEST GET /prod/items?b=2&a=1 ");
    let seen = &server.requests()[0];
    assert!(seen
        .header("authorization")
        .unwrap()
        .starts_with("AWS4-HMAC-SHA256 Credential=AKIDCURLTEST/"));
    assert!(seen.header("x-amz-date").is_some());

    // POST with headers, a body from a file, the body hash, and -i.
    let dir = temp_dir("curl-post");
    let file = dir.join("body.json");
    std::fs::write(&file, "{\"name\":\"x\"}").unwrap();
    let data = format!("@{}", file.display());
    let url = format!("{}/prod/items", server.url());
    let mut args = vec![
        "curl",
        "POST",
        url.as_str(),
        "-H",
        "Content-Type: application/json",
        "-H",
        "X-Custom: 1",
        "-d",
        data.as_str(),
        "--sign-body",
        "-i",
    ];
    args.extend(KEYS);
    let out = Run::new(&args).output();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.starts_with("HTTP/1.1 200 X\r\n"), "{text}");
    assert!(text.contains("X-Echo: yes\r\n"), "{text}");
    assert!(
        text.ends_with("ok AKIDCURLTEST POST /prod/items {\"name\":\"x\"}"),
        "{text}"
    );
    let seen = &server.requests()[1];
    let signed = seen.header("authorization").unwrap();
    assert!(signed.contains("SignedHeaders=content-length;content-type;host;x-amz-content-sha256;x-amz-date;x-custom"), "{signed}");

    // -v shows the heads on stderr.
    let mut args = vec!["curl", "GET", url.as_str(), "-v"];
    args.extend(KEYS);
    let err = stderr(&Run::new(&args).output());
    assert!(
        err.contains("> GET /prod/items HTTP/1.1") && err.contains("< HTTP/1.1 200 X"),
        "{err}"
    );
}

#[test]
fn expired_token_refreshes_and_retries_once() {
    let imds = imds_server(6 * 3600, true);
    // The first request is refused as AWS refuses an expired session token; later requests
    // signed with other (refreshed) credentials are verified.
    let api = TestServer::start(|req, n| {
        let lookup = |id: &str| Some(creds_for(id));
        match (n, verify_req(req, lookup, now())) {
            (0, _) => Resp::new(
                403,
                aws_error(
                    "ExpiredToken",
                    "The security token included in the request is expired",
                ),
            ),
            (_, Ok(akid)) => Resp::new(200, format!("hello {akid}")),
            (_, Err(e)) => Resp::new(403, aws_error("SignatureDoesNotMatch", &e.to_string())),
        }
    });
    let home = temp_dir("curl-expired");
    let url = format!("{}/items", api.url());
    let out = Run::new(&[
        "curl",
        "GET",
        url.as_str(),
        "--service",
        "execute-api",
        "--region",
        "eu-west-1",
    ])
    .clean_env(
        &home,
        &[
            ("AWS_EC2_METADATA_DISABLED", "false"),
            ("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url().as_str()),
        ],
    )
    .output();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "hello ASIATEST000000000002");
    let err = stderr(&out);
    assert_eq!(
        err,
        "sigfresh: ExpiredToken: refreshing the credentials from the default chain (EC2 instance metadata (IMDS)) and retrying once\n"
    );
    let seen = api.requests();
    assert_eq!(seen.len(), 2);
    assert!(seen[0]
        .header("authorization")
        .unwrap()
        .contains("Credential=ASIATEST000000000001/"));
    assert!(seen[1]
        .header("authorization")
        .unwrap()
        .contains("Credential=ASIATEST000000000002/"));
    assert_eq!(
        seen[1].header("x-amz-security-token"),
        Some("token-for-ASIATEST000000000002")
    );
}

#[test]
fn clock_skew_is_corrected_and_retried_once() {
    // The server's clock is 20 minutes ahead of this machine's.
    let ahead = Arc::new(AtomicI64::new(20 * 60_000));
    let a = ahead.clone();
    let api = TestServer::start(move |req, _| {
        let server_now = now().offset_millis(a.load(Ordering::Relaxed));
        let date =
            sigfresh::time::Timestamp::from_unix_seconds(server_now.unix_seconds()).to_string();
        match verify_req(
            req,
            |id| (id == "AKIDCURLTEST").then(static_creds),
            server_now,
        ) {
            Ok(_) => Resp::new(200, "in time").header("Date", date),
            Err(e) => Resp::new(
                403,
                aws_error(
                    "RequestTimeTooSkewed",
                    &e.to_string().replace(['<', '>'], ""),
                ),
            )
            .header("Date", date),
        }
    });
    let url = format!("{}/x", api.url());
    let mut args = vec!["curl", "GET", url.as_str()];
    args.extend(KEYS);
    let out = Run::new(&args).output();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "in time");
    let err = stderr(&out);
    // The Date header has whole seconds: 19 min 59 s or 20 min.
    assert!(
        err.starts_with("sigfresh: RequestTimeTooSkewed: this clock is 19 min 59 s")
            || err.starts_with("sigfresh: RequestTimeTooSkewed: this clock is 20 min"),
        "{err}"
    );
    assert!(
        err.contains("behind AWS's; re-signing with AWS's time and retrying once"),
        "{err}"
    );
    assert_eq!(api.requests().len(), 2);
}

#[test]
fn other_errors_are_explained_not_retried() {
    let api = TestServer::start(|_, _| {
        Resp::new(403, aws_error("AccessDenied", "User is not authorized"))
    });
    let url = format!("{}/x", api.url());
    let mut args = vec!["curl", "GET", url.as_str()];
    args.extend(KEYS);
    let out = Run::new(&args).output();
    assert!(
        out.status.success(),
        "curl semantics: an HTTP error is not a failure without -f"
    );
    assert!(stdout(&out).contains("<Code>AccessDenied</Code>"));
    assert!(
        stderr(&out).starts_with("sigfresh: Access was denied (AccessDenied, HTTP 403)"),
        "{}",
        stderr(&out)
    );
    assert_eq!(api.requests().len(), 1);
    args.push("--fail");
    let out = Run::new(&args).output();
    assert_eq!(out.status.code(), Some(22));
    assert!(
        stderr(&out).ends_with("sigfresh: error: HTTP 403 X\n"),
        "{}",
        stderr(&out)
    );

    // Fixed credentials cannot be refreshed: an ExpiredToken is reported, not retried.
    let api = TestServer::start(|_, _| {
        Resp::new(
            400,
            aws_error(
                "ExpiredToken",
                "The security token included in the request is expired",
            ),
        )
    });
    let url = format!("{}/x", api.url());
    let mut args = vec!["curl", "GET", url.as_str()];
    args.extend(KEYS);
    let out = Run::new(&args).output();
    assert!(
        stderr(&out).starts_with("sigfresh: The session token has expired"),
        "{}",
        stderr(&out)
    );
    assert_eq!(api.requests().len(), 1);
}

#[test]
fn https_goes_through_tls() {
    // A server that answers a TLS ClientHello with plain HTTP: the TLS layer refuses it, and
    // the error is one line naming TLS.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = std::thread::spawn(move || {
        use std::io::{Read, Write};
        if let Ok((mut sock, _)) = listener.accept() {
            let mut hello = [0u8; 5];
            let _ = sock.read_exact(&mut hello);
            let _ = sock.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
            hello[0] // 0x16: a TLS handshake record
        } else {
            0
        }
    });
    let url = format!("https://127.0.0.1:{port}/x");
    let mut args = vec!["curl", "GET", url.as_str()];
    args.extend(KEYS);
    assert_clean_error(
        &Run::new(&args).output(),
        1,
        &format!("127.0.0.1:{port}: I/O error (TLS: received corrupt message"),
    );
    assert_eq!(server.join().unwrap(), 0x16, "the client spoke TLS");
}

#[test]
fn curl_bad_input() {
    let mut args = vec!["curl", "GET", "http://127.0.0.1:9/x"];
    args.extend(KEYS);
    assert_clean_error(
        &Run::new(&args).output(),
        1,
        "127.0.0.1:9: could not connect",
    );
    let home = temp_dir("curl-bad");
    for (args, needle) in [
        (vec!["curl", "GET"], "give METHOD and URL"),
        (
            vec!["curl", "GET", "http://h/", "extra"],
            "unexpected argument",
        ),
        (
            vec!["curl", "GET", "ftp://h/", "--service", "s", "--region", "r"],
            "http:// or https://",
        ),
        (
            vec![
                "curl",
                "GET",
                "http://h/#frag",
                "--service",
                "s",
                "--region",
                "r",
            ],
            "fragment",
        ),
        (
            vec!["curl", "GET", "http://h/", "--region", "r"],
            "--service is required",
        ),
        (
            vec!["curl", "GET", "http://h/", "--service", "s"],
            "--region is required (or set AWS_REGION, or a profile region)",
        ),
        (
            vec!["curl", "GET", "http://h/", "-H", "novalue"],
            "expected 'Name: value'",
        ),
        (
            vec!["curl", "GET", "http://h/", "--max-time", "0"],
            "--max-time must be at least",
        ),
        (
            vec!["curl", "GET", "http://h/", "--bogus"],
            "unknown option",
        ),
    ] {
        assert_clean_error(&Run::new(&args).clean_env(&home, &[]).output(), 2, needle);
    }
    let args = [
        "curl",
        "GET",
        "http://h/",
        "--service",
        "s",
        "--region",
        "r",
        "-d",
        "@/nonexistent/body",
    ];
    assert_clean_error(
        &Run::new(&args).clean_env(&home, &[]).output(),
        1,
        "cannot read /nonexistent/body",
    );
    // No credentials anywhere (IMDS off).
    let args = [
        "curl",
        "GET",
        "http://127.0.0.1:9/",
        "--service",
        "s",
        "--region",
        "r",
    ];
    assert_clean_error(
        &Run::new(&args).clean_env(&home, &[]).output(),
        1,
        "no credentials from the default chain",
    );
}

#[test]
fn data_s3_payload_flags_and_credential_files() {
    let server = echo_server();
    let dir = temp_dir("curl-flags");
    let doc = dir.join("creds.json");
    std::fs::write(
        &doc,
        r#"{"Version":1,"AccessKeyId":"AKIDCURLTEST","SecretAccessKey":"curlSecret"}"#,
    )
    .unwrap();
    let doc = doc.display().to_string();
    let url = format!("{}/bucket/key", server.url());
    // -d twice is joined with &, as curl does; --data-binary is the same; the region comes
    // from AWS_REGION; credentials from a credential_process document.
    let home = temp_dir("curl-flags-home");
    let args = [
        "curl",
        "PUT",
        url.as_str(),
        "--service",
        "s3",
        "--credentials",
        doc.as_str(),
        "--s3",
        "-d",
        "a=1",
        "--data-binary",
        "b=2",
        "-f",
    ];
    let out = Run::new(&args)
        .clean_env(&home, &[("AWS_REGION", "eu-central-1")])
        .output();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "ok AKIDCURLTEST PUT /bucket/key a=1&b=2");
    let seen = &server.requests()[0];
    assert!(seen
        .header("authorization")
        .unwrap()
        .contains("/eu-central-1/s3/aws4_request"));
    // S3 rules: the body hash travels in x-amz-content-sha256 (sha256 of "a=1&b=2").
    assert_eq!(
        seen.header("x-amz-content-sha256"),
        Some("8e85be58c1c372ac29fe7bfa80d8ddcbd04a4032c7b51c1c026d67c55b1ab23f")
    );
    // UNSIGNED-PAYLOAD.
    let args = [
        "curl",
        "PUT",
        url.as_str(),
        "--service",
        "s3",
        "--region",
        "us-east-1",
        "--credentials",
        doc.as_str(),
        "--s3",
        "--unsigned-payload",
        "-d",
        "x",
    ];
    let out = Run::new(&args).clean_env(&home, &[]).output();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "ok AKIDCURLTEST PUT /bucket/key x");
    assert_eq!(
        server.requests()[1].header("x-amz-content-sha256"),
        Some("UNSIGNED-PAYLOAD")
    );
}
