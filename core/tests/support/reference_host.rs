//! A small blocking reference host: std::net::TcpStream HTTP/1.1, std::fs, std::process and
//! the system resolver. It follows the machines' steps literally and logs every request.

use sigfresh::source::drive::BlockingHost;
use sigfresh::source::{
    FileContents, Host, HttpRequest, HttpResponse, IoFailure, ProcessOutput, Scheme, TransportError,
};
use sigfresh::time::Timestamp;
use std::io::{ErrorKind, Read, Write};
use std::net::{IpAddr, SocketAddr, TcpStream, ToSocketAddrs};
use std::time::Duration;

/// One request as sent: method, target and headers.
#[derive(Clone, Debug)]
pub struct Sent {
    pub method: &'static str,
    pub target: String,
    pub headers: Vec<(String, String)>,
}

impl Sent {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Default)]
pub struct ReferenceHost {
    pub log: Vec<Sent>,
    /// When set, the machines are told this time instead of the wall clock (to test what a
    /// server does with state the machine believes is still fresh).
    pub frozen: Option<Timestamp>,
}

impl ReferenceHost {
    pub fn new() -> Self {
        ReferenceHost::default()
    }
}

fn wall_clock() -> Timestamp {
    #[allow(clippy::disallowed_methods)] // the reference host is the one place that reads the clock
    Timestamp::from_system_time(std::time::SystemTime::now())
}

fn transport(e: std::io::Error) -> TransportError {
    match e.kind() {
        ErrorKind::TimedOut | ErrorKind::WouldBlock => TransportError::Timeout,
        ErrorKind::ConnectionRefused | ErrorKind::ConnectionReset | ErrorKind::NotConnected => {
            TransportError::Connect(e.to_string())
        }
        _ => TransportError::Io(e.to_string()),
    }
}

fn addresses(req: &HttpRequest) -> Result<Vec<SocketAddr>, TransportError> {
    let port = req.url.port();
    if !req.connect_to.is_empty() {
        return Ok(req
            .connect_to
            .iter()
            .map(|ip| SocketAddr::new(*ip, port))
            .collect());
    }
    match req.url.host() {
        Host::Ip(ip) => Ok(vec![SocketAddr::new(*ip, port)]),
        Host::Name(n) => (n.as_str(), port)
            .to_socket_addrs()
            .map(|a| a.collect())
            .map_err(|e| TransportError::Connect(e.to_string())),
        _ => Err(TransportError::Io("unknown host kind".into())),
    }
}

/// Sends one HTTP/1.1 request with `Connection: close` and reads the whole response.
pub fn http1(req: &HttpRequest) -> Result<HttpResponse, TransportError> {
    if req.url.scheme() != Scheme::Http {
        return Err(TransportError::Io(
            "the reference host speaks plain http only".into(),
        ));
    }
    let mut last = TransportError::Connect("no address".into());
    let mut stream = None;
    for addr in addresses(req)? {
        match TcpStream::connect_timeout(&addr, req.timeout) {
            Ok(s) => {
                stream = Some(s);
                break;
            }
            Err(e) => last = transport(e),
        }
    }
    let mut stream = stream.ok_or(last)?;
    stream
        .set_read_timeout(Some(req.timeout))
        .map_err(transport)?;
    stream
        .set_write_timeout(Some(req.timeout))
        .map_err(transport)?;
    let mut head = format!(
        "{} {} HTTP/1.1\r\nhost: {}\r\n",
        req.method.as_str(),
        req.url.path_and_query(),
        req.url.authority()
    );
    for (n, v) in &req.headers {
        head.push_str(&format!("{n}: {v}\r\n"));
    }
    head.push_str(&format!(
        "content-length: {}\r\nconnection: close\r\n\r\n",
        req.body.len()
    ));
    stream.write_all(head.as_bytes()).map_err(transport)?;
    stream.write_all(&req.body).map_err(transport)?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).map_err(transport)?;
    parse_response(&raw)
}

fn parse_response(raw: &[u8]) -> Result<HttpResponse, TransportError> {
    let bad = |d: &str| TransportError::Io(format!("malformed response: {d}"));
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| bad("no end of headers"))?;
    let head = std::str::from_utf8(&raw[..end]).map_err(|_| bad("headers not UTF-8"))?;
    let mut lines = head.split("\r\n");
    let status_line = lines.next().ok_or_else(|| bad("no status line"))?;
    let status: u16 = status_line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| bad("no status code"))?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let mut body = raw[end + 4..].to_vec();
    let chunked = headers.iter().any(|(n, v)| {
        n.eq_ignore_ascii_case("transfer-encoding") && v.eq_ignore_ascii_case("chunked")
    });
    if chunked {
        body = dechunk(&body).ok_or_else(|| bad("bad chunked body"))?;
    } else if let Some(len) = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse::<usize>().ok())
    {
        body.truncate(len);
    }
    Ok(HttpResponse::new(status, headers, body))
}

fn dechunk(mut b: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let nl = b.windows(2).position(|w| w == b"\r\n")?;
        let size_text = std::str::from_utf8(&b[..nl]).ok()?;
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        b = &b[nl + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(b.get(..size)?);
        b = b.get(size + 2..)?;
    }
}

impl BlockingHost for ReferenceHost {
    fn now(&mut self) -> Timestamp {
        self.frozen.unwrap_or_else(wall_clock)
    }

    fn sleep_until(&mut self, until: Timestamp) {
        if let Some(frozen) = &mut self.frozen {
            *frozen = (*frozen).max(until);
            return;
        }
        if let Some(d) = until.duration_since(wall_clock()) {
            std::thread::sleep(d.min(Duration::from_secs(30)));
        }
    }

    fn send(&mut self, req: &HttpRequest) -> Result<HttpResponse, TransportError> {
        self.log.push(Sent {
            method: req.method.as_str(),
            target: req.url.path_and_query().to_owned(),
            headers: req.headers.clone(),
        });
        http1(req)
    }

    fn read_file(&mut self, path: &str) -> Result<FileContents, IoFailure> {
        std::fs::read(path)
            .map(FileContents)
            .map_err(|e| match e.kind() {
                ErrorKind::NotFound => IoFailure::NotFound,
                ErrorKind::PermissionDenied => IoFailure::PermissionDenied,
                _ => IoFailure::Other(e.to_string()),
            })
    }

    fn run_process(&mut self, command: &str) -> Result<ProcessOutput, IoFailure> {
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(command)
            .output()
            .map_err(|e| IoFailure::Other(e.to_string()))?;
        Ok(ProcessOutput::new(out.status.code(), out.stdout))
    }

    fn resolve(&mut self, host: &str) -> Result<Vec<IpAddr>, IoFailure> {
        (host, 0)
            .to_socket_addrs()
            .map(|a| a.map(|s| s.ip()).collect())
            .map_err(|e| IoFailure::Other(e.to_string()))
    }
}
