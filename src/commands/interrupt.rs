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

/// What a second signal removes: the unfinished output folder and its lock file. Held
/// locked while a folder is being written and moved into place, so that a second signal
/// waits for the move to finish.
static UNFINISHED: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn unfinished() -> MutexGuard<'static, Vec<PathBuf>> {
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
    let leftovers = unfinished();
    if leftovers.is_empty() {
        super::print_err("error: interrupted again: stopped at once");
    } else {
        for path in leftovers.iter() {
            let _ = std::fs::remove_dir_all(path).or_else(|_| std::fs::remove_file(path));
        }
        super::print_err("error: interrupted again: stopped at once; nothing was written");
    }
    std::process::exit(130);
}

/// Names what a second signal removes (nothing, once it is empty).
pub fn set_unfinished(paths: Vec<PathBuf>) {
    *unfinished() = paths;
}

/// Runs `f` (writing the folder and moving it into place, which takes milliseconds) with
/// a second signal held off until it is done, then forgets the unfinished folder. So a
/// second signal never removes a folder being written, nor races the run to exit.
pub fn uninterrupted<T>(f: impl FnOnce() -> T) -> T {
    let mut leftovers = unfinished();
    let result = f();
    leftovers.clear();
    result
}
