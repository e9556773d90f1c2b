//! `document::parse_any` on arbitrary bytes: never panics, and a document it detects as format
//! F parses the same way through F's own parser.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sigfresh::document::{
    parse_any, parse_container, parse_imds, parse_process, parse_sso, parse_sts, DocumentFormat,
};
use sigfresh_fuzz::{check_credentials, check_document};

fuzz_target!(|data: &[u8]| {
    match parse_any(data) {
        Ok((format, c)) => {
            check_credentials(&c);
            let direct = match format {
                DocumentFormat::InstanceMetadata => parse_imds(data),
                DocumentFormat::Container => parse_container(data),
                DocumentFormat::Process => parse_process(data),
                DocumentFormat::Sso => parse_sso(data),
                DocumentFormat::Sts => parse_sts(data),
                other => panic!("parse_any returned a non-document format {other:?}"),
            };
            let d = direct.expect("the detected format's own parser accepts the document");
            assert_eq!(d.access_key_id(), c.access_key_id());
            assert_eq!(d.expiry(), c.expiry());
            assert_eq!(
                d.secret_access_key().expose_secret(),
                c.secret_access_key().expose_secret()
            );
        }
        Err(e) => check_document(Err(e)),
    }
});
