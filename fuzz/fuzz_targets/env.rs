//! `document::parse_env` over an arbitrary map (as a slice of pairs, a `HashMap` and a
//! `BTreeMap`: all three must agree), plus the other readers of the environment
//! (`ImdsConfig::from_env`, `ContainerConfig::from_env`, `StsEndpoint::from_env`).
#![no_main]

use arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use sigfresh::document::parse_env;
use sigfresh::source::{ContainerConfig, ImdsConfig, StsEndpoint};
use sigfresh_fuzz::{check_credentials, check_document, env, ENV_NAMES};
use std::collections::{BTreeMap, HashMap};

fn summary(
    r: &Result<Option<sigfresh::credentials::Credentials>, sigfresh::document::DocumentError>,
) -> String {
    match r {
        Ok(Some(c)) => format!(
            "{:?} {} {:?} {:?}",
            c.access_key_id(),
            c.secret_access_key().expose_secret(),
            c.session_token().map(|t| t.expose_secret()),
            c.expiry()
        ),
        Ok(None) => "none".to_owned(),
        Err(e) => format!("{e:?}"),
    }
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(pairs) = env(&mut u, ENV_NAMES) else {
        return;
    };
    let from_slice = parse_env(&pairs[..]);
    // The last pair with a key wins in a slice; so it does when collected into a map.
    let hash: HashMap<String, String> = pairs.iter().cloned().collect();
    let tree: BTreeMap<&str, &str> = pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let from_hash = parse_env(&hash);
    let from_tree = parse_env(&tree);
    assert_eq!(summary(&from_slice), summary(&from_hash));
    assert_eq!(summary(&from_slice), summary(&from_tree));
    match from_slice {
        Ok(Some(c)) => check_credentials(&c),
        Ok(None) => {}
        Err(e) => check_document(Err(e)),
    }
    if let Ok(c) = ImdsConfig::from_env(&pairs, None) {
        let _ = format!("{c:?}");
    }
    match ContainerConfig::from_env(&pairs) {
        Ok(Some(c)) => {
            let _ = (format!("{c:?}"), c.url.to_string());
        }
        Ok(None) => {}
        Err(e) => {
            let _ = e.to_string();
        }
    }
    if let Ok(e) = StsEndpoint::from_env(&pairs, None) {
        let _ = format!("{e:?}");
    }
});
