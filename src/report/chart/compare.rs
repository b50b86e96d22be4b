//! The charts of `corridor compare`, one colour per scenario: the distributions of total
//! delivered fuel over each other (on the same bars, with the means marked), and the stock
//! fans on one axis (the median line and the 5-95 % band of each scenario).

use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::style::{self, Area, INK, MUTED, Mark};
use crate::analysis::compare::CompareResults;
use crate::calendar::Date;
use crate::report::RunResults;
use crate::report::table::grouped;

/// Opacity of each scenario's fill under its histogram outline, and of its stock band.
const FILL: f64 = 0.10;
const CANVAS: i32 = 1000;
const BAND: f64 = 0.16;

/// "2,000 trials of each scenario, paired by trial".
fn trials_note(r: &CompareResults) -> String {
    let s = if r.trials == 1 { "" } else { "s" };
    format!(
        "{} trial{s} of each scenario, paired by trial",
        grouped(r.trials as f64, 0)
    )
}

/// What the runs share, or a neutral word where they differ: the sink, the horizon.
fn common<T: PartialEq + Clone>(runs: &[RunResults], pick: impl Fn(&RunResults) -> T) -> Option<T> {
    let first = pick(runs.first()?);
    runs.iter().all(|r| pick(r) == first).then_some(first)
}

/// The height of the plots under the header, which grows with the scenarios' legend.
const PLOT: i32 = 440;

/// Whether scenario `i` comes after the palette's colours have all been used: its lines are
/// then dashed, so that it stays apart from the scenario with the same colour.
fn repeats(i: usize) -> bool {
    i >= style::SERIES.len()
}

/// The legend mark of scenario `i`.
fn mark(i: usize) -> Mark {
    match repeats(i) {
        true => Mark::Dashed(style::series(i), 3),
        false => Mark::Line(style::series(i), 3),
    }
}

/// The sink the runs share, or "the sink".
fn sink(r: &CompareResults) -> String {
    common(&r.runs, |x| x.sink.clone()).unwrap_or_else(|| "the sink".to_string())
}

/// The subtitle and legend of the distributions: a line per scenario, with its mean.
fn delivered_header(r: &CompareResults) -> (String, Vec<(Mark, String)>) {
    let runs = &r.runs;
    let legend = runs
        .iter()
        .enumerate()
        .map(|(i, run)| {
            let mean = run.metric("delivered_litres").mean / 1e6;
            (
                mark(i),
                format!("{}: mean {} M L", run.scenario, grouped(mean, 1)),
            )
        })
        .collect();
    let over = match common(runs, |x| x.horizon_days) {
        Some(h) => format!("over the {h} days"),
        None => "over each scenario's horizon".to_string(),
    };
    let subtitle = format!(
        "{} · fuel that reached {} {over}; the dashed lines mark the means",
        trials_note(r),
        sink(r)
    );
    (subtitle, legend)
}

pub(super) fn delivered_size(r: &CompareResults, title: &str) -> (u32, u32) {
    let (subtitle, legend) = delivered_header(r);
    let top = style::header_bottom(CANVAS, title, &subtitle, &legend);
    (CANVAS as u32, (top + 10 + PLOT) as u32)
}

pub(super) fn draw_delivered<DB: DrawingBackend>(
    root: &Area<DB>,
    r: &CompareResults,
    title: &str,
) -> DrawResult<(), DB> {
    let ml = |x: f64| x / 1e6;
    let runs = &r.runs;
    let sink = sink(r);
    let horizon = common(runs, |x| x.horizon_days);
    let (subtitle, legend) = delivered_header(r);
    let top = style::draw_header(root, title, &subtitle, &legend)?;

    let sketches: Vec<_> = runs.iter().map(|x| &x.delivered_distribution).collect();
    let bars = super::bars::histograms(&sketches);
    let lo = bars.iter().filter_map(|b| b.first()).map(|b| ml(b.0));
    let hi = bars.iter().filter_map(|b| b.last()).map(|b| ml(b.1));
    let (lo, hi) = (
        lo.fold(f64::INFINITY, f64::min),
        hi.fold(f64::NEG_INFINITY, f64::max),
    );
    let (lo, hi) = if lo < hi { (lo, hi) } else { (0.0, 1.0) };
    let pad = (hi - lo) * 0.06;
    let (x_min, x_max) = (lo - pad, hi + pad);
    let highest = bars.iter().flatten().map(|b| b.2).fold(0.0, f64::max);
    let y_max = style::axis_top(highest, 0.12);
    let mut chart = ChartBuilder::on(root)
        .margin_top(top + 10)
        .margin_left(style::SIDE)
        .margin_right(style::SIDE + 10)
        .margin_bottom(10)
        .x_label_area_size(64)
        .y_label_area_size(90)
        .build_cartesian_2d(x_min..x_max, 0.0..y_max)?;
    let x_label = |v: &f64| style::value_label(*v, (x_max - x_min) / 8.0);
    let y_label = |v: &f64| style::value_label(*v, y_max / 6.0);
    let x_desc = match horizon {
        Some(h) => format!("Fuel delivered to {sink} in {h} days, million litres"),
        None => format!("Fuel delivered to {sink}, million litres"),
    };
    style::house_mesh(&mut chart.configure_mesh(), style::Values::Up)
        .x_labels(9)
        .y_labels(7)
        .x_label_formatter(&x_label)
        .y_label_formatter(&y_label)
        .x_desc(x_desc)
        .y_desc("Share of trials, %")
        .draw()?;

    // Each distribution as a faint area under a bold outline, trimmed of empty bars at its
    // ends so that the outlines do not run along the axis.
    let outlines: Vec<Vec<(f64, f64)>> = bars
        .iter()
        .map(|b| {
            let first = b.iter().position(|x| x.2 > 0.0).unwrap_or(0);
            let last = b.iter().rposition(|x| x.2 > 0.0).map_or(0, |k| k + 1);
            let b = &b[first..last.max(first)];
            let mut points = Vec::with_capacity(2 * b.len() + 2);
            if let Some(f) = b.first() {
                points.push((ml(f.0), 0.0));
            }
            for &(a, z, share) in b {
                points.extend([(ml(a), share), (ml(z), share)]);
            }
            if let Some(l) = b.last() {
                points.push((ml(l.1), 0.0));
            }
            points
        })
        .collect();
    for (i, points) in outlines.iter().enumerate() {
        chart.draw_series(std::iter::once(Polygon::new(
            points.clone(),
            style::series(i).mix(FILL).filled(),
        )))?;
    }
    for (i, points) in outlines.iter().enumerate() {
        let stroke = style::series(i).stroke_width(3);
        if repeats(i) {
            let dashed = DashedPathElement::new(points.clone(), 10, 5, stroke);
            chart.draw_series(std::iter::once(dashed))?;
        } else {
            chart.draw_series(std::iter::once(PathElement::new(points.clone(), stroke)))?;
        }
    }
    let mut markers: Vec<i32> = Vec::new();
    for (i, run) in runs.iter().enumerate() {
        let mean = ml(run.metric("delivered_litres").mean);
        let colour = style::series(i);
        chart.draw_series(std::iter::once(DashedPathElement::new(
            vec![(mean, 0.0), (mean, y_max)],
            8,
            5,
            colour.stroke_width(2),
        )))?;
        // A marker at the top, moved down below any it would cover, so that a mean on top
        // of another still shows its colour.
        let (x, y) = chart.backend_coord(&(mean, y_max));
        let dy = 11 * markers.iter().filter(|&&m| (m - x).abs() < 13).count() as i32;
        markers.push(x);
        root.draw(&Polygon::new(
            vec![(x - 6, y + dy), (x + 6, y + dy), (x, y + dy + 9)],
            colour.filled(),
        ))?;
    }
    Ok(())
}

/// Whether the stock is drawn in days of demand: when every scenario has a demand (else
/// in million litres for all).
fn in_days(r: &CompareResults) -> bool {
    r.runs.iter().all(|x| x.daily_demand_litres > 0.0)
}

/// The subtitle and legend of the stock fans: a line per scenario, and what the bands are.
fn stock_header(r: &CompareResults) -> (String, Vec<(Mark, String)>) {
    let runs = &r.runs;
    let mut legend: Vec<(Mark, String)> = runs
        .iter()
        .enumerate()
        .map(|(i, run)| (mark(i), run.scenario.clone()))
        .collect();
    legend.push((
        Mark::Band(MUTED.mix(0.25)),
        "5-95 % of trials, in the scenario's colour".to_string(),
    ));
    let demand = common(runs, |x| x.daily_demand_litres.to_bits()).map(f64::from_bits);
    let unit_note = match (in_days(r), demand) {
        (true, Some(d)) => format!(
            "; 1 day of normal demand = {} M litres",
            grouped(d / 1e6, 1)
        ),
        _ => String::new(),
    };
    let subtitle = format!(
        "{} · stock after each day's deliveries and sales; the lines are the medians, and the \
         strips under zero the days the stock was empty in half the trials or more{unit_note}",
        trials_note(r)
    );
    (subtitle, legend)
}

pub(super) fn stock_size(r: &CompareResults, title: &str) -> (u32, u32) {
    let (subtitle, legend) = stock_header(r);
    let top = style::header_bottom(CANVAS, title, &subtitle, &legend);
    (CANVAS as u32, (top + 10 + PLOT) as u32)
}

pub(super) fn draw_stock<DB: DrawingBackend>(
    root: &Area<DB>,
    r: &CompareResults,
    title: &str,
) -> DrawResult<(), DB> {
    let runs = &r.runs;
    let in_days = in_days(r);
    let scale = |run: &RunResults| {
        if in_days {
            run.daily_demand_litres
        } else {
            1e6
        }
    };
    let (subtitle, legend) = stock_header(r);
    let top = style::draw_header(root, title, &subtitle, &legend)?;

    let days = runs.iter().map(|x| x.daily[0].len()).max().unwrap_or(0);
    let x_end = days.max(2) as f64 - 1.0;
    let highest = runs
        .iter()
        .flat_map(|run| run.daily[0].iter().map(move |s| s.p95 / scale(run)))
        .fold(0.0, f64::max);
    let lowest = runs
        .iter()
        .flat_map(|run| run.daily[0].iter().map(move |s| s.p5 / scale(run)))
        .fold(0.0, f64::min);
    let y_max = style::axis_top(highest, 0.1);
    // Under the values, one strip per scenario for the days its median stock is empty.
    let strip = (y_max - lowest) * 0.045;
    let y_min = lowest - strip * runs.len() as f64 - strip * 0.3;
    let start = common(runs, |x| x.start_date.clone())
        .flatten()
        .and_then(|d| Date::parse(&d));
    let horizon = days as u32;
    let mut chart = ChartBuilder::on(root)
        .margin_top(top + 10)
        .margin_left(style::SIDE)
        .margin_right(style::SIDE + 10)
        .margin_bottom(10)
        .x_label_area_size(64)
        .y_label_area_size(100)
        .build_cartesian_2d(-0.5..x_end + 0.5, y_min..y_max)?;
    let step = super::fan::nice_step(y_max - lowest, 7);
    let y_label = |v: &f64| {
        if *v < lowest - step * 1e-6 {
            String::new()
        } else {
            style::value_label(*v, step)
        }
    };
    let y_desc = if in_days {
        "Stock, days of normal demand"
    } else {
        "Stock, million litres"
    };
    style::house_mesh(&mut chart.configure_mesh(), style::Values::Up)
        .x_labels(0)
        .y_labels(8)
        .y_label_formatter(&y_label)
        .x_desc(style::day_axis(start, horizon))
        .y_desc(y_desc)
        .draw()?;
    style::draw_day_ticks(root, start, horizon, |d| chart.backend_coord(&(d, y_min)))?;

    chart.draw_series(std::iter::once(Rectangle::new(
        [(-0.5, y_min), (x_end + 0.5, lowest)],
        style::GRID.mix(0.6).filled(),
    )))?;
    for (i, run) in runs.iter().enumerate() {
        let (a, b) = (
            lowest - strip * (i as f64 + 1.0),
            lowest - strip * i as f64 - strip * 0.15,
        );
        let empty: Vec<usize> = (0..run.daily[0].len())
            .filter(|&d| run.daily[0][d].p50 <= 0.0)
            .collect();
        chart.draw_series(super::fan::runs(&empty).into_iter().map(|(from, to)| {
            Rectangle::new(
                [(from as f64 - 0.5, a), (to as f64 - 0.5, b)],
                style::series(i).filled(),
            )
        }))?;
    }
    let (x, mid) = chart.backend_coord(&(-0.5, (y_min + lowest) / 2.0));
    let label = style::anchored(style::text(style::TICK, &MUTED), HPos::Right, VPos::Center);
    root.draw_text("empty", &label, (x - 10, mid))?;

    for (i, run) in runs.iter().enumerate() {
        let k = scale(run);
        let stats = &run.daily[0];
        let upper = stats.iter().enumerate().map(|(d, s)| (d as f64, s.p95 / k));
        let lower = stats
            .iter()
            .enumerate()
            .rev()
            .map(|(d, s)| (d as f64, s.p5 / k));
        chart.draw_series(std::iter::once(Polygon::new(
            upper.chain(lower).collect::<Vec<_>>(),
            style::series(i).mix(BAND).filled(),
        )))?;
    }
    chart.draw_series(std::iter::once(PathElement::new(
        vec![(-0.5, 0.0), (x_end + 0.5, 0.0)],
        INK.stroke_width(2),
    )))?;
    for (i, run) in runs.iter().enumerate() {
        let k = scale(run);
        let median: Vec<(f64, f64)> = (run.daily[0].iter().enumerate())
            .map(|(d, s)| (d as f64, s.p50 / k))
            .collect();
        let stroke = style::series(i).stroke_width(3);
        if repeats(i) {
            let dashed = DashedPathElement::new(median, 10, 5, stroke);
            chart.draw_series(std::iter::once(dashed))?;
        } else {
            chart.draw_series(std::iter::once(PathElement::new(median, stroke)))?;
        }
    }
    Ok(())
}
