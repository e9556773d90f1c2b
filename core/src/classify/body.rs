//! Pulls the error code, message and time hints out of an error response body: a small, tolerant
//! scan of the first [`BODY_SCAN_LIMIT`](super::BODY_SCAN_LIMIT) bytes, not a general XML or JSON
//! reader. It never allocates more than a few KiB and never recurses on input.

use super::BODY_SCAN_LIMIT;
use crate::prelude::*;
use serde_json::{Map, Value};

/// Captured text is cut at this many bytes (the message is shortened further later).
const FIELD_LIMIT: usize = 4096;
/// S3's echoed canonical request and string to sign are cut at this many bytes.
pub(super) const ECHO_LIMIT: usize = 16 * 1024;
/// Element nesting deeper than this is scanned but not tracked (AWS bodies nest 3–4 deep).
const MAX_DEPTH: usize = 64;

/// What the body said, as raw (entity-decoded, trimmed) text.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct BodyFields {
    pub(super) code: Option<String>,
    pub(super) message: Option<String>,
    /// S3 `<ServerTime>` (RFC 3339).
    pub(super) server_time: Option<String>,
    /// S3 `<RequestTime>`: the request's own `x-amz-date` or `Date`, as the server read it.
    pub(super) request_time: Option<String>,
    /// S3 `<CanonicalRequest>` of a `SignatureDoesNotMatch` (not trimmed: its lines matter).
    pub(super) canonical_request: Option<String>,
    /// S3 `<StringToSign>` of a `SignatureDoesNotMatch`.
    pub(super) string_to_sign: Option<String>,
}

pub(super) fn parse(body: &[u8]) -> BodyFields {
    let mut b = &body[..body.len().min(BODY_SCAN_LIMIT)];
    if let Some(rest) = b.strip_prefix(b"\xEF\xBB\xBF") {
        b = rest;
    }
    let start = b
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(b.len());
    match b.get(start) {
        Some(b'{') => json(&b[start..]),
        Some(b'<') => xml(&b[start..]),
        _ => BodyFields::default(),
    }
}

/// JSON 1.0/1.1 and REST-JSON: `__type`, `code`/`Code`, `message`/`Message`, at the top level or
/// inside an `Error` object. Smithy's restJson1 rule prefers `code` over `__type`.
fn json(b: &[u8]) -> BodyFields {
    // serde_json bounds its own recursion (128 levels) and returns an error past it.
    let Ok(Value::Object(top)) = serde_json::from_slice::<Value>(b) else {
        return BodyFields::default();
    };
    let nested = match top.get("Error").or_else(|| top.get("error")) {
        Some(Value::Object(m)) => Some(m),
        _ => None,
    };
    let pick = |keys: &[&str]| {
        let from = |m: &Map<String, Value>| {
            keys.iter()
                .find_map(|k| m.get(*k)?.as_str().map(str::to_owned))
        };
        from(&top).or_else(|| nested.and_then(from))
    };
    BodyFields {
        code: pick(&["code", "Code", "__type"]),
        message: pick(&["message", "Message", "errorMessage"]),
        ..BodyFields::default()
    }
}

#[derive(Clone, Copy)]
enum Field {
    Code,
    Message,
    ServerTime,
    RequestTime,
    CanonicalRequest,
    StringToSign,
}

impl Field {
    fn limit(self) -> usize {
        match self {
            Field::CanonicalRequest | Field::StringToSign => ECHO_LIMIT,
            _ => FIELD_LIMIT,
        }
    }
}

/// XML: the first `Code`, `Message`, `ServerTime` and `RequestTime` elements that are direct
/// children of an `Error` element (S3 `<Error>`, EC2 `<Response><Errors><Error>`, query APIs'
/// `<ErrorResponse><Error>`), any namespace prefix ignored. Comments, processing instructions and
/// the DOCTYPE are skipped (no entity definitions are read); CDATA is text; the five predefined
/// entities and numeric character references are decoded. Element names are case-sensitive, so an
/// HTML page's `<code>` is not mistaken for an AWS error code.
fn xml(b: &[u8]) -> BodyFields {
    let mut out = BodyFields::default();
    let mut stack: Vec<&[u8]> = Vec::new();
    let mut untracked = 0usize;
    // (field, stack depth of the captured element, text so far)
    let mut capture: Option<(Field, usize, Vec<u8>)> = None;
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'<' {
            let end = find(b, i, b"<").unwrap_or(b.len());
            if let Some((field, _, text)) = capture.as_mut() {
                decode_entities(&b[i..end], text, field.limit());
            }
            i = end;
            continue;
        }
        let rest = &b[i..];
        if rest.starts_with(b"<!--") {
            i = find(b, i + 4, b"-->").map_or(b.len(), |e| e + 3);
        } else if rest.starts_with(b"<![CDATA[") {
            let end = find(b, i + 9, b"]]>").unwrap_or(b.len());
            if let Some((field, _, text)) = capture.as_mut() {
                push_limited(text, &b[i + 9..end], field.limit());
            }
            i = (end + 3).min(b.len());
        } else if rest.starts_with(b"<?") {
            i = find(b, i + 2, b"?>").map_or(b.len(), |e| e + 2);
        } else if rest.starts_with(b"<!") {
            i = skip_declaration(b, i);
        } else if rest.starts_with(b"</") {
            i = find(b, i, b">").map_or(b.len(), |e| e + 1);
            if untracked > 0 {
                untracked -= 1;
            } else {
                stack.pop();
            }
            if let Some((field, depth, text)) = capture.take() {
                if stack.len() < depth {
                    store(&mut out, field, &text);
                } else {
                    capture = Some((field, depth, text));
                }
            }
        } else {
            let name_start = i + 1;
            let mut j = name_start;
            while j < b.len() && !matches!(b[j], b' ' | b'\t' | b'\r' | b'\n' | b'/' | b'>') {
                j += 1;
            }
            let name = &b[name_start..j];
            let local = match name.iter().rposition(|&c| c == b':') {
                Some(p) => &name[p + 1..],
                None => name,
            };
            let (end, self_closing) = tag_end(b, j);
            i = end;
            if self_closing {
                continue;
            }
            let parent_is_error = stack.last().is_some_and(|p| *p == b"Error") && untracked == 0;
            if stack.len() < MAX_DEPTH && untracked == 0 {
                stack.push(local);
            } else {
                untracked += 1;
                continue;
            }
            if capture.is_none() && parent_is_error {
                let field = match local {
                    b"Code" if out.code.is_none() => Some(Field::Code),
                    b"Message" if out.message.is_none() => Some(Field::Message),
                    b"ServerTime" if out.server_time.is_none() => Some(Field::ServerTime),
                    b"RequestTime" if out.request_time.is_none() => Some(Field::RequestTime),
                    b"CanonicalRequest" if out.canonical_request.is_none() => {
                        Some(Field::CanonicalRequest)
                    }
                    b"StringToSign" if out.string_to_sign.is_none() => Some(Field::StringToSign),
                    _ => None,
                };
                capture = field.map(|f| (f, stack.len(), Vec::new()));
            }
        }
    }
    out
}

fn store(out: &mut BodyFields, field: Field, text: &[u8]) {
    let text = String::from_utf8_lossy(text);
    let value = match field {
        // Lines matter (an empty query line, a trailing empty line): only CRLFs become LFs.
        // A NUL cannot appear in a real canonical request; it becomes U+FFFD so hosts that
        // pass text NUL-separated or NUL-terminated never see one.
        Field::CanonicalRequest | Field::StringToSign => {
            text.replace("\r\n", "\n").replace('\0', "\u{FFFD}")
        }
        _ => text.trim().to_owned(),
    };
    if value.trim().is_empty() {
        return;
    }
    let slot = match field {
        Field::Code => &mut out.code,
        Field::Message => &mut out.message,
        Field::ServerTime => &mut out.server_time,
        Field::RequestTime => &mut out.request_time,
        Field::CanonicalRequest => &mut out.canonical_request,
        Field::StringToSign => &mut out.string_to_sign,
    };
    *slot = Some(value);
}

/// Index of the first `needle` at or after `from`.
fn find(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    b.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

/// The index after a start tag's `>` (quoted attribute values may contain `>`), and whether the
/// tag closed itself with `/>`.
fn tag_end(b: &[u8], mut j: usize) -> (usize, bool) {
    let mut quote: Option<u8> = None;
    while j < b.len() {
        let c = b[j];
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == b'"' || c == b'\'' => quote = Some(c),
            None if c == b'>' => return (j + 1, j > 0 && b[j - 1] == b'/'),
            None => {}
        }
        j += 1;
    }
    (b.len(), false)
}

/// Skips `<!DOCTYPE …>` including an internal subset in `[...]`.
fn skip_declaration(b: &[u8], i: usize) -> usize {
    let mut depth = 0usize;
    for (k, &c) in b.iter().enumerate().skip(i + 2) {
        match c {
            b'[' => depth += 1,
            b']' => depth = depth.saturating_sub(1),
            b'>' if depth == 0 => return k + 1,
            _ => {}
        }
    }
    b.len()
}

fn push_limited(out: &mut Vec<u8>, bytes: &[u8], limit: usize) {
    let room = limit.saturating_sub(out.len());
    out.extend_from_slice(&bytes[..bytes.len().min(room)]);
}

/// Appends `text` with `&lt;` `&gt;` `&amp;` `&quot;` `&apos;` `&#N;` `&#xH;` decoded; anything else
/// (an unknown or malformed reference) is kept as written.
fn decode_entities(text: &[u8], out: &mut Vec<u8>, limit: usize) {
    let mut i = 0;
    while i < text.len() && out.len() < limit {
        if text[i] == b'&' {
            if let Some(len) = text[i..].iter().take(12).position(|&c| c == b';') {
                let name = &text[i + 1..i + len];
                if let Some(ch) = entity(name) {
                    let mut buf = [0u8; 4];
                    push_limited(out, ch.encode_utf8(&mut buf).as_bytes(), limit);
                    i += len + 1;
                    continue;
                }
            }
        }
        let end = text[i + 1..]
            .iter()
            .position(|&c| c == b'&')
            .map_or(text.len(), |p| p + i + 1);
        push_limited(out, &text[i..end], limit);
        i = end;
    }
}

fn entity(name: &[u8]) -> Option<char> {
    match name {
        b"lt" => Some('<'),
        b"gt" => Some('>'),
        b"amp" => Some('&'),
        b"quot" => Some('"'),
        b"apos" => Some('\''),
        [b'#', b'x' | b'X', hex @ ..] => char_from(hex, 16),
        [b'#', dec @ ..] => char_from(dec, 10),
        _ => None,
    }
}

fn char_from(digits: &[u8], radix: u32) -> Option<char> {
    let s = core::str::from_utf8(digits).ok()?;
    if s.is_empty() || s.starts_with('+') {
        return None;
    }
    char::from_u32(u32::from_str_radix(s, radix).ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(code: &str, message: &str) -> BodyFields {
        BodyFields {
            code: Some(code.into()),
            message: Some(message.into()),
            ..BodyFields::default()
        }
    }

    #[test]
    fn xml_shapes() {
        let s3 = b"<?xml version=\"1.0\"?>\n<Error><Code>NoSuchKey</Code><Message>gone</Message></Error>";
        assert_eq!(parse(s3), fields("NoSuchKey", "gone"));
        let ec2 = b"<Response><Errors><Error><Code>A</Code><Message>m</Message></Error>\
                    <Error><Code>B</Code></Error></Errors><RequestID>x</RequestID></Response>";
        assert_eq!(parse(ec2), fields("A", "m"));
        let sts = b"<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\
                    <Error><Type>Sender</Type><Code>ExpiredToken</Code>\
                    <Message>a &amp; b &lt;c&gt; &#65;&#x42; &bogus; &#xD800;</Message></Error></ErrorResponse>";
        assert_eq!(
            parse(sts),
            fields("ExpiredToken", "a & b <c> AB &bogus; &#xD800;")
        );
        let ns = b"\xEF\xBB\xBF  <!DOCTYPE x [<!ENTITY e \"boom\">]><!-- <Error><Code>No</Code></Error> -->\
                   <s:Error a='>' b=\"/>\"><s:Code><![CDATA[C<1>]]></s:Code><Message/></s:Error>";
        assert_eq!(parse(ns).code.as_deref(), Some("C<1>"));
    }

    #[test]
    fn xml_ignores_codes_outside_error_and_html() {
        let html = b"<html><body><h1>503</h1><code>Code</code><Code>X</Code></body></html>";
        assert_eq!(parse(html), BodyFields::default());
        let nested = b"<Error><Detail><Code>inner</Code></Detail><Code>outer</Code></Error>";
        assert_eq!(parse(nested).code.as_deref(), Some("outer"));
        let s3 =
            b"<Error><Code>RequestTimeTooSkewed</Code><RequestTime>20210811T184802Z</RequestTime>\
                   <ServerTime>2021-08-11T21:48:05Z</ServerTime></Error>";
        let f = parse(s3);
        assert_eq!(f.request_time.as_deref(), Some("20210811T184802Z"));
        assert_eq!(f.server_time.as_deref(), Some("2021-08-11T21:48:05Z"));
    }

    #[test]
    fn xml_signature_mismatch_echoes() {
        let s3 = b"<Error><Code>SignatureDoesNotMatch</Code><Message>m</Message>\
            <StringToSign>AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/s3/aws4_request\nabc</StringToSign>\
            <CanonicalRequest>GET\r\n/a&amp;b\r\n\r\nhost:h\r\n\r\nhost\r\nUNSIGNED-PAYLOAD</CanonicalRequest>\
            <CanonicalRequestBytes>47 45 54</CanonicalRequestBytes></Error>";
        let f = parse(s3);
        assert_eq!(
            f.canonical_request.as_deref(),
            Some("GET\n/a&b\n\nhost:h\n\nhost\nUNSIGNED-PAYLOAD")
        );
        assert_eq!(
            f.string_to_sign.as_deref().map(|s| s.lines().count()),
            Some(4)
        );
        let nul = parse(b"<Error><StringToSign>a&#0;b\0c</StringToSign></Error>");
        assert_eq!(nul.string_to_sign.as_deref(), Some("a\u{FFFD}b\u{FFFD}c"));
        let long = format!(
            "<Error><CanonicalRequest>{}</CanonicalRequest></Error>",
            "x".repeat(ECHO_LIMIT + 10)
        );
        assert_eq!(
            parse(long.as_bytes()).canonical_request.map(|c| c.len()),
            Some(ECHO_LIMIT)
        );
    }

    #[test]
    fn json_shapes() {
        let ddb = br#"{"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException","message":"m"}"#;
        assert_eq!(
            parse(ddb),
            fields(
                "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException",
                "m"
            )
        );
        let rest = br#" {"code":"A","__type":"B","Message":"m"}"#;
        assert_eq!(parse(rest), fields("A", "m"));
        let nested = br#"{"Error":{"Code":"C","Message":"m"},"RequestId":"r"}"#;
        assert_eq!(parse(nested), fields("C", "m"));
        let apigw = br#"{"message":"only"}"#;
        assert_eq!(parse(apigw).message.as_deref(), Some("only"));
        assert_eq!(parse(br#"{"code":7}"#), BodyFields::default());
        assert_eq!(parse(b"[1,2]"), BodyFields::default());
        assert_eq!(parse(b"{not json"), BodyFields::default());
    }

    #[test]
    fn bounded_and_total() {
        let mut big = b"<Error>".to_vec();
        big.resize(BODY_SCAN_LIMIT + 10, b' ');
        big.extend_from_slice(b"<Code>Late</Code></Error>");
        assert_eq!(parse(&big).code, None);
        let deep: Vec<u8> = b"<a>".repeat(10_000);
        assert_eq!(parse(&deep), BodyFields::default());
        for junk in [
            &b"<"[..],
            b"<!",
            b"<![CDATA[",
            b"<Error><Code>&",
            b"<Error><Code",
            b"</",
            b"<a b='>",
        ] {
            let _ = parse(junk);
        }
        let long = format!("<Error><Message>{}</Message></Error>", "x".repeat(10_000));
        assert_eq!(
            parse(long.as_bytes()).message.map(|m| m.len()),
            Some(FIELD_LIMIT)
        );
    }
}
