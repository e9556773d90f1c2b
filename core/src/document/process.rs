//! `credential_process` output: the JSON a configured credential process prints.
//!
//! `Version` must be the number `1`; `AccessKeyId` and `SecretAccessKey` are required;
//! `SessionToken`, `Expiration` (RFC 3339) and `AccountId` are optional (absent, `null` and `""`
//! all mean "not given"). Keys are matched ASCII case-insensitively; unknown keys are ignored.
//!
//! ```
//! use sigfresh::document::parse_process;
//! let creds = parse_process(br#"{"Version": 1, "AccessKeyId": "AKIAIOSFODNN7EXAMPLE",
//!     "SecretAccessKey": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}"#)?;
//! assert!(creds.session_token().is_none() && creds.expiry().is_none());
//! # Ok::<(), sigfresh::document::DocumentError>(())
//! ```

use super::json::{self, Key, Schema, Val};
use super::{DocumentError, DocumentFormat, FieldNames, Parts};
use crate::credentials::{CredentialSource, Credentials};
use crate::prelude::*;

const VERSION: usize = 0;
const ACCESS_KEY_ID: usize = 1;
const SECRET_ACCESS_KEY: usize = 2;
const SESSION_TOKEN: usize = 3;
const EXPIRATION: usize = 4;
const ACCOUNT_ID: usize = 5;

static SCHEMA: Schema = Schema {
    keys: &[
        Key::new("Version"),
        Key::new("AccessKeyId"),
        Key::new("SecretAccessKey"),
        Key::new("SessionToken"),
        Key::new("Expiration"),
        Key::new("AccountId"),
    ],
};

const NAMES: FieldNames = FieldNames {
    access_key_id: "AccessKeyId",
    secret_access_key: "SecretAccessKey",
    session_token: "SessionToken",
    account_id: "AccountId",
};

/// Parses `credential_process` output (see the [module docs](self)). Source
/// [`CredentialSource::Process`].
pub fn parse_process(bytes: &[u8]) -> Result<Credentials, DocumentError> {
    const FORMAT: DocumentFormat = DocumentFormat::Process;
    let mut doc = json::parse_object(bytes, &SCHEMA, FORMAT)?;
    doc.check_duplicates()?;
    let unsupported = |found: String| DocumentError::UnsupportedVersion {
        format: FORMAT,
        field: "Version",
        found,
    };
    match doc.take(VERSION) {
        None => return Err(doc.missing(VERSION)),
        Some(Val::UInt(1)) => {}
        Some(Val::UInt(n)) => return Err(unsupported(n.to_string())),
        Some(Val::Int(n)) => return Err(unsupported(n.to_string())),
        Some(v) => {
            return Err(DocumentError::WrongType {
                format: FORMAT,
                field: "Version",
                expected: "the integer 1",
                found: v.type_name(),
            })
        }
    }
    let access_key_id = doc.str_req(ACCESS_KEY_ID)?;
    let secret_access_key = doc.str_req(SECRET_ACCESS_KEY)?;
    let session_token = doc.str_nonempty(SESSION_TOKEN)?;
    let expiry = doc.rfc3339_opt(EXPIRATION)?;
    let account_id = doc.str_nonempty(ACCOUNT_ID)?;
    Parts {
        access_key_id,
        secret_access_key,
        session_token,
        expiry,
        account_id,
    }
    .build(FORMAT, &NAMES, CredentialSource::Process)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_rules() {
        let doc =
            |v: &str| format!(r#"{{"Version": {v}, "AccessKeyId": "A", "SecretAccessKey": "S"}}"#);
        assert!(parse_process(doc("1").as_bytes()).is_ok());
        assert!(matches!(
            parse_process(doc("2").as_bytes()),
            Err(DocumentError::UnsupportedVersion { ref found, .. }) if found == "2"
        ));
        assert!(matches!(
            parse_process(doc("-1").as_bytes()),
            Err(DocumentError::UnsupportedVersion { .. })
        ));
        for v in ["\"1\"", "1.0", "true", "[1]"] {
            assert!(
                matches!(
                    parse_process(doc(v).as_bytes()),
                    Err(DocumentError::WrongType {
                        field: "Version",
                        ..
                    })
                ),
                "{v}"
            );
        }
        assert!(matches!(
            parse_process(doc("null").as_bytes()),
            Err(DocumentError::MissingField {
                field: "Version",
                ..
            })
        ));
    }
}
