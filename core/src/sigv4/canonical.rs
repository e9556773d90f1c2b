//! SigV4 "Task 1": the canonical request.
//!
//! ```text
//! METHOD \n CANONICAL-URI \n CANONICAL-QUERY \n (name:value \n)* \n SIGNED;HEADERS \n PAYLOAD-HASH
//! ```
//!
//! Written straight into the caller's buffer; the header and query lists live on the stack.

use super::encode::{
    cmp_query_text, is_canonical_sorted_query, normalized_segments, push_encoded, push_path_single,
    QueryText, SegmentStack,
};
use super::settings::{PathNormalization, UriEncoding};
use super::stackvec::{stable_sort_by, StackVec};
use crate::prelude::*;
use core::cmp::Ordering;
use core::ops::Range;

/// One header taking part in the signature. `seq` keeps wire order among equal names;
/// `clean` marks values with no spaces or tabs to trim or collapse; `lower` marks names with
/// no uppercase letters (written and compared as they are).
#[derive(Clone, Copy, Default, Debug)]
pub(crate) struct Header<'a> {
    pub name: &'a str,
    pub value: &'a str,
    pub seq: u32,
    pub clean: bool,
    pub lower: bool,
}

pub(crate) type HeaderList<'a> = StackVec<Header<'a>, 12>;
pub(crate) type QueryList<'a> = StackVec<(QueryText<'a>, QueryText<'a>), 12>;

impl Default for QueryText<'_> {
    fn default() -> Self {
        QueryText::Encoded("")
    }
}

/// Case-insensitive comparison of header names by their lowercase bytes.
#[inline]
pub(crate) fn cmp_name(a: &str, b: &str) -> Ordering {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    for (x, y) in a.iter().zip(b.iter()) {
        match x.to_ascii_lowercase().cmp(&y.to_ascii_lowercase()) {
            Ordering::Equal => continue,
            o => return o,
        }
    }
    a.len().cmp(&b.len())
}

/// Compares two headers' names by their lowercase bytes (plain bytes when both are lowercase).
#[inline]
fn cmp_header_names(a: &Header<'_>, b: &Header<'_>) -> Ordering {
    if a.lower && b.lower {
        // Names are short and usually differ early: a plain loop beats a call to `memcmp`.
        let (x, y) = (a.name.as_bytes(), b.name.as_bytes());
        for (p, q) in x.iter().zip(y.iter()) {
            if p != q {
                return p.cmp(q);
            }
        }
        x.len().cmp(&y.len())
    } else {
        cmp_name(a.name, b.name)
    }
}

/// Whether two headers have the same name, ignoring ASCII case.
#[inline]
fn same_name(a: &Header<'_>, b: &Header<'_>) -> bool {
    if a.lower && b.lower {
        a.name == b.name
    } else {
        a.name.eq_ignore_ascii_case(b.name)
    }
}

/// Sorts headers by lowercase name, keeping wire order for repeated names.
pub(crate) fn sort_headers(h: &mut [Header<'_>]) {
    stable_sort_by(h, |a, b| match cmp_header_names(a, b) {
        Ordering::Less => true,
        Ordering::Greater => false,
        Ordering::Equal => a.seq < b.seq,
    });
}

/// Calls `f` with each header of distinct name, in the order of a sorted list.
pub(crate) fn for_each_name<'h, 'a>(sorted: &'h [Header<'a>], mut f: impl FnMut(&'h Header<'a>)) {
    let mut prev: Option<&Header<'_>> = None;
    for h in sorted {
        if prev.is_some_and(|p| same_name(p, h)) {
            continue;
        }
        f(h);
        prev = Some(h);
    }
}

/// Appends a header's name in lowercase.
#[inline]
fn push_name(out: &mut String, h: &Header<'_>) {
    if h.lower {
        out.push_str(h.name);
    } else {
        push_lower(out, h.name);
    }
}

/// Whether a header name is made of `tchar`s only and whether it has no uppercase letter, in one
/// pass: `(is_token, is_lowercase)`.
#[inline]
pub(crate) fn classify_name(name: &str) -> (bool, bool) {
    let (ok, upper) = name.bytes().fold((true, false), |(ok, upper), b| {
        (ok & TCHAR[usize::from(b)], upper | b.is_ascii_uppercase())
    });
    (ok && !name.is_empty(), !upper)
}

/// RFC 9110 `tchar`: the bytes a header name (token) may hold.
static TCHAR: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        t[i] = b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'!' | b'#'
                    | b'$'
                    | b'%'
                    | b'&'
                    | b'\''
                    | b'*'
                    | b'+'
                    | b'-'
                    | b'.'
                    | b'^'
                    | b'_'
                    | b'`'
                    | b'|'
                    | b'~'
            );
        i += 1;
    }
    t
};

/// Whether a header value can be written as it is: no leading or trailing space or tab, no
/// tab, and no run of two spaces (nothing for [`push_trimmed`] to change).
#[inline]
pub(crate) fn value_is_clean(value: &str) -> bool {
    let b = value.as_bytes();
    let (Some(&first), Some(&last)) = (b.first(), b.last()) else {
        return true;
    };
    if first == b' ' || last == b' ' {
        return false;
    }
    let (tab, double) = b
        .iter()
        .zip(b.iter().skip(1))
        .fold((first == b'\t', false), |(tab, double), (&x, &y)| {
            (tab | (y == b'\t'), double | (x == b' ' && y == b' '))
        });
    !tab && !double
}

/// Appends `name` in lowercase.
#[inline]
pub(crate) fn push_lower(out: &mut String, name: &str) {
    let start = out.len();
    out.push_str(name);
    if let Some(tail) = out.get_mut(start..) {
        tail.make_ascii_lowercase();
    }
}

/// Appends a header value trimmed, with inner runs of spaces and tabs collapsed to one space.
fn push_trimmed(out: &mut String, value: &str) {
    let v = value.trim_matches([' ', '\t']);
    let mut prev_space = false;
    let needs_collapse = v.bytes().any(|b| {
        let hit = b == b'\t' || (b == b' ' && prev_space);
        prev_space = b == b' ';
        hit
    });
    if !needs_collapse {
        out.push_str(v);
        return;
    }
    let mut in_space = false;
    for c in v.chars() {
        if c == ' ' || c == '\t' {
            if !in_space {
                out.push(' ');
            }
            in_space = true;
        } else {
            out.push(c);
            in_space = false;
        }
    }
}

/// Everything the canonical request is made of.
pub(crate) struct CanonicalParts<'r, 'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub query: &'a str,
    pub uri_encoding: UriEncoding,
    pub path_normalization: PathNormalization,
    /// Extra, already-encoded query parameters (presigning's `X-Amz-*`).
    pub extra_query: &'r [(&'r str, &'r str)],
    /// Raw query keys to leave out (verification leaves out `X-Amz-Signature`).
    pub skip_query_keys: &'r [&'r str],
    /// Headers to sign, sorted with [`sort_headers`].
    pub headers: &'r [Header<'a>],
    pub payload_hash: &'r str,
}

/// Positions of the parts of a written canonical request inside the output buffer.
pub(crate) struct Written {
    pub whole: Range<usize>,
    pub signed_headers: Range<usize>,
    /// Where the (first) `x-amz-security-token` value was written, if it was signed.
    pub token_value: Option<Range<usize>>,
}

const TOKEN_HEADER: &str = "x-amz-security-token";

/// Writes the canonical request into `out`.
pub(crate) fn write_canonical_request(c: &CanonicalParts<'_, '_>, out: &mut String) -> Written {
    let start = out.len();
    out.push_str(c.method);
    out.push('\n');
    write_uri(c, out);
    out.push('\n');
    write_query(c, out);
    out.push('\n');
    let mut prev: Option<&Header<'_>> = None;
    let mut token_value = None;
    for h in c.headers {
        if prev.is_some_and(|p| same_name(p, h)) {
            out.push(',');
        } else {
            if prev.is_some() {
                out.push('\n');
            }
            push_name(out, h);
            out.push(':');
        }
        let value_start = out.len();
        if h.clean {
            out.push_str(h.value);
        } else {
            push_trimmed(out, h.value);
        }
        let is_token = if h.lower {
            h.name == TOKEN_HEADER
        } else {
            h.name.eq_ignore_ascii_case(TOKEN_HEADER)
        };
        if token_value.is_none() && is_token {
            token_value = Some(value_start..out.len());
        }
        prev = Some(h);
    }
    if prev.is_some() {
        out.push('\n');
    }
    out.push('\n');
    let sh_start = out.len();
    let mut first = true;
    for_each_name(c.headers, |h| {
        if !first {
            out.push(';');
        }
        first = false;
        push_name(out, h);
    });
    let sh_end = out.len();
    out.push('\n');
    out.push_str(c.payload_hash);
    Written {
        whole: start..out.len(),
        signed_headers: sh_start..sh_end,
        token_value,
    }
}

fn write_uri(c: &CanonicalParts<'_, '_>, out: &mut String) {
    let encode = |out: &mut String, s: &str, keep_slash: bool| match c.uri_encoding {
        UriEncoding::Single => push_path_single(out, s),
        _ => push_encoded(out, s, keep_slash),
    };
    match c.path_normalization {
        PathNormalization::Disabled => encode(out, c.path, true),
        _ => {
            let mut segs = SegmentStack::new();
            let trailing = normalized_segments(c.path, &mut segs);
            for s in segs.as_slice() {
                out.push('/');
                encode(out, s, false);
            }
            if trailing || segs.as_slice().is_empty() {
                out.push('/');
            }
        }
    }
}

fn write_query(c: &CanonicalParts<'_, '_>, out: &mut String) {
    if c.query.is_empty() && c.extra_query.is_empty() {
        return;
    }
    if c.extra_query.is_empty()
        && c.skip_query_keys.is_empty()
        && is_canonical_sorted_query(c.query)
    {
        out.push_str(c.query);
        return;
    }
    write_query_sorted(c, out);
}

/// The canonical query the general way: split, decode and re-encode, sort.
fn write_query_sorted(c: &CanonicalParts<'_, '_>, out: &mut String) {
    let mut pairs = QueryList::new();
    // Pieces split at '&', each at its first '='; one pass over the bytes ('&' and '=' are
    // ASCII, so every cut is a char boundary).
    let q = c.query;
    let mut add = |start: usize, eq: Option<usize>, end: usize| {
        if start == end {
            return;
        }
        let (k, v) = match eq {
            Some(e) => (q.get(start..e), q.get(e + 1..end)),
            None => (q.get(start..end), Some("")),
        };
        let (k, v) = (k.unwrap_or(""), v.unwrap_or(""));
        if c.skip_query_keys.contains(&k) {
            return;
        }
        pairs.push((QueryText::classify(k), QueryText::classify(v)));
    };
    let (mut start, mut eq) = (0, None);
    for (i, b) in q.bytes().enumerate() {
        match b {
            b'&' => {
                add(start, eq, i);
                start = i + 1;
                eq = None;
            }
            b'=' if eq.is_none() => eq = Some(i),
            _ => {}
        }
    }
    add(start, eq, q.len());
    for &(k, v) in c.extra_query {
        pairs.push((QueryText::Encoded(k), QueryText::Encoded(v)));
    }
    stable_sort_by(pairs.as_mut_slice(), |a, b| {
        let order = match cmp_query_text(a.0, b.0) {
            Ordering::Equal => cmp_query_text(a.1, b.1),
            o => o,
        };
        order == Ordering::Less
    });
    for (i, (k, v)) in pairs.as_slice().iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        k.push_canonical(out);
        out.push('=');
        v.push_canonical(out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_values_are_trimmed_and_collapsed() {
        for (i, o) in [
            ("  a  ", "a"),
            ("\"a   b   c\"", "\"a b c\""),
            ("a\t \tb", "a b"),
            ("", ""),
            ("   ", ""),
        ] {
            let mut s = String::new();
            push_trimmed(&mut s, i);
            assert_eq!(s, o, "{i:?}");
        }
    }

    #[test]
    fn queries_taken_as_they_are_equal_the_general_path() {
        let qs = [
            "a=1",
            "a=1&b=2",
            "a=1&a=1",
            "a=1&a=2",
            "list-type=2&prefix=photos%2F2024",
            "a=",
            "=",
            "A=1&a=1",
            "a=b%3Dc",
            "k=%E2%82%AC&k2=-._~",
        ];
        for q in qs {
            assert!(is_canonical_sorted_query(q), "{q:?}");
            let parts = CanonicalParts {
                method: "GET",
                path: "/",
                query: q,
                uri_encoding: UriEncoding::Double,
                path_normalization: PathNormalization::Enabled,
                extra_query: &[],
                skip_query_keys: &[],
                headers: &[],
                payload_hash: "",
            };
            let mut general = String::new();
            write_query_sorted(&parts, &mut general);
            assert_eq!(general, q);
        }
    }

    #[test]
    fn a_query_is_taken_as_it_is_exactly_when_the_general_path_gives_it_back() {
        // Pieces mostly well formed, in random order; sometimes no '=', an empty piece, a
        // second '=' or a character that needs encoding.
        let comps = [
            "a", "b", "A", "", "a%2F", "a%2f", "a+b", "%41", "%7E", "~", "b=c", "x y",
        ];
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        let mut taken = 0;
        // Fewer under Miri, which runs this code thousands of times slower.
        for _ in 0..if cfg!(miri) { 300 } else { 50_000 } {
            let mut q = String::new();
            for p in 0..1 + next(3) {
                if p > 0 {
                    q.push_str(if next(10) == 0 { "&&" } else { "&" });
                }
                q.push_str(comps[next(comps.len())]);
                if next(10) > 0 {
                    q.push('=');
                    q.push_str(comps[next(comps.len())]);
                }
            }
            if q.is_empty() {
                continue; // write_query returns before either path
            }
            let parts = CanonicalParts {
                method: "GET",
                path: "/",
                query: &q,
                uri_encoding: UriEncoding::Double,
                path_normalization: PathNormalization::Enabled,
                extra_query: &[],
                skip_query_keys: &[],
                headers: &[],
                payload_hash: "",
            };
            let mut general = String::new();
            write_query_sorted(&parts, &mut general);
            assert_eq!(
                is_canonical_sorted_query(&q),
                general == q,
                "{q:?} -> {general:?}"
            );
            taken += usize::from(general == q);
        }
        assert!(taken > if cfg!(miri) { 5 } else { 2_000 }, "{taken}");
    }

    #[test]
    fn clean_values_are_exactly_those_trimming_leaves_alone() {
        for v in [
            "",
            "a",
            " ",
            "\t",
            "a b",
            "a  b",
            "a\tb",
            " a",
            "a ",
            "\ta",
            "a\t",
            "a \tb",
            "a\t b",
            "bytes=0-9",
            "\"a b c\"",
            "x  ",
            "  x",
            "a b  c",
        ] {
            let mut t = String::new();
            push_trimmed(&mut t, v);
            assert_eq!(value_is_clean(v), t == v, "{v:?}");
        }
    }

    #[test]
    fn names_are_classified_in_one_pass() {
        for (n, token, lower) in [
            ("host", true, true),
            ("X-Amz-Date", true, false),
            ("x-amz-meta-$#&+", true, true),
            ("", false, true),
            ("a b", false, true),
            ("A:b", false, false),
            ("caf\u{e9}", false, true),
        ] {
            assert_eq!(classify_name(n), (token, lower), "{n:?}");
            assert_eq!(classify_name(n).0, super::super::is_token(n), "{n:?}");
        }
    }

    #[test]
    fn names_compare_case_insensitively() {
        assert_eq!(cmp_name("Host", "host"), Ordering::Equal);
        assert_eq!(
            cmp_name("X-Amz-Date", "x-amz-content-sha256"),
            Ordering::Greater
        );
        assert_eq!(cmp_name("a", "ab"), Ordering::Less);
        let mut h = [
            Header {
                name: "b",
                value: "1",
                seq: 0,
                clean: true,
                lower: false,
            },
            Header {
                name: "A",
                value: "2",
                seq: 1,
                clean: true,
                lower: false,
            },
            Header {
                name: "B",
                value: "3",
                seq: 2,
                clean: true,
                lower: false,
            },
            Header {
                name: "a",
                value: "4",
                seq: 3,
                clean: true,
                lower: false,
            },
        ];
        sort_headers(&mut h);
        let got: Vec<_> = h.iter().map(|h| h.value).collect();
        assert_eq!(got, ["2", "4", "1", "3"]);
    }
}
