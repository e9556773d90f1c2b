//! # sigfresh-ffi — the C ABI of sigfresh
//!
//! Exposes the sans-IO core to C (and through the same ABI to Panama and other FFI hosts),
//! following rustls-ffi's conventions. `include/sigfresh.h` is generated from this crate by the
//! pinned cbindgen in `build.rs`; its preamble states the conventions every function follows.
//!
//! ```text
//!  C host ──► sigfresh_* (checks pointers, lengths, UTF-8, handle tags; catches panics)
//!               │ converts types only: every rule lives in the core
//!               ▼
//!            sigfresh (core) ──► results copied to caller buffers or kept in result handles
//! ```
//!
//! This crate holds no logic of its own: it converts types, checks pointers, catches panics and
//! calls the core.
//!
//! ## Safety contract (all functions)
//!
//! Every `unsafe extern "C"` function expects what C code naturally provides: each non-NULL
//! pointer is valid for the length given with it (or for one element), handles are pointers
//! this library returned, and output buffers do not overlap inputs. Within that contract no
//! input — NULL, invalid UTF-8, unknown constants, oversized lengths, small buffers, freed or
//! foreign handles — causes undefined behaviour; each gives a result code. The contract is
//! stated once here and in the header preamble rather than on every function.
#![allow(non_camel_case_types)]
#![allow(clippy::missing_safety_doc)]
#![deny(missing_docs)]

mod handle;

pub mod classify;
pub mod credentials;
pub mod document;
pub mod raw_request;
pub mod refresh;
pub mod result;
pub mod shared;
pub mod sign;
pub mod skew;
pub mod source;
pub mod time;
pub mod verify;

#[cfg(feature = "jni")]
mod jni;

pub use handle::{sigfresh_bytes, sigfresh_pair, sigfresh_str};

/// The library version as a NUL-terminated static string, e.g. "0.1.0". Do not free it.
#[no_mangle]
pub extern "C" fn sigfresh_version() -> *const core::ffi::c_char {
    // Inside the boundary like every function, though a constant cannot panic.
    std::panic::catch_unwind(|| concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast())
        .unwrap_or(core::ptr::null())
}

#[cfg(test)]
mod tests {
    #[test]
    fn version_is_nul_terminated_and_matches_the_crate() {
        // SAFETY: sigfresh_version returns a pointer to a static NUL-terminated string.
        let v = unsafe { std::ffi::CStr::from_ptr(super::sigfresh_version()) };
        assert_eq!(v.to_str().unwrap(), sigfresh::VERSION);
    }

    #[test]
    fn panics_become_a_result_code_and_a_detail() {
        use crate::result::*;
        let code = crate::handle::boundary(|| panic!("boom"));
        assert_eq!(code, SIGFRESH_PANIC);
        crate::result::with_last_error(|s| assert!(s.contains("boom"), "{s}"));
    }
}
