//! The charts of `corridor criticality`: the roads and corridors in rank order, each with
//! the change in the metric when it is closed and when it is secured (bars with their 95 %
//! confidence intervals), and the corridor map with each road coloured by the value of
//! securing it.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::analysis::MetricUnit;
use super::map::{self, Look, MapView, Road, ScaleLegend};
use super::style::{self, Area, INK, MUTED, Mark};
use crate::analysis::Difference;
use crate::analysis::criticality::{CriticalityEntry, CriticalityResults, TargetKind};
use crate::report::table::grouped;

/// The most edges, and corridors, drawn; the rest (the smallest changes) are in the CSV.
const MAX_EDGES: usize = 40;
const MAX_CORRIDORS: usize = 16;
/// The height of a row of bars.
const ROW: u32 = 26;
const CANVAS: i32 = 1000;

const CLOSED: RGBColor = style::VERMILLION;
const SECURED: RGBColor = style::BLUE;

/// A row of the chart: a section's heading, or an entry.
enum Row<'a> {
    Heading(String),
    Entry(&'a CriticalityEntry),
}

/// The rows in rank order: the edges, then the corridors, each under a heading, and a note
/// of what was left out.
fn rows(r: &CriticalityResults) -> Vec<Row<'_>> {
    let mut rows = Vec::new();
    for (kind, max, heading) in [
        (TargetKind::Edge, MAX_EDGES, "Roads"),
        (
            TargetKind::Corridor,
            MAX_CORRIDORS,
            "Corridors (every road with the tag)",
        ),
    ] {
        let entries: Vec<&CriticalityEntry> = r.entries.iter().filter(|e| e.kind == kind).collect();
        if entries.is_empty() {
            continue;
        }
        let shown = entries.len().min(max);
        let more = if shown < entries.len() {
            format!(
                " · the first {shown} of {} in rank order; all in criticality.csv",
                entries.len()
            )
        } else {
            String::new()
        };
        rows.push(Row::Heading(format!("{heading}{more}")));
        rows.extend(entries[..shown].iter().map(|e| Row::Entry(e)));
    }
    rows
}

fn legend() -> Vec<(Mark, String)> {
    vec![
        (
            Mark::Band(CLOSED.mix(0.85)),
            "Closed both ways for the whole horizon".to_string(),
        ),
        (
            Mark::Band(SECURED.mix(0.85)),
            "Secured: its threats removed".to_string(),
        ),
        (Mark::Line(INK, 1), "95 % confidence interval".to_string()),
    ]
}

fn subtitle(r: &CriticalityResults) -> String {
    let m = MetricUnit::of(&r.metric, &r.currency);
    let trials = grouped(r.trials as f64, 0);
    let s = if r.trials == 1 { "" } else { "s" };
    format!(
        "{trials} trial{s} · the change in {} (scenario: {}{}) when a road is closed or secured, \
         paired by trial; ranked by the change when {}",
        m.name,
        m.value(r.baseline.mean),
        m.short(),
        r.rank_by
    )
}

pub(super) fn bars_size(r: &CriticalityResults, title: &str) -> (u32, u32) {
    let top = style::header_bottom(CANVAS, title, &subtitle(r), &legend());
    let n = rows(r).len().max(1) as u32;
    (CANVAS as u32, top as u32 + 10 + 40 + n * ROW + 74)
}

/// The row label of an entry: "kati-bamako · 15 km", with the share of trials that used it
/// when some did not.
fn label(e: &CriticalityEntry) -> String {
    let used = if e.used_share < 1.0 {
        format!(", used in {} %", grouped(100.0 * e.used_share, 0))
    } else {
        String::new()
    };
    format!("{} · {} km{used}", e.id, grouped(e.km, 0))
}

/// One of the two panels of bars: which change it draws, and how.
struct Panel {
    /// The change, or None where there is nothing to draw ("no threat").
    change: fn(&CriticalityEntry) -> Option<Difference>,
    colour: RGBColor,
    /// "closed", "secured".
    what: &'static str,
}

const PANELS: [Panel; 2] = [
    Panel {
        change: |e| Some(e.closed),
        colour: CLOSED,
        what: "closed",
    },
    Panel {
        change: |e| e.threatened.then_some(e.secured),
        colour: SECURED,
        what: "secured",
    },
];

pub(super) fn draw_bars<DB: DrawingBackend>(
    root: &Area<DB>,
    r: &CriticalityResults,
    title: &str,
) -> DrawResult<(), DB> {
    let top = style::draw_header(root, title, &subtitle(r), &legend())?;
    let rows = rows(r);
    let name_style = style::text(style::TICK, &INK);
    let widest = rows
        .iter()
        .filter_map(|row| match row {
            Row::Entry(e) => Some(style::text_width(&label(e), &name_style)),
            Row::Heading(_) => None,
        })
        .max()
        .unwrap_or(0);
    // The names, then the closed panel, then the secured one (a little narrower).
    let body = root.margin(top + 10, 0, 0, 0);
    let width = body.dim_in_pixel().0 as i32;
    let names = widest + 20 + style::SIDE;
    let (left, right) = body.split_horizontally(names + (width - names) * 52 / 100);
    draw_panel(root, &left, r, &rows, &PANELS[0], names)?;
    draw_panel(root, &right, r, &rows, &PANELS[1], 0)
}

/// Draws one panel of bars on `area`; the first (with `names` pixels for them) also draws
/// the row labels and headings.
fn draw_panel<DB: DrawingBackend>(
    root: &Area<DB>,
    area: &Area<DB>,
    r: &CriticalityResults,
    rows: &[Row],
    panel: &Panel,
    names: i32,
) -> DrawResult<(), DB> {
    let m = MetricUnit::of(&r.metric, &r.currency);
    let n = rows.len().max(1);
    let y_of = |i: usize| (n - 1 - i) as f64;
    let changes = || {
        rows.iter().filter_map(|row| match row {
            Row::Entry(e) => (panel.change)(e),
            Row::Heading(_) => None,
        })
    };
    let (lo, hi) = changes().fold((0.0f64, 0.0f64), |(lo, hi), d| {
        (lo.min(d.low.min(d.mean)), hi.max(d.high.max(d.mean)))
    });
    // Room for the value labels beyond the longest bars.
    let span = (hi - lo).max(1e-9);
    let x_min = if lo < 0.0 { lo - 0.22 * span } else { 0.0 };
    let x_max = if hi > 0.0 { hi + 0.22 * span } else { 0.0 };
    let (x_min, x_max) = if x_min == x_max {
        (-1.0, 1.0)
    } else {
        (x_min, x_max)
    };
    let first = names > 0;
    let mut chart = ChartBuilder::on(area)
        .margin_left(if first { style::SIDE } else { 16 })
        .margin_right(if first { 16 } else { style::SIDE + 10 })
        .margin_bottom(10)
        .x_label_area_size(64)
        .top_x_label_area_size(40)
        .y_label_area_size(if first { names - style::SIDE } else { 8 })
        .build_cartesian_2d(x_min..x_max, -0.6..n as f64 - 0.4)?;
    let step = (x_max - x_min) / 6.0 * m.scale;
    let tick = |v: &f64| style::value_label(*v * m.scale, step);
    let what = panel.what;
    style::house_mesh(&mut chart.configure_mesh(), style::Values::Right)
        .x_labels(7)
        .y_labels(0)
        .x_label_formatter(&tick)
        .x_desc(if m.unit.is_empty() {
            format!("Change in {} when {what}", m.name)
        } else {
            format!("Change when {what}, {}", m.unit)
        })
        .draw()?;
    chart.draw_series(std::iter::once(PathElement::new(
        vec![(0.0, -0.6), (0.0, n as f64 - 0.4)],
        INK.stroke_width(1),
    )))?;

    let value_style = style::text(style::TICK - 1.0, &INK);
    for (i, row) in rows.iter().enumerate() {
        let y = y_of(i);
        let Row::Entry(e) = row else { continue };
        let Some(d) = (panel.change)(e) else {
            // Beside the zero line, on the side that has room.
            let (x, py) = chart.backend_coord(&(0.0, y));
            let (h, dx) = match x_max >= -x_min {
                true => (HPos::Left, 6),
                false => (HPos::Right, -6),
            };
            let muted = style::text(style::TICK - 1.0, &MUTED);
            root.draw_text(
                "no threat",
                &style::anchored(muted, h, VPos::Center),
                (x + dx, py),
            )?;
            continue;
        };
        chart.draw_series(std::iter::once(Rectangle::new(
            [(0.0, y - 0.32), (d.mean, y + 0.32)],
            panel.colour.mix(0.85).filled(),
        )))?;
        if d.ci95 > 0.0 {
            let whisker = INK.stroke_width(1);
            chart.draw_series([
                PathElement::new(vec![(d.low, y), (d.high, y)], whisker),
                PathElement::new(vec![(d.low, y - 0.16), (d.low, y + 0.16)], whisker),
                PathElement::new(vec![(d.high, y - 0.16), (d.high, y + 0.16)], whisker),
            ])?;
        }
        // The value beyond the bar's end and its interval.
        let (end, h, dx) = if d.mean < 0.0 {
            (d.low.min(d.mean), HPos::Right, -6)
        } else {
            (d.high.max(d.mean), HPos::Left, 6)
        };
        let anchor = style::anchored(value_style.clone(), h, VPos::Center);
        let (x, py) = chart.backend_coord(&(end, y));
        root.draw_text(&m.change(d.mean), &anchor, (x + dx, py))?;
    }

    if first {
        let name = style::anchored(style::text(style::TICK, &INK), HPos::Right, VPos::Center);
        let heading = style::anchored(style::bold(style::TICK, &INK), HPos::Left, VPos::Center);
        for (i, row) in rows.iter().enumerate() {
            let (x, py) = chart.backend_coord(&(x_min, y_of(i)));
            match row {
                Row::Entry(e) => root.draw_text(&label(e), &name, (x - 10, py))?,
                Row::Heading(h) => root.draw_text(h, &heading, (style::SIDE, py))?,
            }
        }
    }
    Ok(())
}

/// The network with each road coloured by the value of securing it: the change in the
/// metric, in the direction most roads move it (more fuel delivered, fewer tankers lost).
fn map_view(r: &CriticalityResults) -> MapView<'_> {
    let m = MetricUnit::of(&r.metric, &r.currency);
    let net = &r.network;
    let edge = |id: &str| r.entry(TargetKind::Edge, id);
    let secured: Vec<f64> = net
        .edges
        .iter()
        .filter_map(|e| edge(&e.id).filter(|x| x.threatened).map(|x| x.secured.mean))
        .collect();
    // The scale runs in the direction of the largest change.
    let largest = secured
        .iter()
        .copied()
        .fold(0.0, |a: f64, b| if b.abs() > a.abs() { b } else { a });
    let sign = if largest < 0.0 { -1.0 } else { 1.0 };
    let top_value = largest.abs();
    let mut seen = (false, false, false);
    let roads = net
        .edges
        .iter()
        .map(|e| {
            let look = match edge(&e.id) {
                // Not tested, or tested with --all-edges and never entered.
                None => {
                    seen.0 = true;
                    Look::Faint
                }
                Some(x) if x.used_share == 0.0 => {
                    seen.0 = true;
                    Look::Faint
                }
                Some(x) if !x.threatened => {
                    seen.1 = true;
                    Look::Quiet
                }
                Some(x) if x.secured.mean * sign < 0.0 => {
                    seen.2 = true;
                    Look::Against
                }
                Some(x) if top_value > 0.0 => Look::Scaled(x.secured.mean * sign / top_value),
                Some(_) => Look::Scaled(0.0),
            };
            Road {
                from: e.from,
                to: e.to,
                look,
            }
        })
        .collect();
    // Round ticks: as many decimals as the top of the scale needs.
    let decimals = if top_value * m.scale >= 10.0 { 0 } else { 1 };
    let tick = |t: f64| match t * top_value * sign * m.scale {
        0.0 => "0".to_string(),
        v if v > 0.0 => format!("+{}", grouped(v, decimals)),
        v => grouped(v, decimals),
    };
    let mut others = Vec::new();
    if seen.2 {
        others.push((
            Look::Against,
            "Securing it moves it the other way".to_string(),
        ));
    }
    if seen.1 {
        others.push((Look::Quiet, "Used, no threat on it".to_string()));
    }
    if seen.0 {
        others.push((Look::Faint, "Not used by any convoy".to_string()));
    }
    let trials = grouped(r.trials as f64, 0);
    let s = if r.trials == 1 { "" } else { "s" };
    MapView {
        nodes: &net.nodes,
        sink: Some(net.sink),
        sources: net.sources.clone(),
        other_sinks: Vec::new(),
        staging: Vec::new(),
        roads,
        subtitle: format!(
            "{trials} trial{s} · each road coloured by the change in {} when its threats are removed",
            m.name
        ),
        scale: Some(ScaleLegend {
            caption: m.axis("Value of securing it: change in"),
            ticks: [tick(0.0), tick(0.5), tick(1.0)],
        }),
        others,
    }
}

pub(super) fn map_size(r: &CriticalityResults, title: &str) -> (u32, u32) {
    (CANVAS as u32, map::height(&map_view(r), title))
}

pub(super) fn draw_map<DB: DrawingBackend>(
    root: &Area<DB>,
    r: &CriticalityResults,
    title: &str,
) -> DrawResult<(), DB> {
    map::draw_view(root, &map_view(r), title)
}
