//! Credentials from environment variables, read through a host-provided map.
//!
//! The core reads no process environment itself: the host passes anything that implements
//! [`EnvSource`] (a `HashMap`, a `BTreeMap`, a slice or array of pairs, or its own type).
//!
//! | variable | meaning |
//! |---|---|
//! | `AWS_ACCESS_KEY_ID` | access key id (required with the secret) |
//! | `AWS_SECRET_ACCESS_KEY` | secret access key (required with the id) |
//! | `AWS_SESSION_TOKEN` | session token (optional) |
//! | `AWS_CREDENTIAL_EXPIRATION` | RFC 3339 expiry (optional) |
//! | `AWS_ACCOUNT_ID` | account id (optional) |
//!
//! Values are trimmed of surrounding whitespace, and empty values count as unset, as in the AWS
//! SDKs.
//!
//! ```
//! use sigfresh::document::parse_env;
//! let env = [
//!     ("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE"),
//!     ("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
//!     ("AWS_SESSION_TOKEN", ""),
//! ];
//! let creds = parse_env(&env[..])?.expect("both keys are set");
//! assert!(creds.session_token().is_none());
//! assert!(parse_env(&[("HOME", "/root")])?.is_none());
//! # Ok::<(), sigfresh::document::DocumentError>(())
//! ```

use super::{time_field, DocumentError, DocumentFormat, FieldNames, Parts};
use crate::credentials::{CredentialSource, Credentials};
use crate::prelude::*;
use alloc::borrow::Cow;
use alloc::collections::BTreeMap;
use core::borrow::Borrow;
#[cfg(feature = "std")]
use core::hash::{BuildHasher, Hash};
#[cfg(feature = "std")]
use std::collections::HashMap;

/// A read-only view of environment variables, provided by the host.
///
/// The core never calls `std::env`; a host collects the variables it wants to expose (all of
/// them, or a filtered set) and passes them in. Implemented for `HashMap` and `BTreeMap` with
/// `String` or `&str` keys and values, for slices, arrays and `Vec`s of `(key, value)` pairs
/// (the last pair with a key wins), and for references to any of these.
///
/// ```
/// use sigfresh::document::EnvSource;
/// use std::collections::HashMap;
/// let mut env = HashMap::new();
/// env.insert("AWS_REGION".to_string(), "eu-west-1".to_string());
/// assert_eq!(EnvSource::get(&env, "AWS_REGION"), Some("eu-west-1"));
///
/// // A host can also adapt its own store:
/// struct Nothing;
/// impl EnvSource for Nothing {
///     fn get(&self, _key: &str) -> Option<&str> {
///         None
///     }
/// }
/// ```
pub trait EnvSource {
    /// The value of the variable `key` (case-sensitive), or `None` when it is not set.
    fn get(&self, key: &str) -> Option<&str>;
}

#[cfg(feature = "std")]
impl<K, V, S> EnvSource for HashMap<K, V, S>
where
    K: Borrow<str> + Hash + Eq,
    V: AsRef<str>,
    S: BuildHasher,
{
    fn get(&self, key: &str) -> Option<&str> {
        HashMap::get(self, key).map(AsRef::as_ref)
    }
}

impl<K, V> EnvSource for BTreeMap<K, V>
where
    K: Borrow<str> + Ord,
    V: AsRef<str>,
{
    fn get(&self, key: &str) -> Option<&str> {
        BTreeMap::get(self, key).map(AsRef::as_ref)
    }
}

impl<K: AsRef<str>, V: AsRef<str>> EnvSource for [(K, V)] {
    fn get(&self, key: &str) -> Option<&str> {
        self.iter()
            .rev()
            .find(|(k, _)| k.as_ref() == key)
            .map(|(_, v)| v.as_ref())
    }
}

impl<K: AsRef<str>, V: AsRef<str>, const N: usize> EnvSource for [(K, V); N] {
    fn get(&self, key: &str) -> Option<&str> {
        EnvSource::get(&self[..], key)
    }
}

impl<K: AsRef<str>, V: AsRef<str>> EnvSource for Vec<(K, V)> {
    fn get(&self, key: &str) -> Option<&str> {
        EnvSource::get(&self[..], key)
    }
}

impl<T: EnvSource + ?Sized> EnvSource for &T {
    fn get(&self, key: &str) -> Option<&str> {
        (**self).get(key)
    }
}

/// `AWS_ACCESS_KEY_ID`.
pub const ACCESS_KEY_ID: &str = "AWS_ACCESS_KEY_ID";
/// `AWS_SECRET_ACCESS_KEY`.
pub const SECRET_ACCESS_KEY: &str = "AWS_SECRET_ACCESS_KEY";
/// `AWS_SESSION_TOKEN`.
pub const SESSION_TOKEN: &str = "AWS_SESSION_TOKEN";
/// `AWS_CREDENTIAL_EXPIRATION` (RFC 3339).
pub const CREDENTIAL_EXPIRATION: &str = "AWS_CREDENTIAL_EXPIRATION";
/// `AWS_ACCOUNT_ID`.
pub const ACCOUNT_ID: &str = "AWS_ACCOUNT_ID";

const NAMES: FieldNames = FieldNames {
    access_key_id: ACCESS_KEY_ID,
    secret_access_key: SECRET_ACCESS_KEY,
    session_token: SESSION_TOKEN,
    account_id: ACCOUNT_ID,
};

/// The trimmed value of `key`, `None` when unset or blank.
fn value<'a, E: EnvSource + ?Sized>(env: &'a E, key: &str) -> Option<&'a str> {
    env.get(key).map(str::trim).filter(|v| !v.is_empty())
}

/// Reads credentials from the variables in the [module docs](self).
///
/// `Ok(None)` when neither `AWS_ACCESS_KEY_ID` nor `AWS_SECRET_ACCESS_KEY` is set (so a
/// credential chain moves on); a [`DocumentError::MissingField`] naming the other variable when
/// only one is. Source [`CredentialSource::Environment`].
pub fn parse_env<E: EnvSource + ?Sized>(env: &E) -> Result<Option<Credentials>, DocumentError> {
    const FORMAT: DocumentFormat = DocumentFormat::Environment;
    let (access_key_id, secret_access_key) =
        match (value(env, ACCESS_KEY_ID), value(env, SECRET_ACCESS_KEY)) {
            (None, None) => return Ok(None),
            (Some(a), Some(s)) => (a, s),
            (Some(_), None) => return Err(missing(SECRET_ACCESS_KEY)),
            (None, Some(_)) => return Err(missing(ACCESS_KEY_ID)),
        };
    let expiry = match value(env, CREDENTIAL_EXPIRATION) {
        Some(text) => Some(time_field(
            FORMAT,
            CREDENTIAL_EXPIRATION,
            crate::time::parse_rfc3339(text),
        )?),
        None => None,
    };
    Parts {
        access_key_id: Cow::Borrowed(access_key_id),
        secret_access_key: Cow::Borrowed(secret_access_key),
        session_token: value(env, SESSION_TOKEN).map(Cow::Borrowed),
        expiry,
        account_id: value(env, ACCOUNT_ID).map(Cow::Borrowed),
    }
    .build(FORMAT, &NAMES, CredentialSource::Environment)
    .map(Some)
}

fn missing(field: &'static str) -> DocumentError {
    DocumentError::MissingField {
        format: DocumentFormat::Environment,
        field,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_map_kind_works() {
        let pairs = [(ACCESS_KEY_ID, "AKID"), (SECRET_ACCESS_KEY, "S")];
        let hash: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let btree: BTreeMap<&str, &str> = pairs.iter().copied().collect();
        let vec: Vec<(String, &str)> = pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect();
        for env in [&hash as &dyn EnvSource, &btree, &pairs, &&pairs[..], &vec] {
            let c = parse_env(env).unwrap().unwrap();
            assert_eq!(c.access_key_id().as_str(), "AKID");
            assert_eq!(c.source(), &CredentialSource::Environment);
        }
    }

    #[test]
    fn blank_is_unset_and_half_set_names_the_missing_one() {
        assert!(parse_env(&[(ACCESS_KEY_ID, " "), (SECRET_ACCESS_KEY, "")])
            .unwrap()
            .is_none());
        assert_eq!(
            parse_env(&[(ACCESS_KEY_ID, "AKID"), (SECRET_ACCESS_KEY, "  ")]).unwrap_err(),
            missing(SECRET_ACCESS_KEY)
        );
        assert_eq!(
            parse_env(&[(SECRET_ACCESS_KEY, "S")]).unwrap_err(),
            missing(ACCESS_KEY_ID)
        );
        let last_wins = [
            (ACCESS_KEY_ID, "A1"),
            (SECRET_ACCESS_KEY, "S"),
            (ACCESS_KEY_ID, "A2"),
        ];
        let c = parse_env(&last_wins).unwrap().unwrap();
        assert_eq!(c.access_key_id().as_str(), "A2");
    }
}
