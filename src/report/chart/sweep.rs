//! The charts of `corridor sweep`: the tornado (one bar per input, from the metric at its
//! lowest value to the metric at its highest, around the scenario's own value, ranked by the
//! swing) and, for `--grid`, a heat map of the metric over the two inputs.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::analysis::MetricUnit;
use super::style::{self, Area, INK, MUTED, Mark};
use crate::analysis::sweep::{GridResults, SweepInput, SweepPoint, SweepResults};
use crate::report::table::grouped;

const CANVAS: i32 = 1000;
/// The height of a tornado bar's row.
const ROW: u32 = 50;

const LOW: RGBColor = style::BLUE;
const HIGH: RGBColor = style::ORANGE;

/// An input value as a person writes it: whole numbers grouped, others in full.
fn value(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        grouped(v, 0)
    } else {
        format!("{v}")
    }
}

/// A value in few characters: "13 M" for 13,000,000, "2.5 k" for 2,500.
fn compact(v: f64) -> String {
    let short = |x: f64, unit: &str| {
        let decimals = if (x * 10.0).fract() == 0.0 && x.fract() != 0.0 {
            1
        } else {
            2
        };
        let digits = if x.fract() == 0.0 { 0 } else { decimals };
        format!("{} {unit}", grouped(x, digits))
    };
    match v.abs() {
        a if a >= 1e9 => short(v / 1e9, "G"),
        a if a >= 1e6 => short(v / 1e6, "M"),
        a if a >= 1e4 => short(v / 1e3, "k"),
        _ => value(v),
    }
}

fn trials_note(trials: u64, per: &str) -> String {
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
    chart
        .configure_mesh()
        .disable_y_mesh()
        .max_light_lines(0)
        .bold_line_style(style::GRID)
        .axis_style(MUTED)
        .x_labels(8)
        .y_labels(0)
        .x_label_formatter(&tick)
        .x_label_style(style::text(style::TICK, &MUTED))
        .axis_desc_style(style::text(style::LABEL, &INK))
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

/// A colour scale for the heat map: viridis (perceptually even, readable with colour
/// blindness and in grey), from dark purple (lowest) to yellow (highest).
const VIRIDIS: [RGBColor; 9] = [
    RGBColor(0x44, 0x01, 0x54),
    RGBColor(0x47, 0x2D, 0x7B),
    RGBColor(0x3B, 0x52, 0x8B),
    RGBColor(0x2C, 0x72, 0x8E),
    RGBColor(0x21, 0x91, 0x8C),
    RGBColor(0x28, 0xAE, 0x80),
    RGBColor(0x5E, 0xC9, 0x62),
    RGBColor(0xAD, 0xDC, 0x30),
    RGBColor(0xFD, 0xE7, 0x25),
];

fn viridis(t: f64) -> RGBColor {
    let t = t.clamp(0.0, 1.0) * (VIRIDIS.len() - 1) as f64;
    let k = (t.floor() as usize).min(VIRIDIS.len() - 2);
    let f = t - k as f64;
    let (a, b) = (VIRIDIS[k], VIRIDIS[k + 1]);
    let mix = |x: u8, y: u8| (f64::from(x) + (f64::from(y) - f64::from(x)) * f).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// Dark text on the light end of the scale, white on the dark end.
fn ink_on(c: RGBColor) -> &'static RGBColor {
    let lum = 0.2126 * f64::from(c.0) + 0.7152 * f64::from(c.1) + 0.0722 * f64::from(c.2);
    if lum > 140.0 { &INK } else { &WHITE }
}

fn grid_subtitle(r: &GridResults) -> String {
    let m = MetricUnit::of(&r.metric, &r.currency);
    let scenario = format!("{}{}", m.value(r.base.mean), m.short());
    let own = match base_cell(r) {
        Some(_) => format!("; the outlined cell is the scenario as written ({scenario})"),
        None => format!("; the scenario as written: {scenario}"),
    };
    format!(
        "{} · the mean of {} for each pair of values; * marks the scenario's own value{own}",
        trials_note(r.trials, "cell"),
        m.name,
    )
}

/// The row and column of the scenario's own pair of values, if the grid has it.
fn base_cell(r: &GridResults) -> Option<(usize, usize)> {
    let at = |a: &crate::analysis::sweep::GridAxis| {
        a.values.iter().position(|&v| Some(v) == a.base_value)
    };
    Some((at(&r.x)?, at(&r.y)?))
}

/// The cell size: as large as the canvas allows, within readable bounds.
fn cell_size(r: &GridResults) -> (i32, i32) {
    let (cols, rows) = (
        r.y.values.len().max(1) as i32,
        r.x.values.len().max(1) as i32,
    );
    let w = ((CANVAS - 2 * style::SIDE - 150 - 200) / cols).clamp(12, 150);
    let h = (w * 6 / 10).clamp(12, 64).min(560 / rows).max(12);
    (w, h)
}

pub(super) fn grid_size(r: &GridResults, title: &str) -> (u32, u32) {
    let top = style::header_bottom(CANVAS, title, &grid_subtitle(r), &[]);
    let (_, h) = cell_size(r);
    let rows = r.x.values.len().max(1) as i32;
    let y0 = top + 10 + KEY;
    (CANVAS as u32, (y0 + (rows * h).max(BAR_MIN) + 30) as u32)
}

/// The height of the key above the heat map (the two inputs' names and the column labels),
/// and the least height of its colour bar.
const KEY: i32 = 88;
const BAR_MIN: i32 = 150;

pub(super) fn draw_grid<DB: DrawingBackend>(
    root: &Area<DB>,
    r: &GridResults,
    title: &str,
) -> DrawResult<(), DB> {
    let m = MetricUnit::of(&r.metric, &r.currency);
    let top = style::draw_header(root, title, &grid_subtitle(r), &[])?;
    let (cols, rows) = (r.y.values.len(), r.x.values.len());
    let (cw, ch) = cell_size(r);
    let tick_style = style::text(style::TICK, &INK);
    let mark = |v: f64, base: Option<f64>| {
        if base == Some(v) {
            format!("{}*", value(v))
        } else {
            value(v)
        }
    };
    let row_labels: Vec<String> =
        r.x.values
            .iter()
            .map(|&v| mark(v, r.x.base_value))
            .collect();
    let widest = row_labels
        .iter()
        .map(|l| style::text_width(l, &tick_style))
        .max()
        .unwrap_or(0);
    // Above the grid, which input runs down and which across; then the grid with its row
    // labels to the left and column labels above.
    let key = style::anchored(style::text(style::LABEL, &INK), HPos::Left, VPos::Top);
    let key_bold = style::anchored(style::bold(style::LABEL, &INK), HPos::Left, VPos::Top);
    for (k, (what, path)) in [("Rows: ", &r.x.path), ("Columns: ", &r.y.path)]
        .into_iter()
        .enumerate()
    {
        let y = top + 10 + 26 * k as i32;
        root.draw_text(what, &key, (style::SIDE, y))?;
        let x = style::SIDE + style::text_width(what, &key);
        root.draw_text(path, &key_bold, (x + 4, y))?;
    }
    let x0 = style::SIDE + widest + 16;
    let y0 = top + 10 + KEY;
    let cell = |i: usize, j: usize| (x0 + j as i32 * cw, y0 + i as i32 * ch);

    let means: Vec<f64> = r.cells.iter().map(|c| c.metric.mean).collect();
    let lo = means.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = means.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let t = |v: f64| if hi > lo { (v - lo) / (hi - lo) } else { 0.5 };
    let texts: Vec<String> = means.iter().map(|&v| m.value(v)).collect();
    // Values go in the cells only if every one fits.
    let legible = ch >= 20
        && texts
            .iter()
            .all(|s| style::text_width(s, &style::text(style::TICK, &INK)) + 8 <= cw);
    for i in 0..rows {
        for j in 0..cols {
            let k = i * cols + j;
            let Some(c) = r.cells.get(k) else { continue };
            let (x, y) = cell(i, j);
            let colour = viridis(t(c.metric.mean));
            root.draw(&Rectangle::new([(x, y), (x + cw, y + ch)], colour.filled()))?;
            root.draw(&Rectangle::new(
                [(x, y), (x + cw, y + ch)],
                WHITE.stroke_width(1),
            ))?;
            if legible {
                let font = style::anchored(
                    style::text(style::TICK, ink_on(colour)),
                    HPos::Center,
                    VPos::Center,
                );
                root.draw_text(&texts[k], &font, (x + cw / 2, y + ch / 2))?;
            }
        }
    }
    // The scenario's own pair, outlined in black and white, which shows on any colour.
    if let Some((i, j)) = base_cell(r) {
        let (x, y) = cell(i, j);
        root.draw(&Rectangle::new(
            [(x + 2, y + 2), (x + cw - 2, y + ch - 2)],
            INK.stroke_width(4),
        ))?;
        root.draw(&Rectangle::new(
            [(x + 5, y + 5), (x + cw - 5, y + ch - 5)],
            WHITE.stroke_width(2),
        ))?;
    }

    let row_anchor = style::anchored(tick_style.clone(), HPos::Right, VPos::Center);
    for (i, label) in row_labels.iter().enumerate() {
        let (x, y) = cell(i, 0);
        root.draw_text(label, &row_anchor, (x - 8, y + ch / 2))?;
    }
    // Column labels in full if they fit their cells, else in millions or thousands, else
    // only every few columns.
    let col_anchor = style::anchored(tick_style.clone(), HPos::Center, VPos::Bottom);
    let fits = |labels: &[String], every: usize| {
        labels
            .iter()
            .all(|l| style::text_width(l, &tick_style) + 6 <= cw * every as i32)
    };
    let full: Vec<String> =
        r.y.values
            .iter()
            .map(|&v| mark(v, r.y.base_value))
            .collect();
    let short: Vec<String> = (r.y.values.iter())
        .map(|&v| {
            let star = if r.y.base_value == Some(v) { "*" } else { "" };
            format!("{}{star}", compact(v))
        })
        .collect();
    let (labels, every) = if fits(&full, 1) {
        (full, 1)
    } else {
        let every = (1..=cols.max(1))
            .find(|&k| fits(&short, k))
            .unwrap_or(cols.max(1));
        (short, every)
    };
    for (j, label) in labels.iter().enumerate().step_by(every) {
        let (x, y) = cell(0, j);
        root.draw_text(label, &col_anchor, (x + cw / 2, y - 6))?;
    }
    let grid_w = cols as i32 * cw;
    let grid_h = rows as i32 * ch;

    // The colour bar, right of the grid, with its caption above it and round ticks.
    let bx = x0 + grid_w + 40;
    let (by, bh) = (y0, grid_h.max(BAR_MIN));
    let steps = 60;
    for k in 0..steps {
        let (a, b) = (
            by + bh * k / steps,
            by + bh * (k + 1) / steps + i32::from(k + 1 < steps),
        );
        let tk = 1.0 - (f64::from(k) + 0.5) / f64::from(steps);
        root.draw(&Rectangle::new(
            [(bx, a), (bx + 22, b)],
            viridis(tk).filled(),
        ))?;
    }
    root.draw(&Rectangle::new(
        [(bx, by), (bx + 22, by + bh)],
        MUTED.stroke_width(1),
    ))?;
    let small = style::anchored(
        style::text(style::TICK - 1.0, &INK),
        HPos::Left,
        VPos::Bottom,
    );
    let caption = style::wrap(&m.axis(""), &small, CANVAS - style::SIDE - bx);
    for (k, line) in caption.iter().rev().enumerate() {
        root.draw_text(line, &small, (bx, by - 8 - 20 * k as i32))?;
    }
    let tick = style::anchored(
        style::text(style::TICK - 1.0, &INK),
        HPos::Left,
        VPos::Center,
    );
    let y_of = |v: f64| {
        let f = if hi > lo { (hi - v) / (hi - lo) } else { 0.5 };
        by + (f64::from(bh) * f).round() as i32
    };
    let step = super::fan::nice_step((hi - lo) * m.scale, 5) / m.scale;
    let ticks: Vec<f64> = if hi > lo {
        let first = (lo / step).ceil() as i64;
        let last = (hi / step).floor() as i64;
        (first..=last).map(|k| k as f64 * step).collect()
    } else {
        vec![lo]
    };
    for v in ticks {
        let y = y_of(v);
        root.draw(&PathElement::new(
            vec![(bx + 22, y), (bx + 27, y)],
            MUTED.stroke_width(1),
        ))?;
        root.draw_text(
            &style::value_label(v * m.scale, step * m.scale),
            &tick,
            (bx + 31, y),
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_values_keep_their_digits() {
        assert_eq!(compact(13e6), "13 M");
        assert_eq!(compact(2.5e6), "2.5 M");
        assert_eq!(compact(1.25e6), "1.25 M");
        assert_eq!(compact(25_000.0), "25 k");
        assert_eq!(compact(2_500.0), "2,500");
        assert_eq!(compact(-0.35), "-0.35");
        assert_eq!(compact(4e9), "4 G");
    }

    #[test]
    fn the_heat_scale_runs_dark_to_light() {
        assert_eq!(viridis(0.0), VIRIDIS[0]);
        assert_eq!(viridis(1.0), VIRIDIS[8]);
        assert_eq!(*ink_on(VIRIDIS[0]), WHITE);
        assert_eq!(*ink_on(VIRIDIS[8]), INK);
    }
}
