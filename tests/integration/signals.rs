//! SIGINT, SIGTERM and SIGHUP during every command, through the real binary. Whatever the
//! moment, a command stops soon and exits with code 130, having written either a whole
//! result (exit code 0 only), a partial one marked `"interrupted": true`, or nothing; and it
//! leaves no hidden folder behind. (`runs.rs` covers a run's partial result in detail.)

#![cfg(unix)]

use std::path::Path;
use std::time::Duration;

use serde_json::Value;

use crate::binary::*;
use crate::common::repo;

const SIGNALS: [&str; 3] = ["INT", "TERM", "HUP"];

fn scenario(name: &str) -> String {
    repo().join("scenarios").join(name).display().to_string()
}

fn json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// What a command stopped by a signal left in `dir`: its exit code is 130, nothing hidden is
/// left, and the result in `out` (if any) is marked as interrupted with fewer trials than
/// asked for. Returns the result's JSON, if one was written.
fn stopped(o: &std::process::Output, dir: &Path, out: &str, json_name: &str) -> Option<Value> {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(130), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(hidden(dir).is_empty(), "{:?}", hidden(dir));
    if !dir.join(out).exists() {
        assert!(err.contains("nothing was written"), "{err}");
        return None;
    }
    let result = json(&dir.join(out).join(json_name));
    assert_eq!(result["interrupted"], true, "{err}");
    assert!(err.contains("interrupted"), "{err}");
    Some(result)
}

#[test]
fn every_analysis_stopped_by_a_signal_writes_a_marked_partial_result_or_nothing() {
    let (bamako, light) = (
        scenario("bamako-2025.toml"),
        scenario("escort-policy-daily-light.toml"),
    );
    let many = "100000000";
    let cases: [(Vec<&str>, &str, bool); 4] = [
        (
            vec!["compare", &bamako, &light, "-n", many],
            "compare.json",
            true,
        ),
        (
            vec!["sweep", "--set", "price.elasticity=-0.3,-0.5", "-n", many],
            "sweep.json",
            true,
        ),
        (
            vec![
                "sweep",
                "--grid",
                "--set",
                "price.elasticity=-0.3,-0.5",
                "--set",
                "sink.initial_stock_litres=0,1e6",
                "-n",
                many,
            ],
            "grid.json",
            true,
        ),
        // Criticality's first pass finds the roads convoys use, and a signal there leaves
        // nothing to write; with few trials the signal lands in the second pass, mostly.
        (
            vec!["criticality", "-n", "100000"],
            "criticality.json",
            false,
        ),
    ];
    for (k, (args, json_name, always_partial)) in cases.into_iter().enumerate() {
        let tmp = tempfile::tempdir().unwrap();
        let full: Vec<&str> = args.iter().copied().chain(["--out", "out", "-q"]).collect();
        let mut child = spawn(&full, tmp.path());
        wait_until_working(tmp.path(), &mut child);
        if !always_partial {
            std::thread::sleep(Duration::from_millis(1500));
        }
        let sig = SIGNALS[k % 3];
        signal(&child, sig);
        let o = wait(child, &full);
        let result = stopped(&o, tmp.path(), "out", json_name);
        match result {
            Some(r) => {
                let trials = r["trials"].as_u64().unwrap();
                assert!(
                    trials > 0 && trials < r_requested(&args),
                    "{sig} {args:?}: {trials}"
                );
                // The charts of the partial result are there too.
                assert!(
                    names(&tmp.path().join("out"))
                        .iter()
                        .any(|n| n.ends_with(".svg"))
                );
            }
            None => assert!(!always_partial, "{sig} {args:?}: {}", stderr(&o)),
        }
    }
}

/// The trial count a command's arguments ask for.
fn r_requested(args: &[&str]) -> u64 {
    let n = args.iter().position(|a| *a == "-n").unwrap();
    args[n + 1].parse().unwrap()
}

#[test]
fn a_second_signal_during_an_analysis_stops_at_once_and_leaves_nothing_hidden() {
    let tmp = tempfile::tempdir().unwrap();
    let args = [
        "sweep",
        "--set",
        "price.elasticity=-0.3,-0.5",
        "-n",
        "100000000",
        "--out",
        "out",
    ];
    let mut child = spawn(&args, tmp.path());
    wait_until_working(tmp.path(), &mut child);
    signal(&child, "TERM");
    signal(&child, "TERM");
    let o = wait(child, &args);
    assert_eq!(o.status.code(), Some(130), "{}", stderr(&o));
    assert!(hidden(tmp.path()).is_empty(), "{:?}", hidden(tmp.path()));
    if tmp.path().join("out").exists() {
        // The partial result was in place before the second signal was handled.
        assert_eq!(
            json(&tmp.path().join("out/sweep.json"))["interrupted"],
            true
        );
    } else {
        assert!(stderr(&o).contains("stopped at once"), "{}", stderr(&o));
    }
}

#[test]
fn merge_stopped_by_a_signal_writes_nothing_and_leaves_nothing_hidden() {
    // Long shards, so that reading and merging them takes a while.
    let tmp = tempfile::tempdir().unwrap();
    let long = std::fs::read_to_string(scenario("bamako-2025.toml"))
        .unwrap()
        .replacen("\nhorizon_days = 90", "\nhorizon_days = 3650", 1);
    std::fs::write(tmp.path().join("long.toml"), long).unwrap();
    let mut shards = Vec::new();
    for i in 0..4 {
        let (shard, out) = (format!("{i}/4"), format!("shard{i}"));
        let args = [
            "run",
            "long.toml",
            "-n",
            "400",
            "--shard",
            &shard,
            "--out",
            &out,
            "-q",
        ];
        ok(corridor(&args, tmp.path()));
        shards.push(out);
    }
    for sig in ["TERM", "HUP"] {
        let mut args = vec!["merge", "--out", "merged"];
        args.extend(shards.iter().map(String::as_str));
        let mut child = spawn(&args, tmp.path());
        wait_until_working(tmp.path(), &mut child);
        signal(&child, sig);
        let o = wait(child, &args);
        let err = stderr(&o);
        assert!(
            hidden(tmp.path()).is_empty(),
            "{sig}: {:?}",
            hidden(tmp.path())
        );
        if o.status.code() == Some(0) {
            // It had finished: the merged folder is whole.
            assert!(tmp.path().join("merged/summary.json").is_file());
            std::fs::remove_dir_all(tmp.path().join("merged")).unwrap();
            continue;
        }
        assert_eq!(o.status.code(), Some(130), "{sig}: {err}");
        assert!(
            err.contains("interrupted: nothing was written; the shards are as they were"),
            "{sig}: {err}"
        );
        assert!(!tmp.path().join("merged").exists());
    }
}

#[test]
fn chart_stopped_while_drawing_leaves_the_folder_as_it_was() {
    let tmp = tempfile::tempdir().unwrap();
    ok(corridor(
        &["run", "-n", "500", "--no-charts", "--out", "out", "-q"],
        tmp.path(),
    ));
    let before = names(&tmp.path().join("out"));
    let args = ["chart", "out", "--format", "both"];
    let child = spawn(&args, tmp.path());
    // PNG charts take a couple of seconds to draw here; the signal lands among them.
    std::thread::sleep(Duration::from_millis(400));
    signal(&child, "INT");
    let o = wait(child, &args);
    let err = stderr(&o);
    match o.status.code() {
        Some(130) => {
            assert!(err.contains("interrupted: no chart was redrawn"), "{err}");
            assert_eq!(names(&tmp.path().join("out")), before);
        }
        Some(0) => assert!(tmp.path().join("out/charts").is_dir()),
        other => panic!("{other:?}: {err}"),
    }
}

#[test]
fn a_signal_at_any_moment_of_a_run_leaves_a_whole_result_a_marked_one_or_nothing() {
    // From loading to the charts to the last rename, the signal lands somewhere else each
    // time; every outcome must be one of the three.
    for (k, delay) in [150u64, 250, 350, 450, 550, 700, 900]
        .into_iter()
        .enumerate()
    {
        let tmp = tempfile::tempdir().unwrap();
        let args = ["run", "-n", "3000", "--threads", "2", "--out", "out", "-q"];
        let child = spawn(&args, tmp.path());
        std::thread::sleep(Duration::from_millis(delay));
        let sig = SIGNALS[k % 3];
        signal(&child, sig);
        let o = wait(child, &args);
        let err = stderr(&o);
        assert!(hidden(tmp.path()).is_empty(), "{sig} at {delay} ms: {err}");
        let summary = tmp.path().join("out/summary.json");
        match o.status.code() {
            Some(0) => {
                let s = json(&summary);
                assert_eq!(s["trials"], 3000);
                assert!(s.get("interrupted").is_none(), "{s}");
                assert!(tmp.path().join("out/report.html").is_file());
            }
            Some(130) if summary.exists() => {
                assert_eq!(
                    json(&summary)["interrupted"],
                    true,
                    "{sig} at {delay} ms: {err}"
                );
            }
            Some(130) => assert!(err.contains("nothing was written"), "{err}"),
            other => panic!("{sig} at {delay} ms: exit {other:?}: {err}"),
        }
    }
}

#[test]
fn bench_stopped_by_a_signal_exits_130_with_what_it_measured() {
    let tmp = tempfile::tempdir().unwrap();
    let args = ["bench", "--trials", "100000000"];
    let child = spawn(&args, tmp.path());
    std::thread::sleep(Duration::from_millis(1000));
    signal(&child, "TERM");
    let o = wait(child, &args);
    assert_eq!(o.status.code(), Some(130), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("interrupted: the cases measured so far are above"),
        "{}",
        stderr(&o)
    );
    assert!(stdout(&o).starts_with("corridor "), "{}", stdout(&o));
}

#[test]
fn a_shard_stopped_by_a_signal_promises_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let args = ["run", "-n", "100000000", "--shard", "0/2", "--out", "shard"];
    let mut child = spawn(&args, tmp.path());
    wait_until_working(tmp.path(), &mut child);
    signal(&child, "TERM");
    let o = wait(child, &args);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(130), "{err}");
    assert!(
        err.contains("stopping; nothing more will be written"),
        "{err}"
    );
    assert!(
        err.contains("the shard was interrupted, so nothing was written"),
        "{err}"
    );
    assert!(names(tmp.path()).is_empty(), "{:?}", names(tmp.path()));
}
