//! The shared credentials file (`~/.aws/credentials`) and config file (`~/.aws/config`), as
//! text the host read.
//!
//! - Sections: `[name]` in the credentials file (the name is taken literally); `[default]` and
//!   `[profile name]` in the config file, plus `[sso-session name]` sections, kept separately.
//!   Other config sections (`[services x]`, or a bare `[name]`, which the AWS CLI ignores too)
//!   are skipped. A section that appears twice is merged.
//! - Properties: `key = value`. Keys are ASCII case-insensitive (stored lowercase); keys and
//!   values are trimmed. The last value of a key in a file wins, and the credentials file wins
//!   over the config file for the same key of the same profile.
//! - Comments: full lines starting with `#` or `;`. In a value, `#` or `;` starts a comment only
//!   after whitespace (`secret = abc#def` keeps `abc#def`); after a section's `]` always.
//! - Continuation lines: an indented line after a property continues it. Under a property with
//!   an empty value (`s3 =`) the indented `name = value` lines are sub-properties
//!   ([`Property::sub_property`]); otherwise they are appended to the value after a newline.
//!
//! Every property keeps the file and line it came from, and errors name them.
//!
//! ```
//! use sigfresh::document::ProfileSet;
//! let credentials = "\
//! [default]
//! aws_access_key_id = AKIAIOSFODNN7EXAMPLE
//! aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
//! ";
//! let config = "\
//! [default]
//! region = us-west-2   # inline comment
//! [profile dev]
//! role_arn = arn:aws:iam::123456789012:role/dev
//! source_profile = default
//! s3 =
//!   max_concurrent_requests = 20
//! ";
//! let set = ProfileSet::parse(Some(credentials), Some(config))?;
//! let default = set.profile("default").unwrap();
//! assert_eq!(default.get("REGION"), Some("us-west-2"));
//! let creds = default.credentials()?.expect("static keys");
//! assert_eq!(creds.access_key_id().as_str(), "AKIAIOSFODNN7EXAMPLE");
//!
//! let dev = set.profile("dev").unwrap();
//! assert_eq!(dev.get("source_profile"), Some("default"));
//! assert_eq!(dev.property("s3").unwrap().sub_property("max_concurrent_requests"), Some("20"));
//! assert!(dev.credentials()?.is_none());
//! # Ok::<(), sigfresh::document::DocumentError>(())
//! ```

use super::{failed_part, DocumentError, DocumentFormat, Part};
use crate::credentials::{CredentialSource, Credentials};
use crate::prelude::*;
use alloc::collections::BTreeMap;
use core::fmt;
use zeroize::Zeroize;

/// The largest credentials or config file accepted (1 MiB; config files with hundreds of SSO
/// profiles exceed [`super::MAX_DOCUMENT_SIZE`]).
pub const MAX_PROFILE_FILE_SIZE: usize = 1024 * 1024;

/// All profiles and SSO sessions of a credentials file and a config file.
#[derive(Clone, Debug, Default)]
pub struct ProfileSet {
    profiles: BTreeMap<String, Profile>,
    sso_sessions: BTreeMap<String, Profile>,
}

/// One profile (or `[sso-session]` section): its name and properties.
#[derive(Clone, Debug)]
pub struct Profile {
    name: String,
    /// By lowercase key.
    properties: BTreeMap<String, Property>,
}

/// One `key = value` property, with where it was set.
#[derive(Clone)]
pub struct Property {
    key: String,
    value: String,
    sub_properties: Vec<(String, String)>,
    /// Defined with an empty value, so indented lines below are sub-properties.
    parent: bool,
    file: DocumentFormat,
    line: usize,
}

impl ProfileSet {
    /// Parses the text of the shared credentials file and of the config file (either may be
    /// absent). Fails on the first malformed line, naming the file and line.
    pub fn parse(
        credentials_text: Option<&str>,
        config_text: Option<&str>,
    ) -> Result<ProfileSet, DocumentError> {
        let mut set = ProfileSet::default();
        // Config first, so that credentials-file values replace config values.
        if let Some(text) = config_text {
            set.read(text, DocumentFormat::ConfigFile)?;
        }
        if let Some(text) = credentials_text {
            set.read(text, DocumentFormat::CredentialsFile)?;
        }
        Ok(set)
    }

    /// The profile called `name` (case-sensitive; `default` for the default profile).
    pub fn profile(&self, name: &str) -> Option<&Profile> {
        self.profiles.get(name)
    }

    /// All profiles, ordered by name.
    pub fn profiles(&self) -> impl Iterator<Item = &Profile> {
        self.profiles.values()
    }

    /// The `[sso-session name]` section called `name`.
    pub fn sso_session(&self, name: &str) -> Option<&Profile> {
        self.sso_sessions.get(name)
    }

    /// All `[sso-session]` sections, ordered by name.
    pub fn sso_sessions(&self) -> impl Iterator<Item = &Profile> {
        self.sso_sessions.values()
    }

    /// True when neither file defined any profile or SSO session.
    pub fn is_empty(&self) -> bool {
        self.profiles.is_empty() && self.sso_sessions.is_empty()
    }

    fn read(&mut self, text: &str, file: DocumentFormat) -> Result<(), DocumentError> {
        if text.len() > MAX_PROFILE_FILE_SIZE {
            return Err(DocumentError::TooLarge {
                format: Some(file),
                limit: MAX_PROFILE_FILE_SIZE,
                actual: text.len(),
            });
        }
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        // The section being read: where its properties go (`None` for a skipped section).
        let mut section: Option<Option<&mut Profile>> = None;
        // The key of the property that indented lines continue.
        let mut open_property: Option<String> = None;
        for (index, raw) in text.split('\n').enumerate() {
            let line = index + 1;
            let raw = raw.strip_suffix('\r').unwrap_or(raw);
            let trimmed = raw.trim();
            let syntax = |detail| DocumentError::IniSyntax { file, line, detail };
            if trimmed.is_empty() || trimmed.starts_with(['#', ';']) {
                continue;
            }
            let indented = raw.starts_with([' ', '\t']);
            if let (true, Some(key)) = (indented, &open_property) {
                if let Some(Some(profile)) = &mut section {
                    if let Some(prop) = profile.properties.get_mut(key) {
                        prop.continue_with(trimmed).map_err(syntax)?;
                    }
                }
                continue;
            }
            open_property = None;
            if let Some(header) = trimmed.strip_prefix('[') {
                let name = section_name(header).map_err(syntax)?;
                section = Some(self.section(name, file));
                continue;
            }
            let Some(target) = &mut section else {
                return Err(syntax("property outside of a section"));
            };
            let Some((key, value)) = trimmed.split_once('=') else {
                return Err(syntax("expected `name = value`"));
            };
            let key = key.trim();
            if key.is_empty() {
                return Err(syntax("empty property name"));
            }
            let value = strip_comment(value).trim();
            let key = key.to_ascii_lowercase();
            if let Some(profile) = target {
                let property = Property {
                    key: key.clone(),
                    value: value.to_owned(),
                    sub_properties: Vec::new(),
                    parent: value.is_empty(),
                    file,
                    line,
                };
                // Replacing a property drops (and so wipes) the old one.
                profile.properties.insert(key.clone(), property);
            }
            open_property = Some(key);
        }
        Ok(())
    }

    /// The profile a section header names in `file`, created if new; `None` to skip it.
    fn section(&mut self, name: &str, file: DocumentFormat) -> Option<&mut Profile> {
        let (map, name) = if file == DocumentFormat::CredentialsFile || name == "default" {
            (&mut self.profiles, name)
        } else {
            let (kind, rest) = name.split_once([' ', '\t'])?;
            let map = match kind {
                "profile" => &mut self.profiles,
                "sso-session" => &mut self.sso_sessions,
                _ => return None,
            };
            (map, rest.trim())
        };
        Some(map.entry(name.to_owned()).or_insert_with(|| Profile {
            name: name.to_owned(),
            properties: BTreeMap::new(),
        }))
    }
}

/// The trimmed name inside `[...]` (given the text after `[`).
fn section_name(header: &str) -> Result<&str, &'static str> {
    let Some((inner, after)) = header.split_once(']') else {
        return Err("section header missing `]`");
    };
    let after = after.trim_start();
    if !after.is_empty() && !after.starts_with(['#', ';']) {
        return Err("unexpected text after `]`");
    }
    let name = inner.trim();
    if name.is_empty() {
        return Err("empty section name");
    }
    Ok(name)
}

/// `value` up to a `#` or `;` that follows whitespace.
fn strip_comment(value: &str) -> &str {
    let bytes = value.as_bytes();
    let cut = bytes.iter().enumerate().skip(1).find(|&(i, &b)| {
        matches!(b, b'#' | b';') && bytes.get(i - 1).is_some_and(|p| matches!(p, b' ' | b'\t'))
    });
    match cut {
        // `#`/`;` are ASCII, so `i` is a char boundary.
        Some((i, _)) => value.get(..i).unwrap_or(value),
        None => value,
    }
}

impl Profile {
    /// The profile's name (for an SSO session, the session's name).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The value of `key` (ASCII case-insensitive), e.g. `region`, `role_arn`,
    /// `credential_process`. For a property with sub-properties, the raw indented lines joined
    /// by newlines.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.property(key).map(Property::value)
    }

    /// The property `key` (ASCII case-insensitive), with its sub-properties and origin.
    pub fn property(&self, key: &str) -> Option<&Property> {
        if key.bytes().any(|b| b.is_ascii_uppercase()) {
            self.properties.get(&key.to_ascii_lowercase())
        } else {
            self.properties.get(key)
        }
    }

    /// All properties, ordered by key.
    pub fn properties(&self) -> impl Iterator<Item = &Property> {
        self.properties.values()
    }

    fn nonempty(&self, key: &str) -> Option<&Property> {
        self.property(key).filter(|p| !p.value.is_empty())
    }

    /// Static credentials from `aws_access_key_id` and `aws_secret_access_key`, with
    /// `aws_session_token` and `aws_account_id` when set; empty values count as unset.
    ///
    /// `Ok(None)` when neither key is set (the profile gets credentials some other way);
    /// [`DocumentError::ProfileMissingKey`] when only one is. Source
    /// [`CredentialSource::Profile`] with the profile's name.
    pub fn credentials(&self) -> Result<Option<Credentials>, DocumentError> {
        const AK: &str = "aws_access_key_id";
        const SK: &str = "aws_secret_access_key";
        const TOKEN: &str = "aws_session_token";
        const ACCOUNT: &str = "aws_account_id";
        let missing = |key, present: &Property| DocumentError::ProfileMissingKey {
            profile: self.name.clone(),
            key,
            file: present.file,
            line: present.line,
        };
        let (ak, sk) = match (self.nonempty(AK), self.nonempty(SK)) {
            (None, None) => return Ok(None),
            (Some(ak), Some(sk)) => (ak, sk),
            (Some(ak), None) => return Err(missing(SK, ak)),
            (None, Some(sk)) => return Err(missing(AK, sk)),
        };
        let token = self.nonempty(TOKEN);
        let account = self.nonempty(ACCOUNT);
        let mut builder = Credentials::builder(ak.value.as_str(), sk.value.as_str())
            .source(CredentialSource::Profile(self.name.clone()));
        if let Some(t) = token {
            builder = builder.session_token(t.value.as_str());
        }
        if let Some(a) = account {
            builder = builder.account_id(a.value.as_str());
        }
        builder.build().map(Some).map_err(|source| {
            let (key, prop) = match failed_part(&source) {
                Part::AccessKeyId => (AK, Some(ak)),
                Part::SecretAccessKey => (SK, Some(sk)),
                Part::SessionToken => (TOKEN, token),
                Part::AccountId => (ACCOUNT, account),
            };
            let prop = prop.unwrap_or(ak);
            DocumentError::ProfileInvalidKey {
                profile: self.name.clone(),
                key,
                file: prop.file,
                line: prop.line,
                source,
            }
        })
    }
}

impl Property {
    /// The key, lowercase.
    pub fn key(&self) -> &str {
        &self.key
    }
    /// The value, trimmed (continuation lines joined by `\n`).
    pub fn value(&self) -> &str {
        &self.value
    }
    /// The sub-property `name` (ASCII case-insensitive) of a property such as `s3 =`.
    pub fn sub_property(&self, name: &str) -> Option<&str> {
        self.sub_properties
            .iter()
            .rev()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    /// All sub-properties (keys lowercase), in file order.
    pub fn sub_properties(&self) -> impl Iterator<Item = (&str, &str)> {
        self.sub_properties
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
    }
    /// The file that set this property.
    pub fn file(&self) -> DocumentFormat {
        self.file
    }
    /// The 1-based line that set this property.
    pub fn line(&self) -> usize {
        self.line
    }

    fn continue_with(&mut self, text: &str) -> Result<(), &'static str> {
        let text = strip_comment(text).trim();
        if self.parent {
            let Some((k, v)) = text.split_once('=') else {
                return Err("expected `name = value` in a sub-property");
            };
            let k = k.trim();
            if k.is_empty() {
                return Err("empty sub-property name");
            }
            self.sub_properties
                .push((k.to_ascii_lowercase(), v.trim().to_owned()));
        }
        if !self.value.is_empty() {
            self.value.push('\n');
        }
        self.value.push_str(text);
        Ok(())
    }
}

/// Values of keys that look secret are redacted; so is `credential_process`, whose command
/// line can carry a secret (as [`ProcessSource`](crate::source::ProcessSource)'s `Debug`
/// hides it).
fn is_secret_key(key: &str) -> bool {
    key.contains("secret")
        || key.contains("token")
        || key.contains("password")
        || key == "credential_process"
}

impl fmt::Debug for Property {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let redacted = "** redacted **";
        // A parent's value repeats its sub-properties' lines, secret ones included: it is shown
        // only through the (redacted) sub-properties.
        let value = if is_secret_key(&self.key) {
            redacted
        } else if self.parent {
            "(see sub_properties)"
        } else {
            &self.value
        };
        let subs: Vec<(&str, &str)> = self
            .sub_properties()
            .map(|(k, v)| (k, if is_secret_key(k) { redacted } else { v }))
            .collect();
        f.debug_struct("Property")
            .field("key", &self.key)
            .field("value", &value)
            .field("sub_properties", &subs)
            .field("file", &self.file)
            .field("line", &self.line)
            .finish()
    }
}

impl Drop for Property {
    fn drop(&mut self) {
        self.value.zeroize();
        for (_, v) in &mut self.sub_properties {
            v.zeroize();
        }
    }
}

#[cfg(test)]
mod tests;
