//! The demo's two clients, each run by several threads in lock step with the virtual clock:
//!
//! * **naive**: fetches IMDS credentials once at startup and signs with them forever (the
//!   classic ExpiredToken bug);
//! * **sigfresh**: asks a shared [`CredentialCache`] before every request; the caller handed a
//!   lease fetches from the [`ImdsSource`] and completes it, the others keep signing.

use super::sim::SimClock;
use crate::clock;
use crate::http::{self, Conn};
use crate::rng::Rng;
use sigfresh::classify::{classify, Action, ErrorKind, ErrorResponse};
use sigfresh::credentials::Credentials;
use sigfresh::refresh::{Access, Completion, CredentialCache, RefreshLease};
use sigfresh::sigv4::{Payload, SignableRequest, Signer};
use sigfresh::source::drive::{self, BlockingHost};
use sigfresh::source::{HttpRequest, HttpResponse, ImdsSource, TransportError, Url};
use sigfresh::time::Timestamp;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

/// The host for the IMDS machine: the virtual clock, real HTTP to the stand-in. A backoff
/// ([`BlockingHost::sleep_until`]) moves this host's own time forward instead of sleeping, as
/// the virtual clock only moves between steps.
pub(crate) struct DemoHost {
    clock: Arc<SimClock>,
    floor: Timestamp,
    /// HTTP requests sent to IMDS.
    pub(crate) requests: u64,
}

impl DemoHost {
    pub(crate) fn new(clock: Arc<SimClock>) -> DemoHost {
        DemoHost {
            clock,
            floor: Timestamp::default(),
            requests: 0,
        }
    }
}

impl BlockingHost for DemoHost {
    fn now(&mut self) -> Timestamp {
        self.clock.now().max(self.floor)
    }
    fn sleep_until(&mut self, until: Timestamp) {
        self.floor = self.floor.max(until);
    }
    fn send(&mut self, request: &HttpRequest) -> Result<HttpResponse, TransportError> {
        self.requests += 1;
        http::send(request)
    }
}

/// One client's counters, shared by its threads (read live by the progress display).
#[derive(Debug)]
pub(crate) struct Counters {
    pub(crate) sent: AtomicU64,
    pub(crate) ok: AtomicU64,
    pub(crate) expired: AtomicU64,
    pub(crate) other: AtomicU64,
    pub(crate) installs: AtomicU64,
    pub(crate) unchanged: AtomicU64,
    pub(crate) failed_fetches: AtomicU64,
    pub(crate) retries: AtomicU64,
    /// First ExpiredToken rejection (virtual ms), `i64::MAX` while none.
    pub(crate) first_expired: AtomicI64,
}

impl Default for Counters {
    fn default() -> Self {
        Counters {
            sent: AtomicU64::new(0),
            ok: AtomicU64::new(0),
            expired: AtomicU64::new(0),
            other: AtomicU64::new(0),
            installs: AtomicU64::new(0),
            unchanged: AtomicU64::new(0),
            failed_fetches: AtomicU64::new(0),
            retries: AtomicU64::new(0),
            first_expired: AtomicI64::new(i64::MAX),
        }
    }
}

/// The IMDS machine, its host and the jitter draws: used by whoever holds the lease.
pub(crate) struct Fetcher {
    pub(crate) source: ImdsSource,
    pub(crate) host: DemoHost,
    pub(crate) rng: Rng,
    /// For each refresh: how long before the old credentials' expiry it happened (ms).
    pub(crate) leads_ms: Vec<i64>,
}

/// How a client gets credentials.
pub(crate) enum Creds {
    /// Captured once.
    Naive(Credentials),
    /// The cache and the source behind it.
    Fresh(Box<Fresh>),
}

/// sigfresh's way: a shared cache, and the source whoever holds the lease fetches from.
pub(crate) struct Fresh {
    pub(crate) cache: CredentialCache,
    pub(crate) fetcher: Mutex<Fetcher>,
}

/// A client: its credentials, its counters.
pub(crate) struct Client {
    pub(crate) creds: Creds,
    pub(crate) counters: Counters,
}

/// What every request needs: the API's address and the signer.
pub(crate) struct Api {
    pub(crate) base: String,
    pub(crate) url: Url,
    pub(crate) signer: Signer,
}

impl Client {
    fn fetch(&self, cache: &CredentialCache, fetcher: &Mutex<Fetcher>, lease: RefreshLease) {
        let mut f = fetcher.lock().unwrap_or_else(PoisonError::into_inner);
        let old = cache.entry().and_then(|e| e.credentials().expiry());
        let jitter = f.rng.jitter();
        let f = &mut *f;
        let result = drive::fetch(&mut f.source, &mut f.host, jitter);
        let now = f.host.now();
        let c = &self.counters;
        match drive::complete(cache, lease, result, now, f.rng.jitter()) {
            Completion::Installed { .. } => {
                if c.installs.fetch_add(1, Ordering::Relaxed) > 0 {
                    if let Some(e) = old {
                        f.leads_ms.push(e.millis_since(now));
                    }
                }
            }
            Completion::Unchanged { .. } => {
                c.unchanged.fetch_add(1, Ordering::Relaxed);
            }
            _ => {
                c.failed_fetches.fetch_add(1, Ordering::Relaxed);
            }
        }
    }

    /// The credentials to sign with at `now`, and whether this call fetched.
    fn credentials(&self, now: Timestamp) -> (Option<Credentials>, bool) {
        let (cache, fetcher) = match &self.creds {
            Creds::Naive(c) => return (Some(c.clone()), false),
            Creds::Fresh(f) => (&f.cache, &f.fetcher),
        };
        let mut fetched = false;
        // Bounded: a lease holder finishes in milliseconds; a stuck one expires.
        for _ in 0..2000 {
            match cache.get(now) {
                Access::Use {
                    credentials, lease, ..
                } => {
                    if let Some(lease) = lease {
                        self.fetch(cache, fetcher, lease);
                        fetched = true;
                    }
                    return (Some(credentials), fetched);
                }
                Access::Refresh { lease, .. } => {
                    self.fetch(cache, fetcher, lease);
                    fetched = true;
                }
                Access::Wait { generation, .. } => {
                    cache.wait_for_change(generation, Duration::from_millis(10));
                }
                _ => return (None, fetched),
            }
        }
        (None, fetched)
    }

    /// Sends one request at virtual time `now`; returns the signing time (ns) when it is a
    /// plain signing (no fetch on the way).
    pub(crate) fn request(
        &self,
        api: &Api,
        conn: &mut Option<Conn>,
        now: Timestamp,
        n: u64,
    ) -> Option<u64> {
        let c = &self.counters;
        let target = format!("{}items/{n}", api.base);
        let req = SignableRequest::new("GET", &target, &[], Payload::Bytes(b""));
        let mut timing = None;
        for attempt in 0..2 {
            let started = clock::mono();
            let (creds, fetched) = self.credentials(now);
            let Some(creds) = creds else {
                c.other.fetch_add(1, Ordering::Relaxed);
                return timing;
            };
            let Ok(out) = api.signer.sign(&req, &creds, now) else {
                c.other.fetch_add(1, Ordering::Relaxed);
                return timing;
            };
            let ns = clock::mono().duration_since(started).as_nanos() as u64;
            if !fetched && attempt == 0 {
                timing = Some(ns);
            }
            let bytes = out.render(&req);
            c.sent.fetch_add(1, Ordering::Relaxed);
            let Some(resp) = exchange(api, conn, &bytes) else {
                c.other.fetch_add(1, Ordering::Relaxed);
                return timing;
            };
            if resp.status == 200 {
                c.ok.fetch_add(1, Ordering::Relaxed);
                return timing;
            }
            let headers: Vec<(&str, &str)> = resp
                .headers
                .iter()
                .map(|(n, v)| (n.as_str(), v.as_str()))
                .collect();
            let class = classify(
                &ErrorResponse::new(resp.status, &headers, &resp.body),
                None,
                now,
            );
            if class.kind != ErrorKind::ExpiredToken {
                c.other.fetch_add(1, Ordering::Relaxed);
                return timing;
            }
            c.expired.fetch_add(1, Ordering::Relaxed);
            c.first_expired
                .fetch_min(now.unix_millis(), Ordering::Relaxed);
            // sigfresh's answer to ExpiredToken: drop those credentials, refresh, retry once.
            // The naive client has nothing to refresh.
            match (&self.creds, class.action_for_source(creds.source())) {
                (Creds::Fresh(f), Action::RefreshCredentialsAndRetry) if attempt == 0 => {
                    f.cache.invalidate_if_current(creds.access_key_id());
                    c.retries.fetch_add(1, Ordering::Relaxed);
                }
                _ => return timing,
            }
        }
        timing
    }
}

/// Sends `bytes` on the worker's keep-alive connection, reconnecting once if it dropped.
fn exchange(api: &Api, conn: &mut Option<Conn>, bytes: &[u8]) -> Option<http::Response> {
    for _ in 0..2 {
        if conn.is_none() {
            *conn = Conn::open(&api.url, &[], Duration::from_secs(10)).ok();
        }
        let c = conn.as_mut()?;
        match c.exchange(bytes, false) {
            Ok(r) => return Some(r),
            Err(_) => *conn = None,
        }
    }
    None
}
