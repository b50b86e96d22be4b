//! Ctrl-C, SIGTERM and SIGHUP, the same way in every command. The first signal sets
//! [`STOP`] and says what will happen: a command at its trials finishes the trial in hand
//! and writes what it has, marked as interrupted ([`Promise::Partial`]); any other stops at
//! its next step and writes nothing ([`Promise::Nothing`]). A second signal stops at once:
//! it removes the command's unfinished folder and its lock file (never a folder in use)
//! and exits with code 130, leaving any earlier result untouched. This module must not
//! decide what a command writes; it only tells it to stop.
//!
//! The handler is `ctrlc`'s: it runs on a thread of its own, not in signal context, so it
//! may take a lock and remove files; and it covers Windows' Ctrl-C and console close too.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::sync::{Mutex, MutexGuard, Once};

/// Set by the first signal: stop soon.
pub static STOP: AtomicBool = AtomicBool::new(false);

/// What the first signal leads to, which its message tells the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Promise {
    /// The trials done so far are written, marked "interrupted".
    Partial = 0,
    /// Nothing (more) is written.
    Nothing = 1,
}

static PROMISE: AtomicU8 = AtomicU8::new(Promise::Nothing as u8);

/// What a second signal removes: the unfinished output folder and its lock file. Held
/// locked while a folder is being written and moved into place, so that a second signal
/// waits for the move to finish.
static UNFINISHED: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn unfinished() -> MutexGuard<'static, Vec<PathBuf>> {
    UNFINISHED
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Installs the handler (once per process), clears `STOP` for a new command and sets what
/// the first signal promises.
pub fn install(promise: Promise) {
    static INSTALL: Once = Once::new();
    STOP.store(false, Ordering::SeqCst);
    PROMISE.store(promise as u8, Ordering::SeqCst);
    INSTALL.call_once(|| {
        // Fails only if the embedding program has its own handler; then it decides.
        let _ = ctrlc::set_handler(on_signal);
    });
}

/// Whether a signal has asked the command to stop.
pub fn stopped() -> bool {
    STOP.load(Ordering::SeqCst)
}

fn on_signal() {
    if !STOP.swap(true, Ordering::SeqCst) {
        super::print_err(
            if PROMISE.load(Ordering::SeqCst) == Promise::Partial as u8 {
                "\nstopping after the trials in progress; the partial result will be marked \"interrupted\" (interrupt again to stop at once, writing nothing)"
            } else {
                "\nstopping; nothing more will be written (interrupt again to stop at once)"
            },
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
/// second signal never removes a folder being written, nor races the command to exit.
pub fn uninterrupted<T>(f: impl FnOnce() -> T) -> T {
    let mut leftovers = unfinished();
    let result = f();
    leftovers.clear();
    result
}

/// Runs `f` (a rename, say) with a second signal held off until it is done, keeping what
/// a second signal removes afterwards (the output folder still being written).
pub fn uninterrupted_keeping<T>(f: impl FnOnce() -> T) -> T {
    let _leftovers = unfinished();
    f()
}
