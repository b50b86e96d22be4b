//! The heat map of `corridor sweep --grid`: the metric over every pair of values of two
//! inputs, the first down and the second across as in the printed table, with a colour bar,
//! the values in the cells when they fit, and the scenario's own pair outlined.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::analysis::MetricUnit;
use super::style::{self, Area, INK, MUTED};
use super::sweep::{trials_note, value};
use crate::analysis::sweep::GridResults;
use crate::report::table::grouped;

const CANVAS: i32 = 1000;

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

pub(super) fn size(r: &GridResults, title: &str) -> (u32, u32) {
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

pub(super) fn draw<DB: DrawingBackend>(
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

/// A value in few characters: "13 M" for 13,000,000, "2.5 k" for 2,500.
fn compact(v: f64) -> String {
    let short = |x: f64, unit: &str| {
        let digits = if x.fract() == 0.0 {
            0
        } else if (x * 10.0).fract() == 0.0 {
            1
        } else {
            2
        };
        format!("{} {unit}", grouped(x, digits))
    };
    match v.abs() {
        a if a >= 1e9 => short(v / 1e9, "G"),
        a if a >= 1e6 => short(v / 1e6, "M"),
        a if a >= 1e4 => short(v / 1e3, "k"),
        _ => value(v),
    }
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
