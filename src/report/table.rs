//! The summary table printed at the end of a run: what a person reads first.

use std::fmt::Write as _;

use super::RunResults;

/// Thousands separators: 1234567.8 -> "1,234,568" (with `decimals` digits after the point).
pub fn grouped(x: f64, decimals: usize) -> String {
    let text = format!("{:.*}", decimals, x.abs());
    let (int, frac) = text
        .split_once('.')
        .map_or((text.as_str(), None), |(i, f)| (i, Some(f)));
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    if x < 0.0 && text.chars().any(|c| c != '0' && c != '.') {
        format!("-{out}")
    } else {
        out
    }
}

/// The run's summary table.
pub fn summary_table(r: &RunResults) -> String {
    let mut t = String::new();
    let period = match (r.date(0), r.date(r.horizon_days as usize - 1)) {
        (Some(a), Some(b)) => format!(", {a} to {b}"),
        _ => String::new(),
    };
    let _ = writeln!(
        t,
        "{}: {} trials, seed {}, {} days{period}{}",
        r.scenario,
        grouped(r.trials as f64, 0),
        r.seed,
        r.horizon_days,
        if r.interrupted {
            " (INTERRUPTED: partial result)"
        } else {
            ""
        }
    );
    let _ = writeln!(t);
    let cur = &r.currency;
    let ml = 1e-6;
    let rows: [(&str, &str, f64, usize); 12] = [
        ("delivered_litres", "Fuel delivered to {sink}, M L", ml, 1),
        ("shortage_days", "Shortage days", 1.0, 1),
        ("stockout_days", "Stock-out days", 1.0, 1),
        ("unserved_litres", "Demand not served, M L", ml, 1),
        ("tankers_lost", "Tankers destroyed", 1.0, 1),
        ("tankers_seized", "of which seized", 1.0, 1),
        ("lost_litres", "Fuel destroyed, M L", ml, 1),
        ("convoys_attacked", "Convoys attacked", 1.0, 1),
        ("peak_price", "Peak street price, {cur}/L", 1.0, 0),
        ("mean_price", "Mean street price, {cur}/L", 1.0, 0),
        ("final_stock_litres", "Stock at the end, M L", ml, 1),
        (
            "in_transit_litres",
            "Still on the road at the end, M L",
            ml,
            1,
        ),
    ];
    let _ = writeln!(
        t,
        "{:<40} {:>12} {:>12} {:>12} {:>12}",
        "", "mean", "5 %", "median", "95 %"
    );
    for (name, label, scale, decimals) in rows {
        let s = r.metric(name);
        let label = label.replace("{sink}", &r.sink).replace("{cur}", cur);
        let f = |x: f64| grouped(x * scale, decimals);
        let _ = writeln!(
            t,
            "{label:<40} {:>12} {:>12} {:>12} {:>12}",
            f(s.mean),
            f(s.p5),
            f(s.p50),
            f(s.p95)
        );
    }
    let _ = writeln!(t);
    let _ = writeln!(
        t,
        "{:<24} {:>14} {:>16} {:>14} {:>12}",
        "Per convoy stream (mean)", "sent, M L", "delivered, M L", "tankers lost", "attacks"
    );
    for s in &r.streams {
        let _ = writeln!(
            t,
            "{:<24} {:>14} {:>16} {:>14} {:>12}",
            s.name,
            grouped(s.dispatched_litres * ml, 1),
            grouped(s.means[0] * ml, 1),
            grouped(s.means[1], 1),
            grouped(s.means[2], 1)
        );
    }
    places(&mut t, r);
    t
}

/// The sinks after the headline one, each sink's demand classes, and the staging points,
/// when the scenario has them (MODEL.md sections 6 and 13).
fn places(t: &mut String, r: &RunResults) {
    let ml = 1e-6;
    let classes = r.sinks.iter().any(|s| s.classes.len() > 1);
    if r.sinks.len() > 1 || classes {
        let _ = writeln!(t);
        let _ = writeln!(
            t,
            "{:<24} {:>14} {:>16} {:>14} {:>12}",
            "Per sink and class (mean)",
            "demand, M L/d",
            "released, M L",
            "unserved, M L",
            "days short"
        );
        for s in &r.sinks {
            let _ = writeln!(
                t,
                "{:<24} {:>14} {:>16} {:>14} {:>12}",
                s.node,
                grouped(s.daily_demand_litres * ml, 2),
                grouped(
                    s.classes
                        .iter()
                        .map(|c| c.mean("released_litres"))
                        .sum::<f64>()
                        * ml,
                    1
                ),
                grouped(s.mean("unserved_litres") * ml, 1),
                grouped(s.mean("shortage_days"), 1)
            );
            if s.classes.len() > 1 {
                for c in &s.classes {
                    let _ = writeln!(
                        t,
                        "{:<24} {:>14} {:>16} {:>14} {:>12}",
                        format!("  {}", c.name),
                        grouped(c.litres_per_day * ml, 2),
                        grouped(c.mean("released_litres") * ml, 1),
                        grouped(c.mean("unserved_litres") * ml, 1),
                        grouped(c.mean("shortage_days"), 1)
                    );
                }
            }
        }
    }
    if !r.staging.is_empty() {
        let _ = writeln!(t);
        let _ = writeln!(
            t,
            "{:<24} {:>14} {:>16} {:>14} {:>12}",
            "Per staging point (mean)", "units", "tankers staged", "convoys", "wait, days"
        );
        for p in &r.staging {
            let _ = writeln!(
                t,
                "{:<24} {:>14} {:>16} {:>14} {:>12}",
                p.node,
                p.units,
                grouped(p.mean("tankers_staged"), 1),
                grouped(p.mean("escorted_convoys"), 1),
                grouped(p.mean("wait_days"), 1)
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::grouped;

    #[test]
    fn groups_thousands() {
        assert_eq!(grouped(1234567.89, 1), "1,234,567.9");
        assert_eq!(grouped(999.0, 0), "999");
        assert_eq!(grouped(-1000.0, 0), "-1,000");
        assert_eq!(grouped(-0.01, 1), "0.0");
    }
}
