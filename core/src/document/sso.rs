//! IAM Identity Center (SSO) `GetRoleCredentials` responses:
//! `{"roleCredentials": {"accessKeyId", "secretAccessKey", "sessionToken", "expiration"}}`.
//!
//! All four inner fields are required; `expiration` is a JSON integer of epoch milliseconds.
//! Keys are matched ASCII case-insensitively; unknown keys are ignored. The response carries no
//! account id (the profile's `sso_account_id` has it).
//!
//! ```
//! use sigfresh::document::parse_sso;
//! let creds = parse_sso(br#"{"roleCredentials": {"accessKeyId": "ASIAIOSFODNN7EXAMPLE",
//!     "secretAccessKey": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
//!     "sessionToken": "IQoJb3JpZ2luX2VjEXAMPLETOKEN", "expiration": 1714586400000}}"#)?;
//! assert_eq!(creds.expiry().map(|t| t.unix_millis()), Some(1_714_586_400_000));
//! # Ok::<(), sigfresh::document::DocumentError>(())
//! ```

use super::json::{self, Key, Schema};
use super::{DocumentError, DocumentFormat, FieldNames, Parts};
use crate::credentials::{CredentialSource, Credentials};

const ACCESS_KEY_ID: usize = 0;
const SECRET_ACCESS_KEY: usize = 1;
const SESSION_TOKEN: usize = 2;
const EXPIRATION: usize = 3;

static ROLE_CREDENTIALS: Schema = Schema {
    keys: &[
        Key {
            name: "accessKeyId",
            label: "roleCredentials.accessKeyId",
            nested: None,
        },
        Key {
            name: "secretAccessKey",
            label: "roleCredentials.secretAccessKey",
            nested: None,
        },
        Key {
            name: "sessionToken",
            label: "roleCredentials.sessionToken",
            nested: None,
        },
        Key {
            name: "expiration",
            label: "roleCredentials.expiration",
            nested: None,
        },
    ],
};

static SCHEMA: Schema = Schema {
    keys: &[Key {
        name: "roleCredentials",
        label: "roleCredentials",
        nested: Some(&ROLE_CREDENTIALS),
    }],
};

const NAMES: FieldNames = FieldNames {
    access_key_id: "roleCredentials.accessKeyId",
    secret_access_key: "roleCredentials.secretAccessKey",
    session_token: "roleCredentials.sessionToken",
    account_id: "accountId",
};

/// Parses an SSO `GetRoleCredentials` response (see the [module docs](self)). Source
/// [`CredentialSource::Sso`].
pub fn parse_sso(bytes: &[u8]) -> Result<Credentials, DocumentError> {
    const FORMAT: DocumentFormat = DocumentFormat::Sso;
    let mut doc = json::parse_object(bytes, &SCHEMA, FORMAT)?;
    doc.check_duplicates()?;
    let mut role = doc.obj_req(0)?;
    role.check_duplicates()?;
    let access_key_id = role.str_req(ACCESS_KEY_ID)?;
    let secret_access_key = role.str_req(SECRET_ACCESS_KEY)?;
    let session_token = role.str_req(SESSION_TOKEN)?;
    let expiry = role.epoch_millis_req(EXPIRATION)?;
    Parts {
        access_key_id,
        secret_access_key,
        session_token: Some(session_token),
        expiry: Some(expiry),
        account_id: None,
    }
    .build(FORMAT, &NAMES, CredentialSource::Sso)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expiration_must_be_an_integer() {
        let doc = |e: &str| {
            format!(
                r#"{{"roleCredentials":{{"accessKeyId":"A","secretAccessKey":"S","sessionToken":"T","expiration":{e}}}}}"#
            )
        };
        assert_eq!(
            parse_sso(doc("0").as_bytes())
                .unwrap()
                .expiry()
                .unwrap()
                .unix_millis(),
            0
        );
        for (e, field) in [("1.5e12", "a number"), ("\"1714586400000\"", "a string")] {
            assert!(matches!(
                parse_sso(doc(e).as_bytes()),
                Err(DocumentError::WrongType { field: "roleCredentials.expiration", found, .. }) if found == field
            ));
        }
        assert!(matches!(
            parse_sso(doc("18446744073709551615").as_bytes()),
            Err(DocumentError::InvalidTimestamp { .. })
        ));
    }
}
