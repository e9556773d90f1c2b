//! The shared JSON reader: one serde visitor that matches an object's keys against a small
//! static schema (ASCII case-insensitively) and keeps only those values, borrowed from the
//! input where the JSON text has no escapes. No `serde_json::Value` tree is built; unknown
//! keys are skipped with `IgnoredAny`.
//!
//! String values are taken as raw JSON text and unescaped by [`json_str`](super::json_str)
//! (borrowed without escapes; with escapes into one allocation that is wiped on drop), never
//! by serde_json, whose scratch buffer would keep an unescaped secret in freed memory.
//!
//! Values are kept loosely typed ([`Val`]) so that a wrong type becomes a precise
//! [`DocumentError::WrongType`] naming the field, instead of a serde message that could quote
//! the value.

use super::{time_field, DocumentError, DocumentFormat};
use crate::prelude::*;
use crate::time::Timestamp;
use alloc::borrow::Cow;
use serde::de::{
    Deserialize, DeserializeSeed, Deserializer, Error as _, IgnoredAny, MapAccess, SeqAccess,
    Visitor,
};
use serde_json::value::RawValue;

/// The most keys one schema object may name.
pub(crate) const MAX_KEYS: usize = 10;

/// The keys of one JSON object that a format reads.
pub(crate) struct Schema {
    pub(crate) keys: &'static [Key],
}

/// One key of a [`Schema`].
pub(crate) struct Key {
    /// The key as the format spells it; matched ASCII case-insensitively.
    pub(crate) name: &'static str,
    /// The name used in errors (a path for nested keys, e.g. `roleCredentials.accessKeyId`).
    pub(crate) label: &'static str,
    /// For a key whose value is an object the format reads into.
    pub(crate) nested: Option<&'static Schema>,
}

impl Key {
    /// A key whose value is a scalar.
    pub(crate) const fn new(name: &'static str) -> Self {
        Key {
            name,
            label: name,
            nested: None,
        }
    }
}

/// A loosely typed JSON value.
pub(crate) enum Val<'a> {
    Str(Cow<'a, str>),
    UInt(u64),
    Int(i64),
    /// A number that is not an integer (or is out of the integer range).
    Float,
    Bool,
    Obj(Box<Obj<'a>>),
    /// An object the schema does not read into (skipped).
    Map,
    /// An array (skipped).
    Arr,
}

impl Val<'_> {
    /// The JSON type, for error messages.
    pub(crate) fn type_name(&self) -> &'static str {
        match self {
            Val::Str(_) => "a string",
            Val::UInt(_) | Val::Int(_) | Val::Float => "a number",
            Val::Bool => "a boolean",
            Val::Obj(_) | Val::Map => "an object",
            Val::Arr => "an array",
        }
    }
}

impl Drop for Val<'_> {
    fn drop(&mut self) {
        // Unescaped copies of values may be secrets; wipe the ones this module allocated.
        if let Val::Str(Cow::Owned(s)) = self {
            if s.capacity() > 0 {
                crate::credentials::wipe(s);
            }
        }
    }
}

/// The values of one JSON object, one slot per schema key. `null` counts as absent.
pub(crate) struct Obj<'a> {
    schema: &'static Schema,
    format: DocumentFormat,
    vals: [Option<Val<'a>>; MAX_KEYS],
    seen: u32,
    duplicate: Option<usize>,
}

impl Drop for Obj<'_> {
    /// Writes every slot whole before the memory is freed (finding Z4). An empty slot, or a
    /// number, leaves the rest of its bytes as they were, and in an optimized build those can
    /// be stale stack bytes (parts of a secret) that a move carried into this box.
    fn drop(&mut self) {
        for v in &mut self.vals {
            *v = Some(Val::Str(Cow::Borrowed("")));
        }
        core::hint::black_box(&self.vals);
    }
}

/// Reads `bytes` (after a size check and an optional UTF-8 BOM) as one JSON object.
pub(crate) fn parse_object<'a>(
    bytes: &'a [u8],
    schema: &'static Schema,
    format: DocumentFormat,
) -> Result<Obj<'a>, DocumentError> {
    super::check_size(bytes.len(), Some(format))?;
    let (body, skip) = super::strip_bom(bytes);
    let mut de = serde_json::Deserializer::from_slice(body);
    let seed = ValSeed {
        nested: Some(schema),
        format,
    };
    // An object (every document) is read directly; anything else through the raw path, so a
    // top-level string is not unescaped by serde_json either.
    let object = body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
    let val = if object {
        de.deserialize_any(ValVisitor(seed))
    } else {
        seed.deserialize(&mut de)
    };
    let val = val
        .and_then(|v| de.end().map(|()| v))
        .map_err(|e| syntax_error(&e, body, skip, Some(format)))?;
    match val {
        Some(mut v) => match &mut v {
            Val::Obj(obj) => Ok(core::mem::replace(&mut **obj, Obj::new(schema, format))),
            _ => Err(not_an_object(Some(&v), body, skip, Some(format))),
        },
        None => Err(not_an_object(None, body, skip, Some(format))),
    }
}

pub(crate) fn not_an_object(
    v: Option<&Val<'_>>,
    body: &[u8],
    skip: usize,
    format: Option<DocumentFormat>,
) -> DocumentError {
    let found = v.map_or("null", Val::type_name);
    DocumentError::Syntax {
        format,
        offset: skip + body.iter().take_while(|b| b.is_ascii_whitespace()).count(),
        detail: Cow::Owned(format!("expected a JSON object, found {found}")),
    }
}

/// Converts a serde_json error. serde_json's syntax messages never quote the input; data errors
/// (which can) are replaced by a fixed text.
pub(crate) fn syntax_error(
    e: &serde_json::Error,
    body: &[u8],
    skip: usize,
    format: Option<DocumentFormat>,
) -> DocumentError {
    use serde_json::error::Category;
    let offset = skip
        + match e.classify() {
            Category::Eof => body.len(),
            _ => offset_of(body, e.line(), e.column()),
        };
    let detail = match e.classify() {
        Category::Eof => Cow::Borrowed("unexpected end of input (is the document cut short?)"),
        Category::Syntax => {
            let text = e.to_string();
            let cut = text.rfind(" at line ").unwrap_or(text.len());
            Cow::Owned(text.get(..cut).unwrap_or("invalid JSON").to_owned())
        }
        Category::Data | Category::Io => Cow::Borrowed("invalid JSON value"),
    };
    DocumentError::Syntax {
        format,
        offset,
        detail,
    }
}

/// serde_json reports a 1-based line and a column that is one past the offending byte's index
/// within its line; turn that into a byte offset.
fn offset_of(body: &[u8], line: usize, column: usize) -> usize {
    let mut start = 0;
    let mut line_no = 1;
    for (i, &b) in body.iter().enumerate() {
        if line_no >= line {
            break;
        }
        if b == b'\n' {
            line_no += 1;
            start = i + 1;
        }
    }
    (start + column.saturating_sub(1)).min(body.len())
}

impl<'a> Obj<'a> {
    fn new(schema: &'static Schema, format: DocumentFormat) -> Self {
        Obj {
            schema,
            format,
            vals: Default::default(),
            seen: 0,
            duplicate: None,
        }
    }

    fn label(&self, i: usize) -> &'static str {
        self.schema.keys.get(i).map_or("?", |k| k.label)
    }

    /// Fails when any schema key appeared twice.
    pub(crate) fn check_duplicates(&self) -> Result<(), DocumentError> {
        match self.duplicate {
            Some(i) => Err(DocumentError::DuplicateField {
                format: self.format,
                field: self.label(i),
            }),
            None => Ok(()),
        }
    }

    /// Takes key `i`'s value (`None` when absent or `null`).
    pub(crate) fn take(&mut self, i: usize) -> Option<Val<'a>> {
        self.vals.get_mut(i).and_then(Option::take)
    }

    fn wrong_type(&self, i: usize, expected: &'static str, v: &Val<'_>) -> DocumentError {
        DocumentError::WrongType {
            format: self.format,
            field: self.label(i),
            expected,
            found: v.type_name(),
        }
    }

    /// Key `i` as a string, `None` when absent or `null`.
    pub(crate) fn str_opt(&mut self, i: usize) -> Result<Option<Cow<'a, str>>, DocumentError> {
        match self.take(i) {
            None => Ok(None),
            Some(mut v) => match &mut v {
                Val::Str(s) => Ok(Some(core::mem::take(s))),
                _ => Err(self.wrong_type(i, "a string", &v)),
            },
        }
    }

    /// Key `i` as a string; empty strings count as absent.
    pub(crate) fn str_nonempty(&mut self, i: usize) -> Result<Option<Cow<'a, str>>, DocumentError> {
        Ok(self.str_opt(i)?.filter(|s| !s.is_empty()))
    }

    /// Key `i` as a string, required.
    pub(crate) fn str_req(&mut self, i: usize) -> Result<Cow<'a, str>, DocumentError> {
        match self.str_opt(i)? {
            Some(s) => Ok(s),
            None => Err(self.missing(i)),
        }
    }

    /// The error for a missing key `i`.
    pub(crate) fn missing(&self, i: usize) -> DocumentError {
        DocumentError::MissingField {
            format: self.format,
            field: self.label(i),
        }
    }

    /// Key `i` as an RFC 3339 timestamp, required.
    pub(crate) fn rfc3339_req(&mut self, i: usize) -> Result<Timestamp, DocumentError> {
        let s = self.str_req(i)?;
        time_field(self.format, self.label(i), crate::time::parse_rfc3339(&s))
    }

    /// Key `i` as an RFC 3339 timestamp; absent, `null` and `""` give `None`.
    pub(crate) fn rfc3339_opt(&mut self, i: usize) -> Result<Option<Timestamp>, DocumentError> {
        match self.str_nonempty(i)? {
            None => Ok(None),
            Some(s) => {
                time_field(self.format, self.label(i), crate::time::parse_rfc3339(&s)).map(Some)
            }
        }
    }

    /// Key `i` as a JSON integer of epoch milliseconds, required.
    pub(crate) fn epoch_millis_req(&mut self, i: usize) -> Result<Timestamp, DocumentError> {
        const EXPECTED: &str = "an integer (epoch milliseconds)";
        let text = match self.take(i) {
            None => return Err(self.missing(i)),
            Some(Val::UInt(n)) => n.to_string(),
            Some(Val::Int(n)) => n.to_string(),
            Some(v) => return Err(self.wrong_type(i, EXPECTED, &v)),
        };
        time_field(
            self.format,
            self.label(i),
            crate::time::parse_epoch_millis(&text),
        )
    }

    /// Key `i` as a nested object (its schema is the key's `nested`), required.
    pub(crate) fn obj_req(&mut self, i: usize) -> Result<Obj<'a>, DocumentError> {
        match self.take(i) {
            None => Err(self.missing(i)),
            Some(mut v) => match &mut v {
                Val::Obj(o) => {
                    let empty = Obj::new(o.schema, o.format);
                    Ok(core::mem::replace(&mut **o, empty))
                }
                _ => Err(self.wrong_type(i, "an object", &v)),
            },
        }
    }
}

struct ValSeed {
    nested: Option<&'static Schema>,
    format: DocumentFormat,
}

/// A value, read as raw JSON text borrowed from the input: strings are unescaped by
/// [`json_str::unescape`](super::json_str::unescape), anything else is parsed again from the
/// raw text with [`ValVisitor`].
impl<'de> DeserializeSeed<'de> for ValSeed {
    type Value = Option<Val<'de>>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        let raw = <&'de RawValue>::deserialize(d)?;
        let text: &'de str = raw.get();
        if text.starts_with('"') {
            return super::json_str::unescape(text)
                .map(|s| Some(Val::Str(s)))
                .map_err(D::Error::custom);
        }
        let mut de = serde_json::Deserializer::from_str(text);
        de.deserialize_any(ValVisitor(self))
            .map_err(|e| D::Error::custom(e.to_string()))
    }
}

/// Reads any JSON value; string values inside objects go through [`ValSeed`].
struct ValVisitor(ValSeed);

impl<'de> Visitor<'de> for ValVisitor {
    type Value = Option<Val<'de>>;

    fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(Some(Val::Bool))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(Val::Int(v)))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(Val::UInt(v)))
    }
    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(Some(Val::Float))
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Some(Val::Str(Cow::Borrowed(v))))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(Val::Str(Cow::Owned(v.to_owned()))))
    }
    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(Some(Val::Str(Cow::Owned(v))))
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Some(Val::Arr))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let ValSeed { nested, format } = self.0;
        let Some(schema) = nested else {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            return Ok(Some(Val::Map));
        };
        // Built in its box, not on the stack and then moved: a move copies the bytes of the
        // empty slots too, and those can be stale stack memory (finding Z4).
        let mut obj = Box::new(Obj::new(schema, format));
        while let Some(key) = map.next_key_seed(KeySeed(schema))? {
            let Some((i, k)) = key else {
                map.next_value::<IgnoredAny>()?;
                continue;
            };
            let val = map.next_value_seed(ValSeed {
                nested: k.nested,
                format,
            })?;
            let bit = 1u32 << i;
            if obj.seen & bit != 0 {
                obj.duplicate.get_or_insert(i);
            } else if let Some(slot) = obj.vals.get_mut(i) {
                obj.seen |= bit;
                *slot = val;
            }
        }
        Ok(Some(Val::Obj(obj)))
    }
}

/// Matches an object key against the schema without allocating.
struct KeySeed(&'static Schema);

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Option<(usize, &'static Key)>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Option<(usize, &'static Key)>;
    fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("an object key")
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(self
            .0
            .keys
            .iter()
            .take(MAX_KEYS)
            .enumerate()
            .find(|(_, k)| k.name.eq_ignore_ascii_case(v)))
    }
}

/// Which of a fixed set of marker keys a top-level JSON object has, for format detection.
pub(crate) fn top_level_keys(
    bytes: &[u8],
    markers: &'static [(&'static str, bool)],
) -> Result<u32, DocumentError> {
    let (body, skip) = super::strip_bom(bytes);
    let mut de = serde_json::Deserializer::from_slice(body);
    let found = de
        .deserialize_any(Markers(markers))
        .and_then(|v| de.end().map(|()| v))
        .map_err(|e| syntax_error(&e, body, skip, None))?;
    found.ok_or_else(|| DocumentError::Syntax {
        format: None,
        offset: skip + body.iter().take_while(|b| b.is_ascii_whitespace()).count(),
        detail: Cow::Borrowed("expected a JSON object"),
    })
}

/// A bit per marker key that appears; a marker's flag says whether it is matched exactly
/// (otherwise ASCII case-insensitively).
struct Markers(&'static [(&'static str, bool)]);

impl<'de> Visitor<'de> for Markers {
    type Value = Option<u32>;
    fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("a JSON object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut bits = 0u32;
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            for (i, (marker, exact)) in self.0.iter().take(32).enumerate() {
                if (*exact && *marker == key) || (!*exact && marker.eq_ignore_ascii_case(&key)) {
                    bits |= 1 << i;
                }
            }
            map.next_value::<IgnoredAny>()?;
        }
        Ok(Some(bits))
    }
    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static INNER: Schema = Schema {
        keys: &[Key {
            name: "b",
            label: "a.b",
            nested: None,
        }],
    };
    static SCHEMA: Schema = Schema {
        keys: &[
            Key::new("Name"),
            Key {
                name: "a",
                label: "a",
                nested: Some(&INNER),
            },
        ],
    };
    const F: DocumentFormat = DocumentFormat::Process;

    #[test]
    fn keys_match_case_insensitively_and_borrow() {
        let mut o =
            parse_object(br#"{"NAME": "x", "other": [1, {"Name": 2}]}"#, &SCHEMA, F).unwrap();
        o.check_duplicates().unwrap();
        assert!(matches!(o.str_opt(0).unwrap(), Some(Cow::Borrowed("x"))));
        let mut o = parse_object(br#"{"name": "x\u0041"}"#, &SCHEMA, F).unwrap();
        assert_eq!(o.str_opt(0).unwrap().as_deref(), Some("xA"));
        // Escapes are unescaped by the core (owned, wiped on drop), also in nested objects.
        let mut o = parse_object(br#"{"a": {"b": "x\/y\ud83d\ude00"}}"#, &SCHEMA, F).unwrap();
        let mut inner = o.obj_req(1).unwrap();
        let b = inner.str_opt(0).unwrap();
        assert!(
            matches!(&b, Some(Cow::Owned(v)) if v == "x/y\u{1F600}"),
            "{b:?}"
        );
        // A lone surrogate is refused, as serde_json refuses it.
        assert!(matches!(
            parse_object(br#"{"name": "\ud83d"}"#, &SCHEMA, F),
            Err(DocumentError::Syntax { .. })
        ));
    }

    #[test]
    fn duplicates_nulls_and_types() {
        let o = parse_object(br#"{"name": "x", "NAME": null}"#, &SCHEMA, F).unwrap();
        assert_eq!(
            o.check_duplicates(),
            Err(DocumentError::DuplicateField {
                format: F,
                field: "Name"
            })
        );
        let mut o = parse_object(br#"{"name": null}"#, &SCHEMA, F).unwrap();
        assert_eq!(o.str_opt(0), Ok(None));
        let mut o = parse_object(br#"{"name": 5}"#, &SCHEMA, F).unwrap();
        assert!(matches!(
            o.str_opt(0),
            Err(DocumentError::WrongType {
                found: "a number",
                ..
            })
        ));
        let mut o = parse_object(br#"{"a": {"b": "c", "B": 1}}"#, &SCHEMA, F).unwrap();
        let inner = o.obj_req(1).unwrap();
        assert_eq!(
            inner.check_duplicates(),
            Err(DocumentError::DuplicateField {
                format: F,
                field: "a.b"
            })
        );
    }

    #[test]
    fn syntax_offsets_point_at_the_problem() {
        let cases: &[(&[u8], usize)] = &[
            (b"{\"a\" 1}", 5),
            (b"{\n  \"a\": tru }", 12),
            (b"{\"a\": 1}x", 8),
            (b"\xEF\xBB\xBF{\"a\" 1}", 8),
        ];
        for (doc, want) in cases {
            match parse_object(doc, &SCHEMA, F) {
                Err(DocumentError::Syntax { offset, .. }) => {
                    assert_eq!(offset, *want)
                }
                Err(e) => panic!("{e}"),
                Ok(_) => panic!("parsed"),
            }
        }
        match parse_object(b"{\"a\": ", &SCHEMA, F) {
            Err(DocumentError::Syntax { detail, .. }) => assert!(detail.contains("end of input")),
            Err(e) => panic!("{e}"),
            Ok(_) => panic!("parsed"),
        }
        match parse_object(b"\"secret\"", &SCHEMA, F) {
            Err(e) => assert!(!e.to_string().contains("secret"), "{e}"),
            Ok(_) => panic!("parsed"),
        }
    }
}
