//! Helpers for the tests that drive the real binary as a user would: run it (killed if it
//! hangs, so that a regression fails its test instead of blocking the suite), start a long
//! command and signal it, list what it left in a folder, and mount a small tmpfs to fill.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Longer than any command here should take: only a hang reaches it.
const HANG: Duration = Duration::from_secs(180);

/// Runs `corridor args` in `dir` and returns what it printed.
pub fn corridor(args: &[&str], dir: &Path) -> Output {
    wait(spawn(args, dir), args)
}

/// Starts `corridor args` in `dir`, its output piped.
pub fn spawn(args: &[&str], dir: &Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_corridor"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs")
}

/// Waits for a child, killing it (and failing) if it hangs.
pub fn wait(mut child: Child, what: &[&str]) -> Output {
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > HANG {
            let _ = child.kill();
            panic!("corridor {what:?} hung");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Asserts a success and returns the output.
pub fn ok(o: Output) -> Output {
    assert!(o.status.success(), "{}", stderr(&o));
    o
}

/// Names in `dir`, sorted (none if it does not exist).
pub fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|d| {
            d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// Hidden staging folders and lock files in `dir`.
pub fn hidden(dir: &Path) -> Vec<String> {
    names(dir)
        .into_iter()
        .filter(|n| n.starts_with('.') && n.contains(".partial-"))
        .collect()
}

/// Waits until `dir` holds a staging folder (the command has checked its input and is at
/// work), then a little longer, so that a signal lands mid-run.
pub fn wait_until_working(dir: &Path, child: &mut Child) {
    let started = Instant::now();
    while !hidden(dir).iter().any(|n| !n.ends_with(".lock")) {
        if let Some(status) = child.try_wait().unwrap() {
            panic!("the command ended before it started working: {status}");
        }
        assert!(started.elapsed() < HANG, "the command did not start");
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(300));
}

#[cfg(unix)]
pub fn signal(child: &Child, name: &str) {
    let ok = Command::new("kill")
        .args([&format!("-{name}"), &child.id().to_string()])
        .status()
        .unwrap()
        .success();
    assert!(ok, "kill -{name}");
}

/// A small tmpfs mounted at a fresh folder, unmounted when dropped: a disk that fills up.
/// `None` where this machine does not let the tests mount one (not root, no privilege).
pub struct SmallDisk {
    pub path: PathBuf,
    _parent: tempfile::TempDir,
}

impl SmallDisk {
    pub fn mount(kilobytes: u32) -> Option<SmallDisk> {
        let parent = tempfile::tempdir().unwrap();
        let path = parent.path().join("disk");
        std::fs::create_dir(&path).unwrap();
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={kilobytes}k"), "tmpfs"])
            .arg(&path)
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !mounted {
            eprintln!("skipped: cannot mount a tmpfs here (needs root)");
            return None;
        }
        Some(SmallDisk {
            path,
            _parent: parent,
        })
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.path).status();
    }
}
