//! `run --per-trial FILE`: one row per trial (its index, every trial metric, and the
//! per-sink, per-stream and per-staging-point figures of that trial), in trial order, as
//! Parquet (`.parquet`) or CSV (`.csv`). The rows come from the workers block by block
//! (`sim::rows`), are put in order and grouped (`order`) and written (`formats`) into a
//! hidden file beside FILE, which is renamed to FILE only once every trial is in it: FILE
//! is whole or absent, never half written. See docs/EXTENSIONS.md for the columns.

mod formats;
mod merge;
mod order;
mod read;

use std::path::{Path, PathBuf};

pub use formats::{CsvRows, ParquetRows, RowWriter};
pub use merge::merge_parts;
pub use order::{Groups, OrderedRows, group_rows};
pub use read::read_rows;

use crate::error::{Error, InputError, Result};
use crate::input_file::io_reason;
use crate::scenario::Scenario;
use crate::sim::outcome::{METRICS, SINK_FIELDS, STAGING_FIELDS, STREAM_FIELDS};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PerTrialFormat {
    Parquet,
    Csv,
}

impl PerTrialFormat {
    /// The format a file's extension names: `.parquet` or `.csv`.
    pub fn of(path: &Path) -> Option<PerTrialFormat> {
        let ext = path.extension()?.to_string_lossy().to_ascii_lowercase();
        match ext.as_str() {
            "parquet" => Some(PerTrialFormat::Parquet),
            "csv" => Some(PerTrialFormat::Csv),
            _ => None,
        }
    }
}

/// The column names after `trial`, in the order of `sim::rows::push_row`: the metrics,
/// then `sink.<node>.<field>`, `stream.<name>.<field>`, `staging.<node>.<field>`.
pub fn columns(scenario: &Scenario) -> Vec<String> {
    let net = &scenario.network;
    let mut names: Vec<String> = METRICS.iter().map(|m| m.to_string()).collect();
    for sink in &scenario.sinks {
        let node = &net.node(sink.node).id;
        names.extend(SINK_FIELDS.iter().map(|f| format!("sink.{node}.{f}")));
    }
    for stream in &scenario.streams {
        let name = &stream.name;
        names.extend(STREAM_FIELDS.iter().map(|f| format!("stream.{name}.{f}")));
    }
    for point in &scenario.staging {
        let node = &net.node(point.node).id;
        names.extend(STAGING_FIELDS.iter().map(|f| format!("staging.{node}.{f}")));
    }
    names
}

/// A per-trial file on its way: the hidden file being written, renamed to the target by
/// [`PerTrialFile::commit`], removed if dropped before.
pub struct PerTrialFile {
    target: PathBuf,
    tmp: PathBuf,
    format: PerTrialFormat,
    committed: bool,
}

impl PerTrialFile {
    /// Checks `--per-trial FILE` before any trial: a `.parquet` or `.csv` name, in a folder
    /// that exists and takes a new file, not a folder or a file that is not a per-trial
    /// file (an earlier per-trial file is replaced). Makes the hidden file it is written to.
    pub fn prepare(target: &Path, out_dir: &Path) -> Result<PerTrialFile, InputError> {
        let fail = |msg: String| InputError::flag("--per-trial", msg);
        let format = PerTrialFormat::of(target).ok_or_else(|| {
            fail(format!(
                "{} must end in .parquet or .csv, which chooses its format",
                target.display()
            ))
        })?;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .ok_or_else(|| fail(format!("{} is not a file name", target.display())))?;
        let inside = |dir: &Path| {
            let parent = |p: &Path| p.parent().map(Path::to_path_buf).unwrap_or_default();
            let real = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
            real(&parent(target)).starts_with(real(dir)) || target.starts_with(dir)
        };
        if inside(out_dir) {
            return Err(fail(format!(
                "{} is inside the output folder {}, which is replaced whole; write it beside the folder",
                target.display(),
                out_dir.display()
            )));
        }
        if let Ok(meta) = std::fs::symlink_metadata(target)
            && !(meta.is_file() && is_per_trial_file(target))
        {
            return Err(fail(format!(
                "{} exists and is not a per-trial file of corridor, so it is left alone; give a new file name",
                target.display()
            )));
        }
        let tmp = target.with_file_name(format!(".{name}.tmp-{}", crate::output::unique_id()));
        std::fs::File::create(&tmp).map_err(|e| {
            fail(format!(
                "cannot write {}: {}",
                target.display(),
                io_reason(&e)
            ))
        })?;
        Ok(PerTrialFile {
            target: target.to_path_buf(),
            tmp,
            format,
            committed: false,
        })
    }

    pub fn format(&self) -> PerTrialFormat {
        self.format
    }

    /// The hidden file, for a second signal to remove.
    pub fn leftover(&self) -> &Path {
        &self.tmp
    }

    /// A writer of the hidden file with `columns` after `trial` (and, in Parquet,
    /// `metadata` as key-value metadata).
    pub fn writer(
        &self,
        columns: &[String],
        metadata: &[(String, String)],
    ) -> Result<Box<dyn RowWriter>> {
        let io = |e| Error::io("cannot write", &self.target, e);
        let file = std::fs::File::create(&self.tmp).map_err(io)?;
        Ok(match self.format {
            PerTrialFormat::Parquet => {
                Box::new(ParquetRows::new(file, columns, metadata).map_err(io)?)
            }
            PerTrialFormat::Csv => Box::new(CsvRows::new(file, columns).map_err(io)?),
        })
    }

    /// Renames the finished hidden file to the target.
    pub fn commit(mut self) -> Result<()> {
        std::fs::rename(&self.tmp, &self.target)
            .map_err(|e| Error::io("cannot write", &self.target, e))?;
        self.committed = true;
        Ok(())
    }

    pub fn target(&self) -> &Path {
        &self.target
    }
}

impl Drop for PerTrialFile {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

/// Whether the file at `path` looks like a per-trial file corridor wrote: Parquet's magic,
/// or a CSV header starting with `trial,`.
fn is_per_trial_file(path: &Path) -> bool {
    use std::io::Read as _;
    let mut head = [0u8; 6];
    let read = std::fs::File::open(path).and_then(|mut f| f.read(&mut head));
    matches!(read, Ok(n) if head[..n].starts_with(b"PAR1") || head[..n].starts_with(b"trial,"))
}

/// What a Parquet file says of the run it comes from, the same for a run and its merged
/// shards: the scenario, its hash, the seed, the run's trial count, corridor's version.
pub fn metadata(scenario: &str, sha256: &str, seed: u64, trials: u64) -> Vec<(String, String)> {
    [
        ("corridor.scenario", scenario.to_string()),
        ("corridor.scenario_sha256", sha256.to_string()),
        ("corridor.seed", seed.to_string()),
        ("corridor.trials", trials.to_string()),
        ("corridor.version", env!("CARGO_PKG_VERSION").to_string()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

/// Runs the trials of `config` as `sim::run::run_trials` does, writing every trial's row
/// into `file`. Returns the tally and whether every row was written (not after a stop).
pub fn run_writing(
    model: &crate::sim::model::Model,
    config: &crate::sim::run::RunConfig,
    progress: &(dyn Fn(u64) + Sync),
    stop: &std::sync::atomic::AtomicBool,
    file: &PerTrialFile,
    columns: &[String],
    metadata: &[(String, String)],
) -> Result<(crate::sim::run::Tally, bool)> {
    use crate::sim::run::{block_size, run_trials_with_rows};
    let width = crate::sim::rows::row_width(model);
    debug_assert_eq!(width, columns.len());
    let rows = OrderedRows::new(
        file.writer(columns, metadata)?,
        width,
        (config.first_trial, config.trials),
        block_size(config.trials, config.threads),
        config.threads,
    );
    let tally = run_trials_with_rows(model, config, progress, stop, Some(&rows));
    let complete = rows
        .finish()
        .map_err(|e| Error::io("cannot write", file.target(), e))?;
    Ok((tally, complete))
}
