//! Glue between source machines and the refresh engine: "ask the cache → if it hands out a
//! lease, drive the source → complete the lease".
//!
//! Any host can do this with [`Source`] and [`SourceError::failure`] alone; this module packages
//! it for blocking hosts: implement [`BlockingHost`] (HTTP, files, processes, DNS, clock, sleep)
//! and call [`credentials`]. The core still does no I/O: every effect goes through the trait.
//!
//! A blocking host with scripted IMDS answers (a real host sends the requests):
//!
//! ```
//! use std::collections::VecDeque;
//! use sigfresh::refresh::{CredentialCache, Jitter, RefreshPolicy};
//! use sigfresh::source::drive::{self, BlockingHost};
//! use sigfresh::source::{HttpRequest, HttpResponse, ImdsConfig, ImdsSource, TransportError};
//! use sigfresh::time::Timestamp;
//!
//! struct Scripted { now: Timestamp, answers: VecDeque<(&'static str, u16, &'static str)> }
//!
//! impl BlockingHost for Scripted {
//!     fn now(&mut self) -> Timestamp { self.now }
//!     fn sleep_until(&mut self, until: Timestamp) { self.now = self.now.max(until) }
//!     fn send(&mut self, req: &HttpRequest) -> Result<HttpResponse, TransportError> {
//!         let (path, status, body) = self.answers.pop_front().expect("an answer is scripted");
//!         assert_eq!(req.url.path_and_query(), path);
//!         Ok(HttpResponse::new(status, vec![], body))
//!     }
//! }
//!
//! let doc = r#"{"Code":"Success","AccessKeyId":"ASIAEXAMPLE","SecretAccessKey":"secret",
//!               "Token":"session","Expiration":"2023-11-15T04:00:00Z"}"#;
//! let mut host = Scripted {
//!     now: Timestamp::from_unix_seconds(1_700_000_000), // 2023-11-14T22:13:20Z
//!     answers: VecDeque::from([
//!         ("/latest/api/token", 200, "AQAEAexampletoken=="),
//!         ("/latest/meta-data/iam/security-credentials/", 200, "my-role"),
//!         ("/latest/meta-data/iam/security-credentials/my-role", 503, ""), // retried
//!         ("/latest/meta-data/iam/security-credentials/my-role", 200, doc),
//!     ]),
//! };
//! let cache = CredentialCache::new(RefreshPolicy::default());
//! let mut imds = ImdsSource::new(ImdsConfig::default());
//! let jitter = || Jitter::from_u64(0x9e37_79b9_7f4a_7c15); // the host's RNG
//!
//! let c = drive::credentials(&cache, &mut imds, &mut host, jitter).unwrap();
//! assert_eq!(c.access_key_id().as_str(), "ASIAEXAMPLE");
//! // Served from the cache: no request is made (none is scripted).
//! let again = drive::credentials(&cache, &mut imds, &mut host, jitter).unwrap();
//! assert!(again.ptr_eq(&c));
//! ```

use super::error::SourceError;
use super::http::TransportError;
use super::http::{FileContents, HttpRequest, HttpResponse, IoFailure, ProcessOutput};
use super::{Outcome, Source, Step};
use crate::credentials::Credentials;
use crate::prelude::*;
use crate::refresh::{Access, Completion, CredentialCache, Failure, Jitter, RefreshLease};
use crate::time::Timestamp;
use core::net::IpAddr;
use core::time::Duration;

/// The effects a blocking host provides. Only [`now`](Self::now),
/// [`sleep_until`](Self::sleep_until) and [`send`](Self::send) are required; the others default
/// to "not supported" (enough for IMDS and container endpoints without token files).
pub trait BlockingHost {
    /// The current (skew-corrected) time.
    fn now(&mut self) -> Timestamp;
    /// Blocks until `until` (a retry backoff).
    fn sleep_until(&mut self, until: Timestamp);
    /// Sends a request, honouring its timeout, proxy policy and `connect_to`.
    fn send(&mut self, request: &HttpRequest) -> Result<HttpResponse, TransportError>;
    /// Reads a whole file.
    fn read_file(&mut self, path: &str) -> Result<FileContents, IoFailure> {
        let _ = path;
        Err(IoFailure::Other("this host does not read files".into()))
    }
    /// Runs a `credential_process` command line (see [`Step::RunProcess`]).
    fn run_process(&mut self, command: &str) -> Result<ProcessOutput, IoFailure> {
        let _ = command;
        Err(IoFailure::Other("this host does not run processes".into()))
    }
    /// Resolves a host name to all its addresses.
    fn resolve(&mut self, host: &str) -> Result<Vec<IpAddr>, IoFailure> {
        let _ = host;
        Err(IoFailure::Other("this host does not resolve names".into()))
    }
}

/// Runs one fetch of `source` to the end with `host`.
pub fn fetch<S, H>(source: &mut S, host: &mut H, jitter: Jitter) -> Result<Credentials, SourceError>
where
    S: Source + ?Sized,
    H: BlockingHost + ?Sized,
{
    source.start(host.now(), jitter);
    loop {
        let now = host.now();
        let outcome = match source.poll(now) {
            Step::Done(result) => return result,
            Step::Wait(until) => {
                host.sleep_until(until);
                continue;
            }
            Step::Send(request) => Outcome::Http(host.send(&request)),
            Step::ReadFile { path } => Outcome::File(host.read_file(&path)),
            Step::RunProcess { command } => Outcome::Process(host.run_process(&command)),
            Step::Resolve { host: name } => Outcome::Resolved(host.resolve(&name)),
        };
        let now = host.now();
        source.handle(now, outcome);
    }
}

/// Completes `lease` with the result of a fetch: success installs the credentials, an error is
/// recorded as [`SourceError::failure`].
pub fn complete(
    cache: &CredentialCache,
    lease: RefreshLease,
    result: Result<Credentials, SourceError>,
    now: Timestamp,
    jitter: Jitter,
) -> Completion {
    match result {
        Ok(c) => cache.complete_success(lease, c, now, jitter),
        Err(e) => cache.complete_failure(lease, e.failure(), now, jitter),
    }
}

/// Why [`credentials`] returned no credentials.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct DriveError {
    /// The refresh engine's verdict (what kind of failure, for its backoff).
    pub failure: Failure,
    /// When the cache allows the next attempt.
    pub retry_at: Timestamp,
    /// The source's own error from the fetch this call made (which endpoint, status,
    /// document field...), when it made one: `None` when the cache refused because of an
    /// earlier failure (its detail went to the caller that fetched then).
    pub error: Option<SourceError>,
}

impl core::fmt::Display for DriveError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match &self.error {
            Some(e) => core::fmt::Display::fmt(e, f),
            None => write!(
                f,
                "the last refresh failed ({:?}); next attempt at {}",
                self.failure, self.retry_at
            ),
        }
    }
}

impl core::error::Error for DriveError {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        self.error.as_ref().map(|e| e as _)
    }
}

/// The credentials to sign a request with now: asks `cache`, and when it hands this caller a
/// lease, fetches from `source` inline and completes the lease (a host with threads would run
/// a background lease on another thread). `jitter` is called once per random draw. On failure
/// the [`DriveError`] keeps the [`SourceError`] of the fetch this call made.
pub fn credentials<S, H>(
    cache: &CredentialCache,
    source: &mut S,
    host: &mut H,
    mut jitter: impl FnMut() -> Jitter,
) -> Result<Credentials, DriveError>
where
    S: Source + ?Sized,
    H: BlockingHost + ?Sized,
{
    let mut last: Option<SourceError> = None;
    let mut refresh = |lease, host: &mut H, last: &mut Option<SourceError>| {
        let result = fetch(source, host, jitter());
        if let Err(e) = &result {
            *last = Some(e.clone());
        }
        let _ = complete(cache, lease, result, host.now(), jitter());
    };
    loop {
        let now = host.now();
        match cache.get(now) {
            Access::Use {
                credentials, lease, ..
            } => {
                if let Some(lease) = lease {
                    refresh(lease, host, &mut last);
                }
                return Ok(credentials);
            }
            Access::Refresh { lease, .. } => refresh(lease, host, &mut last),
            Access::Wait { until, generation } => {
                let wait = until.duration_since(now).unwrap_or_default();
                if !cache.wait_for_change(generation, wait.min(Duration::from_secs(1))) {
                    host.sleep_until(until);
                }
            }
            Access::Failed {
                failure, retry_at, ..
            } => {
                return Err(DriveError {
                    failure,
                    retry_at,
                    error: last,
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::refresh::RefreshPolicy;
    use crate::source::{ImdsConfig, ImdsSource};

    struct Refusing(Timestamp);

    impl BlockingHost for Refusing {
        fn now(&mut self) -> Timestamp {
            self.0
        }
        fn sleep_until(&mut self, until: Timestamp) {
            self.0 = self.0.max(until);
        }
        fn send(&mut self, _: &HttpRequest) -> Result<HttpResponse, TransportError> {
            Ok(HttpResponse::new(404, vec![], "not here"))
        }
    }

    #[test]
    fn a_failed_fetch_keeps_its_detail() {
        let cache = CredentialCache::new(RefreshPolicy::default());
        let mut imds = ImdsSource::new(ImdsConfig::default());
        let mut host = Refusing(Timestamp::from_unix_seconds(1_700_000_000));
        let e = credentials(&cache, &mut imds, &mut host, || Jitter::ZERO).unwrap_err();
        let detail = e.error.clone().expect("this call fetched");
        assert_eq!(e.failure, detail.failure());
        assert_eq!(e.to_string(), detail.to_string());
        // The next call is refused by the cache without fetching: no detail of its own.
        let again = credentials(&cache, &mut imds, &mut host, || Jitter::ZERO).unwrap_err();
        assert_eq!((again.failure, again.error), (e.failure, None));
    }
}
