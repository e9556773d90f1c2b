//! Regenerates `include/sigfresh.h` from the crate's sources with the pinned cbindgen.
//!
//! The header is committed; CI rebuilds and fails when `git diff --exit-code include/sigfresh.h`
//! shows a change. cbindgen only rewrites the file when its content changes.

use std::path::PathBuf;

fn main() {
    let crate_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let config = cbindgen::Config::from_file(crate_dir.join("cbindgen.toml"))
        .expect("ffi/cbindgen.toml is valid");
    // `with_src` parses src/lib.rs and follows its `mod` declarations without running
    // `cargo metadata` (which could wait on the lock the outer cargo holds).
    let bindings = cbindgen::Builder::new()
        .with_config(config)
        .with_src(crate_dir.join("src/lib.rs"))
        .generate()
        .expect("cbindgen parses the ffi crate");
    bindings.write_to_file(crate_dir.join("../include/sigfresh.h"));
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=cbindgen.toml");
    println!("cargo:rerun-if-changed=build.rs");
}
