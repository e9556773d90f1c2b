//! Human explanations for [`Classification`](super::Classification)s.

use super::{Classification, ErrorKind};
use crate::prelude::*;
use crate::skew::SkewVerdict;
use core::fmt::Write;

pub(super) fn explain(c: &Classification) -> String {
    let what = match &c.code {
        Some(code) => format!("{code}, HTTP {}", c.status),
        None => format!("HTTP {}", c.status),
    };
    match c.kind {
        ErrorKind::ExpiredToken => format!(
            "The session token has expired ({what}): refresh credentials before expiry \
             (sigfresh refreshes 5 minutes ahead by default) and retry once."
        ),
        ErrorKind::CredentialsNotRecognized => format!(
            "AWS did not recognize the credentials ({what}): check that the access key id, secret \
             and session token belong together and to this partition and region; refresh once if \
             they came from a temporary source."
        ),
        ErrorKind::ClockSkew => {
            let mut s = format!("The request was signed with a time AWS rejected ({what})");
            if let Some(ms) = c.skew_ms {
                let side = if ms > 0 { "behind" } else { "ahead of" };
                let _ = write!(s, ": the signing clock was {} {side} AWS's", duration(ms));
            }
            s.push_str(
                ". Re-sign with the server-corrected time (ClockSkew::corrected) and retry once; \
                 keep the host clock in sync (NTP).",
            );
            s
        }
        ErrorKind::Throttling => format!(
            "AWS is throttling these requests ({what}): retry with exponential backoff and jitter, \
             and lower the request rate."
        ),
        ErrorKind::Transient => format!(
            "AWS or a proxy in front of it failed temporarily ({what}): retry with backoff."
        ),
        ErrorKind::SignatureMismatch => {
            let clock = match c.skew_verdict {
                SkewVerdict::Unlikely => "the clock was checked and is not the cause",
                _ => "no server time was available to rule out clock skew",
            };
            format!(
                "The request signature did not match ({what}): the secret access key does not \
                 belong to the access key id, or the request was changed after signing; {clock}."
            )
        }
        ErrorKind::AccessDenied => format!(
            "Access was denied ({what}): the credentials were accepted but lack permission for \
             this action or resource; check the IAM and resource policies."
        ),
        ErrorKind::Other => match &c.message {
            Some(m) => format!("AWS rejected the request ({what}): {m}"),
            None => {
                format!("AWS rejected the request ({what}); retrying it unchanged will not help.")
            }
        },
    }
}

/// `10 min`, `3 h 0 min 3 s`, `1.5 s`, `250 ms`.
fn duration(ms: i64) -> String {
    let ms = ms.unsigned_abs();
    let (h, m, sec, milli) = (ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
    if ms < 1000 {
        format!("{milli} ms")
    } else if ms < 60_000 {
        format!("{sec}.{} s", milli / 100)
    } else if h == 0 && sec == 0 {
        format!("{m} min")
    } else if h == 0 {
        format!("{m} min {sec} s")
    } else {
        format!("{h} h {m} min {sec} s")
    }
}

#[cfg(test)]
mod tests {
    use super::duration;

    #[test]
    fn durations() {
        assert_eq!(duration(600_000), "10 min");
        assert_eq!(duration(-10_803_000), "3 h 0 min 3 s");
        assert_eq!(duration(1_500), "1.5 s");
        assert_eq!(duration(250), "250 ms");
        assert_eq!(duration(61_000), "1 min 1 s");
        assert!(duration(i64::MIN).starts_with("2562047788015 h"));
    }
}
