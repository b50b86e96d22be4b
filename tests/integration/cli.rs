//! The `corridor` binary as a user runs it: exit codes, messages, output files.

use std::path::Path;
use std::process::{Command, Output};

use crate::common::*;

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

#[test]
fn run_writes_every_output_file_and_a_table() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = fixture("examples/dwell.toml");
    let o = corridor(
        &[
            "run",
            scenario.to_str().unwrap(),
            "--trials",
            "30",
            "--out",
            "out",
        ],
        tmp.path(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let table = String::from_utf8_lossy(&o.stdout);
    assert!(
        table.contains("Fuel delivered to SINK, M L") && table.contains("7.2"),
        "{table}"
    );
    for file in [
        "summary.json",
        "daily.csv",
        "sinks.csv",
        "streams.csv",
        "scenario.toml",
        "edges.csv",
        "results.json",
    ] {
        assert!(tmp.path().join("out").join(file).is_file(), "{file}");
    }
    let summary: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(tmp.path().join("out/summary.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(summary["trials"], 30);
    assert_eq!(summary["metrics"]["delivered_litres"]["mean"], 7_200_000.0);
    let daily = std::fs::read_to_string(tmp.path().join("out/daily.csv")).unwrap();
    assert!(daily.starts_with("day,date,metric,mean,p5,p50,p95\n0,,stock_litres,"));
    assert_eq!(daily.lines().count(), 1 + 4 * 20);
    // No temporary file is left behind.
    let names: Vec<String> = std::fs::read_dir(tmp.path().join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.starts_with('.')), "{names:?}");
}

#[test]
fn the_default_run_needs_no_arguments() {
    let tmp = tempfile::tempdir().unwrap();
    let o = corridor(&["run", "--trials", "200", "--quiet"], tmp.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
    assert!(tmp.path().join("output/bamako-2025/summary.json").is_file());
}

#[test]
fn output_files_are_identical_on_one_and_two_threads() {
    let tmp = tempfile::tempdir().unwrap();
    let s = repo().join("scenarios/bamako-2025.toml");
    for t in ["1", "2"] {
        let o = corridor(
            &[
                "run",
                s.to_str().unwrap(),
                "--trials",
                "300",
                "--seed",
                "9",
                "--threads",
                t,
                "--out",
                t,
                "-q",
            ],
            tmp.path(),
        );
        assert!(o.status.success(), "{}", stderr(&o));
    }
    for file in [
        "summary.json",
        "daily.csv",
        "sinks.csv",
        "streams.csv",
        "edges.csv",
        "scenario.toml",
    ] {
        let a = std::fs::read(tmp.path().join("1").join(file)).unwrap();
        let b = std::fs::read(tmp.path().join("2").join(file)).unwrap();
        assert!(a == b, "{file} differs between 1 and 2 threads");
    }
}

#[test]
fn bad_flags_and_files_exit_with_code_2() {
    let tmp = tempfile::tempdir().unwrap();
    let cases: [(&[&str], &str); 4] = [
        (&["run", "--trials", "0"], "--trials"),
        (&["run", "--threads", "0"], "--threads"),
        (&["run", "--seed", "x"], "--seed"),
        (
            &["run", "no-such-file.toml"],
            "no-such-file.toml: cannot read the scenario file: no such file",
        ),
    ];
    for (args, expected) in cases {
        let o = corridor(args, tmp.path());
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(expected), "{args:?}: {}", stderr(&o));
    }
    std::fs::write(
        tmp.path().join("bad.toml"),
        "name = \"x\"\nhorizon_days = -1\n",
    )
    .unwrap();
    let o = corridor(&["validate", "bad.toml"], tmp.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("bad.toml:2:1: missing field `network`")
            || stderr(&o).contains("bad.toml:"),
        "{}",
        stderr(&o)
    );
    assert!(
        !tmp.path().join("output").exists(),
        "no output folder for bad input"
    );
}

#[test]
fn every_shipped_scenario_validates() {
    let mut args = vec!["validate".to_string()];
    for entry in std::fs::read_dir(repo().join("scenarios")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            args.push(path.to_string_lossy().into_owned());
        }
    }
    assert!(args.len() >= 3);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = corridor(&args, &repo());
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn the_network_exports_in_three_formats() {
    let tmp = tempfile::tempdir().unwrap();
    let geo = corridor(&["network", "--format", "geojson"], tmp.path());
    let geo: serde_json::Value = serde_json::from_slice(&geo.stdout).unwrap();
    assert_eq!(geo["features"].as_array().unwrap().len(), 51 + 57);
    assert_eq!(
        geo["features"][0]["geometry"]["coordinates"][0], -17.425,
        "[lon, lat]"
    );
    let dot =
        String::from_utf8(corridor(&["network", "--format", "dot"], tmp.path()).stdout).unwrap();
    assert!(
        dot.starts_with("graph {") && dot.contains("label=\"dakar\"") && dot.contains("465 km"),
        "{dot}"
    );
    let csv =
        String::from_utf8(corridor(&["network", "--format", "csv"], tmp.path()).stdout).unwrap();
    assert_eq!(csv.lines().count(), 58);
    assert!(csv.starts_with("from,to,km,road,corridors,"));
}
