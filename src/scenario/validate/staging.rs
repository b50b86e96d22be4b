//! `[[staging]]` points and their escort units (MODEL.md section 13).

use super::convoy::{End, fixed_path};
use super::raw::RawStaging;
use super::*;

const MAX_UNITS: i64 = 100_000;

pub(super) fn staging(
    c: &Checker<'_>,
    net: &RoadNetwork,
    raw: &[RawStaging],
    sinks: &[Sink],
    escorts: &[EscortLevel],
    defaults: &Defaults,
) -> Result<Vec<Staging>, InputError> {
    let mut points: Vec<Staging> = Vec::with_capacity(raw.len());
    for (i, rs) in raw.iter().enumerate() {
        let path = |key: &'static str| [Seg::Key("staging"), Seg::Index(i), Seg::Key(key)];
        let node = c.node(net, &path("node"), &format!("staging[{i}] node"), &rs.node)?;
        if sinks.iter().any(|s| s.node == node) {
            return Err(c.err(
                &path("node"),
                format!(
                    "staging[{i}] node = \"{}\" is a sink; a staging point is where tankers wait on their way to a sink",
                    rs.node
                ),
            ));
        }
        if let Some(first) = points.iter().position(|p| p.node == node) {
            return Err(c.err(
                &path("node"),
                format!(
                    "staging[{i}] node = \"{}\" is already staging[{first}]; one [[staging]] entry per node",
                    rs.node
                ),
            ));
        }
        let who = format!("staging \"{}\"", rs.node);
        let ctx = format!("{who}:");
        let label = |key: &str| format!("{ctx} {key}");
        let escort = escort(c, &path("escort"), &label("escort"), &rs.escort, escorts)?;
        let units = c.whole(
            &path("units"),
            &label("units"),
            rs.units,
            1,
            MAX_UNITS,
            " (escort units based here)",
        )?;
        let max_tankers = c.whole(
            &path("max_tankers"),
            &label("max_tankers"),
            rs.max_tankers,
            1,
            MAX_TANKERS,
            " (most tankers one unit escorts)",
        )?;
        let min_tankers = c.whole(
            &path("min_tankers"),
            &label("min_tankers"),
            rs.min_tankers.unwrap_or(1),
            1,
            i64::from(max_tankers),
            " (at most max_tankers)",
        )?;
        let max_wait_days = rs
            .max_wait_days
            .map(|v| {
                c.number(
                    &path("max_wait_days"),
                    &label("max_wait_days"),
                    v,
                    Rule::NonNegative(MAX_DAYS),
                )
            })
            .transpose()?;
        let turnaround_days = c.number(
            &path("turnaround_days"),
            &label("turnaround_days"),
            rs.turnaround_days.unwrap_or(1.0),
            Rule::NonNegative(MAX_DAYS),
        )?;
        let to = match &rs.to {
            Some(id) => sink::sink_named(c, net, sinks, &path("to"), &label("to"), id)?,
            None => 0,
        };
        let routing = match &rs.routing {
            Some(r) => routing(c, &path("routing"), &label("routing"), r)?,
            None => Routing::Shortest,
        };
        let via = via(c, net, "staging", i, &ctx, routing, rs.via.as_deref())?;
        let risk_km_per_attack = c.number(
            &path("risk_km_per_attack"),
            &label("risk_km_per_attack"),
            rs.risk_km_per_attack.unwrap_or(defaults.risk_km_per_attack),
            Rule::NonNegative(1e9),
        )?;
        let sink_node = sinks[to].node;
        let g = net.graph();
        if !has_path_connecting(g, NodeIndex::new(node), NodeIndex::new(sink_node), None) {
            return Err(c.err(
                &path("to"),
                format!(
                    "{ctx} the sink \"{}\" cannot be reached from \"{}\"; no road joins them even with every edge open",
                    net.node(sink_node).id,
                    rs.node
                ),
            ));
        }
        let fixed_path = if routing == Routing::Fixed {
            fixed_path(c, net, &path("via"), &who, node, &via, End::sink(sink_node))?
        } else {
            Vec::new()
        };
        points.push(Staging {
            node,
            escort,
            units,
            max_tankers,
            min_tankers,
            max_wait_days,
            turnaround_days,
            to,
            routing,
            via,
            risk_km_per_attack,
            fixed_path,
        });
    }
    Ok(points)
}

/// A `via` list: only for `fixed` routing, every entry a node.
pub(super) fn via(
    c: &Checker<'_>,
    net: &RoadNetwork,
    table: &'static str,
    i: usize,
    ctx: &str,
    routing: Routing,
    list: Option<&[String]>,
) -> Result<Vec<usize>, InputError> {
    let mut via = Vec::new();
    let Some(list) = list else {
        return Ok(via);
    };
    if routing != Routing::Fixed && !list.is_empty() {
        return Err(c.err(
            &[Seg::Key(table), Seg::Index(i), Seg::Key("via")],
            format!(
                "{ctx} via is only for routing = \"fixed\" (this {}'s routing is \"{}\")",
                if table == "convoy" {
                    "stream"
                } else {
                    "staging point"
                },
                routing.as_str()
            ),
        ));
    }
    for (j, id) in list.iter().enumerate() {
        let at = [
            Seg::Key(table),
            Seg::Index(i),
            Seg::Key("via"),
            Seg::Index(j),
        ];
        via.push(c.node(net, &at, &format!("{ctx} via"), id)?);
    }
    Ok(via)
}
