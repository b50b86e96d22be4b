//! The output folder of a run (INTERFACE.md): `summary.json`, `daily.csv`, `streams.csv`,
//! `scenario.toml`, plus `edges.csv` and `results.json` (everything the charts need).
//! A run's folder is written whole into a hidden sibling ([`OutputDir`]) and then renamed
//! into place, so the folder a user sees always holds one complete run: the earlier one
//! until the new one is complete, then the new one. An earlier run in the folder is moved
//! to a sibling named after the time it was written, never overwritten.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};

use super::RunResults;
use crate::calendar::Date;
use crate::error::{Error, InputError, Result};
use crate::scenario::io_reason;
use crate::sim::outcome::DAILY;
use crate::sim::outcome::STREAM_FIELDS;

/// The file whose presence marks a folder as holding a run, and the one that marks a shard's
/// partial result (see `shard`).
const MARKER: &str = "summary.json";
const SHARD_MARKER: &str = crate::shard::PARTIAL_FILE;

/// Whether `dir` holds an earlier run or shard, which a new one may move aside.
fn holds_a_run(dir: &Path) -> bool {
    dir.join(MARKER).is_file() || dir.join(SHARD_MARKER).is_file()
}

/// Writes every output file of a run into `dir` (created if needed; an [`OutputDir`]'s
/// staging folder, in a run). `resolved` is the text of `scenario.toml`:
/// `Scenario::to_resolved_toml()` of the scenario run, or a shard's copy of it.
pub fn write_run(dir: &Path, resolved: &str, results: &RunResults) -> Result<()> {
    std::fs::create_dir_all(dir)
        .map_err(|e| Error::io("cannot create the output folder", dir, e))?;
    write_atomic(&dir.join("daily.csv"), daily_csv(results).as_bytes())?;
    write_atomic(&dir.join("streams.csv"), streams_csv(results).as_bytes())?;
    write_atomic(&dir.join("edges.csv"), edges_csv(results).as_bytes())?;
    write_atomic(&dir.join("scenario.toml"), resolved.as_bytes())?;
    let full = serde_json::to_string(results).expect("results serialize");
    write_atomic(&dir.join("results.json"), full.as_bytes())?;
    // Last, so that a folder with a summary holds every other file too.
    write_atomic(&dir.join(MARKER), summary_json(results).as_bytes())?;
    Ok(())
}

/// Writes `bytes` to `path` through a temporary file in the same folder, then renames it.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.tmp-{}", std::process::id()));
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

/// A run's output folder while it is being written: a hidden sibling of the target, made
/// before the run starts (so that an unusable target is found at once), renamed into place
/// by [`OutputDir::commit`], and removed if it is dropped uncommitted (a failed write, an
/// interrupted run with nothing to show).
#[derive(Debug)]
pub struct OutputDir {
    target: PathBuf,
    staging: PathBuf,
    committed: bool,
}

impl OutputDir {
    /// Checks that `target` can take a run's folder and makes the staging folder beside it.
    /// The target must be new, an empty folder, or a folder holding an earlier run (with a
    /// `summary.json`); a folder of other files is left alone. Failures are bad input.
    pub fn prepare(target: &Path) -> Result<OutputDir, InputError> {
        let origin = target.display().to_string();
        let fail = |message: String| InputError::new(origin.clone(), message);
        if let Ok(cwd) = std::env::current_dir()
            && let Ok(real) = target.canonicalize()
            && cwd.starts_with(&real)
        {
            return Err(fail(
                "is the current folder or holds it, so it cannot be replaced by the run's folder; give --out a new folder such as out/run1".to_string(),
            ));
        }
        let name = target.file_name().ok_or_else(|| {
            fail("is not a folder name; give --out a folder such as out/run1".to_string())
        })?;
        match std::fs::metadata(target) {
            Ok(meta) if !meta.is_dir() => {
                return Err(fail(
                    "is a file, not a folder; give --out a folder".to_string(),
                ));
            }
            Ok(_) => {
                let entries = std::fs::read_dir(target).map_err(|e| {
                    fail(format!("cannot read the output folder: {}", io_reason(&e)))
                })?;
                if entries.count() > 0 && !holds_a_run(target) {
                    return Err(fail(format!(
                        "the folder holds files that are not from a corridor run (no {MARKER} or {SHARD_MARKER}), so it is left alone; give --out a new or empty folder"
                    )));
                }
            }
            Err(_) => {}
        }
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let cannot = |e: std::io::Error| {
            fail(format!(
                "cannot make a folder in {}: {}",
                parent.display(),
                blocking_reason(&parent, &e)
            ))
        };
        std::fs::create_dir_all(&parent).map_err(cannot)?;
        let staging = parent.join(format!(
            ".{}.partial-{}",
            name.to_string_lossy(),
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&staging);
        std::fs::create_dir(&staging).map_err(cannot)?;
        Ok(OutputDir {
            target: target.to_path_buf(),
            staging,
            committed: false,
        })
    }

    /// Where the run's files are written until the commit.
    pub fn path(&self) -> &Path {
        &self.staging
    }

    /// Runs `write` on the staging folder. An error names a file by the path it will have,
    /// not by the hidden folder's.
    pub fn write(&self, write: impl FnOnce(&Path) -> Result<()>) -> Result<()> {
        write(&self.staging).map_err(|e| match e {
            Error::Io {
                action,
                path,
                cause,
            } => Error::Io {
                action,
                path: match path.strip_prefix(&self.staging) {
                    Ok(file) => self.target.join(file),
                    Err(_) => path,
                },
                cause,
            },
            other => other,
        })
    }

    /// The folder the run ends up in.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Moves the finished folder into place. An earlier run there is first moved to a
    /// sibling named after when it was written (`name.2026-05-20T061500Z`), which is
    /// returned. If the folder cannot be put in place, the earlier run is put back and the
    /// new one is kept where it was written, and the error says where.
    pub fn commit(mut self) -> Result<Option<PathBuf>> {
        let mut earlier = None;
        let swapped = (|| {
            if let Ok(meta) = std::fs::symlink_metadata(&self.target) {
                if meta.is_dir() && !holds_a_run(&self.target) {
                    // Empty when prepared; a folder cannot be renamed over a non-empty one.
                    std::fs::remove_dir(&self.target)?;
                } else {
                    let aside = self.aside_name();
                    std::fs::rename(&self.target, &aside)?;
                    earlier = Some(aside);
                }
            }
            std::fs::rename(&self.staging, &self.target)
        })();
        match swapped {
            Ok(()) => {
                self.committed = true;
                Ok(earlier)
            }
            Err(e) => {
                if let Some(aside) = &earlier {
                    let _ = std::fs::rename(aside, &self.target);
                }
                self.committed = true; // keep the new results: they are complete
                Err(Error::Other(format!(
                    "cannot put the run's folder in place at {}: {}; its files are complete in {}",
                    self.target.display(),
                    io_reason(&e),
                    self.staging.display()
                )))
            }
        }
    }

    /// A free sibling name for the earlier run: its name and the UTC time its summary was
    /// written.
    fn aside_name(&self) -> PathBuf {
        let written = std::fs::metadata(self.target.join(MARKER))
            .or_else(|_| std::fs::metadata(self.target.join(SHARD_MARKER)))
            .and_then(|m| m.modified())
            .unwrap_or_else(|_| std::time::SystemTime::now());
        let secs = written
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs()) as i64;
        let (day, time) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
        let stamp = format!(
            "{}T{:02}{:02}{:02}Z",
            Date(0).plus_days(day),
            time / 3600,
            time / 60 % 60,
            time % 60
        );
        let name = self
            .target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        (1..)
            .map(|k| {
                let suffix = if k == 1 {
                    String::new()
                } else {
                    format!("-{k}")
                };
                self.target
                    .with_file_name(format!("{name}.{stamp}{suffix}"))
            })
            .find(|p| std::fs::symlink_metadata(p).is_err())
            .expect("some suffix is free")
    }
}

impl Drop for OutputDir {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.staging);
        }
    }
}

/// Why a folder cannot be made under `parent`: names the part of the path that is a file.
fn blocking_reason(parent: &Path, e: &std::io::Error) -> String {
    let file = parent
        .ancestors()
        .find(|a| std::fs::metadata(a).is_ok_and(|m| !m.is_dir()));
    match file {
        Some(f) => format!("{} is a file, not a folder", f.display()),
        None => io_reason(e),
    }
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
            e.id,
            r.nodes[e.from].id,
            r.nodes[e.to].id,
            e.km,
            csv_field(&e.road),
            e.attacks_mean,
            e.tankers_lost_mean
        );
    }
    out
}

/// Quotes a CSV field when it needs it.
pub fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_new_folder_appears_only_when_committed() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("out/run");
        let out = OutputDir::prepare(&target).unwrap();
        std::fs::write(out.path().join(MARKER), "{}").unwrap();
        assert!(!target.exists());
        assert_eq!(out.commit().unwrap(), None);
        assert_eq!(names(&target), [MARKER]);
        assert_eq!(names(&tmp.path().join("out")), ["run"]);
    }

    #[test]
    fn an_earlier_run_is_moved_aside_and_an_uncommitted_one_leaves_no_trace() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("run");
        std::fs::create_dir(&target).unwrap();
        std::fs::write(target.join(MARKER), "earlier").unwrap();
        let out = OutputDir::prepare(&target).unwrap();
        drop(out);
        assert_eq!(names(tmp.path()), ["run"]);
        let out = OutputDir::prepare(&target).unwrap();
        std::fs::write(out.path().join(MARKER), "new").unwrap();
        let aside = out.commit().unwrap().unwrap();
        assert_eq!(
            std::fs::read_to_string(aside.join(MARKER)).unwrap(),
            "earlier"
        );
        assert_eq!(std::fs::read_to_string(target.join(MARKER)).unwrap(), "new");
        let aside_name = aside.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            aside_name.starts_with("run.20") && aside_name.ends_with('Z'),
            "{aside_name}"
        );
        // A second earlier run written in the same second gets a suffix.
        let out = OutputDir::prepare(&target).unwrap();
        std::fs::write(out.path().join(MARKER), "newer").unwrap();
        let second = out.commit().unwrap().unwrap();
        assert_ne!(second, aside);
        assert_eq!(names(tmp.path()).len(), 3);
    }

    #[test]
    fn unusable_targets_are_refused_before_anything_is_made() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("file");
        std::fs::write(&file, "x").unwrap();
        let others = tmp.path().join("others");
        std::fs::create_dir(&others).unwrap();
        std::fs::write(others.join("notes.txt"), "mine").unwrap();
        let message = |p: &Path| {
            OutputDir::prepare(p)
                .unwrap_err()
                .message
                .replace(&tmp.path().display().to_string(), "TMP")
        };
        assert_eq!(
            message(&file),
            "is a file, not a folder; give --out a folder"
        );
        assert_eq!(
            message(&file.join("sub/run")),
            "cannot make a folder in TMP/file/sub: TMP/file is a file, not a folder"
        );
        assert!(message(&others).contains("not from a corridor run"));
        assert_eq!(names(tmp.path()), ["file", "others"]);
    }

    #[test]
    fn a_full_disk_is_an_error_that_names_the_file() {
        let full = std::fs::OpenOptions::new().write(true).open("/dev/full");
        if let Ok(f) = full {
            let e = write_all_synced(f, &[0; 1 << 16]).unwrap_err();
            assert_eq!(io_reason(&e), "No space left on device");
        }
    }
}
