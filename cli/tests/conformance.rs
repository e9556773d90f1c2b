//! The conformance corpus (`tests/vectors/`, format in its README.md) through the `sigfresh`
//! binary, as far as the CLI exposes it:
//!
//! - the official suite: `sigfresh sign <case>.req --print json`;
//! - the own signing cases: the case rendered as a raw HTTP/1.1 request on stdin; settings the
//!   CLI has no flag for (allow/deny lists, precomputed and streaming payloads, `content_sha256`
//!   without S3 rules) are "not applicable", counted and listed;
//! - documents: `sign --credentials FILE` with a file-format document; the access key id and
//!   session token the signature used are compared. Environment maps and profiles, and every
//!   error case, are not applicable (the CLI detects the format itself and reports errors as
//!   text, without a kind).
//!
//! Refresh scenarios, error classification samples and exchanges are not applicable: the CLI's
//! `explain`/`credentials` do real I/O or print prose, not the corpus's decisions.

mod support;

use serde_json::Value;
use std::path::{Path, PathBuf};
use support::{run, stderr, stdout};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn cases(kind: &str) -> Vec<(String, Value)> {
    let mut v: Vec<(String, Value)> = std::fs::read_dir(root().join("tests/vectors").join(kind))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .map(|p| {
            (
                p.file_stem().unwrap().to_string_lossy().into_owned(),
                serde_json::from_slice(&std::fs::read(&p).unwrap()).unwrap(),
            )
        })
        .collect();
    v.sort_by(|a, b| a.0.cmp(&b.0));
    v
}

fn s<'a>(v: &'a Value, k: &str) -> Option<&'a str> {
    v.get(k).and_then(Value::as_str)
}

#[derive(Default)]
struct Tally {
    passed: Vec<String>,
    not_applicable: Vec<String>,
    failures: Vec<String>,
}

impl Tally {
    fn record(&mut self, name: String, r: Result<bool, String>) {
        match r {
            Ok(true) => self.passed.push(name),
            Ok(false) => self.not_applicable.push(name),
            Err(e) => self.failures.push(format!("{name}: {e}")),
        }
    }
}

fn eq(what: &str, got: Option<&str>, want: Option<&str>) -> Result<(), String> {
    if got == want {
        Ok(())
    } else {
        Err(format!("{what}: got {got:?}, want {want:?}"))
    }
}

/// Runs `sigfresh sign` and parses its JSON output, or returns the error line.
fn sign(args: &[&str], stdin: Option<&[u8]>) -> Result<Value, String> {
    let o = run(args, stdin);
    if o.status.success() {
        serde_json::from_str(&stdout(&o)).map_err(|e| format!("bad JSON: {e}"))
    } else {
        Err(stderr(&o))
    }
}

fn suite_case(defaults: &Value, case: &str, opts: &Value) -> Result<bool, String> {
    if opts.get("fix_creq").is_some() || opts.get("body_as_query").is_some() {
        // The CLI signs the .req as given; these cases' expected files need the corrections
        // the manifest describes, which only a library host can apply to its inputs.
        return Ok(false);
    }
    let name = case.rsplit('/').next().unwrap();
    let dir = root().join("tests/vectors/sigv4-suite").join(case);
    let read = |ext: &str| std::fs::read_to_string(dir.join(format!("{name}.{ext}"))).ok();
    let sts = read("sts");
    let (time, region, service) = match &sts {
        Some(t) => {
            let l: Vec<&str> = t.lines().collect();
            let scope: Vec<&str> = l[2].split('/').collect();
            (l[1].to_string(), scope[1].to_string(), scope[2].to_string())
        }
        None => (
            s(opts, "time").unwrap().to_string(),
            s(defaults, "region").unwrap().into(),
            s(defaults, "service").unwrap().into(),
        ),
    };
    let req = dir.join(format!("{name}.req"));
    let req = req.to_string_lossy().into_owned();
    let mut args = vec![
        "sign",
        &req,
        "--region",
        &region,
        "--service",
        &service,
        "--time",
        &time,
        "--access-key-id",
        s(defaults, "access_key_id").unwrap(),
        "--secret-access-key",
        s(defaults, "secret_access_key").unwrap(),
        "--print",
        "json",
    ];
    // The suite hashes an empty payload even where the .req has a body (README).
    if std::fs::read_to_string(&req).unwrap().contains("\n\n") {
        return Ok(false);
    }
    if let Some(mode) = s(opts, "session_token") {
        args.extend(["--session-token", s(defaults, "session_token").unwrap()]);
        if mode == "append-after-signing" {
            args.push("--omit-session-token");
        }
    }
    let out = sign(&args, None)?;
    eq(
        "canonical request",
        s(&out, "canonical_request"),
        read("creq").as_deref(),
    )?;
    if let Some(sts) = &sts {
        eq(
            "string to sign",
            s(&out, "string_to_sign"),
            Some(sts.trim_end_matches('\n')),
        )?;
    }
    if let Some(a) = read("authz") {
        eq("authorization", s(&out, "authorization"), Some(&a))?;
    }
    Ok(true)
}

fn signing_case(case: &Value) -> Result<bool, String> {
    let req = &case["request"];
    let set = &case["settings"];
    let single = s(set, "uri_encoding") == Some("single");
    let no_norm = set["path_normalization"].as_bool() == Some(false);
    let sha = set["content_sha256"].as_bool() == Some(true);
    if set.get("headers").is_some() || req["payload"].is_object() {
        return Ok(false);
    }
    let payload = s(req, "payload").unwrap_or("bytes");
    if !matches!(payload, "bytes" | "unsigned") || (sha && !(single && no_norm)) {
        return Ok(false);
    }
    let mut raw = format!(
        "{} {} HTTP/1.1\r\n",
        s(req, "method").unwrap(),
        s(req, "uri").unwrap()
    );
    for h in req["headers"].as_array().unwrap() {
        raw.push_str(&format!(
            "{}: {}\r\n",
            h[0].as_str().unwrap(),
            h[1].as_str().unwrap()
        ));
    }
    raw.push_str("\r\n");
    raw.push_str(s(req, "body").unwrap_or(""));
    let c = &case["credentials"];
    let expires = set["presign_expires"].as_u64().map(|e| e.to_string());
    let mut args = vec![
        "sign",
        "-",
        "--region",
        s(case, "region").unwrap(),
        "--service",
        s(case, "service").unwrap(),
        "--time",
        s(case, "time").unwrap(),
        "--access-key-id",
        s(c, "access_key_id").unwrap(),
        "--secret-access-key",
        s(c, "secret_access_key").unwrap(),
        "--print",
        "json",
    ];
    if let Some(t) = s(c, "session_token") {
        args.extend(["--session-token", t]);
    }
    if single && no_norm && sha {
        args.push("--s3");
    } else {
        if single {
            args.push("--single-encode");
        }
        if no_norm {
            args.push("--no-normalize-path");
        }
    }
    if payload == "unsigned" {
        args.push("--unsigned-payload");
    }
    if s(set, "session_token") == Some("append-after-signing") {
        args.push("--omit-session-token");
    }
    if let Some(e) = &expires {
        args.extend(["--query", "--expires", e]);
    }
    let result = sign(&args, Some(raw.as_bytes()));
    let expect = &case["expect"];
    if let Some(kind) = s(expect, "error") {
        return match result {
            Ok(_) => Err(format!("signed, but {kind} was expected")),
            Err(e) => match s(expect, "mentions") {
                Some(m) if !e.contains(m) => Err(format!("error {e:?} does not mention {m:?}")),
                _ => Ok(true),
            },
        };
    }
    let out = result?;
    let obj_pairs = |v: &Value| -> Vec<(String, String)> {
        let mut p: Vec<(String, String)> = v
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
            .collect();
        p.sort();
        p
    };
    for (field, want) in expect.as_object().unwrap() {
        match field.as_str() {
            "headers" | "query_params" => {
                let want: Vec<(String, String)> = want
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|p| (p[0].as_str().unwrap().into(), p[1].as_str().unwrap().into()))
                    .collect();
                let got = obj_pairs(&out[field.as_str()]);
                if got != want {
                    return Err(format!("{field}: got {got:?}, want {want:?}"));
                }
            }
            f => eq(f, s(&out, f), want.as_str())?,
        }
    }
    Ok(true)
}

fn document_case(case: &Value) -> Result<bool, String> {
    let expect = &case["expect"];
    let file = s(&case["input"], "file");
    if expect.get("error").is_some()
        || expect.get("none").is_some()
        || file.is_none()
        || case["input"].get("pad_to").is_some()
    {
        return Ok(false);
    }
    let path = root().join(file.unwrap()).to_string_lossy().into_owned();
    let raw = b"GET https://example.amazonaws.com/ HTTP/1.1\r\n\r\n";
    let args = [
        "sign",
        "-",
        "--region",
        "us-east-1",
        "--service",
        "service",
        "--time",
        "20240101T000000Z",
        "--credentials",
        &path,
        "--print",
        "json",
    ];
    let out = sign(&args, Some(raw))?;
    let authz = s(&out, "authorization").unwrap_or("");
    if let Some(akid) = s(expect, "access_key_id") {
        let cred = format!("Credential={akid}/");
        if !authz.contains(&cred) {
            return Err(format!("authorization {authz:?} lacks {cred}"));
        }
    }
    let token = s(&out["headers"], "x-amz-security-token");
    match &expect["session_token"] {
        Value::Bool(b) if token.is_some() != *b => {
            return Err(format!("session token present: {}", token.is_some()));
        }
        Value::String(t) => eq("session token", token, Some(t))?,
        _ => {}
    }
    Ok(true)
}

#[test]
fn the_corpus_passes_through_the_cli() {
    let manifest: Value = serde_json::from_slice(
        &std::fs::read(root().join("tests/vectors/sigv4-suite.json")).unwrap(),
    )
    .unwrap();
    let mut kinds: Vec<(&str, Tally)> = Vec::new();
    let mut t = Tally::default();
    for (case, opts) in manifest["cases"].as_object().unwrap() {
        t.record(case.clone(), suite_case(&manifest["defaults"], case, opts));
    }
    kinds.push(("sigv4-suite", t));
    let mut t = Tally::default();
    for (name, case) in cases("signing") {
        t.record(name, signing_case(&case));
    }
    kinds.push(("signing", t));
    let mut t = Tally::default();
    for (name, case) in cases("documents") {
        t.record(name, document_case(&case));
    }
    kinds.push(("documents", t));
    let mut failures = Vec::new();
    for (kind, t) in &kinds {
        eprintln!(
            "conformance (cli): {kind}: {} passed, {} not applicable for this host: {}",
            t.passed.len(),
            t.not_applicable.len(),
            t.not_applicable.join(", ")
        );
        failures.extend(t.failures.iter().map(|f| format!("{kind}/{f}")));
    }
    for kind in ["errors", "refresh", "exchanges"] {
        eprintln!(
            "conformance (cli): {kind}: {} not applicable for this host (no CLI command returns \
             these decisions as data)",
            cases(kind).len()
        );
    }
    assert!(
        failures.is_empty(),
        "{} failure(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}
