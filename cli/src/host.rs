//! The CLI as the core's host: the process environment, the shared config files, and a
//! [`BlockingHost`] that performs the source machines' steps with real I/O.

use crate::{clock, fail, http, Failure};
use sigfresh::skew::ClockSkew;
use sigfresh::source::drive::BlockingHost;
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

fn home(env: &HashMap<String, String>) -> Option<PathBuf> {
    let var = if cfg!(windows) { "USERPROFILE" } else { "HOME" };
    env.get(var)
        .or_else(|| env.get("HOME"))
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
}

/// Where the shared credentials (`AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/credentials`) or
/// config (`AWS_CONFIG_FILE`, else `~/.aws/config`) file is, as the AWS SDKs look for it
/// (a leading `~/` in the variable is the home directory).
fn shared_path(env: &HashMap<String, String>, var: &str, default: &str) -> Option<PathBuf> {
    match env.get(var).map(|v| v.trim()).filter(|v| !v.is_empty()) {
        Some(v) => match v.strip_prefix("~/").or_else(|| v.strip_prefix("~\\")) {
            Some(rest) => home(env).map(|h| h.join(rest)),
            None => Some(PathBuf::from(v)),
        },
        None => home(env).map(|h| h.join(".aws").join(default)),
    }
}

fn read_shared(path: Option<PathBuf>) -> Result<SharedFile, Failure> {
    let Some(p) = path else {
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
    Ok((
        read_shared(shared_path(
            env,
            "AWS_SHARED_CREDENTIALS_FILE",
            "credentials",
        ))?,
        read_shared(shared_path(env, "AWS_CONFIG_FILE", "config"))?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_paths_follow_the_sdks() {
        let mut env = HashMap::new();
        env.insert("HOME".to_owned(), "/home/u".to_owned());
        assert_eq!(
            shared_path(&env, "AWS_CONFIG_FILE", "config"),
            Some(PathBuf::from("/home/u/.aws/config"))
        );
        env.insert("AWS_CONFIG_FILE".to_owned(), "~/x/cfg".to_owned());
        assert_eq!(
            shared_path(&env, "AWS_CONFIG_FILE", "config"),
            Some(PathBuf::from("/home/u/x/cfg"))
        );
        env.insert("AWS_CONFIG_FILE".to_owned(), "/etc/aws".to_owned());
        assert_eq!(
            shared_path(&env, "AWS_CONFIG_FILE", "config"),
            Some(PathBuf::from("/etc/aws"))
        );
    }
}
