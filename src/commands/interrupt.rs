//! Ctrl-C, SIGTERM and SIGHUP during a run. The first signal sets [`STOP`]: the workers
//! finish the trial in hand and the run writes what it has, marked as interrupted. A second
//! signal stops at once: it removes the run's unfinished folder (never one in use) and exits
//! with code 130, leaving any earlier result untouched.
//!
//! The handler is `ctrlc`'s: it runs on a thread of its own, not in signal context, so it
//! may take a lock and remove files; and it covers Windows' Ctrl-C and console close too.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard, Once};

/// Set by the first signal: a run stops after the trials in progress.
pub static STOP: AtomicBool = AtomicBool::new(false);

/// The unfinished output folder a second signal removes. Held locked while a run's folder
/// is being moved into place, so that a second signal waits for the move to finish.
static UNFINISHED: Mutex<Option<PathBuf>> = Mutex::new(None);

fn unfinished() -> MutexGuard<'static, Option<PathBuf>> {
    UNFINISHED
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Installs the handler (once per process) and clears `STOP` for a new run.
pub fn install() {
    static INSTALL: Once = Once::new();
    STOP.store(false, Ordering::SeqCst);
    INSTALL.call_once(|| {
        // Fails only if the embedding program has its own handler; then it decides.
        let _ = ctrlc::set_handler(on_signal);
    });
}

fn on_signal() {
    if !STOP.swap(true, Ordering::SeqCst) {
        super::print_err(
            "\nstopping after the trials in progress; the partial result will be marked \"interrupted\" (interrupt again to stop at once, writing nothing)",
        );
        return;
    }
    let folder = unfinished();
    match folder.as_ref() {
        Some(path) => {
            let _ = std::fs::remove_dir_all(path);
            super::print_err("error: interrupted again: stopped at once; nothing was written");
        }
        None => super::print_err("error: interrupted again: stopped at once"),
    }
    std::process::exit(130);
}

/// Names the unfinished folder a second signal removes (`None` once there is none).
pub fn set_unfinished(path: Option<PathBuf>) {
    *unfinished() = path;
}

/// Runs `f` (writing the folder and moving it into place, which takes milliseconds) with
/// a second signal held off until it is done, then forgets the unfinished folder. So a
/// second signal never removes a folder being written, nor races the run to exit.
pub fn uninterrupted<T>(f: impl FnOnce() -> T) -> T {
    let mut folder = unfinished();
    let result = f();
    *folder = None;
    result
}
