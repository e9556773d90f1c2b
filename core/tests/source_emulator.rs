//! The IMDS machine, driven by a blocking reference host, against real IMDS emulators we did
//! not write, on 127.0.0.1:
//!
//! * AWS's amazon-ec2-metadata-mock (AEMM) v1.13.0, in IMDSv2-only mode (`--imdsv2`) and in its
//!   default v1+v2 mode, with `tests/imds/aemm-config.json` (role `sigfresh-test-role`);
//! * moto 5.1.4 in server mode, which serves IMDSv1 only (its token path is not implemented and
//!   answers 404, one of the fallback statuses; moto 5.2+ implements IMDSv2, hence the pin).
//!
//! Install both with `tests/imds/install-emulator.sh`. A missing emulator skips loudly, unless
//! `SIGFRESH_REQUIRE_EMULATOR` is set (CI), where it fails.

mod support;

use sigfresh::credentials::CredentialSource;
use sigfresh::refresh::{CredentialCache, Jitter, RefreshPolicy};
use sigfresh::source::drive::{self, BlockingHost};
use sigfresh::source::{
    chain, ImdsConfig, ImdsSource, Refreshes, Source, SourceError, SourceKind, V1Fallback,
};
use std::time::Duration;
use support::emulator::{find_aemm, find_moto, require, start_aemm, start_moto, Emulator};
use support::reference_host::ReferenceHost;

const AEMM_ROLE: &str = "sigfresh-test-role";
const AEMM_AKID: &str = "ASIASIGFRESHEMULATOR";
const TOKEN_HEADER: &str = "x-aws-ec2-metadata-token";

fn config_for(e: &Emulator) -> ImdsConfig {
    let env = [("AWS_EC2_METADATA_SERVICE_ENDPOINT", e.endpoint())];
    ImdsConfig::from_env(&env, None).expect("a valid endpoint")
}

/// The requests sent, with consecutive repeats (a retry after a transient failure, which a
/// loaded machine can produce) folded into one.
fn methods_and_targets(host: &ReferenceHost) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = host
        .log
        .iter()
        .map(|s| (s.method.to_owned(), s.target.clone()))
        .collect();
    v.dedup();
    v
}

fn aemm(imdsv2_only: bool) -> Option<Emulator> {
    let bin = require("amazon-ec2-metadata-mock (ec2-metadata-mock)", find_aemm())?;
    Some(start_aemm(&bin, imdsv2_only))
}

#[test]
fn aemm_imdsv2_only_token_role_credentials_then_reuse() {
    let Some(emu) = aemm(true) else { return };
    let mut imds = ImdsSource::new(config_for(&emu));
    let mut host = ReferenceHost::new();
    let c = drive::fetch(&mut imds, &mut host, Jitter::ZERO).expect("credentials from AEMM");
    assert_eq!(c.access_key_id().as_str(), AEMM_AKID);
    assert_eq!(c.source(), &CredentialSource::InstanceMetadata);
    assert_eq!(
        c.expiry().map(|t| t.to_string()).as_deref(),
        Some("2099-01-01T00:00:00Z")
    );
    assert_eq!(
        methods_and_targets(&host),
        [
            ("PUT".into(), "/latest/api/token".into()),
            (
                "GET".into(),
                "/latest/meta-data/iam/security-credentials/".into()
            ),
            (
                "GET".into(),
                format!("/latest/meta-data/iam/security-credentials/{AEMM_ROLE}")
            ),
        ]
    );
    assert_eq!(
        host.log[0].header("x-aws-ec2-metadata-token-ttl-seconds"),
        Some("21600")
    );
    let last = host.log.len() - 1;
    let token = host.log[last]
        .header(TOKEN_HEADER)
        .expect("token sent")
        .to_owned();
    assert_eq!(
        host.log[last - 1].header(TOKEN_HEADER),
        Some(token.as_str())
    );
    assert!(imds.warnings().is_empty());

    // The next fetch reuses token and role: one GET, accepted by AEMM.
    host.log.clear();
    let again = drive::fetch(&mut imds, &mut host, Jitter::ZERO).unwrap();
    assert_eq!(again.access_key_id().as_str(), AEMM_AKID);
    assert_eq!(
        methods_and_targets(&host),
        [(
            "GET".into(),
            format!("/latest/meta-data/iam/security-credentials/{AEMM_ROLE}")
        )]
    );
    assert_eq!(host.log[0].header(TOKEN_HEADER), Some(token.as_str()));
}

#[test]
fn aemm_imdsv2_only_expired_token_401_gets_a_new_token() {
    let Some(emu) = aemm(true) else { return };
    let mut config = config_for(&emu);
    config.token_ttl = Duration::from_secs(1);
    let mut imds = ImdsSource::new(config);
    let mut host = ReferenceHost::new();
    drive::fetch(&mut imds, &mut host, Jitter::ZERO).unwrap();
    let first_token = host
        .log
        .iter()
        .rev()
        .find_map(|s| s.header(TOKEN_HEADER))
        .unwrap_or_else(|| panic!("no token sent: {:?}; log {}", host.log, emu.log.display()))
        .to_owned();

    // The machine is told it is still the moment the token was obtained, so it reuses the
    // token; AEMM, on its own clock, has expired it and answers 401.
    host.frozen = Some(host.now());
    std::thread::sleep(Duration::from_millis(1_300));
    host.log.clear();
    let c = drive::fetch(&mut imds, &mut host, Jitter::ZERO).expect("renewed after 401");
    assert_eq!(c.access_key_id().as_str(), AEMM_AKID);
    let seen = methods_and_targets(&host);
    assert_eq!(seen.len(), 3, "{seen:?}");
    assert_eq!(seen[0].0, "GET");
    assert_eq!(host.log[0].header(TOKEN_HEADER), Some(first_token.as_str()));
    assert_eq!(seen[1], ("PUT".into(), "/latest/api/token".into()));
    let second_token = host
        .log
        .last()
        .and_then(|s| s.header(TOKEN_HEADER))
        .unwrap();
    assert_ne!(second_token, first_token);
}

#[test]
fn aemm_default_mode_uses_imdsv2() {
    let Some(emu) = aemm(false) else { return };
    let mut imds = ImdsSource::new(config_for(&emu));
    let mut host = ReferenceHost::new();
    let c = drive::fetch(&mut imds, &mut host, Jitter::ZERO).unwrap();
    assert_eq!(c.access_key_id().as_str(), AEMM_AKID);
    assert_eq!(host.log[0].method, "PUT");
    let gets = host.log.iter().filter(|s| s.method == "GET");
    assert!(
        gets.clone().count() == 2 && gets.into_iter().all(|s| s.header(TOKEN_HEADER).is_some())
    );
}

#[test]
fn aemm_through_the_chain_and_the_refresh_engine() {
    let Some(emu) = aemm(true) else { return };
    let env = [("AWS_EC2_METADATA_SERVICE_ENDPOINT", emu.endpoint())];
    let mut source = chain::plan(&env, None, None).into_source();
    let cache = CredentialCache::new(RefreshPolicy::default());
    let mut host = ReferenceHost::new();
    let jitter = || Jitter::from_fraction(0.5);
    let c = drive::credentials(&cache, &mut source, &mut host, jitter).unwrap();
    assert_eq!(c.access_key_id().as_str(), AEMM_AKID);
    let requests = host.log.len();
    let again = drive::credentials(&cache, &mut source, &mut host, jitter).unwrap();
    assert!(again.ptr_eq(&c), "served from the cache");
    assert_eq!(host.log.len(), requests, "no request while fresh");
    let why = source.explain();
    assert_eq!(why.winner(), Some(&SourceKind::InstanceMetadata));
    assert_eq!(why.refreshes(), Some(Refreshes::Yes));
    assert!(
        why.to_string()
            .contains("credentials expire at 2099-01-01T00:00:00Z"),
        "{why}"
    );
}

#[test]
fn moto_v1_only_falls_back_after_token_404() {
    let Some(bin) = require("moto_server (moto[server]==5.1.4)", find_moto()) else {
        return;
    };
    let emu = start_moto(&bin);
    let mut imds = ImdsSource::new(config_for(&emu));
    let mut host = ReferenceHost::new();
    let c = drive::fetch(&mut imds, &mut host, Jitter::ZERO).expect("IMDSv1 credentials");
    assert!(
        host.log.iter().all(|s| s.header(TOKEN_HEADER).is_none()),
        "this moto answered the token request: moto 5.2+ implements IMDSv2; the pinned 5.1.4 \
         (tests/imds/install-emulator.sh) is the IMDSv1-only emulator"
    );
    assert_eq!(c.access_key_id().as_str(), "test-key");
    assert!(c.expiry().is_some());
    assert_eq!(
        methods_and_targets(&host),
        [
            ("PUT".into(), "/latest/api/token".into()),
            (
                "GET".into(),
                "/latest/meta-data/iam/security-credentials/".into()
            ),
            (
                "GET".into(),
                "/latest/meta-data/iam/security-credentials/default-role".into()
            ),
        ]
    );
    assert!(
        imds.warnings().is_empty(),
        "a 404 is not the hop-limit symptom"
    );

    // With IMDSv1 disabled, the same emulator is refused.
    let mut config = config_for(&emu);
    config.v1_fallback = V1Fallback::Disabled;
    let mut strict = ImdsSource::new(config);
    let e = drive::fetch(&mut strict, &mut host, Jitter::ZERO).unwrap_err();
    assert_eq!(
        e,
        SourceError::ImdsV1Disabled {
            token_status: Some(404)
        }
    );
}

#[test]
fn nothing_listening_is_source_unavailable() {
    // No emulator needed: a closed port on 127.0.0.1.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap();
    let env = [(
        "AWS_EC2_METADATA_SERVICE_ENDPOINT",
        format!("http://127.0.0.1:{port}"),
    )];
    let mut config = ImdsConfig::from_env(&env, None).unwrap();
    config.retry.backoff_initial = Duration::from_millis(10);
    let mut imds = ImdsSource::new(config);
    let mut host = ReferenceHost::new();
    let e = drive::fetch(&mut imds, &mut host, Jitter::ZERO).unwrap_err();
    assert!(
        matches!(e, SourceError::Exhausted { attempts: 3, .. }),
        "{e:?}"
    );
    assert_eq!(e.failure(), sigfresh::refresh::Failure::SourceUnavailable);
}
