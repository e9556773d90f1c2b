//! The text formats [`parse_any`](super::parse_any) recognises besides JSON and XML:
//! environment variable lines and shared credentials/config files.
//!
//! - **Environment lines**: `NAME=value`, optionally prefixed with `export ` (as
//!   `aws configure export-credentials --format env` and `env`-style dumps print them). A value
//!   may be wrapped in double quotes (in which `\"`, `\\`, `\$` and `` \` `` are unescaped) or
//!   single quotes (taken literally); an unquoted value is trimmed. Blank lines, `#` comments
//!   and lines that are not assignments are skipped. The text is this format when it assigns
//!   `AWS_ACCESS_KEY_ID` or `AWS_SECRET_ACCESS_KEY`; the pairs then go to
//!   [`parse_env`](super::parse_env).
//! - **Profile files**: the first line that is not blank and not a `#`/`;` comment opens a
//!   section (`[...]`). The profile is looked up as a credentials-file section (`[name]`)
//!   first, then as a config-file one (`[profile name]`, `[default]`), and must hold static
//!   keys (`aws_access_key_id`, `aws_secret_access_key`).

use super::{parse_env, DocumentError, DocumentFormat, ProfileSet};
use crate::credentials::Credentials;
use crate::prelude::*;

/// What the text looks like, before it is parsed.
pub(super) enum TextKind {
    Environment(Vec<(String, String)>),
    Profiles,
}

/// `Some` when `text` is environment lines or a profile file.
pub(super) fn detect(text: &str) -> Option<TextKind> {
    let first = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with(';'))?;
    if first.starts_with('[') {
        return Some(TextKind::Profiles);
    }
    let pairs = env_lines(text);
    pairs
        .iter()
        .any(|(k, _)| k == super::env::ACCESS_KEY_ID || k == super::env::SECRET_ACCESS_KEY)
        .then_some(TextKind::Environment(pairs))
}

/// The `NAME=value` assignments of `text`, in order (see the module docs).
pub(super) fn env_lines(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        let line = line
            .strip_prefix("export")
            .filter(|rest| rest.starts_with([' ', '\t']))
            .map_or(line, str::trim_start);
        let Some((name, value)) = line.split_once('=') else {
            continue;
        };
        let valid_name = !name.is_empty()
            && !name.starts_with(|c: char| c.is_ascii_digit())
            && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
        if valid_name {
            out.push((name.to_owned(), unquote(value.trim())));
        }
    }
    out
}

fn unquote(v: &str) -> String {
    if let Some(inner) = v.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')) {
        return inner.to_owned();
    }
    let Some(inner) = v.strip_prefix('"').and_then(|v| v.strip_suffix('"')) else {
        return v.to_owned();
    };
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some(e @ ('"' | '\\' | '$' | '`')) => out.push(e),
                Some(other) => {
                    out.push('\\');
                    out.push(other);
                }
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Credentials from environment lines.
pub(super) fn from_env_lines(pairs: &[(String, String)]) -> Result<Credentials, DocumentError> {
    // `detect` saw one of the two keys, so `None` means both were blank.
    parse_env(pairs)?.ok_or(DocumentError::MissingField {
        format: DocumentFormat::Environment,
        field: super::env::ACCESS_KEY_ID,
    })
}

/// The static credentials of `profile` in a credentials or config file, and which file it was.
pub(super) fn from_profiles(
    text: &str,
    profile: &str,
) -> Result<(DocumentFormat, Credentials), DocumentError> {
    let as_credentials = ProfileSet::parse(Some(text), None)?;
    let (format, set) = if as_credentials.profile(profile).is_some() {
        (DocumentFormat::CredentialsFile, as_credentials)
    } else {
        let as_config = ProfileSet::parse(None, Some(text))?;
        if as_config.profile(profile).is_none() {
            return Err(DocumentError::ProfileNotFound {
                profile: profile.to_owned(),
            });
        }
        (DocumentFormat::ConfigFile, as_config)
    };
    let p = set.profile(profile).ok_or(DocumentError::ProfileNotFound {
        profile: profile.to_owned(),
    })?;
    let creds = p.credentials()?.ok_or(DocumentError::ProfileWithoutKeys {
        profile: profile.to_owned(),
        file: format,
    })?;
    Ok((format, creds))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_lines_follow_the_shell() {
        let pairs = env_lines(
            "# comment\nexport AWS_ACCESS_KEY_ID=AKID\n  AWS_SECRET_ACCESS_KEY=\"s\\\"x\\\\y\"\n\
             export\tAWS_SESSION_TOKEN='t\\n'\nexported=1\n9X=1\nnot an assignment\nA B=1\n=v\n",
        );
        let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
        assert_eq!(get("AWS_ACCESS_KEY_ID"), Some("AKID"));
        assert_eq!(get("AWS_SECRET_ACCESS_KEY"), Some("s\"x\\y"));
        assert_eq!(get("AWS_SESSION_TOKEN"), Some("t\\n"));
        assert_eq!(get("exported"), Some("1"));
        assert_eq!(pairs.len(), 4, "{pairs:?}");
        assert_eq!(unquote("\""), "\"");
        assert_eq!(unquote("'"), "'");
    }

    #[test]
    fn detection_needs_a_section_or_an_aws_key() {
        assert!(matches!(
            detect("; c\n\n[default]\n"),
            Some(TextKind::Profiles)
        ));
        assert!(matches!(
            detect("AWS_SECRET_ACCESS_KEY=s"),
            Some(TextKind::Environment(_))
        ));
        assert!(detect("PATH=/bin\nHOME=/root\n").is_none());
        assert!(detect("  \n# only comments\n").is_none());
        assert!(detect("hello world").is_none());
    }
}
