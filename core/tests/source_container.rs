//! Container credentials machine: URL validation (incl. resolved addresses), token precedence,
//! CR/LF refusal, errors and retries, with scripted responses.

mod support;

use sigfresh::credentials::CredentialSource;
use sigfresh::refresh::Failure;
use sigfresh::source::{
    ContainerConfig, ContainerSource, IoFailure, Outcome, Source, SourceError, Step, TokenOrigin,
};
use std::net::IpAddr;
use support::*;

const DOC: &str = r#"{"RoleArn":"arn:aws:iam::123456789012:role/task",
"AccessKeyId":"ASIACONTAINER","SecretAccessKey":"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
"Token":"IQoJb3JpZ2luEXAMPLE","Expiration":"2023-11-15T04:13:20Z"}"#;

fn config(env: &[(&str, &str)]) -> Result<Option<ContainerConfig>, SourceError> {
    ContainerConfig::from_env(&env.to_vec())
}

fn machine(env: &[(&str, &str)]) -> ContainerSource {
    ContainerSource::new(config(env).unwrap().unwrap())
}

fn ips(list: &[&str]) -> Vec<IpAddr> {
    list.iter().map(|s| s.parse().unwrap()).collect()
}

#[test]
fn relative_uri_goes_to_the_ecs_agent_and_wins_over_full_uri() {
    let mut m = machine(&[
        (
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            "http://127.0.0.1:9999/x",
        ),
        (
            "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
            "/v2/credentials/abc",
        ),
    ]);
    start(&mut m, t0());
    let r = send(&mut m, t0());
    assert_eq!(r.url.to_string(), "http://169.254.170.2/v2/credentials/abc");
    assert!(r.header_value("authorization").is_none());
    assert!(r.connect_to.is_empty());
    respond(&mut m, t0(), 200, DOC);
    let c = done(&mut m, t0()).unwrap();
    assert_eq!(c.source(), &CredentialSource::ContainerEndpoint);
    assert_eq!(c.account_id(), Some("123456789012"));
    assert!(config(&[]).unwrap().is_none());
}

#[test]
fn full_uri_rules() {
    for ok in [
        "https://creds.example.com/role",
        "https://10.1.2.3/role",
        "http://127.0.0.1:51679/creds",
        "http://127.9.9.9/creds",
        "http://[::1]:8080/creds",
        "http://169.254.170.2/v2/credentials",
        "http://169.254.170.23/v1/credentials",
        "http://[fd00:ec2::23]/v1/credentials",
        "http://[::ffff:127.0.0.1]/creds",
    ] {
        let c = config(&[("AWS_CONTAINER_CREDENTIALS_FULL_URI", ok)]);
        assert!(matches!(c, Ok(Some(_))), "{ok}: {c:?}");
    }
    for bad in [
        "http://10.0.0.1/creds",
        "http://169.254.169.254/latest",
        "http://169.254.170.3/",
        "http://[fd00:ec2::24]/",
        "http://[2001:db8::1]/",
    ] {
        let c = config(&[("AWS_CONTAINER_CREDENTIALS_FULL_URI", bad)]);
        match c {
            Err(e @ SourceError::UrlNotAllowed { .. }) => {
                assert!(e.to_string().contains("169.254.170.23"), "{e}");
                assert_eq!(e.failure(), Failure::NonRetryable);
            }
            other => panic!("{bad}: {other:?}"),
        }
    }
    assert!(matches!(
        config(&[("AWS_CONTAINER_CREDENTIALS_FULL_URI", "ftp://127.0.0.1/")]),
        Err(SourceError::Config(_))
    ));
}

#[test]
fn host_names_are_resolved_and_every_address_checked() {
    let env = [(
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "http://localhost:8080/creds",
    )];
    let mut m = machine(&env);
    start(&mut m, t0());
    match m.poll(t0()) {
        Step::Resolve { host } => assert_eq!(host, "localhost"),
        other => panic!("{other:?}"),
    }
    m.handle(t0(), Outcome::Resolved(Ok(ips(&["127.0.0.1", "::1"]))));
    let r = send(&mut m, t0());
    assert_eq!(
        r.connect_to,
        ips(&["127.0.0.1", "::1"]),
        "connect only to what was checked"
    );
    assert_eq!(r.url.authority(), "localhost:8080");
    respond(&mut m, t0(), 200, DOC);
    assert!(done(&mut m, t0()).is_ok());

    // Resolved again on the next fetch; one public address spoils it.
    start(&mut m, t0());
    assert!(matches!(m.poll(t0()), Step::Resolve { .. }));
    m.handle(t0(), Outcome::Resolved(Ok(ips(&["127.0.0.1", "10.0.0.5"]))));
    match done(&mut m, t0()) {
        Err(SourceError::UrlNotAllowed { url, .. }) => {
            assert!(url.contains("localhost resolves to 10.0.0.5"), "{url}")
        }
        other => panic!("{other:?}"),
    }

    for answer in [Ok(vec![]), Err(IoFailure::NotFound)] {
        start(&mut m, t0());
        m.poll(t0());
        m.handle(t0(), Outcome::Resolved(answer));
        let e = done(&mut m, t0()).unwrap_err();
        assert!(matches!(e, SourceError::Resolve { .. }), "{e:?}");
        assert_eq!(e.failure(), Failure::SourceUnavailable);
    }

    // https names are not resolved by the machine (TLS authenticates the host).
    let mut m = machine(&[(
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "https://creds.example.com/r",
    )]);
    start(&mut m, t0());
    assert!(matches!(m.poll(t0()), Step::Send(_)));
}

#[test]
fn token_file_wins_and_is_reread_on_every_fetch() {
    let env = [
        (
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            "http://169.254.170.23/v1/credentials",
        ),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "from-env"),
        (
            "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
            "/var/run/secrets/pods.eks.amazonaws.com/serviceaccount/eks-pod-identity-token",
        ),
    ];
    let mut m = machine(&env);
    for (round, token) in ["first-jwt", "rotated-jwt"].into_iter().enumerate() {
        start(&mut m, t0());
        match m.poll(t0()) {
            Step::ReadFile { path } => assert!(path.ends_with("eks-pod-identity-token")),
            other => panic!("round {round}: {other:?}"),
        }
        m.handle(t0(), Outcome::file(token.as_bytes().to_vec()));
        let r = send(&mut m, t0());
        assert_eq!(r.header_value("authorization"), Some(token));
        assert!(!format!("{r:?}").contains(token));
        respond(&mut m, t0(), 200, DOC);
        assert!(done(&mut m, t0()).is_ok());
    }

    let mut m = machine(&env[..2]);
    start(&mut m, t0());
    assert_eq!(
        send(&mut m, t0()).header_value("authorization"),
        Some("from-env")
    );

    let mut m = machine(&[env[0], env[2]]);
    start(&mut m, t0());
    m.poll(t0());
    m.handle(t0(), Outcome::File(Err(IoFailure::NotFound)));
    match done(&mut m, t0()) {
        Err(e @ SourceError::File { .. }) => {
            assert!(e
                .to_string()
                .contains("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"))
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn tokens_with_cr_or_lf_are_refused_before_any_request() {
    let uri = (
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "/v2/credentials/x",
    );
    for (token, offset) in [
        ("abc\n", 3),
        ("abc\r\nX-Injected: 1", 3),
        ("\rabc", 0),
        ("a\u{0}b", 1),
    ] {
        let mut m = machine(&[uri, ("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", "/t")]);
        start(&mut m, t0());
        m.poll(t0());
        m.handle(t0(), Outcome::file(token.as_bytes().to_vec()));
        let e = done(&mut m, t0()).unwrap_err();
        assert_eq!(
            e,
            SourceError::InvalidAuthorizationToken {
                origin: TokenOrigin::File,
                offset
            },
            "{token:?}"
        );
        assert!(
            !e.to_string().contains("abc"),
            "the token is never echoed: {e}"
        );

        let mut m = machine(&[uri, ("AWS_CONTAINER_AUTHORIZATION_TOKEN", token)]);
        start(&mut m, t0());
        assert_eq!(
            done(&mut m, t0()).unwrap_err(),
            SourceError::InvalidAuthorizationToken {
                origin: TokenOrigin::Environment,
                offset
            }
        );
    }
    let mut m = machine(&[uri, ("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", "/t")]);
    start(&mut m, t0());
    m.poll(t0());
    m.handle(t0(), Outcome::file(vec![b'o', b'k', 0xff]));
    assert!(matches!(
        done(&mut m, t0()),
        Err(SourceError::InvalidAuthorizationToken { offset: 2, .. })
    ));
}

#[test]
fn errors_and_retries() {
    let uri = [(
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "/v2/credentials/x",
    )];
    let mut m = machine(&uri);
    start(&mut m, t0());
    send(&mut m, t0());
    respond(
        &mut m,
        t0(),
        403,
        r#"{"code":"AccessDeniedException","message":"Token is not valid"}"#,
    );
    match done(&mut m, t0()).unwrap_err() {
        SourceError::Status {
            status: 403,
            code,
            message,
            failure,
            ..
        } => {
            assert_eq!(code.as_deref(), Some("AccessDeniedException"));
            assert_eq!(message.as_deref(), Some("Token is not valid"));
            assert_eq!(failure, Failure::NonRetryable);
        }
        other => panic!("{other:?}"),
    }

    start(&mut m, t0());
    send(&mut m, t0());
    respond(&mut m, t0(), 500, "");
    let t = wait(&mut m, t0());
    send(&mut m, t);
    m.handle(t, Outcome::timeout());
    let t = wait(&mut m, t);
    send(&mut m, t);
    respond(&mut m, t, 200, DOC);
    assert!(done(&mut m, t).is_ok());

    start(&mut m, t0());
    send(&mut m, t0());
    respond(
        &mut m,
        t0(),
        200,
        r#"{"code":"ThrottlingException","message":"slow"}"#,
    );
    assert_eq!(
        done(&mut m, t0()).unwrap_err().failure(),
        Failure::Throttled { retry_after: None }
    );
}
