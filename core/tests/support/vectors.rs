//! Reading the conformance corpus (`tests/vectors/`, format in its README.md): case files,
//! inputs, and the names every host uses for decisions and errors.

use serde_json::Value;
use sigfresh::time::{parse_amz_date, parse_rfc3339, Timestamp};
use std::path::{Path, PathBuf};

/// The repository root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Every `*.json` case of a kind directory, sorted by name: (name, case).
pub fn cases(kind: &str) -> Vec<(String, Value)> {
    let dir = root().join("tests/vectors").join(kind);
    let mut out: Vec<(String, Value)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .map(|p| {
            let name = p.file_stem().unwrap().to_string_lossy().into_owned();
            let v = serde_json::from_slice(&std::fs::read(&p).unwrap())
                .unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            (name, v)
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// A string field.
pub fn s<'a>(v: &'a Value, k: &str) -> Option<&'a str> {
    v.get(k).and_then(Value::as_str)
}

/// A time: RFC 3339, or an AMZ date (`20150830T123600Z`).
pub fn time(text: &str) -> Timestamp {
    parse_rfc3339(text)
        .or_else(|_| parse_amz_date(text))
        .unwrap_or_else(|e| panic!("bad time {text:?}: {e:?}"))
}

/// A file named relative to the repository root, padded with spaces to `pad_to` bytes.
pub fn input_file(path: &str, pad_to: Option<u64>) -> Vec<u8> {
    let mut b = std::fs::read(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
    if let Some(n) = pad_to {
        b.resize(usize::try_from(n).unwrap().max(b.len()), b' ');
    }
    b
}

/// `[[name, value], ...]` as owned pairs.
pub fn pairs(v: &Value) -> Vec<(String, String)> {
    v.as_array()
        .map(|a| {
            a.iter()
                .map(|p| (p[0].as_str().unwrap().into(), p[1].as_str().unwrap().into()))
                .collect()
        })
        .unwrap_or_default()
}

/// `CamelCase` → `camel_case` (the corpus's names for enum values).
pub fn snake(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// The variant name of a `Debug` form (`Fresh { refresh_at: .. }` → `fresh`).
pub fn variant<T: std::fmt::Debug>(v: &T) -> String {
    let d = format!("{v:?}");
    let end = d.find([' ', '(', '{']).unwrap_or(d.len());
    snake(&d[..end])
}

/// Collects failures with the case name; panics with all of them at the end.
#[derive(Default)]
pub struct Report {
    /// (kind, passed)
    pub counts: Vec<(String, usize, usize)>,
    pub failures: Vec<String>,
}

impl Report {
    pub fn record(&mut self, kind: &str, name: &str, result: Result<(), String>) {
        let i = match self.counts.iter().position(|c| c.0 == kind) {
            Some(i) => i,
            None => {
                self.counts.push((kind.to_string(), 0, 0));
                self.counts.len() - 1
            }
        };
        self.counts[i].1 += 1;
        match result {
            Ok(()) => self.counts[i].2 += 1,
            Err(e) => self.failures.push(format!("{kind}/{name}: {e}")),
        }
    }

    pub fn finish(self) {
        for (kind, total, passed) in &self.counts {
            eprintln!("conformance (rust): {kind}: {passed}/{total} passed");
        }
        assert!(
            self.failures.is_empty(),
            "{} conformance failure(s):\n{}",
            self.failures.len(),
            self.failures.join("\n")
        );
    }
}

/// `Err` unless equal.
pub fn eq<T: PartialEq + std::fmt::Debug>(what: &str, got: T, want: T) -> Result<(), String> {
    if got == want {
        Ok(())
    } else {
        Err(format!("{what}: got {got:?}, want {want:?}"))
    }
}
