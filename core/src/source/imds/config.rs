//! [`ImdsConfig`] and reading it from the environment map and the active profile.

use super::super::error::SourceError;
use super::super::retry::RetryPolicy;
use super::super::settings::Settings;
use super::super::url::Url;
use crate::document::{EnvSource, Profile};
use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use core::time::Duration;

/// Which default endpoint to use (`AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum EndpointMode {
    /// `http://169.254.169.254`.
    #[default]
    IPv4,
    /// `http://[fd00:ec2::254]` (Nitro instances with IPv6 IMDS enabled).
    IPv6,
}

impl EndpointMode {
    /// The endpoint URL for this mode.
    pub fn endpoint(self) -> Url {
        let ip = match self {
            EndpointMode::IPv4 => IpAddr::V4(Ipv4Addr::new(169, 254, 169, 254)),
            EndpointMode::IPv6 => IpAddr::V6(Ipv6Addr::new(0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x254)),
        };
        Url::http_ip(ip, 80)
    }
}

/// Whether IMDSv1 may be used when the IMDSv2 token cannot be had.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum V1Fallback {
    /// Fall back on 403/404/405 or a timeout (the AWS default).
    #[default]
    Allowed,
    /// Never send a request without a token (`AWS_EC2_METADATA_V1_DISABLED=true`).
    Disabled,
}

/// IMDS settings. [`Default`]: IPv4 endpoint, v1 fallback allowed, 1 s per request, 3 attempts,
/// a 6-hour (21600 s) token TTL.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ImdsConfig {
    /// The endpoint (only scheme, host and port are used).
    pub endpoint: Url,
    /// The IMDSv1 fallback rule.
    pub v1_fallback: V1Fallback,
    /// Timeout per request.
    pub timeout: Duration,
    /// Attempts and backoff per request.
    pub retry: RetryPolicy,
    /// The TTL asked for the session token (1 s to 21600 s).
    pub token_ttl: Duration,
}

impl Default for ImdsConfig {
    fn default() -> Self {
        ImdsConfig {
            endpoint: EndpointMode::IPv4.endpoint(),
            v1_fallback: V1Fallback::Allowed,
            timeout: Duration::from_secs(1),
            retry: RetryPolicy::default(),
            token_ttl: Duration::from_secs(21_600),
        }
    }
}

impl ImdsConfig {
    /// Reads the settings from the environment map, then the active profile (the environment
    /// wins): `AWS_EC2_METADATA_DISABLED` (`true` → [`SourceError::ImdsDisabled`]),
    /// `AWS_EC2_METADATA_V1_DISABLED` / `ec2_metadata_v1_disabled`,
    /// `AWS_EC2_METADATA_SERVICE_ENDPOINT` / `ec2_metadata_service_endpoint` (wins over the mode),
    /// `AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE` / `ec2_metadata_service_endpoint_mode` (`IPv4`,
    /// `IPv6`), `AWS_METADATA_SERVICE_TIMEOUT` / `metadata_service_timeout` (seconds),
    /// `AWS_METADATA_SERVICE_NUM_ATTEMPTS` / `metadata_service_num_attempts`.
    ///
    /// ```
    /// use sigfresh::source::{ImdsConfig, V1Fallback};
    /// let env = [("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "IPv6"),
    ///            ("AWS_METADATA_SERVICE_TIMEOUT", "2"), ("AWS_EC2_METADATA_V1_DISABLED", "true")];
    /// let c = ImdsConfig::from_env(&env, None)?;
    /// assert_eq!(c.endpoint.to_string(), "http://[fd00:ec2::254]/");
    /// assert_eq!(c.timeout.as_secs(), 2);
    /// assert_eq!(c.v1_fallback, V1Fallback::Disabled);
    /// # Ok::<(), sigfresh::source::SourceError>(())
    /// ```
    pub fn from_env<E: EnvSource>(
        env: &E,
        profile: Option<&Profile>,
    ) -> Result<ImdsConfig, SourceError> {
        let s = Settings::new(env, profile);
        let disabled = s
            .get("AWS_EC2_METADATA_DISABLED", None)
            .is_some_and(|v| v.text.eq_ignore_ascii_case("true"));
        if disabled {
            return Err(SourceError::ImdsDisabled);
        }
        let mut c = ImdsConfig::default();
        if s.flag(
            "AWS_EC2_METADATA_V1_DISABLED",
            Some("ec2_metadata_v1_disabled"),
        )
        .map_err(SourceError::Config)?
        {
            c.v1_fallback = V1Fallback::Disabled;
        }
        let endpoint = s.get(
            "AWS_EC2_METADATA_SERVICE_ENDPOINT",
            Some("ec2_metadata_service_endpoint"),
        );
        if let Some(v) = endpoint {
            c.endpoint = Url::parse(v.text)
                .map_err(|_| SourceError::Config(v.error("an http:// or https:// URL")))?;
        } else if let Some(v) = s.get(
            "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",
            Some("ec2_metadata_service_endpoint_mode"),
        ) {
            let mode = if v.text.eq_ignore_ascii_case("ipv4") {
                EndpointMode::IPv4
            } else if v.text.eq_ignore_ascii_case("ipv6") {
                EndpointMode::IPv6
            } else {
                return Err(SourceError::Config(v.error("IPv4 or IPv6")));
            };
            c.endpoint = mode.endpoint();
        }
        if let Some(t) = s
            .seconds(
                "AWS_METADATA_SERVICE_TIMEOUT",
                Some("metadata_service_timeout"),
            )
            .map_err(SourceError::Config)?
        {
            c.timeout = t;
        }
        if let Some(n) = s
            .count(
                "AWS_METADATA_SERVICE_NUM_ATTEMPTS",
                Some("metadata_service_num_attempts"),
            )
            .map_err(SourceError::Config)?
        {
            c.retry.max_attempts = n;
        }
        Ok(c)
    }
}
