//! Boundary tests for [`decide`](super::decide): every instant where the decision changes,
//! checked one millisecond before, at, and after.

use super::*;
use crate::credentials::CredentialSource;
use core::time::Duration;

const MIN: i64 = 60_000;

fn t0() -> Timestamp {
    Timestamp::from_unix_seconds(1_700_000_000)
}

fn creds(expiry: Option<Timestamp>, source: CredentialSource) -> Credentials {
    Credentials::builder("ASIAEXAMPLE", "secret")
        .session_token("token")
        .expiry_opt(expiry)
        .source(source)
        .build()
        .unwrap()
}

fn entry(expires_in_ms: Option<i64>, jitter: Jitter) -> CachedEntry {
    let c = creds(
        expires_in_ms.map(|ms| t0().offset_millis(ms)),
        CredentialSource::Sts,
    );
    CachedEntry::new(c, t0(), jitter)
}

fn at(ms: i64) -> Timestamp {
    t0().offset_millis(ms)
}

#[test]
fn boundaries_with_zero_jitter() {
    let p = RefreshPolicy::default();
    let e = entry(Some(60 * MIN), Jitter::ZERO);
    let exp = at(60 * MIN);
    let d = |ms| decide(&p, Some(&e), at(ms));
    assert_eq!(e.refresh_at(&p), at(55 * MIN));
    assert_eq!(e.mandatory_at(&p), Some(at(59 * MIN)));
    assert_eq!(
        d(55 * MIN - 1),
        RefreshDecision::Fresh {
            refresh_at: at(55 * MIN)
        }
    );
    let advised = RefreshDecision::RefreshAdvised {
        expires_at: Some(exp),
    };
    assert_eq!(d(55 * MIN), advised, "exactly at refresh_at");
    assert_eq!(d(59 * MIN - 1), advised);
    let required = RefreshDecision::RefreshRequired { expires_at: exp };
    assert_eq!(d(59 * MIN), required, "exactly at the mandatory window");
    assert_eq!(d(60 * MIN - 1), required);
    let expired = RefreshDecision::Expired { expired_at: exp };
    assert_eq!(d(60 * MIN), expired, "exactly at expiry");
    assert_eq!(d(600 * MIN), expired);
}

#[test]
fn jitter_moves_the_refresh_earlier_by_at_most_the_span() {
    let p = RefreshPolicy::default();
    let max = entry(Some(60 * MIN), Jitter::MAX);
    // Default span: 20% of 5 minutes = 60 s; Jitter::MAX is 1 - 2^-32 of it.
    assert_eq!(max.refresh_at(&p), at(54 * MIN + 1));
    assert_eq!(
        decide(&p, Some(&max), at(54 * MIN)),
        RefreshDecision::Fresh {
            refresh_at: at(54 * MIN + 1)
        }
    );
    assert_eq!(
        decide(&p, Some(&max), at(54 * MIN + 1)),
        RefreshDecision::RefreshAdvised {
            expires_at: Some(at(60 * MIN))
        }
    );
    let half = entry(Some(60 * MIN), Jitter::from_fraction(0.5));
    assert_eq!(half.refresh_at(&p), at(54 * MIN + 30_000));
    // Jitter never moves the mandatory window or expiry.
    assert_eq!(max.mandatory_at(&p), Some(at(59 * MIN)));
    // Same entry, same answer, for every caller.
    assert_eq!(max.clone().refresh_at(&p), max.refresh_at(&p));
    // Zero percent jitter ignores the drawn value.
    let none = RefreshPolicy::builder()
        .refresh_jitter_percent(0)
        .build()
        .unwrap();
    assert_eq!(max.refresh_at(&none), at(55 * MIN));
}

#[test]
fn credentials_without_expiry_use_the_max_age_and_never_require_a_wait() {
    let p = RefreshPolicy::default();
    let e = entry(None, Jitter::ZERO);
    assert_eq!(e.refresh_at(&p), at(15 * MIN));
    assert_eq!(e.mandatory_at(&p), None);
    assert_eq!(
        decide(&p, Some(&e), at(15 * MIN - 1)),
        RefreshDecision::Fresh {
            refresh_at: at(15 * MIN)
        }
    );
    let advised = RefreshDecision::RefreshAdvised { expires_at: None };
    assert_eq!(decide(&p, Some(&e), at(15 * MIN)), advised);
    assert_eq!(decide(&p, Some(&e), at(10_000 * MIN)), advised);
    let j = entry(None, Jitter::MAX);
    assert_eq!(j.refresh_at(&p), at(14 * MIN + 1));
    assert_eq!(next_refresh_at(&p, Some(&j)), Some(at(14 * MIN + 1)));
}

#[test]
fn missing_and_helpers() {
    let p = RefreshPolicy::default();
    assert_eq!(decide(&p, None, t0()), RefreshDecision::Missing);
    assert_eq!(next_refresh_at(&p, None), None);
    let now = t0();
    let cases = [
        (
            RefreshDecision::Fresh { refresh_at: now },
            true,
            false,
            false,
        ),
        (
            RefreshDecision::RefreshAdvised { expires_at: None },
            true,
            false,
            true,
        ),
        (
            RefreshDecision::RefreshRequired { expires_at: now },
            true,
            true,
            true,
        ),
        (
            RefreshDecision::StaleButUsable {
                expired_at: now,
                retry_at: now.offset_millis(1),
            },
            true,
            false,
            false,
        ),
        (
            RefreshDecision::StaleButUsable {
                expired_at: now,
                retry_at: now,
            },
            true,
            false,
            true,
        ),
        (
            RefreshDecision::Expired { expired_at: now },
            false,
            true,
            true,
        ),
        (RefreshDecision::Missing, false, true, true),
    ];
    for (d, usable, wait, wants) in cases {
        assert_eq!(d.usable(), usable, "{d:?}");
        assert_eq!(d.must_wait(), wait, "{d:?}");
        assert_eq!(d.wants_refresh(now), wants, "{d:?}");
    }
    assert_eq!(
        RefreshDecision::Fresh { refresh_at: now }.next_refresh_at(),
        Some(now)
    );
    assert_eq!(RefreshDecision::Missing.next_refresh_at(), None);
}

#[test]
fn static_stability_only_for_imds_and_only_when_enabled() {
    let p = RefreshPolicy::default();
    let imds = CachedEntry::new(
        creds(Some(at(60 * MIN)), CredentialSource::InstanceMetadata),
        t0(),
        Jitter::ZERO,
    );
    // Expired IMDS credentials without an extension are expired like any others.
    assert_eq!(
        decide(&p, Some(&imds), at(60 * MIN)),
        RefreshDecision::Expired {
            expired_at: at(60 * MIN)
        }
    );
    let failed_at = at(59 * MIN + 30_000);
    let ext = imds
        .with_stale_extension(&p, failed_at, Jitter::from_fraction(0.5))
        .unwrap();
    let retry_at = failed_at.offset_millis(7 * MIN + 30_000);
    assert_eq!(ext.stale_retry_at(), Some(retry_at));
    assert_eq!(next_refresh_at(&p, Some(&ext)), Some(retry_at));
    // Still valid: the mandatory-window decision is unchanged by the extension.
    assert_eq!(
        decide(&p, Some(&ext), failed_at),
        RefreshDecision::RefreshRequired {
            expires_at: at(60 * MIN)
        }
    );
    let stale = RefreshDecision::StaleButUsable {
        expired_at: at(60 * MIN),
        retry_at,
    };
    assert_eq!(decide(&p, Some(&ext), at(60 * MIN)), stale);
    assert_eq!(decide(&p, Some(&ext), at(600 * MIN)), stale);
    assert!(stale.wants_refresh(retry_at) && !stale.wants_refresh(at(60 * MIN)));

    // Turning the policy off takes effect for entries already extended.
    let off = p.to_builder().imds_static_stability(false).build().unwrap();
    assert!(imds
        .with_stale_extension(&off, failed_at, Jitter::ZERO)
        .is_none());
    assert_eq!(
        decide(&off, Some(&ext), at(60 * MIN)),
        RefreshDecision::Expired {
            expired_at: at(60 * MIN)
        }
    );
    // Every other source: never extended.
    for source in [
        CredentialSource::Sts,
        CredentialSource::ContainerEndpoint,
        CredentialSource::Static,
        CredentialSource::Process,
        CredentialSource::Sso,
    ] {
        let e = CachedEntry::new(creds(Some(at(60 * MIN)), source), t0(), Jitter::ZERO);
        assert!(!e.follows_static_stability(&p));
        assert!(e
            .with_stale_extension(&p, failed_at, Jitter::ZERO)
            .is_none());
    }
}

#[test]
fn custom_windows_are_respected() {
    let p = RefreshPolicy::builder()
        .refresh_window(Duration::from_secs(600))
        .mandatory_window(Duration::from_secs(600))
        .refresh_jitter_percent(100)
        .build()
        .unwrap();
    let e = entry(Some(60 * MIN), Jitter::ZERO);
    // Refresh and mandatory windows coincide: the decision goes straight to Required.
    assert_eq!(
        decide(&p, Some(&e), at(50 * MIN)),
        RefreshDecision::RefreshRequired {
            expires_at: at(60 * MIN)
        }
    );
    let j = entry(Some(60 * MIN), Jitter::MAX);
    assert_eq!(j.refresh_at(&p), at(40 * MIN + 1));
    assert_eq!(
        decide(&p, Some(&j), at(45 * MIN)),
        RefreshDecision::RefreshAdvised {
            expires_at: Some(at(60 * MIN))
        }
    );
}
