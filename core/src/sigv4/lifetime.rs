//! How long a presigned URL really works: AWS checks the session token on every use, so a URL
//! signed with temporary credentials stops working when they expire, whatever `X-Amz-Expires`
//! says.

use crate::credentials::Credentials;
use crate::time::Timestamp;

/// The lifetime of a presigned URL signed at `signed_at` for `expires_in_secs` seconds.
///
/// ```
/// use sigfresh::credentials::Credentials;
/// use sigfresh::sigv4::PresignedLifetime;
/// use sigfresh::time::Timestamp;
/// let t = Timestamp::from_unix_seconds(1_700_000_000);
/// let c = Credentials::builder("ASIAEXAMPLE", "secret")
///     .session_token("token")
///     .expiry(t.offset_millis(3_600_000))
///     .build()?;
/// let l = PresignedLifetime::of(&c, t, 7 * 24 * 3600);
/// assert!(l.cut_short);
/// assert_eq!(l.ends_at, t.offset_millis(3_600_000)); // one hour, not a week
/// # Ok::<(), Box<dyn core::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct PresignedLifetime {
    /// The signing time.
    pub signed_at: Timestamp,
    /// When `X-Amz-Expires` runs out: `signed_at` + the expiry given.
    pub url_expires_at: Timestamp,
    /// When the URL really stops working: the earlier of `url_expires_at` and the credentials'
    /// expiry. At or before `signed_at` when the credentials had already expired.
    pub ends_at: Timestamp,
    /// The credentials expire before `url_expires_at`: the URL dies early, at `ends_at`.
    pub cut_short: bool,
    /// The credentials have a session token but no known expiry: the URL stops working when
    /// that token expires, which may be before `ends_at`.
    pub expiry_unknown: bool,
}

impl PresignedLifetime {
    /// The lifetime of a URL `credentials` presign at `signed_at` for `expires_in_secs`.
    pub fn of(credentials: &Credentials, signed_at: Timestamp, expires_in_secs: u32) -> Self {
        let url_expires_at = signed_at.offset_millis(i64::from(expires_in_secs) * 1000);
        let (ends_at, cut_short) = match credentials.expiry() {
            Some(e) if e < url_expires_at => (e, true),
            _ => (url_expires_at, false),
        };
        PresignedLifetime {
            signed_at,
            url_expires_at,
            ends_at,
            cut_short,
            expiry_unknown: credentials.expiry().is_none() && credentials.session_token().is_some(),
        }
    }

    /// The credentials had expired at signing: AWS refuses the URL at once (`ExpiredToken`).
    pub fn dead_on_arrival(&self) -> bool {
        self.ends_at <= self.signed_at
    }

    /// How long the URL works, in milliseconds (0 when dead on arrival).
    pub fn effective_millis(&self) -> i64 {
        self.ends_at.millis_since(self.signed_at).max(0)
    }
}

impl super::Signer {
    /// The [`PresignedLifetime`] of the URL this signer presigns with `credentials` at
    /// `signed_at` (its `X-Amz-Expires` against the credentials' expiry); `None` for a signer
    /// that signs into headers.
    ///
    /// ```
    /// use sigfresh::credentials::Credentials;
    /// use sigfresh::sigv4::{Signer, SigningSettings};
    /// use sigfresh::time::Timestamp;
    /// let t = Timestamp::from_unix_seconds(1_700_000_000);
    /// let c = Credentials::builder("ASIAEXAMPLE", "secret")
    ///     .session_token("token")
    ///     .expiry(t.offset_millis(600_000))
    ///     .build()?;
    /// let s = Signer::new("us-east-1", "s3", SigningSettings::s3().presigned(3600))?;
    /// assert_eq!(s.presigned_lifetime(&c, t).map(|l| l.ends_at), Some(t.offset_millis(600_000)));
    /// let h = Signer::new("us-east-1", "s3", SigningSettings::s3())?;
    /// assert!(h.presigned_lifetime(&c, t).is_none());
    /// # Ok::<(), Box<dyn core::error::Error>>(())
    /// ```
    pub fn presigned_lifetime(
        &self,
        credentials: &Credentials,
        signed_at: Timestamp,
    ) -> Option<PresignedLifetime> {
        match self.settings().location {
            super::SignatureLocation::QueryString { expires_in_secs } => Some(
                PresignedLifetime::of(credentials, signed_at, expires_in_secs),
            ),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn creds(token: bool, expiry: Option<Timestamp>) -> Credentials {
        let b = Credentials::builder("ASIAEXAMPLE", "secret");
        let b = if token { b.session_token("tok") } else { b };
        b.expiry_opt(expiry).build().unwrap()
    }

    #[test]
    fn the_earlier_of_url_and_credentials_expiry() {
        let t = Timestamp::from_unix_seconds(1_700_000_000);
        let h = |s: i64| t.offset_millis(s * 1000);
        // Long-term credentials: the URL's own expiry.
        let l = PresignedLifetime::of(&creds(false, None), t, 900);
        assert_eq!(
            (l.ends_at, l.cut_short, l.expiry_unknown),
            (h(900), false, false)
        );
        assert_eq!(l.effective_millis(), 900_000);
        // Credentials outlive the URL.
        let l = PresignedLifetime::of(&creds(true, Some(h(3600))), t, 900);
        assert_eq!((l.ends_at, l.cut_short), (h(900), false));
        // Exactly at the URL's end: not cut short.
        let l = PresignedLifetime::of(&creds(true, Some(h(900))), t, 900);
        assert!(!l.cut_short);
        // Credentials expire first.
        let l = PresignedLifetime::of(&creds(true, Some(h(600))), t, 900);
        assert_eq!(
            (l.ends_at, l.url_expires_at, l.cut_short),
            (h(600), h(900), true)
        );
        assert!(!l.dead_on_arrival());
        // Already expired.
        let l = PresignedLifetime::of(&creds(true, Some(h(-5))), t, 900);
        assert!(l.dead_on_arrival() && l.cut_short);
        assert_eq!(l.effective_millis(), 0);
        // A token of unknown expiry.
        let l = PresignedLifetime::of(&creds(true, None), t, 900);
        assert!(l.expiry_unknown && !l.cut_short);
    }
}
