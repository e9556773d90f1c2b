//! `raw_request::RawRequest::parse` on arbitrary bytes: never panics, and what it returns is
//! consistent (body is a suffix of the input, method/target non-empty, no header name with
//! whitespace before the colon). Parsed requests are then signed (must not panic).
#![no_main]

use libfuzzer_sys::fuzz_target;
use sigfresh::credentials::Credentials;
use sigfresh::raw_request::RawRequest;
use sigfresh::sigv4::{Payload, SignableRequest, Signer, SigningSettings};
use sigfresh::time::Timestamp;

fuzz_target!(|data: &[u8]| {
    let r = match RawRequest::parse(data) {
        Ok(r) => r,
        Err(e) => {
            let _ = (e.to_string(), format!("{e:?}"));
            return;
        }
    };
    assert!(!r.method.is_empty() && !r.target.is_empty());
    assert!(data.ends_with(r.body), "the body is the end of the input");
    for (name, value) in &r.headers {
        assert!(!name.is_empty() && !name.ends_with([' ', '\t']));
        assert_eq!(
            value.trim_matches([' ', '\t']),
            value.as_ref(),
            "values are trimmed"
        );
        assert!(r.header(name).is_some());
    }
    let pairs = r.header_pairs();
    let creds = Credentials::builder("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
        .build()
        .expect("static credentials build");
    let signer = Signer::new("us-east-1", "service", SigningSettings::default())
        .expect("the default settings are valid");
    let req = SignableRequest::new(r.method, r.target, &pairs, Payload::Bytes(r.body));
    if let Ok(out) = signer.sign(&req, &creds, Timestamp::from_unix_seconds(1_440_938_160)) {
        let rendered = out.render(&req);
        let _ = (out.signed_uri(&req), format!("{out:?}"));
        // What the signer renders is a request the parser reads back with the same method.
        if let Ok(back) = RawRequest::parse(&rendered) {
            assert_eq!(back.method, r.method);
        }
    }
});
