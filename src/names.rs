//! How long the names and strings of a scenario or network may be, and which characters
//! they may hold. They are checked at validation before any other rule, so that no message
//! quotes, compares or suggests a name of megabytes, and no output (a folder name, a CSV
//! cell, a chart title, `scenario.toml`) grows with one. Also how a value is quoted in a
//! message: shortened, as written. This module must not know what the names mean.

use crate::error::InputError;
use crate::source::{Seg, TomlSource};

/// Identifiers and the names that identify things: the scenario (it names a folder),
/// convoy streams, escort levels, node ids, corridor tags, and every reference to them.
pub const MAX_NAME: usize = 64;
/// What people read in tables and charts: node and road names, the network's name.
pub const MAX_LABEL: usize = 200;
/// Prose: the description, a node's or edge's source.
pub const MAX_TEXT: usize = 10_000;
/// The currency, shown after every price: a code or a symbol.
pub const MAX_CURRENCY: usize = 16;
/// A file path (Linux's PATH_MAX).
pub const MAX_PATH: usize = 4096;

/// What a string may hold, and how long it may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Text {
    /// One line of at most this many characters: no control character at all.
    Line(usize),
    /// Prose of at most this many characters: line breaks and tabs allowed.
    Prose(usize),
}

impl Text {
    fn max(self) -> usize {
        match self {
            Text::Line(max) | Text::Prose(max) => max,
        }
    }
}

/// Checks `value`, the string at `path` in `src` that a message calls `label`.
pub fn check(
    src: &TomlSource,
    path: &[Seg<'_>],
    label: &str,
    value: &str,
    text: Text,
) -> Result<(), InputError> {
    // Counted no further than needed: a string of megabytes is not walked to its end.
    let max = text.max();
    if value.len() > max && value.chars().nth(max).is_some() {
        let count = value.chars().count();
        return Err(src.error(
            path,
            format!(
                "{label} = \"{}\" is {} characters long; at most {max} are allowed",
                shorten(value, 24),
                crate::report::table::grouped(count as f64, 0)
            ),
        ));
    }
    let bad = |c: char| match text {
        Text::Line(_) => c.is_control(),
        Text::Prose(_) => c.is_control() && !matches!(c, '\n' | '\t' | '\r'),
    };
    if value.chars().any(bad) {
        let what = match text {
            Text::Line(_) => "a name is one line of text",
            Text::Prose(_) => "only line breaks and tabs may be among its characters",
        };
        return Err(src.error(
            path,
            format!(
                "{label} = \"{}\" holds a control character (a line break, tab or the like); {what}",
                shorten(value, 40)
            ),
        ));
    }
    Ok(())
}

/// `value` cut to its first `max` characters and an ellipsis, if longer: what a message
/// quotes of a long string.
pub fn shorten(value: &str, max: usize) -> String {
    match value.char_indices().nth(max) {
        Some((end, _)) => format!("{}…", &value[..end]),
        None => value.to_string(),
    }
}

/// A number as a message should show it: as written in the file where it is known
/// (`1e308`, not its 309 digits), shortened if that is long; otherwise in the shortest
/// form that reads back to it.
pub fn number(written: Option<&str>, value: f64) -> String {
    match written {
        Some(text) if !text.is_empty() => {
            let digits = text.chars().count();
            if digits > 32 {
                format!("{} ({digits} characters)", shorten(text, 16))
            } else {
                text.to_string()
            }
        }
        _ => compact(value),
    }
}

/// `0.5`, `3`, `1e308`, `2.5e-7`: scientific notation for the very large and very small.
pub fn compact(value: f64) -> String {
    let magnitude = value.abs();
    if value.is_finite() && magnitude != 0.0 && !(1e-6..1e16).contains(&magnitude) {
        format!("{value:e}")
    } else {
        format!("{value}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_and_control_strings_are_refused_by_name_and_place() {
        let src = TomlSource::new("x.toml", "name = \"whatever\"\n");
        let path = [Seg::Key("name")];
        let long = "a".repeat(100);
        let e = check(&src, &path, "name", &long, Text::Line(MAX_NAME)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "x.toml:1:8: name = \"aaaaaaaaaaaaaaaaaaaaaaaa…\" is 100 characters long; at most 64 are allowed"
        );
        let e = check(&src, &path, "name", "a\rb", Text::Line(MAX_NAME)).unwrap_err();
        assert!(
            e.to_string()
                .contains("\"a\\rb\" holds a control character"),
            "{e}"
        );
        assert!(check(&src, &path, "d", "two\nlines", Text::Prose(MAX_TEXT)).is_ok());
        assert!(check(&src, &path, "d", "bell\u{7}", Text::Prose(MAX_TEXT)).is_err());
        assert!(check(&src, &path, "n", "é".repeat(64).as_str(), Text::Line(64)).is_ok());
    }

    #[test]
    fn numbers_read_as_written() {
        assert_eq!(number(Some("1e308"), 1e308), "1e308");
        assert_eq!(number(None, 1e308), "1e308");
        assert_eq!(number(None, 0.5), "0.5");
        assert_eq!(number(None, -3.0), "-3");
        assert_eq!(number(None, 2.5e-7), "2.5e-7");
        let digits = "9".repeat(309);
        assert_eq!(
            number(Some(&digits), f64::INFINITY),
            "9999999999999999… (309 characters)"
        );
    }
}
