//! The chart of `corridor optimize`: one row per candidate, ranked (survivors first, then
//! by mean), its mean with its 95 % confidence interval; the chosen one in orange, those
//! not separated from it in blue, the dropped in grey.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::analysis::MetricUnit;
use super::style::{self, Area, INK, MUTED, Mark};
use super::sweep::trials_note;
use crate::analysis::optimize::OptimizeResults;

const CANVAS: i32 = 1000;
/// The height of a candidate's row.
const ROW: u32 = 26;
/// The most rows drawn; the rest are in optimize.csv.
const MOST: usize = 40;

fn legend() -> Vec<(Mark, String)> {
    vec![
        (Mark::Band(style::ORANGE.mix(0.9)), "Chosen".to_string()),
        (
            Mark::Band(style::BLUE.mix(0.9)),
            "Not separated from it".to_string(),
        ),
        (Mark::Band(MUTED.mix(0.6)), "Dropped".to_string()),
        (Mark::Line(INK, 2), "Mean ± 95 % interval".to_string()),
    ]
}

fn subtitle(r: &OptimizeResults) -> String {
    let m = MetricUnit::of(&r.metric, &r.currency);
    format!(
        "{} · Kim and Nelson's procedure, {} % confidence, indifference zone {}{}; {} of {} candidates drawn",
        trials_note(r.batch_trials, "batch"),
        100.0 * r.confidence,
        m.value(r.delta),
        m.short(),
        r.candidates.len().min(MOST),
        r.candidates.len()
    )
}

pub(super) fn size(r: &OptimizeResults, title: &str) -> (u32, u32) {
    let top = style::header_bottom(CANVAS, title, &subtitle(r), &legend());
    let n = r.candidates.len().clamp(1, MOST) as u32;
    (CANVAS as u32, top as u32 + 10 + n * ROW + 110)
}

pub(super) fn draw<DB: DrawingBackend>(
    root: &Area<DB>,
    r: &OptimizeResults,
    title: &str,
) -> DrawResult<(), DB> {
    let m = MetricUnit::of(&r.metric, &r.currency);
    let top = style::draw_header(root, title, &subtitle(r), &legend())?;
    let order: Vec<usize> = r.ranked().into_iter().take(MOST).collect();
    let n = order.len().max(1);
    let y_of = |i: usize| (n - 1 - i) as f64;
    let name_style = style::text(style::TICK - 1.0, &INK);
    let labels: Vec<String> = order
        .iter()
        .map(|&i| r.candidates[i].label(&r.points, &r.inputs))
        .collect();
    let widest = labels
        .iter()
        .map(|l| style::text_width(l, &name_style))
        .max()
        .unwrap_or(0);
    let (lo, hi) = order
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &i| {
            let c = &r.candidates[i];
            (lo.min(c.mean - c.ci95), hi.max(c.mean + c.ci95))
        });
    let span = (hi - lo).max(hi.abs() * 0.01).max(1e-9);
    let (x_min, x_max) = (lo - 0.08 * span, hi + 0.08 * span);
    let mut chart = ChartBuilder::on(root)
        .margin_top(top + 10)
        .margin_left(style::SIDE)
        .margin_right(style::SIDE + 10)
        .margin_bottom(10)
        .x_label_area_size(64)
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
    for (row, (&i, label)) in order.iter().zip(&labels).enumerate() {
        let c = &r.candidates[i];
        let y = y_of(row);
        let colour = if i == r.chosen {
            style::ORANGE
        } else if c.dropped_after.is_none() {
            style::BLUE
        } else {
            MUTED
        };
        let line = colour.stroke_width(3);
        chart.draw_series([
            PathElement::new(vec![(c.mean - c.ci95, y), (c.mean + c.ci95, y)], line),
            PathElement::new(
                vec![(c.mean - c.ci95, y - 0.2), (c.mean - c.ci95, y + 0.2)],
                line,
            ),
            PathElement::new(
                vec![(c.mean + c.ci95, y - 0.2), (c.mean + c.ci95, y + 0.2)],
                line,
            ),
        ])?;
        chart.draw_series(std::iter::once(Circle::new(
            (c.mean, y),
            5,
            colour.filled(),
        )))?;
        let (x, py) = chart.backend_coord(&(x_min, y));
        let anchor = style::anchored(name_style.clone(), HPos::Right, VPos::Center);
        root.draw_text(label, &anchor, (x - 10, py))?;
    }
    Ok(())
}
