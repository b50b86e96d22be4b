//! The road graph: nodes (ports, borders, towns, depots, mines) and two-way edges tagged
//! with corridors, built once from a network file or an inline table and validated.
//! Names are resolved to indices here; nothing downstream looks a name up again.

use std::collections::{BTreeMap, HashMap};

use petgraph::graph::{EdgeIndex, NodeIndex, UnGraph};
use serde::{Deserialize, Serialize};

use crate::error::{InputError, did_you_mean};
use crate::source::{Locate, Seg, TomlSource};

/// A network file as written (`scenarios/networks/*.toml`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawNetworkFile {
    pub name: String,
    #[serde(default)]
    pub node: Vec<RawNode>,
    #[serde(default)]
    pub edge: Vec<RawEdge>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawNode {
    pub id: String,
    pub name: String,
    pub country: String,
    pub kind: String,
    pub lat: f64,
    pub lon: f64,
    #[serde(default)]
    pub dwell_days: f64,
    /// Tankers its depot loads a day (MODEL.md section 12).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub load_per_day: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEdge {
    pub from: String,
    pub to: String,
    pub km: f64,
    #[serde(default)]
    pub road: String,
    #[serde(default)]
    pub corridors: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum NodeKind {
    Port,
    Border,
    Town,
    Depot,
    Mine,
}

impl NodeKind {
    pub const ALL: [(&'static str, NodeKind); 5] = [
        ("port", NodeKind::Port),
        ("border", NodeKind::Border),
        ("town", NodeKind::Town),
        ("depot", NodeKind::Depot),
        ("mine", NodeKind::Mine),
    ];

    pub fn as_str(self) -> &'static str {
        NodeKind::ALL
            .iter()
            .find(|(_, k)| *k == self)
            .map(|(s, _)| *s)
            .unwrap_or("town")
    }
}

#[derive(Debug, Clone)]
pub struct Node {
    pub id: String,
    pub name: String,
    pub country: String,
    pub kind: NodeKind,
    pub lat: f64,
    pub lon: f64,
    pub dwell_days: f64,
    /// Tankers its depot can load in a day, shared by every stream loading there (MODEL.md
    /// section 12); `None` is unlimited.
    pub load_per_day: Option<u32>,
    pub source: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Edge {
    /// Node indices, in the order the data writes them.
    pub from: usize,
    pub to: usize,
    pub km: f64,
    pub road: String,
    pub corridors: Vec<String>,
    pub source: Option<String>,
}

/// Which ways along an edge something applies: bit 0 is `from -> to` as written, bit 1 the
/// reverse.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Ways(pub u8);

impl Ways {
    pub const FORWARD: Ways = Ways(1);
    pub const BACKWARD: Ways = Ways(2);
    pub const BOTH: Ways = Ways(3);

    pub fn contains(self, other: Ways) -> bool {
        self.0 & other.0 == other.0
    }
}

/// The validated road graph. Node `i` and edge `e` keep the order of the data; directed
/// edge `2e` runs `from -> to` as written and `2e + 1` the reverse.
#[derive(Debug, Clone)]
pub struct RoadNetwork {
    pub name: String,
    graph: UnGraph<Node, Edge>,
    ids: HashMap<String, usize>,
    corridors: BTreeMap<String, Vec<usize>>,
}

impl RoadNetwork {
    /// Stage two for a network: check every rule and resolve every name. `base` is the path
    /// of the node/edge arrays inside `src` (empty for a network file, `["network"]` inline).
    pub fn from_raw(
        raw: &RawNetworkFile,
        src: &impl Locate,
        base: &[Seg<'_>],
    ) -> Result<Self, InputError> {
        let mut graph = UnGraph::with_capacity(raw.node.len(), raw.edge.len());
        let mut ids = HashMap::new();
        if raw.node.is_empty() {
            return Err(src.error(base, "the network has no nodes; add [[node]] tables"));
        }
        for (i, n) in raw.node.iter().enumerate() {
            let err = |key: &'static str, msg: String| {
                src.error(&join(base, &["node".into(), i.into(), key.into()]), msg)
            };
            if n.id.is_empty()
                || !n
                    .id
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
            {
                return Err(err(
                    "id",
                    format!(
                        "node id \"{}\" must use only lowercase letters, digits and _",
                        n.id
                    ),
                ));
            }
            if ids.insert(n.id.clone(), i).is_some() {
                return Err(err("id", format!("node id \"{}\" is used twice", n.id)));
            }
            let ctx = format!("node \"{}\"", n.id);
            let written = |key: &'static str, v: f64| {
                let path = join(base, &["node".into(), i.into(), key.into()]);
                crate::names::number(src.written(&path), v)
            };
            if n.country.len() != 2 || !n.country.bytes().all(|b| b.is_ascii_uppercase()) {
                return Err(err(
                    "country",
                    format!(
                        "{ctx}: country = \"{}\" must be an ISO 3166 alpha-2 code such as \"ML\"",
                        n.country
                    ),
                ));
            }
            let Some(kind) = NodeKind::ALL
                .iter()
                .find(|(s, _)| *s == n.kind)
                .map(|(_, k)| *k)
            else {
                let names = NodeKind::ALL.map(|(s, _)| s);
                return Err(err(
                    "kind",
                    format!(
                        "{ctx}: kind = \"{}\" is not a node kind; valid: {}{}",
                        n.kind,
                        names.join(", "),
                        did_you_mean(&n.kind, names)
                    ),
                ));
            };
            if !(n.lat.is_finite() && (-90.0..=90.0).contains(&n.lat)) {
                return Err(err(
                    "lat",
                    format!(
                        "{ctx}: lat = {} must be between -90 and 90",
                        written("lat", n.lat)
                    ),
                ));
            }
            if !(n.lon.is_finite() && (-180.0..=180.0).contains(&n.lon)) {
                return Err(err(
                    "lon",
                    format!(
                        "{ctx}: lon = {} must be between -180 and 180",
                        written("lon", n.lon)
                    ),
                ));
            }
            if !(n.dwell_days.is_finite() && (0.0..=MAX_DAYS).contains(&n.dwell_days)) {
                return Err(err(
                    "dwell_days",
                    format!(
                        "{ctx}: dwell_days = {} must be a number from 0 to {MAX_DAYS}",
                        written("dwell_days", n.dwell_days)
                    ),
                ));
            }
            let load_per_day = match n.load_per_day {
                None => None,
                Some(l) if (1..=MAX_LOAD_PER_DAY).contains(&l) => Some(l as u32),
                Some(l) => {
                    return Err(err(
                        "load_per_day",
                        format!(
                            "{ctx}: load_per_day = {l} must be a whole number from 1 to {MAX_LOAD_PER_DAY} (tankers its depot loads a day; leave it out for no limit)"
                        ),
                    ));
                }
            };
            graph.add_node(Node {
                id: n.id.clone(),
                name: n.name.clone(),
                country: n.country.clone(),
                kind,
                lat: n.lat,
                lon: n.lon,
                dwell_days: n.dwell_days,
                load_per_day,
                source: n.source.clone(),
            });
        }
        let mut corridors: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (e, raw_edge) in raw.edge.iter().enumerate() {
            let err = |key: &'static str, msg: String| {
                src.error(&join(base, &["edge".into(), e.into(), key.into()]), msg)
            };
            let id = format!("{}-{}", raw_edge.from, raw_edge.to);
            let end = |key: &'static str, name: &str| {
                ids.get(name).copied().ok_or_else(|| {
                    err(
                        key,
                        format!(
                            "edge \"{id}\": {key} = \"{name}\" is not a node{}",
                            did_you_mean(name, ids.keys().map(String::as_str))
                        ),
                    )
                })
            };
            let (from, to) = (end("from", &raw_edge.from)?, end("to", &raw_edge.to)?);
            if from == to {
                return Err(err(
                    "to",
                    format!("edge \"{id}\" joins node \"{}\" to itself", raw_edge.from),
                ));
            }
            if let Some(other) = graph.find_edge(NodeIndex::new(from), NodeIndex::new(to)) {
                let first: &Edge = &graph[other];
                return Err(err(
                    "to",
                    format!(
                        "edge \"{id}\" repeats edge \"{}-{}\"; two edges may not join the same pair of nodes",
                        graph[NodeIndex::new(first.from)].id,
                        graph[NodeIndex::new(first.to)].id
                    ),
                ));
            }
            if !(raw_edge.km.is_finite() && raw_edge.km > 0.0 && raw_edge.km <= MAX_KM) {
                return Err(err(
                    "km",
                    format!(
                        "edge \"{id}\": km = {} must be a number > 0 and <= {MAX_KM}",
                        crate::names::number(
                            src.written(&join(base, &["edge".into(), e.into(), "km".into()])),
                            raw_edge.km
                        )
                    ),
                ));
            }
            for tag in &raw_edge.corridors {
                if tag.is_empty()
                    || !tag
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
                {
                    return Err(err(
                        "corridors",
                        format!(
                            "edge \"{id}\": corridor tag \"{tag}\" must use only letters, digits, - and _"
                        ),
                    ));
                }
                let list = corridors.entry(tag.clone()).or_default();
                if list.last() != Some(&e) {
                    list.push(e);
                }
            }
            graph.add_edge(
                NodeIndex::new(from),
                NodeIndex::new(to),
                Edge {
                    from,
                    to,
                    km: raw_edge.km,
                    road: raw_edge.road.clone(),
                    corridors: raw_edge.corridors.clone(),
                    source: raw_edge.source.clone(),
                },
            );
        }
        Ok(RoadNetwork {
            name: raw.name.clone(),
            graph,
            ids,
            corridors,
        })
    }

    /// Loads and validates a network file's text.
    pub fn from_source(src: &TomlSource) -> Result<Self, InputError> {
        let raw: RawNetworkFile = src.parse()?;
        RoadNetwork::from_raw(&raw, src, &[])
    }

    /// The network as a file would write it.
    pub fn to_raw(&self) -> RawNetworkFile {
        RawNetworkFile {
            name: self.name.clone(),
            node: self
                .nodes()
                .map(|n| RawNode {
                    id: n.id.clone(),
                    name: n.name.clone(),
                    country: n.country.clone(),
                    kind: n.kind.as_str().to_string(),
                    lat: n.lat,
                    lon: n.lon,
                    dwell_days: n.dwell_days,
                    load_per_day: n.load_per_day.map(i64::from),
                    source: n.source.clone(),
                })
                .collect(),
            edge: self
                .edges()
                .map(|e| RawEdge {
                    from: self.node(e.from).id.clone(),
                    to: self.node(e.to).id.clone(),
                    km: e.km,
                    road: e.road.clone(),
                    corridors: e.corridors.clone(),
                    source: e.source.clone(),
                })
                .collect(),
        }
    }

    pub fn graph(&self) -> &UnGraph<Node, Edge> {
        &self.graph
    }

    pub fn node_count(&self) -> usize {
        self.graph.node_count()
    }

    pub fn edge_count(&self) -> usize {
        self.graph.edge_count()
    }

    pub fn node(&self, i: usize) -> &Node {
        &self.graph[NodeIndex::new(i)]
    }

    pub fn edge(&self, e: usize) -> &Edge {
        &self.graph[EdgeIndex::new(e)]
    }

    pub fn nodes(&self) -> impl Iterator<Item = &Node> {
        self.graph.node_weights()
    }

    pub fn edges(&self) -> impl Iterator<Item = &Edge> {
        self.graph.edge_weights()
    }

    pub fn node_index(&self, id: &str) -> Option<usize> {
        self.ids.get(id).copied()
    }

    pub fn node_ids(&self) -> impl Iterator<Item = &str> {
        self.nodes().map(|n| n.id.as_str())
    }

    /// `"{from}-{to}"` as the data writes it.
    pub fn edge_id(&self, e: usize) -> String {
        let edge = self.edge(e);
        format!("{}-{}", self.node(edge.from).id, self.node(edge.to).id)
    }

    /// The edges tagged with a corridor, in data order.
    pub fn corridor(&self, tag: &str) -> Option<&[usize]> {
        self.corridors.get(tag).map(Vec::as_slice)
    }

    pub fn corridor_tags(&self) -> impl Iterator<Item = &str> {
        self.corridors.keys().map(String::as_str)
    }

    /// The edge between two nodes, either way round.
    pub fn edge_between(&self, a: usize, b: usize) -> Option<usize> {
        self.graph
            .find_edge(NodeIndex::new(a), NodeIndex::new(b))
            .map(EdgeIndex::index)
    }

    /// Resolves `a-b` (both ways) or `a>b` (only from a to b) to an edge and its ways.
    pub fn resolve_edge_ref(&self, reference: &str) -> Result<(usize, Ways), String> {
        let (a, b, one_way) = match (reference.split_once('>'), reference.split_once('-')) {
            (Some((a, b)), None) => (a, b, true),
            (None, Some((a, b))) => (a, b, false),
            _ => {
                return Err(format!(
                    "\"{reference}\" is not an edge reference; write \"a-b\" (both ways) or \"a>b\" (from a to b only)"
                ));
            }
        };
        let node = |id: &str| {
            self.node_index(id).ok_or_else(|| {
                format!(
                    "edge \"{reference}\": no node \"{id}\"{}",
                    did_you_mean(id, self.node_ids())
                )
            })
        };
        let (ia, ib) = (node(a)?, node(b)?);
        let Some(e) = self.edge_between(ia, ib) else {
            let near: Vec<&str> = self
                .graph
                .neighbors(NodeIndex::new(ia))
                .map(|n| self.graph[n].id.as_str())
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect();
            return Err(format!(
                "no edge joins \"{a}\" and \"{b}\"; edges from \"{a}\" go to: {}",
                if near.is_empty() {
                    "nothing".to_string()
                } else {
                    near.join(", ")
                }
            ));
        };
        let ways = match (one_way, self.edge(e).from == ia) {
            (false, _) => Ways::BOTH,
            (true, true) => Ways::FORWARD,
            (true, false) => Ways::BACKWARD,
        };
        Ok((e, ways))
    }

    /// Great-circle distance in km between two nodes (for the map's scale bar and checks).
    pub fn great_circle_km(&self, a: usize, b: usize) -> f64 {
        let (p, q) = (self.node(a), self.node(b));
        let (la1, la2) = (p.lat.to_radians(), q.lat.to_radians());
        let (dla, dlo) = (la2 - la1, (q.lon - p.lon).to_radians());
        let h = (dla / 2.0).sin().powi(2) + la1.cos() * la2.cos() * (dlo / 2.0).sin().powi(2);
        2.0 * 6371.0 * h.sqrt().asin()
    }
}

pub(crate) fn join<'a>(base: &[Seg<'a>], rest: &[Seg<'a>]) -> Vec<Seg<'a>> {
    [base, rest].concat()
}

/// The longest edge and dwell accepted: a bound that keeps arithmetic far from overflow.
pub const MAX_KM: f64 = 1.0e6;
pub const MAX_DAYS: f64 = 3650.0;
/// The most tankers a depot's `load_per_day` may say.
pub const MAX_LOAD_PER_DAY: i64 = 1_000_000;

#[cfg(test)]
mod tests {
    use super::*;

    fn net(text: &str) -> Result<RoadNetwork, InputError> {
        RoadNetwork::from_source(&TomlSource::new("n.toml", text))
    }

    const TWO: &str = r#"name = "t"
[[node]]
id = "a"
name = "A"
country = "ML"
kind = "port"
lat = 1.0
lon = 2.0
[[node]]
id = "b"
name = "B"
country = "ML"
kind = "town"
lat = 1.0
lon = 3.0
[[edge]]
from = "a"
to = "b"
km = 10
corridors = ["west"]
"#;

    #[test]
    fn resolves_edge_references_both_ways() {
        let n = net(TWO).unwrap();
        assert_eq!(n.resolve_edge_ref("a-b"), Ok((0, Ways::BOTH)));
        assert_eq!(n.resolve_edge_ref("b-a"), Ok((0, Ways::BOTH)));
        assert_eq!(n.resolve_edge_ref("a>b"), Ok((0, Ways::FORWARD)));
        assert_eq!(n.resolve_edge_ref("b>a"), Ok((0, Ways::BACKWARD)));
        assert!(
            n.resolve_edge_ref("a+b")
                .unwrap_err()
                .contains("not an edge reference")
        );
        assert!(
            n.resolve_edge_ref("aa-b")
                .unwrap_err()
                .contains("did you mean \"a\"")
        );
        assert_eq!(n.corridor("west"), Some(&[0][..]));
    }

    #[test]
    fn rejects_bad_networks_with_positions() {
        let e = net(&TWO.replace("km = 10", "km = -1")).unwrap_err();
        assert_eq!(
            e.to_string(),
            "n.toml:19:6: edge \"a-b\": km = -1 must be a number > 0 and <= 1000000"
        );
        let e = net(&TWO.replace("to = \"b\"", "to = \"a\"")).unwrap_err();
        assert!(e.to_string().contains("joins node \"a\" to itself"), "{e}");
        let e = net(&TWO.replace("kind = \"port\"", "kind = \"prot\"")).unwrap_err();
        assert!(e.to_string().ends_with("did you mean \"port\"?"), "{e}");
    }
}
