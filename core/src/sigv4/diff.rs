//! Two canonical requests side by side: where they first differ, and the usual reason.
//!
//! When AWS answers `SignatureDoesNotMatch`, S3 includes the canonical request it computed
//! ([`Classification::canonical_request`](crate::classify::Classification::canonical_request));
//! a verifier's mismatch carries ours ([`VerifyError::SignatureMismatch`](super::VerifyError)).
//! [`compare`] lines them up and returns data — the first differing line of each, the part of
//! the canonical request it is in, and a [`Cause`] with a one-sentence explanation — that a
//! host prints however it likes; [`diff_lines`] gives the whole line diff.
//!
//! Session tokens never belong in output: [`redact_session_token`] blanks them where they stand
//! (both the verifier and the classifier apply it before handing canonical requests out).
//!
//! ```
//! use sigfresh::sigv4::diff::{compare, CanonicalPart, Cause};
//! let ours = "GET\n/a%20b\n\nhost:example.com\n\nhost\nUNSIGNED-PAYLOAD";
//! let theirs = "GET\n/a%2520b\n\nhost:example.com\n\nhost\nUNSIGNED-PAYLOAD";
//! let m = compare(ours, theirs).expect("they differ");
//! assert_eq!((m.line, m.part, m.cause), (2, CanonicalPart::Path, Cause::PathEncoding));
//! assert_eq!((m.ours.as_deref(), m.theirs.as_deref()), (Some("/a%20b"), Some("/a%2520b")));
//! assert!(compare(ours, ours).is_none());
//! ```

use crate::prelude::*;
/// Inputs longer than this many lines (after the common start and end are set aside) are not
/// aligned line by line: the differing middle is reported as removed and added as a whole.
pub const MAX_ALIGNED_LINES: usize = 2048;

/// Which side of a [`diff_lines`] line it comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Side {
    /// In both.
    Both,
    /// Only in `ours` (the first argument).
    Ours,
    /// Only in `theirs` (the second argument).
    Theirs,
}

/// The parts of a canonical request, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CanonicalPart {
    /// Line 1: the HTTP method.
    Method,
    /// Line 2: the canonical URI (the path).
    Path,
    /// Line 3: the canonical query string.
    Query,
    /// The canonical header lines, and the empty line that ends them.
    Headers,
    /// The signed headers list.
    SignedHeaders,
    /// The last line: the payload hash.
    PayloadHash,
}

impl CanonicalPart {
    /// A short name, e.g. `the canonical URI (the path)`.
    pub fn name(self) -> &'static str {
        match self {
            CanonicalPart::Method => "the HTTP method",
            CanonicalPart::Path => "the canonical URI (the path)",
            CanonicalPart::Query => "the canonical query string",
            CanonicalPart::Headers => "the canonical headers",
            CanonicalPart::SignedHeaders => "the signed headers list",
            CanonicalPart::PayloadHash => "the payload hash",
        }
    }
}

/// The likely reason for a difference, from the lines themselves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Cause {
    /// Another method was sent than was signed.
    Method,
    /// The paths are the same once one side's extra percent-encoding is undone: one side
    /// encoded the path once (S3) and the other twice (every other service), or a client
    /// re-encoded it after signing.
    PathEncoding,
    /// The paths differ otherwise (dot segments, duplicate slashes, another path).
    Path,
    /// The same query parameters in another order.
    QueryOrder,
    /// The same parameters, encoded differently (`+` against `%20`, an encoded or unencoded
    /// reserved character).
    QueryEncoding,
    /// Other query parameters or values.
    Query,
    /// The sides sign different sets of headers.
    HeaderSet,
    /// The same headers, with a different value.
    HeaderValue,
    /// The payload hashes differ.
    PayloadHash,
}

impl Cause {
    /// One sentence: what usually causes this, and the fix.
    pub fn explain(self) -> &'static str {
        match self {
            Cause::Method => "the request was sent with another method than it was signed with",
            Cause::PathEncoding => {
                "the path was percent-encoded a different number of times: S3 encodes it once \
                 and keeps dot segments, every other service encodes twice and normalizes; or a \
                 client re-encoded the path after signing"
            }
            Cause::Path => {
                "the path differs: normalization (dot segments, duplicate slashes) was applied \
                 on one side only, or the request went to another path than was signed"
            }
            Cause::QueryOrder => {
                "the query parameters are in another order: they must be sorted by name, then \
                 value, in byte order, after encoding"
            }
            Cause::QueryEncoding => {
                "the query is encoded differently: names and values must be RFC 3986-encoded \
                 (space as %20, not +; only A-Z a-z 0-9 - _ . ~ left as is); a client or proxy \
                 may have re-encoded it after signing"
            }
            Cause::Query => {
                "the query parameters differ: a parameter was added, dropped or changed after \
                 signing"
            }
            Cause::HeaderSet => {
                "a different set of headers was signed than the server received: a header \
                 listed as signed was dropped, or one was added or renamed on the way"
            }
            Cause::HeaderValue => {
                "a signed header's value differs: a proxy or HTTP library changed it after \
                 signing (Host with a port, a Content-Type charset, folded or trimmed \
                 whitespace), or the server saw another value"
            }
            Cause::PayloadHash => {
                "the body hash differs: the body changed after signing, or \
                 x-amz-content-sha256 (UNSIGNED-PAYLOAD, STREAMING-...) does not describe the \
                 body sent"
            }
        }
    }
}

/// Where two canonical requests first differ.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Mismatch {
    /// The 1-based line number in `ours` of the first difference (where the line would be,
    /// when `ours` lacks it).
    pub line: usize,
    /// The part of the canonical request that line is in.
    pub part: CanonicalPart,
    /// The first line only in `ours` at that point (`None` when `theirs` only adds lines).
    pub ours: Option<String>,
    /// The first line only in `theirs` at that point (`None` when `ours` only adds lines).
    pub theirs: Option<String>,
    /// The likely reason; [`Cause::explain`] says it in a sentence.
    pub cause: Cause,
}

/// Where `ours` and `theirs` (two canonical requests, `\n`-separated) first differ, or `None`
/// when they are identical (then the signing key, time or scope differs, not the request).
/// A trailing `\r` on a line is ignored.
pub fn compare(ours: &str, theirs: &str) -> Option<Mismatch> {
    let a = split(ours);
    let b = split(theirs);
    let lines = align(&a, &b);
    // Every line before the first difference is in both, so `index` is also `ours`' line.
    let index = lines.iter().position(|(s, _)| *s != Side::Both)?;
    let hunk = || lines[index..].iter().take_while(|(s, _)| *s != Side::Both);
    let first = |side| hunk().find(|(s, _)| *s == side).map(|(_, l)| l.to_string());
    let (o, t) = (first(Side::Ours), first(Side::Theirs));
    let part = part_of(&a, index);
    Some(Mismatch {
        line: index + 1,
        part,
        cause: cause(part, o.as_deref(), t.as_deref(), &a, &b),
        ours: o,
        theirs: t,
    })
}

/// The line diff of `ours` and `theirs`: every line in order, tagged with the side it is in.
pub fn diff_lines<'a>(ours: &'a str, theirs: &'a str) -> Vec<(Side, &'a str)> {
    align(&split(ours), &split(theirs))
}

/// The canonical request with the session token's value replaced by `<redacted>` exactly where
/// it stands: the `x-amz-security-token` header line and the `X-Amz-Security-Token` query
/// parameter (line 3). Nothing else is touched, so a short token never garbles other text.
///
/// ```
/// use sigfresh::sigv4::diff::redact_session_token;
/// let cr = "GET\n/\nX-Amz-Security-Token=tok&a=1\nx-amz-security-token:tok\n\nx-amz-security-token\nUNSIGNED-PAYLOAD";
/// assert!(!redact_session_token(cr).contains("tok&") && !redact_session_token(cr).contains(":tok"));
/// ```
pub fn redact_session_token(canonical_request: &str) -> String {
    let mut out = String::with_capacity(canonical_request.len());
    for (i, line) in canonical_request.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if line.starts_with("x-amz-security-token:") {
            out.push_str("x-amz-security-token:<redacted>");
            if line.ends_with('\r') {
                out.push('\r');
            }
        } else if i == 2 {
            for (j, pair) in line.split('&').enumerate() {
                if j > 0 {
                    out.push('&');
                }
                match pair.strip_prefix("X-Amz-Security-Token=") {
                    Some(_) => out.push_str("X-Amz-Security-Token=<redacted>"),
                    None => out.push_str(pair),
                }
            }
        } else {
            out.push_str(line);
        }
    }
    out
}

fn split(s: &str) -> Vec<&str> {
    s.split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect()
}

/// Common start, common end, and a longest-common-subsequence alignment of the middle (when
/// it is at most [`MAX_ALIGNED_LINES`] on each side).
fn align<'a>(a: &[&'a str], b: &[&'a str]) -> Vec<(Side, &'a str)> {
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (ma, mb) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);
    let mut out: Vec<(Side, &str)> = Vec::with_capacity(a.len() + b.len());
    out.extend(a[..prefix].iter().map(|l| (Side::Both, *l)));
    if ma.len() > MAX_ALIGNED_LINES || mb.len() > MAX_ALIGNED_LINES {
        out.extend(ma.iter().map(|l| (Side::Ours, *l)));
        out.extend(mb.iter().map(|l| (Side::Theirs, *l)));
    } else {
        lcs(ma, mb, &mut out);
    }
    out.extend(a[a.len() - suffix..].iter().map(|l| (Side::Both, *l)));
    out
}

fn lcs<'a>(a: &[&'a str], b: &[&'a str], out: &mut Vec<(Side, &'a str)>) {
    let w = b.len() + 1;
    // table[i * w + j]: length of the longest common subsequence of a[i..] and b[j..].
    let mut table = vec![0u32; (a.len() + 1) * w];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            table[i * w + j] = if a[i] == b[j] {
                table[(i + 1) * w + j + 1] + 1
            } else {
                table[(i + 1) * w + j].max(table[i * w + j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            out.push((Side::Both, a[i]));
            i += 1;
            j += 1;
        } else if i < a.len() && (j == b.len() || table[(i + 1) * w + j] >= table[i * w + j + 1]) {
            out.push((Side::Ours, a[i]));
            i += 1;
        } else {
            out.push((Side::Theirs, b[j]));
            j += 1;
        }
    }
}

/// The index of the empty line that ends the headers (the first empty line from line 4 on).
fn headers_end(lines: &[&str]) -> usize {
    lines
        .iter()
        .enumerate()
        .skip(3)
        .find(|(_, l)| l.is_empty())
        .map_or(lines.len(), |(i, _)| i)
}

fn part_of(lines: &[&str], index: usize) -> CanonicalPart {
    let end = headers_end(lines);
    match index {
        0 => CanonicalPart::Method,
        1 => CanonicalPart::Path,
        2 => CanonicalPart::Query,
        i if i <= end => CanonicalPart::Headers,
        i if i == end + 1 => CanonicalPart::SignedHeaders,
        _ => CanonicalPart::PayloadHash,
    }
}

fn cause(
    part: CanonicalPart,
    ours: Option<&str>,
    theirs: Option<&str>,
    a: &[&str],
    b: &[&str],
) -> Cause {
    let (o, t) = (ours.unwrap_or(""), theirs.unwrap_or(""));
    match part {
        CanonicalPart::Method => Cause::Method,
        CanonicalPart::Path => {
            let same = |x: &str, y: &str| x != y && percent_decode(x) == y;
            if same(o, t) || same(t, o) {
                Cause::PathEncoding
            } else {
                Cause::Path
            }
        }
        CanonicalPart::Query => {
            let mut po: Vec<&str> = o.split('&').collect();
            let mut pt: Vec<&str> = t.split('&').collect();
            po.sort_unstable();
            pt.sort_unstable();
            let decoded = |v: &[&str]| {
                let mut d: Vec<String> = v
                    .iter()
                    .map(|p| percent_decode(&p.replace('+', " ")))
                    .collect();
                d.sort_unstable();
                d
            };
            if po == pt {
                Cause::QueryOrder
            } else if decoded(&po) == decoded(&pt) {
                Cause::QueryEncoding
            } else {
                Cause::Query
            }
        }
        CanonicalPart::Headers | CanonicalPart::SignedHeaders => {
            let names = |lines: &[&str]| -> Vec<String> {
                lines[3.min(lines.len())..headers_end(lines)]
                    .iter()
                    .map(|l| l.split(':').next().unwrap_or("").to_owned())
                    .collect()
            };
            if names(a) != names(b) || part == CanonicalPart::SignedHeaders {
                Cause::HeaderSet
            } else {
                Cause::HeaderValue
            }
        }
        CanonicalPart::PayloadHash => Cause::PayloadHash,
    }
}

/// `%XX` sequences decoded (invalid ones kept); not UTF-8-checked beyond lossy conversion.
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    let hex = |c: u8| (c as char).to_digit(16);
    while i < b.len() {
        match (
            b[i],
            b.get(i + 1).and_then(|c| hex(*c)),
            b.get(i + 2).and_then(|c| hex(*c)),
        ) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (c, _, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    const OURS: &str = "GET\n/a%20b\nA=1&B=2\nhost:h\nx-amz-date:d\n\nhost;x-amz-date\nabc";

    fn first(theirs: &str) -> Mismatch {
        compare(OURS, theirs).expect("differs")
    }

    #[test]
    fn names_the_part_and_the_cause() {
        let m = first(&OURS.replace("/a%20b", "/a%2520b"));
        assert_eq!(
            (m.line, m.part, m.cause),
            (2, CanonicalPart::Path, Cause::PathEncoding)
        );
        assert_eq!(first(&OURS.replace("/a%20b", "/c")).cause, Cause::Path);
        assert_eq!(first(&OURS.replace("GET", "PUT")).cause, Cause::Method);
        assert_eq!(
            first(&OURS.replace("A=1&B=2", "B=2&A=1")).cause,
            Cause::QueryOrder
        );
        let m = compare("GET\n/\na=x%20y\n\n\n\nh", "GET\n/\na=x+y\n\n\n\nh").unwrap();
        assert_eq!(m.cause, Cause::QueryEncoding);
        assert_eq!(first(&OURS.replace("B=2", "B=3")).cause, Cause::Query);
        let m = first(&OURS.replace("host:h", "host:h:8080"));
        assert_eq!(
            (m.line, m.part, m.cause),
            (4, CanonicalPart::Headers, Cause::HeaderValue)
        );
        assert_eq!(m.ours.as_deref(), Some("host:h"));
        assert_eq!(m.theirs.as_deref(), Some("host:h:8080"));
        // AWS received a header that was not signed: an extra line in theirs only.
        let m = first(&OURS.replace("x-amz-date:d\n", "x-amz-date:d\nx-extra:1\n"));
        assert_eq!(
            (m.part, m.cause, m.ours),
            (CanonicalPart::Headers, Cause::HeaderSet, None)
        );
        let m = first(&OURS.replace("host;x-amz-date", "host"));
        assert_eq!(
            (m.part, m.cause),
            (CanonicalPart::SignedHeaders, Cause::HeaderSet)
        );
        let m = first(&OURS.replace("abc", "UNSIGNED-PAYLOAD"));
        assert_eq!(
            (m.line, m.part, m.cause),
            (8, CanonicalPart::PayloadHash, Cause::PayloadHash)
        );
        assert!(compare(OURS, &OURS.replace('\n', "\r\n")).is_none());
    }

    #[test]
    fn the_diff_keeps_every_line_once() {
        let theirs = OURS.replace("host:h", "host:h:8080");
        let d = diff_lines(OURS, &theirs);
        assert_eq!(d.iter().filter(|(s, _)| *s != Side::Theirs).count(), 8);
        assert_eq!(d.iter().filter(|(s, _)| *s != Side::Ours).count(), 8);
        assert!(d.contains(&(Side::Ours, "host:h")) && d.contains(&(Side::Theirs, "host:h:8080")));
        // Huge inputs are not aligned quadratically.
        let big_a = "x\n".repeat(MAX_ALIGNED_LINES + 5);
        let big_b = "y\n".repeat(MAX_ALIGNED_LINES + 5);
        let d = diff_lines(&big_a, &big_b);
        assert_eq!(d.len(), 2 * (MAX_ALIGNED_LINES + 5) + 1);
        assert_eq!(compare(&big_a, &big_b).map(|m| m.line), Some(1));
    }

    #[test]
    fn redacts_only_the_token_positions() {
        let cr = "GET\n/tok\nX-Amz-Security-Token=tok&tok=1\nhost:tok\nx-amz-security-token:tok\n\nhost;x-amz-security-token\nUNSIGNED-PAYLOAD";
        assert_eq!(
            redact_session_token(cr),
            "GET\n/tok\nX-Amz-Security-Token=<redacted>&tok=1\nhost:tok\nx-amz-security-token:<redacted>\n\nhost;x-amz-security-token\nUNSIGNED-PAYLOAD"
        );
    }
}
