//! Helpers shared by the fuzz targets: checks that hold for any input (no secret in `Debug`,
//! requests a host could send safely) and a driver that feeds a source machine
//! fuzzer-chosen outcomes for a bounded number of steps.

use arbitrary::{Result, Unstructured};
use sigfresh::credentials::Credentials;
use sigfresh::document::DocumentError;
use sigfresh::refresh::Jitter;
use sigfresh::source::{
    FileContents, HttpRequest, HttpResponse, IoFailure, Outcome, ProcessOutput, Source, Step,
    TransportError,
};
use sigfresh::time::Timestamp;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// 2023-11-14T22:13:20Z, the time every target starts from.
pub const T0: i64 = 1_700_000_000_000;

/// Credentials that parsed: their `Debug` must not show the secret or the token. Checked only
/// when the value is long enough to be meaningful and does not also appear in a field that is
/// shown on purpose (a fuzzer can make the access key id equal the secret).
pub fn check_credentials(c: &Credentials) {
    let shown = format!("{c:?}");
    let pretty = format!("{c:#?}");
    // The same credentials with a placeholder secret and token: text that appears there (field
    // names, the access key id, the profile name) is not a leak even if a secret equals it.
    let mut reference = Credentials::builder(c.access_key_id().as_str(), "x")
        .session_token_opt(c.session_token().map(|_| "x".to_owned()))
        .expiry_opt(c.expiry())
        .source(c.source().clone());
    if let Some(a) = c.account_id() {
        reference = reference.account_id(a);
    }
    let public = match reference.build() {
        Ok(r) => format!("{r:?} {r:#?}"),
        Err(_) => return,
    };
    let mut secrets = vec![c.secret_access_key().expose_secret()];
    if let Some(t) = c.session_token() {
        secrets.push(t.expose_secret());
    }
    for s in secrets {
        if s.len() >= 8 && !public.contains(s) {
            assert!(!shown.contains(s), "Debug of Credentials shows a secret");
            assert!(!pretty.contains(s), "{{:#?}} of Credentials shows a secret");
        }
    }
    assert_eq!(format!("{}", c.secret_access_key()), "** redacted **");
}

/// Exercises everything a host does with a document parser's result.
pub fn check_document(r: Result<Credentials, DocumentError>) {
    match r {
        Ok(c) => check_credentials(&c),
        Err(e) => {
            let _ = (e.to_string(), format!("{e:?}"), e.format(), e.field());
        }
    }
}

/// Whether every byte of a header value could be sent as is (no CR, LF, NUL or other
/// control character except tab).
pub fn header_value_ok(v: &str) -> bool {
    v.bytes()
        .all(|b| b == b'\t' || (0x20..0x7f).contains(&b) || b >= 0x80)
}

/// A request a machine asks the host to send must not let response or file content inject
/// headers or break the request line.
pub fn check_request(r: &HttpRequest) {
    for (n, v) in &r.headers {
        assert!(
            !n.is_empty()
                && n.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)),
            "header name {n:?} is not a token"
        );
        assert!(header_value_ok(v), "header {n:?} has a control character");
    }
    let url = r.url.to_string();
    assert!(
        url.bytes().all(|b| b > 0x20 && b != 0x7f),
        "URL {url:?} has whitespace or a control character"
    );
    let _ = format!("{r:?}");
}

/// Canned bodies that get a machine past its first checks; the fuzzer picks one and may cut or
/// extend it.
pub const BODIES: &[&[u8]] = &[
    b"AQAEAFUwLTFhZjctNGE0OS1iMTA5LTY3ZjY3ZWQwMjkyNg==",
    b"web-role\n",
    br#"{"Code":"Success","LastUpdated":"2023-11-14T22:00:00Z","Type":"AWS-HMAC","AccessKeyId":"ASIAIMDSEXAMPLE","SecretAccessKey":"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY","Token":"IQoJb3JpZ2luX2VjEXAMPLE","Expiration":"2023-11-15T04:13:20Z"}"#,
    br#"{"AccessKeyId":"ASIACONTAINER","SecretAccessKey":"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY","Token":"IQoJb3JpZ2luX2VjEXAMPLE","Expiration":"2023-11-15T04:13:20Z","RoleArn":"arn:aws:iam::123456789012:role/r"}"#,
    br#"{"Code":"AssumeRoleUnauthorizedAccess","Message":"denied","LastUpdated":"2023-11-14T22:00:00Z"}"#,
    br#"{"code":"InvalidToken","message":"bad"}"#,
    b"<AssumeRoleWithWebIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><AssumeRoleWithWebIdentityResult><Credentials><AccessKeyId>ASIASTS</AccessKeyId><SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY</SecretAccessKey><SessionToken>FwoGZXIvYXdzEXAMPLE</SessionToken><Expiration>2023-11-15T04:13:20Z</Expiration></Credentials></AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>",
    b"<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error></ErrorResponse>",
    br#"{"Version":1,"AccessKeyId":"ASIAPROCESS","SecretAccessKey":"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY","SessionToken":"tok","Expiration":"2023-11-15T04:13:20Z"}"#,
    b"eyJhbGciOiJSUzI1NiJ9.e30.c2lnbmF0dXJl",
];

/// A body: canned (possibly cut or extended) or raw fuzzer bytes.
pub fn body(u: &mut Unstructured<'_>) -> Result<Vec<u8>> {
    Ok(match u.int_in_range(0..=3)? {
        0 => u.arbitrary::<Vec<u8>>()?,
        1 => {
            let b = u.choose(BODIES)?;
            let cut = u.int_in_range(0..=b.len())?;
            b[..cut].to_vec()
        }
        2 => {
            let mut b = u.choose(BODIES)?.to_vec();
            b.extend(u.arbitrary::<Vec<u8>>()?);
            b
        }
        _ => u.choose(BODIES)?.to_vec(),
    })
}

fn text(u: &mut Unstructured<'_>) -> Result<String> {
    u.arbitrary::<String>()
}

/// An HTTP status: mostly the ones the machines treat specially.
pub fn status(u: &mut Unstructured<'_>) -> Result<u16> {
    const S: &[u16] = &[
        200, 200, 200, 200, 400, 401, 403, 404, 405, 429, 500, 503, 504,
    ];
    if u.ratio(1, 8)? {
        u.arbitrary()
    } else {
        u.choose(S).copied()
    }
}

fn headers(u: &mut Unstructured<'_>) -> Result<Vec<(String, String)>> {
    const NAMES: &[&str] = &[
        "Retry-After",
        "Date",
        "Content-Type",
        "x-aws-ec2-metadata-token-ttl-seconds",
        "Age",
    ];
    let n = u.int_in_range(0..=3)?;
    let mut h = Vec::with_capacity(n);
    for _ in 0..n {
        let name = if u.ratio(1, 4)? {
            text(u)?
        } else {
            (*u.choose(NAMES)?).to_owned()
        };
        h.push((name, text(u)?));
    }
    Ok(h)
}

fn io_failure(u: &mut Unstructured<'_>) -> Result<IoFailure> {
    Ok(match u.int_in_range(0..=3)? {
        0 => IoFailure::NotFound,
        1 => IoFailure::PermissionDenied,
        2 => IoFailure::Timeout,
        _ => IoFailure::Other(text(u)?),
    })
}

fn addresses(u: &mut Unstructured<'_>) -> Result<Vec<IpAddr>> {
    const A: &[IpAddr] = &[
        IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V4(Ipv4Addr::new(169, 254, 170, 2)),
        IpAddr::V4(Ipv4Addr::new(169, 254, 170, 23)),
        IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1)),
        IpAddr::V6(Ipv6Addr::LOCALHOST),
        IpAddr::V6(Ipv6Addr::new(0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x23)),
        IpAddr::V6(Ipv6Addr::new(0, 0, 0, 0, 0, 0xffff, 0x7f00, 1)),
    ];
    let n = u.int_in_range(0..=3)?;
    let mut v = Vec::with_capacity(n);
    for _ in 0..n {
        v.push(if u.ratio(1, 4)? {
            u.arbitrary()?
        } else {
            *u.choose(A)?
        });
    }
    Ok(v)
}

/// An outcome for `step`, usually of the kind asked for, sometimes another kind.
pub fn outcome(u: &mut Unstructured<'_>, step: &Step) -> Result<Outcome> {
    let kind = match step {
        Step::Send(_) => 0,
        Step::ReadFile { .. } => 1,
        Step::RunProcess { .. } => 2,
        Step::Resolve { .. } => 3,
        _ => 4,
    };
    let kind = if kind == 4 || u.ratio(1, 32)? {
        u.int_in_range(0..=3)?
    } else {
        kind
    };
    Ok(match kind {
        0 => match u.int_in_range(0..=9)? {
            0 => Outcome::Http(Err(TransportError::Timeout)),
            1 => Outcome::Http(Err(TransportError::Connect(text(u)?))),
            2 => Outcome::Http(Err(TransportError::Io(text(u)?))),
            _ => Outcome::Http(Ok(HttpResponse::new(status(u)?, headers(u)?, body(u)?))),
        },
        1 => match u.int_in_range(0..=3)? {
            0 => Outcome::File(Err(io_failure(u)?)),
            _ => Outcome::File(Ok(FileContents(body(u)?))),
        },
        2 => match u.int_in_range(0..=3)? {
            0 => Outcome::Process(Err(io_failure(u)?)),
            _ => {
                let code = if u.ratio(3, 4)? {
                    Some(0)
                } else {
                    u.arbitrary()?
                };
                Outcome::Process(Ok(ProcessOutput::new(code, body(u)?)))
            }
        },
        _ => match u.int_in_range(0..=3)? {
            0 => Outcome::Resolved(Err(io_failure(u)?)),
            _ => Outcome::Resolved(Ok(addresses(u)?)),
        },
    })
}

/// Drives `source` through up to `fetches` fetches and `max_steps` steps in total, answering
/// every step with a fuzzer-chosen outcome, and checks what it asks for and returns.
pub fn drive(source: &mut dyn Source, u: &mut Unstructured<'_>, fetches: u32, max_steps: u32) {
    let mut now = Timestamp::from_unix_millis(T0);
    let mut steps = 0;
    for _ in 0..fetches {
        let jitter = Jitter::from_u64(u.arbitrary().unwrap_or(0));
        if u.ratio(1, 16).unwrap_or(false) {
            // Polling or answering before start must be handled too.
            let _ = source.poll(now);
        }
        source.start(now, jitter);
        loop {
            steps += 1;
            if steps > max_steps {
                return;
            }
            let step = source.poll(now);
            let _ = format!("{step:?}");
            for w in source.warnings() {
                let _ = w.to_string();
            }
            match &step {
                Step::Send(r) => check_request(r),
                Step::Wait(t) => {
                    // Usually sleep until then; sometimes wake early or with a clock jump.
                    now = match u.int_in_range(0..=7).unwrap_or(0) {
                        0 => now,
                        1 => now.offset_millis(-i64::from(u.arbitrary::<u16>().unwrap_or(0))),
                        2 => now.offset_millis(i64::from(u.arbitrary::<u32>().unwrap_or(0))),
                        _ => (*t).max(now),
                    };
                    continue;
                }
                Step::Done(r) => {
                    let first = format!("{r:?}");
                    match r {
                        Ok(c) => check_credentials(c),
                        Err(e) => {
                            let _ = (e.to_string(), e.failure());
                        }
                    }
                    let again = source.poll(now);
                    assert!(
                        matches!(&again, Step::Done(r2) if format!("{r2:?}") == first),
                        "polling after Done must return the same result"
                    );
                    break;
                }
                _ => {}
            }
            let Ok(o) = outcome(u, &step) else {
                return;
            };
            let _ = format!("{o:?}");
            now = now.offset_millis(i64::from(u.arbitrary::<u8>().unwrap_or(0)));
            source.handle(now, o);
            if u.ratio(1, 32).unwrap_or(false) {
                // A duplicate or stray answer.
                if let Ok(o) = outcome(u, &step) {
                    source.handle(now, o);
                }
            }
        }
        if u.is_empty() {
            return;
        }
    }
}

/// An environment map: mostly the variables the core reads, with fuzzer values.
pub fn env(u: &mut Unstructured<'_>, names: &[&str]) -> Result<Vec<(String, String)>> {
    let n = u.int_in_range(0..=8)?;
    let mut v = Vec::with_capacity(n);
    for _ in 0..n {
        let k = if u.ratio(1, 8)? {
            text(u)?
        } else {
            (*u.choose(names)?).to_owned()
        };
        let val = if u.ratio(1, 3)? {
            let canned = [
                "true",
                "false",
                "/v2/credentials/abc",
                "http://127.0.0.1:8080/creds",
                "https://example.com/creds",
                "http://localhost/x",
                "AKIAIOSFODNN7EXAMPLE",
                "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                "2023-11-15T04:13:20Z",
                "arn:aws:iam::123456789012:role/r",
                "us-east-1",
                "IPv6",
                "/tmp/token",
            ];
            (*u.choose(&canned)?).to_owned()
        } else {
            text(u)?
        };
        v.push((k, val));
    }
    Ok(v)
}

/// Every variable any part of the core reads.
pub const ENV_NAMES: &[&str] = &[
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_CREDENTIAL_EXPIRATION",
    "AWS_ACCOUNT_ID",
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_STS",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_ROLE_ARN",
    "AWS_ROLE_SESSION_NAME",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
    "AWS_EC2_METADATA_DISABLED",
    "AWS_EC2_METADATA_V1_DISABLED",
    "AWS_EC2_METADATA_SERVICE_ENDPOINT",
    "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",
    "AWS_METADATA_SERVICE_TIMEOUT",
    "AWS_METADATA_SERVICE_NUM_ATTEMPTS",
];
