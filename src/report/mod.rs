//! A run's results in the form people and scripts read: finished from the exact tally into
//! means, standard deviations and percentiles, then printed (`table`) or written (`files`).

pub mod analysis;
pub mod chart;
pub mod files;
pub mod html;
pub mod meta;
pub mod readback;
pub mod sinks;
pub mod table;

use serde::{Deserialize, Serialize};

use crate::network::RoadNetwork;
use crate::scenario::Scenario;
use crate::sim::outcome::{DAILY, METRICS, STREAM_FIELDS};
use crate::sim::run::Tally;
use crate::stats::{DayStat, Sketch, Stat};
pub use sinks::{ClassResult, SinkResult, StagingResult};

/// Everything a run reports, finished. `results.json` holds it whole; it is all the charts
/// and the report need, so they can be redrawn without re-running.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunResults {
    pub scenario: String,
    pub description: String,
    pub trials: u64,
    /// Fewer trials than asked for: the run was interrupted.
    pub interrupted: bool,
    pub seed: u64,
    pub horizon_days: u32,
    pub start_date: Option<String>,
    pub sink: String,
    pub currency: String,
    pub base_price: f64,
    pub cap_multiple: f64,
    pub daily_demand_litres: f64,
    pub metrics: Vec<NamedStat>,
    pub streams: Vec<StreamResult>,
    /// `daily[series][day]` for the series of `DAILY`.
    pub daily: Vec<Vec<DayStat>>,
    pub fleets: Vec<FleetSeries>,
    /// Every sink, the headline sink first (its figures are also those above).
    pub sinks: Vec<SinkResult>,
    /// Every staging point, in file order.
    pub staging: Vec<StagingResult>,
    pub edges: Vec<EdgeResult>,
    pub nodes: Vec<NodeInfo>,
    /// The distribution of delivered litres over the trials, for the histogram.
    pub delivered_distribution: Sketch,
    pub traversals: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NamedStat {
    pub name: String,
    #[serde(flatten)]
    pub stat: Stat,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StreamResult {
    pub name: String,
    pub from: String,
    pub escort: String,
    pub fleet: Option<u32>,
    /// The loading limit of its source's depot (MODEL.md section 12), if it has one.
    pub load_limit: Option<u32>,
    /// Means of `STREAM_FIELDS`, in that order.
    pub means: Vec<f64>,
    /// Litres the stream would carry if no tanker were ever lost or short.
    pub dispatched_litres: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FleetSeries {
    pub stream: String,
    pub fleet: u32,
    /// Tankers alive at the end of each day.
    pub alive: Vec<DayStat>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EdgeResult {
    pub id: String,
    pub from: usize,
    pub to: usize,
    pub km: f64,
    pub road: String,
    pub attacks_mean: f64,
    pub tankers_lost_mean: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NodeInfo {
    pub id: String,
    pub name: String,
    pub country: String,
    pub kind: String,
    pub lat: f64,
    pub lon: f64,
}

impl RunResults {
    pub fn finish(scenario: &Scenario, tally: &Tally, seed: u64, requested: u64) -> RunResults {
        let net = &scenario.network;
        let h = scenario.horizon_days as usize;
        let n = tally.trials.max(1) as f64;
        let fields = STREAM_FIELDS.len();
        let streams = scenario
            .streams
            .iter()
            .enumerate()
            .map(|(s, st)| StreamResult {
                name: st.name.clone(),
                from: net.node(st.from).id.clone(),
                escort: scenario.escorts[st.escort].name.clone(),
                fleet: st.fleet,
                load_limit: net.node(st.from).load_per_day,
                means: tally.streams[s * fields..(s + 1) * fields]
                    .iter()
                    .map(|x| x.mean())
                    .collect(),
                dispatched_litres: st.departure_days(scenario.horizon_days).count() as f64
                    * f64::from(st.tankers)
                    * st.tanker_litres,
            })
            .collect();
        let fleets = scenario
            .streams
            .iter()
            .filter_map(|st| st.fleet.map(|f| (st, f)))
            .enumerate()
            .map(|(i, (st, fleet))| FleetSeries {
                stream: st.name.clone(),
                fleet,
                alive: tally.fleet_alive[i * h..(i + 1) * h]
                    .iter()
                    .map(|s| s.stat())
                    .collect(),
            })
            .collect();
        RunResults {
            scenario: scenario.name.clone(),
            description: scenario.description.clone(),
            trials: tally.trials,
            interrupted: tally.trials < requested,
            seed,
            horizon_days: scenario.horizon_days,
            start_date: scenario.start_date.map(|d| d.to_string()),
            sink: place_name(&net.node(scenario.headline().node).name),
            currency: scenario.price.currency.clone(),
            base_price: scenario.price.base_price,
            cap_multiple: scenario.price.cap_multiple,
            daily_demand_litres: scenario.headline().daily_demand_litres(),
            metrics: METRICS
                .iter()
                .zip(&tally.metrics)
                .map(|(name, s)| NamedStat {
                    name: name.to_string(),
                    stat: s.stat(),
                })
                .collect(),
            streams,
            daily: (0..DAILY.len())
                .map(|k| {
                    tally.daily[k * h..(k + 1) * h]
                        .iter()
                        .map(|s| s.stat())
                        .collect()
                })
                .collect(),
            fleets,
            sinks: sinks::sink_results(scenario, tally),
            staging: sinks::staging_results(scenario, tally),
            edges: net
                .edges()
                .enumerate()
                .map(|(e, edge)| EdgeResult {
                    id: net.edge_id(e),
                    from: edge.from,
                    to: edge.to,
                    km: edge.km,
                    road: edge.road.clone(),
                    attacks_mean: tally.edge_attacks[e] as f64 / n,
                    tankers_lost_mean: tally.edge_tankers_lost[e] as f64 / n,
                })
                .collect(),
            nodes: node_infos(net),
            delivered_distribution: tally.metrics[0].sketch.clone(),
            traversals: tally.traversals,
        }
    }

    /// The staging point at node index `node`, if there is one.
    pub fn staging_at(&self, node: usize) -> Option<&StagingResult> {
        let id = &self.nodes.get(node)?.id;
        self.staging.iter().find(|p| &p.node == id)
    }

    /// A trial metric by name.
    pub fn metric(&self, name: &str) -> &Stat {
        &self
            .metrics
            .iter()
            .find(|m| m.name == name)
            .expect("every MODEL.md metric is reported")
            .stat
    }

    /// The date label of a day, if the scenario has a start date.
    pub fn date(&self, day: usize) -> Option<String> {
        let start = crate::calendar::Date::parse(self.start_date.as_deref()?)?;
        Some(start.plus_days(day as i64).to_string())
    }
}

/// Every node of a network, as results report them.
pub fn node_infos(net: &RoadNetwork) -> Vec<NodeInfo> {
    net.nodes()
        .map(|node| NodeInfo {
            id: node.id.clone(),
            name: node.name.clone(),
            country: node.country.clone(),
            kind: node.kind.as_str().to_string(),
            lat: node.lat,
            lon: node.lon,
        })
        .collect()
}

/// A scenario's network as a map needs it: the places, the roads between them, the sink and
/// where the convoy streams start. Analyses that draw a map carry one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NetworkMap {
    pub nodes: Vec<NodeInfo>,
    pub edges: Vec<MapEdge>,
    /// Index into `nodes`.
    pub sink: usize,
    /// Indices into `nodes` of the nodes convoy streams start from, without repeats.
    pub sources: Vec<usize>,
}

/// A road of a [`NetworkMap`]; `from` and `to` index its `nodes`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MapEdge {
    /// `from-to` as the data writes it.
    pub id: String,
    pub from: usize,
    pub to: usize,
    pub km: f64,
}

impl NetworkMap {
    pub fn of(scenario: &Scenario) -> NetworkMap {
        let net = &scenario.network;
        let mut sources: Vec<usize> = scenario.streams.iter().map(|s| s.from).collect();
        sources.sort_unstable();
        sources.dedup();
        NetworkMap {
            nodes: node_infos(net),
            edges: net
                .edges()
                .enumerate()
                .map(|(e, edge)| MapEdge {
                    id: net.edge_id(e),
                    from: edge.from,
                    to: edge.to,
                    km: edge.km,
                })
                .collect(),
            sink: scenario.headline().node,
            sources,
        }
    }
}

/// "Bamako (ONAP/OMAP depots)" -> "Bamako": a node's place name without its annotation.
pub fn place_name(name: &str) -> String {
    name.split(" (").next().unwrap_or(name).trim().to_string()
}
