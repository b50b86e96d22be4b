//! `[[convoy]]` streams: every key checked, names resolved, the sink reachable, and the
//! path of a `fixed` route worked out once.

use super::*;

#[allow(clippy::too_many_arguments)]
pub(super) fn convoy(
    c: &Checker<'_>,
    net: &RoadNetwork,
    rc: &RawConvoy,
    i: usize,
    horizon: u32,
    sinks: &[Sink],
    staging: &[Staging],
    escorts: &[EscortLevel],
    defaults: &Defaults,
) -> Result<Stream, InputError> {
    let path = |key: &'static str| [Seg::Key("convoy"), Seg::Index(i), Seg::Key(key)];
    if rc.name.is_empty() {
        return Err(c.err(&path("name"), format!("convoy[{i}] needs a non-empty name")));
    }
    let ctx = format!("convoy \"{}\"", rc.name);
    let label = |key: &str| format!("{ctx}: {key}");
    let from = c.node(net, &path("from"), &label("from"), &rc.from)?;
    if sinks.iter().any(|s| s.node == from) {
        return Err(c.err(
            &path("from"),
            format!(
                "{ctx}: from = \"{}\" is {}; a convoy must start elsewhere",
                rc.from,
                if sinks.len() == 1 {
                    "the sink"
                } else {
                    "a sink"
                }
            ),
        ));
    }
    let tankers = c.whole(
        &path("tankers"),
        &label("tankers"),
        rc.tankers,
        1,
        MAX_TANKERS,
        "",
    )?;
    let last_horizon_day = i64::from(horizon) - 1;
    let first_day = c.whole(
        &path("first_day"),
        &label("first_day"),
        rc.first_day.unwrap_or(0),
        0,
        last_horizon_day,
        &format!(" (the horizon is {horizon} days, so a later first day never departs)"),
    )?;
    let last_day = c.whole(
        &path("last_day"),
        &label("last_day"),
        rc.last_day.unwrap_or(i64::from(horizon)),
        i64::from(first_day) + 1,
        MAX_DAY_FIELD,
        " (exclusive, after first_day)",
    )?;
    let every_days = c.whole(
        &path("every_days"),
        &label("every_days"),
        rc.every_days.unwrap_or(1),
        1,
        MAX_DAY_FIELD,
        "",
    )?;
    let escort_ix = escort(
        c,
        &path("escort"),
        &label("escort"),
        rc.escort.as_deref().unwrap_or("none"),
        escorts,
    )?;
    let routing = match &rc.routing {
        Some(r) => routing(c, &path("routing"), &label("routing"), r)?,
        None => defaults.routing,
    };
    let via = staging::via(
        c,
        net,
        "convoy",
        i,
        &format!("{ctx}:"),
        routing,
        rc.via.as_deref(),
    )?;
    let speed = rc
        .speed_km_per_day
        .map(|v| {
            c.number(
                &path("speed_km_per_day"),
                &label("speed_km_per_day"),
                v,
                Rule::Positive(MAX_KM),
            )
        })
        .transpose()?;
    let tanker_litres = c.number(
        &path("tanker_litres"),
        &label("tanker_litres"),
        rc.tanker_litres.unwrap_or(defaults.tanker_litres),
        Rule::Positive(1e6),
    )?;
    let risk = c.number(
        &path("risk_km_per_attack"),
        &label("risk_km_per_attack"),
        rc.risk_km_per_attack.unwrap_or(defaults.risk_km_per_attack),
        Rule::NonNegative(1e9),
    )?;
    let fleet = rc
        .fleet
        .map(|f| c.whole(&path("fleet"), &label("fleet"), f, 1, MAX_FLEET, ""))
        .transpose()?;
    let return_escort = match (&rc.return_escort, fleet) {
        (Some(_), None) => {
            return Err(c.err(
                &path("return_escort"),
                format!("{ctx}: return_escort needs fleet = N (only fleet streams return)"),
            ));
        }
        (Some(name), Some(_)) => escort(
            c,
            &path("return_escort"),
            &label("return_escort"),
            name,
            escorts,
        )?,
        (None, _) => 0,
    };

    let stage = rc
        .stage
        .as_deref()
        .map(|id| staging_named(c, net, staging, &path("stage"), &label("stage"), id))
        .transpose()?;
    let to = match (&rc.to, stage) {
        (Some(id), _) => sink::sink_named(c, net, sinks, &path("to"), &label("to"), id)?,
        // A staged stream delivers where its staging point sends its convoys.
        (None, Some(p)) => staging[p].to,
        (None, None) => 0,
    };
    if let Some(p) = stage
        && staging[p].to != to
    {
        return Err(c.err(
            &path("to"),
            format!(
                "{ctx}: to = \"{}\", but its staging point \"{}\" sends convoys to \"{}\"; a staged stream delivers to its staging point's sink",
                net.node(sinks[to].node).id,
                net.node(staging[p].node).id,
                net.node(sinks[staging[p].to].node).id
            ),
        ));
    }
    let sink = sinks[to].node;
    let end = match stage {
        Some(p) => End::staging(staging[p].node),
        None => End::sink(sink),
    };
    let g = net.graph();
    if !has_path_connecting(g, NodeIndex::new(from), NodeIndex::new(end.node), None) {
        return Err(c.err(
            &path("from"),
            format!(
                "{ctx}: {} \"{}\" cannot be reached from \"{}\"; no road joins them even with every edge open",
                end.what,
                net.node(end.node).id,
                rc.from
            ),
        ));
    }
    let outbound = if routing == Routing::Fixed {
        fixed_path(c, net, &path("via"), &ctx, from, &via, end)?
    } else {
        Vec::new()
    };
    // MODEL.md section 10: a fixed stream returns along its outbound path reversed; one that
    // stages (section 13) by the least-km path from its sink to the staging node first.
    let return_path = match (fleet, stage) {
        (Some(_), Some(_)) if routing == Routing::Fixed => {
            let home = End::staging(end.node);
            let mut nodes = fixed_path(c, net, &path("stage"), &ctx, sink, &[], home)?;
            nodes.extend(outbound.iter().rev().skip(1));
            nodes
        }
        (Some(_), _) => outbound.iter().rev().copied().collect(),
        (None, _) => Vec::new(),
    };
    Ok(Stream {
        name: rc.name.clone(),
        from,
        first_day,
        last_day,
        every_days,
        tankers,
        escort: escort_ix,
        routing,
        via,
        speed_km_per_day: speed,
        tanker_litres,
        risk_km_per_attack: risk,
        fixed_path: outbound,
        fleet,
        return_escort,
        return_path,
        to,
        stage,
    })
}

/// Where a fixed path ends, and what to call it: a sink, or a staging point.
#[derive(Clone, Copy)]
pub(super) struct End {
    pub node: usize,
    pub what: &'static str,
    /// Why a route may not pass it: "a convoy ends at the sink".
    pub ends: &'static str,
}

impl End {
    pub fn sink(node: usize) -> End {
        End {
            node,
            what: "the sink",
            ends: "a convoy ends at the sink",
        }
    }

    pub fn staging(node: usize) -> End {
        End {
            node,
            what: "the staging point",
            ends: "this leg ends at the staging point",
        }
    }
}

/// MODEL.md section 3, `fixed`: the path of least km through the `via` nodes in order,
/// ignoring closures. It may not reach its end before its last leg.
pub(super) fn fixed_path(
    c: &Checker<'_>,
    net: &RoadNetwork,
    at: &[Seg<'_>],
    ctx: &str,
    from: usize,
    via: &[usize],
    end: End,
) -> Result<Vec<usize>, InputError> {
    let g = net.graph();
    let (sink, what) = (end.node, end.what);
    let mut nodes = vec![from];
    let stops: Vec<usize> = via.iter().copied().chain([sink]).collect();
    for (leg, &stop) in stops.iter().enumerate() {
        let here = *nodes.last().expect("starts with the source");
        let found = astar(
            g,
            NodeIndex::new(here),
            |n| n.index() == stop,
            |e| e.weight().km,
            |_| 0.0,
        );
        if stop == sink && leg + 1 < stops.len() {
            return Err(c.err(
                at,
                format!(
                    "{ctx}: via lists {what} \"{}\", but {}; list only the nodes before it",
                    net.node(sink).id,
                    end.ends
                ),
            ));
        }
        let Some((_, leg_nodes)) = found else {
            return Err(c.err(
                at,
                format!(
                    "{ctx}: via node \"{}\" cannot be reached from \"{}\"",
                    net.node(stop).id,
                    net.node(here).id
                ),
            ));
        };
        if leg + 1 < stops.len() && leg_nodes.iter().any(|n| n.index() == sink) {
            return Err(c.err(
                at,
                format!(
                    "{ctx}: the fixed route reaches {what} \"{}\" before via node \"{}\"; {}",
                    net.node(sink).id,
                    net.node(stop).id,
                    end.ends
                ),
            ));
        }
        nodes.extend(leg_nodes.iter().skip(1).map(|n| n.index()));
    }
    Ok(nodes)
}

/// The index of the staging point at node id `id`, for a stream's `stage`.
fn staging_named(
    c: &Checker<'_>,
    net: &RoadNetwork,
    staging: &[Staging],
    path: &[Seg<'_>],
    label: &str,
    id: &str,
) -> Result<usize, InputError> {
    let ids: Vec<&str> = staging
        .iter()
        .map(|p| net.node(p.node).id.as_str())
        .collect();
    ids.iter().position(|&s| s == id).ok_or_else(|| {
        let valid = if ids.is_empty() {
            "the scenario has no [[staging]] entries".to_string()
        } else {
            format!("staging points: {}", ids.join(", "))
        };
        c.err(
            path,
            format!(
                "{label} = \"{id}\" is not a staging point; {valid}{}",
                did_you_mean(id, ids.iter().copied())
            ),
        )
    })
}
