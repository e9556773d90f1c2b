//! Finding, starting and stopping the IMDS emulators (AWS's amazon-ec2-metadata-mock, moto).
//! `tests/imds/install-emulator.sh` installs both under `target/imds-emulator/`.

use std::io::Write;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A running emulator; killed (by its own pid) when dropped.
pub struct Emulator {
    child: Child,
    pub port: u16,
    pub log: PathBuf,
}

impl Emulator {
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

fn on_path(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join(name))
            .find(|p| p.is_file())
    })
}

fn first_existing(var: &str, candidates: Vec<PathBuf>, name: &str) -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(var) {
        return Some(PathBuf::from(p));
    }
    candidates
        .into_iter()
        .find(|p| p.is_file())
        .or_else(|| on_path(name))
}

/// Where `tests/imds/install-emulator.sh` installs (`SIGFRESH_EMULATOR_DIR` overrides).
fn install_dir() -> PathBuf {
    std::env::var_os("SIGFRESH_EMULATOR_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target/imds-emulator"))
}

/// amazon-ec2-metadata-mock (its binary is called `ec2-metadata-mock`).
pub fn find_aemm() -> Option<PathBuf> {
    let mut c = vec![install_dir().join("bin/ec2-metadata-mock")];
    if let Some(home) = std::env::var_os("HOME") {
        c.push(PathBuf::from(home).join("go/bin/ec2-metadata-mock"));
    }
    first_existing("SIGFRESH_AEMM_BIN", c, "ec2-metadata-mock")
}

/// moto's server from the pinned venv (`moto[server]==5.1.4`), or `SIGFRESH_MOTO_SERVER`.
/// Not looked up on `PATH`: moto 5.2 and later implement the IMDSv2 token endpoint, so only a
/// pinned older moto is an IMDSv1-only emulator.
pub fn find_moto() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("SIGFRESH_MOTO_SERVER") {
        return Some(PathBuf::from(p));
    }
    Some(install_dir().join("moto-venv/bin/moto_server")).filter(|p| p.is_file())
}

/// The binary, or `None` after printing loudly why the test is skipped. Panics instead when
/// `SIGFRESH_REQUIRE_EMULATOR` is set (CI), so a missing install cannot pass silently.
pub fn require(what: &str, found: Option<PathBuf>) -> Option<PathBuf> {
    if found.is_some() {
        return found;
    }
    let msg = format!(
        "{what} is not installed; install it with tests/imds/install-emulator.sh \
         (or point SIGFRESH_AEMM_BIN / SIGFRESH_MOTO_SERVER at it)"
    );
    if std::env::var_os("SIGFRESH_REQUIRE_EMULATOR").is_some() {
        panic!("SIGFRESH_REQUIRE_EMULATOR is set but {msg}");
    }
    // Written straight to stderr, past the test harness's capture, so the skip is visible.
    let _ = writeln!(
        std::io::stderr(),
        "\n*** SKIPPED emulator test: {msg} ***\n"
    );
    None
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or(0)
}

/// Starts `bin` with `args(port)` and waits until it accepts connections on 127.0.0.1. If it
/// exits first (e.g. another test took the port in between), starts it again on another port.
pub fn start(bin: &Path, args: impl Fn(u16) -> Vec<String>) -> Emulator {
    for _ in 0..3 {
        if let Some(e) = try_start(bin, &args) {
            return e;
        }
    }
    panic!("{} exited at start three times", bin.display());
}

fn try_start(bin: &Path, args: &impl Fn(u16) -> Vec<String>) -> Option<Emulator> {
    let port = free_port();
    let log = std::env::temp_dir().join(format!("sigfresh-emulator-{port}.log"));
    let out = std::fs::File::create(&log).expect("create the emulator log");
    let err = out.try_clone().expect("clone the log handle");
    let child = Command::new(bin)
        .args(args(port))
        .current_dir(std::env::temp_dir())
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(err)
        .spawn()
        .unwrap_or_else(|e| panic!("could not start {}: {e}", bin.display()));
    let mut emulator = Emulator { child, port, log };
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    for _ in 0..300 {
        if let Ok(Some(_)) = emulator.child.try_wait() {
            return None;
        }
        if TcpStream::connect_timeout(&addr, Duration::from_millis(100)).is_ok() {
            return Some(emulator);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!(
        "{} did not listen on {addr} within 30 s; log: {}",
        bin.display(),
        emulator.log.display()
    );
}

/// amazon-ec2-metadata-mock with our config (role `sigfresh-test-role`, credentials expiring
/// in 2099); `imdsv2_only` adds `--imdsv2`.
pub fn start_aemm(bin: &Path, imdsv2_only: bool) -> Emulator {
    let config = workspace_root().join("tests/imds/aemm-config.json");
    start(bin, |port| {
        let mut a = vec![
            "--hostname".to_owned(),
            "127.0.0.1".to_owned(),
            "--port".to_owned(),
            port.to_string(),
            "--config-file".to_owned(),
            config.display().to_string(),
        ];
        if imdsv2_only {
            a.push("--imdsv2".to_owned());
        }
        a
    })
}

/// moto in server mode: IMDSv1 only (its token path is not implemented and answers 404).
pub fn start_moto(bin: &Path) -> Emulator {
    start(bin, |port| {
        vec![
            "-H".to_owned(),
            "127.0.0.1".to_owned(),
            "-p".to_owned(),
            port.to_string(),
        ]
    })
}
