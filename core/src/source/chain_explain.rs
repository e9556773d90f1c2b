//! What the default chain decided and why, as data ([`Explanation`]) and as text (`Display`).

use super::error::SourceError;
use super::{SourceKind, Warning};
use crate::prelude::*;
use crate::time::Timestamp;
use core::fmt;

/// Whether the chosen source's credentials are refreshed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Refreshes {
    /// Each refresh fetches anew (temporary credentials from a live source).
    Yes,
    /// The credentials are fixed (environment variables, a profile's static keys): a refresh
    /// returns the same values.
    Never,
}

/// What the planner concluded about one source.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum EntryStatus {
    /// Not configured; the text says which settings are missing.
    Skipped(String),
    /// Configured but unusable (a malformed setting, a refused URL); the chain went on.
    Failed(SourceError),
    /// The chain uses this source.
    Selected {
        /// Whether it refreshes.
        refreshes: Refreshes,
        /// What exactly (e.g. `static keys`, `AssumeRole arn:...`).
        detail: String,
    },
    /// After the selected source: never consulted.
    NotReached,
}

/// One source of the chain and its status.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct PlanEntry {
    /// The source.
    pub kind: SourceKind,
    /// What the planner concluded.
    pub status: EntryStatus,
}

/// How the last fetch of the chosen source went.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum FetchOutcome {
    /// No fetch has finished yet.
    NotFetched,
    /// Credentials were obtained.
    Succeeded {
        /// Their expiry, if they have one.
        expires_at: Option<Timestamp>,
    },
    /// The fetch failed.
    Failed(SourceError),
}

/// Which source wins, why each earlier one was skipped or failed, whether the winner refreshes,
/// when its credentials expire, and warnings for the classic traps.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Explanation {
    /// Every source, in AWS order.
    pub entries: Vec<PlanEntry>,
    /// The last fetch, when the explanation comes from a [`super::ChainSource`].
    pub fetch: FetchOutcome,
    /// Warnings from planning and from the last fetch.
    pub warnings: Vec<Warning>,
}

impl Explanation {
    /// The selected source, if any.
    pub fn winner(&self) -> Option<&SourceKind> {
        self.entries
            .iter()
            .find(|e| matches!(e.status, EntryStatus::Selected { .. }))
            .map(|e| &e.kind)
    }

    /// Whether the selected source refreshes.
    pub fn refreshes(&self) -> Option<Refreshes> {
        self.entries.iter().find_map(|e| match e.status {
            EntryStatus::Selected { refreshes, .. } => Some(refreshes),
            _ => None,
        })
    }

    /// When the credentials of the last successful fetch expire.
    pub fn expires_at(&self) -> Option<Timestamp> {
        match self.fetch {
            FetchOutcome::Succeeded { expires_at } => expires_at,
            _ => None,
        }
    }
}

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.winner() {
            Some(w) => writeln!(f, "credentials come from {w}")?,
            None => writeln!(f, "no credential source is configured")?,
        }
        for (i, e) in self.entries.iter().enumerate() {
            write!(f, "  {}. {}: ", i + 1, e.kind)?;
            match &e.status {
                EntryStatus::Skipped(why) => writeln!(f, "skipped: {why}")?,
                EntryStatus::Failed(err) => writeln!(f, "FAILED: {err}")?,
                EntryStatus::Selected { refreshes, detail } => {
                    let r = match refreshes {
                        Refreshes::Yes => "refreshes before expiry",
                        Refreshes::Never => "never refreshes",
                    };
                    writeln!(f, "SELECTED ({detail}; {r})")?
                }
                EntryStatus::NotReached => writeln!(f, "not consulted")?,
            }
        }
        match &self.fetch {
            FetchOutcome::NotFetched => {}
            FetchOutcome::Succeeded {
                expires_at: Some(t),
            } => writeln!(f, "credentials expire at {t}")?,
            FetchOutcome::Succeeded { expires_at: None } => {
                writeln!(f, "credentials have no expiry")?
            }
            FetchOutcome::Failed(e) => writeln!(f, "the last fetch failed: {e}")?,
        }
        for w in &self.warnings {
            writeln!(f, "warning: {w}")?;
        }
        Ok(())
    }
}
