//! The output folder of every command that writes one (`run`, `run --shard`, `merge`,
//! `compare`, `criticality`, `sweep`). It is written whole into a hidden staging folder
//! beside the target ([`OutputDir`], named and locked by `staging`), then renamed into
//! place, so that the folder a user sees always holds one whole result: the earlier one
//! until the new one is complete, then the new one. An earlier result there is first moved
//! to a sibling named after the time it was written, never overwritten or mixed with the new
//! one; a folder holding anything else is refused before any work starts, and never moved.
//! This module must not know what the files say: commands hand it bytes.

mod staging;

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

pub use staging::unique_id;

use crate::calendar::Date;
use crate::error::{Error, InputError, Result};
use crate::input_file::io_reason;

/// The files that mark a folder as a corridor result: a run's summary, a shard's partial
/// result, an analysis's JSON. A folder holding one may be moved aside by a new result.
pub const MARKERS: [&str; 6] = [
    "summary.json",
    crate::shard::PARTIAL_FILE,
    "compare.json",
    "criticality.json",
    "sweep.json",
    "grid.json",
];

/// A command's output folder while it is being written: a hidden sibling of the target,
/// made before the work starts (so that an unusable target is found at once), renamed into
/// place by [`OutputDir::commit`], and removed if it is dropped uncommitted (a failed write,
/// an interruption with nothing to show).
#[derive(Debug)]
pub struct OutputDir {
    target: PathBuf,
    staging: staging::Staging,
    /// Staging folders of runs that were killed, removed when this one was made.
    swept: Vec<PathBuf>,
    /// Folders above the target that `prepare` made, deepest first.
    created: Vec<PathBuf>,
    committed: bool,
}

impl OutputDir {
    /// Checks that `target` can take a result folder and makes the staging folder beside
    /// it, first removing any that a killed process left there. The target must be new, an
    /// empty folder, or one holding an earlier result; a folder of other files is left
    /// alone. Failures are bad input.
    pub fn prepare(target: &Path) -> Result<OutputDir, InputError> {
        let origin = target.display().to_string();
        let fail = |message: String| InputError::new(origin.clone(), message);
        if let Ok(cwd) = std::env::current_dir()
            && let Ok(real) = target.canonicalize()
            && cwd.starts_with(&real)
        {
            return Err(fail(
                "is the current folder or holds it, so it cannot be replaced by the output folder; give --out a new folder such as out/run1".to_string(),
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
                if entries.count() > 0 && !holds_results(target) {
                    return Err(fail(
                        "the folder holds files that are not from a corridor run (no summary.json or other result file), so it is left alone; give --out a new or empty folder".to_string(),
                    ));
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
        // The folders made for it, removed again if nothing is put in place.
        let created: Vec<PathBuf> = parent
            .ancestors()
            .take_while(|a| !a.as_os_str().is_empty() && std::fs::symlink_metadata(a).is_err())
            .map(Path::to_path_buf)
            .collect();
        let made = std::fs::create_dir_all(&parent).and_then(|()| {
            let swept = staging::sweep_stale(&parent, name);
            Ok((staging::Staging::create(&parent, name)?, swept))
        });
        let (staging, swept) = made.map_err(|e| {
            remove_empty(&created);
            cannot(e)
        })?;
        Ok(OutputDir {
            target: target.to_path_buf(),
            staging,
            swept,
            created,
            committed: false,
        })
    }

    /// Where the files are written until the commit.
    pub fn path(&self) -> &Path {
        &self.staging.dir
    }

    /// The folder the result ends up in.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// The hidden folders of killed runs that `prepare` removed.
    pub fn swept(&self) -> &[PathBuf] {
        &self.swept
    }

    /// What must go if the process stops at once: the staging folder and its lock file.
    pub fn leftovers(&self) -> Vec<PathBuf> {
        self.staging.leftovers()
    }

    /// Runs `write` on the staging folder. An error names a file by the path it will have,
    /// not by the hidden folder's.
    pub fn write(&self, write: impl FnOnce(&Path) -> Result<()>) -> Result<()> {
        write(&self.staging.dir).map_err(|e| match e {
            Error::Io {
                action,
                path,
                cause,
            } => Error::Io {
                action,
                path: match path.strip_prefix(&self.staging.dir) {
                    Ok(file) => self.target.join(file),
                    Err(_) => path,
                },
                cause,
            },
            other => other,
        })
    }

    /// Moves the finished folder into place. An earlier result there is first moved to a
    /// sibling named after when it was written (`name.2026-05-20T061500Z`), which is
    /// returned. Another process finishing into the same target at the same moment is
    /// moved aside in turn, so neither result is lost. If the folder cannot be put in place,
    /// the earlier result is put back, and the error says where the new one is.
    pub fn commit(mut self) -> Result<Option<PathBuf>> {
        let mut earlier = None;
        let mut failure = None;
        for _ in 0..100 {
            match self.swap(&mut earlier) {
                Ok(true) => {
                    self.committed = true;
                    self.staging.release();
                    return Ok(earlier);
                }
                Ok(false) => continue,
                Err(e) => {
                    failure = Some(e);
                    break;
                }
            }
        }
        if let Some(aside) = &earlier {
            let _ = std::fs::rename(aside, &self.target);
        }
        let why = failure.map_or_else(
            || "other processes kept writing into it".to_string(),
            |e| e.to_string(),
        );
        // Complete results are not left in a hidden folder a later run would sweep away.
        let kept = free_sibling(&self.target, &stamp(std::time::SystemTime::now()));
        let written = self.staging.current_dir();
        let kept = match std::fs::rename(&written, &kept) {
            Ok(()) => {
                // No longer hidden, so no longer a lock's business.
                self.staging.release();
                kept
            }
            // Left where it is: if nothing can be renamed in this folder, nothing can be
            // removed from it either, so a later sweep will not take it.
            Err(_) => written,
        };
        self.committed = true;
        Err(Error::Other(format!(
            "cannot put the output folder in place at {}: {why}; its files are complete in {}",
            self.target.display(),
            kept.display()
        )))
    }

    /// One attempt at the swap. `Ok(false)`: another process changed the target meanwhile.
    fn swap(&self, earlier: &mut Option<PathBuf>) -> std::io::Result<bool> {
        use std::io::ErrorKind::{AlreadyExists, DirectoryNotEmpty, NotFound};
        let raced =
            |e: &std::io::Error| matches!(e.kind(), NotFound | DirectoryNotEmpty | AlreadyExists);
        if let Ok(meta) = std::fs::symlink_metadata(&self.target) {
            let empty = meta.is_dir()
                && std::fs::read_dir(&self.target).is_ok_and(|mut d| d.next().is_none());
            if empty {
                match std::fs::remove_dir(&self.target) {
                    Err(e) if raced(&e) => return Ok(false),
                    other => other?,
                }
            } else if meta.is_file() || (meta.is_dir() && !holds_results(&self.target)) {
                // Put there while the command worked: the user's, so left alone.
                return Err(std::io::Error::other(
                    "it now holds files that are not from a corridor run, which are left alone",
                ));
            } else {
                let aside = free_sibling(&self.target, &written_stamp(&self.target));
                match std::fs::rename(&self.target, &aside) {
                    Err(e) if raced(&e) => return Ok(false),
                    other => other?,
                }
                // The first result moved aside is the one this command found there; any
                // later one is another process's, moved aside just the same.
                earlier.get_or_insert(aside);
            }
        }
        let from = self.staging.current_dir();
        match std::fs::rename(&from, &self.target) {
            Ok(()) => Ok(true),
            Err(e) if matches!(e.kind(), DirectoryNotEmpty | AlreadyExists) => Ok(false),
            Err(e) => Err(e),
        }
    }
}

impl Drop for OutputDir {
    fn drop(&mut self) {
        if !self.committed {
            self.staging.remove();
            remove_empty(&self.created);
        }
    }
}

/// Removes `dirs` (deepest first) while they are empty: what a command that wrote nothing
/// had made.
fn remove_empty(dirs: &[PathBuf]) {
    for dir in dirs {
        if std::fs::remove_dir(dir).is_err() {
            break;
        }
    }
}

/// Whether `dir` holds a corridor result: a marker file, or nothing but folders that hold
/// one (a run's folder with only its `criticality/` left in it) and hidden staging folders.
fn holds_results(dir: &Path) -> bool {
    let marked = |d: &Path| MARKERS.iter().any(|m| d.join(m).is_file());
    if marked(dir) {
        return true;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    let mut any = false;
    for entry in entries {
        let Ok(entry) = entry else { return false };
        if staging::is_staging_name(&entry.file_name()) {
            any = true;
            continue;
        }
        let path = entry.path();
        if !(path.is_dir() && marked(&path)) {
            return false;
        }
        any = true;
    }
    any
}

/// The UTC time the result in `dir` was written: its marker's, else the folder's.
fn written_stamp(dir: &Path) -> String {
    let written = MARKERS
        .iter()
        .find_map(|m| std::fs::metadata(dir.join(m)).ok())
        .or_else(|| std::fs::symlink_metadata(dir).ok())
        .and_then(|m| m.modified().ok())
        .unwrap_or_else(std::time::SystemTime::now);
    stamp(written)
}

/// `2026-05-20T061500Z`.
fn stamp(t: std::time::SystemTime) -> String {
    let secs = t
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs()) as i64;
    let (day, time) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    format!(
        "{}T{:02}{:02}{:02}Z",
        Date(0).plus_days(day),
        time / 3600,
        time / 60 % 60,
        time % 60
    )
}

/// A free sibling of `target` named `<name>.<stamp>`, or `<name>.<stamp>-2`, ...
fn free_sibling(target: &Path, stamp: &str) -> PathBuf {
    let name = target
        .file_name()
        .map(OsStr::to_string_lossy)
        .unwrap_or_default();
    (1..)
        .map(|k| {
            let suffix = if k == 1 {
                String::new()
            } else {
                format!("-{k}")
            };
            target.with_file_name(format!("{name}.{stamp}{suffix}"))
        })
        .find(|p| std::fs::symlink_metadata(p).is_err())
        .expect("some suffix is free")
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

#[cfg(test)]
mod tests;
