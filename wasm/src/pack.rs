//! Strings packed by the JS wrapper to cross the boundary once: items joined by NUL (`\0`).
//! NUL cannot appear in any item the core accepts (methods and header names are tokens; URLs,
//! header values, environment values and response headers refuse control characters), so an
//! item count that does not add up means an item held a NUL, reported as an argument error.

use crate::error::ErrorInfo;
use crate::prelude::*;

/// `a\0b\0c\0d` as `[(a, b), (c, d)]`; an empty string is no pairs, an odd last item is dropped.
#[cfg_attr(
    not(any(feature = "documents", feature = "classify", feature = "sources")),
    allow(dead_code)
)]
pub(crate) fn pairs(s: &str) -> Vec<(&str, &str)> {
    if s.is_empty() {
        return Vec::new();
    }
    let mut it = s.split('\0');
    let mut out = Vec::new();
    while let (Some(k), Some(v)) = (it.next(), it.next()) {
        out.push((k, v));
    }
    out
}

/// A request head `method\0uri(\0name\0value)*` with exactly `nheaders` headers.
pub(crate) struct Head<'a> {
    pub method: &'a str,
    pub uri: &'a str,
    pub headers: Vec<(&'a str, &'a str)>,
}

pub(crate) fn head(s: &str, nheaders: u32) -> Result<Head<'_>, ErrorInfo> {
    let mut it = s.split('\0');
    let bad = || {
        ErrorInfo::argument(
            "ERR_INVALID_ARG_VALUE",
            "the method, URL or a header contains a NUL character",
        )
    };
    let method = it.next().ok_or_else(bad)?;
    let uri = it.next().ok_or_else(bad)?;
    let mut headers = Vec::with_capacity(nheaders as usize);
    for _ in 0..nheaders {
        match (it.next(), it.next()) {
            (Some(n), Some(v)) => headers.push((n, v)),
            _ => return Err(bad()),
        }
    }
    if it.next().is_some() {
        return Err(bad());
    }
    Ok(Head {
        method,
        uri,
        headers,
    })
}

/// Joins items with NUL for the JS side to split.
pub(crate) struct Out {
    pub text: String,
    items: usize,
}

impl Out {
    pub(crate) fn with_capacity(n: usize) -> Self {
        Out {
            text: String::with_capacity(n),
            items: 0,
        }
    }
    pub(crate) fn item(&mut self, s: &str) {
        if self.items > 0 {
            self.text.push('\0');
        }
        self.items += 1;
        self.text.push_str(s);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heads_and_pairs() {
        let h = head("GET\0/\0a\0b\0c\0", 2).ok().unwrap();
        assert_eq!((h.method, h.uri), ("GET", "/"));
        assert_eq!(h.headers, [("a", "b"), ("c", "")]);
        assert!(head("GET\0/\0a\0b\0c", 1).is_err(), "a NUL inside a value");
        assert!(head("GET\0/\0a", 1).is_err());
        assert!(head("GET", 0).is_err());
        assert_eq!(pairs(""), []);
        assert_eq!(pairs("K\0V\0K2\0"), [("K", "V"), ("K2", "")]);
        let mut o = Out::with_capacity(8);
        for s in ["", "a", ""] {
            o.item(s);
        }
        assert_eq!(o.text, "\0a\0");
    }
}
