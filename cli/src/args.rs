//! A small argument cursor shared by every subcommand: `--name value` and `--name=value`,
//! positional arguments, and one-line usage errors.

use crate::{usage, Failure};
use std::str::FromStr;

/// The arguments after the subcommand name.
pub(crate) struct Args {
    items: Vec<String>,
    pos: usize,
    /// The value of a `--name=value` argument, until the option asks for it.
    pending: Option<(String, String)>,
}

impl Args {
    pub(crate) fn new(items: &[String]) -> Self {
        Args {
            items: items.to_vec(),
            pos: 0,
            pending: None,
        }
    }

    /// The next option or positional argument. `--name=value` comes back as `--name`, with the
    /// value kept for [`Args::value`]; an option that takes no value but was given one is a
    /// usage error.
    pub(crate) fn next_arg(&mut self) -> Result<Option<String>, Failure> {
        self.no_pending()?;
        let Some(item) = self.items.get(self.pos).cloned() else {
            return Ok(None);
        };
        self.pos += 1;
        if item.starts_with("--") {
            if let Some((name, value)) = item.split_once('=') {
                self.pending = Some((name.to_owned(), value.to_owned()));
                return Ok(Some(name.to_owned()));
            }
        }
        Ok(Some(item))
    }

    fn no_pending(&mut self) -> Result<(), Failure> {
        match self.pending.take() {
            Some((name, _)) => Err(usage(format!("{name} does not take a value"))),
            None => Ok(()),
        }
    }

    /// The value of option `name`: the text after `=`, or the next argument.
    pub(crate) fn value(&mut self, name: &str) -> Result<String, Failure> {
        if let Some((_, v)) = self.pending.take() {
            return Ok(v);
        }
        let v = self
            .items
            .get(self.pos)
            .cloned()
            .ok_or_else(|| usage(format!("{name} needs a value")))?;
        self.pos += 1;
        Ok(v)
    }

    /// The value of option `name` parsed as a number; `what` names the expected form.
    pub(crate) fn number<T: FromStr>(&mut self, name: &str, what: &str) -> Result<T, Failure> {
        let v = self.value(name)?;
        v.parse()
            .map_err(|_| usage(format!("{name} takes {what}, not {v:?}")))
    }

    /// Checks that no `--name=value` value was left unused.
    pub(crate) fn finish(&mut self) -> Result<(), Failure> {
        self.no_pending()
    }
}

/// The error for an option no subcommand knows.
pub(crate) fn unknown(arg: &str) -> Failure {
    usage(format!("unknown option {arg:?}"))
}

/// Whether `arg` looks like an option rather than a positional argument (`-` alone is stdin).
pub(crate) fn is_option(arg: &str) -> bool {
    arg.starts_with('-') && arg != "-"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(v: &[&str]) -> Args {
        Args::new(&v.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn equals_form_and_errors() {
        let mut a = args(&["--region=us-east-1", "x", "--query=1"]);
        assert_eq!(a.next_arg().ok().flatten().as_deref(), Some("--region"));
        assert_eq!(a.value("--region").ok().as_deref(), Some("us-east-1"));
        assert_eq!(a.next_arg().ok().flatten().as_deref(), Some("x"));
        assert_eq!(a.next_arg().ok().flatten().as_deref(), Some("--query"));
        // --query takes no value: the next call reports it.
        let e = a.next_arg().err().map(|f| f.message);
        assert_eq!(e.as_deref(), Some("--query does not take a value"));
        let mut b = args(&["--expires"]);
        assert!(b.next_arg().is_ok());
        assert!(b.number::<u32>("--expires", "seconds").is_err());
        let mut c = args(&["--expires", "ten"]);
        assert!(c.next_arg().is_ok());
        let e = c.number::<u32>("--expires", "a whole number of seconds");
        assert_eq!(
            e.err().map(|f| f.message).as_deref(),
            Some("--expires takes a whole number of seconds, not \"ten\"")
        );
    }
}
