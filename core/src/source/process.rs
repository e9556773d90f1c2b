//! `credential_process` (the host runs the command; its output is parsed by
//! [`crate::document::parse_process`]) and static credentials wrapped as a source.

use super::error::SourceError;
use super::{Outcome, Source, Step, Warning};
use crate::credentials::Credentials;
use crate::document::parse_process;
use crate::prelude::*;
use crate::refresh::Jitter;
use crate::time::Timestamp;
use core::fmt;

#[derive(Debug)]
enum State {
    Idle,
    Run,
    Finished(Result<Credentials, SourceError>),
}

/// Runs a profile's `credential_process` on every fetch ([`Step::RunProcess`]).
pub struct ProcessSource {
    profile: String,
    command: String,
    state: State,
}

impl fmt::Debug for ProcessSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The command line can carry secrets (a vault token as an argument): not printed.
        f.debug_struct("ProcessSource")
            .field("profile", &self.profile)
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}

impl ProcessSource {
    /// The `credential_process` `command` of `profile`.
    pub fn new(profile: impl Into<String>, command: impl Into<String>) -> Self {
        ProcessSource {
            profile: profile.into(),
            command: command.into(),
            state: State::Idle,
        }
    }
}

impl Source for ProcessSource {
    fn start(&mut self, _now: Timestamp, _jitter: Jitter) {
        self.state = State::Run;
    }

    fn poll(&mut self, _now: Timestamp) -> Step {
        match &self.state {
            State::Idle => Step::Done(Err(SourceError::NotStarted)),
            State::Run => Step::RunProcess {
                command: self.command.clone(),
            },
            State::Finished(r) => Step::Done(r.clone()),
        }
    }

    fn handle(&mut self, _now: Timestamp, outcome: Outcome) {
        let profile = self.profile.clone();
        let result = match (&self.state, outcome) {
            (State::Run, Outcome::Process(Err(error))) => Err(SourceError::Process {
                profile,
                exit_code: None,
                error: Some(error),
            }),
            (State::Run, Outcome::Process(Ok(out))) if out.exit_code != Some(0) => {
                Err(SourceError::Process {
                    profile,
                    exit_code: out.exit_code,
                    error: None,
                })
            }
            (State::Run, Outcome::Process(Ok(out))) => {
                parse_process(&out.stdout).map_err(|error| SourceError::Document {
                    exchange: super::Exchange::CredentialProcess,
                    error,
                })
            }
            _ => Err(SourceError::UnexpectedOutcome {
                expected: "the process output",
            }),
        };
        self.state = State::Finished(result);
    }

    fn warnings(&self) -> &[Warning] {
        &[]
    }
}

/// Credentials known up front (environment variables, a profile's static keys) as a source:
/// every fetch returns them at once.
#[derive(Debug, Clone)]
pub struct StaticSource {
    credentials: Credentials,
    started: bool,
}

impl StaticSource {
    /// A source that always yields `credentials`.
    pub fn new(credentials: Credentials) -> Self {
        StaticSource {
            credentials,
            started: false,
        }
    }
}

impl Source for StaticSource {
    fn start(&mut self, _now: Timestamp, _jitter: Jitter) {
        self.started = true;
    }
    fn poll(&mut self, _now: Timestamp) -> Step {
        if self.started {
            Step::Done(Ok(self.credentials.clone()))
        } else {
            Step::Done(Err(SourceError::NotStarted))
        }
    }
    fn handle(&mut self, _now: Timestamp, _outcome: Outcome) {}
    fn warnings(&self) -> &[Warning] {
        &[]
    }
}
