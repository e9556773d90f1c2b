//! When to refresh credentials: the policy, the pure decision, and a thread-safe cache.
//!
//! sigfresh decides *when* to refresh; the host does the fetching. Nothing here reads a clock,
//! draws a random number, sleeps or spawns: `now` (the skew-corrected time,
//! `skew.corrected(local_now)`) and [`Jitter`] are parameters.
//!
//! ```text
//!  RefreshPolicy ─┐
//!  CachedEntry ───┼─► decide() ──► RefreshDecision::{Fresh, RefreshAdvised, RefreshRequired,
//!  now ───────────┘                                  StaleButUsable, Expired, Missing}
//!
//!  CredentialCache::get(now) ──► Access::{Use (+ background lease), Refresh (lease), Wait, Failed}
//!  host fetches ──► complete_success / complete_failure(lease, .., now, jitter) ──► Completion
//! ```
//!
//! * [`RefreshPolicy`]: refresh 5 minutes before expiry (moved up to 60 s earlier by jitter so a
//!   fleet spreads out), wait for fresh credentials inside the last minute, back off 1 s → 5 min
//!   after failures, cache non-retryable errors for a minute, never refresh twice within 30 s,
//!   and follow IMDS static stability.
//! * [`decide`]: the pure decision for one [`CachedEntry`]; the jitter is stored in the entry
//!   when it is installed, so every caller computes the same refresh time.
//! * [`CredentialCache`]: lock-free reads ([`CredentialCache::get`], or
//!   [`CredentialCache::with_current`] to read without cloning); exactly one caller at a time
//!   holds a [`RefreshLease`]; failures keep the last good credentials.
//!
//! Where the numbers come from:
//! * IMDS static stability follows the AWS SDKs: Rust `aws-config`'s `ImdsCredentialsProvider`
//!   keeps using credentials IMDS returned already expired and retries in 10 min plus up to
//!   5 min of jitter (`CREDENTIAL_EXPIRATION_INTERVAL`, `maybe_extend_expiration`); Java v2's
//!   `InstanceProfileCredentialsProvider` returns its last credentials when IMDS fails
//!   (`staleTime(Instant.MAX)`) and retries "in ~5 minutes". sigfresh retries in 5–10 min and
//!   extends nothing but `CredentialSource::InstanceMetadata`.
//! * The 1-minute mandatory window matches Java v2's container and SSO providers
//!   (`staleTime = expiration - 1 minute`); 15 minutes for credentials without an expiry is
//!   `aws-smithy-runtime`'s lazy cache default (`DEFAULT_EXPIRATION`).
//! * Backoff uses "equal jitter" (Brooker, *Exponential Backoff And Jitter*, AWS Architecture
//!   Blog, 2015): each delay is in `(d/2, d]`, never zero.
//!
//! A host's request path (here with a fake source; a real host fetches over HTTP, parses with
//! [`crate::document`], and draws the jitter from its RNG):
//!
//! ```
//! use core::time::Duration;
//! use sigfresh::credentials::{CredentialSource, Credentials};
//! use sigfresh::refresh::{Access, CredentialCache, Failure, Jitter, RefreshPolicy};
//! use sigfresh::time::Timestamp;
//!
//! fn fetch(now: Timestamp) -> Result<Credentials, Failure> {
//!     Credentials::builder("ASIAEXAMPLE", "secret")
//!         .session_token("token")
//!         .expiry(now.offset_millis(6 * 3_600_000))
//!         .source(CredentialSource::InstanceMetadata)
//!         .build()
//!         .map_err(|_| Failure::Retryable) // a malformed document is a transient failure
//! }
//!
//! /// Credentials to sign one request with.
//! fn credentials(cache: &CredentialCache, clock: impl Fn() -> Timestamp) -> Result<Credentials, Failure> {
//!     let jitter = || Jitter::from_u64(0x9e37_79b9_7f4a_7c15); // the host's RNG
//!     loop {
//!         let now = clock(); // the host's clock, corrected by `skew`
//!         match cache.get(now) {
//!             Access::Use { credentials, lease, .. } => {
//!                 if let Some(lease) = lease {
//!                     // A real host hands this to a background task; done inline here.
//!                     let _ = match fetch(now) {
//!                         Ok(c) => cache.complete_success(lease, c, clock(), jitter()),
//!                         Err(f) => cache.complete_failure(lease, f, clock(), jitter()),
//!                     };
//!                 }
//!                 return Ok(credentials);
//!             }
//!             Access::Refresh { lease, .. } => {
//!                 let _ = match fetch(now) {
//!                     Ok(c) => cache.complete_success(lease, c, clock(), jitter()),
//!                     Err(f) => cache.complete_failure(lease, f, clock(), jitter()),
//!                 };
//!             }
//!             Access::Wait { generation, .. } => {
//!                 cache.wait_for_change(generation, Duration::from_millis(100));
//!             }
//!             Access::Failed { failure, .. } => return Err(failure),
//!             _ => return Err(Failure::Retryable), // `Access` may grow variants
//!         }
//!     }
//! }
//!
//! let cache = CredentialCache::new(RefreshPolicy::default());
//! let t0 = Timestamp::from_unix_seconds(1_700_000_000);
//! let c = credentials(&cache, || t0).unwrap();
//! assert_eq!(c.access_key_id().as_str(), "ASIAEXAMPLE");
//! // A timer host sleeps until the next refresh: 5 minutes (minus jitter) before expiry.
//! let next = cache.next_refresh_at().unwrap();
//! assert!(next <= t0.offset_millis(6 * 3_600_000 - 300_000));
//! ```

mod access;
mod backoff;
mod cache;
mod decision;
mod policy;

pub use access::{Access, Completion, RefreshLease};
pub use backoff::Failure;
pub use cache::CredentialCache;
pub use decision::{decide, next_refresh_at, CachedEntry, RefreshDecision};
pub use policy::{Jitter, PolicyError, RefreshPolicy, RefreshPolicyBuilder};
