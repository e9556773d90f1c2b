//! A blocking HTTP/1.1 client over `std::net` (plus rustls for `https://`): the I/O behind the
//! core's [`HttpRequest`]s and behind `sigfresh curl`. It sends exactly the bytes it is given —
//! a signed request must reach the server as it was signed — and reads one response.
//!
//! Limits: no proxies (the core's metadata requests must bypass them anyway; `HTTPS_PROXY` is
//! not honoured for STS or `curl`), bodies up to [`MAX_BODY`], heads up to 64 KiB; every
//! connect, read and write is bounded by the request's timeout.

use rustls::pki_types::ServerName;
use rustls::{ClientConfig, ClientConnection, RootCertStore, StreamOwned};
use sigfresh::source::{Host, HttpRequest, HttpResponse, Scheme, TransportError, Url};
use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::{IpAddr, SocketAddr, TcpStream, ToSocketAddrs};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

/// The largest response body read (64 MiB).
pub(crate) const MAX_BODY: usize = 64 << 20;
const MAX_HEAD: usize = 64 << 10;

enum Stream {
    Plain(TcpStream),
    Tls(Box<StreamOwned<ClientConnection, TcpStream>>),
}

impl Read for Stream {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self {
            Stream::Plain(s) => s.read(buf),
            Stream::Tls(s) => s.read(buf),
        }
    }
}

impl Write for Stream {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Stream::Plain(s) => s.write(buf),
            Stream::Tls(s) => s.write(buf),
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Stream::Plain(s) => s.flush(),
            Stream::Tls(s) => s.flush(),
        }
    }
}

/// A response: status line, headers in order, and the decoded body.
#[derive(Debug)]
pub(crate) struct Response {
    pub(crate) version: String,
    pub(crate) status: u16,
    pub(crate) reason: String,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
}

impl Response {
    /// The status line and headers, as received (CRLF line ends), for `curl -i`.
    pub(crate) fn head_text(&self) -> String {
        let mut s = format!("{} {} {}\r\n", self.version, self.status, self.reason);
        for (n, v) in &self.headers {
            s.push_str(&format!("{n}: {v}\r\n"));
        }
        s.push_str("\r\n");
        s
    }
}

/// One connection; several requests may be sent over it in turn (keep-alive).
pub(crate) struct Conn {
    io: BufReader<Stream>,
}

fn io_error(e: std::io::Error) -> TransportError {
    match e.kind() {
        ErrorKind::TimedOut | ErrorKind::WouldBlock => TransportError::Timeout,
        ErrorKind::ConnectionRefused
        | ErrorKind::ConnectionReset
        | ErrorKind::ConnectionAborted
        | ErrorKind::NotConnected
        | ErrorKind::BrokenPipe => TransportError::Connect(e.to_string()),
        ErrorKind::InvalidData => TransportError::Io(format!("TLS: {e}")),
        _ => TransportError::Io(e.to_string()),
    }
}

fn tls_config() -> Result<Arc<ClientConfig>, TransportError> {
    static CONFIG: OnceLock<Result<Arc<ClientConfig>, String>> = OnceLock::new();
    CONFIG
        .get_or_init(|| {
            let roots: RootCertStore = webpki_roots::TLS_SERVER_ROOTS.iter().cloned().collect();
            let provider = Arc::new(rustls::crypto::ring::default_provider());
            ClientConfig::builder_with_provider(provider)
                .with_safe_default_protocol_versions()
                .map(|b| Arc::new(b.with_root_certificates(roots).with_no_client_auth()))
                .map_err(|e| e.to_string())
        })
        .clone()
        .map_err(|e| TransportError::Io(format!("TLS: {e}")))
}

fn addresses(url: &Url, connect_to: &[IpAddr]) -> Result<Vec<SocketAddr>, TransportError> {
    let port = url.port();
    if !connect_to.is_empty() {
        return Ok(connect_to
            .iter()
            .map(|ip| SocketAddr::new(*ip, port))
            .collect());
    }
    match url.host() {
        Host::Ip(ip) => Ok(vec![SocketAddr::new(*ip, port)]),
        Host::Name(n) => (n.as_str(), port)
            .to_socket_addrs()
            .map(|a| a.collect())
            .map_err(|e| TransportError::Connect(format!("cannot resolve {n}: {e}"))),
        _ => Err(TransportError::Io("unsupported host".into())),
    }
}

impl Conn {
    /// Connects to `url`'s host and port (or only to `connect_to`, when given), with TLS for
    /// `https`. Connect, read and write time out after `timeout`.
    pub(crate) fn open(
        url: &Url,
        connect_to: &[IpAddr],
        timeout: Duration,
    ) -> Result<Conn, TransportError> {
        let mut last = TransportError::Connect(format!("no address for {}", url.host()));
        let mut sock = None;
        for addr in addresses(url, connect_to)? {
            match TcpStream::connect_timeout(&addr, timeout) {
                Ok(s) => {
                    sock = Some(s);
                    break;
                }
                Err(e) => last = io_error(e),
            }
        }
        let sock = sock.ok_or(last)?;
        sock.set_read_timeout(Some(timeout)).map_err(io_error)?;
        sock.set_write_timeout(Some(timeout)).map_err(io_error)?;
        let _ = sock.set_nodelay(true);
        let stream = match url.scheme() {
            Scheme::Http => Stream::Plain(sock),
            Scheme::Https => {
                let name = match url.host() {
                    Host::Ip(ip) => ServerName::IpAddress((*ip).into()),
                    Host::Name(n) => ServerName::try_from(n.clone())
                        .map_err(|_| TransportError::Io(format!("TLS: bad server name {n}")))?,
                    _ => return Err(TransportError::Io("unsupported host".into())),
                };
                let conn = ClientConnection::new(tls_config()?, name)
                    .map_err(|e| TransportError::Io(format!("TLS: {e}")))?;
                Stream::Tls(Box::new(StreamOwned::new(conn, sock)))
            }
            _ => return Err(TransportError::Io("unsupported URL scheme".into())),
        };
        Ok(Conn {
            io: BufReader::new(stream),
        })
    }

    /// Sends `request` (a whole HTTP/1.1 request: head and body) and reads the response.
    /// `head_request`: the request was `HEAD`, so the response has no body.
    pub(crate) fn exchange(
        &mut self,
        request: &[u8],
        head_request: bool,
    ) -> Result<Response, TransportError> {
        let w = self.io.get_mut();
        w.write_all(request).map_err(io_error)?;
        w.flush().map_err(io_error)?;
        read_response(&mut self.io, head_request)
    }
}

/// Sends one of the core's planned requests with `Connection: close`.
pub(crate) fn send(req: &HttpRequest) -> Result<HttpResponse, TransportError> {
    let mut conn = Conn::open(&req.url, &req.connect_to, req.timeout)?;
    let mut head = format!(
        "{} {} HTTP/1.1\r\nhost: {}\r\n",
        req.method.as_str(),
        req.url.path_and_query(),
        req.url.authority()
    );
    for (n, v) in &req.headers {
        head.push_str(&format!("{n}: {v}\r\n"));
    }
    if !req.body.is_empty() || req.method.as_str() != "GET" {
        head.push_str(&format!("content-length: {}\r\n", req.body.len()));
    }
    head.push_str("connection: close\r\n\r\n");
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(&req.body);
    let r = conn.exchange(&bytes, false)?;
    Ok(HttpResponse::new(r.status, r.headers, r.body))
}

/// The head of a response (status line and headers), parsed.
pub(crate) struct Head {
    pub(crate) version: String,
    pub(crate) status: u16,
    pub(crate) reason: String,
    pub(crate) headers: Vec<(String, String)>,
}

/// Parses a response head: `HTTP/1.1 403 Forbidden` then `Name: value` lines (LF or CRLF;
/// obs-fold continuation lines are joined with a space).
pub(crate) fn parse_head(text: &str) -> Result<Head, String> {
    let mut lines = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .skip_while(|l| l.is_empty());
    let status_line = lines.next().ok_or("no status line")?;
    let mut parts = status_line.splitn(3, ' ');
    let version = parts.next().unwrap_or("");
    if !version.starts_with("HTTP/") {
        return Err(format!(
            "the status line must start with HTTP/1.1, not {:?}",
            shorten(status_line)
        ));
    }
    let status = parts
        .next()
        .filter(|s| s.len() == 3)
        .and_then(|s| s.parse::<u16>().ok())
        .filter(|s| (100..=599).contains(s))
        .ok_or_else(|| format!("no status code in {:?}", shorten(status_line)))?;
    let reason = parts.next().unwrap_or("").to_owned();
    let mut headers: Vec<(String, String)> = Vec::new();
    for (i, line) in lines.enumerate() {
        if line.is_empty() {
            break;
        }
        if line.starts_with([' ', '\t']) {
            match headers.last_mut() {
                Some((_, v)) => {
                    v.push(' ');
                    v.push_str(line.trim());
                }
                None => return Err(format!("line {}: continuation before any header", i + 2)),
            }
            continue;
        }
        let (n, v) = line
            .split_once(':')
            .ok_or_else(|| format!("line {}: expected `Name: value`", i + 2))?;
        headers.push((n.trim().to_owned(), v.trim().to_owned()));
    }
    Ok(Head {
        version: version.to_owned(),
        status,
        reason,
        headers,
    })
}

fn shorten(s: &str) -> String {
    s.chars().take(60).collect()
}

fn read_head<R: BufRead>(r: &mut R) -> Result<Vec<u8>, TransportError> {
    let mut head = Vec::new();
    loop {
        let start = head.len();
        let n = r
            .by_ref()
            .take((MAX_HEAD + 1 - start.min(MAX_HEAD)) as u64)
            .read_until(b'\n', &mut head)
            .map_err(io_error)?;
        if n == 0 {
            return Err(if head.is_empty() {
                TransportError::Connect("the connection closed before a response".into())
            } else {
                TransportError::Io("the connection closed inside the response head".into())
            });
        }
        if head.len() > MAX_HEAD {
            return Err(TransportError::Io("response head over 64 KiB".into()));
        }
        let line = &head[start..];
        if line == b"\r\n" || line == b"\n" {
            if start == 0 {
                head.clear(); // tolerate blank lines before the status line
                continue;
            }
            return Ok(head);
        }
    }
}

fn bad(d: &str) -> TransportError {
    TransportError::Io(format!("malformed response: {d}"))
}

/// Reads one response from `r`.
pub(crate) fn read_response<R: BufRead>(
    r: &mut R,
    head_request: bool,
) -> Result<Response, TransportError> {
    let head = loop {
        let bytes = read_head(r)?;
        let text = std::str::from_utf8(&bytes).map_err(|_| bad("head is not UTF-8"))?;
        let head = parse_head(text).map_err(|e| bad(&e))?;
        // Interim responses (100 Continue, 103 Early Hints) are followed by the real one.
        if !(100..200).contains(&head.status) {
            break head;
        }
    };
    let get = |name: &str| {
        head.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    };
    let chunked =
        get("transfer-encoding").is_some_and(|v| v.to_ascii_lowercase().contains("chunked"));
    let body = if head_request || head.status == 204 || head.status == 304 {
        Vec::new()
    } else if chunked {
        dechunk(r)?
    } else if let Some(len) = get("content-length") {
        let len: usize = len.trim().parse().map_err(|_| bad("bad Content-Length"))?;
        if len > MAX_BODY {
            return Err(TransportError::Io(format!(
                "response body of {len} bytes is over the {MAX_BODY}-byte limit"
            )));
        }
        let mut body = vec![0; len];
        r.read_exact(&mut body).map_err(io_error)?;
        body
    } else {
        let mut body = Vec::new();
        match r.take(MAX_BODY as u64 + 1).read_to_end(&mut body) {
            Ok(_) => {}
            // A TLS peer that closes without close_notify: the body ends there.
            Err(e) if e.kind() == ErrorKind::UnexpectedEof => {}
            Err(e) => return Err(io_error(e)),
        }
        if body.len() > MAX_BODY {
            return Err(TransportError::Io("response body over the limit".into()));
        }
        body
    };
    Ok(Response {
        version: head.version,
        status: head.status,
        reason: head.reason,
        headers: head.headers,
        body,
    })
}

fn dechunk<R: BufRead>(r: &mut R) -> Result<Vec<u8>, TransportError> {
    let mut out = Vec::new();
    let mut line = Vec::new();
    loop {
        line.clear();
        r.by_ref()
            .take(1024)
            .read_until(b'\n', &mut line)
            .map_err(io_error)?;
        let text = std::str::from_utf8(&line).map_err(|_| bad("chunk size"))?;
        let size_text = text.split(';').next().unwrap_or("").trim();
        let size = usize::from_str_radix(size_text, 16).map_err(|_| bad("chunk size"))?;
        if size == 0 {
            // Trailers, up to the blank line.
            loop {
                line.clear();
                let n = r
                    .by_ref()
                    .take(8192)
                    .read_until(b'\n', &mut line)
                    .map_err(io_error)?;
                if n == 0 || line == b"\r\n" || line == b"\n" {
                    return Ok(out);
                }
            }
        }
        if out.len() + size > MAX_BODY {
            return Err(TransportError::Io("response body over the limit".into()));
        }
        let start = out.len();
        out.resize(start + size, 0);
        r.read_exact(&mut out[start..]).map_err(io_error)?;
        line.clear();
        r.by_ref()
            .take(2)
            .read_until(b'\n', &mut line)
            .map_err(io_error)?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_length_chunked_and_close_delimited_bodies() {
        let raw = b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 3\r\nX-A: 1\r\n\r\nabcNEXT";
        let mut r = &raw[..];
        let resp = read_response(&mut r, false).unwrap();
        assert_eq!((resp.status, resp.body.as_slice()), (200, &b"abc"[..]));
        assert_eq!(resp.headers[1], ("X-A".to_owned(), "1".to_owned()));
        assert_eq!(r, b"NEXT");

        let raw = b"HTTP/1.1 403 Forbidden\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n2\r\nde\r\n0\r\nT: 1\r\n\r\n";
        let resp = read_response(&mut &raw[..], false).unwrap();
        assert_eq!(
            (resp.status, resp.reason.as_str(), resp.body.as_slice()),
            (403, "Forbidden", &b"abcde"[..])
        );

        let raw = b"HTTP/1.0 500 Oops\nServer: x\n\nrest of it";
        let resp = read_response(&mut &raw[..], false).unwrap();
        assert_eq!(resp.body, b"rest of it");

        assert!(read_response(&mut &b""[..], false).is_err());
        assert!(read_response(&mut &b"HTTP/1.1 abc\r\n\r\n"[..], false).is_err());
        assert!(read_response(&mut &b"SMTP ready\r\n\r\n"[..], false).is_err());
    }
}
