//! The output folder of a run (INTERFACE.md): `summary.json`, `daily.csv`, `streams.csv`,
//! `scenario.toml`, plus `edges.csv` and `results.json` (everything the charts need).
//! They are made here as bytes; `output::OutputDir` writes them whole into a hidden
//! sibling of the folder and renames it into place.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

use serde_json::{Map, Value, json};

use super::RunResults;
use crate::error::{Error, Result};
use crate::sim::outcome::DAILY;
use crate::sim::outcome::STREAM_FIELDS;

/// The file whose presence marks a folder as holding a run (see `output::MARKERS`).
const MARKER: &str = "summary.json";

/// Every data file of a run's folder, as file names and bytes, the summary last (it marks
/// the folder as a run's). `resolved` is the text of `scenario.toml`:
/// `Scenario::to_resolved_toml()` of the scenario run, or a shard's copy of it.
pub fn run_files(resolved: &str, results: &RunResults) -> Vec<(String, Vec<u8>)> {
    let full = serde_json::to_string(results).expect("results serialize");
    [
        ("daily.csv", daily_csv(results).into_bytes()),
        ("streams.csv", streams_csv(results).into_bytes()),
        ("edges.csv", edges_csv(results).into_bytes()),
        ("scenario.toml", resolved.as_bytes().to_vec()),
        ("results.json", full.into_bytes()),
        (MARKER, summary_json(results).into_bytes()),
    ]
    .into_iter()
    .map(|(name, bytes)| (name.to_string(), bytes))
    .collect()
}

/// Writes `bytes` to `path` through a temporary file in the same folder, then renames it.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // A name no other process can share, even one with the same process id.
    let tmp = path.with_file_name(format!(".{name}.tmp-{}", crate::output::unique_id()));
    let result = std::fs::File::create(&tmp)
        .and_then(|f| write_all_synced(f, bytes))
        .and_then(|()| std::fs::rename(&tmp, path));
    result.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::io("cannot write", path, e)
    })
}

/// Writes and flushes to the disk, so that a full disk shows here and not later.
fn write_all_synced(mut f: std::fs::File, bytes: &[u8]) -> std::io::Result<()> {
    f.write_all(bytes)?;
    f.sync_all()
}

/// `summary.json`: the metrics of MODEL.md section 7 and the streams, as INTERFACE.md fixes.
pub fn summary_json(r: &RunResults) -> String {
    let mut metrics = Map::new();
    for m in &r.metrics {
        let s = m.stat;
        metrics.insert(
            m.name.clone(),
            json!({"mean": s.mean, "sd": s.sd, "p5": s.p5, "p50": s.p50, "p95": s.p95, "p25": s.p25, "p75": s.p75}),
        );
    }
    let streams: Vec<Value> = r
        .streams
        .iter()
        .map(|s| {
            let mut entry = Map::new();
            entry.insert("name".into(), json!(s.name));
            let shown = if s.fleet.is_some() {
                STREAM_FIELDS.len()
            } else {
                3
            };
            for (field, mean) in STREAM_FIELDS.iter().zip(&s.means).take(shown) {
                entry.insert(format!("{field}_mean"), json!(mean));
            }
            if let Some(f) = s.fleet {
                entry.insert("fleet".into(), json!(f));
            }
            Value::Object(entry)
        })
        .collect();
    let mut top = Map::new();
    top.insert("scenario".into(), json!(r.scenario));
    top.insert("trials".into(), json!(r.trials));
    top.insert("seed".into(), json!(r.seed));
    top.insert("horizon_days".into(), json!(r.horizon_days));
    if r.interrupted {
        top.insert("interrupted".into(), json!(true));
    }
    if let Some(d) = &r.start_date {
        top.insert("start_date".into(), json!(d));
    }
    top.insert("currency".into(), json!(r.currency));
    top.insert("metrics".into(), Value::Object(metrics));
    top.insert("streams".into(), Value::Array(streams));
    let mut text = serde_json::to_string_pretty(&Value::Object(top)).expect("json");
    text.push('\n');
    text
}

/// `daily.csv`: `day,date,metric,mean,p5,p50,p95`, all days of each series in turn.
pub fn daily_csv(r: &RunResults) -> String {
    let mut out = String::from("day,date,metric,mean,p5,p50,p95\n");
    for (series, name) in DAILY.iter().enumerate() {
        for (day, s) in r.daily[series].iter().enumerate() {
            let date = r.date(day).unwrap_or_default();
            let _ = writeln!(
                out,
                "{day},{date},{name},{},{},{},{}",
                s.mean, s.p5, s.p50, s.p95
            );
        }
    }
    out
}

/// `streams.csv`: one row per convoy stream; fleet columns when any stream has a fleet.
pub fn streams_csv(r: &RunResults) -> String {
    let fleets = r.streams.iter().any(|s| s.fleet.is_some());
    let shown = if fleets { STREAM_FIELDS.len() } else { 3 };
    let mut out = String::from("stream");
    for field in &STREAM_FIELDS[..shown] {
        let _ = write!(out, ",{field}_mean");
    }
    out.push('\n');
    for s in &r.streams {
        out.push_str(&csv_field(&s.name));
        for (k, mean) in s.means.iter().enumerate().take(shown) {
            if k >= 3 && s.fleet.is_none() {
                out.push(',');
            } else {
                let _ = write!(out, ",{mean}");
            }
        }
        out.push('\n');
    }
    out
}

/// `edges.csv`: what the run saw on every edge.
pub fn edges_csv(r: &RunResults) -> String {
    let mut out = String::from("edge,from,to,km,road,attacks_mean,tankers_lost_mean\n");
    for e in &r.edges {
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{}",
            csv_field(&e.id),
            csv_field(&r.nodes[e.from].id),
            csv_field(&r.nodes[e.to].id),
            e.km,
            csv_field(&e.road),
            e.attacks_mean,
            e.tankers_lost_mean
        );
    }
    out
}

/// A text cell of a CSV file: quoted as RFC 4180 says when it holds a comma, a quote or a
/// line break (a carriage return too), and, as OWASP advises against CSV injection,
/// prefixed with `'` when it starts with `=`, `+`, `-`, `@`, a tab or a carriage return, which
/// a spreadsheet would take for the start of a formula. Only for text: numbers are written
/// as they are, so that `-0.5` stays a number.
pub fn csv_field(s: &str) -> String {
    let formula = s.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let cell = if formula {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if cell.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_cells_are_quoted_and_never_read_as_formulas() {
        let cases = [
            ("dakar-north", "dakar-north"),
            (
                "=HYPERLINK(\"http://x\")",
                "\"'=HYPERLINK(\"\"http://x\"\")\"",
            ),
            ("+1", "'+1"),
            ("-cmd|' /C calc'!A0", "'-cmd|' /C calc'!A0"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("a,b", "\"a,b\""),
            ("line\rbreak", "\"line\rbreak\""),
            ("say \"hi\"", "\"say \"\"hi\"\"\""),
        ];
        for (text, cell) in cases {
            assert_eq!(csv_field(text), cell, "{text}");
        }
    }

    #[test]
    fn a_full_disk_is_an_error_that_names_the_file() {
        let full = std::fs::OpenOptions::new().write(true).open("/dev/full");
        if let Ok(f) = full {
            let e = write_all_synced(f, &[0; 1 << 16]).unwrap_err();
            assert_eq!(crate::input_file::io_reason(&e), "No space left on device");
        }
    }
}
