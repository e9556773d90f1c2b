//! Helpers shared by the `source_*` integration tests: scripted-response driving, a blocking
//! reference host, and emulator process management.
#![allow(dead_code)]

pub mod emulator;
pub mod reference_host;
pub mod vectors;

use sigfresh::credentials::Credentials;
use sigfresh::refresh::Jitter;
use sigfresh::source::{HttpRequest, Outcome, Source, SourceError, Step};
use sigfresh::time::Timestamp;

/// 2023-11-14T22:13:20Z.
pub fn t0() -> Timestamp {
    Timestamp::from_unix_seconds(1_700_000_000)
}

/// An IMDS credentials document for `akid`, expiring 6 hours after `t0`.
pub fn imds_doc(akid: &str) -> String {
    format!(
        r#"{{"Code":"Success","LastUpdated":"2023-11-14T22:00:00Z","Type":"AWS-HMAC",
"AccessKeyId":"{akid}","SecretAccessKey":"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
"Token":"IQoJb3JpZ2luX2VjEXAMPLE","Expiration":"2023-11-15T04:13:20Z"}}"#
    )
}

/// Starts a fetch with no jitter.
pub fn start(m: &mut dyn Source, now: Timestamp) {
    m.start(now, Jitter::ZERO);
}

/// Polls and expects a request.
pub fn send(m: &mut dyn Source, now: Timestamp) -> HttpRequest {
    match m.poll(now) {
        Step::Send(r) => r,
        other => panic!("expected a request, got {other:?}"),
    }
}

/// Answers the outstanding request.
pub fn respond(m: &mut dyn Source, now: Timestamp, status: u16, body: &str) {
    m.handle(
        now,
        Outcome::response(status, &[], body.as_bytes().to_vec()),
    );
}

/// Answers with headers.
pub fn respond_with(
    m: &mut dyn Source,
    now: Timestamp,
    status: u16,
    headers: &[(&str, &str)],
    body: &str,
) {
    m.handle(
        now,
        Outcome::response(status, headers, body.as_bytes().to_vec()),
    );
}

/// Polls and expects the end of the fetch.
pub fn done(m: &mut dyn Source, now: Timestamp) -> Result<Credentials, SourceError> {
    match m.poll(now) {
        Step::Done(r) => r,
        other => panic!("expected the end of the fetch, got {other:?}"),
    }
}

/// Polls and expects a backoff.
pub fn wait(m: &mut dyn Source, now: Timestamp) -> Timestamp {
    match m.poll(now) {
        Step::Wait(t) => t,
        other => panic!("expected a backoff, got {other:?}"),
    }
}

/// The request's path and query.
pub fn path(r: &HttpRequest) -> &str {
    r.url.path_and_query()
}
