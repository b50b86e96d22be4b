//! The report's sinks, demand classes and staging points (MODEL.md sections 6 and 13): a
//! table of every sink's key figures, one of each sink's classes, one of the staging
//! points, and the captions of their charts. A run of one sink with one class and no
//! staging point has none of them: the summary says it all.

use std::fmt::Write as _;

use super::{esc, ml};
use crate::report::RunResults;
use crate::report::chart::ChartKind;
use crate::report::table::grouped;

/// Whether the page has a section of sinks: several sinks, or a sink of several classes.
pub(super) fn has_sinks(r: &RunResults) -> bool {
    r.sinks.len() > 1 || r.sinks.iter().any(|s| s.classes.len() > 1)
}

/// The sinks section: every sink's figures, then each sink's classes.
pub(super) fn sinks_tables(h: &mut String, r: &RunResults) {
    if !has_sinks(r) {
        return;
    }
    let cur = esc(&r.currency);
    let _ = write!(
        h,
        "<h2 id=\"sinks\">Sinks</h2>\n<table>\n<thead><tr><th>Sink</th>\
         <th>Demand, M&nbsp;L/day</th><th>Delivered, M&nbsp;L</th><th>Not served, M&nbsp;L</th>\
         <th>Days short</th><th>Days empty</th><th>Mean price, {cur}/L</th>\
         <th>Peak price, {cur}/L</th><th>Stock at the end, M&nbsp;L</th>\
         <th>Waiting to unload, M&nbsp;L</th></tr></thead>\n<tbody>\n"
    );
    for s in &r.sinks {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>\
             <td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&s.name),
            grouped(s.daily_demand_litres / 1e6, 2),
            ml(s.mean("delivered_litres")),
            ml(s.mean("unserved_litres")),
            grouped(s.mean("shortage_days"), 1),
            grouped(s.mean("stockout_days"), 1),
            grouped(s.mean("mean_price"), 0),
            grouped(s.mean("peak_price"), 0),
            ml(s.mean("final_stock_litres")),
            ml(s.mean("backlog_litres")),
        );
    }
    h.push_str("</tbody>\n</table>\n");
    h.push_str(
        "<p class=\"note\">Means per trial. The first sink is the headline sink of the summary. \
         A day short is a day on which some demand went unserved, a day empty one on which the \
         stock ran out too; fuel waiting to unload was delivered but found no room in storage.</p>\n",
    );
    for s in r.sinks.iter().filter(|s| s.classes.len() > 1) {
        let _ = write!(
            h,
            "<h3>Demand classes in {}</h3>\n<table>\n<thead><tr><th>Class</th>\
             <th>Priority</th><th class=\"text\">Rationed</th><th class=\"text\">Buys on the street</th>\
             <th>Demand, M&nbsp;L/day</th><th>Released, M&nbsp;L</th><th>Not served, M&nbsp;L</th>\
             <th>Served, %</th><th>Days short</th></tr></thead>\n<tbody>\n",
            esc(&s.name)
        );
        let days = f64::from(r.horizon_days);
        for c in &s.classes {
            let normal = c.litres_per_day * days;
            let served = if normal > 0.0 {
                grouped(100.0 * c.mean("released_litres") / normal, 0)
            } else {
                "–".to_string()
            };
            let _ = writeln!(
                h,
                "<tr><td>{}</td><td>{}</td><td class=\"text\">{}</td><td class=\"text\">{}</td>\
                 <td>{}</td><td>{}</td><td>{}</td><td>{served}</td><td>{}</td></tr>",
                esc(&c.name),
                c.priority,
                if c.rationed { "yes" } else { "no" },
                if c.street { "yes" } else { "no" },
                grouped(c.litres_per_day / 1e6, 2),
                ml(c.mean("released_litres")),
                ml(c.mean("unserved_litres")),
                grouped(c.mean("shortage_days"), 1),
            );
        }
        h.push_str("</tbody>\n</table>\n");
    }
    if r.sinks.iter().any(|s| s.classes.len() > 1) {
        h.push_str(
            "<p class=\"note\">Means per trial. Lower priority numbers are served first; a \
             rationed class draws only a share of its demand while the stock is low, and what a \
             ration withholds counts as not served. Served is the share of the class\u{2019}s \
             normal demand over the whole run.</p>\n",
        );
    }
}

/// The staging points' table.
pub(super) fn staging_table(h: &mut String, r: &RunResults) {
    if r.staging.is_empty() {
        return;
    }
    h.push_str(
        "<h2 id=\"staging\">Staging points</h2>\n<table>\n<thead><tr><th>Staging point</th>\
         <th class=\"text\">Convoys to</th><th>Escort units</th><th>Tankers per unit</th>\
         <th>Tankers staged</th><th>Escorted convoys</th><th>Attacks</th>\
         <th>Mean wait, days</th><th>Waiting at the end</th></tr></thead>\n<tbody>\n",
    );
    for p in &r.staging {
        let to = r
            .sinks
            .iter()
            .find(|s| s.node == p.to)
            .map_or(p.to.as_str(), |s| s.name.as_str());
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td class=\"text\">{}</td><td>{}</td><td>{}</td><td>{}</td>\
             <td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&p.name),
            esc(to),
            p.units,
            p.max_tankers,
            grouped(p.mean("tankers_staged"), 1),
            grouped(p.mean("escorted_convoys"), 1),
            grouped(p.mean("convoys_attacked"), 2),
            grouped(p.mean("wait_days"), 1),
            grouped(p.mean("waiting_end"), 1),
        );
    }
    h.push_str("</tbody>\n</table>\n");
    h.push_str(
        "<p class=\"note\">Means per trial. Tankers gather at a staging point and wait for one of \
         its escort units; the wait is from joining the queue until the convoy leaves, or the end \
         of the run for those still waiting.</p>\n",
    );
}

/// The caption of a chart of a sink after the headline one, a sink's classes or a staging
/// point; `None` for the other charts.
pub(super) fn caption(kind: ChartKind, r: &RunResults) -> Option<String> {
    Some(match kind {
        ChartKind::SinkStock(j) => format!(
            "Fuel in stock at {} at the end of each day, in days of its normal demand (1 day = \
             {} M litres); median, bands and the empty strip as for the headline sink.",
            r.sinks[j].name,
            ml(r.sinks[j].daily_demand_litres)
        ),
        ChartKind::SinkPrice(j) => format!(
            "The street price at {} each day, in {} per litre (median and bands as above).",
            r.sinks[j].name, r.currency
        ),
        ChartKind::Served(j) => format!(
            "The share of each demand class\u{2019}s normal demand that {} released each day, \
             averaged over the trials. A class served first keeps its fuel while one with a \
             lower priority, or rationed as the stock runs low, falls; the dashed line is all \
             classes together.",
            r.sinks[j].name
        ),
        ChartKind::Staging(p) => format!(
            "Top: tankers waiting for an escort at {} at the end of each day (median, the mean \
             as a thin black line, bands as above). Bottom: the escorted convoys leaving each \
             day, averaged over the trials; each takes one of its {} units and at most {} \
             tankers.",
            r.staging[p].name, r.staging[p].units, r.staging[p].max_tankers
        ),
        _ => return None,
    })
}
