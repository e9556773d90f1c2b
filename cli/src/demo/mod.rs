//! `sigfresh demo`: the ExpiredToken bug, live. A local IMDS stand-in rotates 6-hour
//! credentials on a virtual clock; a local API verifies SigV4 and rejects expired session
//! tokens; a naive client that captured credentials once and a client on sigfresh's
//! `CredentialCache` run side by side for N simulated hours; a report counts what happened.

mod clients;
mod report;
mod server;
mod services;
mod sim;

use crate::args::{self, Args};
use crate::rng::Rng;
use crate::{clock, fail, usage, write, Failure};
use clients::{Api, Client, Counters, Creds, DemoHost, Fetcher, Fresh};
use report::{ClientSummary, Progress, Summary};
use server::Server;
use services::Imds;
use sigfresh::refresh::{CredentialCache, Jitter, RefreshPolicy};
use sigfresh::sigv4::{Signer, SigningSettings};
use sigfresh::source::drive;
use sigfresh::source::{ImdsConfig, ImdsSource, Url};
use sim::{Schedule, SimClock, START};
use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::Duration;

pub(crate) const HELP: &str = "\
sigfresh demo — watch the ExpiredToken bug happen, and not happen with sigfresh

USAGE:
    sigfresh demo [--hours N] [--threads N] [--seed N] [--json]

Starts two servers on 127.0.0.1 and two clients, all on one virtual clock that moves in
one-minute steps (simulated hours pass in seconds):

  * an IMDS stand-in (IMDSv2) serving 6-hour role credentials; a new set appears 5 to 15
    minutes before the old one expires, as on EC2;
  * an API that checks every request's SigV4 signature with sigfresh's verifier and, like AWS,
    answers 403 ExpiredToken (\"The security token included in the request is expired\") to
    requests signed with expired credentials;
  * a naive client that fetches credentials once at startup and signs with them forever, and a
    client on sigfresh's CredentialCache + ImdsSource, each with --threads threads sending
    a request every simulated minute.

Then it prints what happened: requests, ExpiredToken rejections (the naive client fails from
its credentials' expiry on; sigfresh's shows 0), refreshes (one per rotation), IMDS calls and
signing times. A progress bar runs on stderr when it is a terminal. Exits 1 if the sigfresh
client ever failed (that would be a bug). Nothing else needs to be installed or reachable.

OPTIONS:
    --hours N           Simulated hours to run, 1..168 (default 24)
    --threads N         Threads per client, 1..32 (default 8)
    --seed N            Seed for the rotation schedule and jitter (default 7)
    --per-minute N      Requests per thread per simulated minute, 1..60 (default 1)
    --json              Print the report as JSON
    --speed N           Simulated hours per real second; 0 = as fast as possible (default:
                        8 when the progress bar is shown, so it can be watched; else 0)
    --no-progress       No progress output on stderr

EXAMPLES:
    cargo run --release -p sigfresh-cli -- demo
    sigfresh demo --hours 13 --threads 4 --seed 42      # a few seconds: what CI runs
";

struct Options {
    hours: u32,
    threads: usize,
    seed: u64,
    per_minute: u32,
    json: bool,
    progress: bool,
    speed: Option<u32>,
}

fn parse(args: &[String]) -> Result<Options, Failure> {
    let mut o = Options {
        hours: 24,
        threads: 8,
        seed: 7,
        per_minute: 1,
        json: false,
        progress: true,
        speed: None,
    };
    let mut it = Args::new(args);
    while let Some(arg) = it.next_arg()? {
        match arg.as_str() {
            "--hours" => o.hours = it.number(&arg, "a whole number of hours")?,
            "--threads" => o.threads = it.number(&arg, "a number of threads")?,
            "--seed" => o.seed = it.number(&arg, "a whole number")?,
            "--per-minute" => o.per_minute = it.number(&arg, "a number of requests")?,
            "--json" => o.json = true,
            "--no-progress" => o.progress = false,
            "--speed" => o.speed = Some(it.number(&arg, "simulated hours per second")?),
            s if args::is_option(s) => return Err(args::unknown(s)),
            s => return Err(usage(format!("unexpected argument {s:?}"))),
        }
    }
    it.finish()?;
    if !(1..=168).contains(&o.hours) {
        return Err(usage(format!("--hours {}: use 1 to 168", o.hours)));
    }
    if !(1..=32).contains(&o.threads) {
        return Err(usage(format!("--threads {}: use 1 to 32", o.threads)));
    }
    if !(1..=60).contains(&o.per_minute) {
        return Err(usage(format!("--per-minute {}: use 1 to 60", o.per_minute)));
    }
    let requests = u64::from(o.hours) * 60 * 2 * o.threads as u64 * u64::from(o.per_minute);
    if requests > 5_000_000 {
        return Err(usage(format!(
            "{requests} requests would take too long: lower --hours, --threads or --per-minute"
        )));
    }
    Ok(o)
}

/// Lock-step coordination: the coordinator opens a step, every worker runs it and reports done.
struct Steps {
    state: Mutex<StepState>,
    changed: Condvar,
}

struct StepState {
    step: u64,
    done: usize,
    stop: bool,
}

impl Steps {
    fn lock(&self) -> std::sync::MutexGuard<'_, StepState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Worker: waits for a step after `seen`; false when stopping, or when no step came for
    /// two minutes (the coordinator is gone).
    fn next(&self, seen: &mut u64) -> bool {
        let mut s = self.lock();
        let since = clock::mono();
        while s.step == *seen && !s.stop {
            if clock::mono().duration_since(since) > Duration::from_secs(120) {
                return false;
            }
            let (next, _) = self
                .changed
                .wait_timeout(s, Duration::from_secs(1))
                .unwrap_or_else(PoisonError::into_inner);
            s = next;
        }
        *seen = s.step;
        !s.stop
    }

    fn done(&self) {
        self.lock().done += 1;
        self.changed.notify_all();
    }

    /// Coordinator: runs one step with `workers` workers; false if they stalled for a minute.
    fn run(&self, workers: usize) -> bool {
        let mut s = self.lock();
        s.step += 1;
        s.done = 0;
        self.changed.notify_all();
        while s.done < workers {
            let (next, timeout) = self
                .changed
                .wait_timeout(s, Duration::from_secs(60))
                .unwrap_or_else(PoisonError::into_inner);
            s = next;
            if timeout.timed_out() && s.done < workers {
                return false;
            }
        }
        true
    }

    fn stop(&self) {
        self.lock().stop = true;
        self.changed.notify_all();
    }
}

fn worker(
    client: &Client,
    api: &Api,
    clock: &SimClock,
    steps: &Steps,
    per_minute: u32,
    id: u64,
) -> Vec<u64> {
    let mut conn = None;
    let mut timings = Vec::new();
    let mut seen = 0;
    let mut n = id * 10_000_000;
    while steps.next(&mut seen) {
        let now = clock.now();
        for _ in 0..per_minute {
            n += 1;
            if let Some(t) = client.request(api, &mut conn, now, n) {
                timings.push(t);
            }
        }
        steps.done();
    }
    timings
}

/// Runs `sigfresh demo`.
pub(crate) fn run(args: &[String], out: &mut dyn Write) -> Result<(), Failure> {
    let o = parse(args)?;
    let schedule = Arc::new(Schedule::new(o.seed, o.hours));
    let clock = Arc::new(SimClock::new(START));
    let lifetime = Duration::from_secs(3600);
    let imds = Arc::new(Imds::new(schedule.clone(), clock.clone()));
    let imds_server = Server::start(Arc::new(move |req, _body| imds.handle(req)), lifetime)
        .map_err(|e| fail(format!("cannot start the IMDS stand-in: {e}")))?;
    let (sched, clk) = (schedule.clone(), clock.clone());
    let api_server = Server::start(
        Arc::new(move |req, body| services::api(&sched, &clk, req, body)),
        lifetime,
    )
    .map_err(|e| fail(format!("cannot start the API stand-in: {e}")))?;
    let imds_url = format!("http://{}", imds_server.addr);
    let base = format!("http://{}/", api_server.addr);
    let api_url = format!("http://{}", api_server.addr);

    let env = [("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds_url.as_str())];
    let config =
        ImdsConfig::from_env(&env, None).map_err(|e| fail(format!("IMDS settings: {e}")))?;
    // The naive client: credentials fetched once, at startup.
    let mut naive_host = DemoHost::new(clock.clone());
    let naive_creds = drive::fetch(
        &mut ImdsSource::new(config.clone()),
        &mut naive_host,
        Jitter::ZERO,
    )
    .map_err(|e| fail(format!("the IMDS stand-in did not answer: {e}")))?;
    let naive_expiry = naive_creds.expiry();
    let naive = Client {
        creds: Creds::Naive(naive_creds),
        counters: Counters::default(),
    };
    let fresh = Client {
        creds: Creds::Fresh(Box::new(Fresh {
            cache: CredentialCache::new(RefreshPolicy::default()),
            fetcher: Mutex::new(Fetcher {
                source: ImdsSource::new(config),
                host: DemoHost::new(clock.clone()),
                rng: Rng::new(o.seed ^ 0x5f_5f5f),
                leads_ms: Vec::new(),
            }),
        })),
        counters: Counters::default(),
    };
    let api = Api {
        url: Url::parse(&base).map_err(|e| fail(format!("API address: {e}")))?,
        base: base.clone(),
        signer: Signer::new("us-east-1", "demo", SigningSettings::default())
            .map_err(|e| fail(e.to_string()))?,
    };
    let steps = Steps {
        state: Mutex::new(StepState {
            step: 0,
            done: 0,
            stop: false,
        }),
        changed: Condvar::new(),
    };
    let minutes = u64::from(o.hours) * 60;
    let tty = o.progress && std::io::stderr().is_terminal();
    let mut progress = Progress::new(tty, minutes);
    let speed = o.speed.unwrap_or(if tty { 8 } else { 0 });
    let show_lines = o.progress;
    let started = clock::mono();
    let stalled = AtomicBool::new(false);
    let (naive_ns, fresh_ns) = std::thread::scope(|s| {
        let mut handles = Vec::new();
        for i in 0..2 * o.threads {
            let client = if i % 2 == 0 { &naive } else { &fresh };
            let (api, clock, steps) = (&api, &*clock, &steps);
            let spawned = std::thread::Builder::new()
                .name(format!("demo-client-{i}"))
                .spawn_scoped(s, move || {
                    worker(client, api, clock, steps, o.per_minute, i as u64)
                });
            if let Ok(h) = spawned {
                handles.push((i % 2 == 0, h));
            }
        }
        for minute in 0..minutes {
            clock.set(START.offset_millis(minute as i64 * 60_000));
            if !steps.run(handles.len()) {
                stalled.store(true, Ordering::Relaxed);
                break;
            }
            if show_lines {
                progress.update(minute + 1, &naive.counters, &fresh.counters);
            }
            if speed > 0 {
                // Pace the run so the bar can be watched: `speed` simulated hours per second.
                let due = Duration::from_millis((minute + 1) * 1000 / (60 * u64::from(speed)));
                let elapsed = clock::mono().duration_since(started);
                if let Some(rest) = due.checked_sub(elapsed) {
                    std::thread::sleep(rest);
                }
            }
        }
        steps.stop();
        let (mut a, mut b) = (Vec::new(), Vec::new());
        for (is_naive, h) in handles {
            let t = h.join().unwrap_or_default();
            if is_naive {
                a.extend(t)
            } else {
                b.extend(t)
            }
        }
        (a, b)
    });
    let real_ms = clock::mono().duration_since(started).as_millis();
    let (mut imds_server, mut api_server) = (imds_server, api_server);
    imds_server.stop();
    api_server.stop();
    if stalled.load(Ordering::Relaxed) {
        return Err(fail("the demo's clients stalled for a minute; stopped"));
    }
    let (fresh_calls, leads) = match &fresh.creds {
        Creds::Fresh(fresh) => {
            let f = fresh.fetcher.lock().unwrap_or_else(PoisonError::into_inner);
            (f.host.requests, f.leads_ms.clone())
        }
        Creds::Naive(_) => (0, Vec::new()),
    };
    let rotations = schedule
        .sets
        .windows(2)
        .filter(|w| w[1].issued > START && w[1].issued <= schedule.end)
        .map(|w| (w[1].issued, w[0].expires))
        .collect::<Vec<_>>();
    let summary = Summary {
        hours: o.hours,
        threads: o.threads,
        seed: o.seed,
        per_minute: o.per_minute,
        rotations,
        naive_expiry,
        naive: ClientSummary::new(&naive.counters, naive_host.requests, naive_ns, Vec::new()),
        fresh: ClientSummary::new(&fresh.counters, fresh_calls, fresh_ns, leads),
        real_ms,
        imds_url,
        api_url,
        imds_requests: imds_server.requests.load(Ordering::Relaxed),
        api_requests: api_server.requests.load(Ordering::Relaxed),
    };
    let text = if o.json {
        summary.json()
    } else {
        summary.text()
    };
    write(out, text.as_bytes())?;
    let f = &summary.fresh;
    if f.expired > 0 || f.other > 0 || f.refreshes != summary.rotations.len() as u64 {
        return Err(fail(format!(
            "the sigfresh client had {} ExpiredToken and {} other failures, and {} refreshes for \
             {} rotations: that is a bug",
            f.expired,
            f.other,
            f.refreshes,
            summary.rotations.len()
        )));
    }
    Ok(())
}
