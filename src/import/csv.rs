//! A network as two CSV tables, one row per node and one per edge, with the node and edge
//! keys as column names (the form of `mali-nodes.csv` and `mali-edges.csv`). A list, such
//! as an edge's corridors, is written in one cell with `;` (or `,`) between its items; an
//! empty cell is a key left out. Errors give the file, line and column of the cell, as for TOML.

use serde::de::{self, IntoDeserializer, Unexpected, Visitor, value::MapDeserializer};

use super::{Problem, record_error};
use crate::error::InputError;
use crate::network::{RawEdge, RawNetworkFile, RawNode, RoadNetwork};
use crate::source::{Locate, Seg, TomlSource};

/// One cell as written (without its quotes), and the line and column it starts at.
#[derive(Debug, Clone, PartialEq)]
struct Cell {
    text: String,
    at: (usize, usize),
}

/// A CSV file: its header and its rows.
#[derive(Debug)]
struct Table {
    origin: String,
    header: Vec<Cell>,
    rows: Vec<Vec<Cell>>,
}

impl Table {
    /// The position of a key's cell in row `i`, or of the row when it has no such column.
    fn place(&self, i: usize, key: &str) -> (usize, usize) {
        let Some(row) = self.rows.get(i) else {
            return (1, 1);
        };
        self.header
            .iter()
            .position(|h| h.text == key)
            .and_then(|c| row.get(c))
            .map_or(row[0].at, |cell| cell.at)
    }

    fn error(&self, at: (usize, usize), message: impl Into<String>) -> InputError {
        InputError {
            origin: self.origin.clone(),
            position: Some(at),
            message: message.into(),
        }
    }
}

/// Reads and validates a network from its nodes and edges files; `name` names it.
pub fn read(nodes: &TomlSource, edges: &TomlSource, name: &str) -> Result<RoadNetwork, InputError> {
    let pair = Pair {
        nodes: parse(nodes)?,
        edges: parse(edges)?,
    };
    if pair.nodes.rows.is_empty() {
        return Err(pair
            .nodes
            .error((2, 1), "the nodes file has a header but no node rows"));
    }
    let raw = RawNetworkFile {
        name: name.to_string(),
        node: records::<RawNode>(&pair.nodes, "a node")?,
        edge: records::<RawEdge>(&pair.edges, "an edge")?,
    };
    RoadNetwork::from_raw(&raw, &pair, &[])
}

/// Every row of a table as a node or an edge.
fn records<T: de::DeserializeOwned>(table: &Table, what: &str) -> Result<Vec<T>, InputError> {
    let mut seen: Vec<&str> = Vec::new();
    for h in &table.header {
        if seen.contains(&h.text.as_str()) {
            return Err(table.error(h.at, format!("column \"{}\" is given twice", h.text)));
        }
        seen.push(&h.text);
    }
    let mut out = Vec::with_capacity(table.rows.len());
    for (i, row) in table.rows.iter().enumerate() {
        if row.len() != table.header.len() {
            let message = format!(
                "this row has {} cells but the header has {} columns (a cell holding a comma needs quotes)",
                row.len(),
                table.header.len()
            );
            return Err(table.error(row[0].at, message));
        }
        let cells = table
            .header
            .iter()
            .zip(row)
            .filter(|(_, cell)| !cell.text.trim().is_empty())
            .map(|(h, cell)| (h.text.as_str(), CellValue(&cell.text)));
        let record = serde_path_to_error::deserialize(MapDeserializer::new(cells));
        out.push(record.map_err(|e| {
            let e = record_error(&e, "column", what, &[]);
            let key = e.key.unwrap_or_default();
            let column = table.header.iter().find(|h| h.text == key);
            match (e.problem, column) {
                (Problem::Unknown, Some(h)) => table.error(h.at, e.message),
                (Problem::Missing, None) => {
                    let message = format!("{} (the header has no column \"{key}\")", e.message);
                    table.error(table.header[0].at, message)
                }
                (Problem::Value, Some(_)) => {
                    let at = table.place(i, &key);
                    let value = row.iter().find(|c| c.at == at).map_or("", |c| &c.text);
                    table.error(at, format!("{key} = \"{value}\": {}", e.message))
                }
                _ => table.error(table.place(i, &key), e.message),
            }
        })?);
    }
    Ok(out)
}

/// Splits CSV text (RFC 4180: commas, quotes doubled inside quoted cells, LF or CRLF) into
/// cells with their positions. Blank lines are skipped.
fn parse(src: &TomlSource) -> Result<Table, InputError> {
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    let mut row: Vec<Cell> = Vec::new();
    let mut chars = src.text.chars().peekable();
    let (mut line, mut column) = (1, 1);
    let fail = |at, message: &str| InputError {
        origin: src.origin.clone(),
        position: Some(at),
        message: message.to_string(),
    };
    loop {
        let at = (line, column);
        let mut text = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            column += 1;
            loop {
                match chars.next() {
                    None => return Err(fail(at, "a quoted cell is not closed: a \" is missing")),
                    Some('"') if chars.peek() == Some(&'"') => {
                        chars.next();
                        column += 2;
                        text.push('"');
                    }
                    Some('"') => {
                        column += 1;
                        break;
                    }
                    Some('\n') => {
                        (line, column) = (line + 1, 1);
                        text.push('\n');
                    }
                    Some(c) => {
                        column += 1;
                        text.push(c);
                    }
                }
            }
            if !matches!(chars.peek(), None | Some(',' | '\n' | '\r')) {
                return Err(fail(
                    (line, column),
                    "text after a quoted cell's closing quote; a \" inside quotes is written \"\"",
                ));
            }
        } else {
            while let Some(&c) = chars.peek() {
                if matches!(c, ',' | '\n' | '\r') {
                    break;
                }
                chars.next();
                column += 1;
                text.push(c);
            }
            text = text.trim().to_string();
        }
        row.push(Cell { text, at });
        match chars.next() {
            Some(',') => column += 1,
            end => {
                if end == Some('\r') && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                let blank = row.len() == 1 && row[0].text.is_empty();
                if !blank {
                    rows.push(std::mem::take(&mut row));
                }
                row.clear();
                (line, column) = (line + 1, 1);
                if end.is_none() {
                    break;
                }
            }
        }
    }
    if rows.is_empty() {
        return Err(fail((1, 1), "the file is empty; it needs a header row"));
    }
    let header = rows.remove(0);
    if header.len() == 1 && header[0].text.contains(';') {
        return Err(fail(
            header[0].at,
            "the columns are separated by semicolons; save the file as CSV with commas (in Excel: CSV UTF-8, comma delimited)",
        ));
    }
    Ok(Table {
        origin: src.origin.clone(),
        header,
        rows,
    })
}

/// The two files, to place validation errors: a node's at its cell in the nodes file, an
/// edge's in the edges file.
struct Pair {
    nodes: Table,
    edges: Table,
}

impl Locate for Pair {
    fn error(&self, path: &[Seg<'_>], message: impl Into<String>) -> InputError {
        match path {
            [Seg::Key(list), Seg::Index(i), rest @ ..] => {
                let table = if *list == "node" {
                    &self.nodes
                } else {
                    &self.edges
                };
                let key = match rest.first() {
                    Some(Seg::Key(key)) => key,
                    _ => "",
                };
                table.error(table.place(*i, key), message)
            }
            _ => InputError::new(self.nodes.origin.clone(), message.into()),
        }
    }
}

/// One cell's text as a serde value: a number where the key takes one, a list split at `;`
/// where it takes a list, text otherwise. It never guesses a type from the text, so a road
/// named "7" stays text.
#[derive(Debug, Clone, Copy)]
struct CellValue<'a>(&'a str);

impl<'de> IntoDeserializer<'de, de::value::Error> for CellValue<'_> {
    type Deserializer = Self;
    fn into_deserializer(self) -> Self {
        self
    }
}

impl CellValue<'_> {
    fn number<'de, T: std::str::FromStr, V: Visitor<'de>>(
        self,
        visitor: &V,
    ) -> Result<T, de::value::Error> {
        self.0
            .trim()
            .parse::<T>()
            .map_err(|_| de::Error::invalid_type(Unexpected::Str(self.0), visitor))
    }
}

/// `deserialize_<type>` for numbers: parsed as the widest type of their kind, which every
/// narrower visitor accepts when the value fits.
macro_rules! numbers {
    ($($method:ident => $wide:ty, $visit:ident;)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
            let n = self.number::<$wide, _>(&visitor)?;
            visitor.$visit(n)
        }
    )*};
}

impl<'de> de::Deserializer<'de> for CellValue<'_> {
    type Error = de::value::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_str(self.0)
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0.trim() {
            "true" => visitor.visit_bool(true),
            "false" => visitor.visit_bool(false),
            _ => Err(de::Error::invalid_type(Unexpected::Str(self.0), &visitor)),
        }
    }

    numbers! {
        deserialize_i8 => i64, visit_i64;
        deserialize_i16 => i64, visit_i64;
        deserialize_i32 => i64, visit_i64;
        deserialize_i64 => i64, visit_i64;
        deserialize_u8 => u64, visit_u64;
        deserialize_u16 => u64, visit_u64;
        deserialize_u32 => u64, visit_u64;
        deserialize_u64 => u64, visit_u64;
        deserialize_f32 => f64, visit_f64;
        deserialize_f64 => f64, visit_f64;
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        // Empty cells are left out of the record, so a cell that is here has a value.
        visitor.visit_some(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        let items = super::list_items(self.0).into_iter().map(CellValue);
        visitor.visit_seq(de::value::SeqDeserializer::new(items))
    }

    serde::forward_to_deserialize_any! {
        char str string bytes byte_buf unit unit_struct
        newtype_struct tuple tuple_struct map struct enum identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(text: &str) -> Vec<Vec<(String, (usize, usize))>> {
        let table = parse(&TomlSource::new("t.csv", text)).unwrap();
        std::iter::once(table.header)
            .chain(table.rows)
            .map(|row| row.into_iter().map(|c| (c.text, c.at)).collect())
            .collect()
    }

    #[test]
    fn cells_keep_their_line_and_column() {
        let text = "id, name\r\n\"a\",\"A, \"\"the\"\"\nport\"\r\n\r\nb,B\n";
        let s = |t: &str| t.to_string();
        assert_eq!(
            cells(text),
            vec![
                vec![(s("id"), (1, 1)), (s("name"), (1, 4))],
                vec![(s("a"), (2, 1)), (s("A, \"the\"\nport"), (2, 5))],
                vec![(s("b"), (5, 1)), (s("B"), (5, 3))],
            ]
        );
        let e = parse(&TomlSource::new("t.csv", "id\n\"a\"b\n")).unwrap_err();
        assert_eq!(e.position, Some((2, 4)));
    }

    #[test]
    fn a_cell_is_read_as_the_type_its_key_takes() {
        let road: String = de::Deserialize::deserialize(CellValue("7")).unwrap();
        assert_eq!(road, "7");
        let km: f64 = de::Deserialize::deserialize(CellValue(" 465 ")).unwrap();
        assert_eq!(km, 465.0);
        let load: Option<u32> = de::Deserialize::deserialize(CellValue("41")).unwrap();
        assert_eq!(load, Some(41));
        let tags: Vec<String> = de::Deserialize::deserialize(CellValue("a; b")).unwrap();
        assert_eq!(tags, ["a", "b"]);
        let bad: Result<f64, _> = de::Deserialize::deserialize(CellValue("far"));
        assert!(bad.unwrap_err().to_string().contains("string \"far\""));
    }
}
