//! Every command checks its cost before its first trial, through the real binary: sweeps
//! and grids of absurd sizes, criticality of every road of a 10,000-node network, compare of
//! hundreds of files, bench's synthetic sizes and trial counts. Each is refused with its
//! estimate and exit code 2, at once and writing nothing; and a scenario whose convoys would
//! wait behind closures for years gets a warning that it would take hours.

use std::path::Path;

use crate::binary::*;
use crate::common::fixture;

/// Asserts a refusal with exit code 2 and one line naming `expected`, with nothing written.
fn refused(args: &[&str], dir: &Path, expected: &str) -> String {
    let before = names(dir);
    let o = corridor(args, dir);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
    assert!(err.contains(expected), "{args:?}: {err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(names(dir), before, "{args:?}: something was written");
    err
}

/// `path=0,1,2,...` with `n` values.
fn values(path: &str, n: usize) -> String {
    let list: Vec<String> = (0..n).map(|v| v.to_string()).collect();
    format!("{path}={}", list.join(","))
}

#[test]
fn sweeps_and_grids_of_absurd_sizes_are_refused_before_any_variant_is_built() {
    let tmp = tempfile::tempdir().unwrap();
    let many = values("sink.initial_stock_litres", 20_000);
    let err = refused(
        &["sweep", "--set", &many],
        tmp.path(),
        "--set: the sweep would run 20000 variants besides the scenario, more than the 10000 an analysis may run; give fewer values",
    );
    assert_eq!(err.lines().count(), 1);
    let x = values("sink.initial_stock_litres", 1000);
    let y = values("price.cap_multiple", 1000);
    let y = y.replacen("=0,", "=1000,", 1);
    refused(
        &["sweep", "--grid", "--set", &x, "--set", &y],
        tmp.path(),
        "--set: the grid would run 1000000 variants",
    );
    // Within the count, but a billion trials of a hundred variants is months of work.
    let some = values("sink.initial_stock_litres", 100);
    refused(
        &["sweep", "--set", &some, "-n", "1000000000000"],
        tmp.path(),
        "road legs (1000000000000 trials of 101 models), more than the 1.0e15",
    );
}

/// A synthetic grid of `nodes` nodes, written as a scenario file.
fn grid_file(dir: &Path, nodes: usize) -> String {
    let raw =
        corridor::synthetic::synthetic_raw(&corridor::synthetic::SyntheticSpec::new(nodes, 30));
    let path = dir.join("grid.toml");
    std::fs::write(&path, toml::to_string(&raw).unwrap()).unwrap();
    path.display().to_string()
}

#[test]
fn criticality_of_every_road_of_a_large_network_is_refused_with_its_estimate() {
    let tmp = tempfile::tempdir().unwrap();
    let file = grid_file(tmp.path(), 10_000);
    let err = refused(
        &["criticality", &file, "--all-edges", "--out", "out"],
        tmp.path(),
        "--all-edges: the criticality analysis would run",
    );
    assert!(
        err.contains("would run 21804 variants besides the scenario, more than the 10000")
            && err.contains("leave out --all-edges to test only the roads convoys use"),
        "{err}"
    );
}

#[test]
fn compare_of_hundreds_of_files_is_refused_before_reading_them() {
    let tmp = tempfile::tempdir().unwrap();
    let dwell = fixture("examples/dwell.toml").display().to_string();
    let mut args = vec!["compare"];
    args.extend(std::iter::repeat_n(dwell.as_str(), 150));
    refused(
        &args,
        tmp.path(),
        "compare: 150 scenarios are more than the 100 a comparison can show",
    );
    // Five files of 60 MB each: over the total a comparison reads, refused unread.
    let big = tmp.path().join("big.toml");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(60 << 20)
        .unwrap();
    let big = big.display().to_string();
    let mut args = vec!["compare"];
    args.extend(std::iter::repeat_n(big.as_str(), 5));
    refused(
        &args,
        tmp.path(),
        "the scenario files hold 300 MB together, more than the 256 MB",
    );
}

#[test]
fn bench_sizes_that_could_not_be_built_or_finished_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    for nodes in ["0", "1", "4", "18446744073709551615", "-3", "1e6"] {
        let o = corridor(&["bench", "--synthetic-nodes", nodes], tmp.path());
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{nodes}: {err}");
        assert!(
            err.contains("must be a whole number from 9 to 1000000"),
            "{nodes}: {err}"
        );
        assert!(!err.contains("panicked"), "{err}");
    }
    refused(
        &["bench", "--trials", "1000000000000"],
        tmp.path(),
        "--trials: 1000000000000 trials would drive about",
    );
}

/// One fixed stream a day for ten years into a road closed for all of them.
fn stuck_file(dir: &Path) -> String {
    let text = std::fs::read_to_string(fixture("examples/dwell.toml"))
        .unwrap()
        .replacen("horizon_days = 20", "horizon_days = 3650", 1);
    let text = format!("{text}\n[[closure]]\nedges = [\"b-sink\"]\n");
    let path = dir.join("stuck.toml");
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

#[test]
fn a_scenario_whose_convoys_wait_for_years_is_warned_of_before_it_starts() {
    let tmp = tempfile::tempdir().unwrap();
    let stuck = stuck_file(tmp.path());
    // An output folder that cannot be made ends the run right after the warning.
    let o = corridor(
        &[
            "run",
            &stuck,
            "-n",
            "1000000",
            "--out",
            "/proc/corridor-out",
        ],
        tmp.path(),
    );
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    let first = err.lines().next().unwrap();
    assert!(
        first.starts_with("warning: this may take about ")
            && first.contains("its convoys would wait about")
            && first.contains("days per trial behind closures"),
        "{err}"
    );
    // A run of the default scenario is not warned of.
    let o = corridor(
        &["run", "-n", "1000", "--out", "/proc/corridor-out"],
        tmp.path(),
    );
    assert!(!stderr(&o).contains("warning"), "{}", stderr(&o));
}
