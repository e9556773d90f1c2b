//! # sigfresh — the sans-IO core
//!
//! sigfresh keeps AWS temporary credentials fresh and signs requests with them. This crate is
//! the one core every binding (C, Java, Node, the `sigfresh` CLI) shares:
//!
//! ```text
//!  bytes of a credential document ──► document::*  ──► Credentials ─┐
//!  now (host clock) + jitter ───────► refresh ──► RefreshDecision   ├─► sigv4::Signer ──► headers / URL
//!  server Date headers ─────────────► skew ────► corrected time ────┘        (+ canonical request,
//!  error responses ─────────────────► classify ──► what to do next             string to sign)
//! ```
//!
//! It does **no I/O and reads no clock**: every time-dependent function takes `now` as a
//! parameter, randomness (jitter) arrives as a parameter, and HTTP exchanges are planned as data
//! for the host to perform. It spawns no threads and contains no `unsafe` code.
//!
//! Start with [`sigv4::Signer`] to sign, and [`credentials::Credentials`] for the value it signs
//! with.
//!
//! ## Without the standard library
//!
//! The crate is `no_std` + `alloc` when its default `std` feature is off (the browser build of
//! the npm package uses this). Everything that signs, parses and decides is the same; what needs
//! `std` is left out: `SystemTime` conversions, `HashMap` environments, the blocking
//! `CredentialCache::wait_for_change` and the credential-source machines (`source`: the
//! IMDS, container, process and profile sources share their state across threads). Without
//! `std` the cache and the credentials' signing-key cache are single-threaded (`!Sync`), which
//! is all a browser has.
#![no_std]
#![forbid(unsafe_code)]
// Without `std` the snapshot cells are `RefCell`s (see `swap`): an `Arc` of one is not `Sync`,
// and needs not be where there is one thread. The same `Arc`-based code serves both builds.
#![cfg_attr(not(feature = "std"), allow(clippy::arc_with_non_send_sync))]
#![deny(missing_docs)]
#![cfg_attr(
    not(test),
    warn(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

extern crate alloc;
#[cfg(any(feature = "std", test))]
#[macro_use]
extern crate std;

/// What the standard library's prelude would bring into scope, from `alloc`.
#[allow(unused_imports)]
mod prelude {
    pub(crate) use alloc::borrow::ToOwned;
    pub(crate) use alloc::boxed::Box;
    pub(crate) use alloc::format;
    pub(crate) use alloc::string::{String, ToString};
    pub(crate) use alloc::vec;
    pub(crate) use alloc::vec::Vec;
}

pub mod classify;
pub mod credentials;
pub mod document;
pub mod raw_request;
pub mod refresh;
pub mod sigv4;
pub mod skew;
#[cfg(feature = "std")]
pub mod source;
mod swap;
pub mod time;

/// The version of this crate, e.g. `0.1.0`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The README's examples, compiled and run as doctests so they cannot drift.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
