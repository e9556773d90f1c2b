//! No `Debug`, `{:#?}` or `Display` output of any public core type that can hold or derive from
//! a secret shows the secret access key or the session token: neither whole, nor any 12-byte
//! window of them, nor (for the token) any 12-byte window of its percent-encoded form.
//!
//! Every value below is built from documents, environments, profiles, requests and responses
//! that carry [`SECRET`] and [`TOKEN`] (or the web identity token [`WEB_TOKEN`] / the container
//! authorization token [`AUTH_TOKEN`]).

use core::fmt::{Debug, Display};
use sigfresh::classify::{classify, ErrorResponse};
use sigfresh::credentials::{CredentialSource, Credentials};
use sigfresh::document::{
    parse_any, parse_container, parse_env, parse_imds, parse_process, parse_sso, parse_sts,
    DocumentError, ProfileSet,
};
use sigfresh::refresh::{Access, CredentialCache, Failure, Jitter, RefreshPolicy};
use sigfresh::sigv4::{
    verify, Payload, SessionTokenMode, SignableRequest, Signer, SigningSettings, VerifySettings,
};
use sigfresh::source::{
    chain, AssumeRoleSource, AuthToken, ContainerConfig, ContainerSource, FileContents,
    HttpResponse, ImdsConfig, ImdsSource, Outcome, ProcessOutput, ProcessSource, RoleSpec, Source,
    StaticSource, Step, StsEndpoint, WebIdentitySource,
};
use sigfresh::time::Timestamp;

/// 40 characters like a real secret access key (base64 alphabet, with `/` and `+`).
const SECRET: &str = "sEcReTkEy/0123456789+ABCDEFGHIJKLMNOPQRS";
/// A session token with characters that percent-encoding changes (`/`, `+`, `=`).
const TOKEN: &str = "IQoJb3JpZ2luX2VjTOKEN//////////wEaCXVzLWVhc3QtMSJHMEUCIQD+tokenBODY/with=padding0123456789abcdefXYZ";
/// A web identity (OIDC) token, sent in an STS request body.
const WEB_TOKEN: &str =
    "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ3ZWJpZGVudGl0eXNlY3JldCJ9.c2lnbmF0dXJlV0VCVE9LRU4";
/// A container authorization token.
const AUTH_TOKEN: &str = "ContainerAuthTokenSecretValue0123456789";

fn t0() -> Timestamp {
    Timestamp::from_unix_seconds(1_700_000_000)
}

/// RFC 3986 unreserved characters stay; everything else becomes `%XX` (as SigV4 encodes).
fn percent_encoded(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The 12-byte windows that must never appear in output.
fn windows() -> Vec<(String, &'static str)> {
    let mut w = Vec::new();
    let encoded = percent_encoded(TOKEN);
    for (name, s) in [
        ("secret", SECRET.to_owned()),
        ("token", TOKEN.to_owned()),
        ("encoded token", encoded),
        ("web identity token", WEB_TOKEN.to_owned()),
        ("container token", AUTH_TOKEN.to_owned()),
    ] {
        for i in 0..=s.len() - 12 {
            w.push((s[i..i + 12].to_owned(), name));
        }
    }
    w
}

fn assert_clean_text(what: &str, text: &str) {
    for (window, name) in windows() {
        assert!(
            !text.contains(&window),
            "{what} shows part of the {name} ({window:?}):\n{text}"
        );
    }
}

fn debug<T: Debug + ?Sized>(what: &str, v: &T) {
    assert_clean_text(&format!("{what} {{:?}}"), &format!("{v:?}"));
    assert_clean_text(&format!("{what} {{:#?}}"), &format!("{v:#?}"));
}

fn both<T: Debug + Display + ?Sized>(what: &str, v: &T) {
    debug(what, v);
    assert_clean_text(&format!("{what} {{}}"), &format!("{v}"));
}

fn creds() -> Credentials {
    Credentials::builder("ASIAEXAMPLEKEYID", SECRET)
        .session_token(TOKEN)
        .expiry(t0().offset_millis(3_600_000))
        .account_id("123456789012")
        .source(CredentialSource::Profile("dev".into()))
        .build()
        .unwrap()
}

#[test]
fn the_patterns_are_meaningful() {
    // The checks would be vacuous if the redacted forms or field names overlapped the secrets.
    assert!(windows().len() > 200);
    let c = creds();
    assert_eq!(c.secret_access_key().expose_secret(), SECRET);
    assert_eq!(c.session_token().unwrap().expose_secret(), TOKEN);
    let leak = std::panic::catch_unwind(|| assert_clean_text("probe", &format!("x{TOKEN}y")));
    assert!(leak.is_err(), "the check finds a token");
    let leak =
        std::panic::catch_unwind(|| assert_clean_text("probe", &percent_encoded(&TOKEN[20..])));
    assert!(leak.is_err(), "the check finds an encoded part of a token");
}

#[test]
fn credentials_builder_and_parts() {
    let c = creds();
    debug("Credentials", &c);
    both("SecretAccessKey", c.secret_access_key());
    both("SessionToken", c.session_token().unwrap());
    debug("Option<&SessionToken>", &c.session_token());
    let b = Credentials::builder("ASIAEXAMPLEKEYID", SECRET).session_token(TOKEN);
    debug("CredentialsBuilder", &b);
    // Validation errors name the field and offset, never the value.
    let e = Credentials::builder("ASIAEXAMPLEKEYID", format!("{SECRET} tail"))
        .build()
        .unwrap_err();
    both("CredentialsError (secret)", &e);
    let e = Credentials::builder("ASIAEXAMPLEKEYID", SECRET)
        .session_token(format!("{TOKEN}\u{7f}"))
        .build()
        .unwrap_err();
    both("CredentialsError (token)", &e);
}

fn sign_both_ways() -> Vec<(String, SigningSettings)> {
    let mut v = vec![
        ("header".to_owned(), SigningSettings::default()),
        ("s3 header".to_owned(), SigningSettings::s3()),
        (
            "presigned".to_owned(),
            SigningSettings::default().presigned(900),
        ),
    ];
    let mut after = SigningSettings::default();
    after.session_token = SessionTokenMode::AppendAfterSigning;
    v.push(("token after signing".to_owned(), after.clone()));
    v.push(("presigned, token after".to_owned(), after.presigned(60)));
    v
}

#[test]
fn signing_output_signer_and_verify_errors() {
    let c = creds();
    let t = t0();
    for (name, settings) in sign_both_ways() {
        let signer = Signer::new("us-east-1", "service", settings.clone()).unwrap();
        debug("Signer", &signer);
        let req = SignableRequest::new(
            "POST",
            "https://example.amazonaws.com/path?x=1",
            &[("Content-Type", "text/plain")],
            Payload::Bytes(b"body"),
        );
        let out = signer.sign(&req, &c, t).unwrap();
        debug(&format!("SigningOutput ({name})"), &out);
        // The token must be in what the host sends (so the windows would find it there).
        let rendered = String::from_utf8_lossy(&out.render(&req)).into_owned();
        assert!(
            rendered.contains(TOKEN) || rendered.contains(&percent_encoded(TOKEN)),
            "{name}"
        );

        // The request as received, then tampered: SignatureMismatch carries the canonical
        // request, which contains the token (raw in a header, encoded in a query).
        let uri = out.signed_uri(&req);
        let mut headers: Vec<(&str, &str)> = vec![("Content-Type", "text/plain")];
        headers.extend(out.headers());
        let mut vs = VerifySettings::default();
        vs.session_token = settings.session_token;
        let lookup = |id: &str| (id == "ASIAEXAMPLEKEYID").then(|| c.clone());
        let good = SignableRequest::new("POST", &uri, &headers, Payload::Bytes(b"body"));
        let ok = verify(&good, lookup, t, &vs).unwrap();
        debug("Verified", &ok);
        // (Not the body: with x-amz-content-sha256 the verifier signs the header's hash.)
        let tampered = uri.replacen("/path", "/pathX", 1);
        let bad = SignableRequest::new("POST", &tampered, &headers, Payload::Bytes(b"body"));
        let e = verify(&bad, lookup, t, &vs).unwrap_err();
        assert!(
            matches!(e, sigfresh::sigv4::VerifyError::SignatureMismatch { .. }),
            "{name}: {e:?}"
        );
        both(&format!("VerifyError::SignatureMismatch ({name})"), &e);

        // Another token: SessionTokenMismatch.
        let other = Credentials::builder("ASIAEXAMPLEKEYID", SECRET)
            .session_token("a-different-token-value")
            .build()
            .unwrap();
        let e = verify(&good, |_| Some(other.clone()), t, &vs).unwrap_err();
        both(&format!("VerifyError::SessionTokenMismatch ({name})"), &e);
    }
}

/// Documents of every format carrying the secret and token, valid and broken in many ways.
fn documents() -> Vec<(&'static str, String)> {
    let imds = |extra: &str, secret: &str, expiration: &str| {
        format!(
            r#"{{"Code":"Success","LastUpdated":"2023-11-14T22:00:00Z","Type":"AWS-HMAC",
"AccessKeyId":"ASIAEXAMPLEKEYID","SecretAccessKey":"{secret}","Token":"{TOKEN}",
"Expiration":"{expiration}"{extra}}}"#
        )
    };
    let good_exp = "2023-11-15T04:13:20Z";
    let mut docs = vec![
        ("imds valid", imds("", SECRET, good_exp)),
        ("imds bad expiry", imds("", SECRET, "tomorrow")),
        (
            "imds secret with control char",
            imds("", &format!("{SECRET}\\u0007"), good_exp),
        ),
        (
            "imds secret escaped",
            imds("", &SECRET.replace('/', "\\/"), good_exp),
        ),
        (
            "imds duplicate token",
            imds(&format!(r#","token":"{TOKEN}""#), SECRET, good_exp),
        ),
        ("imds trailing garbage", imds("", SECRET, good_exp) + "xyz"),
        ("imds wrong type", imds(r#","Code":7"#, SECRET, good_exp)),
        (
            "imds error code",
            imds("", SECRET, good_exp).replace("\"Success\"", "\"AssumeRoleUnauthorizedAccess\""),
        ),
        (
            "container valid",
            format!(
                r#"{{"AccessKeyId":"ASIAEXAMPLEKEYID","SecretAccessKey":"{SECRET}","Token":"{TOKEN}","Expiration":"{good_exp}","RoleArn":"arn:aws:iam::123456789012:role/r"}}"#
            ),
        ),
        (
            "container token wrong type",
            format!(
                r#"{{"AccessKeyId":"ASIAEXAMPLEKEYID","SecretAccessKey":"{SECRET}","Token":["{TOKEN}"],"Expiration":"{good_exp}"}}"#
            ),
        ),
        (
            "process valid",
            format!(
                r#"{{"Version":1,"AccessKeyId":"ASIAEXAMPLEKEYID","SecretAccessKey":"{SECRET}","SessionToken":"{TOKEN}","Expiration":"{good_exp}"}}"#
            ),
        ),
        (
            "process version 2",
            format!(
                r#"{{"Version":2,"AccessKeyId":"ASIAEXAMPLEKEYID","SecretAccessKey":"{SECRET}","SessionToken":"{TOKEN}"}}"#
            ),
        ),
        (
            "process missing key id",
            format!(r#"{{"Version":1,"SecretAccessKey":"{SECRET}","SessionToken":"{TOKEN}"}}"#),
        ),
        (
            "process token with space",
            format!(
                r#"{{"Version":1,"AccessKeyId":"A","SecretAccessKey":"{SECRET}","SessionToken":"{TOKEN} x"}}"#
            ),
        ),
        (
            "sso valid",
            format!(
                r#"{{"roleCredentials":{{"accessKeyId":"ASIAEXAMPLEKEYID","secretAccessKey":"{SECRET}","sessionToken":"{TOKEN}","expiration":1700003600000}}}}"#
            ),
        ),
        (
            "sso bad expiration",
            format!(
                r#"{{"roleCredentials":{{"accessKeyId":"ASIAEXAMPLEKEYID","secretAccessKey":"{SECRET}","sessionToken":"{TOKEN}","expiration":"soon"}}}}"#
            ),
        ),
    ];
    let sts = |secret: &str, token: &str, exp: &str| {
        format!(
            "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><AssumeRoleResult>\
<Credentials><AccessKeyId>ASIAEXAMPLEKEYID</AccessKeyId><SecretAccessKey>{secret}</SecretAccessKey>\
<SessionToken>{token}</SessionToken><Expiration>{exp}</Expiration></Credentials>\
</AssumeRoleResult></AssumeRoleResponse>"
        )
    };
    docs.extend([
        ("sts valid", sts(SECRET, TOKEN, good_exp)),
        ("sts bad expiry", sts(SECRET, TOKEN, "never")),
        (
            "sts element in secret",
            sts(&format!("{SECRET}<b/>"), TOKEN, good_exp),
        ),
        (
            "sts unknown entity in token",
            sts(SECRET, &format!("{TOKEN}&bogus;"), good_exp),
        ),
        (
            "sts mismatched tag",
            sts(SECRET, TOKEN, good_exp).replace("</SessionToken>", "</Sessiontoken>"),
        ),
        (
            "sts truncated in the token",
            sts(SECRET, TOKEN, good_exp)[..330].to_owned(),
        ),
    ]);
    // Truncated in the middle of the secret: the syntax error must not quote it.
    let whole = imds("", SECRET, good_exp);
    let cut = whole.find(SECRET).unwrap() + 30;
    docs.push(("imds truncated in the secret", whole[..cut].to_owned()));
    docs
}

fn check_doc(what: &str, r: Result<Credentials, DocumentError>) {
    match r {
        Ok(c) => debug(what, &c),
        Err(e) => {
            both(what, &e);
            let _ = (e.format(), e.field());
        }
    }
}

#[test]
fn document_results_and_errors() {
    let mut errors = 0;
    for (name, doc) in documents() {
        let b = doc.as_bytes();
        for (parser, r) in [
            ("imds", parse_imds(b)),
            ("container", parse_container(b)),
            ("process", parse_process(b)),
            ("sso", parse_sso(b)),
            ("sts", parse_sts(b)),
            ("any", parse_any(b).map(|(_, c)| c)),
        ] {
            errors += usize::from(r.is_err());
            check_doc(&format!("{parser} on {name}"), r);
        }
    }
    assert!(errors > 50, "the documents exercise many error paths");
}

#[test]
fn environment_and_profiles() {
    let envs: Vec<Vec<(&str, String)>> = vec![
        vec![
            ("AWS_ACCESS_KEY_ID", "ASIAEXAMPLEKEYID".into()),
            ("AWS_SECRET_ACCESS_KEY", SECRET.into()),
            ("AWS_SESSION_TOKEN", TOKEN.into()),
        ],
        vec![
            ("AWS_SECRET_ACCESS_KEY", SECRET.into()),
            ("AWS_SESSION_TOKEN", TOKEN.into()),
        ],
        vec![
            ("AWS_ACCESS_KEY_ID", "ASIAEXAMPLEKEYID".into()),
            ("AWS_SECRET_ACCESS_KEY", format!("{SECRET}\u{1}")),
            ("AWS_SESSION_TOKEN", TOKEN.into()),
        ],
        vec![
            ("AWS_ACCESS_KEY_ID", "ASIAEXAMPLEKEYID".into()),
            ("AWS_SECRET_ACCESS_KEY", SECRET.into()),
            ("AWS_SESSION_TOKEN", format!("{TOKEN} {TOKEN}")),
            ("AWS_CREDENTIAL_EXPIRATION", TOKEN.into()),
        ],
    ];
    for env in &envs {
        match parse_env(&env[..]) {
            Ok(Some(c)) => debug("parse_env credentials", &c),
            Ok(None) => panic!("every environment here sets a key"),
            Err(e) => both("parse_env error", &e),
        }
        // The chain over the same environment: plan, explanation, and the chosen source.
        let plan = chain::plan(env, None, None);
        debug("ChainPlan", &plan);
        both("Explanation (plan)", &plan.explain());
        let mut source = plan.into_source();
        source.start(t0(), Jitter::ZERO);
        let step = source.poll(t0());
        debug("Step (chain)", &step);
        both("Explanation (after fetch)", &source.explain());
        debug("ChainSource", &source);
    }

    let credentials_file = format!(
        "[default]\naws_access_key_id = ASIAEXAMPLEKEYID\naws_secret_access_key = {SECRET}\n\
aws_session_token = {TOKEN}\n\n[half]\naws_secret_access_key = {SECRET}\n\n\
[badtoken]\naws_access_key_id = A\naws_secret_access_key = {SECRET}\naws_session_token = {TOKEN}\u{1}\n\n\
[proc]\ncredential_process = /usr/bin/fetch\n"
    );
    let set = ProfileSet::parse(Some(&credentials_file), None).unwrap();
    debug("ProfileSet", &set);
    for p in set.profiles() {
        debug("Profile", p);
        for prop in p.properties() {
            debug("Property", prop);
        }
        match p.credentials() {
            Ok(Some(c)) => debug("Profile::credentials", &c),
            Ok(None) => {}
            Err(e) => both("Profile::credentials error", &e),
        }
    }
    // A malformed line right after the secret.
    let broken = format!("[default]\naws_session_token = {TOKEN}\n{SECRET}\n");
    both(
        "IniSyntax",
        &ProfileSet::parse(Some(&broken), None).unwrap_err(),
    );

    for profile in ["default", "half", "badtoken", "proc"] {
        let env = [("AWS_PROFILE", profile)];
        let plan = chain::plan(&env, Some(&credentials_file), None);
        both(&format!("Explanation (profile {profile})"), &plan.explain());
        let mut source = plan.into_source();
        source.start(t0(), Jitter::ZERO);
        let step = source.poll(t0());
        debug(&format!("Step (profile {profile})"), &step);
        both("Explanation (after fetch)", &source.explain());
    }
}

/// Polls, expecting a request.
fn send(m: &mut dyn Source, now: Timestamp) -> sigfresh::source::HttpRequest {
    match m.poll(now) {
        Step::Send(r) => r,
        other => panic!("expected a request, got {other:?}"),
    }
}

fn reply(m: &mut dyn Source, status: u16, body: &str) {
    m.handle(
        t0(),
        Outcome::response(status, &[], body.as_bytes().to_vec()),
    );
}

#[test]
fn imds_machine_steps_errors_and_results() {
    let imds_token = format!("{TOKEN}=="); // an IMDSv2 session token is a secret too
    let docs = documents();
    for (name, doc) in docs.iter().filter(|(n, _)| n.starts_with("imds")) {
        let mut m = ImdsSource::new(ImdsConfig::default());
        m.start(t0(), Jitter::ZERO);
        let put = send(&mut m, t0());
        debug("Step::Send (token PUT)", &put);
        reply(&mut m, 200, &imds_token);
        let role = send(&mut m, t0());
        assert!(role.header_value("x-aws-ec2-metadata-token").is_some());
        debug("HttpRequest carrying the IMDS token", &role);
        debug("Step::Send carrying the IMDS token", &Step::Send(role));
        reply(&mut m, 200, "web-role\n");
        let get = send(&mut m, t0());
        debug("HttpRequest (credentials GET)", &get);
        let outcome = Outcome::response(200, &[("Content-Type", "text/plain")], doc.clone());
        debug("Outcome with a credentials body", &outcome);
        m.handle(t0(), outcome);
        debug(&format!("ImdsSource after {name}"), &m);
        // Retryable document errors back off; drive to the end.
        let mut now = t0();
        for _ in 0..10 {
            let step = m.poll(now);
            debug(&format!("Step ({name})"), &step);
            match step {
                Step::Done(Ok(c)) => debug("IMDS credentials", &c),
                Step::Done(Err(e)) => both(&format!("SourceError ({name})"), &e),
                Step::Wait(t) => {
                    now = t;
                    continue;
                }
                Step::Send(_) => {
                    m.handle(now, Outcome::response(200, &[], doc.clone()));
                    continue;
                }
                _ => {}
            }
            break;
        }
    }
}

#[test]
fn container_sts_and_process_machines() {
    // Container endpoint with an authorization token value, then from a file.
    let mut config = ContainerConfig::from_env(&[
        (
            "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
            "/v2/credentials/x",
        ),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN", AUTH_TOKEN),
    ])
    .unwrap()
    .unwrap();
    debug("ContainerConfig", &config);
    debug("AuthToken", &AuthToken::Value(AUTH_TOKEN.into()));
    let mut m = ContainerSource::new(config.clone());
    m.start(t0(), Jitter::ZERO);
    let r = send(&mut m, t0());
    assert_eq!(r.header_value("authorization"), Some(AUTH_TOKEN));
    debug("HttpRequest with Authorization", &r);
    debug("ContainerSource", &m);
    reply(&mut m, 403, r#"{"code":"AccessDenied","message":"no"}"#);
    let step = m.poll(t0());
    debug("Step (container 403)", &step);
    if let Step::Done(Err(e)) = &step {
        both("SourceError (container)", e);
    }

    config.auth = AuthToken::File("/var/run/token".into());
    let mut m = ContainerSource::new(config);
    m.start(t0(), Jitter::ZERO);
    assert!(matches!(m.poll(t0()), Step::ReadFile { .. }));
    let file = Outcome::File(Ok(FileContents(
        format!("{AUTH_TOKEN}\r\nX: y").into_bytes(),
    )));
    debug("Outcome::File", &file);
    m.handle(t0(), file);
    let step = m.poll(t0());
    debug("Step (token with CRLF)", &step);
    match step {
        Step::Done(Err(e)) => both("SourceError (token with CRLF)", &e),
        other => panic!("a token with CRLF is refused: {other:?}"),
    }

    // Web identity: the OIDC token goes into the request body.
    let sts = StsEndpoint::for_region(Some("us-east-1")).unwrap();
    let mut m = WebIdentitySource::new(
        RoleSpec::new("arn:aws:iam::123456789012:role/r"),
        "/var/run/oidc",
        sts.clone(),
    );
    m.start(t0(), Jitter::ZERO);
    assert!(matches!(m.poll(t0()), Step::ReadFile { .. }));
    m.handle(
        t0(),
        Outcome::File(Ok(FileContents(WEB_TOKEN.as_bytes().to_vec()))),
    );
    let r = send(&mut m, t0());
    assert!(String::from_utf8_lossy(&r.body).contains(WEB_TOKEN));
    debug("HttpRequest (AssumeRoleWithWebIdentity)", &r);
    debug("WebIdentitySource", &m);
    let response = documents()
        .into_iter()
        .find(|(n, _)| *n == "sts valid")
        .unwrap()
        .1;
    let response = response.replace("AssumeRoleResponse", "AssumeRoleWithWebIdentityResponse");
    let response = response.replace("AssumeRoleResult", "AssumeRoleWithWebIdentityResult");
    reply(&mut m, 200, &response);
    debug("Step (web identity done)", &m.poll(t0()));

    // AssumeRole signed with credentials that have a token.
    let base: Box<dyn Source + Send> = Box::new(StaticSource::new(creds()));
    let mut m = AssumeRoleSource::new(base, vec![RoleSpec::new("arn:aws:iam::1:role/x")], sts);
    m.start(t0(), Jitter::ZERO);
    let r = send(&mut m, t0());
    assert_eq!(r.header_value("x-amz-security-token"), Some(TOKEN));
    debug("HttpRequest (signed AssumeRole)", &r);
    debug("Step::Send (signed AssumeRole)", &Step::Send(r));
    debug("AssumeRoleSource", &m);
    reply(
        &mut m,
        403,
        &format!("<ErrorResponse><Error><Code>InvalidClientTokenId</Code><Message>The security token {TOKEN} is invalid</Message></Error></ErrorResponse>"),
    );
    let step = m.poll(t0());
    debug("Step (AssumeRole 403)", &step);
    if let Step::Done(Err(e)) = &step {
        both("SourceError (AssumeRole)", e);
    }

    // credential_process: the command line and the output are secrets.
    let cmd = format!("/usr/bin/fetch --key {SECRET} --token {TOKEN}");
    let mut m = ProcessSource::new("dev", cmd);
    debug("ProcessSource", &m);
    m.start(t0(), Jitter::ZERO);
    let step = m.poll(t0());
    assert!(matches!(step, Step::RunProcess { .. }));
    debug("Step::RunProcess", &step);
    for out in [
        documents()
            .into_iter()
            .find(|(n, _)| *n == "process valid")
            .unwrap()
            .1,
        format!("{{\"Version\":1,\"SecretAccessKey\":\"{SECRET}\""),
    ] {
        let mut m = ProcessSource::new("dev", "cmd");
        m.start(t0(), Jitter::ZERO);
        let _ = m.poll(t0());
        let o = Outcome::Process(Ok(ProcessOutput::new(Some(0), out.into_bytes())));
        debug("Outcome::Process", &o);
        m.handle(t0(), o);
        let step = m.poll(t0());
        debug("Step (process done)", &step);
        match step {
            Step::Done(Ok(c)) => debug("process credentials", &c),
            Step::Done(Err(e)) => both("SourceError (process)", &e),
            other => panic!("{other:?}"),
        }
    }
    debug(
        "HttpResponse",
        &HttpResponse::new(
            200,
            vec![("x-token".into(), TOKEN.into())],
            SECRET.as_bytes().to_vec(),
        ),
    );
}

#[test]
fn refresh_cache_decisions_and_access() {
    let cache = CredentialCache::new(RefreshPolicy::default());
    let t = t0();
    let lease = match cache.get(t) {
        Access::Refresh { lease, decision } => {
            debug("RefreshLease", &lease);
            debug("RefreshDecision", &decision);
            lease
        }
        other => panic!("{other:?}"),
    };
    let done = cache.complete_success(lease, creds(), t, Jitter::ZERO);
    debug("Completion", &done);
    debug("CredentialCache", &cache);
    debug("CachedEntry", &cache.entry().unwrap());
    let access = cache.get(t);
    assert!(matches!(access, Access::Use { .. }));
    debug("Access::Use", &access);
    // Inside the refresh window: Use with a background lease.
    let later = t.offset_millis(3_600_000 - 200_000);
    let access = cache.get(later);
    debug("Access::Use with lease", &access);
    if let Access::Use { lease: Some(l), .. } = access {
        debug(
            "Completion (failure)",
            &cache.complete_failure(l, Failure::Retryable, later, Jitter::ZERO),
        );
    }
    cache.with_current(later, |c, d| {
        debug("with_current credentials", &c);
        debug("with_current decision", &d);
    });
    debug("CredentialCache after failure", &cache);
}

#[test]
fn classifications_of_bodies_echoing_secrets() {
    let bodies = [
        format!(
            "<Error><Code>ExpiredToken</Code><Message>The provided token has expired.</Message><Token-0>{TOKEN}</Token-0></Error>"
        ),
        format!(
            "<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match</Message>\
<AWSAccessKeyId>ASIAEXAMPLEKEYID</AWSAccessKeyId><StringToSign>AWS4-HMAC-SHA256</StringToSign>\
<CanonicalRequest>GET\n/\n\nhost:h\nx-amz-security-token:{TOKEN}\n\nhost;x-amz-security-token\nUNSIGNED-PAYLOAD</CanonicalRequest></Error>"
        ),
        format!(r#"{{"__type":"UnrecognizedClientException","message":"The security token {TOKEN} is invalid"}}"#),
        format!(r#"{{"message":"Credential {SECRET} is not valid"}}"#),
        format!(r#"{{"message":"Credential should be scoped to a valid region, not {TOKEN}. "}}"#),
        format!("<Response><Errors><Error><Code>AuthFailure</Code><Message>key {SECRET}</Message></Error></Errors></Response>"),
    ];
    for body in &bodies {
        for status in [400, 403] {
            let headers = [("Date", "Tue, 14 Nov 2023 22:13:20 GMT")];
            let c = classify(
                &ErrorResponse::new(status, &headers, body.as_bytes()),
                None,
                t0(),
            );
            debug("Classification", &c);
            assert_clean_text("Classification::explain", &c.explain());
        }
    }
    // The classification in a SourceError (IMDS 403 with an echoed token) is clean too.
    let mut m = ImdsSource::new(ImdsConfig::default());
    m.start(t0(), Jitter::ZERO);
    let _ = send(&mut m, t0());
    reply(&mut m, 200, "imds-session-token");
    let _ = send(&mut m, t0());
    reply(&mut m, 200, "web-role\n");
    let _ = send(&mut m, t0());
    m.handle(t0(), Outcome::response(403, &[], bodies[2].clone()));
    let step = m.poll(t0());
    debug("Step (IMDS 403 echoing a token)", &step);
    if let Step::Done(Err(e)) = step {
        both("SourceError (IMDS 403 echoing a token)", &e);
    }
}

/// Finding S1 (FUZZING.md, fixed): the document parsers clean a service error's message as
/// `classify` does, so a message echoing a token does not show it in
/// `DocumentError::ServiceError` (and so in `SourceError::Document`).
#[test]
fn service_error_message_echoing_a_token() {
    let docs = [
        format!("<ErrorResponse><Error><Code>ExpiredToken</Code><Message>token {TOKEN} expired</Message></Error></ErrorResponse>"),
        format!(r#"{{"Code":"AssumeRoleUnauthorizedAccess","Message":"token {TOKEN}","LastUpdated":"2023-11-14T22:00:00Z"}}"#),
        format!(r#"{{"code":"AccessDenied","message":"token {TOKEN}"}}"#),
    ];
    for doc in &docs {
        check_doc(
            "parse_any on an error document",
            parse_any(doc.as_bytes()).map(|(_, c)| c),
        );
    }
}

/// Finding S2 (FUZZING.md, fixed): `Property`'s `Debug` redacts a `credential_process` command
/// line (which `ProcessSource`'s `Debug` hides because it can carry secrets) and shows a parent
/// property only through its (redacted) sub-properties.
#[test]
fn profile_property_debug_hides_process_and_parent_values() {
    let text = format!(
        "[proc]\ncredential_process = /usr/bin/fetch --key {SECRET} --token {TOKEN}\n\
[nested]\ns3 =\n  secret_thing = {SECRET}\n  token_thing = {TOKEN}\n"
    );
    let set = ProfileSet::parse(Some(&text), None).unwrap();
    debug("ProfileSet", &set);
}
