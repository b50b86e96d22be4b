//! The hidden staging folder an output is written into, and what tells a live one from one
//! left behind by a process that was killed (SIGKILL, a power cut) before it could clean up.
//!
//! Each staging folder `.<target>.partial-<id>` has a lock file beside it,
//! `.<target>.partial-<id>.lock`, made and locked before the folder and removed after it.
//! `<id>` is 16 random hex digits from the operating system, so no two processes share a
//! name, not even two containers on one volume that both run as PID 1. The lock is an OS
//! file lock (`flock` on Linux), which the kernel releases when its process ends however it
//! ends; so a folder whose lock can be taken has no live writer and may be removed, and one
//! whose lock cannot be taken is never touched. Where the file system has no locks, nothing
//! is ever removed. This module must not decide what goes in the folder.

use std::ffi::OsStr;
use std::fs::{File, OpenOptions, TryLockError};
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// A staging folder of this process, with its held lock.
#[derive(Debug)]
pub(super) struct Staging {
    pub dir: PathBuf,
    pub lock_path: PathBuf,
    /// Held open (and locked, where the file system can) for as long as the folder exists.
    lock: File,
    /// The folder itself, held open to find it again if a folder above it is renamed.
    handle: Option<File>,
}

/// `.<name>.partial-`: the start of the name of every staging folder of `<name>`.
fn prefix(name: &OsStr) -> String {
    format!(".{}.partial-", name.to_string_lossy())
}

const ID_LEN: usize = 16;

impl Staging {
    /// Makes a new staging folder for `name` in `parent`: lock file first, locked, then the
    /// folder. Errors are those of making files in `parent`.
    pub fn create(parent: &Path, name: &OsStr) -> std::io::Result<Staging> {
        loop {
            let base = format!("{}{}", prefix(name), unique_id());
            let lock_path = parent.join(format!("{base}.lock"));
            let lock = OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&lock_path)?;
            match lock.try_lock() {
                Ok(()) | Err(TryLockError::Error(_)) => {}
                // Nobody else can know this name yet; take another.
                Err(TryLockError::WouldBlock) => continue,
            }
            // Another process sweeping stale folders may have taken and removed the file
            // between its creation and the lock: then the lock guards nothing, start again.
            if !same_file(&lock, &lock_path) {
                continue;
            }
            let _ = std::io::Write::write_all(&mut &lock, owner_note().as_bytes());
            let dir = parent.join(&base);
            if let Err(e) = std::fs::create_dir(&dir) {
                let _ = std::fs::remove_file(&lock_path);
                return Err(e);
            }
            return Ok(Staging {
                handle: File::open(&dir).ok(),
                dir,
                lock_path,
                lock,
            });
        }
    }

    /// Removes the unfinished folder, wherever it is now, and then its lock file. Only for
    /// a folder that was never put in place: its handle would follow it there.
    pub fn remove(&self) {
        let _ = std::fs::remove_dir_all(self.current_dir());
        self.release();
    }

    /// Removes the lock file, once the folder has been moved into place (or kept elsewhere).
    pub fn release(&self) {
        let lock = current_path(&self.lock).unwrap_or_else(|| self.lock_path.clone());
        let _ = std::fs::remove_file(lock);
    }

    /// Where the folder is now. A command whose output goes inside another's (a
    /// criticality analysis in a run's folder) may see that folder moved aside by a new
    /// run while it works; its staging folder moved with it, and is found where it went.
    pub fn current_dir(&self) -> PathBuf {
        self.handle
            .as_ref()
            .and_then(current_path)
            .unwrap_or_else(|| self.dir.clone())
    }

    /// What a second signal removes: the folder, then its lock file.
    pub fn leftovers(&self) -> Vec<PathBuf> {
        vec![self.dir.clone(), self.lock_path.clone()]
    }
}

/// Removes every staging folder of `name` in `parent` that no live process holds, with its
/// lock file. Returns the folders removed.
pub(super) fn sweep_stale(parent: &Path, name: &OsStr) -> Vec<PathBuf> {
    let prefix = prefix(name);
    let Ok(entries) = std::fs::read_dir(parent) else {
        return Vec::new();
    };
    let mut removed = Vec::new();
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = file_name.strip_prefix(&prefix) else {
            continue;
        };
        let id = rest.strip_suffix(".lock").unwrap_or(rest);
        if id.len() != ID_LEN || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
            // Not one of ours: an older corridor's `partial-<pid>` cannot be told dead.
            continue;
        }
        let dir = parent.join(format!("{prefix}{id}"));
        let lock_path = parent.join(format!("{prefix}{id}.lock"));
        match File::open(&lock_path) {
            // If the lock can be taken, its writer is gone: the kernel let go of it. If not,
            // the writer is alive, or the file system has no locks: leave it.
            Ok(lock) => {
                if lock.try_lock().is_ok() {
                    if std::fs::remove_dir_all(&dir).is_ok() {
                        removed.push(dir);
                    }
                    let _ = std::fs::remove_file(&lock_path);
                }
            }
            // A folder whose lock file is gone: a writer removes its folder before its lock
            // file, so this one's writer is gone too.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if dir.is_dir() && std::fs::remove_dir_all(&dir).is_ok() {
                    removed.push(dir);
                }
            }
            Err(_) => {}
        }
    }
    removed
}

/// Whether `name` is a staging folder or lock file (of any target): hidden files of ours,
/// which do not make a folder "hold other files".
pub(super) fn is_staging_name(name: &OsStr) -> bool {
    let name = name.to_string_lossy();
    name.starts_with('.') && name.contains(".partial-")
}

/// Where an open file or folder is now, where the system says (Linux's `/proc`).
#[cfg(unix)]
fn current_path(file: &File) -> Option<PathBuf> {
    use std::os::fd::AsRawFd as _;
    let path = std::fs::read_link(format!("/proc/self/fd/{}", file.as_raw_fd())).ok()?;
    (path.is_absolute() && path.exists()).then_some(path)
}

#[cfg(not(unix))]
fn current_path(_file: &File) -> Option<PathBuf> {
    None
}

/// Whether the open `file` is still the file at `path` (not removed or replaced).
#[cfg(unix)]
fn same_file(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt as _;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_file: &File, path: &Path) -> bool {
    path.exists()
}

/// Who holds a lock, for a person who finds the file: the process id, the host and when.
fn owner_note() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .or_else(|_| std::fs::read_to_string("/etc/hostname"))
        .unwrap_or_default();
    format!(
        "corridor {} pid {} on {} since {}\n",
        env!("CARGO_PKG_VERSION"),
        std::process::id(),
        host.trim(),
        crate::report::meta::utc_timestamp(std::time::SystemTime::now())
    )
}

/// 16 hex digits no other process will draw: 8 bytes from the operating system's random
/// source, or, where there is none, a hash of what tells this moment and process apart.
pub fn unique_id() -> String {
    let mut bytes = [0u8; 8];
    let random = File::open("/dev/urandom").and_then(|mut f| f.read_exact(&mut bytes));
    if random.is_err() {
        bytes = fallback_id();
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn fallback_id() -> [u8; 8] {
    use sha2::{Digest, Sha256};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let host = std::fs::read_to_string("/etc/hostname").unwrap_or_default();
    let local = 0u8;
    let text = format!(
        "{} {now} {} {host} {:p} {:?}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed),
        &local,
        std::thread::current().id()
    );
    let digest = Sha256::digest(text.as_bytes());
    let mut out = [0u8; 8];
    out.copy_from_slice(&digest[..8]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_differ_and_look_alike() {
        let (a, b) = (unique_id(), unique_id());
        assert_ne!(a, b);
        assert_eq!(a.len(), ID_LEN);
        let f = fallback_id();
        assert_ne!(f, fallback_id());
    }

    #[test]
    fn a_live_staging_folder_is_kept_and_a_dead_one_removed() {
        let tmp = tempfile::tempdir().unwrap();
        let name = OsStr::new("run");
        let live = Staging::create(tmp.path(), name).unwrap();
        // A dead one: its lock file exists but nobody holds it.
        let dead = tmp.path().join(".run.partial-0123456789abcdef");
        std::fs::create_dir(&dead).unwrap();
        std::fs::write(dead.join("x"), "x").unwrap();
        std::fs::write(tmp.path().join(".run.partial-0123456789abcdef.lock"), "").unwrap();
        // An orphan folder whose lock file is gone, and an old corridor's, left alone.
        let orphan = tmp.path().join(".run.partial-fedcba9876543210");
        std::fs::create_dir(&orphan).unwrap();
        let old = tmp.path().join(".run.partial-1234");
        std::fs::create_dir(&old).unwrap();
        let mut removed = sweep_stale(tmp.path(), name);
        removed.sort();
        let locks_work = live.dir.is_dir() && !removed.contains(&live.dir);
        assert!(locks_work, "a live folder was removed");
        assert!(removed.contains(&orphan) && !orphan.exists());
        assert!(old.exists());
        let held = File::open(&live.lock_path).unwrap().try_lock();
        if matches!(held, Err(TryLockError::WouldBlock)) {
            // A file system with locks: the dead folder and its lock file are gone.
            assert!(removed.contains(&dead) && !dead.exists());
            assert!(
                !tmp.path()
                    .join(".run.partial-0123456789abcdef.lock")
                    .exists()
            );
        }
        live.remove();
        assert!(!live.dir.exists() && !live.lock_path.exists());
    }
}
