//! STS machines: web identity (unsigned, token file re-read) and AssumeRole (signed by the
//! core's signer, verified here by the core's verifier), with scripted responses.

mod support;

use sigfresh::credentials::{CredentialSource, Credentials};
use sigfresh::refresh::Failure;
use sigfresh::sigv4::{verify, Payload, SignableRequest, VerifySettings};
use sigfresh::source::{
    AssumeRoleSource, Exchange, HttpRequest, IoFailure, Method, Outcome, ProxyPolicy, RoleSpec,
    Source, SourceError, StaticSource, Step, StsEndpoint, WebIdentitySource,
};
use support::*;

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

fn sts_xml(action: &str, akid: &str) -> String {
    format!(
        r#"<{action}Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <{action}Result>
    <AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/r/s</Arn></AssumedRoleUser>
    <Credentials>
      <AccessKeyId>{akid}</AccessKeyId>
      <SecretAccessKey>{SECRET}</SecretAccessKey>
      <SessionToken>IQoJb3JpZ2luEXAMPLE</SessionToken>
      <Expiration>2023-11-15T00:13:20Z</Expiration>
    </Credentials>
  </{action}Result>
</{action}Response>"#
    )
}

fn body(r: &HttpRequest) -> String {
    String::from_utf8(r.body.clone()).unwrap()
}

#[test]
fn web_identity_reads_the_token_each_fetch_and_posts_unsigned() {
    let mut role = RoleSpec::new("arn:aws:iam::123456789012:role/web");
    role.session_name = Some("my session".into());
    let sts = StsEndpoint::for_region(Some("eu-west-1")).unwrap();
    let mut m = WebIdentitySource::new(role, "/var/run/token", sts);
    for jwt in ["eyJ.first.sig", "eyJ.second.sig"] {
        start(&mut m, t0());
        match m.poll(t0()) {
            Step::ReadFile { path } => assert_eq!(path, "/var/run/token"),
            other => panic!("{other:?}"),
        }
        m.handle(t0(), Outcome::file(format!("{jwt}\n").into_bytes()));
        let r = send(&mut m, t0());
        assert_eq!(r.method, Method::Post);
        assert_eq!(r.url.to_string(), "https://sts.eu-west-1.amazonaws.com/");
        assert_eq!(r.proxy, ProxyPolicy::UseHostSettings);
        assert!(r.header_value("authorization").is_none(), "unsigned");
        let b = body(&r);
        assert!(
            b.starts_with("Action=AssumeRoleWithWebIdentity&Version=2011-06-15&"),
            "{b}"
        );
        assert!(
            b.contains("RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fweb"),
            "{b}"
        );
        assert!(b.contains("RoleSessionName=my%20session"), "{b}");
        assert!(b.ends_with(&format!("WebIdentityToken={jwt}")), "{b}");
        assert!(
            !format!("{r:?}").contains(jwt),
            "Debug never prints the body"
        );
        respond(
            &mut m,
            t0(),
            200,
            &sts_xml("AssumeRoleWithWebIdentity", "ASIAWEB"),
        );
        let c = done(&mut m, t0()).unwrap();
        assert_eq!(c.source(), &CredentialSource::Sts);
        assert_eq!(c.account_id(), Some("123456789012"));
    }
}

#[test]
fn web_identity_errors() {
    let sts = StsEndpoint::for_region(None).unwrap();
    assert_eq!(sts.url.to_string(), "https://sts.amazonaws.com/");
    assert_eq!(sts.region, "us-east-1");
    assert_eq!(
        StsEndpoint::for_region(Some("cn-north-1"))
            .unwrap()
            .url
            .to_string(),
        "https://sts.cn-north-1.amazonaws.com.cn/"
    );
    let mut m = WebIdentitySource::new(RoleSpec::new("arn:aws:iam::1:role/x"), "/t", sts);

    start(&mut m, t0());
    m.poll(t0());
    m.handle(t0(), Outcome::File(Err(IoFailure::NotFound)));
    assert!(matches!(done(&mut m, t0()), Err(SourceError::File { .. })));

    // InvalidIdentityToken (a token read mid-rotation) is retried, then reported.
    let err = r#"<ErrorResponse><Error><Type>Sender</Type><Code>InvalidIdentityToken</Code>
        <Message>Couldn't retrieve verification key</Message></Error></ErrorResponse>"#;
    start(&mut m, t0());
    m.poll(t0());
    m.handle(t0(), Outcome::file(b"jwt".to_vec()));
    let mut at = t0();
    let mut posts = 0;
    let e = loop {
        match m.poll(at) {
            Step::Send(_) => {
                posts += 1;
                respond(&mut m, at, 400, err);
            }
            Step::Wait(t) => at = t,
            Step::Done(r) => break r.unwrap_err(),
            other => panic!("{other:?}"),
        }
    };
    assert_eq!(posts, 3);
    assert!(matches!(
        e,
        SourceError::Exhausted {
            exchange: Exchange::AssumeRoleWithWebIdentity,
            ..
        }
    ));

    // AccessDenied is final, with the code and message.
    let denied = r#"<ErrorResponse><Error><Code>AccessDenied</Code>
        <Message>Not authorized to perform sts:AssumeRoleWithWebIdentity</Message></Error></ErrorResponse>"#;
    start(&mut m, t0());
    m.poll(t0());
    m.handle(t0(), Outcome::file(b"jwt".to_vec()));
    send(&mut m, t0());
    respond(&mut m, t0(), 403, denied);
    let e = done(&mut m, t0()).unwrap_err();
    assert!(e.to_string().contains("AccessDenied"), "{e}");
    assert_eq!(e.failure(), Failure::NonRetryable);
}

#[test]
fn assume_role_is_signed_by_the_core_and_chains_hops() {
    let base = Credentials::builder("AKIDBASE", SECRET).build().unwrap();
    let mut first = RoleSpec::new("arn:aws:iam::123456789012:role/one");
    first.external_id = Some("ext-1".into());
    first.duration_seconds = Some(900);
    let second = RoleSpec::new("arn:aws:iam::123456789012:role/two");
    let sts = StsEndpoint::for_region(Some("us-west-2")).unwrap();
    let mut m = AssumeRoleSource::new(
        Box::new(StaticSource::new(base.clone())),
        vec![first, second],
        sts,
    );
    start(&mut m, t0());

    let check = |r: &HttpRequest, signer: &Credentials| {
        let headers: Vec<(&str, &str)> = r
            .headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let url = r.url.to_string();
        let req = SignableRequest::new("POST", &url, &headers, Payload::Bytes(&r.body));
        let v = verify(
            &req,
            |_| Some(signer.clone()),
            t0(),
            &VerifySettings::default(),
        )
        .expect("the core's verifier accepts the core's signature");
        assert_eq!(v.access_key_id, signer.access_key_id().as_str());
        assert_eq!(
            (v.region.as_str(), v.service.as_str()),
            ("us-west-2", "sts")
        );
    };

    let r1 = send(&mut m, t0());
    assert_eq!(r1.url.to_string(), "https://sts.us-west-2.amazonaws.com/");
    let b = body(&r1);
    assert!(
        b.starts_with("Action=AssumeRole&Version=2011-06-15&RoleArn="),
        "{b}"
    );
    assert!(
        b.contains("ExternalId=ext-1") && b.contains("DurationSeconds=900"),
        "{b}"
    );
    assert!(b.contains("RoleSessionName=sigfresh-1700000000000"), "{b}");
    check(&r1, &base);
    respond(&mut m, t0(), 200, &sts_xml("AssumeRole", "ASIAHOPONE"));

    let r2 = send(&mut m, t0());
    assert!(body(&r2).contains("role%2Ftwo"));
    let hop1 = Credentials::builder("ASIAHOPONE", SECRET)
        .session_token("IQoJb3JpZ2luEXAMPLE")
        .build()
        .unwrap();
    assert_eq!(
        r2.header_value("x-amz-security-token"),
        Some("IQoJb3JpZ2luEXAMPLE"),
        "the second hop signs with the first hop's session"
    );
    check(&r2, &hop1);
    respond(&mut m, t0(), 200, &sts_xml("AssumeRole", "ASIAHOPTWO"));
    assert_eq!(
        done(&mut m, t0()).unwrap().access_key_id().as_str(),
        "ASIAHOPTWO"
    );

    // Throttling is retried; ExpiredToken of the base is final.
    start(&mut m, t0());
    send(&mut m, t0());
    respond(
        &mut m,
        t0(),
        400,
        "<ErrorResponse><Error><Code>Throttling</Code><Message>Rate exceeded</Message></Error></ErrorResponse>",
    );
    assert!(matches!(m.poll(t0()), Step::Wait(_)));
    let mut m = AssumeRoleSource::new(
        Box::new(StaticSource::new(base)),
        vec![RoleSpec::new("arn:aws:iam::1:role/x")],
        StsEndpoint::for_region(None).unwrap(),
    );
    start(&mut m, t0());
    send(&mut m, t0());
    respond(
        &mut m,
        t0(),
        403,
        "<ErrorResponse><Error><Code>ExpiredToken</Code><Message>expired</Message></Error></ErrorResponse>",
    );
    let e = done(&mut m, t0()).unwrap_err();
    assert!(matches!(
        e,
        SourceError::Status {
            exchange: Exchange::AssumeRole,
            status: 403,
            ..
        }
    ));
    assert_eq!(e.failure(), Failure::NonRetryable);
}

/// The endpoint's region follows the shared rule (`source::shared::profile_region`):
/// `AWS_REGION`, then `AWS_DEFAULT_REGION`, then the profile's `region` — the environment
/// before the profile, as in every AWS SDK.
#[test]
fn endpoint_region_follows_the_shared_rule() {
    use sigfresh::document::ProfileSet;
    let files = ProfileSet::parse(None, Some("[default]\nregion = eu-west-1\n")).unwrap();
    let profile = files.profile("default");
    let at = |env: &[(&str, &str)]| {
        let e = StsEndpoint::from_env(&env.to_vec(), profile).unwrap();
        (e.url.to_string(), e.region)
    };
    assert_eq!(
        at(&[("AWS_DEFAULT_REGION", "ap-south-1")]),
        (
            "https://sts.ap-south-1.amazonaws.com/".to_owned(),
            "ap-south-1".to_owned()
        )
    );
    assert_eq!(
        at(&[
            ("AWS_REGION", "us-west-2"),
            ("AWS_DEFAULT_REGION", "ap-south-1")
        ])
        .1,
        "us-west-2"
    );
    assert_eq!(at(&[("AWS_REGION", " ")]).1, "eu-west-1");
    let global = StsEndpoint::from_env(&[("HOME", "/h")], None).unwrap();
    assert_eq!(
        (global.url.to_string(), global.region.as_str()),
        ("https://sts.amazonaws.com/".to_owned(), "us-east-1")
    );
    let overridden = StsEndpoint::from_env(
        &[
            ("AWS_REGION", "us-west-2"),
            ("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:4566"),
        ],
        profile,
    )
    .unwrap();
    assert_eq!(
        (overridden.url.to_string(), overridden.region.as_str()),
        ("http://127.0.0.1:4566/".to_owned(), "us-west-2")
    );
    match StsEndpoint::from_env(&[("AWS_DEFAULT_REGION", "bad/region")], profile) {
        Err(SourceError::Config(c)) => assert_eq!(c.setting, "AWS_DEFAULT_REGION"),
        other => panic!("{other:?}"),
    }
}
