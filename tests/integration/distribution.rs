//! The engine of version 2 against the engine before it. Version 2 draws its random numbers
//! differently (counter-based generators, attacks along whole itineraries, tabulated losses),
//! so single trials differ; in distribution nothing may. `tests/fixtures/engine-v1/` holds
//! every scenario shipped with version 1 and the two benchmark scenarios, with the mean and
//! standard deviation of every metric over 40,000 trials of the old engine (seed 11). Each
//! mean of the new engine must lie within 4 standard errors of the old one (the standard
//! error of the difference of two independent means): a false alarm on one of ~130
//! comparisons has a probability of about 1 %, and the seeds are fixed, so the test either
//! always passes or always fails.

use corridor::sim::outcome::METRICS;

use crate::common::*;

/// Trials of the new engine per scenario: release builds run more for a sharper test.
const TRIALS: u64 = if cfg!(debug_assertions) {
    3_000
} else {
    20_000
};

#[test]
fn the_new_engine_agrees_with_the_old_in_distribution() {
    let dir = fixture("engine-v1");
    let reference: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("reference.json")).unwrap())
            .unwrap();
    let old_trials = reference["trials"].as_f64().unwrap();
    let scenarios = reference["scenarios"].as_object().unwrap();
    assert_eq!(scenarios.len(), 12, "every v1 scenario and both benchmarks");
    let mut report = Vec::new();
    for (name, old) in scenarios {
        let s = load(&dir.join(format!("{name}.toml")));
        let new = corridor::simulate(&s, 5, TRIALS, 2);
        for metric in METRICS {
            let Some(o) = old.get(metric) else {
                continue; // a metric version 1 did not have
            };
            let (old_mean, old_sd) = (o["mean"].as_f64().unwrap(), o["sd"].as_f64().unwrap());
            let stat = new.metric(metric);
            let se = (old_sd.powi(2) / old_trials + stat.sd.powi(2) / TRIALS as f64).sqrt();
            let gap = (stat.mean - old_mean).abs();
            let z = if se > 0.0 {
                gap / se
            } else if gap <= 1e-9 * old_mean.abs().max(1.0) {
                0.0
            } else {
                f64::INFINITY
            };
            if z > 4.0 {
                report.push(format!(
                    "{name} {metric}: new {} vs old {old_mean} ({z:.1} standard errors)",
                    stat.mean
                ));
            }
        }
    }
    assert!(report.is_empty(), "{}", report.join("\n"));
}
