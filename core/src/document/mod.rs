//! Credential documents in, [`Credentials`] out: pure functions from the bytes (or text, or
//! environment map) a host fetched to validated credentials, or a precise [`DocumentError`].
//!
//! ```text
//!  IMDS JSON ───────────────► parse_imds ──────┐
//!  container endpoint JSON ─► parse_container ─┤
//!  credential_process JSON ─► parse_process ───┤
//!  SSO GetRoleCredentials ──► parse_sso ───────┼─► Credentials (+ expiry, account id, source)
//!  STS XML ─────────────────► parse_sts ───────┤
//!  environment map ─────────► parse_env ───────┤
//!  credentials/config text ─► ProfileSet ──────┘
//!  any of the above ──────► parse_any (detects the format)
//! ```
//!
//! The parsers do no I/O and read no clock. Documents over [`MAX_DOCUMENT_SIZE`] are refused
//! before parsing; every timestamp goes through [`crate::time`]. JSON is read with one borrowed
//! serde visitor per format (no intermediate `Value` tree); STS XML with a small strict reader
//! of this module's own. No error message ever contains a secret access key or session token.
//!
//! ```
//! use sigfresh::document::{parse_any, DocumentFormat};
//! let (format, creds) = parse_any(br#"{"Version": 1, "AccessKeyId": "AKIAIOSFODNN7EXAMPLE",
//!     "SecretAccessKey": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}"#)?;
//! assert_eq!(format, DocumentFormat::Process);
//! assert_eq!(creds.access_key_id().as_str(), "AKIAIOSFODNN7EXAMPLE");
//! # Ok::<(), sigfresh::document::DocumentError>(())
//! ```

use crate::prelude::*;
pub mod container;
pub mod env;
mod error;
pub mod imds;
mod json;
mod json_str;
pub mod process;
pub mod profile;
pub mod sso;
pub mod sts;
mod text;
mod xml;

pub use container::parse_container;
pub use env::{parse_env, EnvSource};
pub use error::DocumentError;
pub use imds::parse_imds;
pub use process::parse_process;
pub use profile::{Profile, ProfileSet, Property, MAX_PROFILE_FILE_SIZE};
pub use sso::parse_sso;
pub use sts::parse_sts;

use crate::classify::clean_message;
use crate::credentials::{CredentialSource, Credentials, CredentialsError};
use crate::time::{TimeParseError, Timestamp};
use alloc::borrow::Cow;
use core::fmt;
use error::shorten;

/// The largest credential document accepted, in bytes (64 KiB). Larger inputs are refused with
/// [`DocumentError::TooLarge`] before any parsing.
pub const MAX_DOCUMENT_SIZE: usize = 64 * 1024;

/// The kinds of input this module reads; [`parse_any`] returns one of the document kinds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DocumentFormat {
    /// EC2 instance metadata role credentials (JSON), [`parse_imds`].
    InstanceMetadata,
    /// ECS/EKS container credentials endpoint (JSON), [`parse_container`].
    Container,
    /// `credential_process` output (JSON), [`parse_process`].
    Process,
    /// IAM Identity Center `GetRoleCredentials` (JSON), [`parse_sso`].
    Sso,
    /// STS `AssumeRole*`/`GetSessionToken` response (XML), [`parse_sts`].
    Sts,
    /// Environment variables, [`parse_env`].
    Environment,
    /// The shared credentials file, [`ProfileSet::parse`].
    CredentialsFile,
    /// The shared config file, [`ProfileSet::parse`].
    ConfigFile,
}

impl DocumentFormat {
    /// A short human name, as used in error messages.
    pub fn name(self) -> &'static str {
        match self {
            DocumentFormat::InstanceMetadata => "IMDS credentials",
            DocumentFormat::Container => "container credentials",
            DocumentFormat::Process => "credential_process output",
            DocumentFormat::Sso => "SSO GetRoleCredentials response",
            DocumentFormat::Sts => "STS response",
            DocumentFormat::Environment => "environment",
            DocumentFormat::CredentialsFile => "shared credentials file",
            DocumentFormat::ConfigFile => "config file",
        }
    }
}

impl fmt::Display for DocumentFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Detects which credential document `bytes` is and parses it; a profile file yields its
/// `default` profile ([`parse_any_profile`] names another).
///
/// - XML (first non-blank byte `<`) is read as an STS response.
/// - A JSON object is recognised by its top-level keys: `roleCredentials` → SSO; `Version` →
///   `credential_process`; `LastUpdated`, `Type` or `Code` → IMDS; `Token`, `RoleArn` or the
///   endpoint error's `code` → container; `SessionToken` → `credential_process`.
/// - Other UTF-8 text is a shared credentials or config file when its first line that is not
///   blank or a comment opens a `[section]` ([`DocumentFormat::CredentialsFile`] when the
///   profile is a `[name]` section, else [`DocumentFormat::ConfigFile`]), and environment
///   variable lines ([`DocumentFormat::Environment`]: `NAME=value` or `export NAME=value`,
///   values optionally quoted) when it assigns `AWS_ACCESS_KEY_ID` or
///   `AWS_SECRET_ACCESS_KEY`.
///
/// Anything else is [`DocumentError::Unrecognized`]. A UTF-8 byte-order mark is skipped. JSON
/// and XML over [`MAX_DOCUMENT_SIZE`] and text over [`MAX_PROFILE_FILE_SIZE`] are refused with
/// [`DocumentError::TooLarge`].
///
/// ```
/// use sigfresh::document::{parse_any, DocumentFormat};
/// let env = b"export AWS_ACCESS_KEY_ID=AKIDEXAMPLE\nexport AWS_SECRET_ACCESS_KEY='secret'\n";
/// assert_eq!(parse_any(env)?.0, DocumentFormat::Environment);
/// let ini = b"[default]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = secret\n";
/// assert_eq!(parse_any(ini)?.0, DocumentFormat::CredentialsFile);
/// # Ok::<(), sigfresh::document::DocumentError>(())
/// ```
pub fn parse_any(bytes: &[u8]) -> Result<(DocumentFormat, Credentials), DocumentError> {
    parse_any_profile(bytes, "default")
}

/// [`parse_any`], reading `profile` (case-sensitive) when the input is a shared credentials or
/// config file. The profile must exist ([`DocumentError::ProfileNotFound`]) and hold static
/// keys ([`DocumentError::ProfileWithoutKeys`]: `role_arn`, `credential_process` and SSO
/// profiles need the credential chain, [`crate::source::chain`]).
pub fn parse_any_profile(
    bytes: &[u8],
    profile: &str,
) -> Result<(DocumentFormat, Credentials), DocumentError> {
    let (body, skipped) = strip_bom(bytes);
    let first = body.iter().find(|b| !b.is_ascii_whitespace());
    match first {
        Some(b'<') => {
            check_size(bytes.len(), None)?;
            parse_sts(bytes).map(|c| (DocumentFormat::Sts, c))
        }
        Some(b'{') => {
            check_size(bytes.len(), None)?;
            let format = detect_json(bytes)?;
            let creds = match format {
                DocumentFormat::Sso => parse_sso(bytes),
                DocumentFormat::InstanceMetadata => parse_imds(bytes),
                DocumentFormat::Container => parse_container(bytes),
                _ => parse_process(bytes),
            }?;
            Ok((format, creds))
        }
        _ => {
            if bytes.len() > MAX_PROFILE_FILE_SIZE {
                return Err(DocumentError::TooLarge {
                    format: None,
                    limit: MAX_PROFILE_FILE_SIZE,
                    actual: bytes.len(),
                });
            }
            let text = core::str::from_utf8(body).map_err(|e| DocumentError::Syntax {
                format: None,
                offset: skipped + e.valid_up_to(),
                detail: Cow::Borrowed("not JSON, XML or UTF-8 text"),
            })?;
            match text::detect(text) {
                Some(text::TextKind::Environment(pairs)) => {
                    text::from_env_lines(&pairs).map(|c| (DocumentFormat::Environment, c))
                }
                Some(text::TextKind::Profiles) => text::from_profiles(text, profile),
                None => Err(DocumentError::Unrecognized {
                    detail: "expected a JSON object, an XML document, a [section] of a \
                             credentials or config file, or AWS_ACCESS_KEY_ID=... lines",
                }),
            }
        }
    }
}

fn detect_json(bytes: &[u8]) -> Result<DocumentFormat, DocumentError> {
    const MARKERS: &[(&str, bool)] = &[
        ("roleCredentials", false),
        ("Version", false),
        ("LastUpdated", false),
        ("Type", false),
        ("Code", true),
        ("Token", false),
        ("RoleArn", false),
        ("code", true),
        ("SessionToken", false),
    ];
    let bits = json::top_level_keys(bytes, MARKERS)?;
    let any = |from: usize, to: usize| (from..to).any(|i| bits & (1 << i) != 0);
    Ok(if any(0, 1) {
        DocumentFormat::Sso
    } else if any(1, 2) {
        DocumentFormat::Process
    } else if any(2, 5) {
        DocumentFormat::InstanceMetadata
    } else if any(5, 8) {
        DocumentFormat::Container
    } else if any(8, 9) {
        DocumentFormat::Process
    } else {
        return Err(DocumentError::Unrecognized {
            detail: "a JSON object without the keys of any known credential document",
        });
    })
}

pub(crate) fn check_size(len: usize, format: Option<DocumentFormat>) -> Result<(), DocumentError> {
    if len > MAX_DOCUMENT_SIZE {
        return Err(DocumentError::TooLarge {
            format,
            limit: MAX_DOCUMENT_SIZE,
            actual: len,
        });
    }
    Ok(())
}

/// The input without a leading UTF-8 byte-order mark, and how many bytes were skipped.
pub(crate) fn strip_bom(bytes: &[u8]) -> (&[u8], usize) {
    match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => (rest, 3),
        None => (bytes, 0),
    }
}

pub(crate) fn time_field(
    format: DocumentFormat,
    field: &'static str,
    parsed: Result<Timestamp, TimeParseError>,
) -> Result<Timestamp, DocumentError> {
    parsed.map_err(|source| DocumentError::InvalidTimestamp {
        format,
        field,
        source,
    })
}

/// A service's error document as an error. Code and message are cleaned as
/// [`classify`](crate::classify) cleans them (control characters → spaces, base64-looking runs
/// of 40 or more characters → `** redacted **`, cut to
/// [`MESSAGE_LIMIT`](crate::classify::MESSAGE_LIMIT) bytes): an error message can echo the
/// token the request carried.
pub(crate) fn service_error(format: DocumentFormat, code: &str, message: &str) -> DocumentError {
    DocumentError::ServiceError {
        format,
        code: shorten(&clean_message(code), 256),
        message: clean_message(message),
    }
}

/// The account id of an ARN (`arn:partition:service:region:account:resource`), when it is
/// 12 digits.
pub(crate) fn account_id_from_arn(arn: &str) -> Option<&str> {
    let mut parts = arn.splitn(6, ':');
    let (prefix, account) = (parts.next()?, parts.nth(3)?);
    parts.next()?;
    (prefix == "arn" && account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit()))
        .then_some(account)
}

/// Which credential part a [`CredentialsError`] is about.
pub(crate) enum Part {
    AccessKeyId,
    SecretAccessKey,
    SessionToken,
    AccountId,
}

pub(crate) fn failed_part(e: &CredentialsError) -> Part {
    let field = match e {
        CredentialsError::Empty(field) | CredentialsError::InvalidCharacter { field, .. } => field,
    };
    match *field {
        "secret access key" => Part::SecretAccessKey,
        "session token" => Part::SessionToken,
        "account id" => Part::AccountId,
        _ => Part::AccessKeyId,
    }
}

/// How a format names the four credential fields, for errors.
pub(crate) struct FieldNames {
    pub(crate) access_key_id: &'static str,
    pub(crate) secret_access_key: &'static str,
    pub(crate) session_token: &'static str,
    pub(crate) account_id: &'static str,
}

/// The parts of credentials read from a document, before validation.
pub(crate) struct Parts<'a> {
    pub(crate) access_key_id: Cow<'a, str>,
    pub(crate) secret_access_key: Cow<'a, str>,
    pub(crate) session_token: Option<Cow<'a, str>>,
    pub(crate) expiry: Option<Timestamp>,
    pub(crate) account_id: Option<Cow<'a, str>>,
}

/// An owned copy for the builder, which wipes it on drop; an owned original moves in without
/// copying.
fn owned(c: Cow<'_, str>) -> String {
    c.into_owned()
}

impl Parts<'_> {
    /// Validates and builds; the error names the document's field.
    pub(crate) fn build(
        self,
        format: DocumentFormat,
        names: &FieldNames,
        source: CredentialSource,
    ) -> Result<Credentials, DocumentError> {
        let mut builder =
            Credentials::builder(owned(self.access_key_id), owned(self.secret_access_key))
                .session_token_opt(self.session_token.map(owned))
                .expiry_opt(self.expiry)
                .source(source);
        if let Some(account) = self.account_id {
            builder = builder.account_id(owned(account));
        }
        builder
            .build()
            .map_err(|source| DocumentError::InvalidCredentials {
                format,
                field: match failed_part(&source) {
                    Part::AccessKeyId => names.access_key_id,
                    Part::SecretAccessKey => names.secret_access_key,
                    Part::SessionToken => names.session_token,
                    Part::AccountId => names.account_id,
                },
                source,
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arn_account_ids() {
        for (arn, want) in [
            (
                "arn:aws:sts::123456789012:assumed-role/r/s",
                Some("123456789012"),
            ),
            ("arn:aws-cn:iam::000000000001:role/x", Some("000000000001")),
            ("arn:aws:iam::12345678901:role/x", None),
            ("arn:aws:iam::1234567890123:role/x", None),
            ("arn:aws:iam::12345678901a:role/x", None),
            ("arn:aws:iam::123456789012", None),
            ("nra:aws:iam::123456789012:role/x", None),
            ("", None),
        ] {
            assert_eq!(account_id_from_arn(arn), want, "{arn}");
        }
    }

    #[test]
    fn detection() {
        let ok = |doc: &str| parse_any(doc.as_bytes()).map(|(f, _)| f);
        let keys = r#""AccessKeyId":"A","SecretAccessKey":"S","Expiration":"2024-05-01T18:00:00Z""#;
        assert_eq!(
            ok(&format!(r#"{{"Code":"Success",{keys},"Token":"T"}}"#)),
            Ok(DocumentFormat::InstanceMetadata)
        );
        assert_eq!(
            ok(&format!(r#"{{{keys},"Token":"T"}}"#)),
            Ok(DocumentFormat::Container)
        );
        assert_eq!(
            ok(&format!(r#"{{"Version":1,{keys}}}"#)),
            Ok(DocumentFormat::Process)
        );
        assert!(matches!(
            parse_any(br#"{"code":"X","message":"m"}"#),
            Err(DocumentError::ServiceError {
                format: DocumentFormat::Container,
                ..
            })
        ));
        assert!(matches!(
            parse_any(br#"{"Code":"X","Message":"m"}"#),
            Err(DocumentError::ServiceError {
                format: DocumentFormat::InstanceMetadata,
                ..
            })
        ));
        assert!(matches!(
            parse_any(br#"{"a": 1}"#),
            Err(DocumentError::Unrecognized { .. })
        ));
        assert!(matches!(
            parse_any(b"1"),
            Err(DocumentError::Unrecognized { .. })
        ));
        // `[1]` opens a section: a credentials file without a `default` profile.
        assert!(matches!(
            parse_any(b"[1]"),
            Err(DocumentError::ProfileNotFound { .. })
        ));
        assert!(matches!(
            parse_any(b"{\"a\""),
            Err(DocumentError::Syntax { format: None, .. })
        ));
        assert!(matches!(
            parse_any(b"<x/>"),
            Err(DocumentError::UnexpectedRoot { .. })
        ));
    }

    #[test]
    fn detects_text_formats() {
        let env = "# from aws configure export-credentials --format env\n\
                   export AWS_ACCESS_KEY_ID=ASIAEXAMPLE\n\
                   export AWS_SECRET_ACCESS_KEY=\"secret\"\n\
                   export AWS_SESSION_TOKEN='token'\n\
                   export AWS_CREDENTIAL_EXPIRATION=2024-05-01T18:00:00Z\n";
        let (format, c) = parse_any(env.as_bytes()).unwrap();
        assert_eq!(format, DocumentFormat::Environment);
        assert_eq!(c.access_key_id().as_str(), "ASIAEXAMPLE");
        assert_eq!(c.session_token().map(|t| t.expose_secret()), Some("token"));
        assert!(c.expiry().is_some());
        assert!(matches!(
            parse_any(b"AWS_ACCESS_KEY_ID=A\n"),
            Err(DocumentError::MissingField {
                format: DocumentFormat::Environment,
                field: "AWS_SECRET_ACCESS_KEY"
            })
        ));

        let creds = "\u{feff}; c\n[default]\naws_access_key_id = A1\naws_secret_access_key = S\n\
                     [dev]\naws_access_key_id = A2\naws_secret_access_key = S\n";
        let (format, c) = parse_any(creds.as_bytes()).unwrap();
        assert_eq!(
            (format, c.access_key_id().as_str()),
            (DocumentFormat::CredentialsFile, "A1")
        );
        let (_, c) = parse_any_profile(creds.as_bytes(), "dev").unwrap();
        assert_eq!(c.access_key_id().as_str(), "A2");
        assert_eq!(
            parse_any_profile(creds.as_bytes(), "nope").unwrap_err(),
            DocumentError::ProfileNotFound {
                profile: "nope".into()
            }
        );
        let config = "[profile dev]\naws_access_key_id = A3\naws_secret_access_key = S\n\
                      [profile role]\nrole_arn = arn:aws:iam::123456789012:role/r\n";
        let (format, c) = parse_any_profile(config.as_bytes(), "dev").unwrap();
        assert_eq!(
            (format, c.access_key_id().as_str()),
            (DocumentFormat::ConfigFile, "A3")
        );
        assert_eq!(
            parse_any_profile(config.as_bytes(), "role").unwrap_err(),
            DocumentError::ProfileWithoutKeys {
                profile: "role".into(),
                file: DocumentFormat::ConfigFile
            }
        );
        assert!(matches!(
            parse_any(b"[default\n"),
            Err(DocumentError::IniSyntax { .. })
        ));
        assert!(matches!(
            parse_any(b"PATH=/bin\n"),
            Err(DocumentError::Unrecognized { .. })
        ));
        assert!(matches!(
            parse_any(b"\xEF\xBB\xBFab\xFF"),
            Err(DocumentError::Syntax {
                format: None,
                offset: 5,
                ..
            })
        ));
        let big = format!(
            "[default]\n{}",
            "x = y\n".repeat(MAX_PROFILE_FILE_SIZE / 6 + 1)
        );
        assert!(matches!(
            parse_any(big.as_bytes()),
            Err(DocumentError::TooLarge {
                limit: MAX_PROFILE_FILE_SIZE,
                ..
            })
        ));
    }
}
