//! The tornado chart of `corridor sweep`: one bar per input, from the metric at its lowest
//! value to the metric at its highest, around the scenario's own value, ranked by the swing.
//! (`--grid` draws a heat map instead: `heatmap`.)

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::analysis::MetricUnit;
use super::style::{self, Area, INK, MUTED, Mark};
use crate::analysis::sweep::{SweepInput, SweepPoint, SweepResults};
use crate::report::table::grouped;

const CANVAS: i32 = 1000;
/// The height of a tornado bar's row.
const ROW: u32 = 50;

const LOW: RGBColor = style::BLUE;
const HIGH: RGBColor = style::ORANGE;

/// An input value as a person writes it: whole numbers grouped, others in full.
pub(super) fn value(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        grouped(v, 0)
    } else {
        format!("{v}")
    }
}

pub(super) fn trials_note(trials: u64, per: &str) -> String {
    let s = if trials == 1 { "" } else { "s" };
    format!(
        "{} trial{s} per {per}, paired by trial",
        grouped(trials as f64, 0)
    )
}

fn tornado_legend() -> Vec<(Mark, String)> {
    vec![
        (
            Mark::Band(LOW.mix(0.85)),
            "Input at its lowest value".to_string(),
        ),
        (Mark::Band(HIGH.mix(0.85)), "at its highest".to_string()),
        (Mark::Line(INK, 2), "The scenario as written".to_string()),
        (Mark::Line(MUTED, 2), "95 % confidence interval".to_string()),
    ]
}

fn tornado_subtitle(r: &SweepResults) -> String {
    let m = MetricUnit::of(&r.metric, &r.currency);
    format!(
        "{} · {} with one input at a time at its lowest and highest value, the others as \
         in the scenario ({}{}); ranked by the swing",
        trials_note(r.trials, "value"),
        m.name,
        m.value(r.base.mean),
        m.short()
    )
}

pub(super) fn tornado_size(r: &SweepResults, title: &str) -> (u32, u32) {
    let top = style::header_bottom(CANVAS, title, &tornado_subtitle(r), &tornado_legend());
    let n = r.inputs.len().max(1) as u32;
    (CANVAS as u32, top as u32 + 10 + n * ROW + 110)
}

/// The inputs in rank order (largest swing first).
fn ranked(r: &SweepResults) -> Vec<&SweepInput> {
    let mut inputs: Vec<&SweepInput> = r.inputs.iter().collect();
    inputs.sort_by_key(|i| i.rank);
    inputs
}

fn point(input: &SweepInput, v: f64) -> &SweepPoint {
    input
        .points
        .iter()
        .find(|p| p.value == v)
        .expect("the lowest and highest values are among the points")
}

pub(super) fn draw_tornado<DB: DrawingBackend>(
    root: &Area<DB>,
    r: &SweepResults,
    title: &str,
) -> DrawResult<(), DB> {
    let m = MetricUnit::of(&r.metric, &r.currency);
    let top = style::draw_header(root, title, &tornado_subtitle(r), &tornado_legend())?;
    let inputs = ranked(r);
    let n = inputs.len().max(1);
    let y_of = |i: usize| (n - 1 - i) as f64;
    let base = r.base.mean;

    let name_style = style::text(style::TICK, &INK);
    let note_style = style::text(style::TICK - 2.0, &MUTED);
    let swing_note = |input: &SweepInput| {
        format!(
            "swing {} ± {}{}",
            m.change(input.swing.mean),
            m.value(input.swing.ci95),
            m.short()
        )
    };
    let scenario_note = |input: &SweepInput| match input.base_value {
        Some(v) => format!("scenario: {}", value(v)),
        None => "scenario: inherited".to_string(),
    };
    let widest = inputs
        .iter()
        .map(|i| {
            style::text_width(&i.path, &name_style).max(style::text_width(
                &format!("{} · {}", scenario_note(i), swing_note(i)),
                &note_style,
            ))
        })
        .max()
        .unwrap_or(0);

    // The ends of every bar and whisker, and the scenario's value, set the range.
    let ends = inputs.iter().flat_map(|i| {
        [i.low_value, i.high_value].into_iter().flat_map(move |v| {
            let c = point(i, v).change;
            [base + c.low, base + c.high]
        })
    });
    let (lo, hi) = ends.fold((base, base), |(lo, hi), x| (lo.min(x), hi.max(x)));
    let span = (hi - lo).max(base.abs() * 0.01).max(1e-9);
    let (x_min, x_max) = (lo - 0.16 * span, hi + 0.16 * span);
    let mut chart = ChartBuilder::on(root)
        .margin_top(top + 10)
        .margin_left(style::SIDE)
        .margin_right(style::SIDE + 10)
        .margin_bottom(10)
        .x_label_area_size(64)
        .top_x_label_area_size(36)
        .y_label_area_size(widest + 20)
        .build_cartesian_2d(x_min..x_max, -0.6..n as f64 - 0.4)?;
    let step = (x_max - x_min) / 7.0 * m.scale;
    let tick = |v: &f64| style::value_label(*v * m.scale, step);
    style::house_mesh(&mut chart.configure_mesh(), style::Values::Right)
        .x_labels(8)
        .y_labels(0)
        .x_label_formatter(&tick)
        .x_desc(m.axis(""))
        .draw()?;

    let value_style = style::text(style::TICK - 1.0, &INK);
    for (i, input) in inputs.iter().enumerate() {
        let y = y_of(i);
        let (low, high) = (
            point(input, input.low_value),
            point(input, input.high_value),
        );
        // The longer half first. When both move the metric the same way, the shorter one is
        // drawn thinner over the longer, and its value goes on the other side of the
        // scenario's line, clear of the longer bar.
        let mut halves = [(low, LOW, input.low_value), (high, HIGH, input.high_value)];
        if low.change.mean.abs() < high.change.mean.abs() {
            halves.swap(0, 1);
        }
        let same_side = low.change.mean * high.change.mean > 0.0;
        for (k, (p, colour, _)) in halves.iter().enumerate() {
            let h = if same_side && k == 1 { 0.16 } else { 0.3 };
            chart.draw_series(std::iter::once(Rectangle::new(
                [(base, y - h), (base + p.change.mean, y + h)],
                colour.mix(0.85).filled(),
            )))?;
        }
        for (k, (p, _, v)) in halves.into_iter().enumerate() {
            let c = p.change;
            if c.ci95 > 0.0 {
                let whisker = MUTED.stroke_width(2);
                chart.draw_series([
                    PathElement::new(vec![(base + c.low, y), (base + c.high, y)], whisker),
                    PathElement::new(
                        vec![(base + c.low, y - 0.14), (base + c.low, y + 0.14)],
                        whisker,
                    ),
                    PathElement::new(
                        vec![(base + c.high, y - 0.14), (base + c.high, y + 0.14)],
                        whisker,
                    ),
                ])?;
            }
            // The input's value at the bar's end, outside it.
            let (end, h, dx) = if same_side && k == 1 {
                match c.mean < 0.0 {
                    true => (base, HPos::Left, 6),
                    false => (base, HPos::Right, -6),
                }
            } else if c.mean < 0.0 {
                (base + c.low.min(c.mean), HPos::Right, -6)
            } else {
                (base + c.high.max(c.mean), HPos::Left, 6)
            };
            let (x, py) = chart.backend_coord(&(end, y));
            let anchor = style::anchored(value_style.clone(), h, VPos::Center);
            root.draw_text(&value(v), &anchor, (x + dx, py))?;
        }
        let (x, py) = chart.backend_coord(&(x_min, y));
        let name = style::anchored(name_style.clone(), HPos::Right, VPos::Bottom);
        root.draw_text(&input.path, &name, (x - 10, py))?;
        let note = style::anchored(note_style.clone(), HPos::Right, VPos::Top);
        let text = format!("{} · {}", scenario_note(input), swing_note(input));
        root.draw_text(&text, &note, (x - 10, py + 3))?;
    }
    chart.draw_series(std::iter::once(PathElement::new(
        vec![(base, -0.6), (base, n as f64 - 0.4)],
        INK.stroke_width(2),
    )))?;
    Ok(())
}
