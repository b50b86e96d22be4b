//! `[sink]` or `[[sink]]`: each sink's node, stock, capacity and demand, in one of its two
//! forms (MODEL.md section 6).

use super::raw::{RawDemand, RawSinks};
use super::*;

/// The most demand classes a sink and ration tiers a class may have; far beyond any real
/// scenario, they keep a sink's daily work small.
const MAX_CLASSES: usize = 1000;
const MAX_TIERS: usize = 100;
const MAX_PRIORITY: i64 = 1_000_000;

/// A sink's name in messages, and the prefix of its keys: `[sink]` for the one table,
/// `sink "bamako"` and `sink "bamako":` in a list.
fn context(raw: &RawSinks, node: &str) -> (String, String) {
    match raw {
        RawSinks::One(_) => ("[sink]".to_string(), "[sink]".to_string()),
        RawSinks::Many(_) => (format!("sink \"{node}\""), format!("sink \"{node}\":")),
    }
}

pub(super) fn sinks(
    c: &Checker<'_>,
    net: &RoadNetwork,
    raw: &RawSinks,
) -> Result<Vec<Sink>, InputError> {
    let list = raw.list();
    if list.is_empty() {
        return Err(c.err(
            &["sink".into()],
            "the scenario's sink list is empty; add a [sink] table or [[sink]] entries",
        ));
    }
    let mut sinks: Vec<Sink> = Vec::with_capacity(list.len());
    for (i, rs) in list.iter().enumerate() {
        let base = raw.path(i);
        let path = |key: &'static str| join(&base, &[Seg::Key(key)]);
        let (who, ctx) = context(raw, &rs.node);
        let label = |key: &str| format!("{ctx} {key}");
        let node_label = match raw {
            RawSinks::One(_) => "[sink] node".to_string(),
            RawSinks::Many(_) => format!("sink[{i}] node"),
        };
        let node = c.node(net, &path("node"), &node_label, &rs.node)?;
        if let Some(first) = sinks.iter().position(|s| s.node == node) {
            return Err(c.err(
                &path("node"),
                format!(
                    "{node_label} = \"{}\" is already sink[{first}]; each sink is a different node",
                    rs.node
                ),
            ));
        }
        let initial = c.number(
            &path("initial_stock_litres"),
            &label("initial_stock_litres"),
            rs.initial_stock_litres,
            Rule::NonNegative(MAX_LITRES),
        )?;
        let capacity = rs
            .capacity_litres
            .map(|v| {
                c.number(
                    &path("capacity_litres"),
                    &label("capacity_litres"),
                    v,
                    Rule::Positive(MAX_LITRES),
                )
            })
            .transpose()?;
        if let Some(cap) = capacity
            && initial > cap
        {
            return Err(c.err(
                &path("initial_stock_litres"),
                format!(
                    "{ctx} initial_stock_litres = {} is more than capacity_litres = {}; the stock must fit in the store",
                    crate::names::number(c.src.written(&path("initial_stock_litres")), initial),
                    crate::names::number(c.src.written(&path("capacity_litres")), cap),
                ),
            ));
        }
        let unload_days = c.number(
            &path("unload_days"),
            &label("unload_days"),
            rs.unload_days.unwrap_or(0.5),
            Rule::NonNegative(MAX_DAYS),
        )?;
        let max_demand = MAX_LITRES / MAX_HORIZON as f64;
        let demand = match (rs.daily_demand_litres, &rs.demand) {
            (Some(_), Some(_)) => {
                return Err(c.err(
                    &path("demand"),
                    format!(
                        "{who} has both daily_demand_litres and [[sink.demand]] classes; write one or the other"
                    ),
                ));
            }
            (None, None) => {
                return Err(c.err(
                    &base,
                    format!(
                        "{who} needs its demand: daily_demand_litres = <litres>, or [[sink.demand]] classes"
                    ),
                ));
            }
            (Some(d), None) => Demand::Total(c.number(
                &path("daily_demand_litres"),
                &label("daily_demand_litres"),
                d,
                Rule::NonNegative(max_demand),
            )?),
            (None, Some(classes)) => {
                let classes = demand_classes(c, &base, &ctx, classes)?;
                let total: f64 = classes.iter().map(|k| k.litres_per_day).sum();
                if total > max_demand {
                    return Err(c.err(
                        &path("demand"),
                        format!(
                            "{who}: its demand classes together ask {total:e} litres a day, beyond {}",
                            bound(max_demand)
                        ),
                    ));
                }
                Demand::Classes(classes)
            }
        };
        sinks.push(Sink {
            node,
            initial_stock_litres: initial,
            capacity_litres: capacity,
            unload_days,
            demand,
        });
    }
    Ok(sinks)
}

fn demand_classes(
    c: &Checker<'_>,
    base: &[Seg<'_>],
    ctx: &str,
    raw: &[RawDemand],
) -> Result<Vec<DemandClass>, InputError> {
    let list_path = join(base, &[Seg::Key("demand")]);
    if raw.is_empty() {
        return Err(c.err(
            &list_path,
            format!("{ctx} demand is an empty list; a sink needs at least one demand class"),
        ));
    }
    if raw.len() > MAX_CLASSES {
        return Err(c.err(
            &list_path,
            format!(
                "{ctx} has {} demand classes; at most {MAX_CLASSES}",
                raw.len()
            ),
        ));
    }
    let mut classes: Vec<DemandClass> = Vec::with_capacity(raw.len());
    for (k, rd) in raw.iter().enumerate() {
        let class_base = join(&list_path, &[Seg::Index(k)]);
        let path = |key: &'static str| join(&class_base, &[Seg::Key(key)]);
        if rd.name.is_empty() {
            return Err(c.err(
                &path("name"),
                format!("{ctx} demand[{k}] needs a non-empty name"),
            ));
        }
        if classes.iter().any(|d| d.name == rd.name) {
            return Err(c.err(
                &path("name"),
                format!(
                    "{ctx} demand class name \"{}\" is used twice; class names must be unique in a sink",
                    rd.name
                ),
            ));
        }
        let cctx = format!("{ctx} demand \"{}\":", rd.name);
        let label = |key: &str| format!("{cctx} {key}");
        let litres = c.number(
            &path("litres_per_day"),
            &label("litres_per_day"),
            rd.litres_per_day,
            Rule::NonNegative(MAX_LITRES / MAX_HORIZON as f64),
        )?;
        let priority = c.whole(
            &path("priority"),
            &label("priority"),
            rd.priority.unwrap_or(1),
            1,
            MAX_PRIORITY,
            " (lower numbers are served first)",
        )?;
        let ration = ration(c, &class_base, &cctx, rd.ration.as_deref().unwrap_or(&[]))?;
        classes.push(DemandClass {
            name: rd.name.clone(),
            litres_per_day: litres,
            priority,
            street: rd.street.unwrap_or(true),
            ration,
        });
    }
    Ok(classes)
}

/// Ration tiers: `below_days` > 0 and distinct, `share` from 0 to 1; kept sorted by
/// `below_days`, whatever order the file writes them in.
fn ration(
    c: &Checker<'_>,
    class_base: &[Seg<'_>],
    ctx: &str,
    raw: &[super::raw::RawRation],
) -> Result<Vec<RationTier>, InputError> {
    let list_path = join(class_base, &[Seg::Key("ration")]);
    if raw.len() > MAX_TIERS {
        return Err(c.err(
            &list_path,
            format!("{ctx} ration has {} tiers; at most {MAX_TIERS}", raw.len()),
        ));
    }
    let mut tiers: Vec<RationTier> = Vec::with_capacity(raw.len());
    for (t, tier) in raw.iter().enumerate() {
        let path = |key: &'static str| join(&list_path, &[Seg::Index(t), Seg::Key(key)]);
        let below_days = c.number(
            &path("below_days"),
            &format!("{ctx} ration[{t}] below_days"),
            tier.below_days,
            Rule::Positive(MAX_DAYS),
        )?;
        let share = c.number(
            &path("share"),
            &format!("{ctx} ration[{t}] share"),
            tier.share,
            Rule::NonNegative(1.0),
        )?;
        if let Some(other) = tiers.iter().position(|r| r.below_days == below_days) {
            return Err(c.err(
                &path("below_days"),
                format!(
                    "{ctx} ration[{t}] below_days = {} repeats ration[{other}]; each tier needs its own below_days",
                    crate::names::number(c.src.written(&path("below_days")), below_days)
                ),
            ));
        }
        tiers.push(RationTier { below_days, share });
    }
    tiers.sort_by(|a, b| a.below_days.total_cmp(&b.below_days));
    Ok(tiers)
}

/// The index of the sink at node id `id`, for a `to` key.
pub(super) fn sink_named(
    c: &Checker<'_>,
    net: &RoadNetwork,
    sinks: &[Sink],
    path: &[Seg<'_>],
    label: &str,
    id: &str,
) -> Result<usize, InputError> {
    let ids: Vec<&str> = sinks.iter().map(|s| net.node(s.node).id.as_str()).collect();
    ids.iter().position(|&s| s == id).ok_or_else(|| {
        c.err(
            path,
            format!(
                "{label} = \"{id}\" is not a sink; sinks: {}{}",
                ids.join(", "),
                did_you_mean(id, ids.iter().copied())
            ),
        )
    })
}
