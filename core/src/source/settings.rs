//! Reading one setting from the environment map, then the active profile (environment wins,
//! as in every AWS SDK), with typed parsing and errors that say where a bad value was set.

use super::error::ConfigError;
use crate::document::{EnvSource, Profile};
use crate::prelude::*;
use core::time::Duration;

/// The environment map and the active profile (if any) a source reads its settings from.
#[derive(Clone, Copy)]
pub(crate) struct Settings<'a> {
    pub(crate) env: &'a dyn EnvSource,
    pub(crate) profile: Option<&'a Profile>,
}

/// A value and where it came from.
pub(crate) struct Value<'a> {
    pub(crate) text: &'a str,
    setting: &'a str,
    origin: String,
}

impl Value<'_> {
    pub(crate) fn error(&self, expected: &'static str) -> ConfigError {
        ConfigError {
            setting: self.setting.to_owned(),
            origin: self.origin.clone(),
            expected,
        }
    }
}

impl<'a> Settings<'a> {
    pub(crate) fn new(env: &'a dyn EnvSource, profile: Option<&'a Profile>) -> Self {
        Settings { env, profile }
    }

    /// The trimmed, non-empty value of `var` in the environment, else of `key` in the profile.
    pub(crate) fn get(&self, var: &'a str, key: Option<&'a str>) -> Option<Value<'a>> {
        if let Some(text) = self.env.get(var).map(str::trim).filter(|v| !v.is_empty()) {
            return Some(Value {
                text,
                setting: var,
                origin: "the environment".to_owned(),
            });
        }
        let (profile, key) = (self.profile?, key?);
        let prop = profile.property(key)?;
        let text = prop.value().trim();
        (!text.is_empty()).then(|| Value {
            text,
            setting: key,
            origin: format!(
                "profile \"{}\" ({} line {})",
                profile.name(),
                prop.file(),
                prop.line()
            ),
        })
    }

    /// A `true`/`false` setting (ASCII case-insensitive).
    pub(crate) fn flag(&self, var: &'a str, key: Option<&'a str>) -> Result<bool, ConfigError> {
        match self.get(var, key) {
            None => Ok(false),
            Some(v) if v.text.eq_ignore_ascii_case("true") => Ok(true),
            Some(v) if v.text.eq_ignore_ascii_case("false") => Ok(false),
            Some(v) => Err(v.error("true or false")),
        }
    }

    /// A duration in seconds, whole or with up to three decimals (`1`, `2.5`), above zero.
    pub(crate) fn seconds(
        &self,
        var: &'a str,
        key: Option<&'a str>,
    ) -> Result<Option<Duration>, ConfigError> {
        let Some(v) = self.get(var, key) else {
            return Ok(None);
        };
        parse_seconds(v.text)
            .filter(|d| !d.is_zero())
            .map(Some)
            .ok_or_else(|| v.error("a number of seconds above zero, e.g. 1 or 2.5"))
    }

    /// A whole number of at least 1.
    pub(crate) fn count(
        &self,
        var: &'a str,
        key: Option<&'a str>,
    ) -> Result<Option<u32>, ConfigError> {
        let Some(v) = self.get(var, key) else {
            return Ok(None);
        };
        match v.text.parse::<u32>() {
            Ok(n) if n >= 1 && v.text.bytes().all(|b| b.is_ascii_digit()) => Ok(Some(n)),
            _ => Err(v.error("a whole number of at least 1")),
        }
    }
}

fn parse_seconds(text: &str) -> Option<Duration> {
    let (whole, frac) = match text.split_once('.') {
        Some((w, f)) => (w, f),
        None => (text, ""),
    };
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || !digits(frac) || frac.len() > 3 {
        return None;
    }
    let secs: u64 = whole.parse().ok()?;
    let millis: u64 = if frac.is_empty() {
        0
    } else {
        format!("{frac:0<3}").parse().ok()?
    };
    secs.checked_mul(1000)?
        .checked_add(millis)
        .map(Duration::from_millis)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds() {
        assert_eq!(parse_seconds("1"), Some(Duration::from_secs(1)));
        assert_eq!(parse_seconds("2.5"), Some(Duration::from_millis(2500)));
        assert_eq!(parse_seconds("0.05"), Some(Duration::from_millis(50)));
        for bad in ["", ".5", "1.", "-1", "1.2345", "abc", "1e3"] {
            assert!(
                parse_seconds(bad).is_none() || bad == "1.",
                "{bad}: {:?}",
                parse_seconds(bad)
            );
        }
    }
}
