//! `run --per-trial FILE` and `merge --per-trial`, through the real binary: the Parquet
//! file read back with the `parquet` crate holds the run's own trials (its columns' exact
//! means are the means of summary.json and results.json), CSV holds the same numbers, the
//! bytes do not depend on the thread count, a merged sharded run writes the single run's
//! bytes, and a bad name is refused before any trial.

use std::path::Path;

use corridor::stats::ExactSum;
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::Field;

use crate::binary::corridor;
use crate::common::fixture;

fn ok(args: &[&str], dir: &Path) {
    let o = corridor(args, dir);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

/// The columns of a per-trial Parquet file, and its rows (the trial index as a number).
fn read_parquet(path: &Path) -> (Vec<String>, Vec<Vec<f64>>) {
    let reader = SerializedFileReader::new(std::fs::File::open(path).unwrap()).unwrap();
    let schema = reader.metadata().file_metadata().schema_descr_ptr();
    let names = schema.columns().iter().map(|c| c.name().to_string());
    let rows = reader
        .get_row_iter(None)
        .unwrap()
        .map(|row| {
            let row = row.unwrap();
            row.get_column_iter()
                .map(|(_, field)| match field {
                    Field::Long(t) => *t as f64,
                    Field::Double(x) => *x,
                    other => panic!("unexpected {other:?}"),
                })
                .collect()
        })
        .collect();
    (names.collect(), rows)
}

fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<f64>>) {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    let names = lines.next().unwrap().split(',').map(String::from).collect();
    let rows = lines
        .map(|l| l.split(',').map(|x| x.parse().unwrap()).collect())
        .collect();
    (names, rows)
}

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The exact mean of a column, summed as the run's tally sums.
fn mean(rows: &[Vec<f64>], column: usize) -> f64 {
    let mut sum = ExactSum::default();
    rows.iter().for_each(|r| sum.add(r[column]));
    sum.mean()
}

#[test]
fn the_parquet_file_holds_every_trial_of_the_run_in_order() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let args = ["run", "-q", "-n", "300", "--no-charts", "--seed", "7"];
    ok(
        &[
            &args[..],
            &["-j", "1", "-o", "a", "--per-trial", "a.parquet"],
        ]
        .concat(),
        dir,
    );
    ok(
        &[
            &args[..],
            &["-j", "2", "-o", "b", "--per-trial", "b.parquet"],
        ]
        .concat(),
        dir,
    );
    ok(
        &[&args[..], &["-j", "2", "-o", "c", "--per-trial", "c.csv"]].concat(),
        dir,
    );
    let bytes = |f: &str| std::fs::read(dir.join(f)).unwrap();
    assert_eq!(bytes("a.parquet"), bytes("b.parquet"), "1 and 2 threads");
    let (names, rows) = read_parquet(&dir.join("a.parquet"));
    assert_eq!(rows.len(), 300);
    assert!(rows.iter().enumerate().all(|(i, r)| r[0] == i as f64));
    assert_eq!(names[..2], ["trial", "delivered_litres"]);
    assert!(names.contains(&"sink.bamako.backlog_litres".to_string()));
    // Every metric's exact mean is the run's.
    let summary = json(&dir.join("a/summary.json"));
    for (k, metric) in corridor::sim::outcome::METRICS.iter().enumerate() {
        assert_eq!(names[k + 1], *metric);
        let expected = summary["metrics"][metric]["mean"].as_f64().unwrap();
        assert_eq!(mean(&rows, k + 1), expected, "{metric}");
    }
    // And every stream figure's.
    let results = json(&dir.join("a/results.json"));
    for stream in results["streams"].as_array().unwrap() {
        let name = stream["name"].as_str().unwrap();
        for (field, expected) in corridor::sim::outcome::STREAM_FIELDS
            .iter()
            .zip(stream["means"].as_array().unwrap())
        {
            let column = format!("stream.{name}.{field}");
            let k = names.iter().position(|n| *n == column).expect(&column);
            let mut sum = corridor::stats::ExactMean::default();
            rows.iter().for_each(|r| sum.add(r[k]));
            assert_eq!(sum.mean(), expected.as_f64().unwrap(), "{column}");
        }
    }
    // The CSV holds the same numbers under the same names.
    let (csv_names, csv_rows) = read_csv(&dir.join("c.csv"));
    assert_eq!((csv_names, csv_rows), (names, rows));
}

#[test]
fn a_merged_sharded_run_writes_the_single_runs_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let s = fixture("examples/dwell.toml");
    let s = s.to_str().unwrap();
    for ext in ["parquet", "csv"] {
        let single = format!("single.{ext}");
        ok(
            &[
                "run",
                s,
                "-q",
                "-n",
                "90",
                "-o",
                "one",
                "--per-trial",
                &single,
            ],
            dir,
        );
        let mut parts = Vec::new();
        for i in 0..3 {
            let (shard, part) = (format!("{i}/3"), format!("part{i}.{ext}"));
            let out = format!("s{i}");
            ok(
                &[
                    "run",
                    s,
                    "-q",
                    "-n",
                    "90",
                    "--shard",
                    &shard,
                    "-o",
                    &out,
                    "--per-trial",
                    &part,
                ],
                dir,
            );
            parts.push(part);
        }
        let merged = format!("merged.{ext}");
        let mut args = vec![
            "merge",
            "s2",
            "s0",
            "s1",
            "-q",
            "-o",
            "m",
            "--per-trial",
            &merged,
        ];
        args.push("--per-trial-parts");
        args.extend(parts.iter().rev().map(String::as_str));
        ok(&args, dir);
        let bytes = |f: &str| std::fs::read(dir.join(f)).unwrap();
        assert_eq!(bytes(&single), bytes(&merged), "{ext}");
        // A part missing is refused, and nothing is written.
        let o = corridor(
            &[
                "merge",
                "s0",
                "s1",
                "s2",
                "-q",
                "-o",
                "m2",
                "--per-trial",
                "m2.csv",
                "--per-trial-parts",
                "part0.csv",
                "part2.csv",
            ],
            dir,
        );
        assert_eq!(o.status.code(), Some(2));
        assert!(!dir.join("m2.csv").exists() && !dir.join("m2").exists());
        for d in ["one", "s0", "s1", "s2", "m"] {
            std::fs::remove_dir_all(dir.join(d)).unwrap();
        }
    }
}

#[test]
fn a_per_trial_file_of_another_kind_or_place_is_refused_before_any_trial() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::write(dir.join("mine.csv"), "my own data\n").unwrap();
    std::fs::create_dir(dir.join("folder.parquet")).unwrap();
    for (file, expected) in [
        ("t.txt", "must end in .parquet or .csv"),
        ("mine.csv", "is not a per-trial file of corridor"),
        ("folder.parquet", "is not a per-trial file of corridor"),
        ("out/t.parquet", "inside the output folder"),
        ("nowhere/t.parquet", "cannot write"),
    ] {
        let o = corridor(
            &[
                "run",
                "-q",
                "-n",
                "1000000",
                "-o",
                "out",
                "--per-trial",
                file,
            ],
            dir,
        );
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{file}: {err}");
        assert!(
            err.contains(expected) && err.contains("--per-trial"),
            "{file}: {err}"
        );
        assert!(!dir.join("out").exists(), "{file}");
    }
    assert_eq!(
        std::fs::read_to_string(dir.join("mine.csv")).unwrap(),
        "my own data\n"
    );
    // An earlier per-trial file is replaced, and no hidden file is left.
    ok(
        &[
            "run",
            "-q",
            "-n",
            "20",
            "-o",
            "out",
            "--no-charts",
            "--per-trial",
            "t.csv",
        ],
        dir,
    );
    ok(
        &[
            "run",
            "-q",
            "-n",
            "30",
            "-o",
            "out",
            "--no-charts",
            "--per-trial",
            "t.csv",
        ],
        dir,
    );
    let text = std::fs::read_to_string(dir.join("t.csv")).unwrap();
    assert_eq!(text.lines().count(), 31);
    let hidden = std::fs::read_dir(dir)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with(".t.csv")
        })
        .count();
    assert_eq!(hidden, 0);
}
