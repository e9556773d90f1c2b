//! What signing produces: data for the host to apply, plus every intermediate stage for
//! diagnostics.

use super::request::{split_uri, SignableRequest};
use crate::prelude::*;
use core::fmt;
use core::ops::Range;
use zeroize::Zeroize;

pub(crate) const HEADER_NAMES: [&str; 4] = [
    "x-amz-date",
    "x-amz-security-token",
    "x-amz-content-sha256",
    "authorization",
];
pub(crate) const QUERY_NAMES: [&str; 7] = [
    "X-Amz-Algorithm",
    "X-Amz-Credential",
    "X-Amz-Date",
    "X-Amz-Expires",
    "X-Amz-SignedHeaders",
    "X-Amz-Security-Token",
    "X-Amz-Signature",
];

/// Where a value lives: in the main buffer or the query-parameter buffer.
#[derive(Clone, Debug)]
pub(crate) enum Slot {
    Buf(Range<usize>),
    Params(Range<usize>),
}

/// The result of signing one request.
///
/// Nothing is mutated: the host applies [`headers`](SigningOutput::headers) (header signing)
/// or [`query_params`](SigningOutput::query_params) (presigning) to its own request, or uses
/// [`render`](SigningOutput::render) / [`signed_uri`](SigningOutput::signed_uri). The
/// canonical request, string to sign and signature are kept for diagnostics.
///
/// `Debug` shows the canonical request and string to sign; those contain the session token
/// when it is signed, so `Debug` redacts the canonical request whenever a token is present.
///
/// With a session token, the buffers holding it (canonical request, header value, presigned
/// query) are wiped on drop. Strings returned by [`signed_uri`](SigningOutput::signed_uri)
/// and [`render`](SigningOutput::render) are copies the host owns (and must wipe, if it cares).
#[derive(Clone)]
pub struct SigningOutput {
    pub(crate) buf: String,
    pub(crate) params: String,
    pub(crate) canonical_request: Range<usize>,
    pub(crate) string_to_sign: Range<usize>,
    pub(crate) signature: Range<usize>,
    pub(crate) authorization: Option<Range<usize>>,
    /// `(index into HEADER_NAMES, value)`; `None` entries are unused.
    pub(crate) headers: [Option<(usize, Slot)>; 4],
    /// `(index into QUERY_NAMES, value)` in the order they are appended to the URL.
    pub(crate) query: [Option<(usize, Slot)>; 7],
    /// Whether the credentials had a session token (for `Debug` redaction).
    pub(crate) has_token: bool,
    /// Where in `buf` the session token is (empty without one): the header value, or, for a
    /// presigned request, the canonical request whose query holds it. Wiped on drop.
    pub(crate) secret: Range<usize>,
}

impl SigningOutput {
    fn get(&self, slot: &Slot) -> &str {
        match slot {
            Slot::Buf(r) => self.buf.get(r.clone()).unwrap_or(""),
            Slot::Params(r) => self.params.get(r.clone()).unwrap_or(""),
        }
    }

    /// The canonical request that was signed (SigV4 task 1).
    pub fn canonical_request(&self) -> &str {
        self.buf.get(self.canonical_request.clone()).unwrap_or("")
    }
    /// The string to sign (SigV4 task 2).
    pub fn string_to_sign(&self) -> &str {
        self.buf.get(self.string_to_sign.clone()).unwrap_or("")
    }
    /// The signature: 64 lowercase hex digits (SigV4 task 3).
    pub fn signature(&self) -> &str {
        self.buf.get(self.signature.clone()).unwrap_or("")
    }
    /// The `Authorization` header value (header signing only).
    pub fn authorization(&self) -> Option<&str> {
        self.authorization
            .as_ref()
            .and_then(|r| self.buf.get(r.clone()))
    }
    /// Headers the host must set (replacing any of the same name), lowercase names:
    /// `x-amz-date`, `x-amz-security-token`, `x-amz-content-sha256`, `authorization` — the ones
    /// that apply. Empty for presigned requests.
    pub fn headers(&self) -> impl Iterator<Item = (&'static str, &str)> + '_ {
        self.headers
            .iter()
            .flatten()
            .map(|(i, s)| (HEADER_NAMES[*i], self.get(s)))
    }
    /// Query parameters to append for a presigned request, values already percent-encoded.
    /// Empty for header signing.
    pub fn query_params(&self) -> impl Iterator<Item = (&'static str, &str)> + '_ {
        self.query
            .iter()
            .flatten()
            .map(|(i, s)| (QUERY_NAMES[*i], self.get(s)))
    }

    /// The request URI with the presigning parameters appended (the presigned URL), without
    /// any `#fragment`. For header signing this is the URI unchanged. The string is the host's:
    /// it holds the session token of a presigned URL, and this type cannot wipe it.
    pub fn signed_uri(&self, request: &SignableRequest<'_>) -> String {
        let uri = request.uri.split('#').next().unwrap_or(request.uri);
        let mut out = String::with_capacity(uri.len() + self.params.len() + 200);
        out.push_str(uri);
        // Only the first '?' starts the query; a later one is data (`/p?a=b?` needs a '&').
        let mut sep = match uri.find('?') {
            None => "?",
            Some(q) if q + 1 == uri.len() || uri.ends_with('&') => "",
            Some(_) => "&",
        };
        for (k, v) in self.query_params() {
            out.push_str(sep);
            out.push_str(k);
            out.push('=');
            out.push_str(v);
            sep = "&";
        }
        out
    }

    /// Renders the complete signed HTTP/1.1 request: request line, the given headers with the
    /// signing headers set (replaced in place when already present, appended otherwise), a
    /// `Host` header first when none was given, a blank line, and the body for
    /// [`Payload::Bytes`](super::Payload::Bytes). Lines end in CRLF. The bytes are the host's:
    /// they hold the session token, and this type cannot wipe them.
    pub fn render(&self, request: &SignableRequest<'_>) -> Vec<u8> {
        let uri = self.signed_uri(request);
        let (target, authority) = match split_uri(&uri) {
            Ok(p) => (
                uri.get(p.target_start..p.target_end).unwrap_or("/"),
                p.authority,
            ),
            Err(_) => (uri.as_str(), None),
        };
        let target = if target.is_empty() || target.starts_with('?') {
            // An absolute URL without a path: origin-form needs the leading slash.
            format!("/{target}")
        } else {
            target.to_string()
        };
        let mut out = String::with_capacity(self.buf.len() + target.len() + 256);
        out.push_str(request.method);
        out.push(' ');
        out.push_str(&target);
        out.push_str(" HTTP/1.1\r\n");
        let has_host = request
            .headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case("host"));
        if let (false, Some(a)) = (has_host, authority) {
            out.push_str("Host: ");
            out.push_str(a);
            out.push_str("\r\n");
        }
        let mut used = [false; 4];
        for (name, value) in request.headers {
            let replaced = self
                .headers
                .iter()
                .flatten()
                .find(|(i, _)| name.eq_ignore_ascii_case(HEADER_NAMES[*i]));
            out.push_str(name);
            out.push_str(": ");
            match replaced {
                Some((i, slot)) => {
                    out.push_str(self.get(slot));
                    used[*i] = true;
                }
                None => out.push_str(value.trim_matches([' ', '\t'])),
            }
            out.push_str("\r\n");
        }
        for (i, slot) in self.headers.iter().flatten() {
            if !used[*i] {
                out.push_str(HEADER_NAMES[*i]);
                out.push_str(": ");
                out.push_str(self.get(slot));
                out.push_str("\r\n");
            }
        }
        out.push_str("\r\n");
        let mut bytes = out.into_bytes();
        if let super::Payload::Bytes(b) = request.payload {
            bytes.extend_from_slice(b);
        }
        bytes
    }
}

impl Drop for SigningOutput {
    fn drop(&mut self) {
        // Only the session token is secret here (the signature, the access key id and the rest
        // of the canonical request are not): wipe where it is, not the whole buffer. This drop
        // is on every signature's path.
        if self.has_token {
            wipe_range(&mut self.buf, self.secret.clone());
            let all = 0..self.params.len();
            wipe_range(&mut self.params, all);
        }
    }
}

/// Overwrites `range` of `s` with zeros (zeroize's volatile writes) and frees the buffer.
/// Only the token's bytes: measured on W1, this costs ~60 ns where zeroizing the whole ~1.2 KB
/// buffer cost ~230 ns, and a `memset` of the same range behind a barrier ~90 ns.
fn wipe_range(s: &mut String, range: Range<usize>) {
    let mut bytes = core::mem::take(s).into_bytes();
    if let Some(secret) = bytes.get_mut(range) {
        secret.zeroize();
    }
}

impl fmt::Debug for SigningOutput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("SigningOutput");
        if self.has_token {
            d.field(
                "canonical_request",
                &"** redacted (contains the session token) **",
            );
        } else {
            d.field("canonical_request", &self.canonical_request());
        }
        d.field("string_to_sign", &self.string_to_sign())
            .field("signature", &self.signature())
            .field("authorization", &self.authorization())
            .finish_non_exhaustive()
    }
}
