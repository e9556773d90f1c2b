//! Checks that keep the result codes consistent across the crate.

use super::*;

/// The text of every source file of this crate.
fn all_sources() -> Vec<String> {
    fn walk(dir: &std::path::Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(std::fs::read_to_string(&p).unwrap());
            }
        }
    }
    let mut out = Vec::new();
    walk(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut out,
    );
    assert!(out.len() >= 12);
    out
}

/// Every `pub const SIGFRESH_*: sigfresh_result` in this crate has a name and text, the
/// name matches the constant, and no number is used twice.
#[test]
#[cfg_attr(
    miri,
    ignore = "reads the crate's source files (Miri isolates the file system)"
)]
fn every_code_is_described_once() {
    let sources = all_sources();
    let mut seen = std::collections::BTreeMap::new();
    for src in &sources {
        for line in src.lines() {
            let Some(rest) = line.strip_prefix("pub const SIGFRESH_") else {
                continue;
            };
            let Some((name, value)) = rest.split_once(": sigfresh_result = ") else {
                continue;
            };
            let value: u32 = value.trim_end_matches(';').parse().unwrap();
            let full = format!("SIGFRESH_{name}");
            let (n, m) = describe(value).unwrap_or_else(|| panic!("{full} undescribed"));
            assert_eq!(n.to_str().unwrap(), full);
            assert!(!m.to_bytes().is_empty());
            assert!(seen.insert(value, full).is_none(), "{value} used twice");
        }
    }
    assert!(seen.len() > 60);
    assert!(describe(98).is_none());
}

/// C has one namespace: no two constants of any module share a name.
#[test]
#[cfg_attr(
    miri,
    ignore = "reads the crate's source files (Miri isolates the file system)"
)]
fn constant_names_are_unique_across_modules() {
    let sources = all_sources();
    let mut names = std::collections::BTreeSet::new();
    for src in &sources {
        for line in src.lines() {
            if let Some(rest) = line.strip_prefix("pub const SIGFRESH_") {
                let name = rest.split(':').next().unwrap().to_owned();
                assert!(
                    names.insert(name.clone()),
                    "SIGFRESH_{name} is defined twice"
                );
            }
        }
    }
}
