//! `corridor optimize` through the binary: on a scenario where the best allocation is known
//! by construction it is chosen, the result does not depend on the thread count, and bad
//! arguments get one message and exit code 2.

use serde_json::Value;

use crate::binary::*;

/// Two staging points with one stream each, from its own port. Tankers staged at `a` go on
/// to the sink over a road where nearly every unescorted convoy is attacked; at `b` over a
/// road with no threat. The army escort deters every attack. With one unit, the unit must go to
/// `a`: at `b` it protects nothing, and `a`'s stream, its point dropped, drives into the
/// attacks unescorted.
const KNOWN_BEST: &str = r#"name = "two-posts"
horizon_days = 40
[network]
[[network.node]]
id = "pa"
name = "Port A"
country = "SN"
kind = "port"
lat = 14.0
lon = -12.0
[[network.node]]
id = "pb"
name = "Port B"
country = "SN"
kind = "port"
lat = 11.0
lon = -12.0
[[network.node]]
id = "a"
name = "A"
country = "ML"
kind = "border"
lat = 13.0
lon = -10.0
[[network.node]]
id = "b"
name = "B"
country = "ML"
kind = "border"
lat = 12.0
lon = -10.0
[[network.node]]
id = "city"
name = "City"
country = "ML"
kind = "town"
lat = 12.6
lon = -8.0
[[network.edge]]
from = "pa"
to = "a"
km = 300.0
[[network.edge]]
from = "pb"
to = "b"
km = 300.0
[[network.edge]]
from = "a"
to = "city"
km = 200.0
[[network.edge]]
from = "b"
to = "city"
km = 200.0
[sink]
node = "city"
initial_stock_litres = 0
daily_demand_litres = 1_000_000
[escort.army]
attack_mult = 0.0
[[staging]]
node = "a"
escort = "army"
units = 1
max_tankers = 50
routing = "fixed"
[[staging]]
node = "b"
escort = "army"
units = 1
max_tankers = 50
routing = "fixed"
[[convoy]]
name = "via-a"
from = "pa"
tankers = 10
stage = "a"
routing = "fixed"
[[convoy]]
name = "via-b"
from = "pb"
tankers = 10
stage = "b"
routing = "fixed"
[[threat]]
edges = ["a-city"]
attacks_per_100km = 2.0
"#;

fn optimize_json(dir: &std::path::Path, threads: &str) -> Value {
    std::fs::write(dir.join("two.toml"), KNOWN_BEST).unwrap();
    let out = format!("out-{threads}");
    let o = corridor(
        &[
            "optimize",
            "two.toml",
            "--units",
            "1",
            "--batch",
            "20",
            "-q",
            "--threads",
            threads,
            "--out",
            &out,
        ],
        dir,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    for file in ["optimize.csv", "optimize.svg", "chosen.toml"] {
        assert!(dir.join(&out).join(file).is_file(), "{file}");
    }
    serde_json::from_str(&std::fs::read_to_string(dir.join(&out).join("optimize.json")).unwrap())
        .unwrap()
}

#[test]
fn the_known_best_allocation_is_chosen_on_any_thread_count() {
    let tmp = tempfile::tempdir().unwrap();
    let one = optimize_json(tmp.path(), "1");
    let chosen = one["chosen"].as_u64().unwrap() as usize;
    let units = &one["candidates"][chosen]["units"];
    assert_eq!(units, &serde_json::json!([1, 0]), "{one}");
    assert_eq!(one["separated"], true);
    assert_eq!(one["points"], serde_json::json!(["a", "b"]));
    // The other candidate loses fuel on a's road: its difference is clearly negative.
    let other = &one["candidates"][1 - chosen];
    let (d, ci) = (
        other["difference"].as_f64().unwrap(),
        other["difference_ci95"].as_f64().unwrap(),
    );
    assert!(d + ci < 0.0, "{other}");
    assert_eq!(one, optimize_json(tmp.path(), "2"));
    // The chosen allocation is a runnable scenario: a keeps its unit, b is gone.
    let chosen_toml = tmp.path().join("out-1/chosen.toml");
    let s = corridor::Scenario::load(&chosen_toml).unwrap();
    assert_eq!(s.staging.len(), 1);
    assert_eq!(s.network.node(s.staging[0].node).id, "a");
}

#[test]
fn bad_optimize_arguments_get_one_message_and_exit_code_2() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("two.toml"), KNOWN_BEST).unwrap();
    let baseline = crate::common::repo().join("scenarios/baseline.toml");
    let cases: [(Vec<&str>, &str); 3] = [
        (
            vec!["optimize", baseline.to_str().unwrap(), "--units", "2"],
            "has no [[staging]] point",
        ),
        (
            vec!["optimize", "two.toml", "--units", "1", "--at", "a,c"],
            "\"c\" is not a staging point; staging points: a, b",
        ),
        (
            vec![
                "optimize",
                "two.toml",
                "--units",
                "1000",
                "--set",
                "staging[a].max_tankers=10,20,30",
            ],
            "candidates (1001 ways to share 1000 units among 2 staging points, crossed with the --set values) are more than the 2000",
        ),
    ];
    for (args, expected) in cases {
        let o = corridor(&args, tmp.path());
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(expected), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}
