//! The decision-analysis commands on small scenarios with known answers: criticality of the
//! only road and of an unused one, a linear sweep, a scenario compared with itself, the
//! messages for bad sweep paths, and precision runs that stop at the same trial count on
//! any thread count.

use std::process::Command;
use std::sync::atomic::AtomicBool;

use corridor::analysis::compare::compare;
use corridor::analysis::criticality::{
    CriticalityConfig, CriticalityResults, Ranking, TargetKind, criticality,
};
use corridor::analysis::path::{FieldPath, Setting};
use corridor::analysis::precision::{STEP, run_to_precision};
use corridor::analysis::sweep::{grid, sweep};
use corridor::analysis::variant::WrittenScenario;
use corridor::analysis::{Difference, paired};
use corridor::sim::model::Model;
use corridor::sim::outcome::{METRICS, metric_index};
use corridor::sim::run::RunConfig;
use corridor::source::TomlSource;

use crate::common::*;

fn config(trials: u64, threads: usize) -> RunConfig {
    RunConfig {
        seed: 1,
        first_trial: 0,
        trials,
        threads,
    }
}

fn no_stop() -> AtomicBool {
    AtomicBool::new(false)
}

fn delivered() -> usize {
    metric_index("delivered_litres").unwrap()
}

fn run_criticality(s: &corridor::Scenario, all_edges: bool, trials: u64) -> CriticalityResults {
    let cc = CriticalityConfig {
        metric: delivered(),
        rank_by: Ranking::Closed,
        all_edges,
    };
    criticality(s, &cc, &config(trials, 2), &|_| {}, &no_stop())
}

/// Two tankers a day from `a` over one 100 km road to the sink, for 10 days.
fn one_road() -> WrittenScenario {
    let net = line_network(&["a", "sink"], &[100.0], &[0.0, 0.0]);
    let text = with_stream(&net, 10, "tankers = 2", "");
    WrittenScenario::from_source(&TomlSource::new("test.toml", text), None).unwrap()
}

/// Daily convoys on the short branch of a fork, attacked on it; the long branch is
/// threatened too, but no convoy drives it.
fn fork_under_threat(horizon: u32) -> corridor::Scenario {
    scenario(&fork_text(horizon))
}

fn fork_text(horizon: u32) -> String {
    let threats = "[[threat]]\nedges = [\"s-sink\"]\nattacks_per_100km = 0.5\n\n\
                   [[threat]]\nedges = [\"a-l\"]\nattacks_per_100km = 0.5\n";
    with_stream(
        &fork_network(100.0, 300.0),
        horizon,
        "tankers = 10",
        threats,
    )
}

#[test]
fn closing_the_only_road_costs_the_whole_delivery() {
    let r = run_criticality(&one_road().scenario, false, 100);
    assert_eq!(r.baseline.mean, 18_000.0);
    for kind in [TargetKind::Edge, TargetKind::Corridor] {
        let id = if kind == TargetKind::Edge {
            "a-sink"
        } else {
            "main"
        };
        let e = r.entry(kind, id).expect("the only road is tested");
        assert_eq!(e.closed.mean, -18_000.0, "{id}");
        assert_eq!((e.closed.ci95, e.used_share), (0.0, 1.0), "{id}");
        assert!(!e.threatened);
        assert_eq!(e.secured, Difference::ZERO);
    }
    assert_eq!(r.variants, 1, "the one-edge corridor is the edge's variant");
}

#[test]
fn an_edge_no_convoy_uses_changes_nothing() {
    let s = fork_under_threat(20);
    let used = run_criticality(&s, false, 200);
    let mut ids: Vec<&str> = used.entries.iter().map(|e| e.id.as_str()).collect();
    ids.sort_unstable();
    assert_eq!(ids, ["a-s", "s-sink", "short"]);
    let all = run_criticality(&s, true, 200);
    for id in ["a-l", "l-sink"] {
        let e = all.entry(TargetKind::Edge, id).unwrap();
        assert_eq!((e.closed, e.secured), (Difference::ZERO, Difference::ZERO));
        assert_eq!(e.used_share, 0.0);
    }
    assert!(all.entry(TargetKind::Edge, "a-l").unwrap().threatened);
    // The used, threatened road: closing it sends convoys the long way, securing it helps.
    let short = all.entry(TargetKind::Edge, "s-sink").unwrap();
    assert!(short.closed.high < 0.0, "{:?}", short.closed);
    assert!(short.secured.low > 0.0, "{:?}", short.secured);
    // Edges rank first, by the size of the change when closed.
    assert_eq!(all.entries[0].kind, TargetKind::Edge);
    assert_eq!(all.entries[0].rank, 1);
}

#[test]
fn analyses_do_not_depend_on_the_thread_count() {
    let s = fork_under_threat(20);
    let cc = CriticalityConfig {
        metric: delivered(),
        rank_by: Ranking::Secured,
        all_edges: false,
    };
    let one = criticality(&s, &cc, &config(300, 1), &|_| {}, &no_stop());
    let two = criticality(&s, &cc, &config(300, 2), &|_| {}, &no_stop());
    assert_eq!(one, two);
    let pair = [
        (s.clone(), "a".to_string()),
        (one_road().scenario, "b".to_string()),
    ];
    assert_eq!(
        compare(&pair, &config(300, 1), &|_| {}, &no_stop()),
        compare(&pair, &config(300, 3), &|_| {}, &no_stop())
    );
}

#[test]
fn a_sweep_of_tankers_scales_deliveries_linearly() {
    let s = one_road();
    let set = Setting::parse("convoy[s].tankers=1,2,4", &s.scenario).unwrap();
    let r = sweep(&s, &[set], delivered(), &config(50, 2), &|_| {}, &no_stop()).unwrap();
    let input = &r.inputs[0];
    let means: Vec<f64> = input.points.iter().map(|p| p.metric.mean).collect();
    assert_eq!(means, [9_000.0, 18_000.0, 36_000.0]);
    assert_eq!(input.base_value, Some(2.0));
    assert_eq!((input.low_value, input.high_value), (1.0, 4.0));
    assert_eq!(input.swing.mean, 27_000.0);
    assert_eq!(input.points[1].change, Difference::ZERO);

    // A default reaches the convoy that does not set its own.
    let x = Setting::parse("convoy[s].tankers=1,3", &s.scenario).unwrap();
    let y = Setting::parse("defaults.tanker_litres=1000,2000", &s.scenario).unwrap();
    let g = grid(&s, &x, &y, delivered(), &config(20, 2), &|_| {}, &no_stop()).unwrap();
    let cells: Vec<(f64, f64, f64)> = g.cells.iter().map(|c| (c.x, c.y, c.metric.mean)).collect();
    assert_eq!(
        cells,
        [
            (1.0, 1000.0, 9_000.0),
            (1.0, 2000.0, 18_000.0),
            (3.0, 1000.0, 27_000.0),
            (3.0, 2000.0, 54_000.0)
        ]
    );
}

#[test]
fn comparing_a_scenario_with_itself_gives_exactly_zero() {
    let s = load(&repo().join("scenarios/bamako-2025.toml"));
    let pair = [(s.clone(), "a".to_string()), (s, "b".to_string())];
    let r = compare(&pair, &config(128, 2), &|_| {}, &no_stop());
    assert_eq!(r.trials, 128);
    for metric in METRICS {
        let versus = r.row(1, metric).vs_first.unwrap();
        assert_eq!(versus.difference, Difference::ZERO, "{metric}");
        assert_eq!(versus.share_equal, 1.0, "{metric}");
        assert_eq!(r.row(0, metric).stat, r.row(1, metric).stat, "{metric}");
    }
    assert!(r.row(0, "tankers_lost").stat.sd > 0.0, "the trials do vary");
}

#[test]
fn more_tankers_deliver_more_in_most_trials() {
    let written = WrittenScenario::from_source(&TomlSource::new("t", fork_text(20)), None).unwrap();
    let s = written.scenario.clone();
    let tankers = FieldPath::parse("convoy[s].tankers", &s).unwrap();
    let more = written.variant(&[(&tankers, 20.0)]).unwrap();
    let pair = [(s, "a".to_string()), (more, "b".to_string())];
    let r = compare(&pair, &config(200, 2), &|_| {}, &no_stop());
    let v = r.row(1, "delivered_litres").vs_first.unwrap();
    assert!(v.difference.low > 0.0, "{v:?}");
    assert_eq!(v.share_greater + v.share_equal + v.share_less, 1.0);
    assert!(v.share_greater > 0.9, "{v:?}");
}

#[test]
fn paths_read_the_scenarios_values() {
    let w = WrittenScenario::load(Some(&fixture("bamako-2025-first-calibration.toml"))).unwrap();
    let s = &w.scenario;
    let value = |p: &str| w.value(&FieldPath::parse(p, s).unwrap());
    assert_eq!(value("price.elasticity"), Some(-0.5));
    assert_eq!(value("sink.initial_stock_litres"), Some(13_000_000.0));
    assert_eq!(value("convoy[dakar-escorted].tankers"), Some(60.0));
    assert_eq!(value("convoy[0].every_days"), Some(3.0));
    assert_eq!(value("convoy[niger-convoy].speed_km_per_day"), Some(67.0));
    assert_eq!(value("convoy[abidjan-pogo].speed_km_per_day"), None);
    assert_eq!(value("escort.army.attack_mult"), Some(0.5));
    assert_eq!(value("escort[army].loss_mult"), Some(0.6));
    assert_eq!(value("threat[2].attacks_per_100km"), Some(0.25));
    assert_eq!(value("closure[0].to_day"), Some(7.0));
    assert_eq!(value("edge[kati-bamako].km"), Some(15.0));
    assert_eq!(value("network.edge[bamako-kati].km"), Some(15.0));
    assert_eq!(value("horizon_days"), Some(90.0));
    // Setting a field that was unset, and a whole-number field.
    let speed = FieldPath::parse("convoy[abidjan-pogo].speed_km_per_day", s).unwrap();
    let tankers = FieldPath::parse("convoy[abidjan-pogo].tankers", s).unwrap();
    let v = w.variant(&[(&speed, 200.0), (&tankers, 9.0)]).unwrap();
    assert_eq!(v.streams[2].speed_km_per_day, Some(200.0));
    assert_eq!(v.streams[2].tankers, 9);
    // A node or edge of a built-in network: the variant writes the network inline.
    let km = FieldPath::parse("edge[kati-bamako].km", s).unwrap();
    let v = w.variant(&[(&km, 30.0)]).unwrap();
    let e = v
        .network
        .edge_between(v.network.node_index("kati").unwrap(), v.headline().node);
    assert_eq!(v.network.edge(e.unwrap()).km, 30.0);
    assert_eq!(v.network.edge_count(), s.network.edge_count());
}

#[test]
fn bad_sweep_inputs_get_clear_messages() {
    let w = WrittenScenario::load(Some(&fixture("bamako-2025-first-calibration.toml"))).unwrap();
    let s = &w.scenario;
    let cases = [
        "prce.elasticity=-0.3",
        "price.elastcity=-0.3",
        "price.currency=1",
        "price=1",
        "price[0].elasticity=1",
        "convoy[dakar-nort].tankers=10",
        "convoy.tankers=10",
        "convoy[dakar-escorted]=10",
        "convoy[dakar-escorted].tankers.x=10",
        "threat[9].attacks_per_100km=0.1",
        "random_closure[0].per_day=0.1",
        "escort.armi.attack_mult=0.5",
        "edge[kati-bamak].km=10",
        "edge[kayes-bamako].km=10",
        "node[bamako].dwell=1",
        "convoy[dakar-escorted.tankers=10",
        "price.elasticity",
        "price.elasticity=-0.3,abc",
        "price.elasticity=-0.3,-0.3",
        "convoy[dakar-escorted].tankers=10.5",
    ];
    let mut text = String::new();
    for arg in cases {
        let message = Setting::parse(arg, s).unwrap_err().to_string();
        text += &format!("{arg}\n  {message}\n");
    }
    for arg in [
        "price.elasticity=0.5",
        "convoy[dakar-escorted].tankers=0",
        "horizon_days=5",
    ] {
        let set = Setting::parse(arg, s).unwrap();
        let message = w
            .variant(&[(&set.path, set.values[0])])
            .unwrap_err()
            .to_string();
        text += &format!("{arg}\n  {message}\n");
    }
    insta::assert_snapshot!(text);
}

#[test]
fn precision_stops_at_the_same_trial_count_on_any_thread_count() {
    let model = Model::new(&fork_under_threat(30));
    let run = |precision: f64, max: u64, threads: usize| {
        run_to_precision(&model, 1, precision, max, threads, &|_| {}, &no_stop())
    };
    let one = run(0.0014, 100_000, 1);
    let two = run(0.0014, 100_000, 2);
    assert!(one.reached);
    assert_eq!(one.tally, two.tally);
    assert!(one.tally.trials > STEP, "{}", one.tally.trials);
    assert_eq!(one.tally.trials % STEP, 0);
    // The same numbers as a plain run of that many trials.
    let plain =
        corridor::sim::run::run_trials(&model, &config(one.tally.trials, 2), &|_| {}, &no_stop());
    assert_eq!(one.tally, plain);
    // It stopped at the first check that met the precision: one step earlier did not.
    let before = run(0.0014, one.tally.trials - STEP, 2);
    assert!(!before.reached && before.achieved > 0.0014);
    // A cap below the need stops at the cap.
    let capped = run(0.0001, 1500, 2);
    assert!(!capped.reached);
    assert_eq!(capped.tally.trials, 1500);
}

#[test]
fn paired_runs_count_the_trials_they_did() {
    let model = Model::new(&one_road().scenario);
    struct Count(u64);
    impl corridor::sim::trial::Observer for Count {}
    impl paired::PairedTally for Count {
        fn add(&mut self, outcomes: &[corridor::sim::outcome::TrialOutcome]) {
            self.0 += outcomes.len() as u64;
        }
        fn merge(&mut self, other: &Self) {
            self.0 += other.0;
        }
    }
    let models = [model];
    let stop = AtomicBool::new(true);
    let (count, trials) =
        paired::run_paired(&models, &config(500, 2), &|| Count(0), &|_| {}, &stop);
    assert_eq!((count.0, trials), (0, 0), "a stopped run does nothing");
    let (count, trials) =
        paired::run_paired(&models, &config(500, 2), &|| Count(0), &|_| {}, &no_stop());
    assert_eq!((count.0, trials), (500, 500));
}

fn corridor_bin(args: &[&str], dir: &std::path::Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_corridor"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the binary runs")
}

#[test]
fn the_commands_print_their_table_and_write_csv_and_json() {
    let tmp = tempfile::tempdir().unwrap();
    let file = fixture("examples/dwell.toml");
    let f = file.to_str().unwrap();
    let runs: [(&[&str], &str, &[&str]); 4] = [
        (
            &["compare", f, f, "-n", "20"],
            "compare-",
            &["compare.csv", "compare.json", "1-", "2-"],
        ),
        (
            &["criticality", f, "-n", "20"],
            "criticality",
            &["criticality.csv", "criticality.json", "scenario.toml"],
        ),
        (
            &[
                "sweep",
                f,
                "-n",
                "20",
                "--set",
                "sink.initial_stock_litres=0,1e6",
            ],
            "sweep",
            &["sweep.csv", "tornado.csv", "sweep.json", "scenario.toml"],
        ),
        (
            &[
                "sweep",
                f,
                "-n",
                "20",
                "--grid",
                "--set",
                "sink.initial_stock_litres=0,1e6",
                "--set",
                "price.elasticity=-0.2,-0.4",
            ],
            "sweep",
            &["grid.csv", "grid.json"],
        ),
    ];
    for (args, folder, files) in runs {
        let o = corridor_bin(args, tmp.path());
        let stdout = String::from_utf8_lossy(&o.stdout);
        assert!(
            o.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(stdout.contains("results in output/"), "{stdout}");
        let dir = walk(&tmp.path().join("output"))
            .into_iter()
            .find(|p| {
                // Not an earlier result moved aside (`sweep.2026-05-20T061500Z`).
                let name = p.file_name().unwrap().to_string_lossy();
                p.is_dir() && name.starts_with(folder) && !name.contains(".20")
            })
            .unwrap_or_else(|| panic!("no {folder} folder"));
        let names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        for f in files {
            assert!(names.iter().any(|n| n.starts_with(f)), "{f} in {names:?}");
        }
        for json in names.iter().filter(|n| n.ends_with(".json")) {
            let text = std::fs::read_to_string(dir.join(json)).unwrap();
            serde_json::from_str::<serde_json::Value>(&text).unwrap();
        }
    }
}

#[test]
fn run_with_precision_reports_the_trials_it_used() {
    let tmp = tempfile::tempdir().unwrap();
    let file = fixture("examples/dwell.toml");
    let f = file.to_str().unwrap();
    let o = corridor_bin(
        &["run", f, "--precision", "0.01", "--out", "out"],
        tmp.path(),
    );
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // A scenario without randomness has no spread: the first check stops it.
    assert!(
        stdout.contains("precision reached") && stdout.contains("after 1,024 trials"),
        "{stdout}"
    );
    let summary = std::fs::read_to_string(tmp.path().join("out/summary.json")).unwrap();
    assert!(summary.contains("\"trials\": 1024"), "{summary}");
    // --precision decides the trial count, so it goes with neither --trials nor --shard.
    for fixed in [["--trials", "10"], ["--shard", "0/2"]] {
        let args = ["run", f, "--precision", "0.01", fixed[0], fixed[1]];
        assert_eq!(
            corridor_bin(&args, tmp.path()).status.code(),
            Some(2),
            "{fixed:?}"
        );
    }
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
            out.push(p);
        }
    }
    out
}

#[test]
fn bad_analysis_input_exits_with_code_2_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let file = fixture("examples/dwell.toml");
    let f = file.to_str().unwrap();
    for (args, expected) in [
        (
            vec!["sweep", f, "--set", "prce.elasticity=-0.3"],
            "error: --set: prce.elasticity: \"prce\" is not a scenario section; did you mean \"price\"?",
        ),
        (
            vec!["sweep", f, "--set", "price.elasticity=0.5"],
            "makes the scenario invalid",
        ),
        (
            vec!["sweep", f, "--grid", "--set", "price.elasticity=-0.3"],
            "error: --grid: a grid needs exactly two inputs",
        ),
        (
            vec!["criticality", f, "--metric", "delivered"],
            "invalid value 'delivered' for '--metric <METRIC>'",
        ),
    ] {
        let o = corridor_bin(&args, tmp.path());
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
    assert!(!tmp.path().join("output").exists());
}
