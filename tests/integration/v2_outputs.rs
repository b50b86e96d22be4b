//! The outputs of version 2 (INTERFACE.md, "Output folder"): every sink with its classes
//! and every staging point in `summary.json`, `sinks.csv`, `streams.csv` and
//! `results.json`, their charts and their tables in the report, on a scenario that uses them
//! all; the same bytes from shards merged; `results.json` read back by `corridor chart`.

use std::sync::atomic::AtomicBool;

use corridor::report::RunResults;
use corridor::report::files::{run_files, sinks_csv, streams_csv, summary_json};
use corridor::sim::model::Model;
use corridor::sim::run::{RunConfig, Tally, run_trials};
use serde_json::Value;

use crate::binary::corridor;
use crate::common::*;

#[test]
fn a_run_reports_every_sink_class_and_staging_point() {
    let s = two_sinks_and_staging();
    let r = run(&s, 64);
    assert_eq!((r.sinks.len(), r.sinks[0].classes.len()), (2, 2));
    assert_eq!(r.staging.len(), 1);
    let (power, retail) = (&r.sinks[0].classes[0], &r.sinks[0].classes[1]);
    // Power plants come first: they keep their fuel while retail is rationed.
    assert!(power.mean("unserved_litres") < 0.01 * retail.mean("unserved_litres"));
    assert!(r.staging[0].mean("escorted_convoys") > 0.0);
    // The headline sink's figures are the trial metrics'.
    assert_eq!(
        r.sinks[0].mean("unserved_litres"),
        r.metric("unserved_litres").mean
    );
    assert_eq!(r.sinks[0].daily, r.daily);
    // A class's served share by day: its mean released litres over the run, day by day.
    let days = f64::from(r.horizon_days);
    for c in [power, retail] {
        assert_eq!(c.served.len(), r.horizon_days as usize);
        let mean_share = c.served.iter().sum::<f64>() / days;
        let released = c.mean("released_litres") / (c.litres_per_day * days);
        assert!((mean_share - released).abs() < 1e-9, "{}", c.name);
    }
    assert!(r.sinks[1].classes[0].served.is_empty());
    // The formed convoys by day add up to the escorted convoys per trial.
    let formed: f64 = r.staging[0].formed.iter().sum();
    assert!((formed - r.staging[0].mean("escorted_convoys")).abs() < 1e-9);
    assert_eq!(r.layout_error(), None);
}

#[test]
fn the_files_carry_every_sink_class_and_staging_point_under_their_names() {
    let mut r = run(&two_sinks_and_staging(), 32);
    let summary: Value = serde_json::from_str(&summary_json(&r)).unwrap();
    let keys: Vec<&str> = summary
        .as_object()
        .unwrap()
        .keys()
        .map(|k| k.as_str())
        .collect();
    assert_eq!(&keys[keys.len() - 3..], ["streams", "sinks", "staging"]);
    let sinks = summary["sinks"].as_array().unwrap();
    assert_eq!(sinks.len(), 2);
    assert_eq!(sinks[0]["node"], "bamako");
    assert_eq!(sinks[1]["node"], "sikasso");
    for field in [
        "delivered_litres",
        "unserved_litres",
        "shortage_days",
        "stockout_days",
        "peak_price",
        "mean_price",
        "final_stock_litres",
        "backlog_litres",
    ] {
        assert!(sinks[1][format!("{field}_mean")].is_number(), "{field}");
    }
    let classes = sinks[0]["classes"].as_array().unwrap();
    assert_eq!(classes[0]["name"], "power-plants");
    assert_eq!(classes[1]["name"], "retail");
    for field in ["released_litres", "unserved_litres", "shortage_days"] {
        assert!(classes[1][format!("{field}_mean")].is_number(), "{field}");
    }
    assert_eq!(sinks[1]["classes"][0]["name"], "all");
    let staging = &summary["staging"][0];
    assert_eq!(staging["node"], "zegoua");
    for field in [
        "tankers_staged",
        "escorted_convoys",
        "convoys_attacked",
        "wait_days",
        "waiting_end",
    ] {
        assert!(staging[format!("{field}_mean")].is_number(), "{field}");
    }
    // sinks.csv: every sink, four series, every day.
    let csv = sinks_csv(&r);
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("sink,day,date,metric,mean,p5,p50,p95"));
    assert_eq!(lines.count(), 2 * 4 * r.horizon_days as usize);
    assert!(csv.contains("\nsikasso,89,2025-12-01,served_share,"));
    // A stream at a depot with a loading limit reports tankers short and departures skipped
    // (MODEL.md section 12), in summary.json and streams.csv, fleet or not.
    let pogo = r
        .streams
        .iter()
        .position(|s| s.name == "abidjan-pogo")
        .unwrap();
    r.streams[pogo].load_limit = Some(20);
    let summary: Value = serde_json::from_str(&summary_json(&r)).unwrap();
    let entry = summary["streams"][pogo].as_object().unwrap();
    assert!(
        entry.contains_key("tankers_short_mean") && entry.contains_key("departures_skipped_mean")
    );
    assert!(!entry.contains_key("fleet_end_mean"));
    let row = streams_csv(&r).lines().nth(pogo + 1).unwrap().to_string();
    assert_eq!(row.split(',').count(), 7);
    assert!(
        row.ends_with(','),
        "no fleet_end for a stream without a fleet: {row}"
    );
    assert!(!row.ends_with(",,"), "{row}");
}

#[test]
fn a_version_1_run_lists_its_one_sink_and_no_staging_point() {
    let r = run(&version_1_blockade(), 16);
    let summary: Value = serde_json::from_str(&summary_json(&r)).unwrap();
    assert_eq!(summary["sinks"].as_array().unwrap().len(), 1);
    assert_eq!(summary["sinks"][0]["classes"][0]["name"], "all");
    assert_eq!(summary["staging"], Value::Array(Vec::new()));
    assert_eq!(
        sinks_csv(&r).lines().count(),
        1 + 4 * r.horizon_days as usize
    );
}

/// The tally of trials `first .. first + n`, sent through JSON as a shard's partial result is.
fn shard(model: &Model, first: u64, n: u64, threads: usize) -> Tally {
    let config = RunConfig {
        seed: 5,
        first_trial: first,
        trials: n,
        threads,
    };
    let tally = run_trials(model, &config, &|_| {}, &AtomicBool::new(false));
    serde_json::from_str(&serde_json::to_string(&tally).unwrap()).unwrap()
}

#[test]
fn shards_merged_write_the_files_of_one_run_byte_for_byte() {
    let s = two_sinks_and_staging();
    let model = Model::new(&s);
    let whole = RunResults::finish(&s, &shard(&model, 0, 60, 1), 5, 60);
    let mut merged = shard(&model, 40, 20, 2);
    merged.merge(&shard(&model, 0, 17, 3));
    merged.merge(&shard(&model, 17, 23, 1));
    assert_eq!(merged.layout_differs(&Tally::new(&model)), None);
    let parts = RunResults::finish(&s, &merged, 5, 60);
    let resolved = s.to_resolved_toml();
    assert_eq!(run_files(&resolved, &whole), run_files(&resolved, &parts));
    // A tally of another scenario does not fit.
    let other = Tally::new(&Model::new(&version_1_blockade()));
    assert_eq!(other.layout_differs(&Tally::new(&model)), Some("sinks"));
}

#[test]
fn results_json_round_trips_through_corridor_chart_with_every_chart() {
    let s = two_sinks_and_staging();
    let r = run(&s, 24);
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("out");
    std::fs::create_dir(&dir).unwrap();
    for (name, bytes) in run_files(&s.to_resolved_toml(), &r) {
        std::fs::write(dir.join(name), bytes).unwrap();
    }
    let back: RunResults =
        serde_json::from_slice(&std::fs::read(dir.join("results.json")).unwrap()).unwrap();
    assert_eq!(back, r);
    let o = corridor(&["chart", "out", "--format", "svg"], tmp.path());
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for chart in [
        "stock",
        "price",
        "stock-sikasso",
        "price-sikasso",
        "served-bamako",
        "staging-zegoua",
        "map",
    ] {
        let svg = std::fs::read_to_string(dir.join(format!("charts/{chart}.svg")));
        assert!(svg.is_ok_and(|t| t.starts_with("<svg")), "{chart}");
    }
    assert!(!dir.join("charts/served-sikasso.svg").exists());
    let map = std::fs::read_to_string(dir.join("charts/map.svg")).unwrap();
    let label = format!("{} (staging, 2 escort units)", r.staging[0].name);
    assert!(map.contains(&label), "the map marks it");
    let page = std::fs::read_to_string(dir.join("report.html")).unwrap();
    for text in [
        "id=\"sinks\"",
        "Demand classes in Bamako",
        "power-plants",
        "id=\"staging\"",
        "id=\"chart-served-bamako\"",
    ] {
        assert!(page.contains(text), "{text}");
    }
    // A results.json whose series are cut short is refused, not drawn.
    let text = std::fs::read_to_string(dir.join("results.json")).unwrap();
    let mut damaged: Value = serde_json::from_str(&text).unwrap();
    damaged["staging"][0]["formed"]
        .as_array_mut()
        .unwrap()
        .pop();
    std::fs::write(dir.join("results.json"), damaged.to_string()).unwrap();
    let o = corridor(&["chart", "out"], tmp.path());
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("damaged results.json: a staging point's convoys has 89 days, not 90"),
        "{err}"
    );
}

/// Writes the version 2 scenario's folder, with PNG charts and the report, into
/// `target/v2-charts`, to look at.
#[test]
#[ignore]
fn draw_the_version_2_charts_to_look_at() {
    let s = two_sinks_and_staging();
    let r = run(&s, 400);
    let dir = repo().join("target/v2-charts");
    std::fs::create_dir_all(&dir).unwrap();
    for (name, bytes) in run_files(&s.to_resolved_toml(), &r) {
        std::fs::write(dir.join(name), bytes).unwrap();
    }
    let o = corridor(
        &["chart", "v2-charts", "--format", "png"],
        &repo().join("target"),
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}
