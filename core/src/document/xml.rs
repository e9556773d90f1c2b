//! A small, strict, pull XML reader: just enough XML 1.0 for AWS query-protocol responses.
//!
//! It reads elements, attributes (checked, then dropped), text, CDATA sections, comments,
//! processing instructions and the `<?xml ...?>` declaration; it decodes the five predefined
//! entities and numeric character references. It refuses DTDs (`<!DOCTYPE`), so there is no
//! entity expansion, and it nests no deeper than [`MAX_DEPTH`]; it keeps an explicit element
//! stack and never recurses. Element names are checked for matching start/end tags and for
//! declared namespace prefixes; events carry the local name (the part after the prefix).
//! Every check is linear in the input or bounded by [`MAX_DEPTH`] and [`MAX_ATTRIBUTES`].

use crate::prelude::*;
use alloc::borrow::Cow;

/// The deepest element nesting accepted.
pub(crate) const MAX_DEPTH: usize = 32;
/// The most attributes one element may have (keeps duplicate checks cheap).
pub(crate) const MAX_ATTRIBUTES: usize = 32;

/// A well-formedness error: where and what.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct XmlError {
    pub(crate) offset: usize,
    pub(crate) detail: &'static str,
}

/// One thing the reader saw.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Event<'a> {
    /// A start tag (or the start of an empty-element tag); the local name.
    Start(&'a str),
    /// An end tag (or the end of an empty-element tag); the local name.
    End(&'a str),
    /// Character data (entities decoded) or a CDATA section, inside the root element.
    Text(Cow<'a, str>),
}

/// The pull reader.
pub(crate) struct Reader<'a> {
    src: &'a str,
    pos: usize,
    /// Qualified names of the open elements.
    stack: Vec<&'a str>,
    /// Namespace prefixes declared, with the depth of the element that declared them.
    prefixes: Vec<(usize, &'a str)>,
    /// An empty-element tag's end, still to be reported.
    pending_end: Option<&'a str>,
    root_done: bool,
}

fn err<T>(offset: usize, detail: &'static str) -> Result<T, XmlError> {
    Err(XmlError { offset, detail })
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

fn is_name_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b == b':' || b >= 0x80
}

fn is_name_char(b: u8) -> bool {
    is_name_start(b) || b.is_ascii_digit() || b == b'-' || b == b'.'
}

/// The local part of a qualified name.
fn local(qname: &str) -> &str {
    qname.split_once(':').map_or(qname, |(_, l)| l)
}

impl<'a> Reader<'a> {
    /// A reader over `src`. `src` must already be known to be UTF-8 without a BOM; control
    /// characters other than tab, CR and LF are refused here.
    pub(crate) fn new(src: &'a str) -> Result<Self, XmlError> {
        if let Some(i) = src
            .bytes()
            .position(|b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r'))
        {
            return err(i, "control character (not allowed in XML)");
        }
        Ok(Reader {
            src,
            pos: 0,
            stack: Vec::new(),
            prefixes: Vec::new(),
            pending_end: None,
            root_done: false,
        })
    }

    /// The byte offset the reader is at.
    pub(crate) fn offset(&self) -> usize {
        self.pos
    }

    fn rest(&self) -> &'a str {
        self.src.get(self.pos..).unwrap_or_default()
    }

    fn peek(&self) -> Option<u8> {
        self.src.as_bytes().get(self.pos).copied()
    }

    fn skip_space(&mut self) {
        while self.peek().is_some_and(is_space) {
            self.pos += 1;
        }
    }

    /// Reads a qualified name at the cursor (at most one `:`, not first or last).
    fn name(&mut self) -> Result<&'a str, XmlError> {
        let start = self.pos;
        if !self.peek().is_some_and(|b| is_name_start(b) && b != b':') {
            return err(start, "expected a name");
        }
        while self.peek().is_some_and(is_name_char) {
            self.pos += 1;
        }
        // Names end at an ASCII byte (or the end), so both ends are char boundaries.
        let name = self.src.get(start..self.pos).unwrap_or_default();
        let colons = name.bytes().filter(|&b| b == b':').count();
        if colons > 1 || name.ends_with(':') {
            return err(start, "malformed qualified name");
        }
        Ok(name)
    }

    /// Skips past `end`, returning the text before it.
    fn until(&mut self, end: &str, what: &'static str) -> Result<&'a str, XmlError> {
        let rest = self.rest();
        match rest.find(end) {
            Some(i) => {
                self.pos += i + end.len();
                Ok(rest.get(..i).unwrap_or_default())
            }
            None => err(self.src.len(), what),
        }
    }

    /// The next event, `Ok(None)` at the end of a complete document.
    pub(crate) fn next_event(&mut self) -> Result<Option<Event<'a>>, XmlError> {
        if let Some(name) = self.pending_end.take() {
            return Ok(Some(self.close(name)));
        }
        loop {
            let start = self.pos;
            let rest = self.rest();
            if rest.is_empty() {
                if !self.stack.is_empty() {
                    return err(
                        start,
                        "unexpected end of document (an element is not closed)",
                    );
                }
                if !self.root_done {
                    return err(start, "no root element");
                }
                return Ok(None);
            }
            if !rest.starts_with('<') {
                let end = rest.find('<').unwrap_or(rest.len());
                let raw = rest.get(..end).unwrap_or_default();
                self.pos += end;
                if self.stack.is_empty() {
                    match raw.bytes().position(|b| !is_space(b)) {
                        Some(i) => return err(start + i, "text outside the root element"),
                        None => continue,
                    }
                }
                if let Some(i) = raw.find("]]>") {
                    return err(start + i, "`]]>` in text");
                }
                return decode(raw, start).map(|t| Some(Event::Text(t)));
            }
            if rest.starts_with("<?") {
                self.pos += 2;
                let target = self.name()?;
                if target.eq_ignore_ascii_case("xml") && (start != 0 || target != "xml") {
                    return err(start, "XML declaration not at the start of the document");
                }
                if !self.peek().is_some_and(is_space) && !self.rest().starts_with("?>") {
                    return err(self.pos, "malformed processing instruction");
                }
                self.until("?>", "unterminated processing instruction")?;
                continue;
            }
            if rest.starts_with("<!--") {
                self.pos += 4;
                let body = self.until("-->", "unterminated comment")?;
                if body.contains("--") || body.ends_with('-') {
                    return err(start, "`--` inside a comment");
                }
                continue;
            }
            if rest.starts_with("<![CDATA[") {
                if self.stack.is_empty() {
                    return err(start, "CDATA outside the root element");
                }
                self.pos += 9;
                let body = self.until("]]>", "unterminated CDATA section")?;
                return Ok(Some(Event::Text(Cow::Borrowed(body))));
            }
            if rest.starts_with("<!DOCTYPE") {
                return err(start, "DTDs are not supported");
            }
            if rest.starts_with("<!") {
                return err(start, "unknown markup declaration");
            }
            if rest.starts_with("</") {
                self.pos += 2;
                let name = self.name()?;
                self.skip_space();
                if self.peek() != Some(b'>') {
                    return err(self.pos, "expected `>` to close the end tag");
                }
                self.pos += 1;
                if self.stack.last() != Some(&name) {
                    return err(start, "end tag does not match the open element");
                }
                return Ok(Some(self.close(name)));
            }
            return self.start_tag(start).map(Some);
        }
    }

    fn close(&mut self, name: &'a str) -> Event<'a> {
        let depth = self.stack.len();
        self.stack.pop();
        while self.prefixes.last().is_some_and(|(d, _)| *d >= depth) {
            self.prefixes.pop();
        }
        if self.stack.is_empty() {
            self.root_done = true;
        }
        Event::End(local(name))
    }

    fn start_tag(&mut self, start: usize) -> Result<Event<'a>, XmlError> {
        self.pos += 1;
        let name = self.name()?;
        if self.stack.is_empty() && self.root_done {
            return err(start, "a second root element");
        }
        if self.stack.len() >= MAX_DEPTH {
            return err(start, "elements nested too deeply");
        }
        let depth = self.stack.len() + 1;
        let mut attrs: Vec<&'a str> = Vec::new();
        let empty = loop {
            let had_space = self.peek().is_some_and(is_space);
            self.skip_space();
            match self.peek() {
                Some(b'>') => {
                    self.pos += 1;
                    break false;
                }
                Some(b'/') => {
                    if self.rest().starts_with("/>") {
                        self.pos += 2;
                        break true;
                    }
                    return err(self.pos, "expected `/>`");
                }
                None => return err(self.pos, "unterminated start tag"),
                Some(_) if !had_space => return err(self.pos, "expected space before attribute"),
                Some(_) => {}
            }
            let at = self.pos;
            let attr = self.name()?;
            if attrs.contains(&attr) {
                return err(at, "duplicate attribute");
            }
            if attrs.len() >= MAX_ATTRIBUTES {
                return err(at, "too many attributes");
            }
            attrs.push(attr);
            self.skip_space();
            if self.peek() != Some(b'=') {
                return err(self.pos, "expected `=` after attribute name");
            }
            self.pos += 1;
            self.skip_space();
            let quote = match self.peek() {
                Some(q @ (b'"' | b'\'')) => q,
                _ => return err(self.pos, "expected a quoted attribute value"),
            };
            self.pos += 1;
            let vstart = self.pos;
            let rest = self.rest();
            let Some(len) = rest.bytes().position(|b| b == quote) else {
                return err(self.src.len(), "unterminated attribute value");
            };
            let value = rest.get(..len).unwrap_or_default();
            self.pos += len + 1;
            if let Some(i) = value.find('<') {
                return err(vstart + i, "`<` in an attribute value");
            }
            decode(value, vstart)?;
            if let Some(prefix) = attr.strip_prefix("xmlns:") {
                if value.is_empty() {
                    return err(vstart, "empty namespace name for a prefix");
                }
                self.prefixes.push((depth, prefix));
            }
        };
        for qname in core::iter::once(name).chain(attrs.iter().copied()) {
            if let Some((prefix, _)) = qname.split_once(':') {
                let declared = matches!(prefix, "xml" | "xmlns")
                    || self.prefixes.iter().any(|(_, p)| *p == prefix);
                if !declared {
                    return err(start, "undeclared namespace prefix");
                }
            }
        }
        self.stack.push(name);
        if empty {
            self.pending_end = Some(name);
        }
        Ok(Event::Start(local(name)))
    }
}

/// Decodes entity and character references in text found at `base`.
pub(crate) fn decode(raw: &str, base: usize) -> Result<Cow<'_, str>, XmlError> {
    let Some(first) = raw.find('&') else {
        return Ok(Cow::Borrowed(raw));
    };
    // Wiped if an error stops decoding half way (the text may be a secret); the finished
    // string moves out without a copy.
    let mut out = zeroize::Zeroizing::new(String::with_capacity(raw.len()));
    out.push_str(raw.get(..first).unwrap_or_default());
    let mut i = first;
    while let Some(rest) = raw.get(i..) {
        if rest.is_empty() {
            break;
        }
        if !rest.starts_with('&') {
            let n = rest.find('&').unwrap_or(rest.len());
            out.push_str(rest.get(..n).unwrap_or_default());
            i += n;
            continue;
        }
        let Some(semi) = rest.bytes().take(12).position(|b| b == b';') else {
            return err(base + i, "`&` not starting an entity reference");
        };
        let name = rest.get(1..semi).unwrap_or_default();
        let c = match name {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            _ => match name.strip_prefix('#') {
                Some(num) => char_ref(num).ok_or(XmlError {
                    offset: base + i,
                    detail: "invalid character reference",
                })?,
                None => {
                    return err(
                        base + i,
                        "unknown entity (only the five XML ones are known)",
                    )
                }
            },
        };
        out.push(c);
        i += semi + 1;
    }
    Ok(Cow::Owned(core::mem::take(&mut *out)))
}

/// `#NNN` / `#xHHH` without the `#`: a character XML allows.
fn char_ref(num: &str) -> Option<char> {
    let (digits, radix) = match num.strip_prefix('x') {
        Some(hex) => (hex, 16),
        None => (num, 10),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let v = u32::from_str_radix(digits, radix).ok()?;
    let allowed =
        matches!(v, 0x9 | 0xA | 0xD | 0x20..=0xD7FF | 0xE000..=0xFFFD | 0x1_0000..=0x10_FFFF);
    if allowed {
        char::from_u32(v)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events(src: &str) -> Result<Vec<Event<'_>>, XmlError> {
        let mut r = Reader::new(src)?;
        let mut out = Vec::new();
        while let Some(e) = r.next_event()? {
            out.push(e);
        }
        Ok(out)
    }

    fn text(s: &str) -> Event<'_> {
        Event::Text(Cow::Borrowed(s))
    }

    #[test]
    fn entities_and_character_references() {
        assert_eq!(
            decode("a&amp;b&lt;&gt;&quot;&apos;&#65;&#x42;&#x1F600;", 0).unwrap(),
            "a&b<>\"'AB\u{1F600}"
        );
        assert!(matches!(
            decode("plain", 0).unwrap(),
            Cow::Borrowed("plain")
        ));
        for (bad, at) in [
            ("x&y", 1),
            ("&unknown;", 0),
            ("ab&#0;", 2),
            ("&#xD800;", 0),
            ("&#x110000;", 0),
            ("&#;", 0),
            ("&#x;", 0),
            ("&#12a;", 0),
            ("&#99999999999999;", 0),
            ("&amp", 0),
            ("&;", 0),
        ] {
            assert_eq!(decode(bad, 10).unwrap_err().offset, 10 + at, "{bad}");
        }
    }

    #[test]
    fn document_shapes() {
        let doc = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- c -->\
            <p:A xmlns:p=\"urn:x\" xmlns='urn:y' a='1&amp;'><B>x&lt;y<![CDATA[<&>]]></B>\
            <C/><p:D > t </p:D></p:A>\n<!-- after -->\n";
        assert_eq!(
            events(doc).unwrap(),
            vec![
                Event::Start("A"),
                Event::Start("B"),
                Event::Text(Cow::Owned("x<y".into())),
                text("<&>"),
                Event::End("B"),
                Event::Start("C"),
                Event::End("C"),
                Event::Start("D"),
                text(" t "),
                Event::End("D"),
                Event::End("A"),
            ]
        );
    }

    #[test]
    fn malformed_documents_are_refused_with_offsets() {
        let cases: &[(&str, usize)] = &[
            ("", 0),
            ("   ", 3),
            ("<a>", 3),
            ("<a></b>", 3),
            ("<a></a><b/>", 7),
            ("<a></a>x", 7),
            ("x<a/>", 0),
            ("<a><!DOCTYPE x></a>", 3),
            ("<!DOCTYPE a [<!ENTITY x \"y\">]><a/>", 0),
            ("<a>&bogus;</a>", 3),
            ("<a b='1' b='2'/>", 9),
            ("<a b=1/>", 5),
            ("<a b='<'/>", 6),
            ("<a b='1'c='2'/>", 8),
            ("<p:a/>", 0),
            ("<a:b:c/>", 1),
            ("<a><!-- x -- y --></a>", 3),
            ("<a><![CDATA[x</a>", 17),
            ("<a> ]]> </a>", 4),
            ("<a/><?xml version='1.0'?>", 4),
            ("<a>\u{1}</a>", 3),
            ("<1a/>", 1),
            ("<a", 2),
            ("<a b='x", 7),
        ];
        for (doc, at) in cases {
            let e = events(doc).unwrap_err();
            assert_eq!(e.offset, *at, "{doc:?}: {}", e.detail);
        }
    }

    #[test]
    fn depth_is_limited_without_recursion() {
        let ok = format!("{}{}", "<a>".repeat(MAX_DEPTH), "</a>".repeat(MAX_DEPTH));
        assert!(events(&ok).is_ok());
        let deep = format!("{}{}", "<a>".repeat(10_000), "</a>".repeat(10_000));
        assert_eq!(
            events(&deep).unwrap_err().detail,
            "elements nested too deeply"
        );
    }

    #[test]
    fn attributes_are_limited() {
        let attrs = |n: usize| (0..n).map(|i| format!(" a{i}='v'")).collect::<String>();
        assert!(events(&format!("<a{}/>", attrs(MAX_ATTRIBUTES))).is_ok());
        let e = events(&format!("<a{}/>", attrs(MAX_ATTRIBUTES + 1))).unwrap_err();
        assert_eq!(e.detail, "too many attributes");
    }

    #[test]
    fn prefixes_go_out_of_scope() {
        assert!(events("<a><b xmlns:p='u'><p:c/></b></a>").is_ok());
        let e = events("<a><b xmlns:p='u'/><p:c/></a>").unwrap_err();
        assert_eq!(e.detail, "undeclared namespace prefix");
    }
}
