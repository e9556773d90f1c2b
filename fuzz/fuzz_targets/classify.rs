//! `classify::classify` on an arbitrary status, headers and body (with and without a
//! `ClockSkew`): never panics; `explain()` and `Debug` work; the message respects its limit;
//! whatever the body echoes in S3's `<Token-0>` never reaches the classification.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sigfresh::classify::{classify, ErrorResponse, MESSAGE_LIMIT};
use sigfresh::credentials::CredentialSource;
use sigfresh::skew::ClockSkew;
use sigfresh::time::Timestamp;

fuzz_target!(|data: &[u8]| {
    // Layout: status (u16 LE), a flags byte, a clock offset (i32 LE), then the response as
    // text: `Name: value` header lines, a blank line, the body (as in the seed corpus, taken
    // from tests/errors).
    if data.len() < 7 {
        return;
    }
    let status = u16::from_le_bytes([data[0], data[1]]);
    let use_skew = data[2] & 1 != 0;
    let offset = i32::from_le_bytes([data[3], data[4], data[5], data[6]]);
    let now = Timestamp::from_unix_millis(sigfresh_fuzz::T0 + i64::from(offset));
    let rest = &data[7..];
    let (head, body) = split_head(rest);
    let head = String::from_utf8_lossy(head);
    let pairs: Vec<(&str, &str)> = head
        .lines()
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n, v.trim()))
        .collect();
    let skew = ClockSkew::default();
    let c = classify(
        &ErrorResponse::new(status, &pairs, body),
        use_skew.then_some(&skew),
        now,
    );
    let explained = c.explain();
    let shown = format!("{c:?}");
    if let Some(m) = &c.message {
        // The limit plus the 3-byte ellipsis that marks a cut.
        assert!(m.len() <= MESSAGE_LIMIT + 3, "message of {} bytes", m.len());
    }
    let _ = c.action_for_source(&CredentialSource::InstanceMetadata);
    // A token echoed the way S3 does must not come back out.
    if let Some(tok) = token_echo(body) {
        let once = std::str::from_utf8(body).is_ok_and(|b| b.matches(tok).count() == 1);
        if once && tok.len() >= 24 && !head.contains(tok) {
            assert!(
                !shown.contains(tok) && !explained.contains(tok),
                "echoed token leaked"
            );
        }
    }
});

/// Headers up to the first blank line, and the body after it.
fn split_head(b: &[u8]) -> (&[u8], &[u8]) {
    for (i, w) in b.windows(2).enumerate() {
        if w == b"\n\n" {
            return (&b[..i], &b[i + 2..]);
        }
        if w == b"\r\n" && b.get(i + 2..i + 4) == Some(b"\r\n") {
            return (&b[..i], &b[i + 4..]);
        }
    }
    (b, &[])
}

/// The text of the first `<Token-0>` element, when it is plain base64-like text (a real token).
fn token_echo(body: &[u8]) -> Option<&str> {
    let s = std::str::from_utf8(body).ok()?;
    let start = s.find("<Token-0>")? + "<Token-0>".len();
    let len = s[start..].find("</Token-0>")?;
    let tok = &s[start..start + len];
    tok.bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"+/=".contains(&b))
        .then_some(tok)
}
