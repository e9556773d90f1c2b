//! Parsing raw HTTP/1.1 request text (RFC 9112): the format of the SigV4 suite's `.req` files
//! and of `sigfresh sign`'s input.
//!
//! Request line, `Name: value` header lines, an optional blank line and the body. Lines may end
//! in LF or CRLF. An obs-fold continuation line (starting with a space or tab) is joined to the
//! previous header value with one space, as RFC 9112 §5.2 tells a recipient to do. The request
//! target is taken literally between the first and the last space of the request line, so a
//! target with a raw space (`GET /example space/ HTTP/1.1`) survives; when the line does not
//! end in an `HTTP/x.y` version, everything after the method is the target.
//!
//! ```
//! use sigfresh::raw_request::RawRequest;
//! let r = RawRequest::parse(b"GET /a b HTTP/1.1\nHost:example.com\nX-A: 1\n  2\n\nbody").unwrap();
//! assert_eq!((r.method, r.target, r.version), ("GET", "/a b", Some("HTTP/1.1")));
//! assert_eq!(r.headers[1].1, "1 2");
//! assert_eq!(r.body, b"body");
//! ```

use crate::prelude::*;
use alloc::borrow::Cow;
use core::fmt;

/// A parsed request. Header values are trimmed; folded values are owned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawRequest<'a> {
    /// The method, e.g. `GET`.
    pub method: &'a str,
    /// The request target exactly as written (origin-form or absolute URL).
    pub target: &'a str,
    /// The protocol version, e.g. `HTTP/1.1`, when present.
    pub version: Option<&'a str>,
    /// Headers in order, names as written, values trimmed of spaces and tabs.
    pub headers: Vec<(&'a str, Cow<'a, str>)>,
    /// The bytes after the blank line (empty when there is none).
    pub body: &'a [u8],
}

/// Why request text did not parse; `line` is 1-based.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RawRequestError {
    /// The header section is not UTF-8.
    NotUtf8 {
        /// Byte offset of the first invalid byte.
        offset: usize,
    },
    /// The input is empty or the request line has no method and target.
    BadRequestLine,
    /// A header line has no `:`, an empty name, or whitespace before the colon.
    BadHeaderLine {
        /// 1-based line number.
        line: usize,
    },
    /// A continuation line came before any header.
    FoldWithoutHeader {
        /// 1-based line number.
        line: usize,
    },
}

impl fmt::Display for RawRequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RawRequestError::NotUtf8 { offset } => {
                write!(f, "request head is not UTF-8 (byte {offset})")
            }
            RawRequestError::BadRequestLine => {
                f.write_str("the first line must be `METHOD target [HTTP/1.1]`")
            }
            RawRequestError::BadHeaderLine { line } => {
                write!(
                    f,
                    "line {line}: expected `Name: value` (no space before the colon)"
                )
            }
            RawRequestError::FoldWithoutHeader { line } => {
                write!(f, "line {line}: a continuation line must follow a header")
            }
        }
    }
}

impl core::error::Error for RawRequestError {}

fn split_head(input: &[u8]) -> (&[u8], &[u8]) {
    let mut i = 0;
    while let Some(off) = input
        .get(i..)
        .and_then(|s| s.iter().position(|&b| b == b'\n'))
    {
        let nl = i + off;
        let next = nl + 1;
        match input.get(next) {
            Some(b'\n') => return (&input[..nl], &input[next + 1..]),
            Some(b'\r') if input.get(next + 1) == Some(&b'\n') => {
                return (&input[..nl], &input[next + 2..])
            }
            _ => i = next,
        }
    }
    (input, &[])
}

impl<'a> RawRequest<'a> {
    /// Parses request text.
    pub fn parse(input: &'a [u8]) -> Result<Self, RawRequestError> {
        let (head, body) = split_head(input);
        let head = core::str::from_utf8(head).map_err(|e| RawRequestError::NotUtf8 {
            offset: e.valid_up_to(),
        })?;
        let mut lines = head.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));
        let first = lines.next().ok_or(RawRequestError::BadRequestLine)?;
        let (method, rest) = first
            .split_once(' ')
            .ok_or(RawRequestError::BadRequestLine)?;
        let (target, version) = match rest.rsplit_once(' ') {
            Some((t, v)) if v.starts_with("HTTP/") => (t, Some(v)),
            _ => (rest, None),
        };
        if method.is_empty() || target.is_empty() {
            return Err(RawRequestError::BadRequestLine);
        }
        let mut headers: Vec<(&'a str, Cow<'a, str>)> = Vec::new();
        for (i, line) in lines.enumerate() {
            let lineno = i + 2;
            if line.is_empty() {
                // Only the very end of a head without a blank line can be empty: a file whose
                // last header line ends in a newline.
                continue;
            }
            if line.starts_with([' ', '\t']) {
                let (_, value) = headers
                    .last_mut()
                    .ok_or(RawRequestError::FoldWithoutHeader { line: lineno })?;
                let more = line.trim_matches([' ', '\t']);
                let v = value.to_mut();
                if !more.is_empty() {
                    if !v.is_empty() {
                        v.push(' ');
                    }
                    v.push_str(more);
                }
                continue;
            }
            let (name, value) = line
                .split_once(':')
                .ok_or(RawRequestError::BadHeaderLine { line: lineno })?;
            if name.is_empty() || name.ends_with([' ', '\t']) {
                return Err(RawRequestError::BadHeaderLine { line: lineno });
            }
            headers.push((name, Cow::Borrowed(value.trim_matches([' ', '\t']))));
        }
        Ok(RawRequest {
            method,
            target,
            version,
            headers,
            body,
        })
    }

    /// The headers as borrowed pairs, the shape [`crate::sigv4::SignableRequest`] takes.
    pub fn header_pairs(&self) -> Vec<(&str, &str)> {
        self.headers.iter().map(|(n, v)| (*n, v.as_ref())).collect()
    }

    /// The first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_ref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crlf_and_lf_and_no_blank_line() {
        let a = RawRequest::parse(b"POST / HTTP/1.1\r\nHost: h\r\n\r\nx=1").unwrap();
        assert_eq!(a.header("host"), Some("h"));
        assert_eq!(a.body, b"x=1");
        let b = RawRequest::parse(b"GET / HTTP/1.1\nHost:h\nX-Amz-Date:20150830T123600Z").unwrap();
        assert_eq!(b.headers.len(), 2);
        assert!(b.body.is_empty());
        let c = RawRequest::parse(b"POST /p%3A/x\nHost:h\n").unwrap();
        assert_eq!(c.headers, [("Host", Cow::Borrowed("h"))]);
        assert_eq!((c.target, c.version), ("/p%3A/x", None));
    }

    #[test]
    fn obs_fold_becomes_one_space() {
        let r = RawRequest::parse(b"GET / HTTP/1.1\nMy-Header1:value1\n  value2\n     value3\n")
            .unwrap();
        assert_eq!(r.header("my-header1"), Some("value1 value2 value3"));
    }

    #[test]
    fn errors_name_the_line() {
        assert_eq!(RawRequest::parse(b""), Err(RawRequestError::BadRequestLine));
        assert_eq!(
            RawRequest::parse(b"GET / HTTP/1.1\nno colon"),
            Err(RawRequestError::BadHeaderLine { line: 2 })
        );
        assert_eq!(
            RawRequest::parse(b"GET / HTTP/1.1\nName :v"),
            Err(RawRequestError::BadHeaderLine { line: 2 })
        );
        assert_eq!(
            RawRequest::parse(b"GET / HTTP/1.1\n folded"),
            Err(RawRequestError::FoldWithoutHeader { line: 2 })
        );
        assert!(matches!(
            RawRequest::parse(b"GET /\xff HTTP/1.1\n"),
            Err(RawRequestError::NotUtf8 { offset: 5 })
        ));
    }
}
