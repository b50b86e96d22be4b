//! The scenario's key parameters in the report: the sink, price and attack models, the
//! escorts, the convoy streams' schedules, and the threats and closures.

use std::fmt::Write as _;

use super::{esc, ml, period};
use crate::report::RunResults;
use crate::report::table::grouped;
use crate::scenario::{Cover, Direction, Scenario};

fn days(first: u32, to: u32, horizon: u32) -> String {
    let last = to.min(horizon).saturating_sub(1);
    if last <= first {
        format!("day {first}")
    } else {
        format!("days {first}–{last}")
    }
}

fn cover(c: &Cover) -> String {
    let mut parts: Vec<String> = c
        .edge_refs
        .iter()
        .map(|e| format!("<code>{}</code>", esc(e)))
        .collect();
    parts.extend(
        c.corridors
            .iter()
            .map(|k| format!("corridor <code>{}</code>", esc(k))),
    );
    parts.join(", ")
}

fn direction(d: Direction) -> &'static str {
    match d {
        Direction::Both => "both ways",
        Direction::Inbound => "loaded, to the sink",
        Direction::Outbound => "empty, returning",
    }
}

pub(super) fn parameters(h: &mut String, r: &RunResults, s: &Scenario) {
    let cur = esc(&s.price.currency);
    let demand = s.headline().daily_demand_litres();
    let cover_days = if demand > 0.0 {
        format!(
            " ({} days of demand)",
            grouped(s.headline().initial_stock_litres / demand, 1)
        )
    } else {
        String::new()
    };
    let mean_loss = s.attack.loss_alpha / (s.attack.loss_alpha + s.attack.loss_beta);
    let escorts: Vec<String> = s
        .escorts
        .iter()
        .skip(1)
        .map(|e| {
            let speed = e
                .speed_km_per_day
                .map_or(String::new(), |v| format!(", {} km/day", grouped(v, 0)));
            format!(
                "<code>{}</code>: attacks ×{}, losses ×{}{speed}",
                esc(&e.name),
                e.attack_mult,
                e.loss_mult
            )
        })
        .collect();
    let rows = [
        (
            "Horizon",
            format!("{} days, {}", s.horizon_days, esc(&period(r))),
        ),
        (
            "Sink",
            format!(
                "{}, stock at the start {} M L{cover_days}, normal demand {} M L a day",
                esc(&r.sink),
                ml(s.headline().initial_stock_litres),
                ml(demand)
            ),
        ),
        (
            "Price",
            format!(
                "official {} {cur}/L; elasticity {}; ceiling ×{} ({} {cur}/L); memory {} days",
                grouped(s.price.base_price, 0),
                s.price.elasticity,
                s.price.cap_multiple,
                grouped(s.price.base_price * s.price.cap_multiple, 0),
                s.price.memory_days
            ),
        ),
        (
            "Convoys",
            format!(
                "{} km/day, {} L per tanker, routing <code>{}</code> unless a stream says otherwise",
                grouped(s.defaults.speed_km_per_day, 0),
                grouped(s.defaults.tanker_litres, 0),
                s.defaults.routing.as_str()
            ),
        ),
        (
            "An attack",
            format!(
                "destroys a share Beta({}, {}) of the convoy\u{2019}s tankers, {} % on average",
                s.attack.loss_alpha,
                s.attack.loss_beta,
                grouped(100.0 * mean_loss, 0)
            ),
        ),
        (
            "Escorts",
            if escorts.is_empty() {
                "none".to_string()
            } else {
                escorts.join("; ")
            },
        ),
        (
            "Network",
            format!(
                "<code>{}</code>: {} places, {} roads",
                esc(&s.network.name),
                s.network.node_count(),
                s.network.edge_count()
            ),
        ),
    ];
    h.push_str("<h2 id=\"scenario\">Scenario</h2>\n<table class=\"pairs\">\n<tbody>\n");
    for (k, v) in rows {
        let _ = writeln!(h, "<tr><th>{k}</th><td>{v}</td></tr>");
    }
    h.push_str("</tbody>\n</table>\n");

    h.push_str(
        "<h3>Convoy streams</h3>\n<table>\n<thead><tr><th>Stream</th><th class=\"text\">From</th>\
         <th class=\"text\">Departures</th><th>Tankers</th><th class=\"text\">Escort</th>\
         <th class=\"text\">Route</th>",
    );
    let fleets = s.streams.iter().any(|st| st.fleet.is_some());
    h.push_str(if fleets {
        "<th>Fleet</th></tr></thead>\n<tbody>\n"
    } else {
        "</tr></thead>\n<tbody>\n"
    });
    let net = &s.network;
    for st in &s.streams {
        let schedule = match st.every_days {
            1 => days(st.first_day, st.last_day, s.horizon_days).replace("days", "daily, days"),
            k if st.first_day + k >= st.last_day.min(s.horizon_days) => {
                days(st.first_day, st.first_day + 1, s.horizon_days)
            }
            k => format!(
                "every {k} days, {}",
                days(st.first_day, st.last_day, s.horizon_days)
            ),
        };
        let route = if st.via.is_empty() {
            st.routing.as_str().to_string()
        } else {
            let via: Vec<String> = st
                .via
                .iter()
                .map(|&n| crate::report::place_name(&net.node(n).name))
                .collect();
            format!("{} via {}", st.routing.as_str(), via.join(", "))
        };
        let _ = write!(
            h,
            "<tr><td>{}</td><td class=\"text\">{}</td><td class=\"text\">{}</td><td>{}</td>\
             <td class=\"text\">{}</td><td class=\"text\">{}</td>",
            esc(&st.name),
            esc(&crate::report::place_name(&net.node(st.from).name)),
            esc(&schedule),
            grouped(f64::from(st.tankers), 0),
            esc(&s.escorts[st.escort].name),
            esc(&route),
        );
        if fleets {
            let fleet = st
                .fleet
                .map_or("–".to_string(), |f| grouped(f64::from(f), 0));
            let _ = write!(h, "<td>{fleet}</td>");
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody>\n</table>\n");

    let threats: Vec<[String; 4]> = s
        .threats
        .iter()
        .map(|t| {
            [
                cover(&t.cover),
                esc(&days(t.cover.from_day, t.cover.to_day, s.horizon_days)),
                grouped(t.attacks_per_100km, 2),
                direction(t.cover.direction).to_string(),
            ]
        })
        .collect();
    list(
        h,
        "Threats",
        &["Roads", "Days", "Attacks per 100 km", "Convoys"],
        &threats,
    );
    let closures: Vec<[String; 4]> = s
        .closures
        .iter()
        .map(|c| {
            [
                cover(&c.cover),
                esc(&days(c.cover.from_day, c.cover.to_day, s.horizon_days)),
                String::new(),
                direction(c.cover.direction).to_string(),
            ]
        })
        .collect();
    list(h, "Closures", &["Roads", "Days", "", "Convoys"], &closures);
    let random: Vec<[String; 4]> = s
        .random_closures
        .iter()
        .map(|c| {
            [
                cover(&c.cover),
                esc(&days(c.cover.from_day, c.cover.to_day, s.horizon_days)),
                format!(
                    "{} a day, {} days on average",
                    grouped(c.per_day, 3),
                    grouped(c.mean_days, 1)
                ),
                direction(c.cover.direction).to_string(),
            ]
        })
        .collect();
    list(
        h,
        "Random closures",
        &["Roads", "Days", "Chance and length", "Convoys"],
        &random,
    );
}

/// A collapsed table of scenario entries, or a line saying there are none.
fn list(h: &mut String, what: &str, heads: &[&str; 4], rows: &[[String; 4]]) {
    if rows.is_empty() {
        let _ = writeln!(h, "<p class=\"note\">{what}: none.</p>");
        return;
    }
    let _ = write!(
        h,
        "<details>\n<summary>{what}: {} entr{}</summary>\n<table class=\"entries\">\n<thead><tr>",
        rows.len(),
        if rows.len() == 1 { "y" } else { "ies" }
    );
    for (k, head) in heads.iter().enumerate() {
        let class = if k == 2 { "" } else { " class=\"text\"" };
        let _ = write!(h, "<th{class}>{head}</th>");
    }
    h.push_str("</tr></thead>\n<tbody>\n");
    for row in rows {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td class=\"text\">{}</td><td>{}</td><td class=\"text\">{}</td></tr>",
            row[0], row[1], row[2], row[3]
        );
    }
    h.push_str("</tbody>\n</table>\n</details>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_ranges_read_naturally() {
        assert_eq!(days(6, 90, 90), "days 6–89");
        assert_eq!(days(0, 120, 90), "days 0–89");
        assert_eq!(days(29, 30, 90), "day 29");
    }
}
