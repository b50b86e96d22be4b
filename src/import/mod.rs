//! Road networks from GIS tools: a GeoJSON FeatureCollection (what `corridor network
//! --format geojson` writes and QGIS edits) and a pair of CSV tables of nodes and edges (the
//! form of the project's research data). Each record is read by serde into the same
//! `RawNode` and `RawEdge` a TOML network file uses, so every key a TOML node or edge takes
//! is taken here under the same name, and a key added there is accepted here with no change.
//! The network's rules are `RoadNetwork::from_raw`'s, reported by feature and property or by
//! CSV line and column. This module reads and places errors; it must not check a rule itself.

pub mod csv;
pub mod geojson;

use std::fmt::Display;

use crate::error::did_you_mean;

/// The items of a list written as text, where a record has text for a list (an edge's
/// corridors): `a;b` or `a,b` (a CSV cell, a text field typed in a GIS), or `(2:a,b)`, which
/// is how GDAL, and so QGIS, writes a list to a format without lists (a GeoPackage, a
/// shapefile) and back. Items are trimmed; empty ones are dropped.
pub(crate) fn list_items(text: &str) -> Vec<&str> {
    let text = text.trim();
    let inner = text
        .strip_prefix('(')
        .and_then(|t| t.strip_suffix(')'))
        .and_then(|t| t.split_once(':'))
        .filter(|(count, _)| count.chars().all(|c| c.is_ascii_digit()))
        .map_or(text, |(_, items)| items);
    inner
        .split([';', ','])
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .collect()
}

/// A serde error about one record (a feature's properties, a CSV row), made plain.
pub(crate) struct RecordError {
    /// The key it is about, if it names one.
    pub key: Option<String>,
    pub problem: Problem,
    /// What is wrong. For a bad value it does not name the key: the caller says where it is.
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Problem {
    /// A key the record does not take.
    Unknown,
    /// A required key that is not there.
    Missing,
    /// A value of the wrong type.
    Value,
}

/// `noun` is what a key is called in the format ("property", "column"), `record` what the
/// record is ("a node", "an edge"); `hidden` are keys the format gives another way (a
/// GeoJSON node's `lat` and `lon` are its geometry), left out of the list of valid keys.
pub(crate) fn record_error<E: Display>(
    err: &serde_path_to_error::Error<E>,
    noun: &str,
    record: &str,
    hidden: &[&str],
) -> RecordError {
    let inner = err.inner().to_string();
    if let Some(rest) = inner.strip_prefix("unknown field `") {
        let (key, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let valid: Vec<&str> = expected
            .split('`')
            .skip(1)
            .step_by(2)
            .filter(|k| !hidden.contains(k))
            .collect();
        return RecordError {
            key: Some(key.to_string()),
            problem: Problem::Unknown,
            message: format!(
                "unknown {noun} \"{key}\"{} ({record} takes: {})",
                did_you_mean(key, valid.iter().copied()),
                valid.join(", ")
            ),
        };
    }
    if let Some(rest) = inner.strip_prefix("missing field `") {
        let key = rest.split('`').next().unwrap_or(rest);
        return RecordError {
            key: Some(key.to_string()),
            problem: Problem::Missing,
            message: format!("{record} needs the {noun} \"{key}\", which is missing or empty"),
        };
    }
    let message = match inner
        .strip_prefix("invalid type: ")
        .and_then(|rest| rest.split_once(", expected "))
    {
        Some((found, expected)) => format!(
            "expected {}, not {}",
            plain_type(expected),
            plain_found(found)
        ),
        None => inner,
    };
    let key = err.path().iter().find_map(|seg| match seg {
        serde_path_to_error::Segment::Map { key } => Some(key.clone()),
        _ => None,
    });
    RecordError {
        key,
        problem: Problem::Value,
        message,
    }
}

/// serde's name for an expected type, as a person would say it.
fn plain_type(expected: &str) -> &str {
    match expected {
        "f64" | "f32" => "a number",
        "i64" | "i32" | "u64" | "u32" | "u8" | "i8" | "u16" | "i16" => "a whole number",
        "a string" => "text",
        "a sequence" => "a list",
        other => other,
    }
}

/// serde's description of a value it found, as a person would say it: `string "x"` is the
/// text "x", ``integer `3` `` the whole number 3.
fn plain_found(found: &str) -> String {
    let unquote = |v: &str| v.trim_matches('`').to_string();
    if let Some(text) = found.strip_prefix("string ") {
        return format!("the text {text}");
    }
    for (serde, word) in [
        ("integer ", "the whole number "),
        ("floating point ", "the number "),
        ("boolean ", ""),
    ] {
        if let Some(value) = found.strip_prefix(serde) {
            return format!("{word}{}", unquote(value));
        }
    }
    match found {
        "map" => "an object".to_string(),
        "sequence" => "a list".to_string(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_written_as_text_are_split() {
        assert_eq!(
            list_items("dakar-north;dakar-south"),
            ["dakar-north", "dakar-south"]
        );
        assert_eq!(list_items(" a , b ,"), ["a", "b"]);
        assert_eq!(
            list_items("(2:dakar-north,dakar-south)"),
            ["dakar-north", "dakar-south"]
        );
        assert_eq!(list_items("(0:)"), Vec::<&str>::new());
        assert_eq!(list_items(""), Vec::<&str>::new());
        assert_eq!(list_items("(x)"), ["(x)"]);
    }
}
