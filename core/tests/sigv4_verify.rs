//! Verification: sign-then-verify round trips, single-byte tampering, time windows, and
//! "never panics" on arbitrary input for both signing and verifying.

use proptest::prelude::*;
use sigfresh::credentials::Credentials;
use sigfresh::sigv4::{
    verify, Payload, SessionTokenMode, SignableRequest, Signer, SigningError, SigningSettings,
    VerifyError, VerifySettings,
};
use sigfresh::time::Timestamp;

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const TOKEN: &str = "IQoJb3JpZ2luX2VjEPT//////////wEaCXVzLWVhc3QtMSJHMEUCIQ+token/with=chars";

fn t0() -> Timestamp {
    Timestamp::from_unix_seconds(1_714_564_800)
}

fn creds(token: bool) -> Credentials {
    let b = Credentials::builder("ASIAEXAMPLE", SECRET);
    if token { b.session_token(TOKEN) } else { b }
        .build()
        .unwrap()
}

/// A signed request as the server receives it: method, origin-form target, headers.
struct Wire {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Wire {
    fn verify(
        &self,
        c: &Credentials,
        now: Timestamp,
        s: &VerifySettings,
    ) -> Result<(), VerifyError> {
        let h: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        let r = SignableRequest::new(&self.method, &self.target, &h, Payload::Bytes(&self.body));
        verify(
            &r,
            |id| (id == c.access_key_id().as_str()).then(|| c.clone()),
            now,
            s,
        )
        .map(|_| ())
    }
}

fn sign_to_wire(settings: SigningSettings, service: &str, token: bool) -> (Wire, Credentials) {
    let c = creds(token);
    let headers = [
        ("Content-Type", "application/json"),
        ("X-Custom", "  a   b  "),
        ("X-Custom", "second"),
        ("User-Agent", "unsigned/1.0"),
    ];
    let uri = "https://api.example.com/prod/items/a%20b?z=1&a=&a=2&sp=x+y";
    let body = br#"{"k":"v"}"#;
    let req = SignableRequest::new("POST", uri, &headers, Payload::Bytes(body));
    let out = Signer::new("eu-west-1", service, settings)
        .unwrap()
        .sign(&req, &c, t0())
        .unwrap();
    let signed_uri = out.signed_uri(&req);
    let target = signed_uri
        .strip_prefix("https://api.example.com")
        .unwrap()
        .to_string();
    let mut wire: Vec<(String, String)> = vec![("Host".into(), "api.example.com".into())];
    wire.extend(headers.iter().map(|(a, b)| (a.to_string(), b.to_string())));
    wire.extend(out.headers().map(|(a, b)| (a.to_string(), b.to_string())));
    (
        Wire {
            method: "POST".into(),
            target,
            headers: wire,
            body: body.to_vec(),
        },
        c,
    )
}

#[test]
fn round_trips_header_and_query_signing() {
    for token in [false, true] {
        for presign in [false, true] {
            for mode in [
                SessionTokenMode::Signed,
                SessionTokenMode::AppendAfterSigning,
            ] {
                let mut s = SigningSettings::default();
                s.session_token = mode;
                if presign {
                    s = s.presigned(300);
                }
                let (w, c) = sign_to_wire(s, "execute-api", token);
                let mut vs = VerifySettings::default();
                vs.session_token = mode;
                w.verify(&c, t0(), &vs)
                    .unwrap_or_else(|e| panic!("token={token} presign={presign} {mode:?}: {e}"));
            }
        }
    }
    let (w, c) = sign_to_wire(SigningSettings::s3(), "s3", true);
    w.verify(&c, t0(), &VerifySettings::s3()).unwrap();
}

fn flip(b: u8) -> u8 {
    if b.eq_ignore_ascii_case(&b'q') {
        b'z'
    } else {
        b'q'
    }
}

#[test]
fn every_single_byte_change_to_signed_parts_is_caught() {
    for presign in [false, true] {
        let s = if presign {
            SigningSettings::default().presigned(300)
        } else {
            SigningSettings::default()
        };
        let (w, c) = sign_to_wire(s, "execute-api", true);
        let vs = VerifySettings::default();
        w.verify(&c, t0(), &vs).unwrap();
        let mut checked = 0;
        // Method and target (path, query, and for presigned the X-Amz-* parameters).
        for i in 0..w.method.len() {
            let mut m = Wire {
                method: w.method.clone(),
                target: w.target.clone(),
                headers: w.headers.clone(),
                body: w.body.clone(),
            };
            let mut bytes = m.method.into_bytes();
            bytes[i] = flip(bytes[i]).to_ascii_uppercase();
            m.method = String::from_utf8(bytes).unwrap();
            assert!(m.verify(&c, t0(), &vs).is_err(), "method byte {i}");
            checked += 1;
        }
        for i in 0..w.target.len() {
            let b = w.target.as_bytes()[i];
            if !b.is_ascii_alphanumeric() {
                continue;
            }
            let mut bytes = w.target.clone().into_bytes();
            bytes[i] = flip(b);
            let m = Wire {
                method: w.method.clone(),
                target: String::from_utf8(bytes).unwrap(),
                headers: w.headers.clone(),
                body: w.body.clone(),
            };
            let e = m.verify(&c, t0(), &vs);
            assert!(e.is_err(), "target byte {i}: {}", m.target);
            checked += 1;
        }
        // Every signed header value byte and the body (header signing hashes the body).
        for (hi, (name, value)) in w.headers.iter().enumerate() {
            if name.eq_ignore_ascii_case("user-agent") {
                continue;
            }
            for i in 0..value.len() {
                let b = value.as_bytes()[i];
                if !b.is_ascii_alphanumeric() {
                    continue;
                }
                let mut headers = w.headers.clone();
                let mut bytes = value.clone().into_bytes();
                bytes[i] = flip(b);
                headers[hi].1 = String::from_utf8(bytes).unwrap();
                let m = Wire {
                    method: w.method.clone(),
                    target: w.target.clone(),
                    headers,
                    body: w.body.clone(),
                };
                assert!(m.verify(&c, t0(), &vs).is_err(), "header {name} byte {i}");
                checked += 1;
            }
        }
        if !presign {
            for i in 0..w.body.len() {
                let mut body = w.body.clone();
                body[i] ^= 1;
                let m = Wire {
                    method: w.method.clone(),
                    target: w.target.clone(),
                    headers: w.headers.clone(),
                    body,
                };
                assert!(
                    matches!(
                        m.verify(&c, t0(), &vs),
                        Err(VerifyError::SignatureMismatch { .. })
                    ),
                    "body byte {i}"
                );
                checked += 1;
            }
        }
        assert!(checked > 300, "only {checked} mutations");
        // An unsigned header may change freely.
        let mut headers = w.headers.clone();
        for h in &mut headers {
            if h.0 == "User-Agent" {
                h.1 = "other/2.0".into();
            }
        }
        let m = Wire {
            method: w.method.clone(),
            target: w.target.clone(),
            headers,
            body: w.body.clone(),
        };
        m.verify(&c, t0(), &vs).unwrap();
    }
}

#[test]
fn precise_reasons() {
    let (w, c) = sign_to_wire(SigningSettings::default(), "execute-api", true);
    let vs = VerifySettings::default();
    let later = t0().offset_millis(901_000);
    assert!(matches!(
        w.verify(&c, later, &vs),
        Err(VerifyError::RequestTimeTooSkewed {
            max_skew_secs: 900,
            ..
        })
    ));
    assert!(w.verify(&c, t0().offset_millis(899_000), &vs).is_ok());
    assert!(matches!(
        w.verify(&c, t0().offset_millis(-901_000), &vs),
        Err(VerifyError::RequestTimeTooSkewed { .. })
    ));

    let other = Credentials::builder("ASIAOTHER", SECRET)
        .session_token(TOKEN)
        .build()
        .unwrap();
    assert_eq!(
        w.verify(&other, t0(), &vs),
        Err(VerifyError::UnknownAccessKey("ASIAEXAMPLE".into()))
    );

    let rotated = Credentials::builder("ASIAEXAMPLE", SECRET)
        .session_token("another-token")
        .build()
        .unwrap();
    assert_eq!(
        w.verify(&rotated, t0(), &vs),
        Err(VerifyError::SessionTokenMismatch)
    );

    let wrong_secret = Credentials::builder("ASIAEXAMPLE", "x".repeat(40))
        .session_token(TOKEN)
        .build()
        .unwrap();
    match w.verify(&wrong_secret, t0(), &vs) {
        Err(VerifyError::SignatureMismatch {
            canonical_request,
            string_to_sign,
        }) => {
            assert!(canonical_request.starts_with("POST\n/prod/items/a%2520b\n"));
            assert!(!canonical_request.contains(TOKEN), "token must be redacted");
            assert!(canonical_request.contains("x-amz-security-token:<redacted>"));
            assert!(string_to_sign.starts_with(
                "AWS4-HMAC-SHA256\n20240501T120000Z\n20240501/eu-west-1/execute-api/aws4_request\n"
            ));
            let text = format!(
                "{}",
                VerifyError::SignatureMismatch {
                    canonical_request,
                    string_to_sign
                }
            );
            assert!(!text.contains(SECRET));
        }
        other => panic!("{other:?}"),
    }

    let mut missing = Wire {
        method: w.method.clone(),
        target: w.target.clone(),
        headers: w.headers.clone(),
        body: w.body.clone(),
    };
    missing.headers.retain(|(n, _)| n != "Content-Type");
    assert_eq!(
        missing.verify(&c, t0(), &vs),
        Err(VerifyError::MissingSignedHeader("content-type".into()))
    );

    let mut unsigned = Wire {
        method: w.method.clone(),
        target: w.target.clone(),
        headers: w.headers.clone(),
        body: vec![],
    };
    unsigned.headers.retain(|(n, _)| n != "authorization");
    assert_eq!(
        unsigned.verify(&c, t0(), &vs),
        Err(VerifyError::MissingSignature)
    );

    let mut nodate = Wire {
        method: w.method.clone(),
        target: w.target.clone(),
        headers: w.headers.clone(),
        body: w.body.clone(),
    };
    nodate.headers.retain(|(n, _)| n != "x-amz-date");
    assert_eq!(nodate.verify(&c, t0(), &vs), Err(VerifyError::MissingDate));

    let (p, c) = sign_to_wire(
        SigningSettings::default().presigned(60),
        "execute-api",
        false,
    );
    assert!(p.verify(&c, t0().offset_millis(60_000), &vs).is_ok());
    assert!(matches!(
        p.verify(&c, t0().offset_millis(60_001), &vs),
        Err(VerifyError::Expired { .. })
    ));
    assert!(matches!(
        p.verify(&c, t0().offset_millis(-901_000), &vs),
        Err(VerifyError::RequestTimeTooSkewed { .. })
    ));
}

#[test]
fn signing_rejects_what_aws_would_reject() {
    let c = creds(false);
    let s = Signer::new("us-east-1", "svc", SigningSettings::default()).unwrap();
    let sign = |uri: &str, headers: &[(&str, &str)], payload| {
        s.sign(
            &SignableRequest::new("GET", uri, headers, payload),
            &c,
            t0(),
        )
    };
    assert!(matches!(
        sign("https://h/", &[("X-Note", "caf\u{e9}")], Payload::Bytes(b"")),
        Err(SigningError::InvalidHeaderValue { ref name, offset: 3 }) if name == "x-note"
    ));
    assert_eq!(
        sign("https://h/", &[("Bad Name", "v")], Payload::Bytes(b"")).unwrap_err(),
        SigningError::InvalidHeaderName { index: 0 }
    );
    assert_eq!(
        sign("/no-host", &[], Payload::Bytes(b"")).unwrap_err(),
        SigningError::MissingHost
    );
    assert!(matches!(
        sign("ftp://h/", &[], Payload::Bytes(b"")),
        Err(SigningError::InvalidUri { .. })
    ));
    assert_eq!(
        sign("https://h/", &[], Payload::Precomputed("ABC")).unwrap_err(),
        SigningError::InvalidPayloadHash
    );
    assert_eq!(
        sign(
            "https://h/",
            &[("x-amz-content-sha256", "UNSIGNED-PAYLOAD")],
            Payload::Bytes(b"x")
        )
        .unwrap_err(),
        SigningError::ContentSha256Mismatch
    );
    // A non-ASCII value in an unsigned header is not an error: it is not signed.
    assert!(sign(
        "https://h/",
        &[("User-Agent", "caf\u{e9}")],
        Payload::Bytes(b"")
    )
    .is_ok());
    assert_eq!(
        Signer::new("", "s", SigningSettings::default()).unwrap_err(),
        SigningError::InvalidRegion
    );
    assert_eq!(
        Signer::new("r", "a/b", SigningSettings::default()).unwrap_err(),
        SigningError::InvalidService
    );
    for bad in [0, 604_801] {
        assert_eq!(
            Signer::new("r", "s", SigningSettings::default().presigned(bad)).unwrap_err(),
            SigningError::InvalidExpires {
                expires_in_secs: bad
            }
        );
    }
    assert!(Signer::new("r", "s", SigningSettings::default().presigned(604_800)).is_ok());
    let far = Timestamp::from_unix_seconds(253_402_300_800);
    assert_eq!(
        s.sign(
            &SignableRequest::new("GET", "https://h/", &[], Payload::Unsigned),
            &c,
            far
        )
        .unwrap_err(),
        SigningError::TimeOutOfRange
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn sign_and_verify_never_panic(
        method in ".{0,8}",
        uri in ".{0,60}",
        names in proptest::collection::vec(".{0,12}", 0..4),
        values in proptest::collection::vec(".{0,20}", 0..4),
        body in proptest::collection::vec(any::<u8>(), 0..40),
        presign in any::<bool>(),
        secs in 0i64..400_000_000_000,
    ) {
        let c = creds(true);
        let headers: Vec<(&str, &str)> = names.iter().map(String::as_str).zip(values.iter().map(String::as_str)).collect();
        let req = SignableRequest::new(&method, &uri, &headers, Payload::Bytes(&body));
        let mut s = SigningSettings::default();
        if presign { s = s.presigned(60); }
        let t = Timestamp::from_unix_seconds(secs);
        if let Ok(out) = Signer::new("us-east-1", "svc", s).unwrap().sign(&req, &c, t) {
            let _ = out.render(&req);
            let _ = out.signed_uri(&req);
        }
        let _ = verify(&req, |_| Some(c.clone()), t, &VerifySettings::default());
    }

    #[test]
    fn verify_never_panics_on_hostile_signature_fields(
        auth in ".{0,200}",
        date in ".{0,20}",
        query in "[A-Za-z0-9%=&.+/_-]{0,200}",
    ) {
        let c = creds(false);
        let headers = [("host", "h"), ("authorization", auth.as_str()), ("x-amz-date", date.as_str())];
        let uri = format!("/p?{query}");
        let req = SignableRequest::new("GET", &uri, &headers, Payload::Unsigned);
        let _ = verify(&req, |_| Some(c.clone()), t0(), &VerifySettings::default());
        let req = SignableRequest::new("GET", &uri, &headers[..1], Payload::Unsigned);
        let _ = verify(&req, |_| Some(c.clone()), t0(), &VerifySettings::default());
    }
}

/// Fuzzing findings F1 and F2 (FUZZING.md): header names with `$ # & +` in a presigned URL, and
/// a query that ends in a literal `?`, both sign and verify.
#[test]
fn presigned_odd_header_names_and_trailing_question_mark_round_trip() {
    let c = creds(true);
    let signer = Signer::new("us-east-1", "svc", SigningSettings::default().presigned(60)).unwrap();
    for (uri, name) in [
        ("https://example.com/", "A$B"),
        ("https://example.com/", "A#B"),
        ("https://example.com/", "A&B"),
        ("https://example.com/", "A+B"),
        ("https://example.com/p?a=b?", "X-Ok"),
    ] {
        let headers = [(name, "1")];
        let req = SignableRequest::new("GET", uri, &headers, Payload::Unsigned);
        let out = signer.sign(&req, &c, t0()).unwrap();
        let url = out.signed_uri(&req);
        let target = url.strip_prefix("https://example.com").unwrap().to_string();
        let wire = [("host", "example.com"), (name, "1")];
        let r = SignableRequest::new("GET", &target, &wire, Payload::Unsigned);
        verify(&r, |_| Some(c.clone()), t0(), &VerifySettings::default())
            .unwrap_or_else(|e| panic!("{uri} {name}: {e}\n{url}"));
    }
}

/// Fuzzing finding F3 (FUZZING.md): a `,` `&` `=` or `;` in the access key id, region or
/// service made a request that signs but never verifies (the `Authorization` header, the
/// presigned query and the signed-headers list are split on them). They are refused where the
/// identifier enters, naming it; every other visible ASCII byte still signs and verifies.
#[test]
fn identifiers_with_separators_are_refused_and_the_rest_round_trip() {
    use sigfresh::credentials::CredentialsError;
    for sep in [",", "&", "=", ";", "/"] {
        let odd = format!("a{sep}b");
        assert_eq!(
            Credentials::builder(odd.as_str(), SECRET)
                .build()
                .unwrap_err(),
            CredentialsError::InvalidCharacter {
                field: "access key id",
                offset: 1
            },
            "{odd}"
        );
        assert_eq!(
            Signer::new(&odd, "svc", SigningSettings::default()).unwrap_err(),
            SigningError::InvalidRegion,
            "{odd}"
        );
        assert_eq!(
            Signer::new("us-east-1", &odd, SigningSettings::default()).unwrap_err(),
            SigningError::InvalidService,
            "{odd}"
        );
    }
    let e = Signer::new("eu,west", "svc", SigningSettings::default()).unwrap_err();
    assert!(e.to_string().starts_with("region "), "{e}");
    let e = Credentials::builder("AK,ID", SECRET).build().unwrap_err();
    assert!(e.to_string().starts_with("access key id "), "{e}");

    // Odd but unambiguous bytes sign and verify, header-signed and presigned.
    let c = Credentials::builder("AK+!%2F?:ID", SECRET)
        .session_token(TOKEN)
        .build()
        .unwrap();
    for settings in [
        SigningSettings::default(),
        SigningSettings::default().presigned(60),
    ] {
        let signer = Signer::new("re+gion!?", "se%20rv:ice", settings).unwrap();
        let req = SignableRequest::new("GET", "https://example.com/p?q=1", &[], Payload::Unsigned);
        let out = signer.sign(&req, &c, t0()).unwrap();
        let url = out.signed_uri(&req);
        let target = url.strip_prefix("https://example.com").unwrap().to_string();
        let mut wire = vec![("host", "example.com")];
        wire.extend(out.headers());
        let r = SignableRequest::new("GET", &target, &wire, Payload::Unsigned);
        verify(&r, |_| Some(c.clone()), t0(), &VerifySettings::default())
            .unwrap_or_else(|e| panic!("{e}\n{url}"));
    }
}

/// S3 presigned URLs sign `UNSIGNED-PAYLOAD` by default (`SigningSettings::s3`): the S3
/// documentation's example ("Authenticating Requests: Using Query Parameters") comes out exact
/// even when the host describes an empty body, and `VerifySettings::s3` verifies it.
#[test]
fn s3_presigned_urls_sign_unsigned_payload_by_default() {
    const URL: &str = "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";
    let c = Credentials::builder(
        "AKIAIOSFODNN7EXAMPLE",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    )
    .build()
    .unwrap();
    let at = Timestamp::from_unix_seconds(1_369_353_600); // 2013-05-24T00:00:00Z
    let req = SignableRequest::new(
        "GET",
        "https://examplebucket.s3.amazonaws.com/test.txt",
        &[],
        Payload::Bytes(b""),
    );
    let signer = Signer::new("us-east-1", "s3", SigningSettings::s3().presigned(86_400)).unwrap();
    let out = signer.sign(&req, &c, at).unwrap();
    assert_eq!(out.signed_uri(&req), URL);
    assert!(out.canonical_request().ends_with("\nUNSIGNED-PAYLOAD"));
    // Every other service presigns the payload it is given.
    let mut s = SigningSettings::s3().presigned(86_400);
    s.presigned_payload = sigfresh::sigv4::PresignedPayload::AsGiven;
    let other = Signer::new("us-east-1", "s3", s)
        .unwrap()
        .sign(&req, &c, at)
        .unwrap();
    assert_ne!(other.signed_uri(&req), URL);
    // Header signing with S3 settings still signs the body's hash.
    let h = Signer::new("us-east-1", "s3", SigningSettings::s3())
        .unwrap()
        .sign(&req, &c, at)
        .unwrap();
    assert!(!h.canonical_request().ends_with("UNSIGNED-PAYLOAD"));

    let target = URL
        .strip_prefix("https://examplebucket.s3.amazonaws.com")
        .unwrap();
    let wire = [("host", "examplebucket.s3.amazonaws.com")];
    let r = SignableRequest::new("GET", target, &wire, Payload::Bytes(b""));
    verify(&r, |_| Some(c.clone()), at, &VerifySettings::s3()).unwrap();
    assert!(matches!(
        verify(&r, |_| Some(c.clone()), at, &VerifySettings::default()),
        Err(VerifyError::SignatureMismatch { .. })
    ));
}

/// A valid signature made with credentials that have expired is refused with the credentials'
/// expiry (AWS answers `ExpiredToken`), unless the verifier opts out.
#[test]
fn verify_refuses_expired_credentials() {
    let c = Credentials::builder("ASIAEXAMPLE", SECRET)
        .session_token(TOKEN)
        .expiry(t0().offset_millis(60_000))
        .build()
        .unwrap();
    let req = SignableRequest::new("GET", "https://h.example/", &[], Payload::Bytes(b""));
    let out = Signer::new("us-east-1", "svc", SigningSettings::default())
        .unwrap()
        .sign(&req, &c, t0())
        .unwrap();
    let mut wire = vec![("host", "h.example")];
    wire.extend(out.headers());
    let r = SignableRequest::new("GET", "/", &wire, Payload::Bytes(b""));
    let check = |now: Timestamp, s: &VerifySettings| verify(&r, |_| Some(c.clone()), now, s);
    let s = VerifySettings::default();
    check(t0().offset_millis(59_000), &s).unwrap();
    let later = t0().offset_millis(120_000);
    let e = check(later, &s).unwrap_err();
    assert_eq!(
        e,
        VerifyError::CredentialsExpired {
            expired_at: t0().offset_millis(60_000),
            now: later
        }
    );
    assert!(e.to_string().contains("ExpiredToken"), "{e}");
    let mut lenient = VerifySettings::default();
    lenient.reject_expired_credentials = false;
    check(later, &lenient).unwrap();
}
