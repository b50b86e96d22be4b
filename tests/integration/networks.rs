//! Networks from GIS tools. A network exported as GeoJSON and read back, as written or as
//! GDAL (and so QGIS) saves it, gives the same results as the network it came from; the CSV
//! pair of the research data is the built-in network without its dwell times; and a bad
//! file gets one message naming the file, the feature or the line and column, and the key.

use std::path::Path;
use std::process::Command;

use serde_json::{Value, json};

use crate::common::*;

const FILES: [&str; 6] = [
    "summary.json",
    "daily.csv",
    "sinks.csv",
    "streams.csv",
    "edges.csv",
    "results.json",
];

/// The default scenario with its `[network]` table replaced.
fn default_scenario_with(network: &str) -> String {
    let text = std::fs::read_to_string(repo().join("scenarios/bamako-2025.toml")).unwrap();
    let builtin = "[network]\nbuiltin = \"mali\"\n";
    assert!(text.contains(builtin));
    text.replace(builtin, &format!("[network]\n{network}\n"))
}

fn corridor(args: &[&str], dir: &Path) -> std::process::Output {
    let o = Command::new(env!("CARGO_BIN_EXE_corridor"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the binary runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    o
}

/// A GeoJSON export as GDAL writes it back after a trip through a GeoPackage (what QGIS
/// does when a layer is edited there): every feature has every layer field, null where it
/// has none, and a list becomes the text `(2:a,b)`. Checked by hand against GDAL 3.6's
/// ogr2ogr, which wrote these fields and values.
fn as_gdal_writes_it(geojson: &str) -> String {
    let mut doc: Value = serde_json::from_str(geojson).unwrap();
    let features = doc["features"].as_array_mut().unwrap();
    let mut fields: Vec<String> = Vec::new();
    for f in features.iter() {
        for key in f["properties"].as_object().unwrap().keys() {
            if !fields.contains(key) {
                fields.push(key.clone());
            }
        }
    }
    let mut lines = Vec::new();
    for (i, f) in features.iter_mut().enumerate() {
        let props = f["properties"].as_object_mut().unwrap();
        // And QGIS's feature id, which it writes when it saves a GeoPackage layer.
        let mut all = serde_json::Map::from_iter([("fid".to_string(), json!(i + 1))]);
        for key in &fields {
            let value = match props.remove(key) {
                Some(Value::Array(items)) => {
                    let items: Vec<&str> = items.iter().map(|i| i.as_str().unwrap()).collect();
                    json!(format!("({}:{})", items.len(), items.join(",")))
                }
                Some(value) => value,
                None => Value::Null,
            };
            all.insert(key.clone(), value);
        }
        *props = all;
        lines.push(serde_json::to_string(f).unwrap());
    }
    format!(
        "{{\n\"type\": \"FeatureCollection\",\n\"name\": \"mali\",\n\"features\": [\n{}\n]\n}}\n",
        lines.join(",\n")
    )
}

#[test]
fn an_exported_network_read_back_gives_identical_results() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let scenario = repo().join("scenarios/bamako-2025.toml");
    let o = corridor(
        &["network", scenario.to_str().unwrap(), "--format", "geojson"],
        dir,
    );
    let exported = String::from_utf8(o.stdout).unwrap();
    std::fs::write(dir.join("roads.geojson"), &exported).unwrap();
    std::fs::write(dir.join("roads-gdal.geojson"), as_gdal_writes_it(&exported)).unwrap();
    std::fs::copy(&scenario, dir.join("builtin.toml")).unwrap();
    for file in ["roads.geojson", "roads-gdal.geojson"] {
        let name = format!("{file}.toml");
        std::fs::write(
            dir.join(&name),
            default_scenario_with(&format!("file = \"{file}\"")),
        )
        .unwrap();
    }
    let run = |scenario: &str, out: &str| {
        let args = ["run", scenario, "-n", "300", "--seed", "3", "--out", out];
        corridor(&[&args[..], &["-q", "--no-charts"]].concat(), dir);
    };
    run("builtin.toml", "builtin");
    for (scenario, out) in [
        ("roads.geojson.toml", "geojson"),
        ("roads-gdal.geojson.toml", "gdal"),
    ] {
        run(scenario, out);
        for file in FILES {
            let a = std::fs::read(dir.join("builtin").join(file)).unwrap();
            let b = std::fs::read(dir.join(out).join(file)).unwrap();
            assert!(a == b, "{out}: {file} differs from the built-in network's");
        }
        // The resolved scenarios differ only in the comment that says where the network
        // came from.
        let body = |out: &str| {
            let text = std::fs::read_to_string(dir.join(out).join("scenario.toml")).unwrap();
            text.split_once('\n').unwrap().1.to_string()
        };
        assert_eq!(body("builtin"), body(out), "{out}: scenario.toml");
    }
}

#[test]
fn the_research_csv_pair_is_the_builtin_network_without_dwell_times_or_loading_limits() {
    let text = default_scenario_with(
        "nodes = \"networks/mali-nodes.csv\"\nedges = \"networks/mali-edges.csv\"",
    );
    let src = corridor::source::TomlSource::new("csv.toml", text);
    let csv = corridor::Scenario::from_source(&src, Some(&repo().join("scenarios")))
        .unwrap_or_else(|e| panic!("{e}"));
    let mut builtin = corridor::Scenario::builtin_default().network.to_raw();
    for node in &mut builtin.node {
        node.dwell_days = 0.0;
        node.load_per_day = None;
    }
    let json = |raw| serde_json::to_string_pretty(&raw).unwrap();
    assert_eq!(json(csv.network.to_raw()), json(builtin));
    assert!(
        csv.to_resolved_toml()
            .contains("the network files networks/mali-nodes.csv and networks/mali-edges.csv")
    );
}

/// A two-node network in each format, which each case breaks in one way.
const NODES_CSV: &str = "id,name,country,kind,lat,lon,dwell_days\n\
    a,A,ML,port,13.0,-10.0,1\n\
    sink,Sink,ML,town,13.0,-9.0,0\n";
const EDGES_CSV: &str = "from,to,km,road,corridors\na,sink,100,N1,main;west\n";

fn geojson() -> Value {
    json!({"type": "FeatureCollection", "name": "two", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [-10.0, 13.0]},
         "properties": {"id": "a", "name": "A", "country": "ML", "kind": "port", "dwell_days": 1.0}},
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [-9.0, 13.0]},
         "properties": {"id": "sink", "name": "Sink", "country": "ML", "kind": "town", "sink": true}},
        {"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[-10.0, 13.0], [-9.0, 13.0]]},
         "properties": {"id": "a-sink", "from": "a", "to": "sink", "km": 100, "road": "N1", "corridors": ["main", "west"]}},
    ]})
}

/// The message a scenario around `network` (a `[network]` table's keys) is rejected with,
/// the files in `files` written beside it, with the folder left out of the message.
fn rejection_with(network: &str, files: &[(&str, &str)]) -> String {
    let tmp = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(tmp.path().join(name), text).unwrap();
    }
    let text = with_stream(&format!("[network]\n{network}"), 10, "tankers = 1", "");
    let src = corridor::source::TomlSource::new("test.toml", text);
    match corridor::Scenario::from_source(&src, Some(tmp.path())) {
        Ok(_) => panic!("accepted: {network}"),
        Err(e) => e
            .to_string()
            .replace(&format!("{}/", tmp.path().display()), ""),
    }
}

#[test]
fn both_formats_load_and_bad_network_files_get_clear_messages() {
    let good = serde_json::to_string(&geojson()).unwrap();
    let csv_pair = "nodes = \"nodes.csv\"\nedges = \"edges.csv\"";
    // The good files load, and give the same network.
    let load = |network: &str, files: &[(&str, &str)]| {
        let tmp = tempfile::tempdir().unwrap();
        for (name, text) in files {
            std::fs::write(tmp.path().join(name), text).unwrap();
        }
        let text = with_stream(&format!("[network]\n{network}"), 10, "tankers = 1", "");
        let src = corridor::source::TomlSource::new("test.toml", text);
        let s = corridor::Scenario::from_source(&src, Some(tmp.path()))
            .unwrap_or_else(|e| panic!("{e}"));
        serde_json::to_string(&s.network.to_raw().edge).unwrap()
    };
    assert_eq!(
        load("file = \"two.geojson\"", &[("two.geojson", &good)]),
        load(
            csv_pair,
            &[("nodes.csv", NODES_CSV), ("edges.csv", EDGES_CSV)]
        )
    );

    let geo = |edit: &dyn Fn(&mut Value)| {
        let mut doc = geojson();
        edit(&mut doc);
        let text = serde_json::to_string_pretty(&doc).unwrap();
        rejection_with("file = \"two.geojson\"", &[("two.geojson", &text)])
    };
    let nodes =
        |text: &str| rejection_with(csv_pair, &[("nodes.csv", text), ("edges.csv", EDGES_CSV)]);
    let edges =
        |text: &str| rejection_with(csv_pair, &[("nodes.csv", NODES_CSV), ("edges.csv", text)]);
    let cases = [
        (
            "GeoJSON that is not JSON",
            rejection_with("file = \"two.geojson\"", &[("two.geojson", "{\"type\": ")]),
        ),
        (
            "GeoJSON that is not a FeatureCollection",
            geo(&|d| d["type"] = json!("Feature")),
        ),
        (
            "a polygon",
            geo(&|d| d["features"][1]["geometry"]["type"] = json!("Polygon")),
        ),
        (
            "a point without coordinates",
            geo(&|d| d["features"][1]["geometry"]["coordinates"] = json!([])),
        ),
        (
            "a misspelled property",
            geo(&|d| d["features"][0]["properties"]["dwel_days"] = json!(2)),
        ),
        (
            "a missing property",
            geo(&|d| {
                d["features"][1]["properties"]
                    .as_object_mut()
                    .unwrap()
                    .remove("country");
            }),
        ),
        (
            "a property of the wrong type",
            geo(&|d| d["features"][2]["properties"]["km"] = json!("far")),
        ),
        (
            "a node's position as properties",
            geo(&|d| d["features"][0]["properties"]["lat"] = json!(13.0)),
        ),
        (
            "a node kind that does not exist",
            geo(&|d| d["features"][1]["properties"]["kind"] = json!("twon")),
        ),
        (
            "a longitude out of range",
            geo(&|d| d["features"][1]["geometry"]["coordinates"] = json!([200.0, 13.0])),
        ),
        (
            "an edge to a node that does not exist",
            geo(&|d| d["features"][2]["properties"]["to"] = json!("snk")),
        ),
        (
            "no nodes",
            geo(&|d| d["features"] = json!([d["features"][2].clone()])),
        ),
        (
            "CSV separated by semicolons",
            nodes(&NODES_CSV.replace(',', ";")),
        ),
        (
            "an unclosed quote",
            nodes(&NODES_CSV.replace(",A,", ",\"A,")),
        ),
        (
            "a row with a cell too many",
            nodes(&NODES_CSV.replace("Sink,", "Sink,Town,")),
        ),
        (
            "a misspelled column",
            nodes(&NODES_CSV.replace("dwell_days", "dwel_days")),
        ),
        (
            "a missing column",
            nodes(&NODES_CSV.replace(",country", "").replace(",ML", "")),
        ),
        (
            "an empty required cell",
            nodes(&NODES_CSV.replace("sink,Sink,ML", "sink,Sink,")),
        ),
        (
            "a number that is not one",
            edges(&EDGES_CSV.replace("100", "far")),
        ),
        (
            "a latitude out of range",
            nodes(&NODES_CSV.replace("13.0,-9", "93.0,-9")),
        ),
        (
            "an edge to a node that does not exist",
            edges(&EDGES_CSV.replace(",sink,", ",snk,")),
        ),
        (
            "a nodes file without an edges file",
            rejection_with("nodes = \"nodes.csv\"", &[("nodes.csv", NODES_CSV)]),
        ),
        (
            "a CSV file given as file",
            rejection_with("file = \"nodes.csv\"", &[("nodes.csv", NODES_CSV)]),
        ),
        ("a shapefile", rejection_with("file = \"roads.shp\"", &[])),
        (
            "a network file that is not there",
            rejection_with(csv_pair, &[("nodes.csv", NODES_CSV)]),
        ),
    ];
    let mut text = String::new();
    for (what, message) in cases {
        text += &format!("{what}:\n  {message}\n");
    }
    insta::assert_snapshot!(text);
}

#[test]
fn a_bad_network_file_is_bad_input_for_every_command() {
    let tmp = tempfile::tempdir().unwrap();
    let mut doc = geojson();
    doc["features"][0]["properties"]["kind"] = json!("prot");
    let text = serde_json::to_string(&doc).unwrap();
    std::fs::write(tmp.path().join("two.geojson"), text).unwrap();
    let scenario = with_stream("[network]\nfile = \"two.geojson\"", 10, "tankers = 1", "");
    std::fs::write(tmp.path().join("s.toml"), scenario).unwrap();
    for args in [
        &["validate", "s.toml"][..],
        &["run", "s.toml", "-n", "10"],
        &["network", "s.toml"],
    ] {
        let o = Command::new(env!("CARGO_BIN_EXE_corridor"))
            .args(args)
            .current_dir(tmp.path())
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert_eq!(
            String::from_utf8_lossy(&o.stderr),
            "error: two.geojson: feature 0, property \"kind\": node \"a\": kind = \"prot\" is not a node kind; valid: port, border, town, depot, mine; did you mean \"port\"?\n"
        );
        assert!(!tmp.path().join("output").exists());
    }
}
