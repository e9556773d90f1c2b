//! A tiny HTTP/1.1 server on 127.0.0.1 for the demo's stand-ins: one thread accepts, one
//! thread serves each connection (keep-alive). Every loop is bounded: the server stops when
//! told to, after a hard deadline, or after a maximum number of connections, whichever comes
//! first; a connection stops at end of stream, on an error, or when the server stops.

use crate::clock;
use sigfresh::raw_request::RawRequest;
use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// A response to write.
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) reason: &'static str,
    pub(crate) headers: Vec<(&'static str, String)>,
    pub(crate) body: Vec<u8>,
}

impl Reply {
    pub(crate) fn new(status: u16, reason: &'static str, body: impl Into<Vec<u8>>) -> Reply {
        Reply {
            status,
            reason,
            headers: Vec::new(),
            body: body.into(),
        }
    }
    pub(crate) fn header(mut self, name: &'static str, value: impl Into<String>) -> Reply {
        self.headers.push((name, value.into()));
        self
    }
}

/// What a server answers: the parsed request and its body in, a reply out.
pub(crate) type Handler = dyn Fn(&RawRequest<'_>, &[u8]) -> Reply + Send + Sync;

const MAX_CONNECTIONS: u64 = 4096;
const MAX_HEAD: usize = 64 << 10;
const MAX_BODY: usize = 1 << 20;

/// A running server.
pub(crate) struct Server {
    pub(crate) addr: SocketAddr,
    stop: Arc<AtomicBool>,
    accept: Option<JoinHandle<()>>,
    /// Requests answered.
    pub(crate) requests: Arc<AtomicU64>,
}

impl Server {
    /// Binds 127.0.0.1 on a free port and serves until [`Server::stop`] or `lifetime` passes.
    pub(crate) fn start(handler: Arc<Handler>, lifetime: Duration) -> std::io::Result<Server> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let stop = Arc::new(AtomicBool::new(false));
        let requests = Arc::new(AtomicU64::new(0));
        let (s, r) = (stop.clone(), requests.clone());
        let accept = std::thread::Builder::new()
            .name("demo-accept".into())
            .spawn(move || accept_loop(&listener, &handler, &s, &r, lifetime))?;
        Ok(Server {
            addr,
            stop,
            accept: Some(accept),
            requests,
        })
    }

    /// Stops accepting and lets every connection end; waits for the accept thread.
    pub(crate) fn stop(&mut self) {
        self.stop.store(true, Ordering::Release);
        if let Some(h) = self.accept.take() {
            let _ = h.join();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

fn accept_loop(
    listener: &TcpListener,
    handler: &Arc<Handler>,
    stop: &Arc<AtomicBool>,
    requests: &Arc<AtomicU64>,
    lifetime: Duration,
) {
    let started: Instant = clock::mono();
    let mut workers = Vec::new();
    let mut accepted = 0u64;
    while !stop.load(Ordering::Acquire)
        && accepted < MAX_CONNECTIONS
        && clock::mono().duration_since(started) < lifetime
    {
        match listener.accept() {
            Ok((sock, _)) => {
                accepted += 1;
                let (h, s, r) = (handler.clone(), stop.clone(), requests.clone());
                if let Ok(w) = std::thread::Builder::new()
                    .name("demo-conn".into())
                    .spawn(move || serve(sock, &*h, &s, &r))
                {
                    workers.push(w);
                }
            }
            Err(e) if e.kind() == ErrorKind::WouldBlock => {
                std::thread::sleep(Duration::from_millis(2));
            }
            Err(_) => std::thread::sleep(Duration::from_millis(2)),
        }
    }
    stop.store(true, Ordering::Release);
    for w in workers {
        let _ = w.join();
    }
}

/// Reads one request head (up to the blank line). `Ok(None)` at a clean end of stream.
fn read_head(r: &mut BufReader<TcpStream>, stop: &AtomicBool) -> std::io::Result<Option<Vec<u8>>> {
    let mut head = Vec::new();
    loop {
        let start = head.len();
        match r.read_until(b'\n', &mut head) {
            Ok(0) => return Ok(None),
            Ok(_) => {}
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                if stop.load(Ordering::Acquire) {
                    return Ok(None);
                }
                continue;
            }
            Err(e) => return Err(e),
        }
        if head.len() > MAX_HEAD {
            return Err(std::io::Error::new(
                ErrorKind::InvalidData,
                "head too large",
            ));
        }
        let line = &head[start..];
        if line == b"\r\n" || line == b"\n" {
            if start == 0 {
                head.clear();
                continue;
            }
            return Ok(Some(head));
        }
    }
}

fn serve(sock: TcpStream, handler: &Handler, stop: &AtomicBool, requests: &AtomicU64) {
    // Accepted sockets inherit the listener's non-blocking mode on some systems.
    let _ = sock.set_nonblocking(false);
    let _ = sock.set_read_timeout(Some(Duration::from_millis(100)));
    let _ = sock.set_write_timeout(Some(Duration::from_secs(5)));
    let _ = sock.set_nodelay(true);
    let Ok(write_half) = sock.try_clone() else {
        return;
    };
    let mut writer = write_half;
    let mut reader = BufReader::new(sock);
    loop {
        let head = match read_head(&mut reader, stop) {
            Ok(Some(h)) => h,
            _ => return,
        };
        let reply = match RawRequest::parse(&head) {
            Ok(req) => {
                let len = req
                    .header("content-length")
                    .and_then(|v| v.parse::<usize>().ok())
                    .unwrap_or(0);
                if len > MAX_BODY {
                    return;
                }
                let mut body = vec![0; len];
                let mut read = 0;
                while read < len {
                    match reader.read(&mut body[read..]) {
                        Ok(0) => return,
                        Ok(n) => read += n,
                        Err(e)
                            if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) =>
                        {
                            if stop.load(Ordering::Acquire) {
                                return;
                            }
                        }
                        Err(_) => return,
                    }
                }
                handler(&req, &body)
            }
            Err(e) => Reply::new(400, "Bad Request", e.to_string()),
        };
        requests.fetch_add(1, Ordering::Relaxed);
        let close = RawRequest::parse(&head)
            .ok()
            .and_then(|r| {
                r.header("connection")
                    .map(|v| v.eq_ignore_ascii_case("close"))
            })
            .unwrap_or(false);
        let mut out = format!("HTTP/1.1 {} {}\r\n", reply.status, reply.reason);
        for (n, v) in &reply.headers {
            out.push_str(&format!("{n}: {v}\r\n"));
        }
        out.push_str(&format!("Content-Length: {}\r\n", reply.body.len()));
        if close {
            out.push_str("Connection: close\r\n");
        }
        out.push_str("\r\n");
        let mut bytes = out.into_bytes();
        bytes.extend_from_slice(&reply.body);
        if writer
            .write_all(&bytes)
            .and_then(|()| writer.flush())
            .is_err()
            || close
        {
            return;
        }
    }
}
