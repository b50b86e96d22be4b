//! Library errors. Bad input (a scenario, a network, a flag) is an [`InputError`] and maps
//! to exit code 2; anything else (I/O, a failed chart) is exit code 1. This module does no
//! I/O itself.

use std::fmt;
use std::path::PathBuf;

/// Everything the library can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The user's input is wrong: exit code 2.
    #[error(transparent)]
    Input(#[from] InputError),
    /// Reading or writing a file failed: exit code 1.
    #[error("{action} {}: {}", one_line(&path.display().to_string()), crate::scenario::io_reason(cause))]
    Io {
        action: &'static str,
        path: PathBuf,
        cause: std::io::Error,
    },
    /// A run was stopped by a signal before it finished: exit code 130.
    #[error("interrupted after {done} of {requested} trials")]
    Interrupted { done: u64, requested: u64 },
    /// A command without trials was stopped by a signal: exit code 130. It says what was
    /// left.
    #[error("interrupted: {0}")]
    Stopped(String),
    /// Something else went wrong (a chart could not be drawn, ...): exit code 1.
    #[error("{0}")]
    Other(String),
}

impl Error {
    /// The process exit code this error maps to (documented in the README).
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Input(_) => 2,
            Error::Interrupted { .. } | Error::Stopped(_) => 130,
            Error::Io { .. } | Error::Other(_) => 1,
        }
    }

    pub(crate) fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
        cause: std::io::Error,
    ) -> Self {
        Error::Io {
            action,
            path: path.into(),
            cause,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// One readable message about bad input: `file:line:column: message`, where the position
/// is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    /// The file (or `<builtin:...>`, or `--flag`) the problem is in.
    pub origin: String,
    /// 1-based line and column, where there is one.
    pub position: Option<(usize, usize)>,
    pub message: String,
}

impl InputError {
    pub fn new(origin: impl Into<String>, message: impl Into<String>) -> Self {
        InputError {
            origin: origin.into(),
            position: None,
            message: message.into(),
        }
    }

    /// An error about a command-line flag or argument.
    pub fn flag(flag: &str, message: impl fmt::Display) -> Self {
        InputError::new(flag, message.to_string())
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let origin = cut(one_line(&self.origin), 300);
        let message = cut(one_line(&self.message), MAX_MESSAGE);
        match self.position {
            Some((line, column)) => write!(f, "{origin}:{line}:{column}: {message}"),
            None => write!(f, "{origin}: {message}"),
        }
    }
}

/// `text` with its control characters escaped (`\n`, `\u{1b}`): a message quotes what the
/// user wrote, and a name with a newline or an escape sequence in it must not break the
/// message into several lines, nor forge one.
pub fn one_line(text: &str) -> std::borrow::Cow<'_, str> {
    if text.chars().any(char::is_control) {
        text.chars()
            .flat_map(|c| {
                let escaped: Vec<char> = if c.is_control() {
                    c.escape_default().collect()
                } else {
                    vec![c]
                };
                escaped
            })
            .collect::<String>()
            .into()
    } else {
        text.into()
    }
}

impl std::error::Error for InputError {}

/// The most characters of a message shown. Names and values are bounded where they are
/// read, but a message may still quote what the user wrote (a `--set` path, a long list of
/// valid names); past this, its middle is left out.
const MAX_MESSAGE: usize = 1000;

/// `text` with its middle left out if it has more than `max` characters.
fn cut(text: std::borrow::Cow<'_, str>, max: usize) -> std::borrow::Cow<'_, str> {
    let count = text.chars().count();
    if count <= max {
        return text;
    }
    let (head, tail) = (max * 7 / 10, max / 5);
    let start: String = text.chars().take(head).collect();
    let end: String = text.chars().skip(count - tail).collect();
    format!(
        "{start} … ({} characters left out) … {end}",
        count - head - tail
    )
    .into()
}

/// The 1-based line and column (in characters) of a byte offset in `text`.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// The nearest of `candidates` to a misspelled `name`, if one is close enough to suggest.
pub fn suggest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(name, c), c))
        // Close, and not a total rewrite: "b" is not a typo of "a".
        .filter(|&(distance, c)| distance <= 2.max(c.len() / 3) && distance < name.chars().count())
        .min_by_key(|&(distance, c)| (distance, c))
        .map(|(_, c)| c)
}

/// `; did you mean "x"?` or nothing.
pub fn did_you_mean<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    match suggest(name, candidates) {
        Some(best) => format!("; did you mean \"{best}\"?"),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_column_counts_lines_and_characters() {
        let text = "a = 1\nné = 2\n";
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, 6), (2, 1));
        assert_eq!(line_column(text, 10), (2, 4));
    }

    #[test]
    fn messages_stay_on_one_line() {
        let e = InputError::new("x.toml", "node id \"si\nk\u{1b}[2J\" must use only ...");
        assert_eq!(
            e.to_string(),
            "x.toml: node id \"si\\nk\\u{1b}[2J\" must use only ..."
        );
    }

    #[test]
    fn messages_of_megabytes_are_cut_in_the_middle() {
        let long = format!("start {} end", "x".repeat(5000));
        let shown = InputError::new("x.toml", long).to_string();
        assert!(shown.len() < 1100, "{}", shown.len());
        assert!(
            shown.starts_with("x.toml: start xx") && shown.ends_with("xx end"),
            "{shown}"
        );
        assert!(shown.contains(" characters left out) "), "{shown}");
    }

    #[test]
    fn suggests_only_close_names() {
        assert_eq!(suggest("dakr", ["dakar", "kayes"]), Some("dakar"));
        assert_eq!(suggest("zzzzzz", ["dakar", "kayes"]), None);
    }
}
