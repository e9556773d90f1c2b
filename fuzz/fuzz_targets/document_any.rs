//! `document::parse_any` on arbitrary bytes: never panics, and a document it detects as format
//! F parses the same way through F's own parser (JSON/XML) or through `ProfileSet` (profile
//! files).
#![no_main]

use libfuzzer_sys::fuzz_target;
use sigfresh::document::{
    parse_any, parse_container, parse_imds, parse_process, parse_sso, parse_sts, DocumentFormat,
    ProfileSet,
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
                DocumentFormat::CredentialsFile | DocumentFormat::ConfigFile => {
                    let text = std::str::from_utf8(data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data))
                        .expect("a profile file is UTF-8");
                    let (creds, config) = match format {
                        DocumentFormat::CredentialsFile => (Some(text), None),
                        _ => (None, Some(text)),
                    };
                    let set = ProfileSet::parse(creds, config).expect("the file parses");
                    let p = set.profile("default").expect("the default profile exists");
                    p.credentials()
                        .map(|c| c.expect("the profile has static keys"))
                }
                // Environment lines: the pairs are parse_any's own reading; nothing to compare.
                DocumentFormat::Environment => return,
                other => panic!("parse_any returned an unknown format {other:?}"),
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
