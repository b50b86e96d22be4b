//! The output folder of a run (INTERFACE.md): `summary.json`, `daily.csv`, `sinks.csv`,
//! `streams.csv`, `scenario.toml`, plus `edges.csv` and `results.json` (everything the
//! charts need).
//! They are made here as bytes; `output::OutputDir` writes them whole into a hidden
//! sibling of the folder and renames it into place.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

use serde_json::{Map, Value, json};

use super::{RunResults, StreamResult};
use crate::error::{Error, Result};
use crate::sim::outcome::{CLASS_FIELDS, DAILY, SINK_FIELDS, STAGING_FIELDS, STREAM_FIELDS};

/// The stream figures every stream reports; the rest are a fleet's or a loading limit's.
const COMMON_FIELDS: usize = 3;
/// The stream figures of a stream whose depot has a loading limit (MODEL.md section 12).
const LIMIT_FIELDS: usize = 5;

/// How many of `STREAM_FIELDS` a stream reports: a fleet stream all, a stream loading at a
/// limited depot the tankers short and departures skipped too, any other the first three.
fn stream_fields(s: &StreamResult) -> usize {
    if s.fleet.is_some() {
        STREAM_FIELDS.len()
    } else if s.load_limit.is_some() {
        LIMIT_FIELDS
    } else {
        COMMON_FIELDS
    }
}

/// The file whose presence marks a folder as holding a run (see `output::MARKERS`).
const MARKER: &str = "summary.json";

/// Every data file of a run's folder, as file names and bytes, the summary last (it marks
/// the folder as a run's). `resolved` is the text of `scenario.toml`:
/// `Scenario::to_resolved_toml()` of the scenario run, or a shard's copy of it.
pub fn run_files(resolved: &str, results: &RunResults) -> Vec<(String, Vec<u8>)> {
    let full = serde_json::to_string(results).expect("results serialize");
    [
        ("daily.csv", daily_csv(results).into_bytes()),
        ("sinks.csv", sinks_csv(results).into_bytes()),
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
            for (field, mean) in STREAM_FIELDS.iter().zip(&s.means).take(stream_fields(s)) {
                entry.insert(format!("{field}_mean"), json!(mean));
            }
            if let Some(f) = s.fleet {
                entry.insert("fleet".into(), json!(f));
            }
            Value::Object(entry)
        })
        .collect();
    let sinks: Vec<Value> = r
        .sinks
        .iter()
        .map(|sink| {
            let mut entry = means_entry("node", &sink.node, &SINK_FIELDS, &sink.means);
            let classes = sink
                .classes
                .iter()
                .map(|c| Value::Object(means_entry("name", &c.name, &CLASS_FIELDS, &c.means)))
                .collect();
            entry.insert("classes".into(), Value::Array(classes));
            Value::Object(entry)
        })
        .collect();
    let staging: Vec<Value> = r
        .staging
        .iter()
        .map(|p| Value::Object(means_entry("node", &p.node, &STAGING_FIELDS, &p.means)))
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
    top.insert("sinks".into(), Value::Array(sinks));
    top.insert("staging".into(), Value::Array(staging));
    let mut text = serde_json::to_string_pretty(&Value::Object(top)).expect("json");
    text.push('\n');
    text
}

/// `{key: name, "<field>_mean": mean, ...}`.
fn means_entry(key: &str, name: &str, fields: &[&str], means: &[f64]) -> Map<String, Value> {
    let mut entry = Map::new();
    entry.insert(key.into(), json!(name));
    for (field, mean) in fields.iter().zip(means) {
        entry.insert(format!("{field}_mean"), json!(mean));
    }
    entry
}

/// `sinks.csv`: `sink,day,date,metric,mean,p5,p50,p95`, every sink in turn, and in each
/// sink all days of each series of `DAILY` in turn, as in `daily.csv`.
pub fn sinks_csv(r: &RunResults) -> String {
    let mut out = String::from("sink,day,date,metric,mean,p5,p50,p95\n");
    for sink in &r.sinks {
        let id = csv_field(&sink.node);
        for (name, series) in DAILY.iter().zip(&sink.daily) {
            for (day, s) in series.iter().enumerate() {
                let date = r.date(day).unwrap_or_default();
                let _ = writeln!(
                    out,
                    "{id},{day},{date},{name},{},{},{},{}",
                    s.mean, s.p5, s.p50, s.p95
                );
            }
        }
    }
    out
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

/// `streams.csv`: one row per convoy stream. The fleet columns when any stream has a fleet,
/// else those of a loading limit when any stream loads at a limited depot; a stream without
/// a figure leaves its cell empty.
pub fn streams_csv(r: &RunResults) -> String {
    let shown = r
        .streams
        .iter()
        .map(stream_fields)
        .max()
        .unwrap_or(COMMON_FIELDS);
    let mut out = String::from("stream");
    for field in &STREAM_FIELDS[..shown] {
        let _ = write!(out, ",{field}_mean");
    }
    out.push('\n');
    for s in &r.streams {
        out.push_str(&csv_field(&s.name));
        let own = stream_fields(s);
        for (k, mean) in s.means.iter().enumerate().take(shown) {
            if k >= own {
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
