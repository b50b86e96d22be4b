//! The charts of the decision-analysis commands: what each SVG says (titles with the
//! scenario names, axes with units, one series or bar per scenario, road or input), that they
//! do not depend on the thread count, and the files the commands write (`--format`,
//! `--no-charts`).

use std::path::Path;
use std::process::{Command, Output};
use std::sync::atomic::AtomicBool;

use corridor::analysis::compare::{CompareResults, compare};
use corridor::analysis::criticality::{
    CriticalityConfig, CriticalityResults, Ranking, criticality,
};
use corridor::analysis::path::Setting;
use corridor::analysis::sweep::{grid, sweep};
use corridor::analysis::variant::WrittenScenario;
use corridor::report::chart::analysis::{
    Figure, compare_figures, criticality_figures, grid_figures, sweep_figures,
};
use corridor::sim::outcome::metric_index;
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

/// Every figure as (file name, SVG), checked for what every chart must be.
fn svgs(figures: &[Figure]) -> Vec<(&'static str, String)> {
    figures
        .iter()
        .map(|f| {
            let svg = f.render_svg().unwrap();
            let (w, h) = f.size();
            assert!(
                svg.starts_with(&format!("<svg width=\"{w}\" height=\"{h}\" ")),
                "{}",
                f.name
            );
            assert!(svg.trim_end().ends_with("</svg>"), "{}", f.name);
            assert!(!svg.contains("NaN") && !svg.contains("inf\""), "{}", f.name);
            assert_eq!(
                svg.matches("<text").count(),
                svg.matches("</text>").count(),
                "{}",
                f.name
            );
            (f.name, svg)
        })
        .collect()
}

fn assert_has(svg: &str, name: &str, needles: &[&str]) {
    for needle in needles {
        assert!(svg.contains(needle), "{name}.svg lacks {needle:?}");
    }
}

/// The text of an SVG `<text>` element, as plotters writes it.
fn text(s: &str) -> String {
    format!(">\n{s}\n</text>")
}

fn bamako_vs_daily_light(trials: u64, threads: usize) -> CompareResults {
    let scenarios: Vec<_> = ["bamako-2025", "escort-policy-daily-light"]
        .iter()
        .map(|n| {
            let path = repo().join(format!("scenarios/{n}.toml"));
            (load(&path), path.display().to_string())
        })
        .collect();
    compare(
        &scenarios,
        &config(trials, threads),
        &|_| {},
        &AtomicBool::new(false),
    )
}

#[test]
fn compare_overlays_the_distributions_and_the_stock_fans_of_every_scenario() {
    let r = bamako_vs_daily_light(60, 2);
    let figures = compare_figures(&r);
    let all = svgs(&figures);
    let names: Vec<&str> = all.iter().map(|(n, _)| *n).collect();
    assert_eq!(names, ["delivered", "stock"]);
    let (delivered, stock) = (&all[0].1, &all[1].1);
    let title = "bamako-2025 vs escort-policy-daily-light: ";
    let ml = |x: f64| corridor::report::table::grouped(x / 1e6, 1);
    let means: Vec<String> = r
        .runs
        .iter()
        .map(|run| {
            format!(
                "{}: mean {} M L",
                run.scenario,
                ml(run.metric("delivered_litres").mean)
            )
        })
        .collect();
    assert_has(
        delivered,
        "delivered",
        &[
            &format!("{title}Total fuel delivered to Bamako"),
            "60 trials of each scenario, paired by trial",
            "Share of trials, %",
            "Fuel delivered to Bamako in 90 days, million litres",
            &means[0],
            &means[1],
        ],
    );
    assert_has(
        stock,
        "stock",
        &[
            &format!("{title}Fuel stock in Bamako"),
            "Stock, days of normal demand",
            "Date (2025)",
            "15 Sep",
            "5-95 % of trials, in the scenario&apos;s colour",
            &text("bamako-2025"),
            &text("escort-policy-daily-light"),
            &text("empty"),
        ],
    );
    // One colour per scenario: its histogram outline and mean, its band and median.
    for colour in ["#0072B2", "#D55E00"] {
        let stroke = format!("stroke=\"{colour}\"");
        let fill = format!("fill=\"{colour}\"");
        assert!(
            delivered.matches(&stroke).count() >= 2,
            "delivered {colour}"
        );
        assert!(stock.matches(&stroke).count() >= 2, "stock {colour}");
        assert!(stock.contains(&fill), "stock band {colour}");
    }
    assert!(
        stock.matches("<polygon").count() >= 2,
        "a band per scenario"
    );
}

fn criticality_of(s: &corridor::Scenario, trials: u64, threads: usize) -> CriticalityResults {
    let cc = CriticalityConfig {
        metric: metric_index("delivered_litres").unwrap(),
        rank_by: Ranking::Closed,
        all_edges: false,
    };
    criticality(
        s,
        &cc,
        &config(trials, threads),
        &|_| {},
        &AtomicBool::new(false),
    )
}

#[test]
fn criticality_ranks_every_road_and_maps_the_value_of_securing_it() {
    let r = criticality_of(&corridor::Scenario::builtin_default(), 30, 2);
    let all = svgs(&criticality_figures(&r));
    let names: Vec<&str> = all.iter().map(|(n, _)| *n).collect();
    assert_eq!(names, ["criticality", "map"]);
    let (bars, map) = (&all[0].1, &all[1].1);
    assert_has(
        bars,
        "criticality",
        &[
            "bamako-2025: Which roads matter most",
            "30 trials · the change in fuel delivered (scenario: ",
            "Change when closed, million litres",
            "Change when secured, million litres",
            "Closed both ways for the whole horizon",
            "Secured: its threats removed",
            "95 % confidence interval",
            &text("Roads"),
            &text("Corridors (every road with the tag)"),
            &text("no threat"),
        ],
    );
    // A labelled row for every road and corridor, and each one's change when closed.
    for e in &r.entries {
        let km = corridor::report::table::grouped(e.km, 0);
        assert!(bars.contains(&format!("\n{} · {km} km", e.id)), "{}", e.id);
    }
    let top = &r.entries[0];
    assert!(
        bars.contains(&text(&format!("{:.2}", top.closed.mean / 1e6))),
        "{:?}",
        top.closed
    );
    assert_has(
        map,
        "map",
        &[
            "bamako-2025: What securing each road is worth",
            "each road coloured by the change in fuel delivered when its threats are removed",
            "Value of securing it: change in",
            "Used, no threat on it",
            "Bamako (sink, ML)",
            "Dakar (SN)",
            "Sea port",
            " km",
        ],
    );
    // Every road of the network is drawn.
    assert!(map.matches("<polyline").count() >= r.network.edges.len());
}

#[test]
fn the_criticality_map_tells_unused_and_unthreatened_roads_apart() {
    let threats = "[[threat]]\nedges = [\"s-sink\"]\nattacks_per_100km = 0.5\n";
    let s = scenario(&with_stream(
        &fork_network(100.0, 300.0),
        20,
        "tankers = 10",
        threats,
    ));
    let r = criticality_of(&s, 50, 2);
    let all = svgs(&criticality_figures(&r));
    let (bars, map) = (&all[0].1, &all[1].1);
    assert_has(
        bars,
        "criticality",
        &["\na-s · 100 km", "\ns-sink · 100 km", "\nshort · 200 km"],
    );
    assert!(
        !bars.contains("\na-l · "),
        "a road no convoy uses is not tested"
    );
    assert_has(
        map,
        "map",
        &[
            "t: What securing each road is worth",
            "Used, no threat on it",
            "Not used by any convoy",
            "sink (sink, ML)",
        ],
    );
}

#[test]
fn sweep_draws_a_tornado_and_a_grid_a_heat_map() {
    let net = line_network(&["a", "sink"], &[100.0], &[0.0, 0.0]);
    let text_ = with_stream(&net, 10, "tankers = 2", "");
    let w = WrittenScenario::from_source(&TomlSource::new("test.toml", text_), None).unwrap();
    let delivered = metric_index("delivered_litres").unwrap();
    let tankers = Setting::parse("convoy[s].tankers=1,2,4", &w.scenario).unwrap();
    let stock = Setting::parse("sink.initial_stock_litres=0,50000", &w.scenario).unwrap();
    let stop = AtomicBool::new(false);
    let r = sweep(
        &w,
        &[stock.clone(), tankers],
        delivered,
        &config(20, 2),
        &|_| {},
        &stop,
    )
    .unwrap();
    let all = svgs(&sweep_figures(&r));
    assert_eq!(all[0].0, "tornado");
    let tornado = &all[0].1;
    assert_has(
        tornado,
        "tornado",
        &[
            "t: What each input does to fuel delivered",
            "20 trials per value, paired by trial",
            "Fuel delivered, million litres",
            "Input at its lowest value",
            "at its highest",
            "The scenario as written",
            &text("convoy[s].tankers"),
            &text("scenario: 2 · swing +0.03 ± 0.00 M L"),
            &text("sink.initial_stock_litres"),
            &text("scenario: 0 · swing 0.00 ± 0.00 M L"),
            &text("1"),
            &text("4"),
        ],
    );
    // The input with the larger swing is the top bar.
    let at = |needle: &str| tornado.find(&text(needle)).unwrap();
    assert!(at("convoy[s].tankers") < at("sink.initial_stock_litres"));

    let x = Setting::parse("convoy[s].tankers=1,3", &w.scenario).unwrap();
    let y = Setting::parse("defaults.tanker_litres=1000,2000", &w.scenario).unwrap();
    let g = grid(&w, &x, &y, delivered, &config(20, 2), &|_| {}, &stop).unwrap();
    let all = svgs(&grid_figures(&g));
    assert_eq!(all[0].0, "grid");
    let heat = &all[0].1;
    assert_has(
        heat,
        "grid",
        &[
            "t: Fuel delivered over two inputs",
            "20 trials per cell, paired by trial",
            "* marks the scenario&apos;s own value",
            "scenario as written: 0.02 M L",
            &text("Rows: "),
            &text("convoy[s].tankers"),
            &text("Columns: "),
            &text("defaults.tanker_litres"),
            &text("1,000*"),
            &text("2,000"),
            &text("Fuel delivered, million litres"),
        ],
    );
    // Each cell's value is written in it: 9,000, 18,000, 27,000 and 54,000 litres.
    for v in ["0.01", "0.02", "0.03", "0.05"] {
        assert!(heat.contains(&text(v)), "{v}");
    }
}

#[test]
fn analysis_charts_do_not_depend_on_the_thread_count() {
    let draw = |figures: Vec<Figure>| -> Vec<String> {
        figures.iter().map(|f| f.render_svg().unwrap()).collect()
    };
    let (one, two) = (bamako_vs_daily_light(40, 1), bamako_vs_daily_light(40, 2));
    assert!(draw(compare_figures(&one)) == draw(compare_figures(&two)));
    let s = corridor::Scenario::builtin_default();
    let (one, two) = (criticality_of(&s, 20, 1), criticality_of(&s, 20, 2));
    assert!(draw(criticality_figures(&one)) == draw(criticality_figures(&two)));
}

fn corridor(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_corridor"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the binary runs")
}

fn files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".svg") || n.ends_with(".png"))
        .collect();
    names.sort();
    names
}

#[test]
fn the_analysis_commands_write_their_charts_in_the_formats_asked() {
    let tmp = tempfile::tempdir().unwrap();
    let file = fixture("examples/dwell.toml");
    let f = file.to_str().unwrap();
    let set = ["--set", "sink.initial_stock_litres=0,1e6"];
    let grid_set = ["--grid", "--set", "price.elasticity=-0.2,-0.4"];
    let cases: [(&[&str], &[&str]); 4] = [
        (&["compare", f, f], &["delivered", "stock"]),
        (&["criticality", f], &["criticality", "map"]),
        (&["sweep", f, set[0], set[1]], &["tornado"]),
        (
            &[
                "sweep",
                f,
                set[0],
                set[1],
                grid_set[0],
                grid_set[1],
                grid_set[2],
            ],
            &["grid"],
        ),
    ];
    for (k, (args, charts)) in cases.iter().enumerate() {
        for (format, extensions) in [
            (None, &["svg"][..]),
            (Some("png"), &["png"][..]),
            (Some("both"), &["png", "svg"][..]),
        ] {
            for threads in ["1", "2"] {
                let out = format!("{k}-{}-{threads}", format.unwrap_or("default"));
                let mut all: Vec<&str> = args.to_vec();
                all.extend(["-n", "20", "-q", "-j", threads, "--out", &out]);
                if let Some(format) = format {
                    all.extend(["--format", format]);
                }
                let o = corridor(&all, tmp.path());
                assert!(
                    o.status.success(),
                    "{all:?}: {}",
                    String::from_utf8_lossy(&o.stderr)
                );
                let mut expected: Vec<String> = charts
                    .iter()
                    .flat_map(|c| extensions.iter().map(move |e| format!("{c}.{e}")))
                    .collect();
                expected.sort();
                assert_eq!(files(&tmp.path().join(&out)), expected, "{all:?}");
            }
            // The same files, byte for byte, on one thread and on two.
            let dir = |t: &str| {
                tmp.path()
                    .join(format!("{k}-{}-{t}", format.unwrap_or("default")))
            };
            for name in files(&dir("1")) {
                let a = std::fs::read(dir("1").join(&name)).unwrap();
                assert!(
                    a == std::fs::read(dir("2").join(&name)).unwrap(),
                    "{args:?} {name}"
                );
            }
        }
        let mut all: Vec<&str> = args.to_vec();
        all.extend(["-n", "20", "-q", "--no-charts", "--out", "none"]);
        let o = corridor(&all, tmp.path());
        assert!(o.status.success(), "{all:?}");
        assert!(files(&tmp.path().join("none")).is_empty(), "{all:?}");
        std::fs::remove_dir_all(tmp.path().join("none")).unwrap();
    }
}
