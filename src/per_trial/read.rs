//! Per-trial files read back, for `merge --per-trial`: a shard's file of its own trials,
//! checked against the run being merged (its columns, and in Parquet its key-value
//! metadata) and handed over a group of rows at a time, so memory stays flat. Anything
//! unexpected is bad input naming the file.

use std::io::BufRead as _;
use std::path::Path;

use parquet::basic::Type as Physical;
use parquet::column::reader::ColumnReader;
use parquet::file::reader::{FileReader, SerializedFileReader};

use super::{PerTrialFormat, group_rows};
use crate::error::InputError;
use crate::input_file::io_reason;

/// What receives a group of rows: its trial indices and its rows; an error stops reading.
pub type Visit<'a> = dyn FnMut(&[i64], &[f64]) -> Result<(), String> + 'a;

/// Reads the per-trial file at `path` (of `format`, with `columns` after `trial` and, in
/// Parquet, exactly `metadata`), calling `visit` with each group's trial indices and rows.
pub fn read_rows(
    path: &Path,
    format: PerTrialFormat,
    columns: &[String],
    metadata: &[(String, String)],
    visit: &mut Visit<'_>,
) -> Result<(), InputError> {
    let bad = |msg: String| InputError::new(path.display().to_string(), msg);
    let meta = std::fs::metadata(path)
        .map_err(|e| bad(format!("cannot read the per-trial file: {}", io_reason(&e))))?;
    if !meta.is_file() {
        return Err(bad("is not a regular file, so not a per-trial file".into()));
    }
    let file = std::fs::File::open(path)
        .map_err(|e| bad(format!("cannot read the per-trial file: {}", io_reason(&e))))?;
    match format {
        PerTrialFormat::Parquet => read_parquet(file, columns, metadata, visit),
        PerTrialFormat::Csv => read_csv(file, columns, visit),
    }
    .map_err(|msg| bad(format!("not a per-trial file of this run: {msg}")))
}

fn read_parquet(
    file: std::fs::File,
    columns: &[String],
    metadata: &[(String, String)],
    visit: &mut Visit<'_>,
) -> Result<(), String> {
    let reader = SerializedFileReader::new(file).map_err(|e| e.to_string())?;
    let md = reader.metadata();
    let schema = md.file_metadata().schema_descr();
    let width = columns.len();
    if schema.num_columns() != width + 1 {
        return Err(format!(
            "it has {} columns, this run has {}",
            schema.num_columns(),
            width + 1
        ));
    }
    for (k, c) in schema.columns().iter().enumerate() {
        let (name, physical) = match k {
            0 => ("trial", Physical::INT64),
            _ => (columns[k - 1].as_str(), Physical::DOUBLE),
        };
        if c.name() != name || c.physical_type() != physical || c.max_def_level() != 0 {
            return Err(format!("its column {k} is not {name}"));
        }
    }
    let kv: Vec<(String, String)> = md
        .file_metadata()
        .key_value_metadata()
        .map(|kv| {
            kv.iter()
                .map(|k| (k.key.clone(), k.value.clone().unwrap_or_default()))
                .collect()
        })
        .unwrap_or_default();
    if kv != metadata {
        return Err("its metadata (scenario, seed, trials or version) differs".into());
    }
    let most = group_rows(width);
    let (mut trials, mut values, mut rows) = (Vec::new(), Vec::new(), Vec::new());
    for g in 0..md.num_row_groups() {
        let group = reader.get_row_group(g).map_err(|e| e.to_string())?;
        let n = group.metadata().num_rows();
        if n < 1 || n as u64 > most {
            return Err(format!("row group {g} claims {n} rows"));
        }
        let n = n as usize;
        trials.clear();
        match group.get_column_reader(0).map_err(|e| e.to_string())? {
            ColumnReader::Int64ColumnReader(mut r) => read_all(n, &mut trials, |max, buf| {
                r.read_records(max, None, None, buf).map(|t| t.0)
            })?,
            _ => return Err("its trial column is not INT64".into()),
        }
        rows.clear();
        rows.resize(n * width, 0.0);
        for c in 0..width {
            values.clear();
            match group.get_column_reader(c + 1).map_err(|e| e.to_string())? {
                ColumnReader::DoubleColumnReader(mut r) => read_all(n, &mut values, |max, buf| {
                    r.read_records(max, None, None, buf).map(|t| t.0)
                })?,
                _ => return Err(format!("its column {} is not DOUBLE", c + 1)),
            }
            for (k, &x) in values.iter().enumerate() {
                rows[k * width + c] = x;
            }
        }
        visit(&trials, &rows)?;
    }
    Ok(())
}

/// Reads exactly `n` records of a column, in as many calls as it takes.
fn read_all<T>(
    n: usize,
    buf: &mut Vec<T>,
    mut read: impl FnMut(usize, &mut Vec<T>) -> parquet::errors::Result<usize>,
) -> Result<(), String> {
    while buf.len() < n {
        let got = read(n - buf.len(), buf).map_err(|e| e.to_string())?;
        if got == 0 {
            break;
        }
    }
    if buf.len() != n {
        return Err(format!("a column holds {} of {n} rows", buf.len()));
    }
    Ok(())
}

fn read_csv(file: std::fs::File, columns: &[String], visit: &mut Visit<'_>) -> Result<(), String> {
    let width = columns.len();
    let mut header = String::from("trial");
    for c in columns {
        header.push(',');
        header.push_str(&crate::report::files::csv_field(c));
    }
    let mut lines = std::io::BufReader::new(file).lines();
    let first = lines.next().transpose().map_err(|e| e.to_string())?;
    if first.as_deref() != Some(header.as_str()) {
        return Err("its header is not this run's columns".into());
    }
    let most = group_rows(width) as usize;
    let (mut trials, mut rows) = (Vec::new(), Vec::new());
    for (k, line) in lines.enumerate() {
        let line = line.map_err(|e| e.to_string())?;
        let mut cells = line.split(',');
        let trial = cells.next().and_then(|t| t.parse::<i64>().ok());
        let before = rows.len();
        rows.extend(cells.map_while(|c| c.parse::<f64>().ok()));
        let Some(trial) = trial.filter(|_| rows.len() - before == width) else {
            return Err(format!(
                "line {} is not a row of {} numbers",
                k + 2,
                width + 1
            ));
        };
        trials.push(trial);
        if trials.len() == most {
            visit(&trials, &rows)?;
            trials.clear();
            rows.clear();
        }
    }
    if !trials.is_empty() {
        visit(&trials, &rows)?;
    }
    Ok(())
}
