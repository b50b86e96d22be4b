//! The three scenarios of design/examples, worked by hand from MODEL.md: every number is
//! exact for any seed and trial count.

use crate::common::{fixture, load, run};

#[test]
fn worked_examples_give_the_hand_computed_answers() {
    let expected: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("examples/expected.json")).unwrap())
            .unwrap();
    for (name, want) in expected.as_object().unwrap() {
        let scenario = load(&fixture(&format!("examples/{name}.toml")));
        let results = run(&scenario, 50);
        for (metric, value) in want.as_object().unwrap() {
            let value = value.as_f64().unwrap();
            let stat = results.metric(metric);
            let tolerance = 1e-9 * value.abs().max(1.0);
            assert!(
                (stat.mean - value).abs() <= tolerance,
                "{name}: {metric} mean {} but worked by hand {value}",
                stat.mean
            );
            // Nothing is random in these scenarios: every trial is the same.
            assert_eq!(stat.sd, 0.0, "{name}: {metric}");
            assert!(
                (stat.p5 - value).abs() <= tolerance && (stat.p95 - value).abs() <= tolerance,
                "{name}: {metric} {stat:?}"
            );
        }
    }
}

#[test]
fn the_dwell_example_delivers_on_day_d_plus_2() {
    // A convoy leaving on day d arrives at d + 2.05: deliveries start on day 2.
    let results = run(&load(&fixture("examples/dwell.toml")), 10);
    let delivered: Vec<f64> = results.daily[1].iter().map(|s| s.mean).collect();
    assert_eq!(&delivered[..3], &[0.0, 0.0, 400_000.0]);
    assert!(delivered[2..].iter().all(|&x| x == 400_000.0));
}

#[test]
fn the_closure_example_piles_five_convoys_onto_day_8() {
    let results = run(&load(&fixture("examples/closure.toml")), 10);
    let delivered: Vec<f64> = results.daily[1].iter().map(|s| s.mean).collect();
    assert_eq!(
        &delivered[2..10],
        &[
            400_000.0,
            400_000.0,
            0.0,
            0.0,
            0.0,
            0.0,
            2_000_000.0,
            400_000.0
        ]
    );
}

#[test]
fn the_price_example_follows_the_smoothed_ratio() {
    let results = run(&load(&fixture("examples/price.toml")), 10);
    let prices: Vec<f64> = results.daily[2].iter().map(|s| s.mean).collect();
    let want = [
        1000.0, 1000.0, 1000.0, 1514.79, 2692.97, 4787.49, 8000.0, 8000.0,
    ];
    for (got, want) in prices.iter().zip(want) {
        assert!((got - want).abs() < 0.01, "{prices:?}");
    }
}
