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
    let b = uri.as_bytes();
    if b.len() >= 8 && b[..8].eq_ignore_ascii_case(b"https://") {
        return Some((&uri[8..], "443"));
    }
    if b.len() >= 7 && b[..7].eq_ignore_ascii_case(b"http://") {
        return Some((&uri[7..], "80"));
    }
    None
}

/// Splits a request URI into authority, path and query.
pub(crate) fn split_uri(uri: &str) -> Result<UriParts<'_>, SigningError> {
    let bytes = uri.as_bytes();
    let (authority, rest_start) = match strip_scheme(uri) {
        Some((rest, default_port)) => {
            let start = uri.len() - rest.len();
            // One pass to the end of the authority. Userinfo ends at the last '@'; a port
            // follows the last ':' after any ']'.
            let (mut at, mut colon, mut bracket) = (None, None, None);
            let mut end = rest.len();
            for (i, b) in rest.bytes().enumerate() {
                match b {
                    b'/' | b'?' | b'#' => {
                        end = i;
                        break;
                    }
                    b'@' => at = Some(i),
                    b':' => colon = Some(i),
                    b']' => bracket = Some(i),
                    _ => {}
                }
            }
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
    // starts after the first '?'. Simple scans: the fold vectorizes.
    let tail = bytes.get(rest_start..).unwrap_or(&[]);
    let target_len = tail.iter().position(|&b| b == b'#').unwrap_or(tail.len());
    let target = tail.get(..target_len).unwrap_or(&[]);
    if !target
        .iter()
        .fold(true, |ok, &b| ok & (b >= 0x20 && b != 0x7f))
    {
        return Err(SigningError::InvalidUri {
            reason: "control character in path or query",
        });
    }
    let target_end = rest_start + target_len;
    let (path, query) = match target.iter().position(|&b| b == b'?') {
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
        assert!(split_uri("https:///a").is_err());
        assert!(split_uri("/a\nb").is_err());
    }
}
