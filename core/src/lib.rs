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
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(
    not(test),
    warn(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod classify;
pub mod credentials;
pub mod document;
pub mod raw_request;
pub mod refresh;
pub mod sigv4;
pub mod skew;
pub mod source;
mod swap;
pub mod time;

/// The version of this crate, e.g. `0.1.0`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The README's examples, compiled and run as doctests so they cannot drift.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
