//! The output folders of every command that writes one, through the real binary: a folder
//! of the user's own files, the root folder and an unwritable place are refused before any
//! trial; an earlier result is moved aside whole, never mixed with the new one; two
//! processes writing into one folder at once both keep their result, even as PID 1 of two
//! containers; a folder left by a killed run is removed by the next one; and a full disk
//! leaves nothing behind.

use crate::binary::*;
use crate::common::fixture;

/// Every command that writes a folder, with small work, writing into `--out <out>`.
fn commands(out: &str) -> Vec<Vec<String>> {
    let dwell = fixture("examples/dwell.toml").display().to_string();
    let closure = fixture("examples/closure.toml").display().to_string();
    let base = |args: &[&str]| -> Vec<String> {
        args.iter()
            .map(|s| s.to_string())
            .chain(["--out".to_string(), out.to_string(), "-q".to_string()])
            .collect()
    };
    vec![
        base(&["run", &dwell, "--trials", "20"]),
        base(&["compare", &dwell, &closure, "--trials", "20"]),
        base(&["criticality", &dwell, "--trials", "20"]),
        base(&[
            "sweep",
            &dwell,
            "--set",
            "horizon_days=10,20",
            "--trials",
            "20",
        ]),
    ]
}

fn args(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

#[test]
fn unusable_output_folders_are_refused_before_any_trial() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join("mine")).unwrap();
    std::fs::write(tmp.path().join("mine/notes.txt"), "my notes").unwrap();
    std::fs::write(tmp.path().join("file.txt"), "x").unwrap();
    let before = names(tmp.path());
    for (out, expected) in [
        (
            "mine",
            "the folder holds files that are not from a corridor run",
        ),
        ("/", "is the current folder or holds it"),
        ("..", "is the current folder or holds it"),
        ("out/..", "is not a folder name"),
        ("file.txt", "is a file, not a folder"),
        ("/proc/corridor-out", "cannot make a folder in /proc"),
    ] {
        for mut command in commands(out) {
            // A billion trials: had the check come after the first trial, this would hang.
            let n = command.iter().position(|a| a == "--trials").unwrap();
            command[n + 1] = "1000000000".into();
            let o = corridor(&args(&command), tmp.path());
            let err = stderr(&o);
            assert_eq!(o.status.code(), Some(2), "{command:?}: {err}");
            assert!(err.contains(expected), "{command:?}: {err}");
            assert_eq!(err.lines().count(), 1, "{err}");
        }
    }
    assert_eq!(names(tmp.path()), before);
    assert_eq!(names(&tmp.path().join("mine")), ["notes.txt"]);
}

#[test]
fn an_earlier_analysis_is_moved_aside_whole_not_mixed_with_the_new_one() {
    let tmp = tempfile::tempdir().unwrap();
    let dwell = fixture("examples/dwell.toml").display().to_string();
    let grid = [
        "sweep",
        &dwell,
        "--grid",
        "--set",
        "horizon_days=10,20",
        "--set",
        "sink.initial_stock_litres=0,1e6",
        "--trials",
        "10",
        "--out",
        "out",
    ];
    ok(corridor(&grid, tmp.path()));
    let grid_files = names(&tmp.path().join("out"));
    assert!(
        grid_files.contains(&"grid.json".to_string()),
        "{grid_files:?}"
    );
    let o = ok(corridor(
        &[
            "sweep",
            &dwell,
            "--set",
            "horizon_days=10,20",
            "--trials",
            "10",
            "--out",
            "out",
        ],
        tmp.path(),
    ));
    let listing = names(tmp.path());
    assert_eq!(listing.len(), 2, "{listing:?}");
    let aside = &listing[1];
    assert!(
        stdout(&o).contains(&format!("moved to {aside}")),
        "{}",
        stdout(&o)
    );
    assert_eq!(names(&tmp.path().join(aside)), grid_files);
    let new = names(&tmp.path().join("out"));
    assert!(new.contains(&"sweep.json".to_string()) && !new.contains(&"grid.json".to_string()));
}

/// Two processes started together into one folder: both succeed, one result is in the
/// folder and the other moved aside beside it, both whole, and nothing hidden is left.
fn both_results_are_kept(prefix: &[&str]) {
    for command in commands("shared") {
        let tmp = tempfile::tempdir().unwrap();
        let full: Vec<&str> = prefix.iter().copied().chain(args(&command)).collect();
        let (program, rest) = full.split_first().unwrap();
        let start = || {
            std::process::Command::new(program)
                .args(rest)
                .current_dir(tmp.path())
                .output()
                .unwrap()
        };
        let (a, b) = std::thread::scope(|s| {
            let a = s.spawn(start);
            let b = s.spawn(start);
            (a.join().unwrap(), b.join().unwrap())
        });
        ok(a);
        ok(b);
        let listing = names(tmp.path());
        assert_eq!(listing.len(), 2, "{command:?}: {listing:?}");
        assert!(listing[1].starts_with("shared.20"), "{listing:?}");
        assert_eq!(
            names(&tmp.path().join(&listing[0])),
            names(&tmp.path().join(&listing[1])),
            "{command:?}"
        );
    }
}

#[test]
fn two_processes_writing_one_folder_at_once_both_keep_their_result() {
    both_results_are_kept(&[env!("CARGO_BIN_EXE_corridor")]);
}

#[cfg(target_os = "linux")]
#[test]
fn two_containers_both_running_as_pid_1_keep_their_results() {
    // A PID namespace each, as two containers sharing a volume have: both are PID 1.
    let unshare = std::process::Command::new("unshare")
        .args(["--pid", "--fork", "true"])
        .status();
    if !unshare.is_ok_and(|s| s.success()) {
        eprintln!("skipped: cannot make PID namespaces here (needs unshare and root)");
        return;
    }
    both_results_are_kept(&["unshare", "--pid", "--fork", env!("CARGO_BIN_EXE_corridor")]);
}

#[cfg(unix)]
#[test]
fn the_folder_of_a_killed_run_is_removed_by_the_next_run_into_that_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let long = [
        "run",
        "--trials",
        "100000000",
        "--threads",
        "1",
        "--out",
        "out",
    ];
    let mut killed = spawn(&long, tmp.path());
    wait_until_working(tmp.path(), &mut killed);
    signal(&killed, "KILL");
    let _ = killed.wait();
    let dead = hidden(tmp.path());
    assert_eq!(dead.len(), 2, "a folder and its lock file: {dead:?}");
    // The next run into that folder sweeps the dead one away...
    let mut live = spawn(&long, tmp.path());
    wait_until_working(tmp.path(), &mut live);
    let working = hidden(tmp.path());
    assert_eq!(working.len(), 2, "{working:?}");
    assert!(
        dead.iter().all(|n| !working.contains(n)),
        "{dead:?} {working:?}"
    );
    // ... and a run beside a live one leaves the live one alone.
    let o = ok(corridor(
        &["run", "--trials", "10", "--out", "out"],
        tmp.path(),
    ));
    assert!(!stderr(&o).contains("note: removed"), "{}", stderr(&o));
    assert_eq!(hidden(tmp.path()), working);
    signal(&live, "KILL");
    let o = live.wait_with_output().unwrap();
    let err = stderr(&o);
    assert!(
        err.contains(&dead[0]) && err.contains("the unfinished folder of a run that was killed"),
        "{err}"
    );
}

#[test]
fn a_full_disk_leaves_the_earlier_result_whole_and_nothing_hidden() {
    let Some(disk) = SmallDisk::mount(32) else {
        return;
    };
    let out = disk.path.join("out");
    let out = out.to_str().unwrap();
    for command in commands(out) {
        // The earlier result: a marker the command would move aside, were it to finish.
        std::fs::create_dir_all(disk.path.join("out")).unwrap();
        let marker = match command[0].as_str() {
            "run" => "summary.json".to_string(),
            other => format!("{other}.json"),
        };
        std::fs::write(disk.path.join("out").join(&marker), "earlier").unwrap();
        // PNG charts, to be sure an analysis's files overflow the disk too.
        let mut command = command.clone();
        if command[0] != "run" {
            command.extend(["--format".to_string(), "png".to_string()]);
        }
        let o = corridor(&args(&command), disk.path.parent().unwrap());
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{command:?}: {err}");
        assert!(
            err.contains("No space left on device"),
            "{command:?}: {err}"
        );
        assert_eq!(names(&disk.path), ["out"], "{command:?}");
        assert_eq!(names(&disk.path.join("out")), [marker], "{command:?}");
        std::fs::remove_dir_all(disk.path.join("out")).unwrap();
    }
}
