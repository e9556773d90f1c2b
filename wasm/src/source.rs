//! The core's credential-source state machines (IMDS, container endpoint) behind one JS
//! handle. The JS host loops: `poll` says what to do (send a request, wait, read a file,
//! resolve a name, or done), the host does it with its own `fetch`/timers/files and reports the
//! outcome with a `handle_*` call. Every protocol rule is the core's.

use crate::credentials::{millis, timestamp, Credentials};
use crate::error::{self, ErrorInfo, Res};
use crate::pack::{self, Out};
use crate::prelude::*;
use core::time::Duration;
use sigfresh::refresh::Jitter;
use sigfresh::source::{
    ContainerConfig, ContainerSource, FileContents, HttpRequest, HttpResponse, ImdsConfig,
    ImdsSource, IoFailure, Outcome, Source, Step, TransportError, Url, V1Fallback,
};
use std::net::IpAddr;
use wasm_bindgen::prelude::*;

/// [`SourceMachine::poll`] results.
const SEND: u32 = 1;
const WAIT: u32 = 2;
const DONE: u32 = 3;
const FAILED: u32 = 4;
const READ_FILE: u32 = 5;
const RESOLVE: u32 = 6;
const RUN_PROCESS: u32 = 7;

fn io_failure(kind: &str, detail: String) -> IoFailure {
    match kind {
        "not-found" => IoFailure::NotFound,
        "permission-denied" => IoFailure::PermissionDenied,
        "timeout" => IoFailure::Timeout,
        _ => IoFailure::Other(detail),
    }
}

fn url(text: &str, what: &str) -> Result<Url, ErrorInfo> {
    Url::parse(text)
        .map_err(|e| ErrorInfo::argument("ERR_INVALID_ARG_VALUE", format!("{what}: {e}")))
}

fn timeout(ms: f64) -> Result<Duration, ErrorInfo> {
    if !ms.is_finite() || ms <= 0.0 {
        return Err(ErrorInfo::argument(
            "ERR_INVALID_ARG_VALUE",
            "timeoutMs must be a positive number of milliseconds",
        ));
    }
    Ok(Duration::from_millis(ms.ceil() as u64))
}

/// One credential source machine and the step it is on.
#[wasm_bindgen]
pub struct SourceMachine {
    inner: Box<dyn Source>,
    step: Option<Step>,
}

#[wasm_bindgen]
impl SourceMachine {
    /// The IMDS machine configured from an environment (NUL-packed `name\0value` items, e.g.
    /// `AWS_EC2_METADATA_SERVICE_ENDPOINT`) with optional overrides.
    pub fn imds(
        env: &str,
        endpoint: Option<String>,
        v1_disabled: Option<bool>,
        timeout_ms: Option<f64>,
        max_attempts: Option<u32>,
    ) -> Res<SourceMachine> {
        let pairs = pack::pairs(env);
        let mut config = ImdsConfig::from_env(&pairs, None).map_err(|e| error::source(&e))?;
        if let Some(e) = endpoint {
            config.endpoint = url(&e, "endpoint")?;
        }
        if let Some(off) = v1_disabled {
            config.v1_fallback = if off {
                V1Fallback::Disabled
            } else {
                V1Fallback::Allowed
            };
        }
        if let Some(t) = timeout_ms {
            config.timeout = timeout(t)?;
        }
        if let Some(n) = max_attempts {
            config.retry.max_attempts = n;
        }
        Ok(SourceMachine {
            inner: Box::new(ImdsSource::new(config)),
            step: None,
        })
    }

    /// The container-endpoint machine configured from an environment
    /// (`AWS_CONTAINER_CREDENTIALS_RELATIVE_URI`/`_FULL_URI`, `AWS_CONTAINER_AUTHORIZATION_TOKEN`
    /// /`_FILE`). `undefined` when no endpoint is configured.
    pub fn container(
        env: &str,
        timeout_ms: Option<f64>,
        max_attempts: Option<u32>,
    ) -> Res<Option<SourceMachine>> {
        let pairs = pack::pairs(env);
        let Some(mut config) = ContainerConfig::from_env(&pairs).map_err(|e| error::source(&e))?
        else {
            return Ok(None);
        };
        if let Some(t) = timeout_ms {
            config.timeout = timeout(t)?;
        }
        if let Some(n) = max_attempts {
            config.retry.max_attempts = n;
        }
        Ok(Some(SourceMachine {
            inner: Box::new(ContainerSource::new(config)),
            step: None,
        }))
    }

    /// Begins a fetch (`jitter` in `[0, 1)` from the host's RNG).
    pub fn start(&mut self, now_ms: f64, jitter: f64) -> Res<()> {
        self.step = None;
        self.inner
            .start(timestamp(now_ms, "now")?, Jitter::from_fraction(jitter));
        Ok(())
    }

    /// What to do next: 1 send (see `request_*`), 2 wait until `wait_until`, 3 done (take the
    /// credentials), 4 failed (take the error), 5 read the file `path`, 6 resolve `host`, 7 run
    /// a process (not supported by the JS host).
    pub fn poll(&mut self, now_ms: f64) -> Res<u32> {
        let step = self.inner.poll(timestamp(now_ms, "now")?);
        let kind = match &step {
            Step::Send(_) => SEND,
            Step::Wait(_) => WAIT,
            Step::Done(Ok(_)) => DONE,
            Step::Done(Err(_)) => FAILED,
            Step::ReadFile { .. } => READ_FILE,
            Step::Resolve { .. } => RESOLVE,
            _ => RUN_PROCESS,
        };
        self.step = Some(step);
        Ok(kind)
    }

    fn request(&self) -> Option<&HttpRequest> {
        match &self.step {
            Some(Step::Send(r)) => Some(r),
            _ => None,
        }
    }

    /// The request to send: method.
    pub fn request_method(&self) -> Option<String> {
        self.request().map(|r| r.method.as_str().to_owned())
    }
    /// The request to send: absolute URL.
    pub fn request_url(&self) -> Option<String> {
        self.request().map(|r| r.url.to_string())
    }
    /// The request to send: headers, NUL-packed name/value items in order.
    pub fn request_headers(&self) -> Option<String> {
        self.request().map(|r| {
            let mut o = Out::with_capacity(256);
            for (n, v) in &r.headers {
                o.item(n);
                o.item(v);
            }
            o.text
        })
    }
    /// The request to send: body bytes.
    pub fn request_body(&self) -> Option<Vec<u8>> {
        self.request().map(|r| r.body.clone())
    }
    /// The request to send: the whole exchange's timeout (ms).
    pub fn request_timeout_ms(&self) -> Option<f64> {
        self.request().map(|r| r.timeout.as_millis() as f64)
    }
    /// The request to send: the only addresses it may connect to (NUL-packed; empty: any).
    pub fn request_connect_to(&self) -> Option<String> {
        self.request().map(|r| {
            let mut o = Out::with_capacity(64);
            for ip in &r.connect_to {
                o.item(&ip.to_string());
            }
            o.text
        })
    }
    /// Until when to wait (epoch ms) for a wait step.
    pub fn wait_until(&self) -> Option<f64> {
        match &self.step {
            Some(Step::Wait(t)) => Some(millis(*t)),
            _ => None,
        }
    }
    /// The file to read (read-file step) or the host name to resolve (resolve step).
    pub fn target(&self) -> Option<String> {
        match &self.step {
            Some(Step::ReadFile { path }) => Some(path.clone()),
            Some(Step::Resolve { host }) => Some(host.clone()),
            _ => None,
        }
    }
    /// The credentials of a done step.
    pub fn take_credentials(&mut self) -> Option<Credentials> {
        match self.step.take() {
            Some(Step::Done(Ok(c))) => Some(Credentials::wrap(c)),
            other => {
                self.step = other;
                None
            }
        }
    }
    /// The error of a failed step, packed like every error.
    pub fn error(&self) -> Option<String> {
        match &self.step {
            Some(Step::Done(Err(e))) => Some(error::source(e).pack()),
            _ => None,
        }
    }
    /// Diagnostics of the current fetch (e.g. the IMDS hop-limit warning), NUL-packed.
    pub fn warnings(&self) -> String {
        let mut o = Out::with_capacity(128);
        for w in self.inner.warnings() {
            o.item(&w.to_string());
        }
        o.text
    }

    /// Reports the HTTP response to the last send step (`headers` NUL-packed).
    pub fn handle_response(
        &mut self,
        now_ms: f64,
        status: u16,
        headers: &str,
        body: Vec<u8>,
    ) -> Res<()> {
        let headers = pack::pairs(headers)
            .into_iter()
            .map(|(n, v)| (n.to_owned(), v.to_owned()))
            .collect();
        self.handle(
            now_ms,
            Outcome::Http(Ok(HttpResponse::new(status, headers, body))),
        )
    }
    /// Reports that the last send step got no response: `timeout`, `connect` or `io`.
    pub fn handle_transport_error(&mut self, now_ms: f64, kind: &str, detail: String) -> Res<()> {
        let e = match kind {
            "timeout" => TransportError::Timeout,
            "connect" => TransportError::Connect(detail),
            _ => TransportError::Io(detail),
        };
        self.handle(now_ms, Outcome::Http(Err(e)))
    }
    /// Reports the contents of the file of the last read-file step.
    pub fn handle_file(&mut self, now_ms: f64, bytes: Vec<u8>) -> Res<()> {
        self.handle(now_ms, Outcome::File(Ok(FileContents(bytes))))
    }
    /// Reports that the file could not be read: `not-found`, `permission-denied`, `timeout`,
    /// or anything else with `detail`.
    pub fn handle_file_error(&mut self, now_ms: f64, kind: &str, detail: String) -> Res<()> {
        self.handle(now_ms, Outcome::File(Err(io_failure(kind, detail))))
    }
    /// Reports the addresses (NUL-packed IP literals) of the last resolve step.
    pub fn handle_resolved(&mut self, now_ms: f64, addresses: &str) -> Res<()> {
        let mut ips = Vec::new();
        for a in addresses.split('\0').filter(|a| !a.is_empty()) {
            let ip: IpAddr = a.parse().map_err(|_| {
                ErrorInfo::argument(
                    "ERR_INVALID_ARG_VALUE",
                    format!("resolve returned {a:?}, which is not an IP address"),
                )
            })?;
            ips.push(ip);
        }
        self.handle(now_ms, Outcome::Resolved(Ok(ips)))
    }
    /// Reports that the name of the last resolve step could not be resolved.
    pub fn handle_resolve_error(&mut self, now_ms: f64, kind: &str, detail: String) -> Res<()> {
        self.handle(now_ms, Outcome::Resolved(Err(io_failure(kind, detail))))
    }
}

impl SourceMachine {
    fn handle(&mut self, now_ms: f64, outcome: Outcome) -> Res<()> {
        self.step = None;
        self.inner.handle(timestamp(now_ms, "now")?, outcome);
        Ok(())
    }
}
