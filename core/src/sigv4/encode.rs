//! Percent-encoding for the canonical URI and query (RFC 3986 with SigV4's rules).
//!
//! Everything here writes into a caller's buffer or compares lazily: nothing allocates.

use crate::prelude::*;
use core::cmp::Ordering;

const HEX: &[u8; 16] = b"0123456789ABCDEF";

/// RFC 3986 unreserved characters: `A-Z a-z 0-9 - . _ ~`. Only these stay literal.
#[inline]
pub(crate) fn is_unreserved(b: u8) -> bool {
    UNRESERVED[usize::from(b)]
}

/// [`is_unreserved`] as a table: one load per byte instead of four range tests.
static UNRESERVED: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        t[i] = b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~');
        i += 1;
    }
    t
};

/// Whether every byte of `s` is unreserved. A full fold: no early exit, so no branch per byte.
#[inline]
fn all_unreserved(s: &[u8]) -> bool {
    s.iter().fold(true, |ok, &b| ok & is_unreserved(b))
}

#[inline]
fn hex_val(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

#[inline]
fn push_pct(out: &mut String, b: u8) {
    out.push('%');
    out.push(char::from(HEX[usize::from(b >> 4)]));
    out.push(char::from(HEX[usize::from(b & 15)]));
}

/// Encodes every byte of `s` except unreserved characters (and `/` when `keep_slash`).
pub(crate) fn push_encoded(out: &mut String, s: &str, keep_slash: bool) {
    let bytes = s.as_bytes();
    let mut run = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if is_unreserved(b) || (keep_slash && b == b'/') {
            continue;
        }
        // A non-empty literal run holds only unreserved ASCII, so it starts and ends on char
        // boundaries; an empty run may sit inside a multi-byte char, where `get` gives None.
        if let Some(lit) = s.get(run..i) {
            out.push_str(lit);
        }
        push_pct(out, b);
        run = i + 1;
    }
    if let Some(lit) = s.get(run..) {
        out.push_str(lit);
    }
}

/// Encodes `s` lowercased, every byte except unreserved characters (a header name in
/// `X-Amz-SignedHeaders`).
pub(crate) fn push_encoded_lower(out: &mut String, s: &str) {
    for b in s.bytes().map(|b| b.to_ascii_lowercase()) {
        if is_unreserved(b) {
            out.push(char::from(b));
        } else {
            push_pct(out, b);
        }
    }
}

/// Decodes `%XX` escapes (an invalid escape is a literal `%`) and, when `plus_is_space`, `+`
/// as a space: the bytes a server sees after URL-decoding a component.
#[derive(Clone)]
pub(crate) struct Decoded<'a> {
    bytes: &'a [u8],
    i: usize,
    plus_is_space: bool,
}

impl<'a> Decoded<'a> {
    pub(crate) fn new(s: &'a str, plus_is_space: bool) -> Self {
        Decoded {
            bytes: s.as_bytes(),
            i: 0,
            plus_is_space,
        }
    }
}

impl Iterator for Decoded<'_> {
    type Item = (u8, bool);
    /// Yields each decoded byte and whether it came from a `%XX` escape.
    #[inline]
    fn next(&mut self) -> Option<(u8, bool)> {
        let b = *self.bytes.get(self.i)?;
        if b == b'%' {
            if let (Some(h), Some(l)) = (
                self.bytes.get(self.i + 1).copied().and_then(hex_val),
                self.bytes.get(self.i + 2).copied().and_then(hex_val),
            ) {
                self.i += 3;
                return Some(((h << 4) | l, true));
            }
        }
        self.i += 1;
        if b == b'+' && self.plus_is_space {
            return Some((b' ', false));
        }
        Some((b, false))
    }
}

/// Writes the canonical (decode, then RFC 3986-encode) form of one query key or value.
pub(crate) fn push_query_component(out: &mut String, raw: &str) {
    if all_unreserved(raw.as_bytes()) {
        out.push_str(raw);
        return;
    }
    for (b, _) in Decoded::new(raw, true) {
        if is_unreserved(b) {
            out.push(char::from(b));
        } else {
            push_pct(out, b);
        }
    }
}

/// Writes the S3 (single-encoding) canonical form of a path: `%XX` escapes are decoded and
/// every byte re-encoded except unreserved ones; a literal `/` stays, an escaped `%2F` stays
/// escaped.
pub(crate) fn push_path_single(out: &mut String, path: &str) {
    if path
        .bytes()
        .fold(true, |ok, b| ok & (is_unreserved(b) | (b == b'/')))
    {
        out.push_str(path);
        return;
    }
    for (b, escaped) in Decoded::new(path, false) {
        if is_unreserved(b) || (b == b'/' && !escaped) {
            out.push(char::from(b));
        } else {
            push_pct(out, b);
        }
    }
}

/// The canonical encoded bytes of a query component, produced lazily for sorting.
struct EncodedBytes<'a> {
    inner: Decoded<'a>,
    pending: [u8; 2],
    npending: u8,
}

impl Iterator for EncodedBytes<'_> {
    type Item = u8;
    #[inline]
    fn next(&mut self) -> Option<u8> {
        if self.npending > 0 {
            let b = self.pending[usize::from(2 - self.npending)];
            self.npending -= 1;
            return Some(b);
        }
        let (b, _) = self.inner.next()?;
        if is_unreserved(b) {
            Some(b)
        } else {
            self.pending = [HEX[usize::from(b >> 4)], HEX[usize::from(b & 15)]];
            self.npending = 2;
            Some(b'%')
        }
    }
}

/// A query key or value as it takes part in sorting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum QueryText<'a> {
    /// As given in the request URI: decoded and re-encoded for the canonical form.
    Raw(&'a str),
    /// Already in canonical encoded form (the signer's own `X-Amz-*` parameters).
    Encoded(&'a str),
}

impl<'a> QueryText<'a> {
    /// A raw component from the request URI, as [`Encoded`](QueryText::Encoded) when it is
    /// already in canonical form (the common case: sorting and writing then skip the
    /// decode/encode).
    #[inline]
    pub(crate) fn classify(raw: &'a str) -> Self {
        if is_canonical(raw) {
            QueryText::Encoded(raw)
        } else {
            QueryText::Raw(raw)
        }
    }

    pub(crate) fn push_canonical(self, out: &mut String) {
        match self {
            QueryText::Raw(s) => push_query_component(out, s),
            QueryText::Encoded(s) => out.push_str(s),
        }
    }
}

/// Whether decoding and re-encoding `s` as a query component gives `s` back: every byte is
/// unreserved, or starts a `%XX` escape with uppercase hex digits of a byte that is not.
fn is_canonical(s: &str) -> bool {
    is_canonical_bytes(s.as_bytes())
}

/// [`is_canonical`] on bytes.
fn is_canonical_bytes(b: &[u8]) -> bool {
    if all_unreserved(b) {
        return true;
    }
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        if is_unreserved(c) {
            i += 1;
            continue;
        }
        match (c, upper_hex(b.get(i + 1)), upper_hex(b.get(i + 2))) {
            (b'%', Some(h), Some(l)) if !is_unreserved((h << 4) | l) => i += 3,
            _ => return false,
        }
    }
    true
}

/// Whether a query string is already its own canonical form: every piece is `key=value` with
/// both parts canonical (see [`is_canonical`]), in ascending order of (key, value). Then the
/// canonical query is the string itself, with no list to build and sort.
pub(crate) fn is_canonical_sorted_query(q: &str) -> bool {
    // One pass: unreserved bytes, valid escapes, one '=' per piece, '&' between pieces.
    let b = q.as_bytes();
    let (mut i, mut start, mut eq) = (0, 0, None);
    let mut prev: Option<(&[u8], &[u8])> = None;
    loop {
        match b.get(i) {
            Some(&c) if is_unreserved(c) => i += 1,
            Some(b'%') => match (upper_hex(b.get(i + 1)), upper_hex(b.get(i + 2))) {
                (Some(h), Some(l)) if !is_unreserved((h << 4) | l) => i += 3,
                _ => return false,
            },
            Some(b'=') if eq.is_none() => {
                eq = Some(i);
                i += 1;
            }
            c @ (Some(b'&') | None) => {
                let Some(e) = eq else {
                    return false;
                };
                let kv = (
                    b.get(start..e).unwrap_or(&[]),
                    b.get(e + 1..i).unwrap_or(&[]),
                );
                if prev.is_some_and(|p| p > kv) {
                    return false;
                }
                if c.is_none() {
                    return true;
                }
                prev = Some(kv);
                i += 1;
                start = i;
                eq = None;
            }
            Some(_) => return false,
        }
    }
}

/// The value of an uppercase hex digit.
#[inline]
fn upper_hex(x: Option<&u8>) -> Option<u8> {
    match x {
        Some(&d @ (b'0'..=b'9' | b'A'..=b'F')) => hex_val(d),
        _ => None,
    }
}

/// Compares two query components by their canonical encoded bytes without materialising them.
pub(crate) fn cmp_query_text(a: QueryText<'_>, b: QueryText<'_>) -> Ordering {
    fn enc(s: &str) -> EncodedBytes<'_> {
        EncodedBytes {
            inner: Decoded::new(s, true),
            pending: [0; 2],
            npending: 0,
        }
    }
    match (a, b) {
        (QueryText::Encoded(x), QueryText::Encoded(y)) => x.as_bytes().cmp(y.as_bytes()),
        (QueryText::Encoded(x), QueryText::Raw(y)) if fast(y) => x.as_bytes().cmp(y.as_bytes()),
        (QueryText::Encoded(x), QueryText::Raw(y)) => x.bytes().cmp(enc(y)),
        (QueryText::Raw(x), QueryText::Encoded(y)) if fast(x) => x.as_bytes().cmp(y.as_bytes()),
        (QueryText::Raw(x), QueryText::Encoded(y)) => enc(x).cmp(y.bytes()),
        (QueryText::Raw(x), QueryText::Raw(y)) if fast(x) && fast(y) => {
            x.as_bytes().cmp(y.as_bytes())
        }
        (QueryText::Raw(x), QueryText::Raw(y)) => enc(x).cmp(enc(y)),
    }
}

#[inline]
fn fast(s: &str) -> bool {
    all_unreserved(s.as_bytes())
}

/// RFC 3986 §5.2.4 `remove_dot_segments`, plus merging of empty segments (`//`), as SigV4
/// requires for every service except S3. Pushes each output segment onto `stack`; returns
/// whether the result ends with `/`. The caller writes `/` before each segment.
pub(crate) fn normalized_segments<'a>(path: &'a str, stack: &mut SegmentStack<'a>) -> bool {
    let mut trailing = false;
    let body = path.strip_prefix('/').unwrap_or(path);
    for seg in body.split('/') {
        match seg {
            "" | "." => trailing = true,
            ".." => {
                stack.pop();
                trailing = true;
            }
            s => {
                stack.push(s);
                trailing = false;
            }
        }
    }
    trailing
}

/// Path segments on the stack for ordinary paths (up to 32 segments).
pub(crate) type SegmentStack<'a> = super::stackvec::StackVec<&'a str, 32>;

#[cfg(test)]
mod tests {
    use super::*;

    fn enc_query(s: &str) -> String {
        let mut o = String::new();
        push_query_component(&mut o, s);
        o
    }

    #[test]
    fn query_components_decode_then_encode() {
        assert_eq!(enc_query("photos%2F2024"), "photos%2F2024");
        assert_eq!(enc_query("photos/2024"), "photos%2F2024");
        assert_eq!(enc_query("a+b"), "a%20b");
        assert_eq!(enc_query("a%2Bb"), "a%2Bb");
        assert_eq!(enc_query("%7e%41"), "~A");
        assert_eq!(enc_query("100%"), "100%25");
        assert_eq!(enc_query("%zz"), "%25zz");
        assert_eq!(enc_query("\u{1234}"), "%E1%88%B4");
        assert_eq!(enc_query("-._~"), "-._~");
    }

    #[test]
    fn canonical_components_are_recognised() {
        for s in [
            "",
            "a",
            "A",
            "a+b",
            "a%20b",
            "a b",
            "~",
            "%7E",
            "%7e",
            "\u{e4}",
            "%C3%A4",
            "%c3%a4",
            "-",
            "%2D",
            "a%",
            "%",
            "%%",
            "+",
            "%2B",
            "%2b",
            "photos%2F2024",
            "photos/2024",
            "%2",
            "%G0",
            "key",
        ] {
            let canonical = enc_query(s) == s;
            assert_eq!(is_canonical(s), canonical, "{s:?}");
            let expect = if canonical {
                QueryText::Encoded(s)
            } else {
                QueryText::Raw(s)
            };
            assert_eq!(QueryText::classify(s), expect, "{s:?}");
        }
    }

    #[test]
    fn canonical_sorted_queries() {
        for (q, yes) in [
            ("a=1", true),
            ("a=1&b=2", true),
            ("a=1&a=1", true),
            ("a=1&a=2", true),
            ("a=2&a=1", false),
            ("b=1&a=1", false),
            ("list-type=2&prefix=photos%2F2024", true),
            ("prefix=photos/2024", false),
            ("a", false),
            ("a=", true),
            ("=", true),
            ("a=1&&b=2", false),
            ("a=1&", false),
            ("a=%7E", false),
            ("a=%2f", false),
            ("A=1&a=1", true),
            ("a=1&A=1", false),
            ("a=b=c", false),
            ("a=b%3Dc", true),
        ] {
            assert_eq!(is_canonical_sorted_query(q), yes, "{q:?}");
        }
    }

    #[test]
    fn lazy_compare_matches_materialised_compare() {
        let samples = [
            "", "a", "A", "a+b", "a%20b", "a b", "~", "%7E", "\u{e4}", "%C3%A4", "-", "%2D", "Z",
            "z", "a%", "%", "%%", "+", "%2B", "key", "Key", "key2",
        ];
        for a in samples {
            for b in samples {
                let expect = enc_query(a).cmp(&enc_query(b));
                assert_eq!(
                    cmp_query_text(QueryText::Raw(a), QueryText::Raw(b)),
                    expect,
                    "{a} {b}"
                );
                let eb = enc_query(b);
                assert_eq!(
                    cmp_query_text(QueryText::Raw(a), QueryText::Encoded(&eb)),
                    expect,
                    "{a} {eb}"
                );
                let ea = enc_query(a);
                assert_eq!(
                    cmp_query_text(QueryText::Encoded(&ea), QueryText::Raw(b)),
                    expect,
                    "{ea} {b}"
                );
            }
        }
    }

    #[test]
    fn path_encodings() {
        let mut o = String::new();
        push_encoded(&mut o, "/arn%3Aaws/a b/\u{1234}*", true);
        assert_eq!(o, "/arn%253Aaws/a%20b/%E1%88%B4%2A");
        let mut o = String::new();
        push_path_single(&mut o, "/a%2Fb/c%3a/d:e/%7E/f g");
        assert_eq!(o, "/a%2Fb/c%3A/d%3Ae/~/f%20g");
    }

    fn norm(p: &str) -> String {
        let mut st = SegmentStack::new();
        let trailing = normalized_segments(p, &mut st);
        let mut out = String::new();
        for s in st.as_slice() {
            out.push('/');
            out.push_str(s);
        }
        if trailing || out.is_empty() {
            out.push('/');
        }
        out
    }

    #[test]
    fn normalization_follows_rfc3986_and_merges_slashes() {
        for (i, o) in [
            ("", "/"),
            ("/", "/"),
            ("//", "/"),
            ("/example/..", "/"),
            ("/example1/example2/../..", "/"),
            ("/./", "/"),
            ("/./example", "/example"),
            ("//example//", "/example/"),
            ("/a/b/.", "/a/b/"),
            ("/a/./b", "/a/b"),
            ("/a/../../b", "/b"),
            ("/a/b/../c/", "/a/c/"),
            ("/a/b/..", "/a/"),
            ("/...", "/..."),
        ] {
            assert_eq!(norm(i), o, "{i}");
        }
        let long: String = (0..100).map(|i| format!("/s{i}")).collect();
        assert_eq!(norm(&long), long);
        // More than the 32 inline segments, then all of them removed again.
        let up: String = "/..".repeat(100);
        assert_eq!(norm(&format!("{long}{up}")), "/");
        assert_eq!(norm(&format!("{long}{up}/x")), "/x");
        let back = format!("{long}/../..");
        assert_eq!(
            norm(&back),
            format!("{}/", &long[..long.len() - "/s98/s99".len()])
        );
    }
}
