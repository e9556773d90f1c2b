//! Where the shared credentials and config files are, which profile is active, and which
//! region applies — computed from the environment map the host passes (the core reads no file
//! and no process environment).
//!
//! ```
//! use sigfresh::document::ProfileSet;
//! use sigfresh::source::shared::{region, shared_file_paths, HostOs, RegionSource};
//! let env = [("HOME", "/home/me"), ("AWS_CONFIG_FILE", "~/cfg/aws")];
//! let paths = shared_file_paths(&env, HostOs::Unix);
//! assert_eq!(paths.credentials.as_deref(), Some("/home/me/.aws/credentials"));
//! assert_eq!(paths.config.as_deref(), Some("/home/me/cfg/aws"));
//!
//! let files = ProfileSet::parse(None, Some("[default]\nregion = eu-west-1\n"))?;
//! let r = region(&env, Some(&files)).unwrap();
//! assert_eq!((r.name.as_str(), r.source), ("eu-west-1", RegionSource::Profile));
//! # Ok::<(), sigfresh::document::DocumentError>(())
//! ```

use crate::document::{EnvSource, Profile, ProfileSet};
use crate::prelude::*;

/// The host's operating system family, for the home directory variable and path separator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum HostOs {
    /// `HOME`, `/`.
    Unix,
    /// `USERPROFILE` (else `HOME`), `\`.
    Windows,
}

/// Where the shared files are (`None` when there is no home directory to find them in).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct SharedFilePaths {
    /// `AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/credentials`.
    pub credentials: Option<String>,
    /// `AWS_CONFIG_FILE`, else `~/.aws/config`.
    pub config: Option<String>,
}

fn value<'a, E: EnvSource + ?Sized>(env: &'a E, key: &str) -> Option<&'a str> {
    env.get(key).map(str::trim).filter(|v| !v.is_empty())
}

/// The home directory: `HOME` (Unix); `USERPROFILE`, else `HOME` (Windows).
pub fn home_dir<E: EnvSource + ?Sized>(env: &E, os: HostOs) -> Option<&str> {
    match os {
        HostOs::Unix => value(env, "HOME"),
        HostOs::Windows => value(env, "USERPROFILE").or_else(|| value(env, "HOME")),
    }
}

fn shared_path<E: EnvSource + ?Sized>(
    env: &E,
    os: HostOs,
    var: &str,
    default: &str,
) -> Option<String> {
    let sep = match os {
        HostOs::Unix => '/',
        HostOs::Windows => '\\',
    };
    let join = |home: &str, rest: &str| {
        let home = home.trim_end_matches(['/', '\\']);
        format!("{home}{sep}{rest}")
    };
    match value(env, var) {
        Some("~") => home_dir(env, os).map(str::to_owned),
        Some(v) => match v.strip_prefix("~/").or_else(|| v.strip_prefix("~\\")) {
            Some(rest) => home_dir(env, os).map(|h| join(h, rest)),
            None => Some(v.to_owned()),
        },
        None => home_dir(env, os).map(|h| join(h, &format!(".aws{sep}{default}"))),
    }
}

/// Where the AWS SDKs look for the shared files: `AWS_SHARED_CREDENTIALS_FILE` and
/// `AWS_CONFIG_FILE` when set (a leading `~/` or `~\` is the home directory), else `.aws/credentials`
/// and `.aws/config` in the home directory.
pub fn shared_file_paths<E: EnvSource + ?Sized>(env: &E, os: HostOs) -> SharedFilePaths {
    SharedFilePaths {
        credentials: shared_path(env, os, "AWS_SHARED_CREDENTIALS_FILE", "credentials"),
        config: shared_path(env, os, "AWS_CONFIG_FILE", "config"),
    }
}

/// The active profile's name: `AWS_PROFILE`, else `AWS_DEFAULT_PROFILE`, else `default`.
pub fn active_profile_name<E: EnvSource + ?Sized>(env: &E) -> &str {
    value(env, "AWS_PROFILE")
        .or_else(|| value(env, "AWS_DEFAULT_PROFILE"))
        .unwrap_or("default")
}

/// Where a [`Region`] was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RegionSource {
    /// `AWS_REGION`.
    AwsRegion,
    /// `AWS_DEFAULT_REGION`.
    AwsDefaultRegion,
    /// The active profile's `region`.
    Profile,
}

/// A region and where it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Region {
    /// The region, trimmed, e.g. `eu-west-1`.
    pub name: String,
    /// Where it was set.
    pub source: RegionSource,
}

/// The region a host should sign for when none is given: `AWS_REGION`, else
/// `AWS_DEFAULT_REGION`, else `region` of the active profile ([`active_profile_name`]) in
/// `profiles`. `None` when none is set.
pub fn region<E: EnvSource + ?Sized>(env: &E, profiles: Option<&ProfileSet>) -> Option<Region> {
    let active = profiles.and_then(|p| p.profile(active_profile_name(env)));
    profile_region(env, active)
}

/// [`region`] with the profile already chosen: `AWS_REGION`, else `AWS_DEFAULT_REGION`, else
/// `profile`'s `region`. Every AWS SDK reads the environment before the profile; the CLI v2 and
/// most SDKs read `AWS_REGION`, botocore `AWS_DEFAULT_REGION`, so both are honoured in that
/// order.
pub fn profile_region<E: EnvSource + ?Sized>(env: &E, profile: Option<&Profile>) -> Option<Region> {
    let found = |name: &str, source| {
        Some(Region {
            name: name.to_owned(),
            source,
        })
    };
    if let Some(r) = value(env, "AWS_REGION") {
        return found(r, RegionSource::AwsRegion);
    }
    if let Some(r) = value(env, "AWS_DEFAULT_REGION") {
        return found(r, RegionSource::AwsDefaultRegion);
    }
    let r = profile?
        .get("region")
        .map(str::trim)
        .filter(|r| !r.is_empty())?;
    found(r, RegionSource::Profile)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_paths_follow_the_sdks() {
        let unix = |env: &[(&str, &str)]| shared_file_paths(env, HostOs::Unix);
        let p = unix(&[("HOME", "/home/u/")]);
        assert_eq!(p.credentials.as_deref(), Some("/home/u/.aws/credentials"));
        assert_eq!(p.config.as_deref(), Some("/home/u/.aws/config"));
        let p = unix(&[("HOME", "/home/u"), ("AWS_CONFIG_FILE", "~/x/cfg")]);
        assert_eq!(p.config.as_deref(), Some("/home/u/x/cfg"));
        let p = unix(&[
            ("HOME", "/h"),
            ("AWS_SHARED_CREDENTIALS_FILE", " /etc/aws "),
        ]);
        assert_eq!(p.credentials.as_deref(), Some("/etc/aws"));
        // No home: only explicit absolute paths.
        let p = unix(&[
            ("AWS_CONFIG_FILE", "~/cfg"),
            ("AWS_SHARED_CREDENTIALS_FILE", "/c"),
        ]);
        assert_eq!((p.config, p.credentials.as_deref()), (None, Some("/c")));
        let p = unix(&[("HOME", "")]);
        assert_eq!(p.config, None);
        let w = shared_file_paths(
            &[("USERPROFILE", "C:\\Users\\u"), ("HOME", "/ignored")],
            HostOs::Windows,
        );
        assert_eq!(w.config.as_deref(), Some("C:\\Users\\u\\.aws\\config"));
        let w = shared_file_paths(&[("HOME", "D:\\h")], HostOs::Windows);
        assert_eq!(w.credentials.as_deref(), Some("D:\\h\\.aws\\credentials"));
    }

    #[test]
    fn region_from_env_then_the_active_profile() {
        let files = ProfileSet::parse(
            None,
            Some("[default]\nregion = eu-west-1\n[profile dev]\nregion = ap-south-1\n"),
        )
        .unwrap();
        let r = |env: &[(&str, &str)]| region(env, Some(&files)).map(|r| (r.name, r.source));
        assert_eq!(
            r(&[("AWS_REGION", "us-east-2"), ("AWS_DEFAULT_REGION", "x")]),
            Some(("us-east-2".into(), RegionSource::AwsRegion))
        );
        assert_eq!(
            r(&[("AWS_REGION", " "), ("AWS_DEFAULT_REGION", "us-west-1")]),
            Some(("us-west-1".into(), RegionSource::AwsDefaultRegion))
        );
        assert_eq!(r(&[]), Some(("eu-west-1".into(), RegionSource::Profile)));
        assert_eq!(
            r(&[("AWS_PROFILE", "dev")]),
            Some(("ap-south-1".into(), RegionSource::Profile))
        );
        assert_eq!(r(&[("AWS_DEFAULT_PROFILE", "none")]), None);
        assert_eq!(region(&[("A", "b")], None), None);
    }
}
