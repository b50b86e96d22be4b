//! Synthetic road networks and scenarios for benchmarks: a jittered square grid of any size,
//! with convoy streams from sources spread around its rim to a sink at its centre and
//! threats on a share of its edges. Routes stay about 500 km long whatever the grid size,
//! so growth in cost with size measures the engine, not longer trips.

use crate::network::{RawEdge, RawNode};
use crate::scenario::Scenario;
use crate::scenario::raw::{
    RawConvoy, RawDefaults, RawNetworkRef, RawScenario, RawSink, RawSinks, RawThreat,
};

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct SyntheticSpec {
    /// Nodes, rounded up to a square grid.
    pub nodes: usize,
    pub horizon_days: u32,
    /// Convoy streams, one per source on the rim.
    pub sources: usize,
    /// Share of edges under threat.
    pub threat_share: f64,
    /// Tankers per daily convoy.
    pub tankers: u32,
}

impl SyntheticSpec {
    pub fn new(nodes: usize, horizon_days: u32) -> Self {
        SyntheticSpec {
            nodes,
            horizon_days,
            sources: 8,
            threat_share: 0.1,
            tankers: 10,
        }
    }
}

/// A deterministic hash of an integer to [0, 1), so the grid is the same on every machine.
fn unit(i: u64) -> f64 {
    let mut z = i.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
}

/// The grid side for `nodes` nodes: at least 3, so that the sink at the centre is not on
/// the rim the convoys start from.
pub fn side(nodes: usize) -> usize {
    ((nodes.max(9) as f64).sqrt().ceil() as usize).max(3)
}

pub fn synthetic_raw(spec: &SyntheticSpec) -> RawScenario {
    let s = side(spec.nodes);
    let id = |r: usize, c: usize| format!("n{r}_{c}");
    let mut node = Vec::with_capacity(s * s);
    for r in 0..s {
        for c in 0..s {
            let k = (r * s + c) as u64;
            node.push(RawNode {
                id: id(r, c),
                name: format!("Node {r},{c}"),
                country: "ZZ".into(),
                kind: "town".into(),
                lat: -10.0 + 20.0 * (r as f64 + 0.3 * unit(2 * k)) / s as f64,
                lon: -10.0 + 20.0 * (c as f64 + 0.3 * unit(2 * k + 1)) / s as f64,
                dwell_days: 0.0,
                load_per_day: None,
                source: None,
            });
        }
    }
    // Edge lengths ~ 1,000 km / side (±50 %): a rim-to-centre route is ~500 km at any size.
    let mut edge = Vec::with_capacity(2 * s * s);
    let mut threatened = Vec::new();
    for r in 0..s {
        for c in 0..s {
            for (r2, c2) in [(r, c + 1), (r + 1, c)] {
                if r2 < s && c2 < s {
                    let k = edge.len() as u64;
                    edge.push(RawEdge {
                        from: id(r, c),
                        to: id(r2, c2),
                        km: (1000.0 / s as f64) * (0.5 + unit(1_000_003 + k)),
                        road: String::new(),
                        corridors: Vec::new(),
                        source: None,
                    });
                    if unit(7_000_001 + k) < spec.threat_share {
                        threatened.push(format!("{}-{}", id(r, c), id(r2, c2)));
                    }
                }
            }
        }
    }
    let centre = id(s / 2, s / 2);
    let rim: Vec<(usize, usize)> = (0..4 * (s - 1))
        .map(|i| {
            let (side_index, along) = (i / (s - 1), i % (s - 1));
            match side_index {
                0 => (0, along),
                1 => (along, s - 1),
                2 => (s - 1, s - 1 - along),
                _ => (s - 1 - along, 0),
            }
        })
        .collect();
    let convoy = (0..spec.sources.min(rim.len()))
        .map(|i| {
            let (r, c) = rim[i * rim.len() / spec.sources.min(rim.len())];
            RawConvoy {
                name: format!("stream-{i}"),
                from: id(r, c),
                tankers: i64::from(spec.tankers),
                routing: Some(if i % 2 == 0 { "shortest" } else { "safest" }.into()),
                risk_km_per_attack: Some(200.0),
                ..RawConvoy::default()
            }
        })
        .collect();
    let daily = f64::from(spec.tankers) * spec.sources as f64 * 40_000.0;
    RawScenario {
        name: format!("synthetic-{}-nodes-{}-days", s * s, spec.horizon_days),
        description: Some("Synthetic grid network for benchmarks".into()),
        horizon_days: i64::from(spec.horizon_days),
        start_date: None,
        network: RawNetworkRef {
            name: Some(format!("grid-{s}x{s}")),
            node: Some(node),
            edge: Some(edge),
            ..RawNetworkRef::default()
        },
        sink: RawSinks::One(RawSink {
            node: centre,
            initial_stock_litres: 3.0 * daily,
            daily_demand_litres: Some(daily),
            ..RawSink::default()
        }),
        price: Default::default(),
        defaults: RawDefaults {
            speed_km_per_day: Some(300.0),
            tanker_litres: Some(40_000.0),
            ..RawDefaults::default()
        },
        attack: Default::default(),
        escort: Default::default(),
        convoy,
        threat: if threatened.is_empty() {
            Vec::new()
        } else {
            vec![RawThreat {
                edges: threatened,
                attacks_per_100km: 0.3,
                ..RawThreat::default()
            }]
        },
        closure: Vec::new(),
        random_closure: Vec::new(),
        staging: Vec::new(),
    }
}

/// The synthetic scenario, validated like any other.
pub fn synthetic_scenario(spec: &SyntheticSpec) -> Scenario {
    Scenario::from_raw(&synthetic_raw(spec), "<synthetic>")
        .expect("the synthetic scenario is valid")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grids_of_any_size_are_valid_and_their_routes_stay_about_500_km() {
        for nodes in [0, 4, 16, 400] {
            let s = synthetic_scenario(&SyntheticSpec::new(nodes, 10));
            assert_eq!(s.network.node_count(), side(nodes).pow(2).max(9));
            assert_eq!(s.streams.len(), 8);
            let r = crate::simulate(&s, 1, 20, 1);
            assert!(r.metric("delivered_litres").mean > 0.0);
        }
    }
}
