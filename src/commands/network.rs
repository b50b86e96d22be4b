//! `corridor network`: export a scenario's road graph as GeoJSON, DOT or CSV.

use petgraph::dot::{Config, Dot};
use serde_json::json;

use super::interrupt::{self, Promise};
use crate::cli::{NetworkFormat, NetworkOpts};
use crate::error::{Error, Result};
use crate::report::files;
use crate::scenario::Scenario;

pub(super) fn network(opts: &NetworkOpts) -> Result<()> {
    interrupt::install(Promise::Nothing);
    let scenario = super::load(opts.scenario.as_deref())?;
    let text = match opts.format {
        NetworkFormat::Geojson => network_geojson(&scenario),
        NetworkFormat::Dot => network_dot(&scenario),
        NetworkFormat::Csv => network_csv(&scenario),
    };
    if interrupt::stopped() {
        return Err(Error::Stopped("nothing was printed".into()));
    }
    super::print_out(text)
}

/// The network as a GeoJSON FeatureCollection (RFC 7946: coordinates are [lon, lat]). Each
/// node's and edge's properties are its keys as a network file writes them (serialized from
/// the same structs, so a new key appears here too), which is what `[network] file =
/// "x.geojson"` reads back. `sink` (on nodes) and `id` (on edges) are for reading the map
/// and are ignored when read back.
pub fn network_geojson(s: &Scenario) -> String {
    let net = &s.network;
    let raw = net.to_raw();
    let mut features = Vec::new();
    for n in &raw.node {
        let mut props = object(n);
        props.shift_remove("lat");
        props.shift_remove("lon");
        props.insert(
            "sink".into(),
            json!(net.node_index(&n.id) == Some(s.headline().node)),
        );
        features.push(json!({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [n.lon, n.lat]},
            "properties": props,
        }));
    }
    for (i, e) in raw.edge.iter().enumerate() {
        let (a, b) = (net.node(net.edge(i).from), net.node(net.edge(i).to));
        let mut props = serde_json::Map::new();
        props.insert("id".into(), json!(net.edge_id(i)));
        props.extend(object(e));
        features.push(json!({
            "type": "Feature",
            "geometry": {"type": "LineString", "coordinates": [[a.lon, a.lat], [b.lon, b.lat]]},
            "properties": props,
        }));
    }
    let mut text = serde_json::to_string_pretty(
        &json!({"type": "FeatureCollection", "name": net.name, "features": features}),
    )
    .expect("json");
    text.push('\n');
    text
}

/// A raw node or edge as a JSON object of its keys.
fn object(value: &impl serde::Serialize) -> serde_json::Map<String, serde_json::Value> {
    match serde_json::to_value(value).expect("a raw node or edge serializes") {
        serde_json::Value::Object(map) => map,
        _ => unreachable!("a struct serializes to an object"),
    }
}

/// The network in Graphviz DOT, nodes pinned at their coordinates (72 points per degree).
pub fn network_dot(s: &Scenario) -> String {
    let g = s.network.graph();
    let node_attrs = |_, (i, n): (petgraph::graph::NodeIndex, &crate::network::Node)| {
        let shape = if i.index() == s.headline().node {
            "doublecircle"
        } else {
            "circle"
        };
        format!(
            "label=\"{}\" pos=\"{:.1},{:.1}!\" shape={shape} country=\"{}\"",
            n.id,
            n.lon * 72.0,
            n.lat * 72.0,
            n.country
        )
    };
    let edge_attrs = |_, e: petgraph::graph::EdgeReference<'_, crate::network::Edge>| {
        let w = e.weight();
        format!(
            "label=\"{} km\" road=\"{}\" corridors=\"{}\"",
            w.km,
            w.road.replace('"', "'"),
            w.corridors.join(";")
        )
    };
    format!(
        "{:?}",
        Dot::with_attr_getters(
            g,
            &[Config::NodeNoLabel, Config::EdgeNoLabel],
            &edge_attrs,
            &node_attrs
        )
    )
}

/// One row per edge.
pub fn network_csv(s: &Scenario) -> String {
    let net = &s.network;
    let mut out =
        String::from("from,to,km,road,corridors,from_lat,from_lon,to_lat,to_lon,source\n");
    for e in net.edges() {
        let (a, b) = (net.node(e.from), net.node(e.to));
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{},{},{}\n",
            files::csv_field(&a.id),
            files::csv_field(&b.id),
            e.km,
            files::csv_field(&e.road),
            files::csv_field(&e.corridors.join(";")),
            a.lat,
            a.lon,
            b.lat,
            b.lon,
            files::csv_field(e.source.as_deref().unwrap_or(""))
        ));
    }
    out
}
