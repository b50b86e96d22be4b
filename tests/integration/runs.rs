//! A run under stress, through the real binary: bad flags and output folders, runs too big
//! to finish, re-running into a folder, a write that fails half way, and Ctrl-C or SIGTERM
//! in the middle of a run. No result is ever half-written or lost.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

fn corridor(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_corridor"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the binary runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Names in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn summary(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("summary.json")).unwrap()).unwrap()
}

/// What a run's folder holds (with its charts, the default).
const FILES: [&str; 10] = [
    "charts",
    "daily.csv",
    "edges.csv",
    "report.html",
    "results.json",
    "run.json",
    "scenario.toml",
    "sinks.csv",
    "streams.csv",
    "summary.json",
];

#[test]
fn bad_flags_and_output_folders_get_one_message_and_exit_code_2() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("file.txt"), "not a folder").unwrap();
    std::fs::create_dir(tmp.path().join("mine")).unwrap();
    std::fs::write(tmp.path().join("mine/notes.txt"), "my notes").unwrap();
    let before = names(tmp.path());
    let cases: &[(&str, &[&str])] = &[
        ("no trials", &["--trials", "0"]),
        ("negative trials", &["--trials", "-5"]),
        ("trials in scientific notation", &["--trials", "1e6"]),
        (
            "more trials than a run can count",
            &["--trials", "10000000000000"],
        ),
        ("no threads", &["--threads", "0"]),
        ("thousands of threads", &["--threads", "5000"]),
        ("a seed that is not a number", &["--seed", "x"]),
        ("a negative seed", &["--seed", "-1"]),
        ("a seed beyond 64 bits", &["--seed", "18446744073709551616"]),
        ("an output folder that is a file", &["--out", "file.txt"]),
        ("an output folder under a file", &["--out", "file.txt/run"]),
        ("an output folder holding other files", &["--out", "mine"]),
        ("the current folder as output", &["--out", "."]),
        (
            "a run that would take months",
            &["--trials", "1000000000000"],
        ),
    ];
    let mut table = String::new();
    for (what, flags) in cases {
        let mut args = vec!["run", "-q"];
        args.extend_from_slice(flags);
        if !flags.contains(&"--trials") {
            args.extend(["--trials", "10"]);
        }
        if !flags.contains(&"--out") {
            args.extend(["--out", "out"]);
        }
        let o = corridor(&args, tmp.path());
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{what}: {err}");
        assert!(!err.contains("panicked"), "{what}: {err}");
        let first = err.lines().next().unwrap_or_default();
        assert!(first.starts_with("error: "), "{what}: {err}");
        assert_eq!(names(tmp.path()), before, "{what}: something was written");
        table += &format!("{what}:\n  {first}\n");
    }
    insta::assert_snapshot!(table);
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("mine/notes.txt")).unwrap(),
        "my notes"
    );
}

/// A scenario whose tables would fill any machine: 2,000 kinds of convoy (distinct speeds,
/// loaded and empty) on 5,000 roads over 3,650 days that each differ in their threats.
fn absurd_scenario() -> String {
    let mut t = String::from(
        "name = \"absurd\"\nhorizon_days = 3650\n\n[sink]\nnode = \"n0\"\ninitial_stock_litres = 0\ndaily_demand_litres = 1\n\n[network]\n",
    );
    for i in 0..=5000 {
        t += &format!(
            "[[network.node]]\nid = \"n{i}\"\nname = \"N\"\ncountry = \"ML\"\nkind = \"town\"\nlat = 0\nlon = 0\n"
        );
    }
    for i in 0..5000 {
        t += &format!(
            "[[network.edge]]\nfrom = \"n{i}\"\nto = \"n{}\"\nkm = 1\n",
            i + 1
        );
    }
    for k in 0..1000 {
        t += &format!(
            "[[convoy]]\nname = \"s{k}\"\nfrom = \"n{}\"\ntankers = 1\nevery_days = 3650\nfleet = 1\nspeed_km_per_day = {}\n",
            1 + k % 10,
            100 + k
        );
    }
    for d in (0..3650).step_by(2) {
        t += &format!(
            "[[threat]]\nedges = [\"n0-n1\"]\nattacks_per_100km = 0.1\nfrom_day = {d}\nto_day = {}\n",
            d + 1
        );
    }
    t
}

#[test]
fn a_run_that_would_fill_the_memory_is_refused_before_it_starts() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("absurd.toml"), absurd_scenario()).unwrap();
    let o = corridor(&["run", "absurd.toml", "-q", "--out", "out"], tmp.path());
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.starts_with("error: scenario \"absurd\": a run would need about ")
            && err.contains(" GB of memory, more than half of the ")
            && err.ends_with("this machine has; shorten horizon_days, or use fewer convoy streams, threats, closures or roads\n"),
        "{err}"
    );
    assert_eq!(names(tmp.path()), ["absurd.toml"]);
}

#[test]
fn an_output_folder_that_cannot_be_written_is_refused_before_the_run() {
    let tmp = tempfile::tempdir().unwrap();
    // Tests often run as root, who may write in a read-only folder; then use /sys, which
    // even root may not write in, if this machine has one.
    let locked = tmp.path().join("locked");
    std::fs::create_dir(&locked).unwrap();
    let mut perms = std::fs::metadata(&locked).unwrap().permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(&locked, perms).unwrap();
    let refuses = |dir: &Path| {
        let probe = dir.join("corridor-probe");
        let made = std::fs::create_dir(&probe).is_ok();
        if made {
            let _ = std::fs::remove_dir(&probe);
        }
        dir.is_dir() && !made
    };
    let parent = if refuses(&locked) {
        locked.clone()
    } else if refuses(Path::new("/sys")) {
        PathBuf::from("/sys")
    } else {
        eprintln!("skipped: no folder here refuses writes");
        return;
    };
    let out = parent.join("run");
    let o = corridor(
        &[
            "run",
            "-q",
            "--trials",
            "10",
            "--out",
            out.to_str().unwrap(),
        ],
        tmp.path(),
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(
        stderr(&o),
        format!(
            "error: {}: cannot make a folder in {}: permission denied\n",
            out.display(),
            parent.display()
        )
    );
}

#[test]
fn rerunning_into_a_folder_moves_the_earlier_run_aside() {
    let tmp = tempfile::tempdir().unwrap();
    let run = |seed: &str| {
        corridor(
            &["run", "--trials", "20", "--seed", seed, "--out", "out"],
            tmp.path(),
        )
    };
    let first = run("1");
    assert!(first.status.success(), "{}", stderr(&first));
    let earlier = std::fs::read(tmp.path().join("out/summary.json")).unwrap();
    let second = run("2");
    assert!(second.status.success(), "{}", stderr(&second));
    let listing = names(tmp.path());
    assert_eq!(listing.len(), 2, "{listing:?}");
    let aside = &listing[1];
    assert!(
        aside.starts_with("out.20") && aside.ends_with('Z'),
        "{aside}"
    );
    let stdout = String::from_utf8_lossy(&second.stdout);
    assert!(
        stdout.contains(&format!(
            "the earlier result in that folder was moved to {aside}"
        )),
        "{stdout}"
    );
    assert_eq!(
        std::fs::read(tmp.path().join(aside).join("summary.json")).unwrap(),
        earlier
    );
    assert_eq!(summary(&tmp.path().join("out"))["seed"], 2);
    assert_eq!(names(&tmp.path().join("out")), FILES);
    assert_eq!(names(&tmp.path().join(aside)), FILES);
}

#[cfg(unix)]
#[test]
fn a_write_that_fails_half_way_keeps_the_earlier_run_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let first = corridor(&["run", "-q", "--trials", "20", "--out", "out"], tmp.path());
    assert!(first.status.success(), "{}", stderr(&first));
    let kept: Vec<&str> = FILES
        .iter()
        .copied()
        .filter(|f| *f != "charts")
        .chain(["charts/map.svg"])
        .collect();
    let earlier: Vec<Vec<u8>> = kept
        .iter()
        .map(|f| std::fs::read(tmp.path().join("out").join(f)).unwrap())
        .collect();
    // A file-size limit makes the larger output files fail to write, as a full disk
    // would (SIGXFSZ ignored, so the write returns an error instead of killing us).
    let o = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "trap '' XFSZ; ulimit -f 40; exec '{}' run -q --trials 20 --seed 2 --out out",
            env!("CARGO_BIN_EXE_corridor")
        ))
        .current_dir(tmp.path())
        .output()
        .unwrap();
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.starts_with("error: cannot write out/") && err.ends_with(": File too large\n"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    assert_eq!(names(tmp.path()), ["out"], "no half-written folder is left");
    for (f, bytes) in kept.iter().zip(&earlier) {
        assert_eq!(
            &std::fs::read(tmp.path().join("out").join(f)).unwrap(),
            bytes,
            "{f}"
        );
    }
}

/// Starts a long run of the default scenario into `out`, and returns once it is running.
#[cfg(unix)]
fn start_long_run(dir: &Path) -> Child {
    let child = Command::new(env!("CARGO_BIN_EXE_corridor"))
        .args([
            "run",
            "-q",
            "--trials",
            "100000000",
            "--threads",
            "2",
            "--out",
            "out",
        ])
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The unfinished folder appears once the scenario is loaded and checked.
    let started = Instant::now();
    while !names(dir)
        .iter()
        .any(|n| n.starts_with(".out.partial-") && !n.ends_with(".lock"))
    {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "the run did not start"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(300));
    child
}

#[cfg(unix)]
fn signal(child: &Child, name: &str) {
    let ok = Command::new("kill")
        .args([&format!("-{name}"), &child.id().to_string()])
        .status()
        .unwrap()
        .success();
    assert!(ok, "kill -{name}");
}

#[cfg(unix)]
#[test]
fn ctrl_c_or_sigterm_leaves_a_complete_partial_result_marked_interrupted() {
    for sig in ["INT", "TERM"] {
        let tmp = tempfile::tempdir().unwrap();
        let child = start_long_run(tmp.path());
        signal(&child, sig);
        let o = child.wait_with_output().unwrap();
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(130), "{sig}: {err}");
        assert!(!err.contains("panicked"), "{err}");
        let listing = names(tmp.path());
        if listing.is_empty() {
            // Stopped before a trial finished: nothing at all is written.
            assert!(err.contains("nothing was written"), "{sig}: {err}");
            continue;
        }
        assert_eq!(listing, ["out"], "{sig}: no unfinished folder is left");
        assert_eq!(names(&tmp.path().join("out")), FILES, "{sig}");
        let s = summary(&tmp.path().join("out"));
        let done = s["trials"].as_u64().unwrap();
        assert_eq!(s["interrupted"], true, "{sig}");
        assert!((1..100_000_000).contains(&done), "{sig}: {done}");
        assert!(
            err.contains(&format!("interrupted after {done} of 100000000 trials")),
            "{sig}: {err}"
        );
        // Every file is whole and says the same.
        let results: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(tmp.path().join("out/results.json")).unwrap(),
        )
        .unwrap();
        assert_eq!(results["trials"], done);
        assert_eq!(results["interrupted"], true);
        let daily = std::fs::read_to_string(tmp.path().join("out/daily.csv")).unwrap();
        assert_eq!(daily.lines().count(), 1 + 4 * 90, "{sig}");
    }
}

#[cfg(unix)]
#[test]
fn a_second_signal_stops_at_once_and_keeps_the_earlier_run() {
    let tmp = tempfile::tempdir().unwrap();
    let first = corridor(&["run", "-q", "--trials", "20", "--out", "out"], tmp.path());
    assert!(first.status.success(), "{}", stderr(&first));
    let earlier = std::fs::read(tmp.path().join("out/summary.json")).unwrap();
    let child = start_long_run(tmp.path());
    signal(&child, "TERM");
    signal(&child, "TERM");
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(130), "{}", stderr(&o));
    let listing = names(tmp.path());
    if listing.len() == 1 {
        // The second signal came first: the earlier run is untouched, nothing else left.
        assert_eq!(listing, ["out"]);
        assert_eq!(
            std::fs::read(tmp.path().join("out/summary.json")).unwrap(),
            earlier
        );
        assert!(stderr(&o).contains("stopped at once"), "{}", stderr(&o));
    } else {
        // The partial result was in place before the second signal was handled; the
        // earlier run was moved aside, whole.
        assert_eq!(listing.len(), 2, "{listing:?}");
        assert_eq!(
            std::fs::read(tmp.path().join(&listing[1]).join("summary.json")).unwrap(),
            earlier
        );
        assert_eq!(summary(&tmp.path().join("out"))["interrupted"], true);
    }
}

#[cfg(unix)]
#[test]
fn a_closed_pipe_ends_output_quietly_and_a_full_disk_is_an_error_not_a_panic() {
    let tmp = tempfile::tempdir().unwrap();
    // `corridor network | head -c 0`: the reader is gone before the output is written.
    let mut child = Command::new(env!("CARGO_BIN_EXE_corridor"))
        .args(["network", "--format", "geojson"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(o.stderr.is_empty(), "{}", stderr(&o));
    if let Ok(full) = std::fs::File::create("/dev/full") {
        let o = Command::new(env!("CARGO_BIN_EXE_corridor"))
            .args(["run", "--trials", "20", "--out", "out"])
            .current_dir(tmp.path())
            .stdout(full)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(1));
        assert_eq!(
            stderr(&o),
            "error: cannot write the standard output: No space left on device\n"
        );
        // The results were complete before the table was printed.
        assert_eq!(names(&tmp.path().join("out")), FILES);
    }
}
