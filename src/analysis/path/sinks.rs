//! Paths into sinks: `sink.<key>` (the first sink), `sink[<node>].<key>` and
//! `sink[<node>].demand[<name>].<key>`, and the sink tables they name in a scenario's TOML,
//! written `[sink]` (one table) or `[[sink]]` (a list).

use toml::Value;

use super::{Kind, Place};
use crate::error::did_you_mean;
use crate::scenario::{Demand, Scenario};

/// The numeric fields of a demand class.
const DEMAND_FIELDS: [(&str, Kind); 2] =
    [("litres_per_day", Kind::Number), ("priority", Kind::Whole)];

/// Resolves a path whose first segment is `sink`; `fields` are a sink's numeric fields.
pub(super) fn resolve(
    s: &Scenario,
    segs: &[(&str, Option<&str>)],
    fields: &[(&'static str, Kind)],
) -> Result<(Place, &'static str, Kind), String> {
    let ids: Vec<&str> = s
        .sinks
        .iter()
        .map(|k| s.network.node(k.node).id.as_str())
        .collect();
    let i = match segs[0].1 {
        None => 0,
        Some(node) => ids.iter().position(|&id| id == node).ok_or_else(|| {
            format!(
                "no sink \"{node}\"{}; sinks: {}",
                did_you_mean(node, ids.iter().copied()),
                ids.join(", ")
            )
        })?,
    };
    let sink = &s.sinks[i];
    let classes: Vec<&str> = match &sink.demand {
        Demand::Classes(list) => list.iter().map(|c| c.name.as_str()).collect(),
        Demand::Total(_) => Vec::new(),
    };
    let names: Vec<&str> = fields.iter().map(|(f, _)| *f).collect();
    let Some(&(head, key)) = segs.get(1) else {
        return Err(format!(
            "say which field; numeric fields: {}, or demand[<name>].<key>",
            names.join(", ")
        ));
    };
    if head == "demand" {
        let Some(name) = key else {
            return Err(format!(
                "say which demand class: sink[{}].demand[<name>].<key>",
                ids[i]
            ));
        };
        if classes.is_empty() {
            return Err(format!(
                "sink \"{}\" has one total demand (daily_demand_litres), no demand classes",
                ids[i]
            ));
        }
        let k = classes.iter().position(|&c| c == name).ok_or_else(|| {
            format!(
                "sink \"{}\" has no demand class \"{name}\"{}; classes: {}",
                ids[i],
                did_you_mean(name, classes.iter().copied()),
                classes.join(", ")
            )
        })?;
        let demand_names = DEMAND_FIELDS.map(|(f, _)| f);
        let Some(&(field, kind)) = segs
            .get(2)
            .and_then(|(f, _)| DEMAND_FIELDS.iter().find(|(n, _)| n == f))
        else {
            let list = demand_names.join(", ");
            return Err(match segs.get(2) {
                None => format!("say which field; numeric fields: {list}"),
                Some((f, _)) => format!(
                    "\"{f}\" is not a numeric field of a demand class{}; numeric fields: {list}",
                    did_you_mean(f, demand_names)
                ),
            });
        };
        if segs[2].1.is_some() || segs.len() > 3 {
            return Err(format!("{field} is a number, with nothing inside it"));
        }
        return Ok((Place::Demand(i, k), field, kind));
    }
    let Some(&(field, kind)) = fields.iter().find(|(name, _)| *name == head) else {
        return Err(format!(
            "\"{head}\" is not a numeric field of sink{}; numeric fields: {}, or demand[<name>].<key>",
            did_you_mean(head, names.iter().copied().chain(["demand"])),
            names.join(", ")
        ));
    };
    if key.is_some() || segs.len() > 2 {
        return Err(format!("{field} is a number, with nothing inside it"));
    }
    if field == "daily_demand_litres" && !classes.is_empty() {
        return Err(format!(
            "sink \"{}\" has demand classes, not a total; set sink[{}].demand[<name>].litres_per_day (classes: {})",
            ids[i],
            ids[i],
            classes.join(", ")
        ));
    }
    Ok((Place::Sink(i), field, kind))
}

/// Sink `i` of a scenario's TOML.
pub(super) fn sink(root: &Value, i: usize) -> Option<&Value> {
    match root.get("sink")? {
        table @ Value::Table(_) => (i == 0).then_some(table),
        list => list.get(i),
    }
}

/// Sink `i` of a scenario's TOML, to edit; the path was resolved against it.
pub(super) fn sink_mut(root: &mut toml::Table, i: usize) -> &mut toml::Table {
    let sink = root.get_mut("sink").expect("a scenario has a sink");
    let table = match sink {
        Value::Array(list) => list.get_mut(i),
        table => (i == 0).then_some(table),
    };
    table
        .and_then(Value::as_table_mut)
        .expect("a resolved path names a sink that exists")
}
