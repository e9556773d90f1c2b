//! `sigfresh credentials`, `curl` and `sign` against AWS's amazon-ec2-metadata-mock (AEMM),
//! an IMDS emulator we did not write, on 127.0.0.1. Installed by
//! tests/imds/install-emulator.sh; skipped loudly when missing unless SIGFRESH_REQUIRE_EMULATOR
//! is set (CI), where a missing emulator fails.

mod support;

use sigfresh::credentials::Credentials;
use support::emulator::{find_aemm, require, start_aemm, Emulator};
use support::{now, stderr, stdout, temp_dir, verify_req, Resp, Run, TestServer};

const AKID: &str = "ASIASIGFRESHEMULATOR";
const SECRET: &str = "sigfreshEmulatorSecretKey/EXAMPLEKEY";
const TOKEN: &str = "sigfreshEmulatorSessionToken";

fn aemm(imdsv2_only: bool) -> Option<Emulator> {
    let bin = require("amazon-ec2-metadata-mock (ec2-metadata-mock)", find_aemm())?;
    Some(start_aemm(&bin, imdsv2_only))
}

fn env_for(e: &Emulator) -> [(&'static str, String); 2] {
    [
        ("AWS_EC2_METADATA_DISABLED", "false".to_owned()),
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", e.endpoint()),
    ]
}

#[test]
fn credentials_from_aemm_imdsv2_only() {
    let Some(emu) = aemm(true) else { return };
    let home = temp_dir("emu-credentials");
    let env = env_for(&emu);
    let vars: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let out = Run::new(&["credentials"]).clean_env(&home, &vars).output();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with("credentials come from EC2 instance metadata (IMDS)\n"),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "5. EC2 instance metadata (IMDS): SELECTED (role credentials from {}/",
            emu.endpoint()
        )),
        "{text}"
    );
    assert!(
        text.contains("credentials expire at 2099-01-01T00:00:00Z"),
        "{text}"
    );
    assert!(
        text.contains(&format!("access key id:      {AKID}\n")),
        "{text}"
    );
    assert!(
        text.contains("secret access key:  ******** (36 characters, masked)"),
        "{text}"
    );
    assert!(
        text.contains("next refresh:       2098-12-31T23:5"),
        "{text}"
    );
    assert!(
        !text.contains(SECRET) && !text.contains(TOKEN),
        "secrets masked: {text}"
    );
}

#[test]
fn curl_and_sign_with_aemm_credentials() {
    let Some(emu) = aemm(false) else { return };
    let creds = || {
        Credentials::builder(AKID, SECRET)
            .session_token(TOKEN)
            .build()
            .unwrap()
    };
    let api = TestServer::start(move |req, _| {
        match verify_req(req, |id| (id == AKID).then(creds), now()) {
            Ok(akid) => Resp::new(200, format!("verified {akid}")),
            Err(e) => Resp::new(403, e.to_string()),
        }
    });
    let home = temp_dir("emu-curl");
    let env = env_for(&emu);
    let vars: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let url = format!("{}/v1/things?limit=5", api.url());
    let out = Run::new(&[
        "curl",
        "GET",
        url.as_str(),
        "--service",
        "execute-api",
        "--region",
        "us-east-1",
    ])
    .clean_env(&home, &vars)
    .output();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), format!("verified {AKID}"));
    assert_eq!(
        api.requests()[0].header("x-amz-security-token"),
        Some(TOKEN)
    );

    // `sign` with no credential flags takes the same chain.
    let out = Run::new(&[
        "sign",
        "-",
        "--region",
        "us-east-1",
        "--service",
        "s3",
        "--print",
        "authorization",
    ])
    .stdin(b"GET https://bucket.s3.amazonaws.com/k HTTP/1.1\n\n")
    .clean_env(&home, &vars)
    .output();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).starts_with(&format!("AWS4-HMAC-SHA256 Credential={AKID}/")),
        "{}",
        stdout(&out)
    );
}
