//! The default chain: AWS order, what each source needs, explanations and trap warnings.

mod support;

use sigfresh::source::chain::{self, ChainPlan};
use sigfresh::source::{
    EntryStatus, Explanation, Outcome, ProcessOutput, Refreshes, Source, SourceError, SourceKind,
    Step, Warning,
};
use support::*;

const AK: (&str, &str) = ("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE");
const SK: (&str, &str) = (
    "AWS_SECRET_ACCESS_KEY",
    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
);
const CONTAINER: (&str, &str) = (
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "/v2/credentials/x",
);
const NO_IMDS: (&str, &str) = ("AWS_EC2_METADATA_DISABLED", "true");

fn plan(env: &[(&str, &str)], creds: Option<&str>, config: Option<&str>) -> ChainPlan {
    chain::plan(&env.to_vec(), creds, config)
}

fn statuses(e: &Explanation) -> Vec<&'static str> {
    e.entries
        .iter()
        .map(|e| match e.status {
            EntryStatus::Skipped(_) => "skipped",
            EntryStatus::Failed(_) => "failed",
            EntryStatus::Selected { .. } => "selected",
            EntryStatus::NotReached => "not reached",
            _ => "?",
        })
        .collect()
}

#[test]
fn order_is_environment_web_identity_profile_container_imds() {
    let kinds: Vec<SourceKind> = plan(&[], None, None)
        .explain()
        .entries
        .into_iter()
        .map(|e| e.kind)
        .collect();
    assert_eq!(
        kinds,
        [
            SourceKind::Environment,
            SourceKind::WebIdentity,
            SourceKind::Profile("default".into()),
            SourceKind::ContainerEndpoint,
            SourceKind::InstanceMetadata
        ]
    );
    let web = [
        ("AWS_WEB_IDENTITY_TOKEN_FILE", "/t"),
        ("AWS_ROLE_ARN", "arn:aws:iam::1:role/w"),
    ];
    let profile = "[default]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = s\n";
    // Remove sources from the front one at a time: the next one wins.
    type Case<'a> = (Vec<(&'a str, &'a str)>, Option<&'a str>, SourceKind);
    let cases: Vec<Case<'_>> = vec![
        (
            vec![AK, SK, web[0], web[1], CONTAINER],
            Some(profile),
            SourceKind::Environment,
        ),
        (
            vec![web[0], web[1], CONTAINER],
            Some(profile),
            SourceKind::WebIdentity,
        ),
        (
            vec![CONTAINER],
            Some(profile),
            SourceKind::Profile("default".into()),
        ),
        (vec![CONTAINER], None, SourceKind::ContainerEndpoint),
        (vec![], None, SourceKind::InstanceMetadata),
    ];
    for (env, creds, want) in cases {
        let e = plan(&env, creds, None).explain();
        assert_eq!(e.winner(), Some(&want), "{e}");
        let at = e.entries.iter().position(|x| x.kind == want).unwrap();
        assert!(statuses(&e)[..at].iter().all(|s| *s == "skipped"), "{e}");
        assert!(
            statuses(&e)[at + 1..].iter().all(|s| *s == "not reached"),
            "{e}"
        );
    }
}

#[test]
fn explanation_says_why_each_source_was_skipped() {
    let e = plan(&[NO_IMDS], None, None).explain();
    assert_eq!(e.winner(), None);
    let text = e.to_string();
    for needle in [
        "no credential source is configured",
        "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set",
        "AWS_WEB_IDENTITY_TOKEN_FILE is not set",
        "no shared credentials or config file",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and _FULL_URI are not set",
        "disabled by AWS_EC2_METADATA_DISABLED=true",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in:\n{text}");
    }
    let mut s = plan(&[NO_IMDS], None, None).into_source();
    start(&mut s, t0());
    assert_eq!(done(&mut s, t0()).unwrap_err(), SourceError::NoCredentials);
}

#[test]
fn environment_keys_shadowing_roles_and_tokens_without_expiry_are_called_out() {
    let env = [AK, SK, ("AWS_SESSION_TOKEN", "IQoJEXAMPLE"), CONTAINER];
    let p = plan(&env, None, None);
    let e = p.explain();
    assert_eq!(e.refreshes(), Some(Refreshes::Never));
    assert_eq!(
        e.warnings,
        [
            Warning::EnvironmentShadows {
                shadowed: vec![SourceKind::ContainerEndpoint, SourceKind::InstanceMetadata]
            },
            Warning::SessionTokenWithoutExpiry {
                source: SourceKind::Environment
            }
        ]
    );
    let text = e.to_string();
    assert!(text.contains("never refreshes"), "{text}");
    assert!(
        text.contains("instance or task role is never used"),
        "{text}"
    );
    assert!(text.contains("no known expiry"), "{text}");
    assert!(
        !text.contains("IQoJEXAMPLE") && !text.contains("EXAMPLEKEY"),
        "{text}"
    );

    // With an expiry the token warning goes away, and the explanation tells when.
    let env = [
        AK,
        SK,
        ("AWS_SESSION_TOKEN", "IQoJEXAMPLE"),
        ("AWS_CREDENTIAL_EXPIRATION", "2023-11-15T00:00:00Z"),
        NO_IMDS,
    ];
    let mut s = plan(&env, None, None).into_source();
    assert!(
        s.warnings().is_empty(),
        "nothing shadowed, token has an expiry"
    );
    start(&mut s, t0());
    done(&mut s, t0()).unwrap();
    let e = s.explain();
    assert_eq!(
        e.expires_at().map(|t| t.to_string()).as_deref(),
        Some("2023-11-15T00:00:00Z")
    );
    assert!(e
        .to_string()
        .contains("credentials expire at 2023-11-15T00:00:00Z"));
}

#[test]
fn broken_sources_are_reported_and_the_chain_goes_on() {
    let env = [
        ("AWS_ACCESS_KEY_ID", "AKIDONLY"),
        ("AWS_WEB_IDENTITY_TOKEN_FILE", "/t"),
        (
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            "http://10.0.0.1/creds",
        ),
    ];
    let e = plan(&env, None, None).explain();
    assert_eq!(
        statuses(&e),
        ["failed", "failed", "skipped", "failed", "selected"]
    );
    assert_eq!(e.winner(), Some(&SourceKind::InstanceMetadata));
    let text = e.to_string();
    assert!(text.contains("AWS_SECRET_ACCESS_KEY"), "{text}");
    assert!(text.contains("AWS_ROLE_ARN"), "{text}");
    assert!(text.contains("not allowed"), "{text}");
    assert!(e.warnings.contains(&Warning::EarlierSourceFailed {
        source: SourceKind::ContainerEndpoint
    }));

    // An explicitly selected profile that does not exist, and a malformed file.
    let e = plan(&[("AWS_PROFILE", "prod")], Some("[dev]\n"), None).explain();
    assert!(matches!(
        &e.entries[2].status,
        EntryStatus::Failed(SourceError::ProfileNotFound { profile }) if profile == "prod"
    ));
    let e = plan(&[], Some("[default\n"), None).explain();
    assert!(e.to_string().contains("line 1"), "{e}");
}

#[test]
fn profile_static_keys_pin_credentials() {
    let creds = "# comment\n[work]\naws_access_key_id = AKIDWORK\naws_secret_access_key = s\naws_session_token = tok\n";
    let mut s = plan(&[("AWS_PROFILE", "work"), NO_IMDS], Some(creds), None).into_source();
    let e = s.explain();
    assert_eq!(e.winner(), Some(&SourceKind::Profile("work".into())));
    assert_eq!(e.refreshes(), Some(Refreshes::Never));
    assert!(e.warnings.contains(&Warning::ProfilePinsCredentials {
        profile: "work".into(),
        file: "shared credentials file".into(),
        line: 3
    }));
    assert!(e.warnings.contains(&Warning::SessionTokenWithoutExpiry {
        source: SourceKind::Profile("work".into())
    }));
    start(&mut s, t0());
    assert_eq!(
        done(&mut s, t0()).unwrap().access_key_id().as_str(),
        "AKIDWORK"
    );
}

#[test]
fn profile_credential_process_is_run_by_the_host() {
    let config = "[profile tool]\ncredential_process = /usr/bin/get-creds --profile x\n";
    let mut s = plan(&[("AWS_PROFILE", "tool"), NO_IMDS], None, Some(config)).into_source();
    assert_eq!(s.explain().refreshes(), Some(Refreshes::Yes));
    start(&mut s, t0());
    let step = s.poll(t0());
    assert!(
        !format!("{step:?}").contains("get-creds"),
        "Debug hides the command line"
    );
    match step {
        Step::RunProcess { command } => assert_eq!(command, "/usr/bin/get-creds --profile x"),
        other => panic!("{other:?}"),
    }
    let out = br#"{"Version":1,"AccessKeyId":"ASIAPROC","SecretAccessKey":"s","SessionToken":"t"}"#;
    s.handle(
        t0(),
        Outcome::Process(Ok(ProcessOutput::new(Some(0), out.to_vec()))),
    );
    assert_eq!(
        done(&mut s, t0()).unwrap().access_key_id().as_str(),
        "ASIAPROC"
    );
    // Discovered at fetch time: a session token without expiry.
    assert!(s.warnings().contains(&Warning::SessionTokenWithoutExpiry {
        source: SourceKind::Profile("tool".into())
    }));

    start(&mut s, t0());
    s.poll(t0());
    s.handle(
        t0(),
        Outcome::Process(Ok(ProcessOutput::new(Some(3), b"oops".to_vec()))),
    );
    let e = done(&mut s, t0()).unwrap_err();
    assert!(e.to_string().contains("exited with 3"), "{e}");
    assert!(s.explain().to_string().contains("the last fetch failed"));
}

#[test]
fn profile_role_arn_with_source_profile_assumes_the_role() {
    let config = "\
[profile base]
region = eu-central-1
[profile mid]
role_arn = arn:aws:iam::123456789012:role/mid
source_profile = base
[profile top]
role_arn = arn:aws:iam::123456789012:role/top
source_profile = mid
region = eu-west-3
role_session_name = dev
";
    let creds = "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = s\n";
    let mut s = plan(
        &[("AWS_PROFILE", "top"), NO_IMDS],
        Some(creds),
        Some(config),
    )
    .into_source();
    let e = s.explain();
    match &e.entries[2].status {
        EntryStatus::Selected { refreshes, detail } => {
            assert_eq!(*refreshes, Refreshes::Yes);
            assert!(
                detail.contains("role/top") && detail.contains("profile \"mid\""),
                "{detail}"
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(
        e.warnings.is_empty(),
        "a source profile's keys are not pinned: {:?}",
        e.warnings
    );
    start(&mut s, t0());
    let r = send(&mut s, t0());
    assert!(String::from_utf8_lossy(&r.body).contains("role%2Fmid"));
    assert!(r
        .header_value("authorization")
        .unwrap()
        .contains("Credential=AKIDBASE/"));
    assert_eq!(r.url.to_string(), "https://sts.eu-west-3.amazonaws.com/");

    // Cycles and missing sources are configuration errors.
    let cyc = "[profile a]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = b\n[profile b]\nrole_arn = arn:aws:iam::1:role/b\nsource_profile = a\n";
    let e = plan(&[("AWS_PROFILE", "a")], None, Some(cyc)).explain();
    assert!(e.to_string().contains("without a cycle"), "{e}");
    let lone = "[default]\nrole_arn = arn:aws:iam::1:role/a\n";
    let e = plan(&[], None, Some(lone)).explain();
    assert!(
        e.to_string()
            .contains("source_profile or credential_source"),
        "{e}"
    );
    let sso = "[default]\nsso_session = corp\n";
    assert!(plan(&[], None, Some(sso))
        .explain()
        .to_string()
        .contains("SSO"));
}

#[test]
fn profile_credential_source_and_web_identity() {
    let config =
        "[default]\nrole_arn = arn:aws:iam::1:role/r\ncredential_source = Ec2InstanceMetadata\n";
    let mut s = plan(&[], None, Some(config)).into_source();
    start(&mut s, t0());
    // The base is IMDS: its token request comes first.
    assert_eq!(path(&send(&mut s, t0())), "/latest/api/token");

    let config =
        "[default]\nrole_arn = arn:aws:iam::1:role/r\nweb_identity_token_file = /var/token\n";
    let mut s = plan(&[], None, Some(config)).into_source();
    start(&mut s, t0());
    assert!(matches!(s.poll(t0()), Step::ReadFile { path } if path == "/var/token"));
}

#[test]
fn web_identity_from_environment_fetches() {
    let env = [
        ("AWS_WEB_IDENTITY_TOKEN_FILE", "/var/run/jwt"),
        ("AWS_ROLE_ARN", "arn:aws:iam::1:role/w"),
        ("AWS_ROLE_SESSION_NAME", "pod"),
        ("AWS_REGION", "ap-southeast-2"),
    ];
    let mut s = plan(&env, None, None).into_source();
    start(&mut s, t0());
    assert!(matches!(s.poll(t0()), Step::ReadFile { .. }));
    s.handle(t0(), Outcome::file(b"jwt".to_vec()));
    let r = send(&mut s, t0());
    assert_eq!(
        r.url.to_string(),
        "https://sts.ap-southeast-2.amazonaws.com/"
    );
    assert!(String::from_utf8_lossy(&r.body).contains("RoleSessionName=pod"));
}

#[test]
fn imds_winner_explains_fetch_and_hop_limit_warning() {
    let mut s = plan(&[], None, None).into_source();
    start(&mut s, t0());
    send(&mut s, t0());
    s.handle(t0(), Outcome::timeout());
    send(&mut s, t0());
    respond(&mut s, t0(), 200, "r");
    send(&mut s, t0());
    respond(&mut s, t0(), 200, &imds_doc("ASIAIMDS"));
    done(&mut s, t0()).unwrap();
    let e = s.explain();
    assert_eq!(e.refreshes(), Some(Refreshes::Yes));
    assert!(e.warnings.contains(&Warning::ImdsHopLimit));
    let text = e.to_string();
    assert!(
        text.contains("credentials expire at 2023-11-15T04:13:20Z"),
        "{text}"
    );
    assert!(
        text.contains("SELECTED (role credentials from http://169.254.169.254/"),
        "{text}"
    );
}
