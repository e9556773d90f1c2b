//! JSON string values unescaped by the core, into memory it wipes.
//!
//! serde_json unescapes a string with any escape (`\/`, `\u0041`, …) into its own scratch
//! buffer and frees it without wiping; a secret with an escape would stay in freed memory (finding
//! Z2 in FUZZING.md). The document reader therefore takes string values as raw JSON text
//! (serde_json's `RawValue`, borrowed from the input: skipping a string only validates it) and
//! unescapes them here: a string without escapes is borrowed as before, one with escapes is
//! written into a single allocation of the escaped text's length (unescaping never lengthens),
//! which never moves and is wiped by [`Val`](super::json::Val)'s `Drop`.

use crate::prelude::*;
use alloc::borrow::Cow;
use zeroize::Zeroize;

/// Why a string's escapes could not be decoded (serde_json accepts these while skipping).
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum EscapeError {
    /// A `\u` escape naming a lone UTF-16 surrogate.
    LoneSurrogate,
    /// Not a JSON string, or a malformed escape (serde_json has validated the text, so this
    /// does not happen).
    Malformed,
}

impl core::fmt::Display for EscapeError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            EscapeError::LoneSurrogate => "a \\u escape names a lone UTF-16 surrogate",
            EscapeError::Malformed => "a malformed string escape",
        })
    }
}

/// The value of the JSON string literal `raw` (quotes included), borrowed when it has no
/// escapes.
pub(crate) fn unescape(raw: &str) -> Result<Cow<'_, str>, EscapeError> {
    let inner = raw
        .strip_prefix('"')
        .and_then(|r| r.strip_suffix('"'))
        .ok_or(EscapeError::Malformed)?;
    if !inner.as_bytes().contains(&b'\\') {
        return Ok(Cow::Borrowed(inner));
    }
    let mut out = String::with_capacity(inner.len());
    match unescape_into(inner, &mut out) {
        Ok(()) => Ok(Cow::Owned(out)),
        Err(e) => {
            out.zeroize();
            Err(e)
        }
    }
}

fn unescape_into(inner: &str, out: &mut String) -> Result<(), EscapeError> {
    let mut rest = inner;
    while let Some(i) = rest.find('\\') {
        out.push_str(rest.get(..i).ok_or(EscapeError::Malformed)?);
        let esc = rest.get(i + 1..).ok_or(EscapeError::Malformed)?;
        let mut chars = esc.chars();
        let c = match chars.next().ok_or(EscapeError::Malformed)? {
            '"' => '"',
            '\\' => '\\',
            '/' => '/',
            'b' => '\u{8}',
            'f' => '\u{c}',
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            'u' => {
                let (c, used) = unicode_escape(esc.get(1..).ok_or(EscapeError::Malformed)?)?;
                out.push(c);
                rest = esc.get(1 + used..).ok_or(EscapeError::Malformed)?;
                continue;
            }
            _ => return Err(EscapeError::Malformed),
        };
        out.push(c);
        rest = chars.as_str();
    }
    out.push_str(rest);
    Ok(())
}

fn hex4(s: &str) -> Result<u16, EscapeError> {
    let digits = s.get(..4).ok_or(EscapeError::Malformed)?;
    if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(EscapeError::Malformed);
    }
    u16::from_str_radix(digits, 16).map_err(|_| EscapeError::Malformed)
}

/// The character of the `XXXX` after a `\u` (and of a following `\uYYYY` low surrogate), and
/// how many bytes after the `u` it used.
fn unicode_escape(s: &str) -> Result<(char, usize), EscapeError> {
    let first = hex4(s)?;
    match first {
        0xD800..=0xDBFF => {
            let low = s
                .get(4..)
                .and_then(|r| r.strip_prefix("\\u"))
                .ok_or(EscapeError::LoneSurrogate)?;
            let second = hex4(low)?;
            if !(0xDC00..=0xDFFF).contains(&second) {
                return Err(EscapeError::LoneSurrogate);
            }
            let code = 0x10000 + ((u32::from(first) - 0xD800) << 10) + (u32::from(second) - 0xDC00);
            Ok((char::from_u32(code).ok_or(EscapeError::Malformed)?, 10))
        }
        0xDC00..=0xDFFF => Err(EscapeError::LoneSurrogate),
        _ => Ok((
            char::from_u32(u32::from(first)).ok_or(EscapeError::Malformed)?,
            4,
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every case against serde_json's own unescaping (the reference).
    #[test]
    fn agrees_with_serde_json() {
        for raw in [
            r#""""#,
            r#""plain""#,
            r#""a\/b\\c\"d""#,
            r#""\b\f\n\r\t""#,
            r#""\u0041\u00e9\u20AC""#,
            r#""\ud83d\ude00 smile""#,
            r#""x\u0000y""#,
            r#""héllo \u00e9""#,
            r#""wJalrXUtnFEMI\/K7MDENG\/bPxRfiCYEXAMPLEKEY""#,
        ] {
            let want: String = serde_json::from_str(raw).unwrap();
            let got = unescape(raw).unwrap();
            assert_eq!(got, want, "{raw}");
            assert_eq!(matches!(got, Cow::Borrowed(_)), !raw.contains('\\'));
        }
    }

    #[test]
    fn lone_surrogates_are_refused_like_serde_json() {
        for raw in [
            r#""\ud83d""#,
            r#""\ud83dx""#,
            r#""\ude00""#,
            r#""\ud83d\u0041""#,
        ] {
            assert!(serde_json::from_str::<String>(raw).is_err(), "{raw}");
            assert_eq!(unescape(raw), Err(EscapeError::LoneSurrogate), "{raw}");
        }
        assert_eq!(unescape("x"), Err(EscapeError::Malformed));
        assert_eq!(unescape(r#""\q""#), Err(EscapeError::Malformed));
        assert_eq!(unescape(r#""\u12""#), Err(EscapeError::Malformed));
    }
}
