//! Reading a file the user names, or one the tool wrote and now reads back (a run's
//! `results.json` and `run.json`, a shard's `partial.json`): refused before a byte is read
//! if it is not a regular file (a folder, a device such as `/dev/zero`, a pipe that would
//! block) or is larger than the caller's limit, so that a wrong or hostile path can neither
//! hang the tool nor fill its memory. It must not parse anything: what the bytes mean is
//! the caller's business.

use std::io::Read as _;
use std::path::Path;

use crate::error::InputError;

/// The largest `results.json` or `partial.json` read back. A run's results grow with the
/// horizon, the streams and the network, and stay far below this on any scenario the
/// limits accept; a bigger file is not one of ours.
pub const MAX_RESULTS_BYTES: u64 = 1 << 30;

/// The largest `run.json` read back: it holds a few short fields.
pub const MAX_META_BYTES: u64 = 1 << 20;

/// Reads the file at `path` whole. `what` names it in messages ("scenario", "results");
/// `max_bytes` is the most it may hold. Missing, unreadable, oversized and non-regular
/// files are bad input with a message that says which.
pub fn read_bounded(path: &Path, what: &str, max_bytes: u64) -> Result<Vec<u8>, InputError> {
    let origin = path.display().to_string();
    let fail = |message: String| InputError::new(origin.clone(), message);
    let cannot_read =
        |e: std::io::Error| fail(format!("cannot read the {what} file: {}", io_reason(&e)));
    // The path's own metadata first: opening a pipe would block until someone writes to it.
    let meta = std::fs::metadata(path).map_err(cannot_read)?;
    check_kind(&meta, what, max_bytes).map_err(fail)?;
    let file = std::fs::File::open(path).map_err(cannot_read)?;
    // And the opened file's, in case the path was swapped in between.
    let meta = file.metadata().map_err(cannot_read)?;
    check_kind(&meta, what, max_bytes).map_err(fail)?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(max_bytes + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot_read)?;
    if bytes.len() as u64 > max_bytes {
        return Err(fail(format!(
            "is too large for a {what} file (more than {}); is it the right file?",
            megabytes(max_bytes)
        )));
    }
    Ok(bytes)
}

/// A regular file no larger than `max_bytes`, or why not.
fn check_kind(meta: &std::fs::Metadata, what: &str, max_bytes: u64) -> Result<(), String> {
    if meta.is_dir() {
        return Err(format!("is a folder, not a {what} file"));
    }
    if !meta.is_file() {
        return Err(format!(
            "is not a regular file (a device or a pipe?), so it cannot be a {what} file"
        ));
    }
    if meta.len() > max_bytes {
        return Err(format!(
            "is {}, too large for a {what} file (at most {}); is it the right file?",
            megabytes(meta.len()),
            megabytes(max_bytes)
        ));
    }
    Ok(())
}

/// `64 MB` in whole mebibytes, as the limits are set, or `12 bytes` below one.
fn megabytes(bytes: u64) -> String {
    if bytes < 1024 * 1024 {
        format!("{bytes} bytes")
    } else {
        format!("{} MB", bytes / (1024 * 1024))
    }
}

/// The reason of an I/O error without Rust's `(os error N)` suffix.
pub fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => {
            let text = e.to_string();
            text.split(" (os error").next().unwrap_or(&text).to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_regular_files_within_the_limit_are_read() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("f.json");
        std::fs::write(&file, "12345").unwrap();
        assert_eq!(read_bounded(&file, "results", 5).unwrap(), b"12345");
        let message = |p: &Path, max| read_bounded(p, "results", max).unwrap_err().message;
        assert_eq!(
            message(&file, 4),
            "is 5 bytes, too large for a results file (at most 4 bytes); is it the right file?"
        );
        assert_eq!(message(tmp.path(), 5), "is a folder, not a results file");
        assert_eq!(
            message(&tmp.path().join("none"), 5),
            "cannot read the results file: no such file"
        );
        if Path::new("/dev/zero").exists() {
            assert!(message(Path::new("/dev/zero"), 5).starts_with("is not a regular file"));
        }
    }
}
