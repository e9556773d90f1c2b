//! `ProfileSet::parse` on an arbitrary credentials file and config file, then every accessor
//! and `Profile::credentials` of every profile: never panics, never shows a secret.
#![no_main]

use arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use sigfresh::document::ProfileSet;
use sigfresh_fuzz::{check_credentials, check_document};

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    // The first bytes pick where the credentials file ends; the rest is the config file.
    let split = u.arbitrary::<u16>().unwrap_or(0) as usize;
    let which = u.arbitrary::<u8>().unwrap_or(3);
    let rest = u.take_rest();
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let mut split = split.min(text.len());
    while !text.is_char_boundary(split) {
        split -= 1;
    }
    let (creds, config) = text.split_at(split);
    let creds = (which & 1 != 0).then_some(creds);
    let config = (which & 2 != 0).then_some(config);
    let Ok(set) = ProfileSet::parse(creds, config) else {
        return;
    };
    let _ = format!("{set:?}");
    for p in set.profiles().chain(set.sso_sessions()) {
        let _ = (p.name(), p.get("region"), p.get("Role_Arn"));
        for prop in p.properties() {
            let _ = (prop.key(), prop.value(), prop.file(), prop.line());
            let _ = prop.sub_properties().count();
            let _ = prop.sub_property("max_concurrent_requests");
            assert!(
                p.property(prop.key()).is_some(),
                "a listed key can be looked up"
            );
        }
        match p.credentials() {
            Ok(Some(c)) => check_credentials(&c),
            Ok(None) => {}
            Err(e) => check_document(Err(e)),
        }
    }
});
