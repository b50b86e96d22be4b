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
    let line_start = text[..offset.min(text.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let (key, _) = text[line_start..offset].split_once('=')?;
    let key = key.trim();
    (!key.is_empty()).then_some(key)
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

    /// Stage one: parse the text into raw serde structs.
    pub fn parse<T: DeserializeOwned>(&self) -> Result<T, InputError> {
        toml::from_str(&self.text).map_err(|e| {
            let mut message = e.message().trim_end().replace('\n', " ");
            for (rust, plain) in TYPE_WORDS {
                message = message.replace(rust, plain);
            }
            if message.starts_with("invalid ")
                && let Some(key) = e.span().and_then(|span| key_before(&self.text, span.start))
            {
                message = format!("{key}: {message}");
            }
            let position = e.span().map(|span| line_column(&self.text, span.start));
            InputError {
                origin: self.origin.clone(),
                position,
                message,
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
    fn serde_errors_carry_positions() {
        #[derive(serde::Deserialize, Debug)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct T {
            a: i64,
        }
        let err = TomlSource::new("t.toml", "a = 1\nb = 2\n")
            .parse::<T>()
            .unwrap_err();
        assert!(
            err.to_string().starts_with("t.toml:2:1: unknown field `b`"),
            "{err}"
        );
    }
}
