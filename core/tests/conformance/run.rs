//! One function per case kind: run a corpus case through the Rust core and compare.

use crate::support::vectors::{eq, input_file, pairs, root, s, time, variant, Report};
use serde_json::Value;
use sigfresh::classify::{classify, ErrorResponse};
use sigfresh::credentials::{CredentialSource, Credentials};
use sigfresh::document::{self, DocumentError, ProfileSet};
use sigfresh::raw_request::RawRequest;
use sigfresh::refresh::{Access, CredentialCache, Failure, Jitter, RefreshLease, RefreshPolicy};
use sigfresh::sigv4::{
    ContentSha256Header, HeaderSelection, PathNormalization, Payload, SessionTokenMode,
    SignableRequest, Signer, SigningSettings, UriEncoding,
};
use sigfresh::skew::ClockSkew;
use sigfresh::source::{
    ContainerConfig, ContainerSource, ImdsConfig, ImdsSource, Outcome, Source, SourceError, Step,
};
use std::collections::{BTreeMap, HashMap};

type R = Result<(), String>;

/// The official suite, driven by `tests/vectors/sigv4-suite.json`.
pub fn suite(report: &mut Report) {
    let manifest: Value = serde_json::from_slice(
        &std::fs::read(root().join("tests/vectors/sigv4-suite.json")).unwrap(),
    )
    .unwrap();
    let dir = root().join("tests/vectors/sigv4-suite");
    let mut found = Vec::new();
    walk(&dir, &mut found);
    found.sort();
    let listed = manifest["cases"].as_object().unwrap();
    for case in &found {
        let result = match listed.get(case) {
            Some(opts) => suite_case(&manifest["defaults"], case, opts),
            None => Err("not listed in tests/vectors/sigv4-suite.json".into()),
        };
        report.record("sigv4-suite", case, result);
    }
    assert_eq!(found.len(), listed.len(), "suite cases on disk vs listed");
}

fn walk(dir: &std::path::Path, out: &mut Vec<String>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            walk(&p, out);
        } else if p.extension().is_some_and(|e| e == "req") {
            let base = root().join("tests/vectors/sigv4-suite");
            let rel = p.parent().unwrap().strip_prefix(&base).unwrap();
            out.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
}

fn suite_file(case: &str, ext: &str) -> Option<String> {
    let name = case.rsplit('/').next().unwrap();
    let p = root().join(format!("tests/vectors/sigv4-suite/{case}/{name}.{ext}"));
    std::fs::read(p).ok().map(|b| String::from_utf8(b).unwrap())
}

fn suite_case(defaults: &Value, case: &str, opts: &Value) -> R {
    let req_text = suite_file(case, "req").unwrap();
    let raw = RawRequest::parse(req_text.as_bytes()).map_err(|e| format!("parse .req: {e}"))?;
    let sts_file = suite_file(case, "sts");
    let (at, region, service) = match &sts_file {
        Some(sts) => {
            let lines: Vec<&str> = sts.lines().collect();
            let scope: Vec<&str> = lines[2].split('/').collect();
            (time(lines[1]), scope[1].to_string(), scope[2].to_string())
        }
        None => (
            time(s(opts, "time").ok_or("no .sts and no time")?),
            s(defaults, "region").unwrap().to_string(),
            s(defaults, "service").unwrap().to_string(),
        ),
    };
    let mut settings = SigningSettings::default();
    let mut creds = Credentials::builder(
        s(defaults, "access_key_id").unwrap(),
        s(defaults, "secret_access_key").unwrap(),
    );
    match s(opts, "session_token") {
        Some("signed") => creds = creds.session_token(s(defaults, "session_token").unwrap()),
        Some("append-after-signing") => {
            creds = creds.session_token(s(defaults, "session_token").unwrap());
            settings.session_token = SessionTokenMode::AppendAfterSigning;
        }
        _ => {}
    }
    let creds = creds.build().unwrap();
    let target = if opts["body_as_query"].as_bool() == Some(true) {
        format!("{}?{}", raw.target, std::str::from_utf8(raw.body).unwrap())
    } else {
        raw.target.to_string()
    };
    let headers = raw.header_pairs();
    let req = SignableRequest::new(raw.method, &target, &headers, Payload::Bytes(b""));
    let out = Signer::new(&region, &service, settings)
        .and_then(|signer| signer.sign(&req, &creds, at))
        .map_err(|e| format!("sign: {e}"))?;
    let mut creq = suite_file(case, "creq").unwrap();
    if let Some(fix) = opts["fix_creq"].as_array() {
        let (wrong, right) = (fix[0].as_str().unwrap(), fix[1].as_str().unwrap());
        if !creq.contains(wrong) {
            return Err("the known .creq error is no longer there".into());
        }
        creq = creq.replace(wrong, right);
    }
    eq("canonical request", out.canonical_request(), creq.as_str())?;
    if opts["skip_sts_authz"].as_bool() != Some(true) {
        if let Some(sts) = &sts_file {
            eq(
                "string to sign",
                out.string_to_sign(),
                sts.trim_end_matches('\n'),
            )?;
        }
        if let Some(authz) = suite_file(case, "authz") {
            eq("authorization", out.authorization(), Some(authz.as_str()))?;
        }
    }
    Ok(())
}

/// The settings object of a signing case.
pub fn settings(v: &Value) -> SigningSettings {
    let mut st = SigningSettings::default();
    if s(v, "uri_encoding") == Some("single") {
        st.uri_encoding = UriEncoding::Single;
    }
    if v["path_normalization"].as_bool() == Some(false) {
        st.path_normalization = PathNormalization::Disabled;
    }
    if s(v, "session_token") == Some("append-after-signing") {
        st.session_token = SessionTokenMode::AppendAfterSigning;
    }
    if v["content_sha256"].as_bool() == Some(true) {
        st.content_sha256 = ContentSha256Header::Add;
    }
    let list = |x: &Value| {
        x.as_array()
            .unwrap()
            .iter()
            .map(|h| h.as_str().unwrap().to_string())
            .collect()
    };
    if v["headers"].get("allow").is_some() {
        st.headers = HeaderSelection::AllowList(list(&v["headers"]["allow"]));
    } else if v["headers"].get("deny").is_some() {
        st.headers = HeaderSelection::DenyList(list(&v["headers"]["deny"]));
    }
    if let Some(e) = v["presign_expires"].as_u64() {
        st = st.presigned(u32::try_from(e).unwrap());
    }
    st
}

/// The corpus name of a signing error (the C ABI's SIGFRESH_SIGN_* name, lowercased).
fn sign_error_kind(e: &sigfresh::sigv4::SigningError) -> String {
    format!("sign_{}", variant(e))
}

pub fn signing(case: &Value) -> R {
    let req = &case["request"];
    let headers = pairs(&req["headers"]);
    let header_refs: Vec<(&str, &str)> = headers
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let body = s(req, "body").unwrap_or("").as_bytes();
    let payload = match &req["payload"] {
        Value::Object(o) => Payload::Precomputed(o["precomputed"].as_str().unwrap()),
        v => match v.as_str().unwrap_or("bytes") {
            "bytes" => Payload::Bytes(body),
            "unsigned" => Payload::Unsigned,
            "streaming-signed" => Payload::StreamingSigned,
            "streaming-signed-trailer" => Payload::StreamingSignedTrailer,
            "streaming-unsigned-trailer" => Payload::StreamingUnsignedTrailer,
            other => return Err(format!("unknown payload {other}")),
        },
    };
    let c = &case["credentials"];
    let creds = Credentials::builder(
        s(c, "access_key_id").unwrap(),
        s(c, "secret_access_key").unwrap(),
    )
    .session_token_opt(s(c, "session_token").map(str::to_string))
    .build()
    .map_err(|e| e.to_string())?;
    let signable = SignableRequest::new(
        s(req, "method").unwrap(),
        s(req, "uri").unwrap(),
        &header_refs,
        payload,
    );
    let result = Signer::new(
        s(case, "region").unwrap(),
        s(case, "service").unwrap(),
        settings(&case["settings"]),
    )
    .and_then(|signer| signer.sign(&signable, &creds, time(s(case, "time").unwrap())));
    let expect = &case["expect"];
    if let Some(kind) = s(expect, "error") {
        return match result {
            Ok(_) => Err(format!("signed, but {kind} was expected")),
            Err(e) => {
                eq("error", sign_error_kind(&e).as_str(), kind)?;
                match s(expect, "mentions") {
                    Some(m) if !e.to_string().contains(m) => {
                        Err(format!("error {e:?} does not mention {m:?}"))
                    }
                    _ => Ok(()),
                }
            }
        };
    }
    let out = result.map_err(|e| format!("sign: {e}"))?;
    let sorted = |it: &mut dyn Iterator<Item = (&str, &str)>| {
        let mut v: Vec<(String, String)> = it.map(|(a, b)| (a.into(), b.into())).collect();
        v.sort();
        v
    };
    for (field, want) in expect.as_object().unwrap() {
        match field.as_str() {
            "canonical_request" => eq(field, out.canonical_request(), want.as_str().unwrap())?,
            "string_to_sign" => eq(field, out.string_to_sign(), want.as_str().unwrap())?,
            "signature" => eq(field, out.signature(), want.as_str().unwrap())?,
            "authorization" => eq(field, out.authorization(), want.as_str())?,
            "headers" => eq(field, sorted(&mut out.headers()), pairs(want))?,
            "query_params" => eq(field, sorted(&mut out.query_params()), pairs(want))?,
            other => return Err(format!("unknown expectation {other}")),
        }
    }
    Ok(())
}

fn source_name(s: &CredentialSource) -> String {
    variant(s)
}

/// Compares credentials with an `expect` object (`access_key_id`, `secret_access_key`,
/// `session_token` (exact text or presence), `expiry_ms`, `account_id`, `source`).
pub fn check_credentials(c: &Credentials, want: &Value) -> R {
    for (field, w) in want.as_object().unwrap() {
        match field.as_str() {
            "access_key_id" => eq(field, c.access_key_id().as_str(), w.as_str().unwrap())?,
            "secret_access_key" => eq(
                field,
                c.secret_access_key().expose_secret(),
                w.as_str().unwrap(),
            )?,
            "session_token" => match w {
                Value::Bool(b) => eq("session token present", c.session_token().is_some(), *b)?,
                _ => eq(
                    field,
                    c.session_token().map(|t| t.expose_secret()),
                    w.as_str(),
                )?,
            },
            "expiry_ms" => eq(field, c.expiry().map(|t| t.unix_millis()), w.as_i64())?,
            "account_id" => eq(field, c.account_id(), w.as_str())?,
            "source" => eq(field, source_name(c.source()), w.as_str().unwrap().into())?,
            "error" | "mentions" | "mentions_code" | "none" => {}
            other => return Err(format!("unknown expectation {other}")),
        }
    }
    Ok(())
}

fn document_error_kind(e: &DocumentError) -> String {
    format!("document_{}", variant(e))
}

pub fn document(case: &Value) -> R {
    let input = &case["input"];
    let result: Result<Option<Credentials>, DocumentError> = match s(case, "format").unwrap() {
        "env" => {
            let env: BTreeMap<String, String> = input["env"]
                .as_object()
                .unwrap()
                .iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
                .collect();
            document::parse_env(&env)
        }
        "profile" => {
            let read =
                |k: &str| s(input, k).map(|p| String::from_utf8(input_file(p, None)).unwrap());
            let (cred, conf) = (read("credentials_file"), read("config_file"));
            ProfileSet::parse(cred.as_deref(), conf.as_deref()).and_then(|set| {
                match set.profile(s(input, "profile").unwrap()) {
                    Some(p) => p.credentials(),
                    None => Ok(None),
                }
            })
        }
        fmt => {
            let bytes = input_file(s(input, "file").unwrap(), input["pad_to"].as_u64());
            let parse = match fmt {
                "imds" => document::parse_imds,
                "container" => document::parse_container,
                "process" => document::parse_process,
                "sso" => document::parse_sso,
                "sts" => document::parse_sts,
                other => return Err(format!("unknown format {other}")),
            };
            parse(&bytes).map(Some)
        }
    };
    let expect = &case["expect"];
    match (result, s(expect, "error")) {
        (Ok(None), None) => eq("no credentials", expect["none"].as_bool(), Some(true)),
        (Ok(Some(c)), None) => check_credentials(&c, expect),
        (Ok(_), Some(kind)) => Err(format!("parsed, but {kind} was expected")),
        (Err(e), None) => Err(format!("unexpected error {e}")),
        (Err(e), Some(kind)) => {
            eq("error", document_error_kind(&e).as_str(), kind)?;
            for k in ["mentions", "mentions_code"] {
                if let Some(m) = s(expect, k) {
                    if !e.to_string().contains(m) {
                        return Err(format!("error {e} does not mention {m:?}"));
                    }
                }
            }
            Ok(())
        }
    }
}

pub fn error(case: &Value) -> R {
    let headers = pairs(&case["headers"]);
    let refs: Vec<(&str, &str)> = headers
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let body = s(case, "body_file")
        .map(|p| input_file(p, None))
        .unwrap_or_default();
    let status = u16::try_from(case["status"].as_u64().unwrap()).unwrap();
    let skew = ClockSkew::default();
    let c = classify(
        &ErrorResponse::new(status, &refs, &body),
        Some(&skew),
        time(s(case, "local_now").unwrap()),
    );
    for (field, w) in case["expect"].as_object().unwrap() {
        match field.as_str() {
            "action" => eq(field, variant(&c.action), w.as_str().unwrap().into())?,
            "kind" => eq(field, variant(&c.kind), w.as_str().unwrap().into())?,
            "code" => eq(field, c.code.as_deref(), w.as_str())?,
            "message" => eq(field, c.message.as_deref(), w.as_str())?,
            "skew_ms" => eq(field, c.skew_ms, w.as_i64())?,
            "skew_verdict" => eq(field, variant(&c.skew_verdict), w.as_str().unwrap().into())?,
            "server_time" => eq(
                field,
                c.server_time.map(|t| t.unix_millis()),
                w.as_str().map(|t| time(t).unix_millis()),
            )?,
            "offset_after_ms" => eq(field, skew.offset_millis(), w.as_i64().unwrap())?,
            other => return Err(format!("unknown expectation {other}")),
        }
    }
    Ok(())
}

fn case_credentials(case: &Value, key: &str) -> Credentials {
    let c = &case["credentials"][key];
    Credentials::builder(
        s(c, "access_key_id").unwrap(),
        s(c, "secret_access_key").unwrap(),
    )
    .session_token_opt(s(c, "session_token").map(str::to_string))
    .expiry_opt(s(c, "expiry").map(time))
    .build()
    .unwrap()
}

fn failure(name: &str) -> Failure {
    match name {
        "retryable" => Failure::Retryable,
        "non_retryable" => Failure::NonRetryable,
        "throttled" => Failure::Throttled { retry_after: None },
        _ => Failure::SourceUnavailable,
    }
}

fn ms(v: &Value) -> Option<i64> {
    v.as_str().map(|t| time(t).unix_millis())
}

pub fn refresh(case: &Value) -> R {
    if case["policy"].as_object().is_some_and(|p| !p.is_empty()) {
        return Err("policy overrides are not supported by this runner yet".into());
    }
    let cache = CredentialCache::new(RefreshPolicy::default());
    let mut leases: HashMap<String, RefreshLease> = HashMap::new();
    for (i, step) in case["steps"].as_array().unwrap().iter().enumerate() {
        let now = time(s(step, "at").unwrap());
        let want = &step["expect"];
        let mut got = serde_json::Map::new();
        match s(step, "op").unwrap() {
            "get" => match cache.get(now) {
                Access::Use {
                    credentials,
                    decision,
                    lease,
                } => {
                    got.insert("access".into(), "use".into());
                    got.insert("decision".into(), variant(&decision).into());
                    got.insert(
                        "access_key_id".into(),
                        credentials.access_key_id().as_str().into(),
                    );
                    got.insert("lease".into(), lease.is_some().into());
                    if let (Some(l), Some(name)) = (lease, s(step, "lease_as")) {
                        leases.insert(name.into(), l);
                    }
                }
                Access::Refresh { lease, decision } => {
                    got.insert("access".into(), "refresh".into());
                    got.insert("decision".into(), variant(&decision).into());
                    if let Some(name) = s(step, "lease_as") {
                        leases.insert(name.into(), lease);
                    }
                }
                Access::Wait { until, .. } => {
                    got.insert("access".into(), "wait".into());
                    got.insert("until".into(), until.unix_millis().into());
                }
                Access::Failed {
                    failure, retry_at, ..
                } => {
                    got.insert("access".into(), "failed".into());
                    got.insert("failure".into(), variant(&failure).into());
                    got.insert("retry_at".into(), retry_at.unix_millis().into());
                }
                other => return Err(format!("step {i}: unknown access {other:?}")),
            },
            op @ ("install" | "complete" | "fail") => {
                let completion = if op == "fail" {
                    let lease = leases.remove(s(step, "lease").unwrap()).ok_or("no lease")?;
                    cache.complete_failure(
                        lease,
                        failure(s(step, "failure").unwrap()),
                        now,
                        Jitter::ZERO,
                    )
                } else {
                    let creds = case_credentials(case, s(step, "credentials").unwrap());
                    if op == "install" {
                        cache.install(creds, now, Jitter::ZERO)
                    } else {
                        let lease = leases.remove(s(step, "lease").unwrap()).ok_or("no lease")?;
                        cache.complete_success(lease, creds, now, Jitter::ZERO)
                    }
                };
                got.insert("completion".into(), variant(&completion).into());
                let t = |c: &sigfresh::refresh::Completion| match *c {
                    sigfresh::refresh::Completion::Installed { next_refresh_at }
                    | sigfresh::refresh::Completion::Unchanged { next_refresh_at } => {
                        Some(("next_refresh_at", next_refresh_at))
                    }
                    sigfresh::refresh::Completion::Failed { retry_at }
                    | sigfresh::refresh::Completion::StaleExtended { retry_at }
                    | sigfresh::refresh::Completion::RejectedExpired { retry_at } => {
                        Some(("retry_at", retry_at))
                    }
                    _ => None,
                };
                if let Some((k, at)) = t(&completion) {
                    got.insert(k.into(), at.unix_millis().into());
                }
            }
            "invalidate" => {
                let probe = Credentials::builder(s(step, "access_key_id").unwrap(), "unused")
                    .build()
                    .unwrap();
                let id = probe.access_key_id();
                got.insert("invalidated".into(), cache.invalidate_if_current(id).into());
            }
            other => return Err(format!("step {i}: unknown op {other}")),
        }
        compare_step(i, &got, want)?;
    }
    Ok(())
}

/// Every expected field must be in `got` with the same value (times compared as ms).
fn compare_step(i: usize, got: &serde_json::Map<String, Value>, want: &Value) -> R {
    for (k, w) in want.as_object().unwrap() {
        let g = got.get(k);
        let ok = match (k.as_str(), g) {
            ("until" | "retry_at" | "next_refresh_at", Some(g)) => g.as_i64() == ms(w),
            (_, Some(g)) => g == w,
            (_, None) => false,
        };
        if !ok {
            return Err(format!(
                "step {i}: {k}: got {g:?}, want {w} (step result {got:?})"
            ));
        }
    }
    Ok(())
}

fn source_error_kind(e: &SourceError) -> String {
    variant(e)
}

pub fn exchange(case: &Value) -> R {
    let env: Vec<(String, String)> = case["env"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
        .collect();
    let mut machine: Box<dyn Source> = match s(case, "source").unwrap() {
        "imds" => Box::new(ImdsSource::new(
            ImdsConfig::from_env(&env, None).map_err(|e| e.to_string())?,
        )),
        "container" => Box::new(ContainerSource::new(
            ContainerConfig::from_env(&env)
                .map_err(|e| e.to_string())?
                .ok_or("container variables not set")?,
        )),
        other => return Err(format!("unknown source {other}")),
    };
    for (i, step) in case["steps"].as_array().unwrap().iter().enumerate() {
        let now = time(s(step, "at").unwrap());
        match s(step, "op").unwrap() {
            "start" => machine.start(now, Jitter::ZERO),
            "respond" => {
                let hs = pairs(&step["headers"]);
                let refs: Vec<(&str, &str)> =
                    hs.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
                machine.handle(
                    now,
                    Outcome::response(
                        u16::try_from(step["status"].as_u64().unwrap()).unwrap(),
                        &refs,
                        s(step, "body").unwrap().as_bytes().to_vec(),
                    ),
                );
            }
            "poll" => {
                let want = &step["expect"];
                match (machine.poll(now), want.get("send"), want.get("done")) {
                    (Step::Send(r), Some(w), _) => {
                        eq("method", r.method.as_str(), s(w, "method").unwrap())?;
                        eq("url", r.url.to_string().as_str(), s(w, "url").unwrap())?;
                        for (h, v) in w["headers"].as_object().into_iter().flatten() {
                            eq(h, r.header_value(h), v.as_str())?;
                        }
                        for h in w["absent_headers"].as_array().into_iter().flatten() {
                            let h = h.as_str().unwrap();
                            eq(h, r.header_value(h), None)?;
                        }
                    }
                    (Step::Done(Ok(c)), _, Some(w)) if w.get("error").is_none() => {
                        check_credentials(&c, w)?;
                    }
                    (Step::Done(Err(e)), _, Some(w)) if w.get("error").is_some() => {
                        eq(
                            "error",
                            source_error_kind(&e),
                            s(w, "error").unwrap().into(),
                        )?;
                    }
                    (other, _, _) => {
                        return Err(format!("step {i}: got {other:?}, want {want}"));
                    }
                }
            }
            other => return Err(format!("step {i}: unknown op {other}")),
        }
    }
    Ok(())
}
