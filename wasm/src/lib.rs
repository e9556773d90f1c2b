//! # sigfresh-wasm — the wasm-bindgen shell of the `sigfresh` npm package
//!
//! This crate converts JavaScript values to the core's types, calls the core, and converts the
//! results back. It holds no rule of its own (STYLE.md §9): signing, parsing, refresh decisions,
//! skew correction, error classification and the credential-source state machines are all the
//! `sigfresh` core's. The clock and randomness are read in JavaScript and passed in as epoch
//! milliseconds and fractions in `[0, 1)`; nothing here reads a clock or does I/O.
//!
//! ```text
//!  JS: plain objects ──► node/src (type checks, packing) ──► this crate ──► sigfresh core
//!  JS: Error subclasses ◄── packed ErrorInfo {class, code, message, ...} ◄──────┘
//! ```
//!
//! Calls cross the boundary with few values: a request head is one NUL-packed string (NUL cannot
//! appear in anything the core accepts) and results and errors are NUL-packed strings, which
//! also keeps the generated JS glue small.
//!
//! Features (all on by default, the Node build): `std`, `documents` (`Credentials.parse`),
//! `verify`, `classify` (`classifyError`), `cache` (`CredentialCache`, `RefreshPolicy`), `skew`
//! (`ClockSkew`) and `sources` (IMDS and container machines, which need `std`). The browser
//! builds are `no_std` with `size`: the default one is signing only, `sigfresh/full` adds
//! everything but `sources` (see node/README.md, node/scripts/build.sh).
//! Handles (`Credentials`, `Signer`, `CredentialCache`, source machines) are freed by the JS
//! garbage collector (`wasm-bindgen --weak-refs`) or explicitly with `free()`.
//!
//! Panics: the core does not panic on any input; if it ever did, `wasm32-unknown-unknown` turns
//! the panic into a trap (`panic = "abort"` in the `wasm-release` profile, this crate's panic
//! handler without `std`, `panic=immediate-abort` in the nightly browser builds), which JavaScript sees
//! as a `WebAssembly.RuntimeError` and the JS wrapper reports as `ERR_INTERNAL`.
#![no_std]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

extern crate alloc;
#[cfg(any(feature = "std", test))]
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

#[cfg(feature = "classify")]
mod classify;
mod credentials;
mod error;
mod pack;
#[cfg(feature = "cache")]
mod refresh;
mod sign;
#[cfg(feature = "skew")]
mod skew;
#[cfg(feature = "sources")]
mod source;
#[cfg(feature = "verify")]
mod verify;

#[cfg(feature = "classify")]
pub use classify::classify_error;
pub use credentials::Credentials;
#[cfg(feature = "cache")]
pub use refresh::{CredentialCache, Lease, RefreshPolicy};
pub use sign::Signer;
#[cfg(feature = "skew")]
pub use skew::{is_skew_error, parse_http_date_ms, ClockSkew};
#[cfg(feature = "sources")]
pub use source::SourceMachine;
#[cfg(feature = "verify")]
pub use verify::{verify, Lookup};

use crate::prelude::*;
use wasm_bindgen::prelude::*;

/// The browser builds (feature `size`) allocate with talc, a fraction of the size of the
/// standard library's dlmalloc; single-threaded wasm only (talc's own condition).
#[cfg(all(
    feature = "size",
    target_family = "wasm",
    not(target_feature = "atomics")
))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// Without `std` (the browser builds) a panic traps at once: `unreachable` is a wasm trap, which
/// JavaScript sees as a `WebAssembly.RuntimeError` (reported as `ERR_INTERNAL`, the same as the
/// `std` build's abort). The message is never formatted, so no formatting code for it is linked.
#[cfg(all(not(feature = "std"), not(test), target_arch = "wasm32"))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    core::arch::wasm32::unreachable()
}

#[cfg(all(not(feature = "std"), not(feature = "size"), target_arch = "wasm32"))]
compile_error!("sigfresh-wasm without `std` needs an allocator: enable the `size` feature (talc)");

/// The core library version this shell wraps.
#[wasm_bindgen]
pub fn version() -> String {
    sigfresh::VERSION.to_owned()
}

#[cfg(test)]
mod tests {
    #[test]
    fn wraps_the_core_version() {
        assert_eq!(super::version(), env!("CARGO_PKG_VERSION"));
    }
}
