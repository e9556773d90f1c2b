//! `sigfresh credentials`: the default chain resolved with real I/O against files, processes
//! and local servers, in a clean environment per test.

mod support;

use std::path::Path;
use std::time::Duration;
use support::{assert_clean_error, imds_server, stderr, stdout, temp_dir, Resp, Run, TestServer};

fn put(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, text).unwrap();
    p.display().to_string()
}

const FAR: &str = "2099-01-01T00:00:00Z";

#[test]
fn environment_keys_win_and_the_traps_are_named() {
    let home = temp_dir("cred-env");
    let out = Run::new(&["credentials"])
        .clean_env(
            &home,
            &[
                ("AWS_ACCESS_KEY_ID", "AKIDENVIRONMENT"),
                ("AWS_SECRET_ACCESS_KEY", "environmentSecretValue"),
                ("AWS_SESSION_TOKEN", "environmentTokenValue"),
                (
                    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                    "http://127.0.0.1:9/creds",
                ),
            ],
        )
        .output();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with("credentials come from environment variables\n"),
        "{text}"
    );
    assert!(
        text.contains("1. environment variables: SELECTED (static keys; never refreshes)"),
        "{text}"
    );
    assert!(text.contains("warning: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY in the environment win over container credentials endpoint"), "{text}");
    assert!(
        text.contains("supplies a session token with no known expiry"),
        "{text}"
    );
    assert!(
        text.contains("access key id:      AKIDENVIRONMENT\n"),
        "{text}"
    );
    assert!(
        text.contains("secret access key:  ******** (22 characters, masked)\n"),
        "{text}"
    );
    assert!(
        text.contains("session token:      ******** (21 characters, masked)\n"),
        "{text}"
    );
    assert!(text.contains("expires:            never"), "{text}");
    assert!(text.contains("these credentials never change"), "{text}");
    assert!(!text.contains("environmentSecretValue") && !text.contains("environmentTokenValue"));
}

#[test]
fn shared_files_static_keys_and_credential_process() {
    let home = temp_dir("cred-files");
    // AWS_SHARED_CREDENTIALS_FILE with a leading ~/ (the home directory).
    put(
        &home,
        "custom/creds",
        "[default]\naws_access_key_id = AKIDFROMFILE\naws_secret_access_key = fileSecret\n",
    );
    let out = Run::new(&["credentials"])
        .clean_env(&home, &[("AWS_SHARED_CREDENTIALS_FILE", "~/custom/creds")])
        .output();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with("credentials come from profile \"default\"\n"),
        "{text}"
    );
    assert!(
        text.contains(
            "warning: profile \"default\" pins static credentials (shared credentials file line 2)"
        ),
        "{text}"
    );
    assert!(text.contains("custom/creds (read)"), "{text}");
    assert!(text.contains(".aws/config (not found)"), "{text}");

    // credential_process in the config file, chosen with --profile.
    let doc = put(
        &home,
        "proc.json",
        &format!(
            r#"{{"Version":1,"AccessKeyId":"ASIAPROCESS","SecretAccessKey":"processSecret","SessionToken":"processToken","Expiration":"{FAR}"}}"#
        ),
    );
    let config = put(
        &home,
        "cfg",
        &format!("[profile proc]\ncredential_process = cat {doc}\n"),
    );
    let out = Run::new(&["credentials", "--profile", "proc"])
        .clean_env(&home, &[("AWS_CONFIG_FILE", config.as_str())])
        .output();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with("credentials come from profile \"proc\"\n"),
        "{text}"
    );
    assert!(
        text.contains("credentials expire at 2099-01-01T00:00:00Z"),
        "{text}"
    );
    assert!(text.contains("access key id:      ASIAPROCESS\n"), "{text}");
    assert!(text.contains("before expiry)"), "{text}");

    // A process that fails: the chain's explanation, then one error line.
    let config = put(
        &home,
        "cfg2",
        "[default]\ncredential_process = sh -c 'exit 3'\n",
    );
    let out = Run::new(&["credentials"])
        .clean_env(&home, &[("AWS_CONFIG_FILE", config.as_str())])
        .output();
    assert_clean_error(&out, 1, "no credentials");
    assert!(
        stdout(&out).contains("the last fetch failed"),
        "{}",
        stdout(&out)
    );

    // A malformed config file: the profile fails, the chain says why and goes on.
    let config = put(&home, "cfg3", "[default]\nthis is not a property\n");
    let out = Run::new(&["credentials"])
        .clean_env(&home, &[("AWS_CONFIG_FILE", config.as_str())])
        .output();
    assert_clean_error(&out, 1, "no credentials");
    assert!(stdout(&out).contains("FAILED"), "{}", stdout(&out));
}

#[test]
fn container_endpoint_with_authorization_token() {
    let server = TestServer::start(|req, _| {
        if req.header("authorization") != Some("container-token") {
            return Resp::new(401, r#"{"code":"AccessDenied","message":"no"}"#);
        }
        Resp::new(
            200,
            format!(
                r#"{{"AccessKeyId":"ASIACONTAINER","SecretAccessKey":"containerSecret","Token":"containerToken","Expiration":"{FAR}"}}"#
            ),
        )
    });
    let home = temp_dir("cred-container");
    let uri = format!("{}/v1/credentials", server.url());
    let out = Run::new(&["credentials"])
        .clean_env(
            &home,
            &[
                ("AWS_CONTAINER_CREDENTIALS_FULL_URI", uri.as_str()),
                ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "container-token"),
            ],
        )
        .output();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with("credentials come from container credentials endpoint\n"),
        "{text}"
    );
    assert!(text.contains("access key id:      ASIACONTAINER"), "{text}");
    assert_eq!(server.requests().len(), 1);
    assert_eq!(server.requests()[0].target, "/v1/credentials");
}

#[test]
fn instance_metadata_then_nothing_configured() {
    let imds = imds_server(6 * 3600, false);
    let home = temp_dir("cred-imds");
    let out = Run::new(&["credentials"])
        .clean_env(
            &home,
            &[
                ("AWS_EC2_METADATA_DISABLED", "false"),
                ("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url().as_str()),
            ],
        )
        .output();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with("credentials come from EC2 instance metadata (IMDS)\n"),
        "{text}"
    );
    assert!(
        text.contains("access key id:      ASIATEST000000000001"),
        "{text}"
    );
    assert!(text.contains("expires:            "), "{text}");
    assert!(text.contains("state:              fresh\n"), "{text}");
    assert!(
        text.contains("(in 5 h 59 min)") || text.contains("(in 6 h 0 min)"),
        "{text}"
    );
    // The default policy: refresh 5 minutes (minus up to a minute of jitter) before expiry.
    assert!(
        text.contains("min") && text.contains("before expiry)"),
        "{text}"
    );
    let targets: Vec<String> = imds.requests().iter().map(|r| r.target.clone()).collect();
    assert_eq!(
        targets,
        [
            "/latest/api/token",
            "/latest/meta-data/iam/security-credentials/",
            "/latest/meta-data/iam/security-credentials/test-role"
        ]
    );

    let out = Run::new(&["credentials"])
        .clean_env(&temp_dir("cred-none"), &[])
        .output();
    assert_clean_error(&out, 1, "no credentials");
    let text = stdout(&out);
    assert!(
        text.starts_with("no credential source is configured"),
        "{text}"
    );
    assert!(
        text.contains("disabled by AWS_EC2_METADATA_DISABLED=true"),
        "{text}"
    );
}

#[test]
fn watch_prints_each_rotation() {
    // Credentials that live 4 s; a 2-second refresh window: a rotation every ~2 s.
    let imds = imds_server(4, true);
    let home = temp_dir("cred-watch");
    let out = Run::new(&[
        "credentials",
        "--watch",
        "--watch-limit",
        "2",
        "--refresh-window",
        "2",
        "--mandatory-window",
        "1",
        "--min-refresh-interval",
        "1",
    ])
    .clean_env(
        &home,
        &[
            ("AWS_EC2_METADATA_DISABLED", "false"),
            ("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url().as_str()),
        ],
    )
    .timeout(Duration::from_secs(40))
    .output();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("watching: refreshing when the cache says so"),
        "{text}"
    );
    let rotations: Vec<&str> = text.lines().filter(|l| l.contains("  rotated: ")).collect();
    assert_eq!(rotations.len(), 2, "{text}");
    assert!(
        rotations[0].contains("rotated: ASIATEST000000000001 -> ASIATEST000000000002, expires "),
        "{text}"
    );
    assert!(
        rotations[1].contains("rotated: ASIATEST000000000002 -> ASIATEST000000000003"),
        "{text}"
    );
}

#[test]
fn credentials_bad_flags() {
    let home = temp_dir("cred-flags");
    for (args, needle) in [
        (
            vec!["credentials", "--watch-limit", "2"],
            "--watch-limit only applies with --watch",
        ),
        (
            vec!["credentials", "--refresh-window", "soon"],
            "--refresh-window takes",
        ),
        (
            vec![
                "credentials",
                "--refresh-window",
                "10",
                "--mandatory-window",
                "60",
            ],
            "refresh policy",
        ),
        (
            vec!["credentials", "--min-refresh-interval", "0"],
            "refresh policy",
        ),
        (vec!["credentials", "--nope"], "unknown option"),
        (vec!["credentials", "extra"], "unexpected argument"),
    ] {
        let out = Run::new(&args).clean_env(&home, &[]).output();
        assert_clean_error(&out, 2, needle);
    }
    // An unreadable shared file is an error, not a silent skip.
    let dir = temp_dir("cred-unreadable");
    let out = Run::new(&["credentials"])
        .clean_env(&home, &[("AWS_CONFIG_FILE", dir.to_str().unwrap())])
        .output();
    assert_clean_error(&out, 1, "cannot read");
}
