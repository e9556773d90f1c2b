//! The demo's simulated world: a shared virtual clock and the IMDS credential schedule.
//!
//! The clock moves in one-minute steps that the coordinator sets; servers and clients all read
//! it, and it stands still while a step's requests are in flight, so a loaded machine changes
//! how long the demo takes, never what it counts.

use crate::rng::Rng;
use sigfresh::credentials::{CredentialSource, Credentials};
use sigfresh::time::Timestamp;
use std::sync::atomic::{AtomicI64, Ordering};

/// Credentials last this long.
pub(crate) const LIFETIME_MS: i64 = 6 * 3_600_000;
/// The simulated start: 2025-06-01T00:00:00Z.
pub(crate) const START: Timestamp = Timestamp::from_unix_seconds(1_748_736_000);

/// The virtual clock shared by the servers and the clients.
#[derive(Debug)]
pub(crate) struct SimClock(AtomicI64);

impl SimClock {
    pub(crate) fn new(at: Timestamp) -> Self {
        SimClock(AtomicI64::new(at.unix_millis()))
    }
    pub(crate) fn now(&self) -> Timestamp {
        Timestamp::from_unix_millis(self.0.load(Ordering::Acquire))
    }
    pub(crate) fn set(&self, t: Timestamp) {
        self.0.store(t.unix_millis(), Ordering::Release);
    }
}

/// One set of role credentials the IMDS stand-in hands out.
pub(crate) struct CredSet {
    pub(crate) issued: Timestamp,
    pub(crate) expires: Timestamp,
    pub(crate) credentials: Credentials,
}

/// Every credential set of the run, in issue order.
pub(crate) struct Schedule {
    pub(crate) sets: Vec<CredSet>,
    pub(crate) end: Timestamp,
}

const UPPER: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn draw_times(rng: &mut Rng, end: Timestamp) -> Vec<(Timestamp, Timestamp)> {
    // The first set was issued 15 min to 5 h 45 min before the start.
    let age = 15 * 60_000 + rng.below(330 * 60) as i64 * 1000;
    let mut issued = START.offset_millis(-age);
    let mut times = Vec::new();
    while issued <= end.offset_millis(LIFETIME_MS) {
        let expires = issued.offset_millis(LIFETIME_MS);
        times.push((issued, expires));
        // The next set appears 5 to 15 minutes before this one expires (on whole seconds).
        let lead = 300_000 + rng.below(600) as i64 * 1000;
        issued = expires.offset_millis(-lead);
    }
    times
}

impl Schedule {
    /// The schedule for `seed` over `hours`. The draw is repeated (deterministically) until no
    /// set expires in the 20 minutes after the end, so the run never stops in the middle of a
    /// rotation and "one refresh per rotation" is an exact count.
    pub(crate) fn new(seed: u64, hours: u32) -> Schedule {
        let end = START.offset_millis(i64::from(hours) * 3_600_000);
        let mut rng = Rng::new(seed);
        let mut times = draw_times(&mut rng, end);
        for _ in 0..64 {
            let clean = times
                .iter()
                .all(|&(_, e)| e <= end || e > end.offset_millis(20 * 60_000));
            if clean {
                break;
            }
            times = draw_times(&mut rng, end);
        }
        let sets = times
            .into_iter()
            .filter_map(|(issued, expires)| {
                let akid = format!("ASIA{}", rng.string(UPPER, 16));
                let secret = rng.string(B64, 40);
                let token = format!("IQoJb3JpZ2luX2Vj{}", rng.string(B64, 120));
                let credentials = Credentials::builder(akid, secret)
                    .session_token(token)
                    .expiry(expires)
                    .source(CredentialSource::InstanceMetadata)
                    .build()
                    .ok()?;
                Some(CredSet {
                    issued,
                    expires,
                    credentials,
                })
            })
            .collect();
        Schedule { sets, end }
    }

    /// The set IMDS hands out at `now`: the newest one issued.
    pub(crate) fn current(&self, now: Timestamp) -> Option<&CredSet> {
        self.sets.iter().rev().find(|s| s.issued <= now)
    }

    /// The set with access key id `akid`.
    pub(crate) fn by_akid(&self, akid: &str) -> Option<&CredSet> {
        self.sets
            .iter()
            .find(|s| s.credentials.access_key_id().as_str() == akid)
    }

    /// Sets published during the run (after the one current at the start).
    #[cfg(test)]
    pub(crate) fn rotations(&self) -> Vec<&CredSet> {
        self.sets
            .iter()
            .filter(|s| s.issued > START && s.issued <= self.end)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedules_are_deterministic_and_well_formed() {
        for seed in 0..50 {
            let s = Schedule::new(seed, 13);
            let again = Schedule::new(seed, 13);
            assert_eq!(s.sets.len(), again.sets.len());
            let first = s.current(START).map(|c| c.expires);
            assert!(first.is_some_and(|e| e > START.offset_millis(15 * 60_000 - 1)));
            for w in s.sets.windows(2) {
                let lead = w[0].expires.millis_since(w[1].issued);
                assert!((300_000..=900_000).contains(&lead), "lead {lead}");
            }
            // 13 hours always see two or three rotations.
            assert!((2..=3).contains(&s.rotations().len()), "seed {seed}");
        }
    }
}
