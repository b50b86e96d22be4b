//! Helpers shared by the integration tests: tiny inline scenarios and runs.

use std::path::{Path, PathBuf};

use corridor::Scenario;
use corridor::report::RunResults;
use corridor::source::TomlSource;

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(name: &str) -> PathBuf {
    repo().join("tests/fixtures").join(name)
}

/// Parses scenario text (with an inline network), panicking with the message if invalid.
pub fn scenario(text: &str) -> Scenario {
    Scenario::from_source(&TomlSource::new("test.toml", text), None)
        .unwrap_or_else(|e| panic!("{e}"))
}

/// The message a scenario text is rejected with.
pub fn rejection(text: &str) -> String {
    match Scenario::from_source(&TomlSource::new("test.toml", text), None) {
        Ok(_) => panic!("accepted:\n{text}"),
        Err(e) => e.to_string(),
    }
}

pub fn load(path: &Path) -> Scenario {
    Scenario::load(path).unwrap_or_else(|e| panic!("{e}"))
}

pub fn run(s: &Scenario, trials: u64) -> RunResults {
    corridor::simulate(s, 1, trials, 2)
}

/// A line network a - b - ... - sink with the given km per edge, as TOML, for `scenario`.
/// Every node is in Mali at (13, -10); node `dwell` gives each node's dwell.
pub fn line_network(names: &[&str], km: &[f64], dwell: &[f64]) -> String {
    let mut t = String::from("[network]\n");
    for (i, n) in names.iter().enumerate() {
        t += &format!(
            "[[network.node]]\nid = \"{n}\"\nname = \"{}\"\ncountry = \"ML\"\nkind = \"town\"\nlat = 13.0\nlon = {}\ndwell_days = {}\n",
            n.to_uppercase(),
            -10.0 + i as f64,
            dwell[i]
        );
    }
    for (i, k) in km.iter().enumerate() {
        t += &format!(
            "[[network.edge]]\nfrom = \"{}\"\nto = \"{}\"\nkm = {k}\ncorridors = [\"main\"]\n",
            names[i],
            names[i + 1]
        );
    }
    t
}

/// Two branches from `a` to `sink`: a short one via `s` (2 × `short_km`) and a long one via
/// `l` (2 × `long_km`).
pub fn fork_network(short_km: f64, long_km: f64) -> String {
    let mut t = String::from("[network]\n");
    for (i, n) in ["a", "s", "l", "sink"].iter().enumerate() {
        t += &format!(
            "[[network.node]]\nid = \"{n}\"\nname = \"{n}\"\ncountry = \"ML\"\nkind = \"town\"\nlat = {}\nlon = -10.0\n",
            12.0 + i as f64 * 0.1
        );
    }
    for (a, b, km, tag) in [
        ("a", "s", short_km, "short"),
        ("s", "sink", short_km, "short"),
        ("a", "l", long_km, "long"),
        ("l", "sink", long_km, "long"),
    ] {
        t += &format!(
            "[[network.edge]]\nfrom = \"{a}\"\nto = \"{b}\"\nkm = {km}\ncorridors = [\"{tag}\"]\n"
        );
    }
    t
}

/// A complete scenario around a network: sink "sink", one stream from "a".
pub fn with_stream(network: &str, horizon: u32, stream: &str, extra: &str) -> String {
    format!(
        "name = \"t\"\nhorizon_days = {horizon}\n{network}\n[sink]\nnode = \"sink\"\ninitial_stock_litres = 0\ndaily_demand_litres = 100000\n\n[defaults]\nspeed_km_per_day = 100.0\ntanker_litres = 1000\n\n[[convoy]]\nname = \"s\"\nfrom = \"a\"\n{stream}\n{extra}\n"
    )
}

pub fn metric(r: &RunResults, name: &str) -> f64 {
    r.metric(name).mean
}

/// The built-in scenario with every output of version 2 in use, built in Rust until scenario
/// files can say it: Bamako's demand in two classes (power plants first and off the street,
/// retail rationed as the stock runs low), a second sink at Sikasso fed by a copy of the
/// Lome stream, and a staging point at Zegoua with two escort units, where a copy of the
/// Pogo stream waits for them.
pub fn two_sinks_and_staging() -> Scenario {
    use corridor::scenario::{Demand, DemandClass, RationTier, Routing, Sink, Staging};
    let mut s = version_1_blockade();
    let node = |id: &str| s.network.node_index(id).unwrap_or_else(|| panic!("{id}"));
    let (sikasso, zegoua) = (node("sikasso"), node("zegoua"));
    let total = s.sinks[0].daily_demand_litres();
    s.sinks[0].demand = Demand::Classes(vec![
        DemandClass {
            name: "power-plants".into(),
            litres_per_day: 0.3 * total,
            priority: 1,
            street: false,
            ration: Vec::new(),
        },
        DemandClass {
            name: "retail".into(),
            litres_per_day: 0.7 * total,
            priority: 2,
            street: true,
            ration: vec![
                RationTier {
                    below_days: 3.0,
                    share: 0.4,
                },
                RationTier {
                    below_days: 6.0,
                    share: 0.6,
                },
            ],
        },
    ]);
    s.sinks.push(Sink {
        node: sikasso,
        initial_stock_litres: 2e6,
        capacity_litres: Some(4e6),
        unload_days: s.sinks[0].unload_days,
        demand: Demand::Total(120_000.0),
    });
    let lome = s.stream_index("lome").unwrap();
    let mut south = s.streams[lome].clone();
    south.name = "lome-sikasso".into();
    south.to = 1;
    s.streams.push(south);
    let pogo = s.stream_index("abidjan-pogo").unwrap();
    let army = s.escorts.iter().position(|e| e.name == "army").unwrap();
    let mut staged = s.streams[pogo].clone();
    staged.name = "abidjan-zegoua-staged".into();
    staged.routing = Routing::Shortest;
    staged.via.clear();
    staged.fixed_path.clear();
    staged.last_day = s.horizon_days;
    staged.every_days = 1;
    staged.stage = Some(0);
    s.streams.push(staged);
    s.staging.push(Staging {
        node: zegoua,
        escort: army,
        units: 2,
        max_tankers: 30,
        min_tankers: 20,
        max_wait_days: Some(4.0),
        turnaround_days: 4.0,
        to: 0,
        routing: Routing::Shortest,
        via: Vec::new(),
        risk_km_per_attack: s.defaults.risk_km_per_attack,
        fixed_path: Vec::new(),
    });
    s
}

/// The 2025 blockade as version 1 of the model wrote it (one sink of one class, no staging
/// point), kept in `tests/fixtures/engine-v1/`.
pub fn version_1_blockade() -> Scenario {
    load(&fixture("engine-v1").join("bamako-2025.toml"))
}
