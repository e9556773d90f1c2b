//! wasm-bindgen shell for sigfresh. A placeholder until the Node/browser issue fills it: it builds
//! and re-exports the core version so the crate graph is in place.
#![forbid(unsafe_code)]

/// The core library version this shell wraps.
pub fn version() -> &'static str {
    sigfresh::VERSION
}

#[cfg(test)]
mod tests {
    #[test]
    fn wraps_the_core_version() {
        assert_eq!(super::version(), env!("CARGO_PKG_VERSION"));
    }
}
