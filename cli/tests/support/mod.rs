//! Shared by the CLI's integration tests: running the binary (with a controlled environment),
//! a small HTTP server on 127.0.0.1 with a scripted handler, an IMDS and a SigV4-verifying API
//! built on it, and the IMDS emulator helpers of the core's tests.
#![allow(dead_code)]

#[path = "../../../core/tests/support/emulator.rs"]
pub mod emulator;

use sigfresh::credentials::Credentials;
use sigfresh::raw_request::RawRequest;
use sigfresh::sigv4::{verify, Payload, SignableRequest, VerifySettings};
use sigfresh::time::Timestamp;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// The workspace root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A file of the vendored SigV4 suite.
pub fn suite(case: &str, ext: &str) -> PathBuf {
    let name = case.rsplit('/').next().unwrap();
    root()
        .join("tests/vectors/sigv4-suite")
        .join(case)
        .join(format!("{name}.{ext}"))
}

/// The wall clock (tests compare against what the binary signs with).
#[allow(clippy::disallowed_methods)] // tests act as the server's clock
pub fn now() -> Timestamp {
    Timestamp::from_system_time(std::time::SystemTime::now())
}

/// A fresh, empty directory for one test.
pub fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("sigfresh-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// How to run the binary.
pub struct Run<'a> {
    pub args: Vec<&'a str>,
    pub stdin: Option<&'a [u8]>,
    /// When set, the environment is cleared first and only these (plus PATH) are set.
    pub env: Option<Vec<(&'a str, String)>>,
    pub timeout: Duration,
}

impl<'a> Run<'a> {
    pub fn new(args: &[&'a str]) -> Self {
        Run {
            args: args.to_vec(),
            stdin: None,
            env: None,
            timeout: Duration::from_secs(60),
        }
    }
    pub fn stdin(mut self, s: &'a [u8]) -> Self {
        self.stdin = Some(s);
        self
    }
    /// A clean environment: HOME is `home`, IMDS is off unless `vars` turn it on.
    pub fn clean_env(mut self, home: &Path, vars: &[(&'a str, &str)]) -> Self {
        let mut env = vec![
            ("HOME", home.display().to_string()),
            ("AWS_EC2_METADATA_DISABLED", "true".to_owned()),
        ];
        for (k, v) in vars {
            env.retain(|(n, _)| n != k);
            env.push((k, (*v).to_owned()));
        }
        self.env = Some(env);
        self
    }
    pub fn timeout(mut self, t: Duration) -> Self {
        self.timeout = t;
        self
    }

    /// Runs it to the end (killed after the timeout).
    pub fn output(self) -> Output {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_sigfresh"));
        cmd.args(&self.args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        // Never the real default chain: no inherited AWS_* settings, and IMDS off (so no test
        // ever sends a request to 169.254.169.254) unless a test's environment turns it on.
        for (k, _) in std::env::vars_os() {
            if k.to_string_lossy().starts_with("AWS_") {
                cmd.env_remove(k);
            }
        }
        cmd.env("AWS_EC2_METADATA_DISABLED", "true");
        if let Some(env) = &self.env {
            cmd.env_clear();
            if let Some(p) = std::env::var_os("PATH") {
                cmd.env("PATH", p);
            }
            for (k, v) in env {
                cmd.env(k, v);
            }
        }
        let mut child = cmd.spawn().unwrap();
        if let Some(input) = self.stdin {
            // The binary may exit before reading stdin (usage errors): a closed pipe is fine.
            let _ = child.stdin.take().unwrap().write_all(input);
        }
        drop(child.stdin.take());
        let id = child.id();
        let done = Arc::new(AtomicBool::new(false));
        let d = done.clone();
        let timeout = self.timeout;
        let watchdog = std::thread::spawn(move || {
            let step = Duration::from_millis(50);
            let mut waited = Duration::ZERO;
            while waited < timeout {
                if d.load(Ordering::Acquire) {
                    return;
                }
                std::thread::sleep(step);
                waited += step;
            }
            if !d.load(Ordering::Acquire) {
                // Our own child, by its pid.
                let _ = Command::new("kill").arg(id.to_string()).status();
            }
        });
        let out = child.wait_with_output().unwrap();
        done.store(true, Ordering::Release);
        let _ = watchdog.join();
        out
    }
}

/// Runs the binary with these arguments and stdin, in the test's own environment.
pub fn run(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut r = Run::new(args);
    r.stdin = stdin;
    r.output()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A failed run's stderr must be one `sigfresh: error:` line (plus the usage hint for exit 2),
/// never a panic or backtrace.
pub fn assert_clean_error(o: &Output, code: i32, needle: &str) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(code), "exit code; stderr: {err}");
    assert!(err.starts_with("sigfresh: error: "), "{err}");
    assert!(err.contains(needle), "expected {needle:?} in {err}");
    assert!(
        !err.contains("panicked") && !err.contains("RUST_BACKTRACE"),
        "{err}"
    );
    let lines: Vec<&str> = err.lines().collect();
    let expected = if code == 2 { 2 } else { 1 };
    assert_eq!(lines.len(), expected, "one error line: {err}");
}

/// A request the test server received.
#[derive(Clone, Debug)]
pub struct Req {
    pub method: String,
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub head: Vec<u8>,
}

impl Req {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A response to send.
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn new(status: u16, body: impl Into<Vec<u8>>) -> Resp {
        Resp {
            status,
            headers: Vec::new(),
            body: body.into(),
        }
    }
    pub fn header(mut self, n: &str, v: impl Into<String>) -> Resp {
        self.headers.push((n.to_owned(), v.into()));
        self
    }
}

type Handler = dyn Fn(&Req, u64) -> Resp + Send + Sync;

/// An HTTP/1.1 server on 127.0.0.1 answering every request with `handler(request, index)` and
/// closing the connection. Stops when dropped, or by itself after two minutes.
pub struct TestServer {
    pub port: u16,
    pub log: Arc<Mutex<Vec<Req>>>,
    stop: Arc<AtomicBool>,
    handle: Option<JoinHandle<()>>,
}

impl TestServer {
    pub fn start(handler: impl Fn(&Req, u64) -> Resp + Send + Sync + 'static) -> TestServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let log = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let handler: Arc<Handler> = Arc::new(handler);
        let (l, s) = (log.clone(), stop.clone());
        let handle = std::thread::spawn(move || {
            let count = AtomicU64::new(0);
            for _ in 0..(120_000 / 5) {
                if s.load(Ordering::Acquire) {
                    return;
                }
                match listener.accept() {
                    Ok((sock, _)) => {
                        let n = count.fetch_add(1, Ordering::Relaxed);
                        serve(sock, &*handler, &l, n);
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        TestServer {
            port,
            log,
            stop,
            handle: Some(handle),
        }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn requests(&self) -> Vec<Req> {
        self.log.lock().unwrap().clone()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Release);
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}

fn serve(mut sock: TcpStream, handler: &Handler, log: &Mutex<Vec<Req>>, n: u64) {
    let _ = sock.set_nonblocking(false);
    let _ = sock.set_read_timeout(Some(Duration::from_secs(5)));
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(p) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break p + 4;
        }
        match sock.read(&mut chunk) {
            Ok(0) | Err(_) => return,
            Ok(k) => buf.extend_from_slice(&chunk[..k]),
        }
    };
    let head = buf[..head_end].to_vec();
    let parsed = RawRequest::parse(&head).unwrap();
    let len = parsed
        .header("content-length")
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(0);
    while buf.len() < head_end + len {
        match sock.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(k) => buf.extend_from_slice(&chunk[..k]),
        }
    }
    let req = Req {
        method: parsed.method.to_owned(),
        target: parsed.target.to_owned(),
        headers: parsed
            .headers
            .iter()
            .map(|(n, v)| ((*n).to_owned(), v.to_string()))
            .collect(),
        body: buf[head_end..].to_vec(),
        head,
    };
    let resp = handler(&req, n);
    log.lock().unwrap().push(req);
    let mut out = format!("HTTP/1.1 {} X\r\n", resp.status);
    for (k, v) in &resp.headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        resp.body.len()
    ));
    let _ = sock.write_all(out.as_bytes());
    let _ = sock.write_all(&resp.body);
}

/// The secret and token the test IMDS pairs with an access key id (so the API can verify).
pub fn creds_for(akid: &str) -> Credentials {
    Credentials::builder(akid, format!("secret-for-{akid}"))
        .session_token(format!("token-for-{akid}"))
        .build()
        .unwrap()
}

/// An IMDSv2 server handing out credentials valid `lifetime_secs`; each credentials request
/// gets a new set (`ASIATEST000000000001`, ...) when `rotate`, else always the first.
pub fn imds_server(lifetime_secs: i64, rotate: bool) -> TestServer {
    let sets = AtomicU64::new(0);
    TestServer::start(move |req, _| {
        let role = "/latest/meta-data/iam/security-credentials/";
        if req.target == "/latest/api/token" && req.method == "PUT" {
            return Resp::new(200, "test-imds-token")
                .header("x-aws-ec2-metadata-token-ttl-seconds", "21600");
        }
        if req.header("x-aws-ec2-metadata-token") != Some("test-imds-token") {
            return Resp::new(401, "");
        }
        match req.target.strip_prefix(role) {
            Some("") => Resp::new(200, "test-role"),
            Some("test-role") => {
                let n = if rotate {
                    sets.fetch_add(1, Ordering::Relaxed) + 1
                } else {
                    1
                };
                let akid = format!("ASIATEST{n:012}");
                let c = creds_for(&akid);
                let expires = Timestamp::from_unix_seconds(now().unix_seconds() + lifetime_secs);
                let doc = format!(
                    r#"{{"Code":"Success","LastUpdated":"{}","Type":"AWS-HMAC","AccessKeyId":"{akid}","SecretAccessKey":"{}","Token":"{}","Expiration":"{expires}"}}"#,
                    Timestamp::from_unix_seconds(now().unix_seconds()),
                    c.secret_access_key().expose_secret(),
                    c.session_token().unwrap().expose_secret()
                );
                Resp::new(200, doc)
            }
            _ => Resp::new(404, ""),
        }
    })
}

/// Verifies `req` as the API would at `at`, with `lookup` (the core's verifier).
pub fn verify_req(
    req: &Req,
    lookup: impl FnOnce(&str) -> Option<Credentials>,
    at: Timestamp,
) -> Result<String, sigfresh::sigv4::VerifyError> {
    let headers: Vec<(&str, &str)> = req
        .headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let signable = SignableRequest::new(
        &req.method,
        &req.target,
        &headers,
        Payload::Bytes(&req.body),
    );
    verify(&signable, lookup, at, &VerifySettings::default()).map(|v| v.access_key_id)
}

/// An AWS-style XML error body.
pub fn aws_error(code: &str, message: &str) -> String {
    format!(
        "<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error><RequestId>test</RequestId></ErrorResponse>"
    )
}
