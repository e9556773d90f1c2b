//! IMDS machine: every branch with scripted responses.

mod support;

use core::time::Duration;
use sigfresh::credentials::CredentialSource;
use sigfresh::document::ProfileSet;
use sigfresh::refresh::{Failure, Jitter};
use sigfresh::source::{
    EndpointMode, Exchange, ImdsConfig, ImdsSource, LastAttempt, Method, Outcome, ProxyPolicy,
    Source, SourceError, Step, TransportError, V1Fallback, Warning,
};
use support::*;

const TOKEN_PATH: &str = "/latest/api/token";
const ROLE_PATH: &str = "/latest/meta-data/iam/security-credentials/";
const CREDS_PATH: &str = "/latest/meta-data/iam/security-credentials/web-role";

fn machine() -> ImdsSource {
    ImdsSource::new(ImdsConfig::default())
}

fn v1_disabled() -> ImdsSource {
    let mut c = ImdsConfig::default();
    c.v1_fallback = V1Fallback::Disabled;
    ImdsSource::new(c)
}

/// Token, role and credentials, all answered with 200.
fn happy_fetch(m: &mut ImdsSource, token: &str, akid: &str) {
    let now = t0();
    start(m, now);
    let put = send(m, now);
    assert_eq!((put.method, path(&put)), (Method::Put, TOKEN_PATH));
    respond(m, now, 200, token);
    let role = send(m, now);
    assert_eq!(path(&role), ROLE_PATH);
    respond(m, now, 200, "web-role\nother-role\n");
    let get = send(m, now);
    assert_eq!(path(&get), CREDS_PATH);
    respond(m, now, 200, &imds_doc(akid));
    let c = done(m, now).unwrap();
    assert_eq!(c.access_key_id().as_str(), akid);
}

#[test]
fn v2_fetch_sends_the_documented_requests() {
    let mut m = machine();
    let now = t0();
    start(&mut m, now);
    let put = send(&mut m, now);
    assert_eq!(put.method, Method::Put);
    assert_eq!(
        put.url.to_string(),
        "http://169.254.169.254/latest/api/token"
    );
    assert_eq!(
        put.header_value("x-aws-ec2-metadata-token-ttl-seconds"),
        Some("21600")
    );
    assert_eq!(put.timeout, Duration::from_secs(1));
    assert_eq!(put.proxy, ProxyPolicy::Bypass);
    assert!(put.header_value("x-aws-ec2-metadata-token").is_none());
    respond(&mut m, now, 200, "TOKEN-1\n");

    let role = send(&mut m, now);
    assert_eq!((role.method, path(&role)), (Method::Get, ROLE_PATH));
    assert_eq!(
        role.header_value("x-aws-ec2-metadata-token"),
        Some("TOKEN-1")
    );
    assert!(
        !format!("{role:?}").contains("TOKEN-1"),
        "Debug redacts the token"
    );
    respond(&mut m, now, 200, "web-role\r\nsecond-line-ignored");

    let get = send(&mut m, now);
    assert_eq!(path(&get), CREDS_PATH);
    assert_eq!(
        get.header_value("x-aws-ec2-metadata-token"),
        Some("TOKEN-1")
    );
    respond(&mut m, now, 200, &imds_doc("ASIAFIRST"));
    let c = done(&mut m, now).unwrap();
    assert_eq!(c.source(), &CredentialSource::InstanceMetadata);
    assert!(m.warnings().is_empty());
    // Done is sticky until the next start.
    assert!(done(&mut m, now).is_ok());
}

#[test]
fn token_and_role_are_reused_by_the_next_fetch_and_token_renewed_before_ttl() {
    let mut m = machine();
    let now = t0();
    start(&mut m, now);
    send(&mut m, now);
    // IMDS may grant less than asked: the granted TTL (300 s) rules.
    respond_with(
        &mut m,
        now,
        200,
        &[("X-aws-ec2-metadata-token-ttl-seconds", "300")],
        "TOKEN-1",
    );
    send(&mut m, now);
    respond(&mut m, now, 200, "web-role");
    send(&mut m, now);
    respond(&mut m, now, 200, &imds_doc("ASIAFIRST"));
    done(&mut m, now).unwrap();
    assert_eq!(m.role_name(), Some("web-role"));

    // 179 s later: 121 s left, still used; straight to the credentials GET.
    let later = now.offset_millis(179_000);
    assert!(m.has_usable_token(later));
    start(&mut m, later);
    let get = send(&mut m, later);
    assert_eq!(path(&get), CREDS_PATH);
    assert_eq!(
        get.header_value("x-aws-ec2-metadata-token"),
        Some("TOKEN-1")
    );
    respond(&mut m, later, 200, &imds_doc("ASIASECOND"));
    done(&mut m, later).unwrap();

    // 180 s later: within 120 s of expiry, renewed first.
    let renew = now.offset_millis(180_000);
    assert!(!m.has_usable_token(renew));
    start(&mut m, renew);
    assert_eq!(path(&send(&mut m, renew)), TOKEN_PATH);
    respond(&mut m, renew, 200, "TOKEN-2");
    let get = send(&mut m, renew);
    assert_eq!(path(&get), CREDS_PATH, "the role name is still known");
    assert_eq!(
        get.header_value("x-aws-ec2-metadata-token"),
        Some("TOKEN-2")
    );

    // A clock that went back before the token was obtained also renews it.
    assert!(!m.has_usable_token(now.offset_millis(-1)));
}

#[test]
fn unauthorized_gets_a_new_token_and_retries_once() {
    let mut m = machine();
    happy_fetch(&mut m, "TOKEN-1", "ASIAFIRST");
    let now = t0().offset_millis(60_000);
    start(&mut m, now);
    let get = send(&mut m, now);
    assert_eq!(
        get.header_value("x-aws-ec2-metadata-token"),
        Some("TOKEN-1")
    );
    respond(&mut m, now, 401, "");
    assert_eq!(path(&send(&mut m, now)), TOKEN_PATH);
    respond(&mut m, now, 200, "TOKEN-2");
    let retry = send(&mut m, now);
    assert_eq!(path(&retry), CREDS_PATH);
    assert_eq!(
        retry.header_value("x-aws-ec2-metadata-token"),
        Some("TOKEN-2")
    );
    respond(&mut m, now, 200, &imds_doc("ASIASECOND"));
    assert!(done(&mut m, now).is_ok());

    // A second 401 with a fresh token is final.
    start(&mut m, now);
    send(&mut m, now);
    respond(&mut m, now, 401, "");
    send(&mut m, now);
    respond(&mut m, now, 200, "TOKEN-3");
    send(&mut m, now);
    respond(&mut m, now, 401, "");
    let e = done(&mut m, now).unwrap_err();
    assert_eq!(e, SourceError::ImdsUnauthorized);
    assert_eq!(e.failure(), Failure::NonRetryable);
}

#[test]
fn v1_fallback_only_on_403_404_405() {
    for status in [403, 404, 405] {
        let mut m = machine();
        let now = t0();
        start(&mut m, now);
        send(&mut m, now);
        respond(&mut m, now, status, "");
        let role = send(&mut m, now);
        assert_eq!(path(&role), ROLE_PATH);
        assert!(
            role.header_value("x-aws-ec2-metadata-token").is_none(),
            "IMDSv1 after {status}"
        );
        respond(&mut m, now, 200, "web-role");
        let get = send(&mut m, now);
        assert!(get.header_value("x-aws-ec2-metadata-token").is_none());
        respond(&mut m, now, 200, &imds_doc("ASIAV1"));
        assert!(done(&mut m, now).is_ok());
        assert!(
            m.warnings().is_empty(),
            "no hop-limit warning after {status}"
        );

        // With v1 disabled, the same answer is final.
        let mut m = v1_disabled();
        start(&mut m, now);
        send(&mut m, now);
        respond(&mut m, now, status, "");
        let e = done(&mut m, now).unwrap_err();
        assert_eq!(
            e,
            SourceError::ImdsV1Disabled {
                token_status: Some(status)
            }
        );
        assert_eq!(e.failure(), Failure::NonRetryable);
    }
}

#[test]
fn token_400_is_fatal_and_other_4xx_are_not_fallbacks() {
    let mut m = machine();
    let now = t0();
    start(&mut m, now);
    send(&mut m, now);
    respond(&mut m, now, 400, "<html>400 - Bad Request</html>");
    let e = done(&mut m, now).unwrap_err();
    assert_eq!(e, SourceError::ImdsTokenBadRequest);
    assert_eq!(e.failure(), Failure::NonRetryable);

    start(&mut m, now);
    send(&mut m, now);
    respond(&mut m, now, 401, "");
    assert!(matches!(
        done(&mut m, now),
        Err(SourceError::Status {
            exchange: Exchange::ImdsToken,
            status: 401,
            ..
        })
    ));
}

#[test]
fn token_timeout_then_working_gets_warns_about_the_hop_limit() {
    let mut m = machine();
    let now = t0();
    start(&mut m, now);
    assert_eq!(path(&send(&mut m, now)), TOKEN_PATH);
    m.handle(now, Outcome::timeout());
    // No retry of the PUT: straight to IMDSv1.
    let role = send(&mut m, now);
    assert_eq!(path(&role), ROLE_PATH);
    assert!(role.header_value("x-aws-ec2-metadata-token").is_none());
    respond(&mut m, now, 200, "web-role");
    send(&mut m, now);
    respond(&mut m, now, 200, &imds_doc("ASIAHOP"));
    assert!(done(&mut m, now).is_ok());
    assert_eq!(m.warnings(), &[Warning::ImdsHopLimit]);
    let text = m.warnings()[0].to_string();
    assert!(text.contains("hop limit"), "{text}");
    assert!(
        text.contains("aws ec2 modify-instance-metadata-options")
            && text.contains("--http-put-response-hop-limit 2"),
        "{text}"
    );
    // The warning belongs to that fetch only.
    start(&mut m, now);
    assert!(m.warnings().is_empty());
}

#[test]
fn token_timeout_with_v2_required_is_the_hop_limit_error() {
    let mut m = machine();
    let now = t0();
    start(&mut m, now);
    send(&mut m, now);
    m.handle(now, Outcome::timeout());
    send(&mut m, now);
    respond(&mut m, now, 401, "");
    let e = done(&mut m, now).unwrap_err();
    assert_eq!(e, SourceError::ImdsHopLimit);
    assert!(e.to_string().contains("--http-put-response-hop-limit 2"));
}

#[test]
fn token_timeout_with_v1_disabled_retries_then_explains() {
    let mut m = v1_disabled();
    let now = t0();
    start(&mut m, now);
    send(&mut m, now);
    m.handle(now, Outcome::timeout());
    let until = wait(&mut m, now);
    assert_eq!(until, now.offset_millis(250));
    assert_eq!(path(&send(&mut m, until)), TOKEN_PATH);
    m.handle(until, Outcome::timeout());
    let until = wait(&mut m, until);
    send(&mut m, until);
    m.handle(until, Outcome::timeout());
    let e = done(&mut m, until).unwrap_err();
    assert_eq!(e, SourceError::ImdsV1Disabled { token_status: None });
    assert!(e.to_string().contains("hop-limit 2"), "{e}");
}

#[test]
fn role_change_404_rediscovers_the_role_once() {
    let mut m = machine();
    happy_fetch(&mut m, "TOKEN-1", "ASIAFIRST");
    let now = t0().offset_millis(60_000);
    start(&mut m, now);
    assert_eq!(path(&send(&mut m, now)), CREDS_PATH);
    respond(&mut m, now, 404, "");
    assert_eq!(path(&send(&mut m, now)), ROLE_PATH);
    respond(&mut m, now, 200, "new-role");
    let get = send(&mut m, now);
    assert_eq!(
        path(&get),
        "/latest/meta-data/iam/security-credentials/new-role"
    );
    respond(&mut m, now, 200, &imds_doc("ASIANEW"));
    assert_eq!(
        done(&mut m, now).unwrap().access_key_id().as_str(),
        "ASIANEW"
    );
    assert_eq!(m.role_name(), Some("new-role"));

    // 404 again right after re-discovery: final (retryable later).
    start(&mut m, now);
    send(&mut m, now);
    respond(&mut m, now, 404, "");
    send(&mut m, now);
    respond(&mut m, now, 200, "new-role");
    send(&mut m, now);
    respond(&mut m, now, 404, "");
    let e = done(&mut m, now).unwrap_err();
    assert!(matches!(
        e,
        SourceError::Status {
            exchange: Exchange::ImdsCredentials,
            status: 404,
            ..
        }
    ));
    assert_eq!(e.failure(), Failure::Retryable);
}

#[test]
fn no_role_attached() {
    for (status, body) in [(404, ""), (200, ""), (200, "\n \n")] {
        let mut m = machine();
        let now = t0();
        start(&mut m, now);
        send(&mut m, now);
        respond(&mut m, now, 200, "T");
        send(&mut m, now);
        respond(&mut m, now, status, body);
        let e = done(&mut m, now).unwrap_err();
        assert_eq!(e, SourceError::ImdsNoRole, "{status} {body:?}");
        assert!(e.to_string().contains("instance profile"));
    }
    // A role name that could escape the path is refused.
    let mut m = machine();
    let now = t0();
    start(&mut m, now);
    send(&mut m, now);
    respond(&mut m, now, 200, "T");
    send(&mut m, now);
    respond(&mut m, now, 200, "../../admin");
    assert!(matches!(
        done(&mut m, now),
        Err(SourceError::InvalidResponse { .. })
    ));
}

#[test]
fn retries_with_backoff_until_attempts_are_exhausted() {
    let mut m = machine();
    let now = t0();
    start(&mut m, now);
    send(&mut m, now);
    respond(&mut m, now, 200, "T");
    send(&mut m, now);
    respond(&mut m, now, 503, "");
    let t1 = wait(&mut m, now);
    assert_eq!(t1, now.offset_millis(250));
    // Polling early keeps waiting.
    assert_eq!(wait(&mut m, now.offset_millis(100)), t1);
    send(&mut m, t1);
    respond(&mut m, t1, 500, "");
    let t2 = wait(&mut m, t1);
    assert_eq!(t2, t1.offset_millis(500));
    send(&mut m, t2);
    respond(&mut m, t2, 502, "");
    let e = done(&mut m, t2).unwrap_err();
    assert_eq!(
        e,
        SourceError::Exhausted {
            exchange: Exchange::ImdsRoleName,
            attempts: 3,
            last: LastAttempt::Status(502),
            retry_after: None
        }
    );
    assert_eq!(e.failure(), Failure::Retryable);

    // Transport errors: the source is unavailable. 429: throttled.
    for (outcome, failure) in [
        (
            TransportError::Connect("refused".into()),
            Failure::SourceUnavailable,
        ),
        (
            TransportError::Io("reset".into()),
            Failure::SourceUnavailable,
        ),
    ] {
        let mut m = machine();
        start(&mut m, now);
        let mut at = now;
        loop {
            match m.poll(at) {
                Step::Send(_) => m.handle(at, Outcome::Http(Err(outcome.clone()))),
                Step::Wait(t) => at = t,
                Step::Done(r) => {
                    assert_eq!(r.unwrap_err().failure(), failure);
                    break;
                }
                other => panic!("{other:?}"),
            }
        }
    }
    let mut m = machine();
    start(&mut m, now);
    let mut at = now;
    let mut sent = 0;
    let e = loop {
        match m.poll(at) {
            Step::Send(_) => {
                sent += 1;
                respond_with(&mut m, at, 429, &[("Retry-After", "7")], "");
            }
            Step::Wait(t) => at = t,
            Step::Done(r) => break r.unwrap_err(),
            other => panic!("{other:?}"),
        }
    };
    assert_eq!(sent, 3);
    assert_eq!(
        e.failure(),
        Failure::Throttled {
            retry_after: Some(Duration::from_secs(7))
        }
    );
}

#[test]
fn jitter_shortens_backoff_by_at_most_half() {
    let mut m = machine();
    let now = t0();
    m.start(now, Jitter::MAX);
    send(&mut m, now);
    respond(&mut m, now, 500, "");
    let t = wait(&mut m, now);
    assert!(
        t > now.offset_millis(125) && t <= now.offset_millis(250),
        "{t}"
    );
}

#[test]
fn bad_json_is_retried_then_reported() {
    let mut m = machine();
    let now = t0();
    start(&mut m, now);
    send(&mut m, now);
    respond(&mut m, now, 200, "T");
    send(&mut m, now);
    respond(&mut m, now, 200, "web-role");
    let mut at = now;
    let mut gets = 0;
    let e = loop {
        match m.poll(at) {
            Step::Send(r) => {
                assert_eq!(path(&r), CREDS_PATH);
                gets += 1;
                respond(&mut m, at, 200, r#"{"AccessKeyId": "ASIA", "#);
            }
            Step::Wait(t) => at = t,
            Step::Done(r) => break r.unwrap_err(),
            other => panic!("{other:?}"),
        }
    };
    assert_eq!(gets, 3);
    match &e {
        SourceError::Exhausted {
            exchange: Exchange::ImdsCredentials,
            last: LastAttempt::Invalid(detail),
            ..
        } => assert!(detail.contains("IMDS credentials"), "{detail}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(e.failure(), Failure::Retryable);
}

#[test]
fn code_not_success_is_a_document_error() {
    for (code, failure) in [
        ("AssumeRoleUnauthorizedAccess", Failure::NonRetryable),
        ("InternalFailure", Failure::Retryable),
        ("Throttling", Failure::Throttled { retry_after: None }),
    ] {
        let mut m = machine();
        let now = t0();
        start(&mut m, now);
        send(&mut m, now);
        respond(&mut m, now, 200, "T");
        send(&mut m, now);
        respond(&mut m, now, 200, "web-role");
        send(&mut m, now);
        let body = format!(r#"{{"Code":"{code}","Message":"denied","LastUpdated":"x"}}"#);
        respond(&mut m, now, 200, &body);
        let e = done(&mut m, now).unwrap_err();
        assert!(
            matches!(
                &e,
                SourceError::Document {
                    exchange: Exchange::ImdsCredentials,
                    ..
                }
            ),
            "{e:?}"
        );
        assert!(e.to_string().contains(code), "{e}");
        assert_eq!(e.failure(), failure, "{code}");
    }
}

#[test]
fn misuse_is_an_error_not_a_panic() {
    let mut m = machine();
    assert_eq!(done(&mut m, t0()).unwrap_err(), SourceError::NotStarted);
    start(&mut m, t0());
    send(&mut m, t0());
    m.handle(t0(), Outcome::file(b"x".to_vec()));
    assert!(matches!(
        done(&mut m, t0()),
        Err(SourceError::UnexpectedOutcome { .. })
    ));
}

#[test]
fn config_from_env_and_profile() {
    let none: [(&str, &str); 0] = [];
    let c = ImdsConfig::from_env(&none, None).unwrap();
    assert_eq!(c, ImdsConfig::default());
    assert_eq!(c.endpoint.to_string(), "http://169.254.169.254/");
    assert_eq!(c.retry.max_attempts, 3);

    let config = "\
[profile dev]
ec2_metadata_service_endpoint_mode = IPv6
metadata_service_timeout = 3
metadata_service_num_attempts = 5
ec2_metadata_v1_disabled = true
";
    let set = ProfileSet::parse(None, Some(config)).unwrap();
    let dev = set.profile("dev");
    let c = ImdsConfig::from_env(&none, dev).unwrap();
    assert_eq!(c.endpoint, EndpointMode::IPv6.endpoint());
    assert_eq!(c.endpoint.to_string(), "http://[fd00:ec2::254]/");
    assert_eq!(c.timeout, Duration::from_secs(3));
    assert_eq!(c.retry.max_attempts, 5);
    assert_eq!(c.v1_fallback, V1Fallback::Disabled);

    // The environment wins over the profile; the endpoint wins over the mode.
    let env = [
        (
            "AWS_EC2_METADATA_SERVICE_ENDPOINT",
            "http://127.0.0.1:1338/",
        ),
        ("AWS_METADATA_SERVICE_TIMEOUT", "0.5"),
        ("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "1"),
        ("AWS_EC2_METADATA_V1_DISABLED", "false"),
    ];
    let c = ImdsConfig::from_env(&env, dev).unwrap();
    assert_eq!(c.endpoint.to_string(), "http://127.0.0.1:1338/");
    assert_eq!(c.timeout, Duration::from_millis(500));
    assert_eq!(c.retry.max_attempts, 1);
    assert_eq!(c.v1_fallback, V1Fallback::Allowed);
    let mut m = ImdsSource::new(c);
    start(&mut m, t0());
    let put = send(&mut m, t0());
    assert_eq!(
        put.url.to_string(),
        "http://127.0.0.1:1338/latest/api/token"
    );
    assert_eq!(put.timeout, Duration::from_millis(500));
    respond(&mut m, t0(), 500, "");
    assert!(matches!(
        done(&mut m, t0()),
        Err(SourceError::Exhausted { attempts: 1, .. })
    ));

    assert_eq!(
        ImdsConfig::from_env(&[("AWS_EC2_METADATA_DISABLED", "TRUE")], None).unwrap_err(),
        SourceError::ImdsDisabled
    );
    for (var, value) in [
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "IPv5"),
        ("AWS_METADATA_SERVICE_TIMEOUT", "soon"),
        ("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "0"),
        ("AWS_EC2_METADATA_V1_DISABLED", "yes"),
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", "169.254.169.254"),
    ] {
        match ImdsConfig::from_env(&[(var, value)], None) {
            Err(SourceError::Config(e)) => {
                assert_eq!(e.setting, var);
                assert!(e.to_string().contains("environment"), "{e}");
            }
            other => panic!("{var}={value}: {other:?}"),
        }
    }
    let bad = ProfileSet::parse(None, Some("[default]\nmetadata_service_timeout = -1\n")).unwrap();
    let e = ImdsConfig::from_env(&none, bad.profile("default")).unwrap_err();
    assert!(
        e.to_string().contains("metadata_service_timeout")
            && e.to_string().contains("config file line 2"),
        "{e}"
    );
}
