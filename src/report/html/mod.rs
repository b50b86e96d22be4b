//! `report.html`: one self-contained page (no script, no network, charts inlined as SVG)
//! with the key figures, the summary and per-stream tables, the charts, the scenario's key
//! parameters and the run's metadata. Built from the same saved data as the charts, so
//! `corridor chart` rewrites it byte for byte.

use std::fmt::Write as _;

mod places;
mod scenario;

use super::RunResults;
use super::chart::{Chart, ChartKind};
use super::meta::RunMeta;
use super::table::grouped;
use crate::scenario::Scenario;
use crate::sim::outcome::STREAM_FIELDS;

/// The page, with `svgs[i]` the SVG of `charts[i]`.
pub fn report_html(
    r: &RunResults,
    scenario: &Scenario,
    meta: Option<&RunMeta>,
    charts: &[Chart],
    svgs: &[String],
) -> String {
    let mut h = String::with_capacity(svgs.iter().map(String::len).sum::<usize>() + 40_000);
    let title = format!("{}: fuel supply by convoy, Monte Carlo report", r.scenario);
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n<main>\n",
        esc(&title)
    );
    header(&mut h, r);
    key_figures(&mut h, r);
    summary_table(&mut h, r);
    places::sinks_tables(&mut h, r);
    figures(&mut h, charts, svgs, r);
    streams_table(&mut h, r);
    places::staging_table(&mut h, r);
    scenario::parameters(&mut h, r, scenario);
    run_table(&mut h, r, meta);
    let _ = write!(
        h,
        "<footer>Made with corridor {}. Percentiles are across trials: \u{201c}5 % to 95 %\u{201d} \
         is the range in which 90 % of simulated outcomes fall, not a forecast interval. Means \
         are exact; percentiles are within 1 %.</footer>\n</main>\n</body>\n</html>\n",
        esc(meta.map_or(env!("CARGO_PKG_VERSION"), |m| &m.corridor_version))
    );
    h
}
/// The page's style sheet, inlined into its `<style>`.
const CSS: &str = include_str!("report.css");

/// Escapes text for HTML.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

pub(super) fn ml(litres: f64) -> String {
    grouped(litres / 1e6, 1)
}

/// "3 Sep 2025 to 1 Dec 2025", or "days 0 to 89".
pub(super) fn period(r: &RunResults) -> String {
    let last = r.horizon_days.saturating_sub(1) as usize;
    match (r.date(0), r.date(last)) {
        (Some(a), Some(b)) => format!("{} to {}", long_date(&a), long_date(&b)),
        _ => format!("days 0 to {last}"),
    }
}

fn long_date(iso: &str) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    match crate::calendar::Date::parse(iso).map(|d| d.ymd()) {
        Some((y, m, d)) => format!("{d} {} {y}", MONTHS[m as usize - 1]),
        None => iso.to_string(),
    }
}

fn header(h: &mut String, r: &RunResults) {
    let _ = write!(
        h,
        "<header>\n<p class=\"kicker\">corridor · fuel supply by road convoy · Monte Carlo report</p>\n\
         <h1>{}</h1>\n",
        esc(&r.scenario)
    );
    if !r.description.is_empty() {
        let _ = writeln!(h, "<p class=\"lede\">{}</p>", esc(&r.description));
    }
    let _ = writeln!(
        h,
        "<p class=\"muted\">{} trials · {} days, {} · sink: {} · seed {}</p>",
        grouped(r.trials as f64, 0),
        r.horizon_days,
        esc(&period(r)),
        esc(&r.sink),
        r.seed
    );
    if r.interrupted {
        let _ = writeln!(
            h,
            "<p class=\"warning\">This run was interrupted: these are the results of the \
             {} trials that finished, not of all that were asked for.</p>",
            grouped(r.trials as f64, 0)
        );
    }
    h.push_str("<nav><a href=\"#summary\">Summary</a>");
    if places::has_sinks(r) {
        h.push_str("<a href=\"#sinks\">Sinks</a>");
    }
    h.push_str("<a href=\"#charts\">Charts</a><a href=\"#streams\">Convoy streams</a>");
    if !r.staging.is_empty() {
        h.push_str("<a href=\"#staging\">Staging points</a>");
    }
    h.push_str("<a href=\"#scenario\">Scenario</a><a href=\"#run\">Run</a></nav>\n</header>\n");
}

fn key_figures(h: &mut String, r: &RunResults) {
    let d = r.metric("delivered_litres");
    let normal = r.daily_demand_litres * f64::from(r.horizon_days);
    let share = if normal > 0.0 {
        format!("{} % of normal demand", grouped(100.0 * d.mean / normal, 0))
    } else {
        String::new()
    };
    let short = r.metric("shortage_days");
    let lost = r.metric("tankers_lost");
    let price = r.metric("mean_price");
    let cur = esc(&r.currency);
    let cards = [
        (
            format!("Fuel delivered to {}", esc(&r.sink)),
            format!("{} M L", ml(d.mean)),
            format!("{share}<br>90 % of trials: {} to {}", ml(d.p5), ml(d.p95)),
        ),
        (
            format!("Days {} ran short", esc(&r.sink)),
            grouped(short.mean, 1),
            format!(
                "of {} days<br>90 % of trials: {} to {}",
                r.horizon_days,
                grouped(short.p5, 0),
                grouped(short.p95, 0)
            ),
        ),
        (
            "Tankers destroyed".to_string(),
            grouped(lost.mean, 1),
            format!(
                "90 % of trials: {} to {}",
                grouped(lost.p5, 0),
                grouped(lost.p95, 0)
            ),
        ),
        (
            "Mean street price".to_string(),
            format!("{} {cur}/L", grouped(price.mean, 0)),
            format!(
                "{} times the official price<br>mean peak {} {cur}/L",
                grouped(price.mean / r.base_price.max(f64::MIN_POSITIVE), 1),
                grouped(r.metric("peak_price").mean, 0)
            ),
        ),
    ];
    h.push_str("<section class=\"cards\">\n");
    for (label, value, range) in cards {
        let _ = writeln!(
            h,
            "<div class=\"card\"><div class=\"label\">{label}</div><div class=\"value\">{value}</div>\
             <div class=\"range\">{range}</div></div>"
        );
    }
    h.push_str("</section>\n");
}

/// The label, unit scale and decimals of a trial metric in the summary table.
fn metric_row(name: &str, r: &RunResults) -> (String, f64, usize) {
    let m = 1e-6;
    let (label, scale, decimals) = match name {
        "delivered_litres" => ("Fuel delivered to {sink}, M L", m, 1),
        "lost_litres" => ("Fuel destroyed, M L", m, 1),
        "tankers_lost" => ("Tankers destroyed", 1.0, 1),
        "convoys_attacked" => ("Convoys attacked", 1.0, 1),
        "shortage_days" => ("Days {sink} ran short", 1.0, 1),
        "stockout_days" => ("Days {sink} ran short with its stock empty", 1.0, 1),
        "tankers_seized" => ("Tankers seized", 1.0, 1),
        "unserved_litres" => ("Demand not served, M L", m, 1),
        "peak_price" => ("Peak street price, {cur}/L", 1.0, 0),
        "mean_price" => ("Mean street price, {cur}/L", 1.0, 0),
        "final_stock_litres" => ("Stock at the end, M L", m, 1),
        "in_transit_litres" => ("Still on the road at the end, M L", m, 1),
        other => (other, 1.0, 2),
    };
    let label = label
        .replace("{sink}", &r.sink)
        .replace("{cur}", &r.currency);
    (label, scale, decimals)
}

fn summary_table(h: &mut String, r: &RunResults) {
    h.push_str(
        "<h2 id=\"summary\">Summary</h2>\n<table>\n<thead><tr><th>Per trial</th><th>mean</th>\
         <th>5 %</th><th>median</th><th>95 %</th><th>sd</th></tr></thead>\n<tbody>\n",
    );
    for m in &r.metrics {
        let (label, scale, decimals) = metric_row(&m.name, r);
        let s = m.stat;
        let f = |x: f64| grouped(x * scale, decimals);
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&label),
            f(s.mean),
            f(s.p5),
            f(s.p50),
            f(s.p95),
            f(s.sd)
        );
    }
    h.push_str("</tbody>\n</table>\n");
    let _ = writeln!(
        h,
        "<p class=\"note\">Over {} trials of {} days. A day short is a day on which the stock \
         could not meet demand.</p>",
        grouped(r.trials as f64, 0),
        r.horizon_days
    );
}

/// How to read each chart, for someone who has never seen one.
fn caption(chart: &Chart, r: &RunResults) -> String {
    if let Some(text) = places::caption(chart.kind, r) {
        return text;
    }
    match chart.kind {
        ChartKind::Stock => format!(
            "Fuel in stock at {} at the end of each day, in days of normal demand \
             (1 day = {} M litres). The line is the median over the trials; the dark band holds \
             the middle half of the trials and the light band 90 % of them. The strip under the \
             zero line marks the days on which the stock was empty: dark in at least half of the \
             trials, light in 5 to 50 % of them.",
            r.sink,
            ml(r.daily_demand_litres)
        ),
        ChartKind::Price => format!(
            "The informal street price each day, in {} per litre (median and bands as above). \
             The dashed line is the official pump price, which stays fixed; the street price rises \
             as the share of demand served falls, up to {} times the official price.",
            r.currency,
            grouped(r.cap_multiple, 1)
        ),
        ChartKind::Deliveries => "Fuel unloaded each day, in million litres. Convoys arrive in \
             lumps, so the median can be zero on a day whose mean is not; the thin black line is \
             the mean and the dashed line normal demand."
            .to_string(),
        ChartKind::Delivered => format!(
            "How total deliveries over the {} days vary from trial to trial: each bar is the share \
             of trials that delivered that much. 90 % of trials fall between the dashed lines.",
            r.horizon_days
        ),
        ChartKind::Streams => "For each stream of convoys: the fuel it would carry if no tanker \
             were lost or short (grey), what it delivered (blue, with the share of what was sent) \
             and the tankers destroyed on its trips (right)."
            .to_string(),
        ChartKind::Map => "Roads are drawn straight between places and coloured, darker and \
             thicker, by the mean number of tankers destroyed on them per trial; grey roads saw \
             none. The three worst roads have their ends named."
            .to_string(),
        ChartKind::Fleet(i) => format!(
            "Tankers of the stream {}\u{2019}s own fleet still in service at the end of each day \
             (median, the mean as a thin black line, bands as above). A destroyed tanker is not \
             replaced.",
            r.fleets[i].stream
        ),
        _ => String::new(),
    }
}

fn figures(h: &mut String, charts: &[Chart], svgs: &[String], r: &RunResults) {
    h.push_str("<h2 id=\"charts\">Charts</h2>\n");
    for (chart, svg) in charts.iter().zip(svgs) {
        let label = esc(&format!("{}: {}", r.scenario, chart.title));
        let svg = svg.replacen(
            "<svg ",
            &format!("<svg role=\"img\" aria-label=\"{label}\" "),
            1,
        );
        let _ = write!(
            h,
            "<figure id=\"chart-{}\">\n{svg}<figcaption>{} File: <code>charts/{}.svg</code>.</figcaption>\n</figure>\n",
            esc(&chart.name),
            esc(&caption(chart, r)),
            esc(&chart.name)
        );
    }
}

fn streams_table(h: &mut String, r: &RunResults) {
    h.push_str(
        "<h2 id=\"streams\">Convoy streams</h2>\n<table>\n<thead><tr><th>Stream</th>\
         <th class=\"text\">From</th><th class=\"text\">Escort</th><th>Sent, M&nbsp;L</th>\
         <th>Delivered, M&nbsp;L</th><th>Delivered, %</th><th>Tankers destroyed</th><th>Attacks</th>\
         </tr></thead>\n<tbody>\n",
    );
    for s in &r.streams {
        let share = if s.dispatched_litres > 0.0 {
            grouped(100.0 * s.means[0] / s.dispatched_litres, 0)
        } else {
            "–".to_string()
        };
        let from = r
            .nodes
            .iter()
            .find(|n| n.id == s.from)
            .map_or(s.from.clone(), |n| super::place_name(&n.name));
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td class=\"text\">{}</td><td class=\"text\">{}</td><td>{}</td>\
             <td>{}</td><td>{share}</td><td>{}</td><td>{}</td></tr>",
            esc(&s.name),
            esc(&from),
            esc(&s.escort),
            ml(s.dispatched_litres),
            ml(s.means[0]),
            grouped(s.means[1], 1),
            grouped(s.means[2], 1)
        );
    }
    h.push_str("</tbody>\n</table>\n");
    h.push_str(
        "<p class=\"note\">Means per trial. Sent is what the stream would carry if no tanker were \
         ever lost or short; the rest was destroyed, short or still on the road at the end.</p>\n",
    );
    if r.streams.iter().all(|s| s.fleet.is_none()) {
        return;
    }
    h.push_str(
        "<h3>Fleets</h3>\n<table>\n<thead><tr><th>Stream</th><th>Fleet</th>\
         <th>Tankers short</th><th>Departures skipped</th><th>Fleet at the end</th>\
         </tr></thead>\n<tbody>\n",
    );
    for s in r.streams.iter().filter(|s| s.fleet.is_some()) {
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td>",
            esc(&s.name),
            grouped(f64::from(s.fleet.unwrap_or(0)), 0)
        );
        for mean in &s.means[3..STREAM_FIELDS.len()] {
            let _ = write!(h, "<td>{}</td>", grouped(*mean, 1));
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody>\n</table>\n");
    h.push_str(
        "<p class=\"note\">Means per trial, for the streams with their own fleet of tankers: \
         tankers a departure lacked, departures with none at all, and tankers left at the end.</p>\n",
    );
}

fn run_table(h: &mut String, r: &RunResults, meta: Option<&RunMeta>) {
    let unknown = || "<span class=\"muted\">not recorded</span>".to_string();
    let mut rows = vec![
        ("Scenario", format!("<code>{}</code>", esc(&r.scenario))),
        (
            "Scenario hash",
            meta.map_or_else(unknown, |m| {
                format!(
                    "<code>{}</code> (SHA-256 of <code>scenario.toml</code>)",
                    esc(&m.scenario_sha256)
                )
            }),
        ),
        ("Seed", r.seed.to_string()),
        ("Trials", grouped(r.trials as f64, 0)),
        (
            "corridor version",
            meta.map_or_else(unknown, |m| esc(&m.corridor_version)),
        ),
        (
            "Run started",
            meta.map_or_else(unknown, |m| esc(&m.started_utc)),
        ),
        (
            "Wall time of the trials",
            meta.map_or_else(unknown, |m| {
                format!(
                    "{} s ({} trials per second)",
                    grouped(m.wall_seconds, 2),
                    grouped(r.trials as f64 / m.wall_seconds.max(1e-9), 0)
                )
            }),
        ),
        (
            "Threads",
            meta.map_or_else(unknown, |m| m.threads.to_string()),
        ),
    ];
    rows.push((
        "Repeat it",
        format!(
            "<code>corridor run scenario.toml --trials {} --seed {}</code> in this folder gives the same results on any number of threads",
            r.trials, r.seed
        ),
    ));
    h.push_str("<h2 id=\"run\">Run</h2>\n<table class=\"pairs\">\n<tbody>\n");
    for (k, v) in rows {
        let _ = writeln!(h, "<tr><th>{k}</th><td>{v}</td></tr>");
    }
    h.push_str("</tbody>\n</table>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(esc("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
        assert_eq!(long_date("2025-09-03"), "3 Sep 2025");
    }
}
