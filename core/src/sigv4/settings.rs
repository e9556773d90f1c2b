//! Signing settings: every knob is an enum with a documented default.

use crate::prelude::*;
/// How the canonical URI path is percent-encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum UriEncoding {
    /// Every service except S3: encode the path as sent once more, so `%3A` becomes `%253A`.
    #[default]
    Double,
    /// S3: the path is decoded and encoded once (a properly encoded path is unchanged).
    Single,
}

/// Whether `.`/`..` segments and repeated `/` are removed from the path before signing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum PathNormalization {
    /// Remove dot segments and merge slashes (RFC 3986 §5.2.4). Every service except S3.
    #[default]
    Enabled,
    /// Sign the path exactly as sent. S3 (object keys may contain `//` and `..`).
    Disabled,
}

/// Where the session token of temporary credentials goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum SessionTokenMode {
    /// `X-Amz-Security-Token` is part of the canonical request (what almost every service wants).
    #[default]
    Signed,
    /// The token is added after the signature is computed and is not signed (AWS IoT and a few
    /// other services; the suite's `post-sts-header-after` case).
    AppendAfterSigning,
}

/// Whether the signer adds an `x-amz-content-sha256` header carrying the payload hash.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum ContentSha256Header {
    /// Do not add it (most services).
    #[default]
    Omit,
    /// Add it and sign it (S3 requires it, including `UNSIGNED-PAYLOAD`).
    Add,
}

/// What a presigned request signs as its payload.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum PresignedPayload {
    /// The payload the host describes in the [`SignableRequest`](super::SignableRequest)
    /// (every service but S3; for a URL with no body, `Payload::Bytes(b"")`).
    #[default]
    AsGiven,
    /// `UNSIGNED-PAYLOAD`, whatever the host describes: the body sent with a presigned URL is
    /// not known when the URL is made. S3's rule (botocore, the AWS SDKs and the S3
    /// documentation's examples presign S3 this way); the default of [`SigningSettings::s3`]
    /// and [`VerifySettings::s3`](super::VerifySettings::s3). Header signing is not affected.
    Unsigned,
}

/// Which of the request's headers are signed. `host` and the headers the signer itself adds
/// (`x-amz-date`, `x-amz-security-token`, `x-amz-content-sha256`) are always signed.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum HeaderSelection {
    /// Every given header except [`DEFAULT_EXCLUDED_HEADERS`] (headers proxies and HTTP
    /// stacks add, change or drop).
    #[default]
    Default,
    /// Only these headers (case-insensitive), plus `host` and the signer's own headers.
    AllowList(Vec<String>),
    /// Every given header except [`DEFAULT_EXCLUDED_HEADERS`] and these (case-insensitive).
    DenyList(Vec<String>),
}

/// Headers never signed by default: the `Authorization` header itself, `User-Agent`
/// (rewritten by SDKs and proxies), `X-Amzn-Trace-Id` (added by load balancers), `Expect`,
/// and the hop-by-hop headers of RFC 9110 §7.6.1 that intermediaries may remove.
pub const DEFAULT_EXCLUDED_HEADERS: &[&str] = &[
    "authorization",
    "user-agent",
    "x-amzn-trace-id",
    "expect",
    "transfer-encoding",
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "proxy-connection",
    "te",
    "trailer",
    "upgrade",
];

/// The longest lifetime AWS accepts for a presigned URL: 7 days.
pub const MAX_PRESIGN_EXPIRES_SECS: u32 = 604_800;

/// Where the signature goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum SignatureLocation {
    /// An `Authorization` header (plus `x-amz-date` and friends).
    #[default]
    Headers,
    /// Query parameters: a presigned URL valid for `expires_in_secs` (1..=604800) seconds.
    QueryString {
        /// `X-Amz-Expires`.
        expires_in_secs: u32,
    },
}

/// All signing settings. Start from [`SigningSettings::default`] (every service but S3) or
/// [`SigningSettings::s3`] and change fields.
///
/// ```
/// use sigfresh::sigv4::{SigningSettings, SessionTokenMode};
/// let mut s = SigningSettings::default();
/// s.session_token = SessionTokenMode::AppendAfterSigning;
/// let presign = SigningSettings::s3().presigned(900);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct SigningSettings {
    /// Path encoding; default [`UriEncoding::Double`].
    pub uri_encoding: UriEncoding,
    /// Path normalization; default [`PathNormalization::Enabled`].
    pub path_normalization: PathNormalization,
    /// Session token placement; default [`SessionTokenMode::Signed`].
    pub session_token: SessionTokenMode,
    /// `x-amz-content-sha256`; default [`ContentSha256Header::Omit`].
    pub content_sha256: ContentSha256Header,
    /// Which headers are signed; default [`HeaderSelection::Default`].
    pub headers: HeaderSelection,
    /// Header or query signing; default [`SignatureLocation::Headers`].
    pub location: SignatureLocation,
    /// The payload of a presigned request; default [`PresignedPayload::AsGiven`],
    /// [`PresignedPayload::Unsigned`] in [`SigningSettings::s3`].
    pub presigned_payload: PresignedPayload,
}

impl SigningSettings {
    /// The S3 rules: single URI encoding, no path normalization, `x-amz-content-sha256` added
    /// (header signing), presigned URLs signed over `UNSIGNED-PAYLOAD`.
    pub fn s3() -> Self {
        SigningSettings {
            uri_encoding: UriEncoding::Single,
            path_normalization: PathNormalization::Disabled,
            content_sha256: ContentSha256Header::Add,
            presigned_payload: PresignedPayload::Unsigned,
            ..SigningSettings::default()
        }
    }

    /// The same settings, signing into the query string (a presigned URL valid for
    /// `expires_in_secs`). The range 1..=604800 is checked when signing.
    pub fn presigned(mut self, expires_in_secs: u32) -> Self {
        self.location = SignatureLocation::QueryString { expires_in_secs };
        self
    }
}
