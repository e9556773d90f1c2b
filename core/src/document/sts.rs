//! STS query-protocol XML responses: `AssumeRole`, `AssumeRoleWithWebIdentity`,
//! `AssumeRoleWithSAML` and `GetSessionToken`, and the `<ErrorResponse>` STS returns on failure.
//!
//! The credentials are read from `<XResponse><XResult><Credentials>` (`AccessKeyId`,
//! `SecretAccessKey`, `SessionToken`, `Expiration`, all required); the account id comes from
//! `<AssumedRoleUser><Arn>` when that is an ARN (`arn:aws:sts::123456789012:assumed-role/...`).
//! Elements are matched by local name, so default and prefixed namespaces both work; field text
//! may use entities, character references and CDATA, and is trimmed of surrounding XML
//! whitespace. Unknown elements are skipped. The XML reader is strict and small (see `xml.rs`):
//! no DTDs, bounded depth, no recursion.
//!
//! ```
//! use sigfresh::document::{parse_sts, DocumentError};
//! let creds = parse_sts(br#"<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
//!   <AssumeRoleResult>
//!     <AssumedRoleUser>
//!       <Arn>arn:aws:sts::123456789012:assumed-role/demo/session</Arn>
//!       <AssumedRoleId>AROA3XFRBF535PLBIFPI4:session</AssumedRoleId>
//!     </AssumedRoleUser>
//!     <Credentials>
//!       <AccessKeyId>ASIAIOSFODNN7EXAMPLE</AccessKeyId>
//!       <SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY</SecretAccessKey>
//!       <SessionToken>IQoJb3JpZ2luX2VjEXAMPLETOKEN</SessionToken>
//!       <Expiration>2024-05-01T18:00:00Z</Expiration>
//!     </Credentials>
//!   </AssumeRoleResult>
//! </AssumeRoleResponse>"#)?;
//! assert_eq!(creds.account_id(), Some("123456789012"));
//!
//! let err = parse_sts(b"<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code>\
//!     <Message>Not authorized</Message></Error><RequestId>1</RequestId></ErrorResponse>")
//!     .unwrap_err();
//! assert!(matches!(err, DocumentError::ServiceError { ref code, .. } if code == "AccessDenied"));
//! # Ok::<(), DocumentError>(())
//! ```

use super::xml::{Event, Reader, XmlError};
use super::{account_id_from_arn, service_error, shorten, time_field};
use super::{DocumentError, DocumentFormat, FieldNames, Parts};
use crate::credentials::{CredentialSource, Credentials};
use crate::prelude::*;
use alloc::borrow::Cow;
use zeroize::Zeroize;

const FORMAT: DocumentFormat = DocumentFormat::Sts;

/// Response roots whose result holds `Credentials`.
const ROOTS: &[&str] = &[
    "AssumeRoleResponse",
    "AssumeRoleWithWebIdentityResponse",
    "AssumeRoleWithSAMLResponse",
    "GetSessionTokenResponse",
];
const ERROR_ROOT: &str = "ErrorResponse";

const ACCESS_KEY_ID: usize = 0;
const SECRET_ACCESS_KEY: usize = 1;
const SESSION_TOKEN: usize = 2;
const EXPIRATION: usize = 3;
const ARN: usize = 4;
const ERROR_CODE: usize = 5;
const ERROR_MESSAGE: usize = 6;
const LABELS: [&str; 7] = [
    "AccessKeyId",
    "SecretAccessKey",
    "SessionToken",
    "Expiration",
    "AssumedRoleUser/Arn",
    "Error/Code",
    "Error/Message",
];

const NAMES: FieldNames = FieldNames {
    access_key_id: "AccessKeyId",
    secret_access_key: "SecretAccessKey",
    session_token: "SessionToken",
    account_id: "AssumedRoleUser/Arn",
};

/// Field texts found so far; owned (decoded) copies are wiped on drop.
struct Slots<'a>([Option<Cow<'a, str>>; 7]);

impl Drop for Slots<'_> {
    fn drop(&mut self) {
        for slot in &mut self.0 {
            if let Some(Cow::Owned(s)) = slot {
                s.zeroize();
            }
        }
    }
}

impl<'a> Slots<'a> {
    fn take(&mut self, i: usize) -> Option<Cow<'a, str>> {
        self.0.get_mut(i).and_then(Option::take)
    }
    fn req(&mut self, i: usize) -> Result<Cow<'a, str>, DocumentError> {
        self.take(i).ok_or(DocumentError::MissingField {
            format: FORMAT,
            field: label(i),
        })
    }
}

fn label(i: usize) -> &'static str {
    LABELS.get(i).copied().unwrap_or("?")
}

/// Which field an element at `path` (local names below the root) is.
fn target(path: &[&str], result: &str, is_error: bool) -> Option<usize> {
    if is_error {
        return match path {
            ["Error", "Code"] => Some(ERROR_CODE),
            ["Error", "Message"] => Some(ERROR_MESSAGE),
            _ => None,
        };
    }
    match path {
        [r, "Credentials", field] if *r == result => match *field {
            "AccessKeyId" => Some(ACCESS_KEY_ID),
            "SecretAccessKey" => Some(SECRET_ACCESS_KEY),
            "SessionToken" => Some(SESSION_TOKEN),
            "Expiration" => Some(EXPIRATION),
            _ => None,
        },
        [r, "AssumedRoleUser", "Arn"] if *r == result => Some(ARN),
        _ => None,
    }
}

fn xml_error(e: XmlError, skip: usize) -> DocumentError {
    DocumentError::Syntax {
        format: Some(FORMAT),
        offset: skip + e.offset,
        detail: Cow::Borrowed(e.detail),
    }
}

/// XML whitespace trimmed off both ends, keeping a borrow when possible.
/// The text of the element being read, from one or more text events (text, CDATA, text with
/// entities). Owned (decoded or joined) text is wiped when discarded, and growing it never
/// leaves a copy in freed memory.
#[derive(Default)]
struct Text<'a>(Option<Cow<'a, str>>);

impl<'a> Text<'a> {
    fn push(&mut self, t: Cow<'a, str>) {
        let Some(acc) = &mut self.0 else {
            self.0 = Some(t);
            return;
        };
        let need = acc.len() + t.len();
        if !matches!(acc, Cow::Owned(s) if s.capacity() >= need) {
            // Grow by allocate-copy-wipe (geometrically, so many small events stay linear)
            // instead of a reallocation that may free the old block un-wiped.
            let mut grown = String::with_capacity(need.max(2 * acc.len()));
            grown.push_str(acc);
            if let Cow::Owned(old) = acc {
                old.zeroize();
            }
            *acc = Cow::Owned(grown);
        }
        acc.to_mut().push_str(&t);
        if let Cow::Owned(mut t) = t {
            t.zeroize();
        }
    }

    fn take(&mut self) -> Cow<'a, str> {
        self.0.take().unwrap_or_default()
    }

    fn clear(&mut self) {
        if let Some(Cow::Owned(s)) = &mut self.0 {
            s.zeroize();
        }
        self.0 = None;
    }
}

impl Drop for Text<'_> {
    fn drop(&mut self) {
        self.clear();
    }
}

fn trim(text: Cow<'_, str>) -> Cow<'_, str> {
    let is_ws = |c: char| matches!(c, ' ' | '\t' | '\r' | '\n');
    match text {
        Cow::Borrowed(s) => Cow::Borrowed(s.trim_matches(is_ws)),
        Cow::Owned(mut s) => {
            let t = s.trim_matches(is_ws);
            if t.len() == s.len() {
                Cow::Owned(s)
            } else {
                let out = t.to_owned();
                s.zeroize();
                Cow::Owned(out)
            }
        }
    }
}

/// Parses an STS XML response (see the [module docs](self)). Source [`CredentialSource::Sts`].
pub fn parse_sts(bytes: &[u8]) -> Result<Credentials, DocumentError> {
    super::check_size(bytes.len(), Some(FORMAT))?;
    let (body, skip) = super::strip_bom(bytes);
    let src = core::str::from_utf8(body).map_err(|e| DocumentError::Syntax {
        format: Some(FORMAT),
        offset: skip + e.valid_up_to(),
        detail: Cow::Borrowed("not valid UTF-8"),
    })?;
    let mut reader = Reader::new(src).map_err(|e| xml_error(e, skip))?;
    let mut slots = Slots(Default::default());
    // Open elements below the root: local name and whether it has had a child element.
    let mut path: Vec<&str> = Vec::new();
    let mut has_child: Vec<bool> = Vec::new();
    let mut text = Text::default();
    let mut root: Option<(&str, String)> = None;
    let mut credentials_seen = false;
    while let Some(event) = reader.next_event().map_err(|e| xml_error(e, skip))? {
        let Some((root_name, result)) = &root else {
            // The first event of a document is always its root's start tag.
            if let Event::Start(name) = event {
                let result = if ROOTS.contains(&name) {
                    name.replace("Response", "Result")
                } else if name == ERROR_ROOT {
                    String::new()
                } else {
                    return Err(DocumentError::UnexpectedRoot {
                        format: FORMAT,
                        found: shorten(name, 64),
                    });
                };
                root = Some((name, result));
                has_child.push(false);
            }
            continue;
        };
        let is_error = *root_name == ERROR_ROOT;
        match event {
            Event::Start(name) => {
                if let Some(parent) = has_child.last_mut() {
                    *parent = true;
                }
                path.push(name);
                has_child.push(false);
                if !is_error && matches!(path.as_slice(), [r, "Credentials"] if r == result) {
                    credentials_seen = true;
                }
                text.clear();
            }
            Event::Text(t) => text.push(t),
            Event::End(_) => {
                let had_child = has_child.pop().unwrap_or(false);
                if let Some(i) = target(&path, result, is_error) {
                    if had_child {
                        return Err(DocumentError::WrongType {
                            format: FORMAT,
                            field: label(i),
                            expected: "text",
                            found: "an element",
                        });
                    }
                    let Some(slot) = slots.0.get_mut(i) else {
                        continue;
                    };
                    if slot.is_some() {
                        return Err(DocumentError::DuplicateField {
                            format: FORMAT,
                            field: label(i),
                        });
                    }
                    *slot = Some(trim(text.take()));
                }
                text.clear();
                path.pop();
            }
        }
    }
    let Some((root_name, _)) = root else {
        return Err(xml_error(
            XmlError {
                offset: reader.offset(),
                detail: "no root element",
            },
            skip,
        ));
    };
    if root_name == ERROR_ROOT {
        let code = slots.req(ERROR_CODE)?;
        let message = slots.take(ERROR_MESSAGE).unwrap_or_default();
        return Err(service_error(FORMAT, &code, &message));
    }
    if !credentials_seen {
        return Err(DocumentError::MissingField {
            format: FORMAT,
            field: "Credentials",
        });
    }
    let access_key_id = slots.req(ACCESS_KEY_ID)?;
    let secret_access_key = slots.req(SECRET_ACCESS_KEY)?;
    let session_token = slots.req(SESSION_TOKEN)?;
    let expiration = slots.req(EXPIRATION)?;
    let expiry = time_field(
        FORMAT,
        "Expiration",
        crate::time::parse_rfc3339(&expiration),
    )?;
    let account_id = slots
        .take(ARN)
        .as_deref()
        .and_then(account_id_from_arn)
        .map(|id| Cow::Owned(id.to_owned()));
    Parts {
        access_key_id,
        secret_access_key,
        session_token: Some(session_token),
        expiry: Some(expiry),
        account_id,
    }
    .build(FORMAT, &NAMES, CredentialSource::Sts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn creds_doc(inner: &str) -> String {
        format!(
            "<GetSessionTokenResponse><GetSessionTokenResult><Credentials>{inner}\
             </Credentials></GetSessionTokenResult></GetSessionTokenResponse>"
        )
    }

    const FIELDS: &str = "<AccessKeyId>AKID</AccessKeyId><SecretAccessKey>S</SecretAccessKey>\
        <SessionToken>T</SessionToken><Expiration>2024-05-01T18:00:00Z</Expiration>";

    #[test]
    fn entities_cdata_and_whitespace_in_fields() {
        let doc = creds_doc(
            "<AccessKeyId>\n  AK&#73;D </AccessKeyId><SecretAccessKey><![CDATA[a&b]]>&lt;c\
             </SecretAccessKey><SessionToken>T</SessionToken>\
             <Expiration>2024-05-01T18:00:00.5Z</Expiration>",
        );
        let c = parse_sts(doc.as_bytes()).unwrap();
        assert_eq!(c.access_key_id().as_str(), "AKID");
        assert_eq!(c.secret_access_key().expose_secret(), "a&b<c");
        assert_eq!(c.expiry().unwrap().unix_millis() % 1000, 500);
        assert_eq!(c.account_id(), None);
    }

    #[test]
    fn structure_errors() {
        let dup = creds_doc(&format!("{FIELDS}<SessionToken>U</SessionToken>"));
        assert!(matches!(
            parse_sts(dup.as_bytes()),
            Err(DocumentError::DuplicateField {
                field: "SessionToken",
                ..
            })
        ));
        let nested = creds_doc(&FIELDS.replace("<SessionToken>T", "<SessionToken><x/>T"));
        assert!(matches!(
            parse_sts(nested.as_bytes()),
            Err(DocumentError::WrongType {
                field: "SessionToken",
                ..
            })
        ));
        let wrong_result = creds_doc(FIELDS).replace("GetSessionTokenResult", "AssumeRoleResult");
        assert!(matches!(
            parse_sts(wrong_result.as_bytes()),
            Err(DocumentError::MissingField {
                field: "Credentials",
                ..
            })
        ));
        assert!(matches!(
            parse_sts(b"<Foo/>"),
            Err(DocumentError::UnexpectedRoot { ref found, .. }) if found == "Foo"
        ));
        assert!(matches!(
            parse_sts(b"<ErrorResponse><Error><Message>m</Message></Error></ErrorResponse>"),
            Err(DocumentError::MissingField {
                field: "Error/Code",
                ..
            })
        ));
        assert!(matches!(
            parse_sts(b"\xEF\xBB\xBF<a>\xFF</a>"),
            Err(DocumentError::Syntax { offset: 6, .. })
        ));
    }
}
