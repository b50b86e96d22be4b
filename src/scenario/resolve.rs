//! A validated scenario written back out with every default filled in and the network
//! inline: the `scenario.toml` of a run, which repeats the run exactly when run again.

use super::raw::*;
use super::*;
use crate::network::RawNetworkFile;

pub(super) fn to_raw(s: &Scenario) -> RawScenario {
    let net: RawNetworkFile = s.network.to_raw();
    let id = |n: usize| s.network.node(n).id.clone();
    let escort_name = |e: usize| s.escorts[e].name.clone();
    let cover_days = |c: &Cover| (Some(i64::from(c.from_day)), Some(i64::from(c.to_day)));
    let direction = |c: &Cover| Some(c.direction.as_str().to_string());
    RawScenario {
        name: s.name.clone(),
        description: Some(s.description.clone()).filter(|d| !d.is_empty()),
        horizon_days: i64::from(s.horizon_days),
        start_date: s.start_date.map(|d| toml::Value::String(d.to_string())),
        network: RawNetworkRef {
            builtin: None,
            file: None,
            nodes: None,
            edges: None,
            name: Some(net.name),
            node: Some(net.node),
            edge: Some(net.edge),
        },
        sink: RawSink {
            node: id(s.headline().node),
            initial_stock_litres: s.headline().initial_stock_litres,
            daily_demand_litres: s.headline().daily_demand_litres(),
            unload_days: Some(s.headline().unload_days),
        },
        price: RawPrice {
            base_price: Some(s.price.base_price),
            currency: Some(s.price.currency.clone()),
            elasticity: Some(s.price.elasticity),
            cap_multiple: Some(s.price.cap_multiple),
            memory_days: Some(s.price.memory_days),
        },
        defaults: RawDefaults {
            speed_km_per_day: Some(s.defaults.speed_km_per_day),
            tanker_litres: Some(s.defaults.tanker_litres),
            routing: Some(s.defaults.routing.as_str().to_string()),
            risk_km_per_attack: Some(s.defaults.risk_km_per_attack),
        },
        attack: RawAttack {
            loss_alpha: Some(s.attack.loss_alpha),
            loss_beta: Some(s.attack.loss_beta),
        },
        escort: s
            .escorts
            .iter()
            .map(|e| {
                let raw = RawEscort {
                    attack_mult: Some(e.attack_mult),
                    loss_mult: Some(e.loss_mult),
                    speed_km_per_day: e.speed_km_per_day,
                };
                (e.name.clone(), raw)
            })
            .collect(),
        convoy: s
            .streams
            .iter()
            .map(|c| RawConvoy {
                name: c.name.clone(),
                from: id(c.from),
                tankers: i64::from(c.tankers),
                first_day: Some(i64::from(c.first_day)),
                last_day: Some(i64::from(c.last_day)),
                every_days: Some(i64::from(c.every_days)),
                escort: Some(escort_name(c.escort)),
                routing: Some(c.routing.as_str().to_string()),
                via: (c.routing == Routing::Fixed).then(|| c.via.iter().map(|&n| id(n)).collect()),
                speed_km_per_day: c.speed_km_per_day,
                tanker_litres: Some(c.tanker_litres),
                risk_km_per_attack: Some(c.risk_km_per_attack),
                fleet: c.fleet.map(i64::from),
                return_escort: c.fleet.map(|_| escort_name(c.return_escort)),
            })
            .collect(),
        threat: s
            .threats
            .iter()
            .map(|t| {
                let (from_day, to_day) = cover_days(&t.cover);
                RawThreat {
                    edges: t.cover.edge_refs.clone(),
                    corridors: t.cover.corridors.clone(),
                    direction: direction(&t.cover),
                    from_day,
                    to_day,
                    attacks_per_100km: t.attacks_per_100km,
                }
            })
            .collect(),
        closure: s
            .closures
            .iter()
            .map(|c| {
                let (from_day, to_day) = cover_days(&c.cover);
                RawClosure {
                    edges: c.cover.edge_refs.clone(),
                    corridors: c.cover.corridors.clone(),
                    direction: direction(&c.cover),
                    from_day,
                    to_day,
                }
            })
            .collect(),
        random_closure: s
            .random_closures
            .iter()
            .map(|r| {
                let (from_day, to_day) = cover_days(&r.cover);
                RawRandomClosure {
                    edges: r.cover.edge_refs.clone(),
                    corridors: r.cover.corridors.clone(),
                    direction: direction(&r.cover),
                    from_day,
                    to_day,
                    per_day: r.per_day,
                    mean_days: r.mean_days,
                }
            })
            .collect(),
    }
}

pub(super) fn to_toml(s: &Scenario) -> String {
    let origin = match &s.network_origin {
        NetworkOrigin::Builtin(name) => format!("the built-in network \"{name}\""),
        NetworkOrigin::File(path) => format!("the network file {}", path.display()),
        NetworkOrigin::CsvFiles { nodes, edges } => format!(
            "the network files {} and {}",
            nodes.display(),
            edges.display()
        ),
        NetworkOrigin::Inline => "the scenario's inline network".to_string(),
    };
    let body = toml::to_string(&to_raw(s)).expect("a resolved scenario always serializes");
    format!(
        "# Scenario \"{}\" as corridor {} ran it: every default written out, and {origin}\n\
         # written inline, so that `corridor run` on this file repeats the run exactly.\n\n{body}",
        s.name,
        env!("CARGO_PKG_VERSION"),
    )
}
