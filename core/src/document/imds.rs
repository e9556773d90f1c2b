//! EC2 instance metadata (IMDS) role credentials: the JSON body of
//! `GET /latest/meta-data/iam/security-credentials/<role>`.
//!
//! Keys are matched ASCII case-insensitively and unknown keys are ignored. `AccessKeyId`,
//! `SecretAccessKey`, `Token` and `Expiration` (RFC 3339) are required; `AccountId` is kept when
//! present. A `Code` other than `Success` is a [`DocumentError::ServiceError`] carrying that code
//! and the `Message`, whatever else the document holds; an absent `Code` is read as success.
//! `LastUpdated` and `Type` are not used.
//!
//! ```
//! use sigfresh::credentials::CredentialSource;
//! use sigfresh::document::{parse_imds, DocumentError};
//!
//! let doc = br#"{
//!   "Code" : "Success",
//!   "LastUpdated" : "2024-05-01T12:00:00Z",
//!   "Type" : "AWS-HMAC",
//!   "AccessKeyId" : "ASIAIOSFODNN7EXAMPLE",
//!   "SecretAccessKey" : "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
//!   "Token" : "IQoJb3JpZ2luX2VjEXAMPLETOKEN",
//!   "Expiration" : "2024-05-01T18:00:00Z"
//! }"#;
//! let creds = parse_imds(doc)?;
//! assert_eq!(creds.access_key_id().as_str(), "ASIAIOSFODNN7EXAMPLE");
//! assert_eq!(creds.expiry().map(|t| t.unix_seconds()), Some(1_714_586_400));
//! assert_eq!(creds.source(), &CredentialSource::InstanceMetadata);
//!
//! let err = parse_imds(br#"{"Code": "AssumeRoleUnauthorizedAccess", "Message": "denied"}"#)
//!     .unwrap_err();
//! assert!(matches!(err, DocumentError::ServiceError { ref code, .. } if code == "AssumeRoleUnauthorizedAccess"));
//! # Ok::<(), DocumentError>(())
//! ```

use super::json::{self, Key, Schema};
use super::{service_error, DocumentError, DocumentFormat, FieldNames, Parts};
use crate::credentials::{CredentialSource, Credentials};

const CODE: usize = 0;
const MESSAGE: usize = 1;
const ACCESS_KEY_ID: usize = 2;
const SECRET_ACCESS_KEY: usize = 3;
const TOKEN: usize = 4;
const EXPIRATION: usize = 5;
const ACCOUNT_ID: usize = 6;

static SCHEMA: Schema = Schema {
    keys: &[
        Key::new("Code"),
        Key::new("Message"),
        Key::new("AccessKeyId"),
        Key::new("SecretAccessKey"),
        Key::new("Token"),
        Key::new("Expiration"),
        Key::new("AccountId"),
    ],
};

const NAMES: FieldNames = FieldNames {
    access_key_id: "AccessKeyId",
    secret_access_key: "SecretAccessKey",
    session_token: "Token",
    account_id: "AccountId",
};

/// Parses an IMDS role-credentials document (see the [module docs](self)). Source
/// [`CredentialSource::InstanceMetadata`].
pub fn parse_imds(bytes: &[u8]) -> Result<Credentials, DocumentError> {
    const FORMAT: DocumentFormat = DocumentFormat::InstanceMetadata;
    let mut doc = json::parse_object(bytes, &SCHEMA, FORMAT)?;
    doc.check_duplicates()?;
    if let Some(code) = doc.str_opt(CODE)? {
        if code != "Success" {
            let message = doc.str_opt(MESSAGE)?.unwrap_or_default();
            return Err(service_error(FORMAT, &code, &message));
        }
    }
    let access_key_id = doc.str_req(ACCESS_KEY_ID)?;
    let secret_access_key = doc.str_req(SECRET_ACCESS_KEY)?;
    let session_token = doc.str_req(TOKEN)?;
    let expiry = doc.rfc3339_req(EXPIRATION)?;
    let account_id = doc.str_nonempty(ACCOUNT_ID)?;
    Parts {
        access_key_id,
        secret_access_key,
        session_token: Some(session_token),
        expiry: Some(expiry),
        account_id,
    }
    .build(FORMAT, &NAMES, CredentialSource::InstanceMetadata)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prelude::*;

    #[test]
    fn code_is_checked_before_anything_else() {
        let e = parse_imds(br#"{"code": "Throttled", "AccessKeyId": 5}"#).unwrap_err();
        assert_eq!(
            e,
            DocumentError::ServiceError {
                format: DocumentFormat::InstanceMetadata,
                code: "Throttled".into(),
                message: String::new()
            }
        );
    }

    #[test]
    fn lowercase_keys_and_unknown_fields() {
        let c = parse_imds(
            br#"{"accesskeyid":"AKID","secretaccesskey":"S","token":"T",
                "expiration":"2024-05-01T18:00:00Z","Extra":{"x":[1,2]}}"#,
        )
        .unwrap();
        assert_eq!(c.access_key_id().as_str(), "AKID");
        assert_eq!(c.account_id(), None);
    }
}
