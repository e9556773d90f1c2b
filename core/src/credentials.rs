//! AWS credentials as one immutable, cheaply shared value.
//!
//! [`Credentials`] is an `Arc` inside: cloning is a reference-count bump, and every clone sees
//! the same access key, secret and token, so a key/secret pair can never be torn. The secret
//! access key and the session token are held in types that redact `Debug`/`Display` and are
//! zeroized when the last clone is dropped. Each `Credentials` also caches the SigV4 signing key
//! it derived last (the scope changes once a day), so steady-state signing does no key
//! derivation.

use crate::prelude::*;
use crate::sigv4::SigningKey;
use crate::swap::ArcSwapOption;
use crate::time::Timestamp;
use alloc::sync::Arc;
use core::fmt;
use zeroize::{Zeroize, ZeroizeOnDrop};

/// An access key id (`AKIA...`, `ASIA...`). Not secret: shown in `Debug` and error messages.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct AccessKeyId(Box<str>);

impl AccessKeyId {
    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for AccessKeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for AccessKeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A secret access key. `Debug` and `Display` print `** redacted **`; zeroized on drop.
#[derive(Clone)]
pub struct SecretAccessKey(String);

impl SecretAccessKey {
    /// The secret itself. Named loudly on purpose: call it only to hand the secret to a signer
    /// or to a host that explicitly asked for it.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

/// A session token (temporary credentials). `Debug`/`Display` redact it; zeroized on drop.
#[derive(Clone)]
pub struct SessionToken(String);

/// Overwrites a string's whole allocation with zeros and empties it. `clear` first, so that
/// `zeroize` sees every byte as spare capacity and wipes it with one bulk fill behind an
/// optimization barrier (zeroize's fast path) rather than one volatile write per byte.
pub(crate) fn wipe(s: &mut String) {
    s.clear();
    s.zeroize();
}

macro_rules! wiped_on_drop {
    ($t:ty) => {
        impl Zeroize for $t {
            fn zeroize(&mut self) {
                wipe(&mut self.0);
            }
        }
        impl Drop for $t {
            fn drop(&mut self) {
                wipe(&mut self.0);
            }
        }
        impl ZeroizeOnDrop for $t {}
    };
}
wiped_on_drop!(SecretAccessKey);
wiped_on_drop!(SessionToken);

impl SessionToken {
    /// The token itself, to send as `X-Amz-Security-Token`.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

const REDACTED: &str = "** redacted **";

impl fmt::Debug for SecretAccessKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}
impl fmt::Display for SecretAccessKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}
impl fmt::Debug for SessionToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}
impl fmt::Display for SessionToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

/// Where a set of credentials came from. Shown in diagnostics; decides policy details such as
/// IMDS static stability.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum CredentialSource {
    /// Given directly by the host (flags, code).
    #[default]
    Static,
    /// `AWS_ACCESS_KEY_ID` and friends.
    Environment,
    /// A shared credentials/config file profile (the profile name).
    Profile(String),
    /// EC2 instance metadata (IMDS) role credentials.
    InstanceMetadata,
    /// ECS/EKS container credentials endpoint.
    ContainerEndpoint,
    /// `credential_process` output.
    Process,
    /// IAM Identity Center (SSO) `GetRoleCredentials`.
    Sso,
    /// An STS response (`AssumeRole`, `AssumeRoleWithWebIdentity`, `GetSessionToken`).
    Sts,
}

/// Why a set of credentials could not be built.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CredentialsError {
    /// A required field was empty (names the field).
    Empty(&'static str),
    /// A field contained a byte that cannot appear in it (names the field and byte offset; the
    /// value itself is never echoed).
    InvalidCharacter {
        /// Which field.
        field: &'static str,
        /// Byte offset of the first bad byte.
        offset: usize,
    },
}

impl fmt::Display for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CredentialsError::Empty(field) => write!(f, "{field} is empty"),
            CredentialsError::InvalidCharacter { field, offset } => {
                write!(
                    f,
                    "{field} has a character that is not allowed at byte {offset}"
                )
            }
        }
    }
}

impl core::error::Error for CredentialsError {}

/// How many (date, region, service) signing keys one `Credentials` keeps: enough for a host
/// that signs for a few services or regions with the same credentials.
const KEY_CACHE_ENTRIES: usize = 4;

/// A derived SigV4 signing key with the scope it belongs to. The key is zeroized when
/// replaced or dropped (its own `Drop`).
#[derive(Clone)]
pub(crate) struct CachedKey {
    /// `YYYYMMDD/region/service` as bytes.
    pub(crate) scope: Vec<u8>,
    pub(crate) key: SigningKey,
}

struct Inner {
    access_key_id: AccessKeyId,
    secret_access_key: SecretAccessKey,
    session_token: Option<SessionToken>,
    expiry: Option<Timestamp>,
    account_id: Option<Box<str>>,
    source: CredentialSource,
    /// Lock-free to read: signing from many threads with one `Credentials` never contends.
    key_cache: ArcSwapOption<Vec<CachedKey>>,
}

/// AWS credentials: access key id, secret access key, optional session token, optional expiry,
/// optional account id, and where they came from. Immutable and cheap to clone (an `Arc`).
///
/// ```
/// use sigfresh::credentials::Credentials;
/// let c = Credentials::builder("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
///     .session_token("token")
///     .build()
///     .unwrap();
/// assert_eq!(c.access_key_id().as_str(), "AKIDEXAMPLE");
/// assert!(!format!("{c:?}").contains("EXAMPLEKEY"));
/// ```
#[derive(Clone)]
pub struct Credentials(Arc<Inner>);

impl Credentials {
    /// Starts a builder with the two required parts.
    pub fn builder(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
    ) -> CredentialsBuilder {
        CredentialsBuilder {
            access_key_id: access_key_id.into(),
            secret_access_key: secret_access_key.into(),
            session_token: None,
            expiry: None,
            account_id: None,
            source: CredentialSource::Static,
        }
    }

    /// The access key id.
    pub fn access_key_id(&self) -> &AccessKeyId {
        &self.0.access_key_id
    }
    /// The secret access key (redacted when printed).
    pub fn secret_access_key(&self) -> &SecretAccessKey {
        &self.0.secret_access_key
    }
    /// The session token of temporary credentials.
    pub fn session_token(&self) -> Option<&SessionToken> {
        self.0.session_token.as_ref()
    }
    /// When these credentials stop working, if they expire.
    pub fn expiry(&self) -> Option<Timestamp> {
        self.0.expiry
    }
    /// The AWS account id, when the source reported it.
    pub fn account_id(&self) -> Option<&str> {
        self.0.account_id.as_deref()
    }
    /// Where these credentials came from.
    pub fn source(&self) -> &CredentialSource {
        &self.0.source
    }
    /// True when both values are the very same credentials object (not merely equal fields).
    pub fn ptr_eq(&self, other: &Credentials) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }

    /// Runs `f` with the cached signing key for `scope` (`YYYYMMDD/region/service`), deriving it
    /// with `derive` on a miss. The cache keeps the last few scopes (a scope changes once a day).
    pub(crate) fn with_signing_key<R>(
        &self,
        scope: &[u8],
        derive: impl FnOnce(&str) -> SigningKey,
        f: impl FnOnce(&SigningKey) -> R,
    ) -> R {
        let cached = self.0.key_cache.load();
        let ring = cached.as_deref().map_or(&[][..], Vec::as_slice);
        if let Some(k) = ring.iter().find(|k| k.scope == scope) {
            return f(&k.key);
        }
        // Miss (first use, a new day, another region or service): derive, use, and publish with
        // the most recent others. Two threads missing at once both derive the same key; the last
        // store wins, which is harmless.
        let key = derive(self.0.secret_access_key.expose_secret());
        let out = f(&key);
        let mut next = Vec::with_capacity(KEY_CACHE_ENTRIES);
        next.push(CachedKey {
            scope: scope.to_vec(),
            key,
        });
        next.extend(ring.iter().take(KEY_CACHE_ENTRIES - 1).cloned());
        self.0.key_cache.store(Some(Arc::new(next)));
        out
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.0.access_key_id)
            .field("secret_access_key", &self.0.secret_access_key)
            .field("session_token", &self.0.session_token)
            .field("expiry", &self.0.expiry)
            .field("account_id", &self.0.account_id)
            .field("source", &self.0.source)
            .finish()
    }
}

/// Builds [`Credentials`]; validation happens once, in [`CredentialsBuilder::build`].
pub struct CredentialsBuilder {
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
    expiry: Option<Timestamp>,
    account_id: Option<String>,
    source: CredentialSource,
}

impl fmt::Debug for CredentialsBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CredentialsBuilder")
            .field("access_key_id", &self.access_key_id)
            .field("expiry", &self.expiry)
            .field("source", &self.source)
            .finish_non_exhaustive()
    }
}

impl Drop for CredentialsBuilder {
    fn drop(&mut self) {
        wipe(&mut self.secret_access_key);
        if let Some(t) = &mut self.session_token {
            wipe(t);
        }
    }
}

impl CredentialsBuilder {
    /// Sets the session token (temporary credentials).
    pub fn session_token(mut self, token: impl Into<String>) -> Self {
        self.session_token = Some(token.into());
        self
    }
    /// Sets an optional session token.
    pub fn session_token_opt(mut self, token: Option<String>) -> Self {
        self.session_token = token;
        self
    }
    /// Sets when the credentials expire.
    pub fn expiry(mut self, at: Timestamp) -> Self {
        self.expiry = Some(at);
        self
    }
    /// Sets an optional expiry.
    pub fn expiry_opt(mut self, at: Option<Timestamp>) -> Self {
        self.expiry = at;
        self
    }
    /// Sets the account id.
    pub fn account_id(mut self, id: impl Into<String>) -> Self {
        self.account_id = Some(id.into());
        self
    }
    /// Sets where the credentials came from.
    pub fn source(mut self, source: CredentialSource) -> Self {
        self.source = source;
        self
    }

    /// Validates and builds. The access key id must be non-empty visible ASCII without spaces
    /// or [`SCOPE_SEPARATORS`] (it is embedded in the credential scope, the `Authorization`
    /// header and `X-Amz-Credential`); the secret and token must be non-empty visible ASCII
    /// (they go into HMAC keys and headers).
    pub fn build(mut self) -> Result<Credentials, CredentialsError> {
        check("access key id", &self.access_key_id, is_scope_byte)?;
        check("secret access key", &self.secret_access_key, |b| {
            b.is_ascii_graphic()
        })?;
        if let Some(t) = &self.session_token {
            check("session token", t, |b| b.is_ascii_graphic())?;
        }
        if let Some(a) = &self.account_id {
            check("account id", a, |b| b.is_ascii_graphic())?;
        }
        let inner = Inner {
            access_key_id: AccessKeyId(core::mem::take(&mut self.access_key_id).into_boxed_str()),
            secret_access_key: SecretAccessKey(core::mem::take(&mut self.secret_access_key)),
            session_token: self.session_token.take().map(SessionToken),
            expiry: self.expiry,
            account_id: self.account_id.take().map(String::into_boxed_str),
            source: core::mem::take(&mut self.source),
            key_cache: ArcSwapOption::empty(),
        };
        Ok(Credentials(Arc::new(inner)))
    }
}

/// Bytes refused in an access key id, a region and a service name: `/` separates the parts of
/// the credential scope, `,` the parts of the `Authorization` header, `=` a part's name from
/// its value, `&` the parameters of a presigned URL, `;` the signed header names. A request
/// signed with one of them in an identifier could never be verified unambiguously. (Real AWS
/// access key ids are `A-Z0-9`, regions and services `a-z0-9-`.)
pub const SCOPE_SEPARATORS: &[u8] = b"/,&=;";

/// A byte allowed in an access key id, region or service: visible ASCII but
/// [`SCOPE_SEPARATORS`].
pub(crate) fn is_scope_byte(b: u8) -> bool {
    b.is_ascii_graphic() && !SCOPE_SEPARATORS.contains(&b)
}

fn check(field: &'static str, v: &str, ok: impl Fn(u8) -> bool) -> Result<(), CredentialsError> {
    if v.is_empty() {
        return Err(CredentialsError::Empty(field));
    }
    // A full fold vectorizes (`all` stops early and runs byte by byte); `position` (to name
    // the offset) runs only on the error path.
    if v.bytes().fold(true, |all, b| all & ok(b)) {
        return Ok(());
    }
    let offset = v.bytes().position(|b| !ok(b)).unwrap_or(0);
    Err(CredentialsError::InvalidCharacter { field, offset })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    const TOKEN: &str = "AQoDYXdzEPT//////////wEXAMPLEtc764";

    #[test]
    fn debug_never_shows_secrets() {
        let c = Credentials::builder("AKIDEXAMPLE", SECRET)
            .session_token(TOKEN)
            .account_id("123456789012")
            .build()
            .unwrap();
        for text in [
            format!("{c:?}"),
            format!("{c:#?}"),
            format!("{}", c.secret_access_key()),
            format!("{:?}", c.session_token()),
        ] {
            assert!(!text.contains(SECRET) && !text.contains(TOKEN), "{text}");
        }
        assert!(format!("{c:?}").contains("AKIDEXAMPLE"));
        let b = Credentials::builder("AKIDEXAMPLE", SECRET).session_token(TOKEN);
        let text = format!("{b:?}");
        assert!(!text.contains(SECRET) && !text.contains(TOKEN), "{text}");
    }

    #[test]
    fn validation_names_field_and_offset_without_the_value() {
        let e = Credentials::builder("", SECRET).build().unwrap_err();
        assert_eq!(e, CredentialsError::Empty("access key id"));
        let e = Credentials::builder("AKID", "abc def").build().unwrap_err();
        assert_eq!(
            e,
            CredentialsError::InvalidCharacter {
                field: "secret access key",
                offset: 3
            }
        );
        assert!(!e.to_string().contains("abc"));
        let e = Credentials::builder("AK/ID", SECRET).build().unwrap_err();
        assert_eq!(
            e,
            CredentialsError::InvalidCharacter {
                field: "access key id",
                offset: 2
            }
        );
        // Separators of the scope, the Authorization header and the presigned query.
        for (akid, offset) in [("AK,ID", 2), ("A&KID", 1), ("AKID=", 4), ("A;", 1)] {
            let e = Credentials::builder(akid, SECRET).build().unwrap_err();
            assert_eq!(
                e,
                CredentialsError::InvalidCharacter {
                    field: "access key id",
                    offset
                },
                "{akid}"
            );
        }
        let e = Credentials::builder("AKID", SECRET)
            .session_token("tok\u{e9}n")
            .build()
            .unwrap_err();
        assert_eq!(
            e,
            CredentialsError::InvalidCharacter {
                field: "session token",
                offset: 3
            }
        );
    }

    #[test]
    fn clones_share_one_value_and_key_cache() {
        let c = Credentials::builder("AKID", SECRET).build().unwrap();
        let d = c.clone();
        assert!(c.ptr_eq(&d));
        let key = |b: u8| SigningKey::for_tests(&[b; 32]);
        let mut derived = 0;
        for _ in 0..3 {
            c.with_signing_key(
                b"20150830/us-east-1/service",
                |_| {
                    derived += 1;
                    key(7)
                },
                |k| {
                    assert!(k.same_as(&key(7)));
                },
            );
        }
        d.with_signing_key(
            b"20150830/us-east-1/service",
            |_| {
                derived += 1;
                key(9)
            },
            |_| (),
        );
        assert_eq!(
            derived, 1,
            "a key is derived once per scope and shared by clones"
        );
        d.with_signing_key(
            b"20150831/us-east-1/service",
            |_| {
                derived += 1;
                key(9)
            },
            |k| {
                assert!(k.same_as(&key(9)));
            },
        );
        assert_eq!(derived, 2, "a new scope derives a new key");
        // Alternating between cached scopes derives nothing more; a fifth scope evicts the
        // oldest.
        for day in ["20150830", "20150831", "20150830"] {
            let scope = format!("{day}/us-east-1/service");
            c.with_signing_key(
                scope.as_bytes(),
                |_| {
                    derived += 1;
                    key(1)
                },
                |_| (),
            );
        }
        assert_eq!(derived, 2);
        for day in ["20150901", "20150902", "20150903"] {
            let scope = format!("{day}/us-east-1/service");
            c.with_signing_key(
                scope.as_bytes(),
                |_| {
                    derived += 1;
                    key(1)
                },
                |_| (),
            );
        }
        assert_eq!(derived, 5);
        c.with_signing_key(
            b"20150830/us-east-1/service",
            |_| {
                derived += 1;
                key(1)
            },
            |_| (),
        );
        assert_eq!(derived, 6, "the oldest scope was evicted");
        let other = Credentials::builder("AKID", SECRET).build().unwrap();
        assert!(!c.ptr_eq(&other));
    }
}
