//! A TOML file's text and name, so that every error about it can say `file:line:column`.
//! Stage one of loading (serde, unknown keys rejected) happens here; stage two (names
//! resolved, rules checked) reports its findings by key path through [`TomlSource::error`].

use serde::de::DeserializeOwned;
use toml::de::{DeTable, DeValue};

use crate::error::{InputError, line_column};

/// One step of a path into a TOML document: a key or an array index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

impl<'a> From<&'a str> for Seg<'a> {
    fn from(key: &'a str) -> Self {
        Seg::Key(key)
    }
}

impl From<usize> for Seg<'_> {
    fn from(index: usize) -> Self {
        Seg::Index(index)
    }
}

/// serde's type names, as a person would say them.
const TYPE_WORDS: [(&str, &str); 6] = [
    ("expected i64", "expected a whole number"),
    ("expected u64", "expected a whole number"),
    ("expected u32", "expected a whole number"),
    ("expected f64", "expected a number"),
    ("expected a string", "expected a quoted string"),
    ("expected a sequence", "expected a list [...]"),
];

/// The key written before `=` on the line of `offset`, if the offset is in a value.
fn key_before(text: &str, offset: usize) -> Option<&str> {
    let line_start = text.get(..offset)?.rfind('\n').map_or(0, |i| i + 1);
    let (key, _) = text.get(line_start..offset)?.split_once('=')?;
    let key = key.trim();
    (!key.is_empty()).then_some(key)
}

/// The table header (`[sink]`, `[[convoy]]`) on the line of `offset`, if that line is one.
fn header_at(text: &str, offset: usize) -> Option<&str> {
    let line_start = text.get(..offset)?.rfind('\n').map_or(0, |i| i + 1);
    let line = text[line_start..].lines().next()?.trim();
    let end = line.rfind(']')?;
    line.starts_with('[').then(|| &line[..=end])
}

/// serde's name for the type of a value it found, as a person would say it.
fn kind_word(found: &str) -> Option<&'static str> {
    [
        ("string", "text"),
        ("floating point", "a decimal number"),
        ("integer", "a whole number"),
        ("boolean", "true or false"),
        ("map", "a table"),
        ("sequence", "a list"),
    ]
    .into_iter()
    .find(|(serde, _)| found.starts_with(serde))
    .map(|(_, word)| word)
}

/// The names in backticks in `list`: "`a`, `b` or `c`" -> [a, b, c].
fn backticked(list: &str) -> Vec<&str> {
    list.split('`').skip(1).step_by(2).collect()
}

/// toml's and serde's message made plain: the key it is about, and what would be valid.
fn plain_message(text: &str, raw: &str, span: Option<std::ops::Range<usize>>) -> String {
    let mut message = raw.trim_end().replace('\n', " ");
    for (rust, plain) in TYPE_WORDS {
        message = message.replace(rust, plain);
    }
    let at = span.as_ref().map_or(0, |s| s.start);
    let spanned = span.and_then(|s| text.get(s)).unwrap_or("");
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let (key, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let valid = backticked(expected);
        let best = crate::error::suggest(key, valid.iter().copied());
        if let Some(header) = header_at(text, at) {
            // `[prices]`: a misspelled table, not a key inside one.
            let hint = best
                .map(|b| format!("; did you mean {}?", header.replacen(key, b, 1)))
                .unwrap_or_default();
            return format!(
                "unknown table {header}{hint} (valid here: {})",
                valid.join(", ")
            );
        }
        let hint = best
            .map(|b| format!("; did you mean `{b}`?"))
            .unwrap_or_default();
        return if valid.is_empty() {
            format!("unknown key `{key}`: this table takes no keys")
        } else {
            format!(
                "unknown key `{key}`{hint} (valid keys here: {})",
                valid.join(", ")
            )
        };
    }
    if message.starts_with("string values must be quoted")
        && let Some(key) = key_before(text, at)
    {
        let rest = text.get(at..).unwrap_or("");
        let value: String = rest
            .lines()
            .next()
            .unwrap_or("")
            .trim()
            .chars()
            .flat_map(char::escape_debug)
            .collect();
        return if value.is_empty() {
            format!("{key} has no value; write {key} = and a value")
        } else {
            format!(
                "{key} = {value} is not a valid value: text needs quotes, and a number cannot be followed by words"
            )
        };
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        let key = rest.split('`').next().unwrap_or(rest);
        return match header_at(text, at) {
            Some(header) => format!("{header} is missing the required key `{key}`"),
            None if at == 0 => format!("the file is missing the required key `{key}`"),
            None => format!("missing the required key `{key}`"),
        };
    }
    if message == "duplicate key" {
        let has = |h: &str| text.lines().any(|l| l.trim().starts_with(h));
        if matches!(header_at(text, at), Some("[sink]" | "[[sink]]"))
            && has("[sink]")
            && has("[[sink]]")
        {
            return "the file writes both [sink] and [[sink]]; a scenario has one [sink] table or a list of [[sink]] tables, not both".to_string();
        }
        return match header_at(text, at) {
            Some(header) => format!("table {header} is defined twice; merge the two into one"),
            None => format!("key `{spanned}` is set twice in the same table; keep one"),
        };
    }
    if message.starts_with("invalid type: map, expected a list")
        && let Some(header) = header_at(text, at)
        && !header.starts_with("[[")
    {
        return format!(
            "{header} must be a list of tables: write [{header}] (double brackets) for each entry"
        );
    }
    if message.contains(" as i128, expected") {
        let value = backticked(&message).first().copied().unwrap_or("the value");
        let value = crate::names::number(Some(value), 0.0);
        let key = key_before(text, at).unwrap_or("the value");
        return format!("{key} = {value} is far too large for a whole number");
    }
    if message == "integer number overflowed" {
        let key = key_before(text, at).unwrap_or("the value");
        let value = crate::names::number(Some(spanned), 0.0);
        return format!("{key} = {value} is far too large for a whole number");
    }
    if message == "floating-point number overflowed" {
        let key = key_before(text, at).unwrap_or("the value");
        let value = crate::names::number(Some(spanned), f64::INFINITY);
        return format!("{key} = {value} is too large for a number (beyond 1.8e308)");
    }
    if message == "recursion limit" || message.contains("max recursion depth") {
        return "tables, arrays or dotted keys are nested too deeply".to_string();
    }
    if let Some((found, expected)) = message
        .strip_prefix("invalid type: ")
        .and_then(|rest| rest.split_once(", expected "))
        && let (Some(kind), Some(key)) = (kind_word(found), key_before(text, at))
    {
        let value: String = spanned.split_whitespace().collect::<Vec<_>>().join(" ");
        let value = if value.chars().count() > 40 || value.is_empty() {
            String::from("...")
        } else {
            value
        };
        // serde names the Rust struct a table is read into; a person sees a table.
        let expected = if expected.starts_with("struct ") {
            "a table"
        } else {
            expected
        };
        return format!("{key} = {value}: expected {expected}, not {kind}");
    }
    if message.starts_with("invalid ")
        && let Some(key) = key_before(text, at)
    {
        message = format!("{key}: {message}");
    }
    message
}

/// Places an error about a key path (`node`, 3, `lat`) in the text it came from: a TOML
/// file's line and column, a GeoJSON feature, a CSV cell. Network validation reports through
/// it, so that a network read from any format gets its messages in that format's terms.
pub trait Locate {
    fn error(&self, path: &[Seg<'_>], message: impl Into<String>) -> InputError;

    /// The value at `path` as the file writes it, where the format keeps it.
    fn written(&self, _path: &[Seg<'_>]) -> Option<&str> {
        None
    }
}

impl Locate for TomlSource {
    fn error(&self, path: &[Seg<'_>], message: impl Into<String>) -> InputError {
        TomlSource::error(self, path, message)
    }

    fn written(&self, path: &[Seg<'_>]) -> Option<&str> {
        TomlSource::written(self, path)
    }
}

/// A TOML document with the name errors should give it.
#[derive(Debug, Clone)]
pub struct TomlSource {
    pub origin: String,
    pub text: String,
}

impl TomlSource {
    pub fn new(origin: impl Into<String>, text: impl Into<String>) -> Self {
        TomlSource {
            origin: origin.into(),
            text: text.into(),
        }
    }

    /// A file's bytes as a source: UTF-8 (a byte-order mark is dropped), else an error at the
    /// first bad byte that says what to do. `what` names the file in the message ("scenario").
    pub fn from_bytes(origin: &str, bytes: Vec<u8>, what: &str) -> Result<Self, InputError> {
        if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
            return Err(InputError {
                origin: origin.to_string(),
                position: Some((1, 1)),
                message: format!("the {what} file is UTF-16 text; save it as UTF-8"),
            });
        }
        let mut text = String::from_utf8(bytes).map_err(|e| {
            let valid = e.utf8_error().valid_up_to();
            let before = String::from_utf8_lossy(&e.as_bytes()[..valid]).into_owned();
            InputError {
                origin: origin.to_string(),
                position: Some(line_column(&before, valid)),
                message: format!(
                    "the {what} file is not valid UTF-8: byte 0x{:02X} cannot start or continue a character here (save the file as UTF-8)",
                    e.as_bytes()[valid]
                ),
            }
        })?;
        if text.starts_with('\u{FEFF}') {
            text.drain(..'\u{FEFF}'.len_utf8());
        }
        Ok(TomlSource::new(origin, text))
    }

    /// Stage one: parse the text into raw serde structs.
    pub fn parse<T: DeserializeOwned>(&self) -> Result<T, InputError> {
        toml::from_str(&self.text).map_err(|e| {
            let span = e
                .span()
                .map(|span| span.start.min(self.text.len())..span.end.min(self.text.len()));
            InputError {
                origin: self.origin.clone(),
                position: span.clone().map(|span| line_column(&self.text, span.start)),
                message: plain_message(&self.text, e.message(), span),
            }
        })
    }

    /// An error about the value at `path` (or the nearest existing parent of it).
    pub fn error(&self, path: &[Seg<'_>], message: impl Into<String>) -> InputError {
        let position = self
            .locate(path)
            .map(|offset| line_column(&self.text, offset));
        InputError {
            origin: self.origin.clone(),
            position,
            message: message.into(),
        }
    }

    /// The value at `path` exactly as the file writes it (`1e308`, `1_000`), if it is
    /// there: what a message should quote rather than the number it parses to.
    pub fn written(&self, path: &[Seg<'_>]) -> Option<&str> {
        let root = DeTable::parse(&self.text).ok()?;
        let mut table: &DeTable<'_> = root.get_ref();
        let mut value: Option<&DeValue<'_>> = None;
        let mut span = None;
        for seg in path {
            let next = match (seg, value) {
                (Seg::Key(key), None) => table.get(*key),
                (Seg::Key(key), Some(DeValue::Table(t))) => t.get(*key),
                (Seg::Index(i), Some(DeValue::Array(a))) => a.get(*i),
                _ => None,
            }?;
            span = Some(next.span());
            if let DeValue::Table(t) = next.get_ref() {
                table = t;
            }
            value = Some(next.get_ref());
        }
        self.text.get(span?)
    }

    /// The byte offset of the value at `path`, or of its deepest ancestor that exists.
    /// Parsing happens only here, when there is an error to place.
    pub fn locate(&self, path: &[Seg<'_>]) -> Option<usize> {
        let root = DeTable::parse(&self.text).ok()?;
        let mut table: &DeTable<'_> = root.get_ref();
        let mut found = None;
        let mut value: Option<&DeValue<'_>> = None;
        for seg in path {
            let next = match (seg, value) {
                (Seg::Key(key), None) => table.get(*key),
                (Seg::Key(key), Some(DeValue::Table(t))) => t.get(*key),
                (Seg::Index(i), Some(DeValue::Array(a))) => a.get(*i),
                _ => None,
            };
            let Some(next) = next else { break };
            found = Some(next.span().start);
            if let DeValue::Table(t) = next.get_ref() {
                table = t;
            }
            value = Some(next.get_ref());
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_keys_in_arrays_of_tables() {
        let src = TomlSource::new(
            "x.toml",
            "a = 1\n[[convoy]]\nname = \"x\"\n[[convoy]]\nname = \"y\"\nfrom = \"dakr\"\n",
        );
        let err = src.error(
            &[Seg::Key("convoy"), Seg::Index(1), Seg::Key("from")],
            "bad",
        );
        assert_eq!(err.to_string(), "x.toml:6:8: bad");
        let err = src.error(
            &[Seg::Key("convoy"), Seg::Index(1), Seg::Key("missing")],
            "bad",
        );
        assert_eq!(err.position.map(|p| p.0), Some(4));
    }

    #[test]
    fn values_are_found_as_written() {
        let src = TomlSource::new("x.toml", "[sink]\nstock = 1e308\n[[edge]]\nkm = 1_000\n");
        assert_eq!(src.written(&["sink".into(), "stock".into()]), Some("1e308"));
        let km = [Seg::Key("edge"), Seg::Index(0), Seg::Key("km")];
        assert_eq!(src.written(&km), Some("1_000"));
        assert_eq!(src.written(&["sink".into(), "none".into()]), None);
    }

    #[test]
    fn serde_errors_carry_positions() {
        #[derive(serde::Deserialize, Debug)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct T {
            name: i64,
        }
        let err = TomlSource::new("t.toml", "name = 1\nzzzzzz = 2\n")
            .parse::<T>()
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "t.toml:2:1: unknown key `zzzzzz` (valid keys here: name)"
        );
    }

    #[test]
    fn serde_messages_are_made_plain() {
        #[derive(serde::Deserialize, Debug)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct T {
            tankers: i64,
            every_days: Option<i64>,
        }
        let message = |text: &str| {
            TomlSource::new("t.toml", text)
                .parse::<T>()
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            message(
                "tankers = 1
every_day = 2
"
            ),
            "t.toml:2:1: unknown key `every_day`; did you mean `every_days`? (valid keys here: tankers, every_days)"
        );
        assert_eq!(
            message(
                "every_days = 1
"
            ),
            "t.toml:1:1: the file is missing the required key `tankers`"
        );
        assert_eq!(
            message(
                "tankers = 1
tankers = 2
"
            ),
            "t.toml:2:1: key `tankers` is set twice in the same table; keep one"
        );
        assert_eq!(
            message(
                "tankers = 2.5
"
            ),
            "t.toml:1:11: tankers = 2.5: expected a whole number, not a decimal number"
        );
        assert_eq!(
            message(
                "tankers = 123456789012345678901234567890
"
            ),
            "t.toml:1:11: tankers = 123456789012345678901234567890 is far too large for a whole number"
        );
    }

    #[test]
    fn bytes_must_be_utf8() {
        let e = TomlSource::from_bytes("x.toml", b"a = 1\nb = \"\xff\"\n".to_vec(), "scenario")
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "x.toml:2:6: the scenario file is not valid UTF-8: byte 0xFF cannot start or continue a character here (save the file as UTF-8)"
        );
        let utf16: Vec<u8> = [0xFF, 0xFE, b'a', 0].to_vec();
        assert!(
            TomlSource::from_bytes("x.toml", utf16, "scenario")
                .unwrap_err()
                .to_string()
                .contains("UTF-16")
        );
        let bom =
            TomlSource::from_bytes("x.toml", b"\xef\xbb\xbfa = 1".to_vec(), "scenario").unwrap();
        assert_eq!(bom.text, "a = 1");
    }
}
