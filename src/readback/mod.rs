//! Files the tool wrote and reads back, checked field by field after parsing: a run's
//! `results.json` (by `chart`, `results.rs`), a shard's tally in `partial.json` (by
//! `merge`, `tally.rs`) and `run.json` (here). Every array has the length its scenario
//! gives it, every number is finite and within what a run can report, percentiles are in
//! order and counts add up, so a truncated or tampered file is refused with a message
//! naming the file and the field (exit code 2), never read into a panic, a huge
//! allocation or wrong numbers. Each file's checks are split by section (metrics, streams,
//! daily series, ...), so a new section of a file gets a check of its own beside them.

mod results;
mod tally;

use std::path::Path;

pub use results::check_results;
pub use tally::{check_sums_fit, check_tally};

use crate::error::InputError;
use crate::report::meta::RunMeta;
use crate::stats::{DayStat, Stat};

/// A field of a file that cannot be what corridor wrote: where, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Damaged {
    /// The field's path, as JSON would reach it: `daily[2][17].p5`.
    pub field: String,
    pub message: String,
}

pub type Check = Result<(), Damaged>;

pub fn damaged(field: impl Into<String>, message: impl Into<String>) -> Damaged {
    Damaged {
        field: field.into(),
        message: message.into(),
    }
}

impl Damaged {
    /// The refusal of file `path` (a `what` such as `results.json`), for the user.
    pub fn refusal(&self, path: &Path, what: &str, advice: &str) -> InputError {
        InputError::new(
            path.display().to_string(),
            format!(
                "damaged {what}: {}: {}; {advice}",
                crate::error::one_line(&self.field),
                self.message
            ),
        )
    }
}

/// The largest magnitude any figure of a run can have: a trial's values are bounded so
/// (`stats`), and so are their means and percentiles.
pub const MAX_VALUE: f64 = 1e16;

pub fn finite(field: impl FnOnce() -> String, x: f64) -> Check {
    if !x.is_finite() || x.abs() > MAX_VALUE {
        return Err(damaged(
            field(),
            format!("{x} is not a number a run reports"),
        ));
    }
    Ok(())
}

pub fn non_negative(field: impl FnOnce() -> String, x: f64) -> Check {
    if !(x.is_finite() && (0.0..=MAX_VALUE).contains(&x)) {
        return Err(damaged(
            field(),
            format!("{x} is not a count or amount a run reports"),
        ));
    }
    Ok(())
}

pub fn length(field: impl FnOnce() -> String, found: usize, expected: usize) -> Check {
    if found != expected {
        return Err(damaged(
            field(),
            format!("holds {found} entries where the run has {expected}"),
        ));
    }
    Ok(())
}

/// Percentiles finite and in order, p5 <= p25 <= p50 <= p75 <= p95.
fn percentiles(field: &str, mean: f64, ps: [f64; 5]) -> Check {
    finite(|| format!("{field}.mean"), mean)?;
    for (name, p) in ["p5", "p25", "p50", "p75", "p95"].iter().zip(ps) {
        finite(|| format!("{field}.{name}"), p)?;
    }
    if ps.windows(2).any(|w| w[0] > w[1]) {
        return Err(damaged(
            field,
            format!("percentiles out of order (p5 {} ... p95 {})", ps[0], ps[4]),
        ));
    }
    Ok(())
}

pub fn stat(field: &str, s: &Stat) -> Check {
    non_negative(|| format!("{field}.sd"), s.sd)?;
    percentiles(field, s.mean, [s.p5, s.p25, s.p50, s.p75, s.p95])
}

pub fn day_stat(field: &str, s: &DayStat) -> Check {
    percentiles(field, s.mean, [s.p5, s.p25, s.p50, s.p75, s.p95])
}

/// `run.json`: short text fields, a SHA-256 in hex, a wall time and a thread count that a
/// run could have had.
pub fn check_meta(m: &RunMeta) -> Check {
    let short = |field: &str, text: &str| {
        if text.len() > 64 || text.chars().any(char::is_control) {
            return Err(damaged(
                field,
                "is not the short one-line text a run writes",
            ));
        }
        Ok(())
    };
    short("corridor_version", &m.corridor_version)?;
    short("started_utc", &m.started_utc)?;
    let hex =
        m.scenario_sha256.len() == 64 && m.scenario_sha256.bytes().all(|b| b.is_ascii_hexdigit());
    if !hex {
        return Err(damaged("scenario_sha256", "is not a SHA-256 in hex"));
    }
    non_negative(|| "wall_seconds".into(), m.wall_seconds)?;
    if !(1..=1024).contains(&m.threads) {
        return Err(damaged(
            "threads",
            format!("{} is not a thread count (1 to 1024)", m.threads),
        ));
    }
    Ok(())
}

/// `results.json`'s bytes, parsed and checked against `scenario`: what `chart` reads, and
/// what the fuzz target `results` feeds arbitrary bytes to.
pub fn parse_results(
    bytes: &[u8],
    scenario: &crate::Scenario,
) -> Result<crate::report::RunResults, String> {
    let results = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
    check_results(&results, scenario).map_err(|d| format!("{}: {}", d.field, d.message))?;
    Ok(results)
}

/// `run.json`'s bytes, parsed and checked (the fuzz target `run_meta`).
pub fn parse_meta(bytes: &[u8]) -> Result<RunMeta, String> {
    let meta = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
    check_meta(&meta).map_err(|d| format!("{}: {}", d.field, d.message))?;
    Ok(meta)
}

/// A shard's tally from `partial.json`'s bytes, parsed and checked against `model` for
/// the trials the file says the shard ran (the fuzz target `partial`).
pub fn parse_partial_tally(
    bytes: &[u8],
    model: &crate::sim::model::Model,
) -> Result<crate::shard::PartialResult, String> {
    let p: crate::shard::PartialResult =
        serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
    crate::shard::check_counts(&p)?;
    check_tally(&p.tally, model, p.shard_trials)
        .map_err(|d| format!("{}: {}", d.field, d.message))?;
    Ok(p)
}
