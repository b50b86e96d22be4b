//! Files the tool wrote and reads back (`results.json` by `chart`, `partial.json` by
//! `merge`, `run.json`), damaged or swapped for something else, through the real binary:
//! a device, a pipe, a huge file, a shard of another version or of a run of 0 trials, a
//! shard count that would need an endless allocation. Each is refused with one message and
//! exit code 2, without hanging, panicking or allocating what the file claims.

use std::path::Path;
use std::process::{Command, Output};

use crate::binary::corridor;
use crate::common::fixture;

fn refused(o: &Output) -> String {
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    err
}

/// A file that says it is 2 GB, made in no time (sparse).
fn huge(path: &Path) {
    let f = std::fs::File::create(path).unwrap();
    f.set_len(2 << 30).unwrap();
}

#[cfg(unix)]
fn fifo(path: &Path) {
    let ok = Command::new("mkfifo").arg(path).status().unwrap().success();
    assert!(ok, "mkfifo");
}

#[cfg(unix)]
#[test]
fn results_and_run_json_that_are_not_plain_files_are_refused_before_reading() {
    let tmp = tempfile::tempdir().unwrap();
    let run = |out: &str| {
        let o = corridor(
            &["run", "-q", "--trials", "5", "--no-charts", "--out", out],
            tmp.path(),
        );
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        tmp.path().join(out)
    };
    type Make = fn(&Path);
    let cases: [(&str, &str, Make); 6] = [
        ("results.json", "not a regular file", fifo),
        ("results.json", "not a regular file", |p| {
            std::os::unix::fs::symlink("/dev/zero", p).unwrap()
        }),
        ("results.json", "too large for a results file", huge),
        ("run.json", "not a regular file", fifo),
        ("run.json", "not a regular file", |p| {
            std::os::unix::fs::symlink("/dev/zero", p).unwrap()
        }),
        ("run.json", "too large for a run.json file", huge),
    ];
    for (k, (file, expected, make)) in cases.into_iter().enumerate() {
        let dir = run(&format!("out{k}"));
        std::fs::remove_file(dir.join(file)).unwrap();
        make(&dir.join(file));
        let err = refused(&corridor(&["chart", dir.to_str().unwrap()], tmp.path()));
        assert!(
            err.contains(&format!("{file}: ")) && err.contains(expected),
            "{file}: {err}"
        );
    }
}

/// Two shards of a small run, in `a0` and `a1`.
fn shards(dir: &Path) {
    let s = fixture("examples/dwell.toml");
    for (shard, out) in [("0/2", "a0"), ("1/2", "a1")] {
        let o = corridor(
            &[
                "run",
                s.to_str().unwrap(),
                "--trials",
                "40",
                "--shard",
                shard,
                "--out",
                out,
                "-q",
            ],
            dir,
        );
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
}

/// `a1`'s partial.json with `find` replaced by `replace`.
fn tamper(dir: &Path, find: &str, replace: &str) {
    let path = dir.join("a1/partial.json");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(find), "{find}");
    std::fs::write(&path, text.replacen(find, replace, 1)).unwrap();
}

#[test]
fn merge_refuses_shards_of_another_version_of_zero_trials_or_of_absurd_counts() {
    let version = env!("CARGO_PKG_VERSION");
    let cases: [(&str, String, &str); 7] = [
        (
            "\"corridor\":\"",
            "\"corridor\":\"0.0.1-other\",\"x\":\"".into(),
            "written by corridor 0.0.1-other, but this is corridor",
        ),
        (
            "\"trials\":40,",
            "\"trials\":0,".into(),
            "damaged partial result: a run of 0 trials",
        ),
        (
            "\"count\":2",
            "\"count\":18446744073709551615".into(),
            "does not exist",
        ),
        (
            "\"index\":1",
            "\"index\":7".into(),
            "shard 7/2 of 40 trials does not exist",
        ),
        (
            "\"shard_trials\":20",
            "\"shard_trials\":0".into(),
            "should hold 20 trials from 20, not 0 from 20",
        ),
        (
            "\"formed\":[]",
            "\"formed\":[{\"n\":1,\"sum\":0}]".into(),
            "damaged partial result: its tally's table `formed` does not fit its scenario",
        ),
        (
            "\"format\":\"corridor-partial\"",
            "\"format\":\"something-else\"".into(),
            "not a corridor partial result",
        ),
    ];
    for (find, replace, expected) in cases {
        let tmp = tempfile::tempdir().unwrap();
        shards(tmp.path());
        tamper(tmp.path(), find, &replace);
        let o = corridor(&["merge", "a0", "a1", "--out", "merged"], tmp.path());
        let err = refused(&o);
        assert!(err.contains(expected), "{find}: {err}");
        assert!(!tmp.path().join("merged").exists());
    }
    // The version is this corridor's own, written as it is.
    let tmp = tempfile::tempdir().unwrap();
    shards(tmp.path());
    let text = std::fs::read_to_string(tmp.path().join("a0/partial.json")).unwrap();
    assert!(text.contains(&format!("\"corridor\":\"{version}\"")));
}

#[test]
fn a_shard_count_larger_than_the_shards_given_names_a_few_missing_ones() {
    let tmp = tempfile::tempdir().unwrap();
    shards(tmp.path());
    // Both shards say they are shards of one trial each of a run of a million: consistent,
    // but far from complete.
    for (dir, first) in [("a0", "0"), ("a1", "20")] {
        let path = tmp.path().join(dir).join("partial.json");
        let text = std::fs::read_to_string(&path).unwrap();
        let text = text
            .replacen("\"trials\":40,", "\"trials\":1000000,", 1)
            .replacen("\"count\":2", "\"count\":1000000", 1)
            .replacen(
                &format!("\"first_trial\":{first},"),
                &format!("\"first_trial\":{},", if first == "0" { 0 } else { 1 }),
                1,
            )
            .replacen("\"shard_trials\":20", "\"shard_trials\":1", 1)
            .replacen("\"trials\":20", "\"trials\":1", 1);
        std::fs::write(&path, text).unwrap();
    }
    let err = refused(&corridor(&["merge", "a0", "a1"], tmp.path()));
    assert!(err.contains("missing shards: "), "{err}");
    assert!(err.len() < 400, "{err}");
}

#[cfg(unix)]
#[test]
fn a_partial_result_that_is_a_pipe_or_a_device_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    shards(tmp.path());
    let partial = tmp.path().join("a1/partial.json");
    std::fs::remove_file(&partial).unwrap();
    fifo(&partial);
    let err = refused(&corridor(&["merge", "a0", "a1"], tmp.path()));
    assert!(err.contains("not a regular file"), "{err}");
    std::fs::remove_file(&partial).unwrap();
    huge(&partial);
    let err = refused(&corridor(&["merge", "a0", "a1"], tmp.path()));
    assert!(err.contains("too large"), "{err}");
}

/// `results.json` of a small run, edited by `edit`, then read by `chart`: refused with
/// exit 2 and a message naming the file and the field.
#[test]
fn results_json_with_a_field_out_of_place_is_refused_naming_it() {
    type Edit = fn(&mut serde_json::Value);
    let cases: [(&str, Edit, &str); 8] = [
        (
            "empty daily",
            |v| v["daily"] = serde_json::json!([]),
            "daily: holds 0 entries",
        ),
        (
            "short series",
            |v| {
                v["daily"][0].as_array_mut().unwrap().pop();
            },
            "daily[0]: holds",
        ),
        (
            "edge index",
            |v| v["edges"][0]["to"] = 999_999.into(),
            "edges[0].from: joins nodes",
        ),
        (
            "missing metric",
            |v| {
                v["metrics"].as_array_mut().unwrap().remove(3);
            },
            "metrics: holds 11 entries",
        ),
        (
            "stream means",
            |v| v["streams"][0]["means"] = serde_json::json!([]),
            "streams[0].means",
        ),
        (
            "percentiles",
            |v| v["metrics"][0]["p5"] = 1e15.into(),
            "metrics[0]: percentiles out of order",
        ),
        (
            "huge coordinate",
            |v| v["nodes"][0]["lat"] = 1e300.into(),
            "nodes[0]: lat",
        ),
        (
            "claimed trials",
            |v| v["trials"] = u64::MAX.into(),
            "trials: 18446744073709551615 trials",
        ),
    ];
    let tmp = tempfile::tempdir().unwrap();
    let o = corridor(
        &["run", "-q", "-n", "20", "--no-charts", "--out", "r"],
        tmp.path(),
    );
    assert!(o.status.success());
    let path = tmp.path().join("r/results.json");
    let text = std::fs::read_to_string(&path).unwrap();
    for (what, edit, expected) in cases {
        let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
        edit(&mut v);
        std::fs::write(&path, v.to_string()).unwrap();
        let err = refused(&corridor(&["chart", "r"], tmp.path()));
        assert!(
            err.contains("results.json: damaged results.json: ") && err.contains(expected),
            "{what}: {err}"
        );
    }
}

/// A shard's tally with one entry of an array removed merged, before these checks, into
/// other numbers with exit 0.
#[test]
fn a_truncated_tally_is_refused_naming_the_array() {
    let tmp = tempfile::tempdir().unwrap();
    shards(tmp.path());
    let path = tmp.path().join("a1/partial.json");
    let text = std::fs::read_to_string(&path).unwrap();
    for (array, expected) in [
        ("daily", "tally.daily: holds"),
        ("streams", "tally.streams: holds"),
        ("edge_attacks", "tally.edge_attacks: holds"),
    ] {
        let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
        v["tally"][array].as_array_mut().unwrap().pop();
        std::fs::write(&path, v.to_string()).unwrap();
        let err = refused(&corridor(&["merge", "a0", "a1", "-o", "m"], tmp.path()));
        assert!(
            err.contains("a1/partial.json: damaged partial result: ") && err.contains(expected),
            "{err}"
        );
        assert!(!tmp.path().join("m").exists());
    }
}
