//! Runs every sample in `tests/errors/cases.json` through `classify`, plus properties.

use proptest::prelude::*;
use serde_json::Value;
use sigfresh::classify::{
    classify, Action, Classification, ErrorKind, ErrorResponse, BODY_SCAN_LIMIT,
};
use sigfresh::skew::ClockSkew;
use sigfresh::time::{parse_rfc3339, Timestamp};
use std::path::PathBuf;

fn errors_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/errors")
}

fn text(v: &Value) -> Option<&str> {
    v.as_str()
}

/// Compares one expected field; returns a message naming it on mismatch.
fn check(c: &Classification, offset_after: i64, field: &str, want: &Value) -> Option<String> {
    let got: Value = match field {
        "action" => Value::from(format!("{:?}", c.action)),
        "kind" => Value::from(format!("{:?}", c.kind)),
        "skew_verdict" => Value::from(format!("{:?}", c.skew_verdict)),
        "code" => c.code.clone().map_or(Value::Null, Value::from),
        "message" => c.message.clone().map_or(Value::Null, Value::from),
        "server_time" => c
            .server_time
            .map_or(Value::Null, |t| Value::from(t.to_string())),
        "skew_ms" => c.skew_ms.map_or(Value::Null, Value::from),
        "offset_after_ms" => Value::from(offset_after),
        "canonical_request" => c.canonical_request.clone().map_or(Value::Null, Value::from),
        "string_to_sign" => c.string_to_sign.clone().map_or(Value::Null, Value::from),
        other => return Some(format!("unknown expected field {other:?}")),
    };
    (got != *want).then(|| format!("{field}: expected {want}, got {got}"))
}

#[test]
fn every_sample_classifies_as_expected() {
    let dir = errors_dir();
    let cases: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("cases.json")).unwrap()).unwrap();
    let default_now = parse_rfc3339(text(&cases["default_local_now"]).unwrap()).unwrap();
    let list = cases["cases"].as_array().unwrap();
    assert!(list.len() >= 30, "only {} cases", list.len());
    let mut failures = Vec::new();
    let mut names = std::collections::HashSet::new();
    for case in list {
        let name = text(&case["name"]).unwrap();
        assert!(names.insert(name), "duplicate case name {name}");
        let status = u16::try_from(case["status"].as_u64().unwrap()).unwrap();
        let headers: Vec<(String, String)> = case["headers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| {
                (
                    text(&h[0]).unwrap().to_owned(),
                    text(&h[1]).unwrap().to_owned(),
                )
            })
            .collect();
        let header_refs: Vec<(&str, &str)> = headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let body = match text(&case["body"]) {
            Some(file) => std::fs::read(dir.join("bodies").join(file))
                .unwrap_or_else(|e| panic!("case {name}: body file {file}: {e}")),
            None => Vec::new(),
        };
        let local_now = text(&case["local_now"]).map_or(default_now, |t| parse_rfc3339(t).unwrap());
        let skew = ClockSkew::default();
        let c = classify(
            &ErrorResponse::new(status, &header_refs, &body),
            Some(&skew),
            local_now,
        );
        let expected = case["expected"].as_object().unwrap();
        for (field, want) in expected {
            if let Some(msg) = check(&c, skew.offset_millis(), field, want) {
                failures.push(format!("case {name}: {msg}"));
            }
        }
        let shown = format!("{c:?}\n{}", c.explain());
        for secret in case["must_not_contain"].as_array().into_iter().flatten() {
            let secret = text(secret).unwrap();
            if shown.contains(secret) {
                failures.push(format!("case {name}: output echoes {secret:?}"));
            }
        }
        let explanation = c.explain();
        if explanation.is_empty() || explanation.contains('\n') {
            failures.push(format!("case {name}: bad explanation {explanation:?}"));
        }
        // Classifying without a tracker gives the same action (no prior offset was in use).
        let plain = classify(
            &ErrorResponse::new(status, &header_refs, &body),
            None,
            local_now,
        );
        if plain.action != c.action || plain.skew_change.is_some() {
            failures.push(format!(
                "case {name}: without a ClockSkew: {:?}",
                plain.action
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failure(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_body_file_is_used() {
    let dir = errors_dir();
    let cases = std::fs::read_to_string(dir.join("cases.json")).unwrap();
    for entry in std::fs::read_dir(dir.join("bodies")).unwrap() {
        let file = entry.unwrap().file_name().into_string().unwrap();
        assert!(
            cases.contains(&format!("\"{file}\"")),
            "{file} is not used by any case"
        );
    }
}

#[test]
fn a_retry_after_correction_is_not_blamed_on_the_clock_again() {
    // The host clock is 10 minutes behind. First SignatureDoesNotMatch: skew, learn the offset.
    let skew = ClockSkew::default();
    let local_now = Timestamp::from_unix_seconds(1_754_993_700); // 2025-08-12T10:15:00Z
    let headers = [("Date", "Tue, 12 Aug 2025 10:25:00 GMT")];
    let body = b"<Error><Code>SignatureDoesNotMatch</Code><Message>m</Message></Error>";
    let first = classify(
        &ErrorResponse::new(403, &headers, body),
        Some(&skew),
        local_now,
    );
    assert_eq!(first.action, Action::CorrectClockAndRetry);
    assert_eq!(
        skew.corrected(local_now),
        Timestamp::from_unix_seconds(1_754_994_300)
    );
    // The retry was signed with the corrected time and failed the same way: now it is the key.
    let later = local_now.offset_millis(1_000);
    let headers = [("Date", "Tue, 12 Aug 2025 10:25:01 GMT")];
    let second = classify(&ErrorResponse::new(403, &headers, body), Some(&skew), later);
    assert_eq!(second.action, Action::Fatal);
    assert_eq!(second.kind, ErrorKind::SignatureMismatch);
    assert_eq!(second.skew_ms, Some(0));
    assert_eq!(skew.offset_millis(), 600_000);
    assert!(
        second.explain().contains("not the cause"),
        "{}",
        second.explain()
    );
}

#[test]
fn expired_token_with_a_wrong_clock_also_learns_the_offset() {
    let skew = ClockSkew::default();
    let local_now = Timestamp::from_unix_seconds(1_754_993_700); // 10:15:00
    let headers = [("Date", "Tue, 12 Aug 2025 11:15:00 GMT")];
    let body = br#"{"__type":"ExpiredTokenException","message":"The security token included in the request is expired"}"#;
    let c = classify(
        &ErrorResponse::new(400, &headers, body),
        Some(&skew),
        local_now,
    );
    assert_eq!(c.action, Action::RefreshCredentialsAndRetry);
    assert_eq!(skew.offset_millis(), 3_600_000);
}

#[test]
fn huge_bodies_are_scanned_only_up_to_the_limit() {
    let mut body = b"<Error><Message>".to_vec();
    body.resize(BODY_SCAN_LIMIT * 4, b'a');
    body.extend_from_slice(b"</Message><Code>ExpiredToken</Code></Error>");
    let c = classify(
        &ErrorResponse::new(400, &[], &body),
        None,
        Timestamp::from_unix_millis(0),
    );
    assert_eq!(c.code, None);
    assert_eq!(c.action, Action::Fatal);
}

#[test]
fn explanations_say_what_and_how() {
    let now = Timestamp::from_unix_millis(0);
    let c = classify(
        &ErrorResponse::new(
            403,
            &[],
            br#"{"message":"The security token included in the request is expired"}"#,
        ),
        None,
        now,
    );
    assert_eq!(
        c.explain(),
        "The session token has expired (HTTP 403): refresh credentials before expiry (sigfresh \
         refreshes 5 minutes ahead by default) and retry once."
    );
    let body =
        b"<Error><Code>RequestTimeTooSkewed</Code><RequestTime>20210811T184802Z</RequestTime>\
                 <ServerTime>2021-08-11T21:48:05Z</ServerTime></Error>";
    let c = classify(&ErrorResponse::new(403, &[], body), None, now);
    assert!(
        c.explain().contains("3 h 0 min 3 s behind AWS's"),
        "{}",
        c.explain()
    );
    let c = classify(&ErrorResponse::new(429, &[], b""), None, now);
    assert!(
        c.explain()
            .starts_with("AWS is throttling these requests (HTTP 429)"),
        "{}",
        c.explain()
    );
}

fn arb_body() -> impl Strategy<Value = Vec<u8>> {
    let fragment = prop_oneof![
        Just("<Error>".to_owned()),
        Just("</Error>".to_owned()),
        Just("<Code>".to_owned()),
        Just("</Code>".to_owned()),
        Just("<Message>".to_owned()),
        Just("</Message>".to_owned()),
        Just("<ServerTime>2021-08-11T21:48:05Z</ServerTime>".to_owned()),
        Just("<RequestTime>Sun, 06 Nov 1994 08:49:37 GMT</RequestTime>".to_owned()),
        Just("<![CDATA[".to_owned()),
        Just("]]>".to_owned()),
        Just("<!--".to_owned()),
        Just("&#x1F600;&amp;&#99999999;".to_owned()),
        Just("Signature expired: 20210502T144040Z is now earlier than (2021".to_owned()),
        Just(r#"{"__type":"a#b:c","message":"#.to_owned()),
        Just("The security token included in the request is expired".to_owned()),
        "[A-Za-z0-9+/=]{0,60}",
        "\\PC{0,8}",
    ];
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..512),
        proptest::collection::vec(fragment, 0..24).prop_map(|v| v.concat().into_bytes()),
    ]
}

fn arb_header() -> impl Strategy<Value = (String, String)> {
    let name = prop_oneof![
        Just("Date".to_owned()),
        Just("x-amzn-ErrorType".to_owned()),
        Just("x-amzn-query-error".to_owned()),
        Just("Age".to_owned()),
        "[a-zA-Z-]{0,12}",
    ];
    let value = prop_oneof![
        Just("Tue, 12 Aug 2025 10:25:00 GMT".to_owned()),
        Just("ThrottlingException:http://x/".to_owned()),
        Just(";".to_owned()),
        "\\PC{0,40}",
    ];
    (name, value)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn classify_never_panics(
        status in any::<u16>(),
        headers in proptest::collection::vec(arb_header(), 0..5),
        body in arb_body(),
        now in any::<i64>(),
        offset in any::<i64>(),
    ) {
        let refs: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        let skew = ClockSkew::with_threshold_millis(0);
        skew.observe(Timestamp::from_unix_millis(offset), Timestamp::from_unix_millis(0));
        let c = classify(&ErrorResponse::new(status, &refs, &body), Some(&skew), Timestamp::from_unix_millis(now));
        let _ = c.explain();
        if let Some(code) = &c.code {
            prop_assert!(!code.is_empty() && code.len() <= 128);
        }
        if let Some(m) = &c.message {
            prop_assert!(m.len() <= sigfresh::classify::MESSAGE_LIMIT + 3);
            prop_assert!(!m.chars().any(char::is_control));
        }
    }
}
