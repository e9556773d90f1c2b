//! The I/O a machine asks for, as data: [`HttpRequest`] out, [`HttpResponse`] or
//! [`TransportError`] back; likewise files, processes and host-name lookups.

use super::url::Url;
use crate::prelude::*;
use core::fmt;
use core::net::IpAddr;
use core::time::Duration;
use zeroize::Zeroize;

/// An HTTP method the sources use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Method {
    /// `GET`.
    Get,
    /// `PUT`.
    Put,
    /// `POST`.
    Post,
}

impl Method {
    /// The method as it goes on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
        }
    }
}

/// Whether the host may send a request through its configured HTTP proxy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum ProxyPolicy {
    /// Connect directly, whatever `HTTP_PROXY`/`HTTPS_PROXY` say: link-local metadata endpoints
    /// (IMDS, the container agent) must never be reached through a proxy.
    #[default]
    Bypass,
    /// Use the host's usual proxy settings (STS and other public endpoints).
    UseHostSettings,
}

/// Header names whose values are secrets: redacted in `Debug`, wiped on drop.
const SECRET_HEADERS: &[&str] = &[
    "authorization",
    "x-aws-ec2-metadata-token",
    "x-amz-security-token",
];

/// An HTTP request the host must send, then report with
/// [`Outcome::Http`](super::Outcome::Http).
///
/// The host sends exactly `method`, `url`, `headers` (in order, plus its own `Host`,
/// `Content-Length` and connection headers) and `body`; gives up after `timeout` and reports
/// [`TransportError::Timeout`]; honours `proxy`; and, when `connect_to` is not empty, connects
/// only to one of those addresses (they are the ones the machine checked; resolving the name
/// again could give others). `Debug` redacts secret header values and never prints the body.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct HttpRequest {
    /// The method.
    pub method: Method,
    /// The absolute URL.
    pub url: Url,
    /// Headers, lowercase names, in order.
    pub headers: Vec<(String, String)>,
    /// The body (empty for `GET`).
    pub body: Vec<u8>,
    /// The whole exchange (connect, send, receive) must finish within this time.
    pub timeout: Duration,
    /// Whether a proxy may be used.
    pub proxy: ProxyPolicy,
    /// When not empty: the only addresses the host may connect to.
    pub connect_to: Vec<IpAddr>,
}

impl HttpRequest {
    pub(crate) fn new(method: Method, url: Url, timeout: Duration, proxy: ProxyPolicy) -> Self {
        HttpRequest {
            method,
            url,
            headers: vec![(
                "user-agent".to_owned(),
                format!("sigfresh/{}", crate::VERSION),
            )],
            body: Vec::new(),
            timeout,
            proxy,
            connect_to: Vec::new(),
        }
    }

    pub(crate) fn header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.to_owned(), value.into()));
        self
    }

    /// The first value of header `name` (ASCII case-insensitive).
    pub fn header_value(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(n, v)| {
                let secret = SECRET_HEADERS.iter().any(|s| n.eq_ignore_ascii_case(s));
                (
                    n.as_str(),
                    if secret { "** redacted **" } else { v.as_str() },
                )
            })
            .collect();
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &self.url.to_string())
            .field("headers", &headers)
            .field("body_len", &self.body.len())
            .field("timeout", &self.timeout)
            .field("proxy", &self.proxy)
            .field("connect_to", &self.connect_to)
            .finish()
    }
}

impl Drop for HttpRequest {
    fn drop(&mut self) {
        // The body may hold a web identity token; some headers hold session tokens.
        self.body.zeroize();
        for (n, v) in &mut self.headers {
            if SECRET_HEADERS.iter().any(|s| n.eq_ignore_ascii_case(s)) {
                v.zeroize();
            }
        }
    }
}

/// An HTTP response as the host received it. `Debug` shows the status, header names and body
/// length only (bodies hold credentials); the body is wiped on drop.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct HttpResponse {
    /// The status code.
    pub status: u16,
    /// Response headers (any case), in order.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// A response.
    pub fn new(status: u16, headers: Vec<(String, String)>, body: impl Into<Vec<u8>>) -> Self {
        HttpResponse {
            status,
            headers,
            body: body.into(),
        }
    }
    /// The first value of header `name` (ASCII case-insensitive), trimmed.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.trim().eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim())
    }
}

impl fmt::Debug for HttpResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpResponse")
            .field("status", &self.status)
            .field(
                "headers",
                &self.headers.iter().map(|(n, _)| n).collect::<Vec<_>>(),
            )
            .field("body_len", &self.body.len())
            .finish()
    }
}

impl Drop for HttpResponse {
    fn drop(&mut self) {
        self.body.zeroize();
    }
}

/// Why no HTTP response arrived.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportError {
    /// The request's `timeout` passed (connect, send or receive).
    Timeout,
    /// The connection could not be made (refused, unreachable, reset before a response).
    Connect(String),
    /// Any other I/O or protocol failure (a malformed or truncated response, a TLS error).
    Io(String),
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TransportError::Timeout => f.write_str("timed out"),
            TransportError::Connect(d) => write!(f, "could not connect ({d})"),
            TransportError::Io(d) => write!(f, "I/O error ({d})"),
        }
    }
}

/// The host's failure to do a non-HTTP action (read a file, run a process, resolve a name).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum IoFailure {
    /// The file, command or name does not exist.
    NotFound,
    /// Permission denied.
    PermissionDenied,
    /// The action took too long.
    Timeout,
    /// Anything else, described by the host (never include secrets).
    Other(String),
}

impl fmt::Display for IoFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IoFailure::NotFound => f.write_str("not found"),
            IoFailure::PermissionDenied => f.write_str("permission denied"),
            IoFailure::Timeout => f.write_str("timed out"),
            IoFailure::Other(d) => f.write_str(d),
        }
    }
}

/// What a process the host ran produced. `Debug` hides stdout (it holds credentials); it is
/// wiped on drop.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ProcessOutput {
    /// The exit code, `None` when the process was killed by a signal.
    pub exit_code: Option<i32>,
    /// Everything it wrote to standard output.
    pub stdout: Vec<u8>,
}

impl ProcessOutput {
    /// An output.
    pub fn new(exit_code: Option<i32>, stdout: impl Into<Vec<u8>>) -> Self {
        ProcessOutput {
            exit_code,
            stdout: stdout.into(),
        }
    }
}

impl fmt::Debug for ProcessOutput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProcessOutput")
            .field("exit_code", &self.exit_code)
            .field("stdout_len", &self.stdout.len())
            .finish()
    }
}

impl Drop for ProcessOutput {
    fn drop(&mut self) {
        self.stdout.zeroize();
    }
}

/// Bytes of a file the host read. `Debug` hides them (token files are secrets); wiped on drop.
#[derive(Clone, PartialEq, Eq)]
pub struct FileContents(pub Vec<u8>);

impl fmt::Debug for FileContents {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FileContents({} bytes)", self.0.len())
    }
}

impl Drop for FileContents {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts() {
        let r = HttpRequest::new(
            Method::Get,
            Url::parse("http://h/").unwrap(),
            Duration::from_secs(1),
            ProxyPolicy::Bypass,
        )
        .header("authorization", "SECRETVALUE")
        .header("x-aws-ec2-metadata-token", "TOKENVALUE");
        let d = format!("{r:?}");
        assert!(
            !d.contains("SECRETVALUE") && !d.contains("TOKENVALUE"),
            "{d}"
        );
        let resp = HttpResponse::new(200, vec![], b"SECRETBODY".to_vec());
        assert!(!format!("{resp:?}").contains("SECRETBODY"));
    }
}
