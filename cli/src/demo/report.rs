//! The demo's live progress (a bar on a terminal, one line per simulated hour otherwise) and
//! its final report, as text or JSON.

use super::clients::Counters;
use super::sim::START;
use sigfresh::time::Timestamp;
use std::io::Write;
use std::sync::atomic::Ordering;

/// `+05:47`: a virtual time as hours and minutes since the start.
pub(crate) fn offset(t: Timestamp) -> String {
    let m = t.millis_since(START).max(0) / 60_000;
    format!("+{:02}:{:02}", m / 60, m % 60)
}

fn ns(v: u64) -> String {
    if v < 1_000 {
        format!("{v} ns")
    } else if v < 1_000_000 {
        format!("{:.1} µs", v as f64 / 1e3)
    } else {
        format!("{:.1} ms", v as f64 / 1e6)
    }
}

/// The `p`th percentile (nearest rank) of sorted values.
pub(crate) fn percentile(sorted: &[u64], p: usize) -> u64 {
    if sorted.is_empty() {
        return 0;
    }
    let rank = (p * sorted.len()).div_ceil(100).max(1);
    sorted[rank.min(sorted.len()) - 1]
}

/// One client's totals.
pub(crate) struct ClientSummary {
    pub(crate) sent: u64,
    pub(crate) ok: u64,
    pub(crate) expired: u64,
    pub(crate) other: u64,
    pub(crate) refreshes: u64,
    pub(crate) unchanged: u64,
    pub(crate) failed_fetches: u64,
    pub(crate) retries: u64,
    pub(crate) imds_calls: u64,
    pub(crate) first_expired: Option<Timestamp>,
    pub(crate) sign_p50_ns: u64,
    pub(crate) sign_p99_ns: u64,
    pub(crate) leads_ms: Vec<i64>,
}

impl ClientSummary {
    pub(crate) fn new(
        c: &Counters,
        imds_calls: u64,
        mut sign_ns: Vec<u64>,
        leads_ms: Vec<i64>,
    ) -> Self {
        sign_ns.sort_unstable();
        let first = c.first_expired.load(Ordering::Relaxed);
        ClientSummary {
            sent: c.sent.load(Ordering::Relaxed),
            ok: c.ok.load(Ordering::Relaxed),
            expired: c.expired.load(Ordering::Relaxed),
            other: c.other.load(Ordering::Relaxed),
            refreshes: c.installs.load(Ordering::Relaxed).saturating_sub(1),
            unchanged: c.unchanged.load(Ordering::Relaxed),
            failed_fetches: c.failed_fetches.load(Ordering::Relaxed),
            retries: c.retries.load(Ordering::Relaxed),
            imds_calls,
            first_expired: (first != i64::MAX).then(|| Timestamp::from_unix_millis(first)),
            sign_p50_ns: percentile(&sign_ns, 50),
            sign_p99_ns: percentile(&sign_ns, 99),
            leads_ms,
        }
    }

    fn json(&self) -> serde_json::Value {
        serde_json::json!({
            "requests": self.sent,
            "succeeded": self.ok,
            "expired_token_rejections": self.expired,
            "other_failures": self.other,
            "refreshes": self.refreshes,
            "unchanged_fetches": self.unchanged,
            "failed_fetches": self.failed_fetches,
            "retries": self.retries,
            "imds_calls": self.imds_calls,
            "first_expired_token_at": self.first_expired.map(|t| t.to_string()),
            "sign_p50_ns": self.sign_p50_ns,
            "sign_p99_ns": self.sign_p99_ns,
            "refreshed_before_expiry_secs": self.leads_ms.iter().map(|m| m / 1000).collect::<Vec<_>>(),
        })
    }
}

/// The whole run.
pub(crate) struct Summary {
    pub(crate) hours: u32,
    pub(crate) threads: usize,
    pub(crate) seed: u64,
    pub(crate) per_minute: u32,
    /// For each rotation: when the new set was published and when the old one expired.
    pub(crate) rotations: Vec<(Timestamp, Timestamp)>,
    /// When the naive client's captured credentials expired.
    pub(crate) naive_expiry: Option<Timestamp>,
    pub(crate) naive: ClientSummary,
    pub(crate) fresh: ClientSummary,
    pub(crate) real_ms: u128,
    pub(crate) imds_url: String,
    pub(crate) api_url: String,
    pub(crate) imds_requests: u64,
    pub(crate) api_requests: u64,
}

impl Summary {
    pub(crate) fn json(&self) -> String {
        let v = serde_json::json!({
            "hours": self.hours,
            "threads": self.threads,
            "seed": self.seed,
            "requests_per_thread_per_minute": self.per_minute,
            "rotations": self.rotations.len(),
            "rotation_times": self.rotations.iter().map(|(p, e)| serde_json::json!({
                "published": p.to_string(), "old_expired": e.to_string()})).collect::<Vec<_>>(),
            "naive_credentials_expired_at": self.naive_expiry.map(|t| t.to_string()),
            "naive": self.naive.json(),
            "sigfresh": self.fresh.json(),
            "imds_server_requests": self.imds_requests,
            "api_server_requests": self.api_requests,
            "real_seconds": self.real_ms as f64 / 1000.0,
        });
        let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
        s.push('\n');
        s
    }

    pub(crate) fn text(&self) -> String {
        let (n, f) = (&self.naive, &self.fresh);
        let mut t = String::new();
        let mut line = |s: String| {
            t.push_str(&s);
            t.push('\n');
        };
        line(format!(
            "sigfresh demo: {} simulated hours, {} threads per client, {} request(s) per thread per \
             simulated minute, seed {}",
            self.hours, self.threads, self.per_minute, self.seed
        ));
        line(format!(
            "  IMDS stand-in  {}  6-hour role credentials; each new set appears 5-15 min before \
             the old one expires",
            self.imds_url
        ));
        line(format!(
            "  API stand-in   {}  checks SigV4 with sigfresh::sigv4::verify; expired session \
             tokens get 403 ExpiredToken",
            self.api_url
        ));
        line(format!(
            "  clock          virtual, 1-minute steps shared by servers and clients: {} h ran in \
             {:.1} s",
            self.hours,
            self.real_ms as f64 / 1000.0
        ));
        line(String::new());
        line(format!(
            "  {:<28}{:>18}{:>20}",
            "", "naive client", "sigfresh client"
        ));
        line(format!(
            "  {:<28}{:>18}{:>20}",
            "", "(captures once)", "(CredentialCache)"
        ));
        let row = |name: &str, a: String, b: String| format!("  {name:<28}{a:>18}{b:>20}");
        line(row("requests sent", n.sent.to_string(), f.sent.to_string()));
        line(row("succeeded", n.ok.to_string(), f.ok.to_string()));
        line(row(
            "ExpiredToken rejections",
            n.expired.to_string(),
            f.expired.to_string(),
        ));
        line(row(
            "other failures",
            n.other.to_string(),
            f.other.to_string(),
        ));
        line(row(
            "refreshes performed",
            n.refreshes.to_string(),
            f.refreshes.to_string(),
        ));
        line(row(
            "IMDS calls",
            n.imds_calls.to_string(),
            f.imds_calls.to_string(),
        ));
        line(row(
            "signing time p50",
            ns(n.sign_p50_ns),
            ns(f.sign_p50_ns),
        ));
        line(row(
            "signing time p99",
            ns(n.sign_p99_ns),
            ns(f.sign_p99_ns),
        ));
        line(
            "  (signing time: SigV4 signing, plus the cache lookup for sigfresh; requests that \
             performed a refresh are left out)"
                .into(),
        );
        line(String::new());
        let published: Vec<String> = self.rotations.iter().map(|(p, _)| offset(*p)).collect();
        let leads: Vec<i64> = self
            .rotations
            .iter()
            .map(|(p, e)| e.millis_since(*p) / 60_000)
            .collect();
        let lead = match (leads.iter().min(), leads.iter().max()) {
            (Some(lo), Some(hi)) if lo == hi => format!(" ({lo} min before the old set expired)"),
            (Some(lo), Some(hi)) => format!(" (each {lo}-{hi} min before the old set expired)"),
            _ => String::new(),
        };
        line(format!(
            "  rotations: {}{}{lead}",
            self.rotations.len(),
            if published.is_empty() {
                String::new()
            } else {
                format!(", new credentials published at {}", published.join(", "))
            }
        ));
        match (n.first_expired, self.naive_expiry) {
            (Some(first), Some(exp)) => line(format!(
                "  naive client: its credentials expired at {}; every request from {} on got \
                 ExpiredToken ({} of {})",
                offset(exp),
                offset(first),
                n.expired,
                n.sent
            )),
            _ => line("  naive client: its credentials outlived the run (try more --hours)".into()),
        }
        let leads: Vec<i64> = f.leads_ms.iter().map(|m| m / 60_000).collect();
        let lead_text = match (leads.iter().min(), leads.iter().max()) {
            (Some(lo), Some(hi)) if lo == hi => format!(", each {lo} min before expiry"),
            (Some(lo), Some(hi)) => format!(", each {lo}-{hi} min before expiry"),
            _ => String::new(),
        };
        let early = match f.unchanged {
            0 => String::new(),
            u => format!(" ({u} IMDS answer(s) were still the old set: asked before it rotated)"),
        };
        line(format!(
            "  sigfresh client: {} refresh(es) for {} rotation(s){lead_text}; {} ExpiredToken{early}",
            f.refreshes,
            self.rotations.len(),
            f.expired,
        ));
        t
    }
}

/// Progress on stderr: a redrawn bar on a terminal, a line per simulated hour otherwise.
pub(crate) struct Progress {
    tty: bool,
    total: u64,
    last_drawn: u64,
}

impl Progress {
    pub(crate) fn new(tty: bool, total_minutes: u64) -> Progress {
        Progress {
            tty,
            total: total_minutes.max(1),
            last_drawn: u64::MAX,
        }
    }

    pub(crate) fn update(&mut self, minute: u64, naive: &Counters, fresh: &Counters) {
        let load = |c: &Counters| {
            (
                c.sent.load(Ordering::Relaxed),
                c.expired.load(Ordering::Relaxed),
                c.installs.load(Ordering::Relaxed).saturating_sub(1),
            )
        };
        let ((ns, ne, _), (fs, fe, fr)) = (load(naive), load(fresh));
        let mut err = std::io::stderr().lock();
        if self.tty {
            let width = 30u64;
            let filled = minute * width / self.total;
            if filled == self.last_drawn && minute != self.total {
                return;
            }
            self.last_drawn = filled;
            let bar: String = (0..width)
                .map(|i| if i < filled { '#' } else { '.' })
                .collect();
            let _ = write!(
                err,
                "\r[{bar}] {:>3}h/{}h  naive: {ns} sent, {ne} ExpiredToken | sigfresh: {fs} \
                 sent, {fe} ExpiredToken, {fr} refreshes ",
                minute / 60,
                self.total / 60
            );
            if minute == self.total {
                let _ = writeln!(err);
            }
        } else if minute.is_multiple_of(60) && minute > 0 {
            let _ = writeln!(
                err,
                "hour {:>3}/{}: naive {ns} sent, {ne} ExpiredToken | sigfresh {fs} sent, {fe} \
                 ExpiredToken, {fr} refreshes",
                minute / 60,
                self.total / 60
            );
        }
        let _ = err.flush();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_and_offsets() {
        let v: Vec<u64> = (1..=100).collect();
        assert_eq!(percentile(&v, 50), 50);
        assert_eq!(percentile(&v, 99), 99);
        assert_eq!(percentile(&[7], 99), 7);
        assert_eq!(percentile(&[], 50), 0);
        assert_eq!(offset(START.offset_millis(347 * 60_000)), "+05:47");
        assert_eq!(ns(2_950), "3.0 µs");
    }
}
