//! C ABI for sigfresh. This crate is a placeholder until the C ABI issue fills it: it builds,
//! links the core, and exports only the library version.

/// The library version as a NUL-terminated static string. The caller must not free it.
#[no_mangle]
pub extern "C" fn sigfresh_version() -> *const std::ffi::c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}

#[cfg(test)]
mod tests {
    #[test]
    fn version_is_nul_terminated_and_matches_the_crate() {
        // SAFETY: sigfresh_version returns a pointer to a static NUL-terminated string.
        let v = unsafe { std::ffi::CStr::from_ptr(super::sigfresh_version()) };
        assert_eq!(v.to_str().unwrap(), sigfresh::VERSION);
    }
}
