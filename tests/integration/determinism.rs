//! Same scenario, seed and trial count: the same numbers, bit for bit, on any thread count;
//! a golden value pins the default scenario's results.

use corridor::report::files::{daily_csv, summary_json};

use crate::common::*;

#[test]
fn results_do_not_depend_on_the_thread_count() {
    let s = load(&repo().join("scenarios/bamako-2025.toml"));
    let one = corridor::simulate(&s, 3, 700, 1);
    for threads in [2, 3] {
        let many = corridor::simulate(&s, 3, 700, threads);
        assert_eq!(summary_json(&one), summary_json(&many), "{threads} threads");
        assert_eq!(daily_csv(&one), daily_csv(&many), "{threads} threads");
        assert_eq!(one, many);
    }
}

#[test]
fn different_seeds_give_different_trials() {
    let s = load(&repo().join("scenarios/bamako-2025.toml"));
    let a = corridor::simulate(&s, 1, 200, 2);
    let b = corridor::simulate(&s, 2, 200, 2);
    assert_ne!(a.metric("tankers_lost").mean, b.metric("tankers_lost").mean);
}

#[test]
fn golden_summary_of_the_default_scenario() {
    // Pins every number of a small run of the built-in scenario. If this changes, every
    // published result changes with it: update the snapshot only for an intended model change.
    let s = corridor::Scenario::builtin_default();
    insta::assert_snapshot!(summary_json(&corridor::simulate(&s, 7, 256, 2)));
}

#[test]
fn the_resolved_scenario_repeats_the_run_exactly() {
    for name in ["bamako-2025", "baseline"] {
        let s = load(&repo().join(format!("scenarios/{name}.toml")));
        let resolved = scenario(&s.to_resolved_toml());
        let body = |s: &corridor::Scenario| toml::to_string(&s.to_raw()).unwrap();
        assert_eq!(body(&resolved), body(&s));
        assert_eq!(
            summary_json(&corridor::simulate(&s, 5, 128, 2)),
            summary_json(&corridor::simulate(&resolved, 5, 128, 2))
        );
    }
}

#[test]
fn the_built_in_default_is_the_shipped_file() {
    let shipped = std::fs::read_to_string(repo().join("scenarios/bamako-2025.toml")).unwrap();
    assert_eq!(shipped, corridor::builtin::DEFAULT_SCENARIO);
}
