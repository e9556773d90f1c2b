//! W1–W3 (`tests/bench/workload.json`): sigfresh and aws-sigv4 must both reproduce the file's
//! canonical request, string to sign and signature exactly, so the benchmark compares like
//! with like.

mod common;

use common::workload::{load, Workload};
use common::{aws, redact_like_aws, sign_aws, sign_sigfresh};

fn check_stage(w: &Workload, who: &str, stage: &str, got: &str, want: &str) {
    assert_eq!(
        got, want,
        "{}: {who} {stage} differs from tests/bench/workload.json",
        w.name
    );
}

#[test]
fn sigfresh_reproduces_every_stage() {
    for w in load() {
        let (out, signed_uri) =
            sign_sigfresh(&w.case).unwrap_or_else(|e| panic!("{}: {e}", w.name));
        check_stage(
            &w,
            "sigfresh",
            "canonical request",
            out.canonical_request.as_deref().unwrap_or(""),
            &w.canonical_request,
        );
        check_stage(
            &w,
            "sigfresh",
            "string to sign",
            out.string_to_sign.as_deref().unwrap_or(""),
            &w.string_to_sign,
        );
        check_stage(&w, "sigfresh", "signature", &out.signature, &w.signature);
        match signed_uri {
            Some(uri) => {
                let sig = format!("X-Amz-Signature={}", w.signature);
                assert!(
                    uri.contains(&sig),
                    "{}: signed URL lacks {sig}: {uri}",
                    w.name
                );
                assert!(
                    uri.starts_with(&w.case.uri),
                    "{}: signed URL does not extend the request URL: {uri}",
                    w.name
                );
            }
            None => {
                let auth = out
                    .authorization
                    .expect("header signing gives an Authorization");
                assert_eq!(
                    auth,
                    format!(
                        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/{}, SignedHeaders={}, Signature={}",
                        scope(&w.string_to_sign),
                        w.signed_headers,
                        w.signature
                    ),
                    "{}: sigfresh authorization header",
                    w.name
                );
            }
        }
    }
}

fn scope(sts: &str) -> &str {
    sts.split('\n')
        .nth(2)
        .expect("string to sign has a scope line")
}

#[test]
fn aws_sigv4_reproduces_every_stage() {
    aws::capture();
    for w in load() {
        let out = sign_aws(&w.case).unwrap_or_else(|e| panic!("{}: {e}", w.name));
        // aws-sigv4 logs the canonical request with the token value redacted.
        check_stage(
            &w,
            "aws-sigv4",
            "canonical request (as logged, token redacted)",
            out.canonical_request.as_deref().unwrap_or(""),
            &redact_like_aws(&w.canonical_request, &w.case),
        );
        if let Some(sts) = &out.string_to_sign {
            check_stage(&w, "aws-sigv4", "string to sign", sts, &w.string_to_sign);
        }
        check_stage(&w, "aws-sigv4", "signature", &out.signature, &w.signature);
    }
}

#[test]
fn workload_file_is_self_consistent() {
    use sha2::Digest;
    for w in load() {
        let hash = hex::encode(sha2::Sha256::digest(w.canonical_request.as_bytes()));
        assert!(
            w.string_to_sign.ends_with(&hash),
            "{}: string to sign does not end with the canonical request's hash",
            w.name
        );
    }
}
