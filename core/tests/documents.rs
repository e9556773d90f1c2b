//! Sample credential documents with hand-written expectations (`tests/documents/<format>/`),
//! plus property tests: no parser panics on arbitrary or mutated input, and no error message
//! contains the secret access key or session token of the document it came from.

use proptest::prelude::*;
use serde_json::Value;
use sigfresh::credentials::Credentials;
use sigfresh::document::{
    parse_any, parse_container, parse_env, parse_imds, parse_process, parse_sso, parse_sts,
    DocumentError, ProfileSet,
};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

type Parser = fn(&[u8]) -> Result<Credentials, DocumentError>;

const PARSERS: &[(&str, Parser, &str)] = &[
    ("imds", parse_imds, "InstanceMetadata"),
    ("container", parse_container, "Container"),
    ("process", parse_process, "Process"),
    ("sso", parse_sso, "Sso"),
    ("sts", parse_sts, "Sts"),
];

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/documents")
}

fn load_cases(dir: &str) -> Vec<Value> {
    let path = samples().join(dir).join("cases.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let v: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    v["cases"].as_array().expect("cases array").clone()
}

fn kind(e: &DocumentError) -> &'static str {
    match e {
        DocumentError::TooLarge { .. } => "TooLarge",
        DocumentError::Syntax { .. } => "Syntax",
        DocumentError::Unrecognized { .. } => "Unrecognized",
        DocumentError::UnexpectedRoot { .. } => "UnexpectedRoot",
        DocumentError::MissingField { .. } => "MissingField",
        DocumentError::WrongType { .. } => "WrongType",
        DocumentError::DuplicateField { .. } => "DuplicateField",
        DocumentError::InvalidTimestamp { .. } => "InvalidTimestamp",
        DocumentError::ServiceError { .. } => "ServiceError",
        DocumentError::UnsupportedVersion { .. } => "UnsupportedVersion",
        DocumentError::InvalidCredentials { .. } => "InvalidCredentials",
        DocumentError::IniSyntax { .. } => "IniSyntax",
        DocumentError::ProfileMissingKey { .. } => "ProfileMissingKey",
        DocumentError::ProfileInvalidKey { .. } => "ProfileInvalidKey",
        _ => "(unknown variant)",
    }
}

/// Compares credentials with an `ok` expectation object.
fn check_ok(c: &Credentials, want: &Value) -> Result<(), String> {
    let mut problems = Vec::new();
    if let Some(ak) = want.get("access_key_id") {
        if ak.as_str() != Some(c.access_key_id().as_str()) {
            problems.push(format!("access key id {:?}, want {ak}", c.access_key_id()));
        }
    }
    if let Some(sk) = want.get("secret_access_key") {
        if sk.as_str() != Some(c.secret_access_key().expose_secret()) {
            problems.push(format!("secret access key differs from {sk}"));
        }
    }
    match want.get("session_token") {
        Some(Value::Bool(present)) if *present != c.session_token().is_some() => {
            problems.push(format!("session token present: want {present}"))
        }
        Some(Value::String(t)) if c.session_token().map(|t| t.expose_secret()) != Some(t) => {
            problems.push(format!("session token differs from {t:?}"))
        }
        _ => {}
    }
    if let Some(ms) = want.get("expiry_ms") {
        let got = c.expiry().map(|t| t.unix_millis());
        if ms.as_i64() != got {
            problems.push(format!("expiry {got:?}, want {ms}"));
        }
    }
    if let Some(acct) = want.get("account_id") {
        if acct.as_str() != c.account_id() {
            problems.push(format!("account id {:?}, want {acct}", c.account_id()));
        }
    }
    if let Some(src) = want.get("source") {
        let got = format!("{:?}", c.source());
        if src.as_str() != Some(got.as_str()) {
            problems.push(format!("source {got}, want {src}"));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}

/// Compares an error with an `error` expectation object (`kind` plus optional details).
fn check_err(e: &DocumentError, want: &Value) -> Result<(), String> {
    let mut problems = Vec::new();
    if want["kind"].as_str() != Some(kind(e)) {
        problems.push(format!("kind {}, want {}", kind(e), want["kind"]));
    }
    if let Some(f) = want.get("field") {
        if f.as_str() != e.field() {
            problems.push(format!("field {:?}, want {f}", e.field()));
        }
    }
    let detail = |name: &str, got: Option<Value>| match (want.get(name), got) {
        (Some(w), g) if Some(w) != g.as_ref() => Some(format!("{name} {g:?}, want {w}")),
        _ => None,
    };
    let (code, message, offset, line, file, limit, actual, found) = match e {
        DocumentError::ServiceError { code, message, .. } => (
            Some(code.clone()),
            Some(message.clone()),
            None,
            None,
            None,
            None,
            None,
            None,
        ),
        DocumentError::Syntax { offset, .. } => {
            (None, None, Some(*offset), None, None, None, None, None)
        }
        DocumentError::TooLarge { limit, actual, .. } => (
            None,
            None,
            None,
            None,
            None,
            Some(*limit),
            Some(*actual),
            None,
        ),
        DocumentError::IniSyntax { file, line, .. }
        | DocumentError::ProfileMissingKey { file, line, .. }
        | DocumentError::ProfileInvalidKey { file, line, .. } => (
            None,
            None,
            None,
            Some(*line),
            Some(format!("{file:?}")),
            None,
            None,
            None,
        ),
        DocumentError::UnexpectedRoot { found, .. }
        | DocumentError::UnsupportedVersion { found, .. } => (
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            Some(found.clone()),
        ),
        _ => (None, None, None, None, None, None, None, None),
    };
    problems.extend(
        [
            detail("code", code.map(Value::from)),
            detail("message", message.map(Value::from)),
            detail("offset", offset.map(Value::from)),
            detail("line", line.map(Value::from)),
            detail("file", file.map(Value::from)),
            detail("limit", limit.map(Value::from)),
            detail("actual", actual.map(Value::from)),
            detail("found", found.map(Value::from)),
        ]
        .into_iter()
        .flatten(),
    );
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}

fn check_result(got: Result<&Credentials, &DocumentError>, case: &Value) -> Result<(), String> {
    match (got, case.get("ok"), case.get("error")) {
        (Ok(c), Some(want), _) => check_ok(c, want),
        (Err(e), _, Some(want)) => check_err(e, want).map_err(|p| format!("{p} (error: {e})")),
        (Ok(c), None, _) => Err(format!("parsed {c:?}, want an error")),
        (Err(e), _, None) => Err(format!("failed: {e}")),
    }
}

fn run_document_cases(dir: &str) {
    let (_, parser, format) = PARSERS
        .iter()
        .find(|(d, _, _)| *d == dir)
        .expect("known parser");
    let mut failures = Vec::new();
    let mut used = BTreeSet::new();
    let cases = load_cases(dir);
    assert!(!cases.is_empty());
    for case in &cases {
        let name = case["name"].as_str().expect("name");
        let file = case["file"].as_str().expect("file");
        used.insert(file.to_owned());
        let mut bytes = std::fs::read(samples().join(dir).join(file)).expect("sample");
        if let Some(n) = case.get("pad_to").and_then(Value::as_u64) {
            bytes.resize(n as usize, b' ');
        }
        let got = parser(&bytes);
        if let Err(p) = check_result(got.as_ref(), case) {
            failures.push(format!("{dir}/{file} [{name}]: {p}"));
        }
        if let Err(e) = &got {
            if let Some(f) = e.format() {
                if format!("{f:?}") != *format {
                    failures.push(format!("{dir}/{file} [{name}]: error format {f:?}"));
                }
            }
        }
        if let Some(any) = case.get("ok").and_then(|o| o.get("any")) {
            match parse_any(&bytes) {
                Ok((f, c)) => {
                    if any.as_str() != Some(format!("{f:?}").as_str()) {
                        failures.push(format!("{dir}/{file} [{name}]: parse_any saw {f:?}"));
                    }
                    if let Err(p) = check_ok(&c, &case["ok"]) {
                        failures.push(format!("{dir}/{file} [{name}]: parse_any: {p}"));
                    }
                }
                Err(e) => failures.push(format!("{dir}/{file} [{name}]: parse_any: {e}")),
            }
        }
    }
    for entry in std::fs::read_dir(samples().join(dir)).expect("dir") {
        let name = entry
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        if name != "cases.json" && !used.contains(&name) {
            failures.push(format!("{dir}/{name}: sample without a case"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn imds_samples() {
    run_document_cases("imds");
}

#[test]
fn container_samples() {
    run_document_cases("container");
}

#[test]
fn process_samples() {
    run_document_cases("process");
}

#[test]
fn sso_samples() {
    run_document_cases("sso");
}

#[test]
fn sts_samples() {
    run_document_cases("sts");
}

#[test]
fn env_samples() {
    let mut failures = Vec::new();
    let cases = load_cases("env");
    for case in &cases {
        let name = case["name"].as_str().expect("name");
        let map: BTreeMap<String, String> = case["env"]
            .as_object()
            .expect("env object")
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().expect("string value").to_owned()))
            .collect();
        let hash: HashMap<&str, &str> = map.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let pairs: Vec<(&str, &str)> = map.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let results = [parse_env(&map), parse_env(&hash), parse_env(&pairs[..])];
        for got in &results {
            let outcome = match (got, case.get("none")) {
                (Ok(None), Some(Value::Bool(true))) => Ok(()),
                (Ok(None), _) => Err("no credentials".to_owned()),
                (Ok(Some(c)), _) => check_result(Ok(c), case),
                (Err(e), _) => check_result(Err(e), case),
            };
            if let Err(p) = outcome {
                failures.push(format!("env [{name}]: {p}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn profile_samples() {
    let dir = samples().join("profile");
    let read = |v: &Value| {
        v.as_str()
            .map(|f| std::fs::read_to_string(dir.join(f)).expect("profile sample"))
    };
    let mut failures = Vec::new();
    let mut used = BTreeSet::new();
    for case in load_cases("profile") {
        let name = case["name"].as_str().expect("name").to_owned();
        for key in ["credentials", "config"] {
            if let Some(f) = case[key].as_str() {
                used.insert(f.to_owned());
            }
        }
        let credentials = read(&case["credentials"]);
        let config = read(&case["config"]);
        let set = match ProfileSet::parse(credentials.as_deref(), config.as_deref()) {
            Ok(set) => set,
            Err(e) => {
                match case.get("error") {
                    Some(want) => {
                        if let Err(p) = check_err(&e, want) {
                            failures.push(format!("profile [{name}]: {p} (error: {e})"));
                        }
                    }
                    None => failures.push(format!("profile [{name}]: failed: {e}")),
                }
                continue;
            }
        };
        if case.get("error").is_some() {
            failures.push(format!("profile [{name}]: parsed, want an error"));
            continue;
        }
        for check in case["checks"].as_array().expect("checks") {
            let (label, section) = match (check.get("profile"), check.get("sso_session")) {
                (Some(p), _) => {
                    let p = p.as_str().expect("profile name");
                    (format!("profile {p}"), set.profile(p))
                }
                (None, Some(s)) => {
                    let s = s.as_str().expect("session name");
                    (format!("sso-session {s}"), set.sso_session(s))
                }
                _ => panic!("check without profile or sso_session in {name}"),
            };
            let mut fail = |p: String| failures.push(format!("profile [{name}] {label}: {p}"));
            let Some(section) = section else {
                if check.get("absent") != Some(&Value::Bool(true)) {
                    fail("absent".into());
                }
                continue;
            };
            if check.get("absent") == Some(&Value::Bool(true)) {
                fail("present, want absent".into());
            }
            for (key, want) in check
                .get("get")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                let got = section.get(key);
                if want.as_str() != got {
                    fail(format!("{key} = {got:?}, want {want}"));
                }
            }
            for (path, want) in check
                .get("sub")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                let (key, sub) = path.split_once('.').expect("key.sub");
                let got = section.property(key).and_then(|p| p.sub_property(sub));
                if want.as_str() != got {
                    fail(format!("{path} = {got:?}, want {want}"));
                }
            }
            if let Some(want) = check.get("origin") {
                let key = want["key"].as_str().expect("origin key");
                let got = section
                    .property(key)
                    .map(|p| (format!("{:?}", p.file()), p.line() as u64));
                let expected = (
                    want["file"].as_str().unwrap_or_default().to_owned(),
                    want["line"].as_u64().unwrap_or_default(),
                );
                if got.as_ref() != Some(&expected) {
                    fail(format!("origin of {key} {got:?}, want {expected:?}"));
                }
            }
            if let Some(creds) = check.get("credentials") {
                let outcome = match (section.credentials(), creds) {
                    (Ok(None), Value::Null) => Ok(()),
                    (Ok(None), _) => Err("no credentials".to_owned()),
                    (Ok(Some(c)), _) if creds.get("error").is_none() => check_ok(&c, creds),
                    (Ok(Some(c)), _) => Err(format!("parsed {c:?}, want an error")),
                    (Err(e), _) => match creds.get("error") {
                        Some(want) => check_err(&e, want).map_err(|p| format!("{p} (error: {e})")),
                        None => Err(format!("failed: {e}")),
                    },
                };
                if let Err(p) = outcome {
                    fail(p);
                }
            }
        }
    }
    for entry in std::fs::read_dir(&dir).expect("dir") {
        let name = entry
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        if name != "cases.json" && !used.contains(&name) {
            failures.push(format!("profile/{name}: sample without a case"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

// ---------------------------------------------------------------------------------------------
// Property tests.

/// Every valid sample of every JSON/XML format (read once).
fn valid_samples() -> &'static [(Parser, Vec<u8>)] {
    static SAMPLES: std::sync::OnceLock<Vec<(Parser, Vec<u8>)>> = std::sync::OnceLock::new();
    SAMPLES.get_or_init(read_valid_samples)
}

fn read_valid_samples() -> Vec<(Parser, Vec<u8>)> {
    let mut out = Vec::new();
    for (dir, parser, _) in PARSERS {
        for case in load_cases(dir) {
            if case.get("ok").is_some() && case.get("pad_to").is_none() {
                let file = case["file"].as_str().expect("file");
                let bytes = std::fs::read(samples().join(dir).join(file)).expect("sample");
                out.push((*parser, bytes));
            }
        }
    }
    out
}

fn every_parser(bytes: &[u8]) {
    for (_, parser, _) in PARSERS {
        let _ = parser(bytes);
    }
    let _ = parse_any(bytes);
    let text = String::from_utf8_lossy(bytes);
    let _ = ProfileSet::parse(Some(&text), Some(&text)).map(|set| {
        for p in set.profiles() {
            let _ = p.credentials();
        }
    });
}

/// A byte-level mutation of a sample.
#[derive(Debug, Clone)]
enum Mutation {
    Truncate(usize),
    Flip(usize, u8),
    Insert(usize, u8),
    Delete(usize, usize),
    Duplicate(usize, usize),
}

fn mutate(mut bytes: Vec<u8>, mutations: &[Mutation]) -> Vec<u8> {
    for m in mutations {
        let len = bytes.len().max(1);
        match *m {
            Mutation::Truncate(at) => bytes.truncate(at % len),
            Mutation::Flip(at, x) => {
                if let Some(b) = bytes.get_mut(at % len) {
                    *b ^= x;
                }
            }
            Mutation::Insert(at, b) => bytes.insert((at % len).min(bytes.len()), b),
            Mutation::Delete(at, n) => {
                let start = (at % len).min(bytes.len());
                let end = (start + n % 16).min(bytes.len());
                bytes.drain(start..end);
            }
            Mutation::Duplicate(at, n) => {
                let start = (at % len).min(bytes.len());
                let end = (start + n % 64).min(bytes.len());
                let chunk = bytes[start..end].to_vec();
                bytes.splice(start..start, chunk);
            }
        }
    }
    bytes
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(Mutation::Truncate),
        (any::<usize>(), 1..=255u8).prop_map(|(a, b)| Mutation::Flip(a, b)),
        (
            any::<usize>(),
            prop::sample::select(b"{}[]<>\"'&;:,=\\/ \n\x00\xff#!-?".to_vec())
        )
            .prop_map(|(a, b)| Mutation::Insert(a, b)),
        (any::<usize>(), any::<usize>()).prop_map(|(a, n)| Mutation::Delete(a, n)),
        (any::<usize>(), any::<usize>()).prop_map(|(a, n)| Mutation::Duplicate(a, n)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn no_parser_panics_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        every_parser(&bytes);
    }

    #[test]
    fn no_parser_panics_on_markup_soup(
        parts in prop::collection::vec(prop::sample::select(vec![
            "{", "}", "[", "]", "\"", ":", ",", "null", "1", "-1.5e3", "\"Code\"", "\"Version\"",
            "\"roleCredentials\"", "\"Token\"", "<", ">", "</", "/>", "<?xml ?>", "<!--", "-->",
            "<![CDATA[", "]]>", "&amp;", "&#x41;", "&#0;", "&bogus;", "xmlns:a='u'", "a:", " ",
            "\n", "[default]", "[profile x]", "=", "#", ";", "  s3 =", "aws_access_key_id",
            "AssumeRoleResponse", "Credentials", "ErrorResponse", "\\u0000", "\u{e9}",
        ]), 0..64)
    ) {
        every_parser(parts.concat().as_bytes());
    }

    #[test]
    fn no_parser_panics_on_mutated_samples(
        pick in any::<prop::sample::Index>(),
        mutations in prop::collection::vec(mutation(), 1..6),
    ) {
        let samples = valid_samples();
        let (parser, bytes) = &samples[pick.index(samples.len())];
        let mutated = mutate(bytes.clone(), &mutations);
        let _ = parser(&mutated);
        every_parser(&mutated);
    }

    #[test]
    fn no_parser_panics_on_arbitrary_env(
        pairs in prop::collection::vec((
            prop::sample::select(vec![
                "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
                "AWS_CREDENTIAL_EXPIRATION", "AWS_ACCOUNT_ID", "OTHER",
            ]),
            ".{0,40}",
        ), 0..8)
    ) {
        let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let _ = parse_env(&pairs[..]);
    }
}

// ---------------------------------------------------------------------------------------------
// Secrets never appear in errors.

/// How a generated document is broken.
#[derive(Debug, Clone, Copy)]
enum Breakage {
    None,
    DropAccessKeyId,
    DropToken,
    DropExpiration,
    BadExpiration,
    AccessKeyIdWrongType,
    SecretInvalidChar,
    TokenInvalidChar,
    AccessKeyIdInvalidChar,
    EmptySecret,
    DuplicateSecret,
    DuplicateToken,
    ServiceError,
    Truncate(usize),
}

fn breakage() -> impl Strategy<Value = Breakage> {
    prop_oneof![
        Just(Breakage::None),
        Just(Breakage::DropAccessKeyId),
        Just(Breakage::DropToken),
        Just(Breakage::DropExpiration),
        Just(Breakage::BadExpiration),
        Just(Breakage::AccessKeyIdWrongType),
        Just(Breakage::SecretInvalidChar),
        Just(Breakage::TokenInvalidChar),
        Just(Breakage::AccessKeyIdInvalidChar),
        Just(Breakage::EmptySecret),
        Just(Breakage::DuplicateSecret),
        Just(Breakage::DuplicateToken),
        Just(Breakage::ServiceError),
        any::<usize>().prop_map(Breakage::Truncate),
    ]
}

/// The fields of a generated document, as (key, raw JSON/XML value text).
struct Fields {
    access_key_id: String,
    secret: String,
    token: String,
    expiration: String,
}

impl Fields {
    fn broken(&self, b: Breakage) -> Vec<(&'static str, String)> {
        let mut secret = self.secret.clone();
        let mut token = self.token.clone();
        let mut ak = self.access_key_id.clone();
        let mut expiration = self.expiration.clone();
        match b {
            Breakage::SecretInvalidChar => secret.insert(secret.len() / 2, ' '),
            Breakage::TokenInvalidChar => token.insert(token.len() / 2, '\u{e9}'),
            Breakage::AccessKeyIdInvalidChar => ak.push('/'),
            Breakage::EmptySecret => secret.clear(),
            Breakage::BadExpiration => expiration = format!("{secret}{token}"),
            _ => {}
        }
        let mut out = vec![
            ("ak", ak),
            ("secret", secret.clone()),
            ("token", token.clone()),
            ("exp", expiration),
        ];
        match b {
            Breakage::DropAccessKeyId => out.retain(|(k, _)| *k != "ak"),
            Breakage::DropToken => out.retain(|(k, _)| *k != "token"),
            Breakage::DropExpiration => out.retain(|(k, _)| *k != "exp"),
            Breakage::DuplicateSecret => out.push(("secret", secret)),
            Breakage::DuplicateToken => out.push(("token", token)),
            _ => {}
        }
        out
    }
}

fn json_string(s: &str) -> String {
    serde_json::to_string(s).expect("string")
}

fn xml_text(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Builds a document of `format` with the given (possibly broken) fields.
fn document(format: &str, f: &Fields, b: Breakage) -> Vec<u8> {
    let fields = f.broken(b);
    let json_names = |k: &str| match (format, k) {
        ("sso", "ak") => "accessKeyId",
        ("sso", "secret") => "secretAccessKey",
        ("sso", "token") => "sessionToken",
        ("sso", "exp") => "expiration",
        (_, "ak") => "AccessKeyId",
        (_, "secret") => "SecretAccessKey",
        ("process" | "sts", "token") => "SessionToken",
        (_, "token") => "Token",
        _ => "Expiration",
    };
    let mut doc = if format == "sts" {
        let body: String = fields
            .iter()
            .map(|(k, v)| {
                let name = json_names(k);
                if matches!(b, Breakage::AccessKeyIdWrongType) && *k == "ak" {
                    format!("<{name}><x>{}</x></{name}>", xml_text(v))
                } else {
                    format!("<{name}>{}</{name}>", xml_text(v))
                }
            })
            .collect();
        if matches!(b, Breakage::ServiceError) {
            "<ErrorResponse><Error><Code>ExpiredToken</Code><Message>The security token \
             included in the request is expired</Message></Error></ErrorResponse>"
                .to_owned()
        } else {
            format!(
                "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\
                 <AssumeRoleResult><Credentials>{body}</Credentials></AssumeRoleResult>\
                 </AssumeRoleResponse>"
            )
        }
    } else {
        let mut entries: Vec<String> = fields
            .iter()
            .map(|(k, v)| {
                let value = if matches!(b, Breakage::AccessKeyIdWrongType) && *k == "ak" {
                    "12345".to_owned()
                } else if format == "sso" && *k == "exp" {
                    // SSO expirations are epoch milliseconds; a broken one is a string.
                    if matches!(b, Breakage::BadExpiration) {
                        json_string(v)
                    } else {
                        "1714586400000".to_owned()
                    }
                } else {
                    json_string(v)
                };
                format!("{}: {value}", json_string(json_names(k)))
            })
            .collect();
        match format {
            "process" => entries.insert(0, "\"Version\": 1".into()),
            "imds" if matches!(b, Breakage::ServiceError) => {
                entries.insert(0, "\"Code\": \"AssumeRoleUnauthorizedAccess\"".into())
            }
            "imds" => entries.insert(0, "\"Code\": \"Success\"".into()),
            "container" if matches!(b, Breakage::ServiceError) => {
                entries.insert(0, "\"code\": \"AccessDenied\"".into())
            }
            _ => {}
        }
        let object = format!("{{{}}}", entries.join(", "));
        if format == "sso" {
            format!("{{\"roleCredentials\": {object}}}")
        } else {
            object
        }
    };
    if let Breakage::Truncate(at) = b {
        let mut bytes = doc.into_bytes();
        bytes.truncate(at % bytes.len().max(1));
        return bytes;
    }
    doc.push('\n');
    doc.into_bytes()
}

fn secret_strategy() -> impl Strategy<Value = String> {
    "[A-Za-z0-9+/=&<>]{24,48}"
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn errors_never_contain_the_secret_or_token(
        format in prop::sample::select(vec!["imds", "container", "process", "sso", "sts"]),
        secret in secret_strategy(),
        token in secret_strategy(),
        b in breakage(),
    ) {
        let fields = Fields {
            access_key_id: "ASIAPROPTESTEXAMPLE".into(),
            secret: format!("SK{secret}"),
            token: format!("TK{token}"),
            expiration: "2024-05-01T18:00:00Z".into(),
        };
        let doc = document(format, &fields, b);
        let (_, parser, _) = PARSERS.iter().find(|(d, _, _)| *d == format).unwrap();
        let results = [parser(&doc), parse_any(&doc).map(|(_, c)| c)];
        for result in results {
            match result {
                Ok(c) => {
                    // Optional fields and formats without an error shape may still parse.
                    let may_parse = match b {
                        Breakage::None | Breakage::Truncate(_) => true,
                        Breakage::DropExpiration | Breakage::DropToken => format == "process",
                        Breakage::ServiceError => matches!(format, "process" | "sso"),
                        _ => false,
                    };
                    prop_assert!(may_parse, "{format} {b:?} parsed");
                    let text = format!("{c:?}");
                    prop_assert!(!text.contains(&fields.secret) && !text.contains(&fields.token));
                }
                Err(e) => {
                    prop_assert!(!matches!(b, Breakage::None), "{e}");
                    for text in [e.to_string(), format!("{e:?}"), format!("{e:#?}")] {
                        for needle in [&fields.secret, &fields.token] {
                            // Any 12-byte window of the secret would be a leak too.
                            for w in needle.as_bytes().windows(12) {
                                let w = std::str::from_utf8(w).unwrap();
                                prop_assert!(!text.contains(w), "{format} {b:?} leaked in: {text}");
                            }
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn env_and_profile_errors_never_contain_the_secret_or_token(
        secret in secret_strategy(),
        token in secret_strategy(),
        which in 0..6usize,
    ) {
        let secret = format!("SK{secret}");
        let token = format!("TK{token}");
        let bad_token = format!("{token}\u{e9}");
        let bad_secret = format!("{secret} x");
        let (ak, sk, tk, exp): (&str, &str, &str, &str) = match which {
            0 => ("", &secret, &token, ""),
            1 => ("AKID", &bad_secret, &token, ""),
            2 => ("AKID", &secret, &bad_token, ""),
            3 => ("AKID", &secret, &token, &token),
            4 => ("AK/ID", &secret, &token, ""),
            _ => ("AKID", &secret, &token, &secret),
        };
        let env = [
            ("AWS_ACCESS_KEY_ID", ak),
            ("AWS_SECRET_ACCESS_KEY", sk),
            ("AWS_SESSION_TOKEN", tk),
            ("AWS_CREDENTIAL_EXPIRATION", exp),
        ];
        let e = parse_env(&env).expect_err("broken");
        let file = format!(
            "[p]\naws_access_key_id = {ak}\naws_secret_access_key = {sk}\naws_session_token = {tk}\n"
        );
        let set = ProfileSet::parse(Some(&file), None).expect("parses");
        let p = set.profile("p").expect("profile");
        let mut texts = vec![e.to_string(), format!("{e:?}"), format!("{set:?}"), format!("{p:?}")];
        if let Err(e) = p.credentials() {
            texts.push(e.to_string());
            texts.push(format!("{e:?}"));
        }
        for text in texts {
            prop_assert!(!text.contains(&secret) && !text.contains(&token), "{text}");
        }
    }
}
