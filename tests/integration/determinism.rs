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

#[test]
fn caches_never_change_a_result() {
    // The worker's caches of plans and itineraries are memoisation only: a worker that empties
    // them before every trial gives the same trials, bit for bit, as one that keeps them.
    use corridor::sim::model::Model;
    use corridor::sim::outcome::TrialOutcome;
    use corridor::sim::trial::{NoTrace, Scratch, simulate_trial};
    for (name, budget) in [
        ("benches/scenarios/closures.toml", 0),
        ("benches/scenarios/fleets.toml", 0),
        ("benches/scenarios/fleets.toml", 1 << 16),
        ("scenarios/bamako-2025.toml", 0),
    ] {
        let s = load(&repo().join(name));
        let model = Model::new(&s);
        let (mut kept, mut emptied) = (Scratch::default(), Scratch::with_budget(budget));
        let (mut a, mut b) = (TrialOutcome::new(&model), TrialOutcome::new(&model));
        for trial in 0..200 {
            simulate_trial(&model, 9, trial, &mut kept, &mut a, &mut NoTrace);
            simulate_trial(&model, 9, trial, &mut emptied, &mut b, &mut NoTrace);
            assert_eq!(
                a.metrics().map(f64::to_bits),
                b.metrics().map(f64::to_bits),
                "{name} {trial}"
            );
            assert_eq!(
                (&a.daily, &a.streams),
                (&b.daily, &b.streams),
                "{name} {trial}"
            );
        }
    }
}
