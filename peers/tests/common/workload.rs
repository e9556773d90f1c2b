//! The W1–W3 benchmark workloads from `tests/bench/workload.json` (a copy of the shared bench
//! inputs), as [`Case`]s plus the expected results.

use super::{Body, Case, Knobs};

/// The workload file, embedded at compile time.
pub const WORKLOAD_JSON: &str = include_str!("../../../tests/bench/workload.json");

/// One workload: the request to sign and what every peer produced for it.
#[derive(Clone, Debug)]
pub struct Workload {
    pub name: &'static str,
    pub case: Case,
    pub canonical_request: String,
    pub string_to_sign: String,
    pub signature: String,
    pub signed_headers: String,
}

fn s(v: &serde_json::Value, key: &str) -> String {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("workload.json: {key} is not a string"))
        .to_string()
}

/// W1, W2 and W3, in that order.
pub fn load() -> Vec<Workload> {
    let root: serde_json::Value = serde_json::from_str(WORKLOAD_JSON).expect("workload.json");
    let time = root["time_epoch"].as_i64().expect("time_epoch");
    let token = s(&root, "session_token");
    let mut out = Vec::new();
    for name in ["W1", "W2", "W3"] {
        let w = &root[name];
        let headers: Vec<(String, String)> = match w["headers"].as_object() {
            Some(map) => map
                .iter()
                .map(|(k, v)| (k.clone(), v.as_str().expect("header value").to_string()))
                .collect(),
            None => Vec::new(),
        };
        let (body, knobs) = match name {
            "W1" => (Body::Unsigned, Knobs::S3),
            "W2" => (Body::Bytes(s(w, "body").into_bytes()), Knobs::DEFAULT),
            _ => (
                Body::Unsigned,
                Knobs {
                    presign: Some(w["expires"].as_u64().expect("expires") as u32),
                    ..Knobs::S3
                },
            ),
        };
        out.push(Workload {
            name,
            case: Case {
                method: s(w, "method"),
                uri: s(w, "url"),
                headers,
                body,
                region: s(w, "region"),
                service: s(w, "service"),
                time,
                token: Some(token.clone()),
                knobs,
                params: None,
                botocore_url: None,
            },
            canonical_request: s(w, "canonical_request"),
            string_to_sign: s(w, "string_to_sign"),
            signature: s(w, "signature"),
            signed_headers: s(w, "signed_headers"),
        });
    }
    out
}
