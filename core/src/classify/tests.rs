use super::*;

#[test]
fn codes_are_sanitised_and_checked() {
    assert_eq!(
        clean_code("aws.protocoltests.restjson#FooError:http://x/"),
        Some("FooError")
    );
    assert_eq!(clean_code(" Client.NoSuchKey "), Some("Client.NoSuchKey"));
    assert_eq!(
        clean_code("AWS.SimpleQueueService.NonExistentQueue"),
        Some("AWS.SimpleQueueService.NonExistentQueue")
    );
    assert_eq!(clean_code(""), None);
    assert_eq!(clean_code("ns#"), None);
    assert_eq!(clean_code("Bad Code"), None);
    assert_eq!(clean_code("Bad\r\nCode"), None);
    assert_eq!(clean_code(&"A".repeat(129)), None);
    assert_eq!(sanitize_error_code("a#b#c"), "b#c");
}

#[test]
fn messages_are_cleaned() {
    let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    let m = clean_message(&format!("key {secret} and AKIDEXAMPLE\r\nnext\tline"));
    assert_eq!(m, "key ** redacted ** and AKIDEXAMPLE  next line");
    let long = "é".repeat(2000);
    let m = clean_message(&long);
    assert!(
        m.len() <= MESSAGE_LIMIT + '…'.len_utf8() && m.ends_with('…'),
        "{}",
        m.len()
    );
    assert_eq!(clean_message("  \n "), "");
    // An ARN is not a secret: its runs are short.
    let arn = "User: arn:aws:sts::123456789012:assumed-role/my-role/session is not authorized";
    assert_eq!(clean_message(arn), arn);
}

#[test]
fn signature_time_messages() {
    let q = signature_time_message(
        "Signature expired: 20210502T144040Z is now earlier than 20210502T173143Z (20210502T174643Z - 15 min.)",
    )
    .unwrap();
    let signed = q.signed_at.unwrap();
    let server = q.server.unwrap();
    assert_eq!(server.millis_since(signed), (3 * 3600 + 6 * 60 + 3) * 1000);
    let q = signature_time_message(
        "Signature not yet current: 20170424T013926Z is still later than 20170424T013832Z (20170424T013332Z + 5 min.)",
    )
    .unwrap();
    assert_eq!(
        q.server.unwrap().millis_since(q.signed_at.unwrap()),
        -(5 * 60 + 54) * 1000
    );
    let q = signature_time_message("Signature expired: soon (é").unwrap();
    assert!(q.signed_at.is_none() && q.server.is_none());
    assert!(signature_time_message("The request signature we calculated does not match").is_none());
}

#[test]
fn credential_source_upgrade() {
    let body = b"<ErrorResponse><Error><Code>InvalidClientTokenId</Code></Error></ErrorResponse>";
    let c = classify(
        &ErrorResponse::new(403, &[], body),
        None,
        Timestamp::from_unix_millis(0),
    );
    assert_eq!(c.action, Action::Fatal);
    assert_eq!(c.kind, ErrorKind::CredentialsNotRecognized);
    assert_eq!(
        c.action_for_source(&CredentialSource::Sts),
        Action::RefreshCredentialsAndRetry
    );
    assert_eq!(
        c.action_for_source(&CredentialSource::InstanceMetadata),
        Action::RefreshCredentialsAndRetry
    );
    assert_eq!(
        c.action_for_source(&CredentialSource::Static),
        Action::Fatal
    );
    assert_eq!(
        c.action_for_source(&CredentialSource::Profile("p".into())),
        Action::Fatal
    );
    assert!(c.explain().contains("did not recognize"));
}

#[test]
fn debug_of_response_hides_values() {
    let headers = [("x-amz-security-token", "SECRETTOKEN")];
    let r = ErrorResponse::new(400, &headers, b"SECRETBODY");
    let d = format!("{r:?}");
    assert!(
        !d.contains("SECRET") && d.contains("x-amz-security-token"),
        "{d}"
    );
    assert_eq!(r.header("X-AMZ-SECURITY-TOKEN"), Some("SECRETTOKEN"));
}

#[test]
fn signature_mismatch_echoes_are_kept_with_the_token_redacted() {
    let body = "<Error><Code>SignatureDoesNotMatch</Code><Message>m</Message>\
        <StringToSign>AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/s3/aws4_request\nabc</StringToSign>\
        <CanonicalRequest>GET\n/\nX-Amz-Security-Token=SECRETTOKEN&amp;a=1\nhost:h\nx-amz-security-token:SECRETTOKEN\n\nhost;x-amz-security-token\nUNSIGNED-PAYLOAD</CanonicalRequest></Error>";
    let c = classify(
        &ErrorResponse::new(403, &[], body.as_bytes()),
        None,
        Timestamp::from_unix_seconds(0),
    );
    assert_eq!(c.kind, ErrorKind::SignatureMismatch);
    assert_eq!(
        c.canonical_request.as_deref(),
        Some(
            "GET\n/\nX-Amz-Security-Token=<redacted>&a=1\nhost:h\nx-amz-security-token:<redacted>\n\
             \nhost;x-amz-security-token\nUNSIGNED-PAYLOAD"
        )
    );
    assert_eq!(
        c.string_to_sign.as_deref(),
        Some("AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/s3/aws4_request\nabc")
    );
    let json = classify(
        &ErrorResponse::new(403, &[], br#"{"__type":"InvalidSignatureException"}"#),
        None,
        Timestamp::from_unix_seconds(0),
    );
    assert_eq!((json.canonical_request, json.string_to_sign), (None, None));
}
