//! The one error type of the document parsers.

use super::DocumentFormat;
use crate::credentials::CredentialsError;
use crate::prelude::*;
use crate::time::TimeParseError;
use alloc::borrow::Cow;
use core::fmt;

/// Why a credential document, environment or profile file did not yield credentials.
///
/// Every message names the format and, where it applies, the field, byte offset or line. No
/// message ever contains a secret access key or session token: values are described by their
/// type, position or length, never echoed. (`ServiceError` carries the service's own error code
/// and message, cleaned as `classify` cleans them: base64-looking runs that could be an echoed
/// token are redacted.)
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DocumentError {
    /// The input is larger than the limit ([`super::MAX_DOCUMENT_SIZE`] for documents) and was
    /// refused before parsing.
    TooLarge {
        /// The format being parsed (`None` for [`super::parse_any`]).
        format: Option<DocumentFormat>,
        /// The limit in bytes.
        limit: usize,
        /// The input's size in bytes.
        actual: usize,
    },
    /// The bytes are not well-formed JSON or XML: a syntax error, a truncated document, invalid
    /// UTF-8, or a construct the strict reader refuses (such as a DTD).
    Syntax {
        /// The format being parsed (`None` when [`super::parse_any`] failed before detection).
        format: Option<DocumentFormat>,
        /// Byte offset of the problem in the input.
        offset: usize,
        /// What was wrong (never contains document content).
        detail: Cow<'static, str>,
    },
    /// [`super::parse_any`] read a well-formed document but could not tell which format it is.
    Unrecognized {
        /// What was expected.
        detail: &'static str,
    },
    /// The XML root element is not one of the responses the STS parser reads.
    UnexpectedRoot {
        /// The format being parsed.
        format: DocumentFormat,
        /// The root element's local name (shortened to 64 characters).
        found: String,
    },
    /// A required field is absent (or `null`).
    MissingField {
        /// The format being parsed.
        format: DocumentFormat,
        /// The field, spelled as the format documents it (e.g. `SecretAccessKey`,
        /// `roleCredentials.sessionToken`, `AWS_SECRET_ACCESS_KEY`).
        field: &'static str,
    },
    /// A field has the wrong JSON type (or an XML element where text was expected).
    WrongType {
        /// The format being parsed.
        format: DocumentFormat,
        /// The field.
        field: &'static str,
        /// What the format requires, e.g. `a string`.
        expected: &'static str,
        /// What was found, e.g. `a number`.
        found: &'static str,
    },
    /// A field appears more than once (keys that differ only in ASCII case count as the same).
    DuplicateField {
        /// The format being parsed.
        format: DocumentFormat,
        /// The field.
        field: &'static str,
    },
    /// A timestamp field did not parse.
    InvalidTimestamp {
        /// The format being parsed.
        format: DocumentFormat,
        /// The field.
        field: &'static str,
        /// What the timestamp parser expected and where (offset within the field's value).
        source: TimeParseError,
    },
    /// The document is the service's error response (IMDS `Code` other than `Success`, a
    /// container endpoint `{"code", "message"}`, an STS `<ErrorResponse>`).
    ServiceError {
        /// The format being parsed.
        format: DocumentFormat,
        /// The service's error code, e.g. `AccessDenied` (cleaned, shortened to 256 characters).
        code: String,
        /// The service's message, possibly empty: control characters become spaces,
        /// base64-looking runs of 40 or more characters `** redacted **`, cut to
        /// [`MESSAGE_LIMIT`](crate::classify::MESSAGE_LIMIT) bytes.
        message: String,
    },
    /// A version field names a version this parser does not read (`credential_process`
    /// output must say `"Version": 1`).
    UnsupportedVersion {
        /// The format being parsed.
        format: DocumentFormat,
        /// The field, e.g. `Version`.
        field: &'static str,
        /// The version found, as text.
        found: String,
    },
    /// The fields are present but do not make valid credentials (empty, or a character that
    /// cannot appear in them).
    InvalidCredentials {
        /// The format being parsed.
        format: DocumentFormat,
        /// The document field that is invalid.
        field: &'static str,
        /// What is wrong with it (names a byte offset, never the value).
        source: CredentialsError,
    },
    /// A line of a shared credentials or config file is malformed.
    IniSyntax {
        /// Which file: [`DocumentFormat::CredentialsFile`] or [`DocumentFormat::ConfigFile`].
        file: DocumentFormat,
        /// 1-based line number.
        line: usize,
        /// What was wrong.
        detail: &'static str,
    },
    /// A profile has one of `aws_access_key_id`/`aws_secret_access_key` but not the other.
    ProfileMissingKey {
        /// The profile's name.
        profile: String,
        /// The missing key.
        key: &'static str,
        /// The file that set the key that is present.
        file: DocumentFormat,
        /// The line of the key that is present.
        line: usize,
    },
    /// A profile's static credentials are invalid (empty, or a character that cannot appear).
    ProfileInvalidKey {
        /// The profile's name.
        profile: String,
        /// The invalid key, e.g. `aws_secret_access_key`.
        key: &'static str,
        /// The file that set it.
        file: DocumentFormat,
        /// The line that set it.
        line: usize,
        /// What is wrong with it (names a byte offset, never the value).
        source: CredentialsError,
    },
    /// [`super::parse_any_profile`] read a credentials or config file without the profile.
    ProfileNotFound {
        /// The profile asked for.
        profile: String,
    },
    /// [`super::parse_any_profile`] found the profile, but it has neither
    /// `aws_access_key_id` nor `aws_secret_access_key` (a `role_arn`, `credential_process` or
    /// SSO profile: the credential chain resolves those).
    ProfileWithoutKeys {
        /// The profile's name.
        profile: String,
        /// The file it is in.
        file: DocumentFormat,
    },
}

impl DocumentError {
    /// The format or file the error is about, when known.
    pub fn format(&self) -> Option<DocumentFormat> {
        use DocumentError as E;
        match self {
            E::TooLarge { format, .. } | E::Syntax { format, .. } => *format,
            E::Unrecognized { .. } | E::ProfileNotFound { .. } => None,
            E::UnexpectedRoot { format, .. }
            | E::MissingField { format, .. }
            | E::WrongType { format, .. }
            | E::DuplicateField { format, .. }
            | E::InvalidTimestamp { format, .. }
            | E::ServiceError { format, .. }
            | E::UnsupportedVersion { format, .. }
            | E::InvalidCredentials { format, .. } => Some(*format),
            E::IniSyntax { file, .. }
            | E::ProfileMissingKey { file, .. }
            | E::ProfileInvalidKey { file, .. }
            | E::ProfileWithoutKeys { file, .. } => Some(*file),
        }
    }

    /// The field (or profile key) the error is about, when there is one.
    pub fn field(&self) -> Option<&'static str> {
        use DocumentError as E;
        match self {
            E::MissingField { field, .. }
            | E::WrongType { field, .. }
            | E::DuplicateField { field, .. }
            | E::InvalidTimestamp { field, .. }
            | E::UnsupportedVersion { field, .. }
            | E::InvalidCredentials { field, .. } => Some(field),
            E::ProfileMissingKey { key, .. } | E::ProfileInvalidKey { key, .. } => Some(key),
            _ => None,
        }
    }
}

/// `None` formats print as a generic name.
struct Fmt(Option<DocumentFormat>);

impl fmt::Display for Fmt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(format) => fmt::Display::fmt(&format, f),
            None => f.write_str("credential document"),
        }
    }
}

impl fmt::Display for DocumentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use DocumentError as E;
        match self {
            E::TooLarge {
                format,
                limit,
                actual,
            } => write!(
                f,
                "{}: input is {actual} bytes, over the {limit}-byte limit",
                Fmt(*format)
            ),
            E::Syntax {
                format,
                offset,
                detail,
            } => write!(f, "{}: malformed at byte {offset}: {detail}", Fmt(*format)),
            E::Unrecognized { detail } => write!(f, "unrecognized credential document: {detail}"),
            E::UnexpectedRoot { format, found } => write!(
                f,
                "{format}: unexpected root element <{}>",
                found.escape_debug()
            ),
            E::MissingField { format, field } => write!(f, "{format}: missing field `{field}`"),
            E::WrongType {
                format,
                field,
                expected,
                found,
            } => write!(
                f,
                "{format}: field `{field}` should be {expected}, found {found}"
            ),
            E::DuplicateField { format, field } => {
                write!(f, "{format}: field `{field}` appears more than once")
            }
            E::InvalidTimestamp {
                format,
                field,
                source,
            } => write!(f, "{format}: field `{field}`: {source}"),
            E::ServiceError {
                format,
                code,
                message,
            } => {
                write!(
                    f,
                    "{format}: the service returned error `{}`",
                    code.escape_debug()
                )?;
                if !message.is_empty() {
                    write!(f, ": {}", message.escape_debug())?;
                }
                Ok(())
            }
            E::UnsupportedVersion {
                format,
                field,
                found,
            } => write!(
                f,
                "{format}: `{field}` is {}, only 1 is supported",
                found.escape_debug()
            ),
            E::InvalidCredentials {
                format,
                field,
                source,
            } => write!(f, "{format}: field `{field}`: {source}"),
            E::IniSyntax { file, line, detail } => write!(f, "{file} line {line}: {detail}"),
            E::ProfileMissingKey {
                profile,
                key,
                file,
                line,
            } => write!(
                f,
                "profile `{}` ({file} line {line}): `{key}` is missing",
                profile.escape_debug()
            ),
            E::ProfileInvalidKey {
                profile,
                key,
                file,
                line,
                source,
            } => write!(
                f,
                "profile `{}` ({file} line {line}): `{key}`: {source}",
                profile.escape_debug()
            ),
            E::ProfileNotFound { profile } => {
                write!(f, "no profile `{}`", profile.escape_debug())
            }
            E::ProfileWithoutKeys { profile, file } => write!(
                f,
                "profile `{}` ({file}) has no aws_access_key_id/aws_secret_access_key: \
                 role_arn, credential_process and SSO profiles need the credential chain",
                profile.escape_debug()
            ),
        }
    }
}

impl core::error::Error for DocumentError {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        match self {
            DocumentError::InvalidTimestamp { source, .. } => Some(source),
            DocumentError::InvalidCredentials { source, .. }
            | DocumentError::ProfileInvalidKey { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// `s` cut to at most `max` characters (on a character boundary).
pub(crate) fn shorten(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => s.get(..i).unwrap_or_default().to_owned(),
        None => s.to_owned(),
    }
}
