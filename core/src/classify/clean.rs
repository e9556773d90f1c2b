//! Cleaning of codes and messages, and the times quoted by SigV4's time-window messages.

use super::{sanitize_error_code, MESSAGE_LIMIT};
use crate::prelude::*;
use crate::time::{parse_amz_date, Timestamp};

/// A sanitised code, or `None` when what remains is not a plausible AWS code (1–128 bytes of
/// `A-Z a-z 0-9 . _ -`).
pub(super) fn clean_code(raw: &str) -> Option<&str> {
    let c = sanitize_error_code(raw);
    let plausible = !c.is_empty()
        && c.len() <= 128
        && c.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
    plausible.then_some(c)
}

/// Control characters → spaces, base64-looking runs of ≥ 40 characters → `** redacted **`,
/// trimmed, cut to [`MESSAGE_LIMIT`] bytes. Shared by [`classify`](super::classify) and the
/// document parsers' service errors, so a message that echoes a secret is cleaned the same way
/// wherever it surfaces.
pub(crate) fn clean_message(raw: &str) -> String {
    const RUN: usize = 40;
    let is_b64 = |c: char| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=');
    let mut out = String::with_capacity(raw.len().min(MESSAGE_LIMIT + 4));
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        if run.len() >= RUN {
            out.push_str("** redacted **");
        } else {
            out.push_str(run);
        }
        run.clear();
    };
    for ch in raw.trim().chars() {
        if out.len() > MESSAGE_LIMIT {
            break;
        }
        if is_b64(ch) {
            run.push(ch);
            continue;
        }
        flush(&mut run, &mut out);
        out.push(if ch.is_control() { ' ' } else { ch });
    }
    flush(&mut run, &mut out);
    if out.len() > MESSAGE_LIMIT {
        let mut cut = MESSAGE_LIMIT;
        while !out.is_char_boundary(cut) {
            cut -= 1;
        }
        out.truncate(cut);
        out.push('…');
    }
    out.trim().to_owned()
}

/// Times quoted by the SigV4 time-window messages:
/// `Signature expired: 20210502T144040Z is now earlier than 20210502T173143Z (20210502T174643Z - 15 min.)`
/// and `Signature not yet current: A is still later than B (C + 15 min.)` — the first time is the
/// request's signing time, the one in parentheses the server's.
#[derive(Clone, Copy)]
pub(super) struct QuotedTimes {
    pub(super) signed_at: Option<Timestamp>,
    pub(super) server: Option<Timestamp>,
}

pub(super) fn signature_time_message(message: &str) -> Option<QuotedTimes> {
    let after = ["Signature expired:", "Signature not yet current:"]
        .iter()
        .find_map(|p| message.find(p).map(|i| &message[i + p.len()..]))?;
    let stamp = |s: &str| {
        s.trim_start()
            .get(..16)
            .and_then(|t| parse_amz_date(t).ok())
    };
    let server = after.find('(').and_then(|i| stamp(&after[i + 1..]));
    Some(QuotedTimes {
        signed_at: stamp(after),
        server,
    })
}
