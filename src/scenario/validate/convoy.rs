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
    sink: &Sink,
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
    if from == sink.node {
        return Err(c.err(
            &path("from"),
            format!(
                "{ctx}: from = \"{}\" is the sink; a convoy must start elsewhere",
                rc.from
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
    let mut via = Vec::new();
    if let Some(list) = &rc.via {
        if routing != Routing::Fixed && !list.is_empty() {
            return Err(c.err(
                &path("via"),
                format!(
                    "{ctx}: via is only for routing = \"fixed\" (this stream's routing is \"{}\")",
                    routing.as_str()
                ),
            ));
        }
        for (j, id) in list.iter().enumerate() {
            let at = [
                Seg::Key("convoy"),
                Seg::Index(i),
                Seg::Key("via"),
                Seg::Index(j),
            ];
            via.push(c.node(net, &at, &label("via"), id)?);
        }
    }
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

    let g = net.graph();
    if !has_path_connecting(g, NodeIndex::new(from), NodeIndex::new(sink.node), None) {
        return Err(c.err(
            &path("from"),
            format!(
                "{ctx}: the sink \"{}\" cannot be reached from \"{}\"; no road joins them even with every edge open",
                net.node(sink.node).id,
                rc.from
            ),
        ));
    }
    let fixed_path = if routing == Routing::Fixed {
        fixed_path(c, net, &path("via"), &ctx, from, &via, sink.node)?
    } else {
        Vec::new()
    };
    // MODEL.md section 10: a fixed stream returns along its outbound path reversed.
    let return_path = if fleet.is_some() {
        fixed_path.iter().rev().copied().collect()
    } else {
        Vec::new()
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
        fixed_path,
        fleet,
        return_escort,
        return_path,
        to: 0,
        stage: None,
    })
}

/// MODEL.md section 3, `fixed`: the path of least km through the `via` nodes in order,
/// ignoring closures. It may not reach the sink before its last leg.
fn fixed_path(
    c: &Checker<'_>,
    net: &RoadNetwork,
    at: &[Seg<'_>],
    ctx: &str,
    from: usize,
    via: &[usize],
    sink: usize,
) -> Result<Vec<usize>, InputError> {
    let g = net.graph();
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
                    "{ctx}: via lists the sink \"{}\", but a convoy ends at the sink; list only the nodes before it",
                    net.node(sink).id
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
                    "{ctx}: the fixed route reaches the sink \"{}\" before via node \"{}\"; a convoy ends at the sink",
                    net.node(sink).id,
                    net.node(stop).id
                ),
            ));
        }
        nodes.extend(leg_nodes.iter().skip(1).map(|n| n.index()));
    }
    Ok(nodes)
}
