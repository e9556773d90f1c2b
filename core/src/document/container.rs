//! ECS/EKS container credentials: the JSON body the container credentials endpoint
//! (`AWS_CONTAINER_CREDENTIALS_RELATIVE_URI`/`_FULL_URI`, EKS Pod Identity) returns.
//!
//! `AccessKeyId`, `SecretAccessKey`, `Token` and `Expiration` (RFC 3339) are required;
//! `AccountId` is kept when present, otherwise the account is taken from `RoleArn` when that is
//! an ARN. Keys are matched ASCII case-insensitively; unknown keys are ignored. The endpoint's
//! error shape `{"code": "...", "message": "..."}` is a [`DocumentError::ServiceError`].
//!
//! ```
//! use sigfresh::document::parse_container;
//! let creds = parse_container(br#"{
//!   "RoleArn": "arn:aws:iam::123456789012:role/task",
//!   "AccessKeyId": "ASIAIOSFODNN7EXAMPLE",
//!   "SecretAccessKey": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
//!   "Token": "IQoJb3JpZ2luX2VjEXAMPLETOKEN",
//!   "Expiration": "2024-05-01T18:00:00Z"
//! }"#)?;
//! assert_eq!(creds.account_id(), Some("123456789012"));
//! # Ok::<(), sigfresh::document::DocumentError>(())
//! ```

use super::json::{self, Key, Schema};
use super::{account_id_from_arn, service_error, DocumentError, DocumentFormat, FieldNames, Parts};
use crate::credentials::{CredentialSource, Credentials};
use crate::prelude::*;
use alloc::borrow::Cow;

const CODE: usize = 0;
const MESSAGE: usize = 1;
const ACCESS_KEY_ID: usize = 2;
const SECRET_ACCESS_KEY: usize = 3;
const TOKEN: usize = 4;
const EXPIRATION: usize = 5;
const ROLE_ARN: usize = 6;
const ACCOUNT_ID: usize = 7;

static SCHEMA: Schema = Schema {
    keys: &[
        Key::new("code"),
        Key::new("message"),
        Key::new("AccessKeyId"),
        Key::new("SecretAccessKey"),
        Key::new("Token"),
        Key::new("Expiration"),
        Key::new("RoleArn"),
        Key::new("AccountId"),
    ],
};

const NAMES: FieldNames = FieldNames {
    access_key_id: "AccessKeyId",
    secret_access_key: "SecretAccessKey",
    session_token: "Token",
    account_id: "AccountId",
};

/// Parses a container credentials document (see the [module docs](self)). Source
/// [`CredentialSource::ContainerEndpoint`].
pub fn parse_container(bytes: &[u8]) -> Result<Credentials, DocumentError> {
    const FORMAT: DocumentFormat = DocumentFormat::Container;
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
    let role_arn = doc.str_opt(ROLE_ARN)?;
    let account_id = match doc.str_nonempty(ACCOUNT_ID)? {
        Some(id) => Some(id),
        None => role_arn
            .as_deref()
            .and_then(account_id_from_arn)
            .map(|id| Cow::Owned(id.to_owned())),
    };
    Parts {
        access_key_id,
        secret_access_key,
        session_token: Some(session_token),
        expiry: Some(expiry),
        account_id,
    }
    .build(FORMAT, &NAMES, CredentialSource::ContainerEndpoint)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_shape() {
        let e = parse_container(br#"{"code": "AccessDenied", "message": "no role"}"#).unwrap_err();
        assert_eq!(
            e,
            DocumentError::ServiceError {
                format: DocumentFormat::Container,
                code: "AccessDenied".into(),
                message: "no role".into()
            }
        );
    }

    #[test]
    fn explicit_account_id_wins_over_role_arn() {
        let c = parse_container(
            br#"{"AccessKeyId":"A","SecretAccessKey":"S","Token":"T","Expiration":"2024-05-01T18:00:00Z",
                "RoleArn":"arn:aws:iam::111111111111:role/x","AccountId":"222222222222"}"#,
        )
        .unwrap();
        assert_eq!(c.account_id(), Some("222222222222"));
    }
}
