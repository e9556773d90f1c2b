//! What can go wrong while signing or verifying.

use crate::prelude::*;
use core::fmt;

/// Why a request could not be signed. Messages name the part of the request at fault and
/// never contain a secret.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SigningError {
    /// The region is empty or has characters that cannot appear in a credential scope (spaces,
    /// control characters, non-ASCII, or one of
    /// [`SCOPE_SEPARATORS`](crate::credentials::SCOPE_SEPARATORS)).
    InvalidRegion,
    /// The service name is empty or has characters that cannot appear in a credential scope
    /// (as for [`InvalidRegion`](Self::InvalidRegion)).
    InvalidService,
    /// The method is empty or is not an HTTP token.
    InvalidMethod,
    /// The URI is neither an absolute `http(s)://` URL nor an origin-form path starting with `/`.
    InvalidUri {
        /// What was wrong.
        reason: &'static str,
    },
    /// No `host` header was given and the URI has no authority to derive it from.
    MissingHost,
    /// A header name is not an HTTP token (RFC 9110 §5.1).
    InvalidHeaderName {
        /// Position of the header in the given list.
        index: usize,
    },
    /// A signed header's value has a byte AWS would reject (control character, CR/LF,
    /// or non-ASCII).
    InvalidHeaderValue {
        /// The header name, lowercased.
        name: String,
        /// Byte offset of the first offending byte in the value.
        offset: usize,
    },
    /// A precomputed payload hash is not 64 lowercase hex digits.
    InvalidPayloadHash,
    /// The request carries an `x-amz-content-sha256` header that differs from the payload
    /// description (S3 would answer `XAmzContentSHA256Mismatch`).
    ContentSha256Mismatch,
    /// `X-Amz-Expires` must be 1..=604800 seconds.
    InvalidExpires {
        /// The value given.
        expires_in_secs: u32,
    },
    /// The signing time is outside years 0..=9999.
    TimeOutOfRange,
    /// An allow- or deny-list entry is not a valid header name.
    InvalidHeaderSelection,
}

impl fmt::Display for SigningError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SigningError::InvalidRegion => {
                f.write_str("region is empty or contains characters not allowed in a scope (spaces, non-ASCII, / , & = ;)")
            }
            SigningError::InvalidService => {
                f.write_str("service is empty or contains characters not allowed in a scope (spaces, non-ASCII, / , & = ;)")
            }
            SigningError::InvalidMethod => f.write_str("HTTP method is empty or not a token"),
            SigningError::InvalidUri { reason } => write!(f, "invalid request URI: {reason}"),
            SigningError::MissingHost => f.write_str(
                "no host header and the URI has no authority (give an absolute URL or a host header)",
            ),
            SigningError::InvalidHeaderName { index } => {
                write!(f, "header #{index} has a name that is not an HTTP token")
            }
            // `name` is an HTTP token (checked first), so quoting it needs no escapes: the
            // same text as `{name:?}`, without linking the `Debug` escaper into the wasm build.
            SigningError::InvalidHeaderValue { name, offset } => write!(
                f,
                "header \"{name}\" has a byte AWS rejects at offset {offset} \
                 (control character, line break or non-ASCII); encode it or leave the header unsigned"
            ),
            SigningError::InvalidPayloadHash => {
                f.write_str("precomputed payload hash must be 64 lowercase hex digits")
            }
            SigningError::ContentSha256Mismatch => f.write_str(
                "the x-amz-content-sha256 header differs from the payload being signed \
                 (S3 would reject it with XAmzContentSHA256Mismatch)",
            ),
            SigningError::InvalidExpires { expires_in_secs } => write!(
                f,
                "X-Amz-Expires must be between 1 and 604800 seconds (7 days), got {expires_in_secs}"
            ),
            SigningError::TimeOutOfRange => f.write_str("signing time is outside years 0..=9999"),
            SigningError::InvalidHeaderSelection => {
                f.write_str("a header allow/deny list entry is not a valid header name")
            }
        }
    }
}

impl core::error::Error for SigningError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_value_message_quotes_the_name_as_debug_would() {
        for name in ["x-note", "x-amz-meta-a", "!#$%&'*+-.^_`|~09az"] {
            let e = SigningError::InvalidHeaderValue {
                name: name.to_owned(),
                offset: 3,
            };
            assert_eq!(
                e.to_string(),
                format!(
                    "header {name:?} has a byte AWS rejects at offset 3 (control character, \
                     line break or non-ASCII); encode it or leave the header unsigned"
                )
            );
        }
    }
}
