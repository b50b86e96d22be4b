//! Version 2 scenario keys (MODEL.md sections 6, 12-14): read, checked with a clear
//! message at the right line and column, written back resolved, and read again to the same
//! scenario.

use corridor::Scenario;
use corridor::source::TomlSource;

use crate::common::{rejection, scenario};

/// Every version 2 key at once: two sinks (one with demand classes, a ration and a
/// capacity), a loading limit, seizures, the size factor, and a staging point.
pub const FULL: &str = r#"name = "v2"
horizon_days = 20

[network]
[[network.node]]
id = "a"
name = "A"
country = "CI"
kind = "port"
lat = 5.0
lon = -4.0
load_per_day = 3
[[network.node]]
id = "b"
name = "B"
country = "CI"
kind = "town"
lat = 6.0
lon = -4.0
[[network.node]]
id = "z"
name = "Z"
country = "ML"
kind = "border"
lat = 10.0
lon = -6.0
[[network.node]]
id = "bam"
name = "Bamako"
country = "ML"
kind = "depot"
lat = 12.6
lon = -8.0
[[network.node]]
id = "mine"
name = "Mine"
country = "ML"
kind = "mine"
lat = 11.0
lon = -7.0
[[network.edge]]
from = "a"
to = "z"
km = 100
[[network.edge]]
from = "b"
to = "z"
km = 100
[[network.edge]]
from = "z"
to = "bam"
km = 100
[[network.edge]]
from = "z"
to = "mine"
km = 50

[[sink]]
node = "bam"
initial_stock_litres = 1000
capacity_litres = 5000
unload_days = 0.5
[[sink.demand]]
name = "power"
litres_per_day = 100
priority = 1
street = false
[[sink.demand]]
name = "retail"
litres_per_day = 200
priority = 2
ration = [{ below_days = 6, share = 0.6 }, { below_days = 3, share = 0.4 }]

[[sink]]
node = "mine"
initial_stock_litres = 0
daily_demand_litres = 10

[attack]
seize_prob = 0.1
size_exponent = 0.5
size_ref = 30

[escort.army]
seize_mult = 0.2

[[staging]]
node = "z"
escort = "army"
units = 2
max_tankers = 150
min_tankers = 60
max_wait_days = 7
turnaround_days = 1
to = "bam"
routing = "fixed"
via = []

[[convoy]]
name = "staged"
from = "a"
stage = "z"
tankers = 20
routing = "fixed"
fleet = 40

[[convoy]]
name = "mine"
from = "b"
to = "mine"
tankers = 2
"#;

/// Replaces the first `old` in `FULL` by `new`.
fn edit(old: &str, new: &str) -> String {
    assert!(FULL.contains(old), "{old}");
    FULL.replacen(old, new, 1)
}

#[test]
fn every_version_2_key_is_read() {
    let s = scenario(FULL);
    assert_eq!(s.sinks.len(), 2);
    let bam = &s.sinks[0];
    assert_eq!(bam.capacity_litres, Some(5000.0));
    let classes = bam.classes();
    assert_eq!(classes.len(), 2);
    assert_eq!(classes[0].name, "power");
    assert!(!classes[0].street);
    assert_eq!(classes[1].priority, 2);
    // Tiers are kept sorted by below_days, whatever order the file gives.
    let tiers: Vec<(f64, f64)> = classes[1]
        .ration
        .iter()
        .map(|t| (t.below_days, t.share))
        .collect();
    assert_eq!(tiers, vec![(3.0, 0.4), (6.0, 0.6)]);
    assert_eq!(s.sinks[1].daily_demand_litres(), 10.0);
    assert_eq!(s.attack.seize_prob, 0.1);
    assert_eq!(s.attack.size_exponent, 0.5);
    assert_eq!(s.attack.size_ref, 30.0);
    let army = s.escorts.iter().find(|e| e.name == "army").unwrap();
    assert_eq!(army.seize_mult, 0.2);
    assert_eq!(s.staging.len(), 1);
    let z = &s.staging[0];
    assert_eq!((z.units, z.max_tankers, z.min_tankers), (2, 150, 60));
    assert_eq!(z.max_wait_days, Some(7.0));
    let ids = |path: &[usize]| -> Vec<String> {
        path.iter().map(|&n| s.network.node(n).id.clone()).collect()
    };
    assert_eq!(ids(&z.fixed_path), ["z", "bam"]);
    let staged = &s.streams[0];
    assert_eq!((staged.to, staged.stage), (0, Some(0)));
    assert_eq!(ids(&staged.fixed_path), ["a", "z"]);
    // Home from the sink to the staging node by the least-km path, then its own leg back.
    assert_eq!(ids(&staged.return_path), ["bam", "z", "a"]);
    assert_eq!(s.streams[1].to, 1);
    assert_eq!(s.network.node(0).load_per_day, Some(3));
    assert_eq!(s.network.node(1).load_per_day, None);
}

/// The parts of a scenario the engine reads, as text, to compare two scenarios.
fn fingerprint(s: &Scenario) -> String {
    let nodes: Vec<_> = s
        .network
        .nodes()
        .map(|n| (n.id.clone(), n.load_per_day))
        .collect();
    format!(
        "{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{nodes:?}",
        s.sinks, s.attack, s.escorts, s.streams, s.staging, s.defaults
    )
}

#[test]
fn resolved_version_2_scenarios_read_back_to_the_same_scenario() {
    let mut texts = vec![FULL.to_string()];
    // One sink as a [sink] table with classes; a stream staged with the default `to`.
    texts.push(
        edit(
            "[[sink]]\nnode = \"mine\"\ninitial_stock_litres = 0\ndaily_demand_litres = 10\n",
            "",
        )
        .replace("[[sink]]", "[sink]")
        .replace("to = \"mine\"\ntankers", "tankers"),
    );
    for text in texts {
        let s = scenario(&text);
        let resolved = s.to_resolved_toml();
        let again =
            Scenario::from_source(&TomlSource::new("resolved.toml", resolved.clone()), None)
                .unwrap_or_else(|e| panic!("{e}\n{resolved}"));
        assert_eq!(fingerprint(&again), fingerprint(&s), "{resolved}");
        assert_eq!(again.to_resolved_toml(), resolved);
        let (a, b) = (crate::common::run(&s, 64), crate::common::run(&again, 64));
        for m in [
            "delivered_litres",
            "tankers_lost",
            "unserved_litres",
            "mean_price",
        ] {
            assert_eq!(a.metric(m).mean, b.metric(m).mean, "{m}");
        }
    }
}

#[test]
fn a_version_1_scenario_resolves_without_version_2_keys() {
    let resolved = crate::common::version_1_blockade().to_resolved_toml();
    for key in [
        "seize_prob",
        "size_exponent",
        "size_ref",
        "seize_mult",
        "[[staging]]",
        "[[sink]]",
        "load_per_day",
        "capacity_litres",
        "stage =",
    ] {
        assert!(!resolved.contains(key), "{key} in\n{resolved}");
    }
}

#[test]
fn a_sink_with_both_demand_forms_is_refused() {
    let text = edit(
        "daily_demand_litres = 10\n",
        "daily_demand_litres = 10\n[[sink.demand]]\nname = \"x\"\nlitres_per_day = 1\n",
    );
    assert!(rejection(&text).contains("has both daily_demand_litres and [[sink.demand]]"));
}

#[test]
fn sweep_paths_reach_sinks_classes_staging_and_loading_limits() {
    use corridor::analysis::path::FieldPath;
    use corridor::analysis::variant::WrittenScenario;
    let w = WrittenScenario::from_source(&TomlSource::new("v2.toml", FULL), None).unwrap();
    let s = &w.scenario;
    let value = |p: &str| w.value(&FieldPath::parse(p, s).unwrap_or_else(|e| panic!("{e}")));
    assert_eq!(value("sink.initial_stock_litres"), Some(1000.0));
    assert_eq!(value("sink[bam].capacity_litres"), Some(5000.0));
    assert_eq!(value("sink[mine].daily_demand_litres"), Some(10.0));
    assert_eq!(
        value("sink[bam].demand[retail].litres_per_day"),
        Some(200.0)
    );
    assert_eq!(value("sink[bam].demand[retail].priority"), Some(2.0));
    assert_eq!(value("staging[z].min_tankers"), Some(60.0));
    assert_eq!(value("staging[z].turnaround_days"), Some(1.0));
    assert_eq!(value("node[a].load_per_day"), Some(3.0));
    assert_eq!(value("node[b].load_per_day"), None);
    assert_eq!(value("attack.seize_prob"), Some(0.1));
    assert_eq!(value("escort.army.seize_mult"), Some(0.2));

    let set = |p: &str, v: f64| {
        let path = FieldPath::parse(p, s).unwrap();
        w.variant(&[(&path, v)]).unwrap_or_else(|e| panic!("{e}"))
    };
    assert_eq!(
        set("sink[mine].initial_stock_litres", 7.0).sinks[1].initial_stock_litres,
        7.0
    );
    assert_eq!(set("sink.unload_days", 2.0).sinks[0].unload_days, 2.0);
    let v = set("sink[bam].demand[power].litres_per_day", 50.0);
    assert_eq!(v.sinks[0].classes()[0].litres_per_day, 50.0);
    assert_eq!(set("staging[z].units", 5.0).staging[0].units, 5);
    assert_eq!(
        set("node[b].load_per_day", 4.0)
            .network
            .node(1)
            .load_per_day,
        Some(4)
    );
    // A value that breaks a rule gets the rule's message.
    let min = FieldPath::parse("staging[z].min_tankers", s).unwrap();
    let err = w.variant(&[(&min, 200.0)]).unwrap_err().to_string();
    assert!(
        err.contains("min_tankers = 200 must be a whole number from 1 to 150"),
        "{err}"
    );

    let wrong = |p: &str| FieldPath::parse(p, s).unwrap_err();
    let cases = [
        (
            "sink[bamm].initial_stock_litres",
            "no sink \"bamm\"; did you mean \"bam\"?; sinks: bam, mine",
        ),
        (
            "sink[bam].demand[retial].priority",
            "sink \"bam\" has no demand class \"retial\"; did you mean \"retail\"?; classes: power, retail",
        ),
        (
            "sink[mine].demand[x].priority",
            "sink \"mine\" has one total demand (daily_demand_litres), no demand classes",
        ),
        (
            "sink.daily_demand_litres",
            "sink \"bam\" has demand classes, not a total; set sink[bam].demand[<name>].litres_per_day (classes: power, retail)",
        ),
        (
            "sink[bam].demand[power].street",
            "\"street\" is not a numeric field of a demand class; numeric fields: litres_per_day, priority",
        ),
        (
            "staging[y].units",
            "no staging point \"y\"; staging points: z",
        ),
        ("staging.units", "say which staging: staging[<node>].<key>"),
        ("node[a].load_per_dy", "did you mean \"load_per_day\"?"),
    ];
    for (path, message) in cases {
        let err = wrong(path);
        assert!(err.contains(message), "{path}: {err}");
    }
}

/// A node's `load_per_day` comes from a CSV column or a GeoJSON property of that name, as
/// every node key does; an empty cell or `null` is no limit.
#[test]
fn load_per_day_is_read_from_csv_and_geojson_networks() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let nodes =
        "id,name,country,kind,lat,lon,load_per_day\na,A,ML,town,10,-8,4\nsink,S,ML,town,11,-8,\n";
    std::fs::write(dir.join("nodes.csv"), nodes).unwrap();
    std::fs::write(dir.join("edges.csv"), "from,to,km\na,sink,100\n").unwrap();
    let geojson = r#"{"type":"FeatureCollection","features":[
{"type":"Feature","geometry":{"type":"Point","coordinates":[-8,10]},"properties":{"id":"a","name":"A","country":"ML","kind":"town","load_per_day":4}},
{"type":"Feature","geometry":{"type":"Point","coordinates":[-8,11]},"properties":{"id":"sink","name":"S","country":"ML","kind":"town","load_per_day":null}},
{"type":"Feature","geometry":{"type":"LineString","coordinates":[[-8,10],[-8,11]]},"properties":{"from":"a","to":"sink","km":100}}]}"#;
    std::fs::write(dir.join("net.geojson"), geojson).unwrap();
    let rest = "[sink]\nnode = \"sink\"\ninitial_stock_litres = 0\ndaily_demand_litres = 0\n[[convoy]]\nname = \"s\"\nfrom = \"a\"\ntankers = 1\n";
    for network in [
        "nodes = \"nodes.csv\"\nedges = \"edges.csv\"",
        "file = \"net.geojson\"",
    ] {
        let text = format!("name = \"t\"\nhorizon_days = 3\n[network]\n{network}\n{rest}");
        let s = Scenario::from_source(&TomlSource::new("t.toml", text), Some(dir))
            .unwrap_or_else(|e| panic!("{e}"));
        let loads: Vec<Option<u32>> = s.network.nodes().map(|n| n.load_per_day).collect();
        assert_eq!(loads, [Some(4), None], "{network}");
        // The resolved file writes it inline, and reads back the same.
        let again = TomlSource::new("resolved.toml", s.to_resolved_toml());
        let again = Scenario::from_source(&again, None).unwrap();
        assert_eq!(again.network.node(0).load_per_day, Some(4));
    }
}
