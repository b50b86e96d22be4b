//! `merge --per-trial FILE --per-trial-parts PART...`: the shards' per-trial files, each
//! of its own trials, joined into the file one run of every trial would have written, byte
//! for byte. The parts may be given in any order; they must cover the run's trials once
//! each, with no gap and no overlap.

use std::path::PathBuf;

use super::read::read_rows;
use super::{Groups, PerTrialFile, PerTrialFormat};
use crate::error::{Error, InputError, Result};

/// What stops the reading of a part: the first look, once it has the first trial; or a
/// signal.
const PEEKED: &str = "(first trial read)";

/// Joins `parts` into `out`, for a run of `trials` trials with `columns` and `metadata`.
pub fn merge_parts(
    parts: &[PathBuf],
    out: PerTrialFile,
    columns: &[String],
    metadata: &[(String, String)],
    trials: u64,
    stop: &std::sync::atomic::AtomicBool,
) -> Result<()> {
    let format = out.format();
    let part_error = |part: &PathBuf, msg: String| -> Error {
        InputError::new(part.display().to_string(), msg).into()
    };
    // Each part's first trial, to put them in order.
    let mut ordered = Vec::with_capacity(parts.len());
    for part in parts {
        if PerTrialFormat::of(part) != Some(format) {
            return Err(part_error(
                part,
                format!(
                    "a per-trial part must have the format of {} (the same extension)",
                    out.target().display()
                ),
            ));
        }
        let mut first = None;
        let mut peek = |t: &[i64], _: &[f64]| {
            first = t.first().copied();
            Err(PEEKED.to_string())
        };
        match read_rows(part, format, columns, metadata, &mut peek) {
            Err(e) if !e.message.ends_with(PEEKED) => return Err(e.into()),
            _ => {}
        }
        let first = first.ok_or_else(|| part_error(part, "holds no trial".into()))?;
        ordered.push((first, part));
    }
    ordered.sort();
    let mut groups = Groups::new(out.writer(columns, metadata)?, columns.len(), 0);
    for (_, part) in ordered {
        let mut push = |t: &[i64], rows: &[f64]| {
            if stop.load(std::sync::atomic::Ordering::SeqCst) {
                return Err(PEEKED.to_string());
            }
            let next = groups.next_trial();
            let consecutive = t
                .iter()
                .zip(next..)
                .all(|(&a, b)| u64::try_from(a) == Ok(b));
            if !consecutive || next + t.len() as u64 > trials {
                return Err(format!(
                    "its trials from {} do not follow trial {} of the parts before it (a part missing, given twice, or of another run?)",
                    t[0],
                    next as i64 - 1
                ));
            }
            groups
                .push(rows)
                .map_err(|e| format!("cannot write the merged file: {e}"))
        };
        match read_rows(part, format, columns, metadata, &mut push) {
            Err(e) if e.message.ends_with(PEEKED) => {
                return Err(Error::Stopped(
                    "nothing was written; the shards are as they were".into(),
                ));
            }
            other => other?,
        }
    }
    if groups.next_trial() != trials {
        return Err(InputError::flag(
            "--per-trial-parts",
            format!(
                "the parts hold trials 0 to {} of {trials}; a part is missing",
                groups.next_trial() as i64 - 1
            ),
        )
        .into());
    }
    groups
        .finish()
        .map_err(|e| Error::io("cannot write", out.target(), e))?;
    out.commit()
}
