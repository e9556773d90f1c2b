//! The request to sign, as plain borrowed data (no HTTP library in the API).

use super::error::SigningError;

/// What the payload hash line of the canonical request says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Payload<'a> {
    /// The body bytes; the signer hashes them with SHA-256.
    Bytes(&'a [u8]),
    /// A SHA-256 the host already computed, as 64 lowercase hex digits.
    Precomputed(&'a str),
    /// `UNSIGNED-PAYLOAD` (S3 over TLS, presigned URLs).
    Unsigned,
    /// `STREAMING-AWS4-HMAC-SHA256-PAYLOAD` (S3 chunked upload, each chunk signed).
    StreamingSigned,
    /// `STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER` (signed chunks with a signed trailer).
    StreamingSignedTrailer,
    /// `STREAMING-UNSIGNED-PAYLOAD-TRAILER` (unsigned chunks with a trailing checksum).
    StreamingUnsignedTrailer,
    /// `STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD` (SigV4a chunked upload).
    StreamingEcdsa,
    /// `STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER` (SigV4a chunks with a trailer).
    StreamingEcdsaTrailer,
}

impl Payload<'_> {
    /// The literal marker for the non-hash variants.
    pub(crate) fn marker(&self) -> Option<&'static str> {
        Some(match self {
            Payload::Unsigned => "UNSIGNED-PAYLOAD",
            Payload::StreamingSigned => "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
            Payload::StreamingSignedTrailer => "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER",
            Payload::StreamingUnsignedTrailer => "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
            Payload::StreamingEcdsa => "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD",
            Payload::StreamingEcdsaTrailer => "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER",
            Payload::Bytes(_) | Payload::Precomputed(_) => return None,
        })
    }
}

/// The hex payload hash (or marker) for the canonical request's last line.
pub(crate) struct PayloadHash {
    hex: [u8; 64],
    marker: Option<&'static str>,
}

impl PayloadHash {
    pub(crate) fn of(payload: &Payload<'_>) -> Result<Self, SigningError> {
        let mut hex = [0u8; 64];
        if let Some(m) = payload.marker() {
            return Ok(PayloadHash {
                hex,
                marker: Some(m),
            });
        }
        match payload {
            Payload::Bytes(b) => hex = super::signing_key::hex32(&super::signing_key::sha256(b)),
            Payload::Precomputed(h) => {
                let ok = h.len() == 64 && h.bytes().all(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f'));
                if !ok {
                    return Err(SigningError::InvalidPayloadHash);
                }
                hex.copy_from_slice(h.as_bytes());
            }
            _ => return Err(SigningError::InvalidPayloadHash),
        }
        Ok(PayloadHash { hex, marker: None })
    }
    pub(crate) fn as_str(&self) -> &str {
        match self.marker {
            Some(m) => m,
            // Only ASCII hex digits are ever stored.
            None => core::str::from_utf8(&self.hex).unwrap_or(""),
        }
    }
}

/// A request to sign or verify, described as it will be (or was) sent.
///
/// `uri` is either an absolute URL (`https://host[:port]/path?query`) or an origin-form target
/// (`/path?query`) with a `host` header in `headers`. A `#fragment` is never sent and is ignored.
/// `headers` keeps order and duplicates.
#[derive(Clone, Copy, Debug)]
pub struct SignableRequest<'a> {
    /// The HTTP method, e.g. `GET`.
    pub method: &'a str,
    /// Absolute URL or origin-form target, exactly as it will go on the wire.
    pub uri: &'a str,
    /// Headers in wire order; names in any case; duplicates allowed.
    pub headers: &'a [(&'a str, &'a str)],
    /// The payload description.
    pub payload: Payload<'a>,
}

impl<'a> SignableRequest<'a> {
    /// Builds a request description.
    pub fn new(
        method: &'a str,
        uri: &'a str,
        headers: &'a [(&'a str, &'a str)],
        payload: Payload<'a>,
    ) -> Self {
        SignableRequest {
            method,
            uri,
            headers,
            payload,
        }
    }
}

/// The parts of a request URI the signer needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct UriParts<'a> {
    /// `host[:port]` with userinfo removed and a default port dropped.
    pub authority: Option<&'a str>,
    /// The path, never empty (`/` when the URL has none).
    pub path: &'a str,
    /// The query without `?` (may be empty).
    pub query: &'a str,
    /// Origin-form target start (path and query) within `uri`.
    pub target_start: usize,
    /// Where the query or fragment ends (the target excludes any fragment).
    pub target_end: usize,
}

fn strip_scheme(uri: &str) -> Option<(&str, &'static str)> {
    // ASCII case-insensitive on the letters only: OR-ing 0x20 into a letter position maps
    // exactly its two cases onto the lowercase letter.
    let word = |n: usize| {
        let mut w = [0u8; 8];
        w[..n].copy_from_slice(uri.as_bytes().get(..n)?);
        Some(u64::from_le_bytes(w))
    };
    if word(8).is_some_and(|w| w | 0x0000_0020_2020_2020 == u64::from_le_bytes(*b"https://")) {
        return Some((uri.get(8..)?, "443"));
    }
    if word(7).is_some_and(|w| w | 0x0000_0000_2020_2020 == u64::from_le_bytes(*b"http://\0")) {
        return Some((uri.get(7..)?, "80"));
    }
    None
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// Whether any byte of the word equals `b` (exact: the classic zero-byte test).
#[inline]
fn has_byte(w: u64, b: u8) -> bool {
    let x = w ^ (ONES * u64::from(b));
    x.wrapping_sub(ONES) & !x & HIGHS != 0
}

/// Whether any byte of the word is below `n` (exact for `n <= 128`).
#[inline]
fn has_below(w: u64, n: u8) -> bool {
    w.wrapping_sub(ONES * u64::from(n)) & !w & HIGHS != 0
}

/// From `i`, the start of the first 8-byte word of `b` for which `interesting` holds (or of the
/// short tail): the bytes skipped need no look one by one.
#[inline]
fn skip_words(b: &[u8], mut i: usize, interesting: impl Fn(u64) -> bool) -> usize {
    while let Some(w) = b.get(i..i + 8).and_then(|c| <[u8; 8]>::try_from(c).ok()) {
        if interesting(u64::from_le_bytes(w)) {
            break;
        }
        i += 8;
    }
    i
}

/// The end of the authority in `rest` (the first `/`, `?` or `#`) and the last `@`, `:` and `]`
/// before it.
type AuthorityScan = (usize, Option<usize>, Option<usize>, Option<usize>);

fn scan_authority(rest: &[u8]) -> AuthorityScan {
    let (mut at, mut colon, mut bracket) = (None, None, None);
    let mut i = 0;
    loop {
        i = skip_words(rest, i, |w| {
            has_byte(w, b'/')
                | has_byte(w, b'?')
                | has_byte(w, b'#')
                | has_byte(w, b'@')
                | has_byte(w, b':')
                | has_byte(w, b']')
        });
        let stop = (i + 8).min(rest.len());
        for (k, &b) in rest.get(i..stop).unwrap_or(&[]).iter().enumerate() {
            let j = i + k;
            match b {
                b'/' | b'?' | b'#' => return (j, at, colon, bracket),
                b'@' => at = Some(j),
                b':' => colon = Some(j),
                b']' => bracket = Some(j),
                _ => {}
            }
        }
        if stop >= rest.len() {
            return (rest.len(), at, colon, bracket);
        }
        i = stop;
    }
}

/// In an origin-form target: the first `?` and the end (the first `#`, or the length), or
/// `None` when a control character comes before the end.
fn scan_target(t: &[u8]) -> Option<(Option<usize>, usize)> {
    let mut qmark = None;
    let mut i = 0;
    loop {
        let want_q = qmark.is_none();
        i = skip_words(t, i, |w| {
            has_byte(w, b'#')
                | has_below(w, 0x20)
                | has_byte(w, 0x7f)
                | (want_q && has_byte(w, b'?'))
        });
        let stop = (i + 8).min(t.len());
        for (k, &b) in t.get(i..stop).unwrap_or(&[]).iter().enumerate() {
            let j = i + k;
            match b {
                b'#' => return Some((qmark, j)),
                b'?' if qmark.is_none() => qmark = Some(j),
                0..=0x1f | 0x7f => return None,
                _ => {}
            }
        }
        if stop >= t.len() {
            return Some((qmark, t.len()));
        }
        i = stop;
    }
}

/// Splits a request URI into authority, path and query.
pub(crate) fn split_uri(uri: &str) -> Result<UriParts<'_>, SigningError> {
    let bytes = uri.as_bytes();
    let (authority, rest_start) = match strip_scheme(uri) {
        Some((rest, default_port)) => {
            let start = uri.len() - rest.len();
            // Userinfo ends at the last '@'; a port follows the last ':' after any ']'.
            let (end, at, mut colon, mut bracket) = scan_authority(rest.as_bytes());
            let mut auth = rest.get(..end).unwrap_or("");
            if let Some(a) = at {
                auth = auth.get(a + 1..).unwrap_or("");
                colon = colon.filter(|&c| c > a).map(|c| c - a - 1);
                bracket = bracket.filter(|&c| c > a).map(|c| c - a - 1);
            }
            if let Some(c) = colon.filter(|&c| bracket.is_none_or(|b| c > b)) {
                if auth.get(c + 1..) == Some(default_port) {
                    auth = auth.get(..c).unwrap_or("");
                }
            }
            if auth.is_empty() {
                return Err(SigningError::InvalidUri {
                    reason: "the URL has an empty host",
                });
            }
            (Some(auth), start + end)
        }
        None if uri.starts_with('/') => (None, 0),
        None => {
            return Err(SigningError::InvalidUri {
                reason: "expected an http(s):// URL or a path starting with '/'",
            })
        }
    };
    // The target ends at the first '#'; no control character may come before it; the query
    // starts after the first '?'.
    let tail = bytes.get(rest_start..).unwrap_or(&[]);
    let (qmark, target_len) = scan_target(tail).ok_or(SigningError::InvalidUri {
        reason: "control character in path or query",
    })?;
    let target_end = rest_start + target_len;
    let (path, query) = match qmark {
        Some(q) => (
            uri.get(rest_start..rest_start + q).unwrap_or(""),
            uri.get(rest_start + q + 1..target_end).unwrap_or(""),
        ),
        None => (uri.get(rest_start..target_end).unwrap_or(""), ""),
    };
    Ok(UriParts {
        authority,
        path: if path.is_empty() { "/" } else { path },
        query,
        target_start: rest_start,
        target_end,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prelude::*;

    /// The straightforward byte-by-byte split the word-at-a-time scans must agree with.
    fn reference(uri: &str) -> Option<(Option<&str>, &str, &str, usize)> {
        let lower = uri.to_ascii_lowercase();
        let (rest_start, default_port) = if lower.starts_with("https://") {
            (8, "443")
        } else if lower.starts_with("http://") {
            (7, "80")
        } else if uri.starts_with('/') {
            (0, "")
        } else {
            return None;
        };
        let mut authority = None;
        let mut start = rest_start;
        if rest_start > 0 {
            let rest = &uri[rest_start..];
            let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
            let mut auth = &rest[..end];
            if let Some(a) = auth.rfind('@') {
                auth = &auth[a + 1..];
            }
            if let Some(c) = auth.rfind(':') {
                if auth.rfind(']').is_none_or(|b| c > b) && &auth[c + 1..] == default_port {
                    auth = &auth[..c];
                }
            }
            if auth.is_empty() {
                return None;
            }
            authority = Some(auth);
            start = rest_start + end;
        }
        let target = &uri[start..];
        let end = target.find('#').unwrap_or(target.len());
        let target = &target[..end];
        if target.bytes().any(|b| b < 0x20 || b == 0x7f) {
            return None;
        }
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        Some((
            authority,
            if path.is_empty() { "/" } else { path },
            query,
            start + end,
        ))
    }

    #[test]
    fn word_scans_agree_with_a_byte_by_byte_split() {
        let pieces = [
            "https://",
            "HTTP://",
            "/",
            "a",
            "bucket.s3.amazonaws.com",
            "u:p@",
            ":443",
            ":80",
            ":8443",
            "[::1]",
            "?",
            "#",
            "&",
            "=",
            "\u{7}",
            "\u{7f}",
            "\t",
            " ",
            "%2F",
            "\u{e9}",
            "photos",
            "..",
            "//",
            "@",
            "]",
        ];
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        // Fewer under Miri, which runs this code thousands of times slower.
        for _ in 0..if cfg!(miri) { 300 } else { 20_000 } {
            let mut uri = String::new();
            for _ in 0..(state % 9) {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                uri.push_str(pieces[(state % pieces.len() as u64) as usize]);
            }
            state = state.wrapping_mul(0x2545_f491_4f6c_dd1d) | 1;
            let got = split_uri(&uri)
                .ok()
                .map(|p| (p.authority, p.path, p.query, p.target_end));
            assert_eq!(got, reference(&uri), "{uri:?}");
        }
    }

    #[test]
    fn splits_absolute_and_origin_forms() {
        let p =
            split_uri("https://examplebucket.s3.amazonaws.com/test.txt?list-type=2#frag").unwrap();
        assert_eq!(p.authority, Some("examplebucket.s3.amazonaws.com"));
        assert_eq!((p.path, p.query), ("/test.txt", "list-type=2"));
        let p = split_uri("HTTP://user:pw@h.example:80").unwrap();
        assert_eq!((p.authority, p.path, p.query), (Some("h.example"), "/", ""));
        let p = split_uri("http://h.example:8080?x").unwrap();
        assert_eq!(
            (p.authority, p.path, p.query),
            (Some("h.example:8080"), "/", "x")
        );
        let p = split_uri("https://[::1]:443/a").unwrap();
        assert_eq!(p.authority, Some("[::1]"));
        let p = split_uri("https://[::1]/a").unwrap();
        assert_eq!(p.authority, Some("[::1]"));
        let p = split_uri("https://u:443@[::1]:8443/a?b?c#d?e").unwrap();
        assert_eq!(
            (p.authority, p.path, p.query),
            (Some("[::1]:8443"), "/a", "b?c")
        );
        let p = split_uri("http://u:p@host").unwrap();
        assert_eq!(p.authority, Some("host"));
        let p = split_uri("/a b/?c=d").unwrap();
        assert_eq!((p.authority, p.path, p.query), (None, "/a b/", "c=d"));
        assert!(split_uri("example.com/a").is_err());
        assert!(split_uri("https:/").is_err());
        assert!(split_uri("http:/").is_err());
        assert!(split_uri("https:\u{1a}/x").is_err());
        let p = split_uri("hTTpS://H.example/a").unwrap();
        assert_eq!(p.authority, Some("H.example"));
        assert!(split_uri("https:///a").is_err());
        assert!(split_uri("/a\nb").is_err());
    }
}
