//! `sigfresh`: the command-line host of the sigfresh core.
//!
//! This binary does the I/O the core plans (reading files, stdin, the clock, HTTP, processes)
//! and prints what the core decides. Every signing, refresh and classification rule lives in the
//! `sigfresh` crate; each subcommand is one module here.

mod args;
mod clock;
mod credentials;
mod creds;
mod curl;
mod demo;
mod explain;
mod host;
mod http;
mod presign;
mod rng;
mod sign;
mod verify;

use std::io::{Read, Write};
use std::process::ExitCode;

const MAIN_HELP: &str = "\
sigfresh — sign AWS requests with SigV4, keep credentials fresh, and explain what went wrong

USAGE:
    sigfresh <COMMAND> [OPTIONS]

COMMANDS:
    sign         Sign a raw HTTP/1.1 request read from a file or stdin
    presign      Print a presigned URL, and warn when it outlives the credentials
    verify       Check a signed request against credentials, with the precise reason
    explain      Say what an AWS error response means and how to fix it
    credentials  Resolve the default credential chain and say which source won and why
    curl         Sign and send a request, refreshing credentials and retrying once
    demo         Watch the ExpiredToken bug happen to a naive client, and not to sigfresh
    help         Show this help, or `sigfresh help <COMMAND>`

OPTIONS:
    -h, --help       Show help
    -V, --version    Show the version

Every command has --help with examples. Start with `sigfresh demo`.
";

/// A failure: a one-line message and the exit code (2 for usage errors).
pub(crate) struct Failure {
    pub(crate) message: String,
    pub(crate) code: u8,
}

/// A usage error (exit 2).
pub(crate) fn usage(message: impl Into<String>) -> Failure {
    Failure {
        message: message.into(),
        code: 2,
    }
}

/// A failure (exit 1).
pub(crate) fn fail(message: impl Into<String>) -> Failure {
    Failure {
        message: message.into(),
        code: 1,
    }
}

fn main() -> ExitCode {
    // A bug must still end in one line, not a backtrace.
    std::panic::set_hook(Box::new(|info| {
        let what = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        eprintln!("sigfresh: internal error: {}", one_line(&what));
    }));
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut stdout = std::io::stdout().lock();
    match run(&args, &mut stdout) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            let _ = stdout.flush();
            eprintln!("sigfresh: error: {}", one_line(&f.message));
            if f.code == 2 {
                eprintln!("Run `sigfresh --help` for usage.");
            }
            ExitCode::from(f.code)
        }
    }
}

/// The message on one line: control characters (newlines included) become spaces.
fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

pub(crate) fn write(out: &mut dyn Write, bytes: &[u8]) -> Result<(), Failure> {
    out.write_all(bytes)
        .and_then(|()| out.flush())
        .map_err(|e| fail(format!("cannot write output: {e}")))
}

fn help_for(command: &str) -> Option<String> {
    Some(match command {
        "sign" => sign::help(),
        "presign" => presign::help(),
        "verify" => verify::help(),
        "explain" => explain::HELP.to_owned(),
        "credentials" => credentials::HELP.to_owned(),
        "curl" => curl::help(),
        "demo" => demo::HELP.to_owned(),
        _ => return None,
    })
}

fn run(args: &[String], out: &mut dyn Write) -> Result<(), Failure> {
    let Some(command) = args.first().map(String::as_str) else {
        return write(out, MAIN_HELP.as_bytes());
    };
    let rest = &args[1..];
    match command {
        "-h" | "--help" => return write(out, MAIN_HELP.as_bytes()),
        "-V" | "--version" => {
            return write(out, format!("sigfresh {}\n", sigfresh::VERSION).as_bytes())
        }
        "help" => {
            return match rest.first() {
                None => write(out, MAIN_HELP.as_bytes()),
                Some(c) => match help_for(c) {
                    Some(h) => write(out, h.as_bytes()),
                    None => Err(usage(format!("no help for unknown command {c:?}"))),
                },
            }
        }
        _ => {}
    }
    let Some(help) = help_for(command) else {
        return Err(usage(format!("unknown command {command:?}")));
    };
    if rest.iter().any(|a| a == "-h" || a == "--help") {
        return write(out, help.as_bytes());
    }
    match command {
        "sign" => {
            let bytes = sign::run(rest)?;
            write(out, &bytes)
        }
        "presign" => presign::run(rest, out),
        "verify" => verify::run(rest, out),
        "explain" => explain::run(rest, out),
        "credentials" => credentials::run(rest, out),
        "curl" => curl::run(rest, out),
        _ => demo::run(rest, out),
    }
}

/// Reads a file, or stdin for `None` and `-`.
pub(crate) fn read_input(input: Option<&str>) -> Result<Vec<u8>, Failure> {
    let mut bytes = Vec::new();
    match input {
        None | Some("-") => {
            std::io::stdin()
                .read_to_end(&mut bytes)
                .map_err(|e| fail(format!("cannot read stdin: {e}")))?;
        }
        Some(path) => {
            bytes = std::fs::read(path).map_err(|e| fail(format!("cannot read {path}: {e}")))?;
        }
    }
    Ok(bytes)
}
