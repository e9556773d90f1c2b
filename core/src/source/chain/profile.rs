//! A profile's credential settings, resolved into a source (`role_arn` chains included).

use super::{config_error, Built};
use crate::credentials::Credentials;
use crate::document::{parse_env, EnvSource, Profile, ProfileSet};
use crate::prelude::*;
use crate::source::chain_explain::Refreshes;
use crate::source::container::{ContainerConfig, ContainerSource};
use crate::source::error::SourceError;
use crate::source::imds::{ImdsConfig, ImdsSource};
use crate::source::process::{ProcessSource, StaticSource};
use crate::source::sts::{AssumeRoleSource, RoleSpec, StsEndpoint, WebIdentitySource};
use crate::source::{SourceKind, Warning};

/// The credentials a profile yields, as a source; `Ok(None)` when it has no credential settings.
pub(super) fn resolve<E: EnvSource>(
    set: &ProfileSet,
    env: &E,
    sts: &Result<StsEndpoint, SourceError>,
    name: &str,
    visited: &mut Vec<String>,
) -> Result<Option<Built>, SourceError> {
    let p = set
        .profile(name)
        .ok_or_else(|| SourceError::ProfileNotFound {
            profile: name.to_owned(),
        })?;
    if visited.iter().any(|v| v == name) {
        return Err(config_error(
            p,
            "source_profile",
            "a chain of profiles without a cycle",
        ));
    }
    visited.push(name.to_owned());
    let get = |k: &str| p.get(k).map(str::trim).filter(|v| !v.is_empty());
    let unsupported = |what| SourceError::Unsupported {
        profile: name.to_owned(),
        what,
    };
    if let Some(arn) = get("role_arn") {
        if get("mfa_serial").is_some() {
            return Err(unsupported("mfa_serial (an MFA code prompt)"));
        }
        let mut role = RoleSpec::new(arn);
        role.session_name = get("role_session_name").map(str::to_owned);
        role.external_id = get("external_id").map(str::to_owned);
        role.duration_seconds =
            match get("duration_seconds") {
                None => None,
                Some(d) => Some(d.parse::<u32>().map_err(|_| {
                    config_error(p, "duration_seconds", "a whole number of seconds")
                })?),
            };
        let sts = sts.clone()?;
        if let Some(file) = get("web_identity_token_file") {
            let source = WebIdentitySource::new(role, file, sts).named_by_profile_key();
            return Ok(Some(Built::new(
                source,
                Refreshes::Yes,
                format!("AssumeRoleWithWebIdentity {arn}"),
            )));
        }
        let base = role_base(set, env, &Ok(sts.clone()), p, visited)?;
        let detail = format!("AssumeRole {arn} with {}", base.detail);
        let source = AssumeRoleSource::new(base.source, vec![role], sts);
        return Ok(Some(Built::new(source, Refreshes::Yes, detail)));
    }
    if get("web_identity_token_file").is_some() {
        return Err(config_error(
            p,
            "role_arn",
            "role_arn next to web_identity_token_file",
        ));
    }
    if get("sso_session").is_some() || get("sso_start_url").is_some() {
        return Err(unsupported("IAM Identity Center (SSO)"));
    }
    if let Some(cmd) = get("credential_process") {
        return Ok(Some(Built::new(
            ProcessSource::new(name, cmd),
            Refreshes::Yes,
            "credential_process".into(),
        )));
    }
    let Some(c) = p.credentials().map_err(SourceError::Invalid)? else {
        return Ok(None);
    };
    let mut b = Built::new(
        StaticSource::new(c.clone()),
        Refreshes::Never,
        "static keys".into(),
    );
    if let Some(prop) = p.property("aws_access_key_id") {
        b.warnings.push(Warning::ProfilePinsCredentials {
            profile: name.to_owned(),
            file: prop.file().to_string(),
            line: prop.line(),
        });
    }
    if c.session_token().is_some() {
        b.warnings.push(Warning::SessionTokenWithoutExpiry {
            source: SourceKind::Profile(name.to_owned()),
        });
    }
    Ok(Some(b))
}

/// The credentials an `AssumeRole` profile signs with.
fn role_base<E: EnvSource>(
    set: &ProfileSet,
    env: &E,
    sts: &Result<StsEndpoint, SourceError>,
    p: &Profile,
    visited: &mut Vec<String>,
) -> Result<Built, SourceError> {
    let get = |k: &str| p.get(k).map(str::trim).filter(|v| !v.is_empty());
    let fixed = |c: Credentials, detail: &str| {
        Built::new(StaticSource::new(c), Refreshes::Never, detail.to_owned())
    };
    if let Some(src) = get("source_profile") {
        if src == p.name() {
            // A profile may name itself: its own static keys are the base.
            let c = p.credentials().map_err(SourceError::Invalid)?;
            return c
                .map(|c| fixed(c, "its own static keys"))
                .ok_or_else(|| config_error(p, "source_profile", "a profile with credentials"));
        }
        let base = resolve(set, env, sts, src, visited)?;
        return base
            .map(|mut b| {
                b.detail = format!("profile \"{src}\" ({})", b.detail);
                b
            })
            .ok_or_else(|| config_error(p, "source_profile", "a profile with credentials"));
    }
    let Some(cs) = get("credential_source") else {
        return Err(config_error(
            p,
            "role_arn",
            "source_profile or credential_source next to role_arn",
        ));
    };
    match cs {
        "Environment" => parse_env(env)
            .map_err(SourceError::Invalid)?
            .map(|c| fixed(c, "environment keys"))
            .ok_or_else(|| config_error(p, "credential_source", "AWS_ACCESS_KEY_ID to be set")),
        "Ec2InstanceMetadata" => {
            let c = ImdsConfig::from_env(env, Some(p))?;
            Ok(Built::new(
                ImdsSource::new(c),
                Refreshes::Yes,
                "IMDS".into(),
            ))
        }
        "EcsContainer" => ContainerConfig::from_env(env)?
            .map(|c| Built::new(ContainerSource::new(c), Refreshes::Yes, "container".into()))
            .ok_or_else(|| {
                config_error(
                    p,
                    "credential_source",
                    "AWS_CONTAINER_CREDENTIALS_* to be set",
                )
            }),
        _ => Err(config_error(
            p,
            "credential_source",
            "Environment, Ec2InstanceMetadata or EcsContainer",
        )),
    }
}
