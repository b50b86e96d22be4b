//! The tables and CSV files of the decision-analysis commands (`corridor compare`,
//! `criticality`, `sweep`): each result struct of `analysis` printed for a person and
//! written as CSV (every number in full) and JSON (the struct itself, for charts).

use std::fmt::Write as _;

use serde::Serialize;

use super::files::csv_field;
use super::table::grouped;
use crate::analysis::compare::CompareResults;
use crate::analysis::criticality::{CriticalityResults, TargetKind};
use crate::analysis::sweep::{GridResults, SweepResults};
use crate::analysis::{Difference, Mean};
use crate::sim::outcome::METRICS;

/// How a metric reads in a table: its label, the factor to its unit, and decimals.
pub fn metric_label(metric: &str, currency: &str) -> (String, f64, usize) {
    let (label, scale, decimals) = match metric {
        "delivered_litres" => ("Fuel delivered, M L", 1e-6, 2),
        "lost_litres" => ("Fuel destroyed, M L", 1e-6, 2),
        "tankers_lost" => ("Tankers destroyed", 1.0, 1),
        "convoys_attacked" => ("Convoys attacked", 1.0, 2),
        "shortage_days" => ("Shortage days", 1.0, 2),
        "unserved_litres" => ("Demand not served, M L", 1e-6, 2),
        "peak_price" => ("Peak street price, {cur}/L", 1.0, 0),
        "mean_price" => ("Mean street price, {cur}/L", 1.0, 0),
        "final_stock_litres" => ("Stock at the end, M L", 1e-6, 2),
        "in_transit_litres" => ("Still on the road at the end, M L", 1e-6, 2),
        "tankers_seized" => ("Tankers seized", 1.0, 1),
        "stockout_days" => ("Stock-out days (short, stock empty)", 1.0, 2),
        other => (other, 1.0, 2),
    };
    (label.replace("{cur}", currency), scale, decimals)
}

/// A number with a sign: "+1.20", "-0.35", "0.00".
fn signed(x: f64, decimals: usize) -> String {
    let text = grouped(x, decimals);
    if x > 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') {
        format!("+{text}")
    } else {
        text
    }
}

/// "+1.20 ± 0.05" in the metric's unit.
fn change(d: &Difference, scale: f64, decimals: usize) -> String {
    format!(
        "{} ± {}",
        signed(d.mean * scale, decimals),
        grouped(d.ci95 * scale, decimals)
    )
}

/// An input value as a person writes it: whole numbers grouped, others in full.
fn value(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        grouped(v, 0)
    } else {
        format!("{v}")
    }
}

fn difference_csv(d: &Difference) -> String {
    format!("{},{},{},{}", d.mean, d.ci95, d.low, d.high)
}

fn mean_csv(m: &Mean) -> String {
    format!("{},{}", m.mean, m.ci95)
}

/// Pretty JSON with a final newline.
pub fn json<T: Serialize>(value: &T) -> String {
    let mut text = serde_json::to_string_pretty(value).expect("results serialize");
    text.push('\n');
    text
}

/// The comparison table: per metric, each scenario's mean and 5-95 % range and its paired
/// difference from the first; then how often each delivers more than the first.
pub fn compare_table(r: &CompareResults, currency: &str) -> String {
    let mut t = String::new();
    let first = &r.scenarios[0];
    let _ = writeln!(
        t,
        "compare: {} scenarios, {} trials each, seed {}; differences are against {first}, \
         paired by trial, with their 95 % confidence intervals\n",
        r.scenarios.len(),
        grouped(r.trials as f64, 0),
        r.seed
    );
    let width = r
        .scenarios
        .iter()
        .map(|s| s.len())
        .max()
        .unwrap_or(0)
        .max(34)
        + 2;
    let _ = writeln!(
        t,
        "{:<width$} {:>12} {:>12} {:>12}   difference",
        "", "mean", "5 %", "95 %"
    );
    for metric in METRICS {
        let (label, scale, decimals) = metric_label(metric, currency);
        let _ = writeln!(t, "{label}");
        for v in 0..r.scenarios.len() {
            let row = r.row(v, metric);
            let f = |x: f64| grouped(x * scale, decimals);
            let diff = row
                .vs_first
                .map(|d| change(&d.difference, scale, decimals))
                .unwrap_or_default();
            let line = format!(
                "  {:<w$} {:>12} {:>12} {:>12}   {diff}",
                row.scenario,
                f(row.stat.mean),
                f(row.stat.p5),
                f(row.stat.p95),
                w = width - 2
            );
            let _ = writeln!(t, "{}", line.trim_end());
        }
    }
    let _ = writeln!(
        t,
        "\nShare of trials in which a scenario delivers more fuel than {first} (a tie is not more):"
    );
    for v in 1..r.scenarios.len() {
        let d = r
            .row(v, "delivered_litres")
            .vs_first
            .expect("a later scenario");
        let pct = |x: f64| format!("{:.1} %", x * 100.0);
        let _ = writeln!(
            t,
            "  {:<w$} {:>8} more, {} equal, {} less",
            r.scenarios[v],
            pct(d.share_greater),
            pct(d.share_equal),
            pct(d.share_less),
            w = width - 2
        );
    }
    t
}

/// `compare.csv`: one row per scenario and metric.
pub fn compare_csv(r: &CompareResults) -> String {
    let mut out = String::from(
        "scenario,file,metric,mean,sd,p5,p50,p95,diff_mean,diff_ci95,diff_low,diff_high,\
         share_greater,share_equal,share_less\n",
    );
    for (v, file) in r.files.iter().enumerate() {
        for metric in METRICS {
            let row = r.row(v, metric);
            let s = row.stat;
            let versus = row.vs_first.map_or(",,,,,,".to_string(), |d| {
                format!(
                    "{},{},{},{}",
                    difference_csv(&d.difference),
                    d.share_greater,
                    d.share_equal,
                    d.share_less
                )
            });
            let _ = writeln!(
                out,
                "{},{},{metric},{},{},{},{},{},{versus}",
                csv_field(&row.scenario),
                csv_field(file),
                s.mean,
                s.sd,
                s.p5,
                s.p50,
                s.p95
            );
        }
    }
    out
}

/// The criticality table: edges, then corridors, in rank order.
pub fn criticality_table(r: &CriticalityResults, currency: &str) -> String {
    let (label, scale, decimals) = metric_label(&r.metric, currency);
    let mut t = String::new();
    let _ = writeln!(
        t,
        "criticality: {}, {} trials, seed {}\n{label}: scenario mean {} ± {}\n",
        r.scenario,
        grouped(r.trials as f64, 0),
        r.seed,
        grouped(r.baseline.mean * scale, decimals),
        grouped(r.baseline.ci95 * scale, decimals),
    );
    let _ = writeln!(
        t,
        "Each change is variant minus scenario, paired by trial, ± its 95 % confidence interval.\n\
         closed: the road closed both ways for the whole horizon; secured: its threats removed.\n\
         Ranked by the size of the change when {}; used: share of trials in which a convoy\n\
         entered it.",
        r.rank_by
    );
    let width = r
        .entries
        .iter()
        .map(|e| e.id.len())
        .max()
        .unwrap_or(0)
        .max(8);
    for (kind, title) in [
        (TargetKind::Edge, "edge"),
        (TargetKind::Corridor, "corridor"),
    ] {
        let _ = writeln!(
            t,
            "\n{:>4}  {:<width$} {:>7} {:>8} {:>24} {:>24}",
            "rank", title, "km", "used", "closed", "secured"
        );
        for e in r.entries.iter().filter(|e| e.kind == kind) {
            let secured = if e.threatened {
                change(&e.secured, scale, decimals)
            } else {
                "no threat".to_string()
            };
            let _ = writeln!(
                t,
                "{:>4}  {:<width$} {:>7} {:>6.0} % {:>24} {:>24}",
                e.rank,
                e.id,
                grouped(e.km, 0),
                e.used_share * 100.0,
                change(&e.closed, scale, decimals),
                secured
            );
        }
    }
    t
}

/// `criticality.csv`: one row per edge and corridor, in table order.
pub fn criticality_csv(r: &CriticalityResults) -> String {
    let mut out = String::from(
        "metric,kind,rank,id,edges,km,used_share,threatened,closed_mean,closed_ci95,closed_low,\
         closed_high,secured_mean,secured_ci95,secured_low,secured_high\n",
    );
    for e in &r.entries {
        let kind = match e.kind {
            TargetKind::Edge => "edge",
            TargetKind::Corridor => "corridor",
        };
        let _ = writeln!(
            out,
            "{},{kind},{},{},{},{},{},{},{},{}",
            r.metric,
            e.rank,
            csv_field(&e.id),
            csv_field(&e.edges.join(";")),
            e.km,
            e.used_share,
            e.threatened,
            difference_csv(&e.closed),
            difference_csv(&e.secured)
        );
    }
    out
}

/// The one-at-a-time sweep: the metric at every value, then the tornado (inputs by swing).
pub fn sweep_table(r: &SweepResults, currency: &str) -> String {
    let (label, scale, decimals) = metric_label(&r.metric, currency);
    let f = |x: f64| grouped(x * scale, decimals);
    let mut t = String::new();
    let _ = writeln!(
        t,
        "sweep: {}, {} trials per value, seed {}\n{label}: scenario mean {} ± {}\n",
        r.scenario,
        grouped(r.trials as f64, 0),
        r.seed,
        f(r.base.mean),
        f(r.base.ci95)
    );
    let _ = writeln!(
        t,
        "Each input takes each value with the others at the scenario's. Each change is variant\n\
         minus scenario, paired by trial, ± its 95 % confidence interval; * marks the\n\
         scenario's own value.\n"
    );
    let width = r
        .inputs
        .iter()
        .map(|i| i.path.len())
        .max()
        .unwrap_or(0)
        .max(5);
    let _ = writeln!(
        t,
        "{:<width$} {:>14} {:>12} {:>22}",
        "input", "value", "mean", "change"
    );
    for input in &r.inputs {
        for (k, p) in input.points.iter().enumerate() {
            let mark = if input.base_value == Some(p.value) {
                " *"
            } else {
                "  "
            };
            let _ = writeln!(
                t,
                "{:<width$} {:>12}{mark} {:>12} {:>22}",
                if k == 0 { input.path.as_str() } else { "" },
                value(p.value),
                f(p.metric.mean),
                change(&p.change, scale, decimals)
            );
        }
    }
    let _ = writeln!(
        t,
        "\nTornado: the swing from each input's lowest to its highest value (paired, 95 % CI)\n"
    );
    let _ = writeln!(
        t,
        "{:<width$} {:>12} {:>12} {:>12} {:>12} {:>22}",
        "input", "low", "high", "at low", "at high", "swing"
    );
    let mut order: Vec<_> = r.inputs.iter().collect();
    order.sort_by_key(|i| i.rank);
    for input in order {
        let at = |v: f64| {
            let p = input.points.iter().find(|p| p.value == v).expect("a point");
            f(p.metric.mean)
        };
        let _ = writeln!(
            t,
            "{:<width$} {:>12} {:>12} {:>12} {:>12} {:>22}",
            input.path,
            value(input.low_value),
            value(input.high_value),
            at(input.low_value),
            at(input.high_value),
            change(&input.swing, scale, decimals)
        );
    }
    t
}

/// `sweep.csv`: one row per input and value.
pub fn sweep_csv(r: &SweepResults) -> String {
    let mut out = String::from(
        "metric,input,value,is_base,mean,ci95,change_mean,change_ci95,change_low,change_high\n",
    );
    for input in &r.inputs {
        for p in &input.points {
            let _ = writeln!(
                out,
                "{},{},{},{},{},{}",
                r.metric,
                csv_field(&input.path),
                p.value,
                input.base_value == Some(p.value),
                mean_csv(&p.metric),
                difference_csv(&p.change)
            );
        }
    }
    out
}

/// `tornado.csv`: one row per input, by rank.
pub fn tornado_csv(r: &SweepResults) -> String {
    let mut out = String::from(
        "metric,rank,input,low_value,high_value,swing_mean,swing_ci95,swing_low,swing_high\n",
    );
    let mut order: Vec<_> = r.inputs.iter().collect();
    order.sort_by_key(|i| i.rank);
    for input in order {
        let _ = writeln!(
            out,
            "{},{},{},{},{},{}",
            r.metric,
            input.rank,
            csv_field(&input.path),
            input.low_value,
            input.high_value,
            difference_csv(&input.swing)
        );
    }
    out
}

/// The grid as a matrix: the first input down, the second across, the metric's mean in
/// each cell.
pub fn grid_table(r: &GridResults, currency: &str) -> String {
    let (label, scale, decimals) = metric_label(&r.metric, currency);
    let f = |x: f64| grouped(x * scale, decimals);
    let mut t = String::new();
    let _ = writeln!(
        t,
        "sweep grid: {}, {} trials per cell, seed {}\n{label}: scenario mean {} ± {}\n",
        r.scenario,
        grouped(r.trials as f64, 0),
        r.seed,
        f(r.base.mean),
        f(r.base.ci95)
    );
    let _ = writeln!(
        t,
        "The mean with {} down and {} across (95 % CIs and paired changes in grid.csv).\n",
        r.x.path, r.y.path
    );
    let width = r.x.path.len().max(12);
    let _ = writeln!(t, "{:<width$} {}", "", r.y.path);
    let _ = write!(t, "{:<width$}", r.x.path);
    for &vy in &r.y.values {
        let _ = write!(t, " {:>12}", value(vy));
    }
    let _ = writeln!(t);
    for (i, &vx) in r.x.values.iter().enumerate() {
        let _ = write!(t, "{:<width$}", value(vx));
        for j in 0..r.y.values.len() {
            let cell = &r.cells[i * r.y.values.len() + j];
            let _ = write!(t, " {:>12}", f(cell.metric.mean));
        }
        let _ = writeln!(t);
    }
    t
}

/// `grid.csv`: one row per cell, the two inputs' paths as the first two headers.
pub fn grid_csv(r: &GridResults) -> String {
    let mut out = format!(
        "{},{},metric,mean,ci95,change_mean,change_ci95,change_low,change_high\n",
        csv_field(&r.x.path),
        csv_field(&r.y.path)
    );
    for c in &r.cells {
        let _ = writeln!(
            out,
            "{},{},{},{},{}",
            c.x,
            c.y,
            r.metric,
            mean_csv(&c.metric),
            difference_csv(&c.change)
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_and_values_read_as_a_person_writes_them() {
        assert_eq!(signed(1.234, 2), "+1.23");
        assert_eq!(signed(-0.001, 2), "0.00");
        assert_eq!(signed(0.0, 1), "0.0");
        assert_eq!(signed(-1500.0, 0), "-1,500");
        assert_eq!(value(13_000_000.0), "13,000,000");
        assert_eq!(value(-0.35), "-0.35");
    }
}
