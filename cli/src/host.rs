//! The CLI as the core's host: the process environment, the shared config files, and a
//! [`BlockingHost`] that performs the source machines' steps with real I/O.

use crate::{clock, fail, http, Failure};
use sigfresh::skew::ClockSkew;
use sigfresh::source::drive::BlockingHost;
use sigfresh::source::shared::{shared_file_paths, HostOs};
use sigfresh::source::TransportError;
use sigfresh::source::{FileContents, HttpRequest, HttpResponse, IoFailure, ProcessOutput};
use sigfresh::time::Timestamp;
use std::collections::HashMap;
use std::io::ErrorKind;
use std::net::{IpAddr, ToSocketAddrs};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// The host for the credential sources: wall clock (corrected by `skew` when given),
/// `std::net`/rustls HTTP, `std::fs`, `sh -c`, the system resolver.
#[derive(Default)]
pub(crate) struct RealHost {
    /// The server clock offset to apply, when the caller tracks one.
    pub(crate) skew: Option<Arc<ClockSkew>>,
    /// HTTP requests sent so far.
    pub(crate) requests: u64,
}

fn io_failure(e: &std::io::Error) -> IoFailure {
    match e.kind() {
        ErrorKind::NotFound => IoFailure::NotFound,
        ErrorKind::PermissionDenied => IoFailure::PermissionDenied,
        ErrorKind::TimedOut => IoFailure::Timeout,
        _ => IoFailure::Other(e.to_string()),
    }
}

impl BlockingHost for RealHost {
    fn now(&mut self) -> Timestamp {
        let wall = clock::wall();
        match &self.skew {
            Some(s) => s.corrected(wall),
            None => wall,
        }
    }

    fn sleep_until(&mut self, until: Timestamp) {
        if let Some(d) = until.duration_since(self.now()) {
            std::thread::sleep(d.min(Duration::from_secs(300)));
        }
    }

    fn send(&mut self, request: &HttpRequest) -> Result<HttpResponse, TransportError> {
        self.requests += 1;
        http::send(request)
    }

    fn read_file(&mut self, path: &str) -> Result<FileContents, IoFailure> {
        std::fs::read(path)
            .map(FileContents)
            .map_err(|e| io_failure(&e))
    }

    fn run_process(&mut self, command: &str) -> Result<ProcessOutput, IoFailure> {
        let (shell, flag) = if cfg!(windows) {
            ("cmd.exe", "/C")
        } else {
            ("sh", "-c")
        };
        let out = std::process::Command::new(shell)
            .arg(flag)
            .arg(command)
            .stdin(std::process::Stdio::null())
            .stderr(std::process::Stdio::inherit())
            .output()
            .map_err(|e| io_failure(&e))?;
        Ok(ProcessOutput::new(out.status.code(), out.stdout))
    }

    fn resolve(&mut self, host: &str) -> Result<Vec<IpAddr>, IoFailure> {
        (host, 0)
            .to_socket_addrs()
            .map(|a| a.map(|s| s.ip()).collect())
            .map_err(|e| IoFailure::Other(e.to_string()))
    }
}

/// The process environment as a map for the core (variables that are not UTF-8 are left out:
/// none of the AWS settings can be).
pub(crate) fn environment() -> HashMap<String, String> {
    std::env::vars_os()
        .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
        .collect()
}

/// One shared file: where it is and, when it exists, its text.
pub(crate) struct SharedFile {
    pub(crate) path: Option<PathBuf>,
    pub(crate) text: Option<String>,
}

/// The core's rule for the host this binary runs on.
fn host_os() -> HostOs {
    if cfg!(windows) {
        HostOs::Windows
    } else {
        HostOs::Unix
    }
}

fn read_shared(path: Option<String>) -> Result<SharedFile, Failure> {
    let Some(p) = path.map(PathBuf::from) else {
        return Ok(SharedFile {
            path: None,
            text: None,
        });
    };
    let text = match std::fs::read(&p) {
        Ok(bytes) => Some(String::from_utf8(bytes).map_err(|e| {
            fail(format!(
                "{} is not UTF-8 (byte {})",
                p.display(),
                e.utf8_error().valid_up_to()
            ))
        })?),
        Err(e) if e.kind() == ErrorKind::NotFound => None,
        Err(e) => return Err(fail(format!("cannot read {}: {e}", p.display()))),
    };
    Ok(SharedFile {
        path: Some(p),
        text,
    })
}

/// The shared credentials file and config file.
pub(crate) fn shared_files(
    env: &HashMap<String, String>,
) -> Result<(SharedFile, SharedFile), Failure> {
    let paths = shared_file_paths(env, host_os());
    Ok((read_shared(paths.credentials)?, read_shared(paths.config)?))
}
