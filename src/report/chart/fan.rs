//! Fan charts: a daily quantity over the horizon as the band where 90 % of trials fall
//! (5-95 %), the band of the middle half (25-75 %) and the median line, with reference lines
//! and shaded days. The stock and the street price of each sink, the daily deliveries and
//! each fleet.

use plotters::element::DashedPathElement;
use plotters::prelude::*;

use plotters::style::text_anchor::{HPos, VPos};

use super::style::{self, Area, INK, MUTED, Mark};
use crate::calendar::Date;
use crate::report::RunResults;
use crate::report::table::grouped;
use crate::stats::DayStat;

/// Opacity of the outer band, and of the two bands over each other.
const OUTER: f64 = 0.18;
const INNER: f64 = 0.30;

pub(super) struct Fan<'a> {
    pub title: &'a str,
    pub subtitle: String,
    pub y_desc: String,
    pub stats: &'a [DayStat],
    /// Values are divided by this before plotting (litres to days of demand, to millions).
    pub scale: f64,
    pub colour: RGBColor,
    /// Draw the mean too, dashed.
    pub mean: bool,
    pub references: Vec<Reference>,
    shades: Vec<Shade>,
}

/// A horizontal dashed line, named in the legend.
pub(super) struct Reference {
    pub y: f64,
    pub legend: String,
    pub colour: RGBColor,
}

impl<'a> Fan<'a> {
    /// A fan of `stats` without shaded days.
    pub(super) fn plain(title: &'a str, stats: &'a [DayStat], colour: RGBColor) -> Self {
        Fan {
            title,
            subtitle: String::new(),
            y_desc: String::new(),
            stats,
            scale: 1.0,
            colour,
            mean: false,
            references: Vec::new(),
            shades: Vec::new(),
        }
    }
}

/// Days marked in a strip under the zero line: the shortage region.
struct Shade {
    days: Vec<usize>,
    colour: RGBAColor,
    label: String,
}

/// The stock of sink `sink` (0: the headline sink).
pub(super) fn draw_stock<DB: DrawingBackend>(
    root: &Area<DB>,
    r: &RunResults,
    sink: usize,
    title: &str,
) -> DrawResult<(), DB> {
    let (stock, demand) = (&r.sinks[sink].daily[0], r.sinks[sink].daily_demand_litres);
    let (scale, unit) = if demand > 0.0 {
        (demand, "days of normal demand")
    } else {
        (1e6, "million litres")
    };
    let empty_days = |test: fn(&DayStat) -> bool| -> Vec<usize> {
        (0..stock.len()).filter(|&d| test(&stock[d])).collect()
    };
    let fan = Fan {
        title,
        subtitle: format!(
            "{} · stock after each day's deliveries and sales; 1 day of normal demand = {} M litres",
            super::trials_note(r),
            grouped(demand / 1e6, 1)
        ),
        y_desc: format!("Stock, {unit}"),
        stats: stock,
        scale,
        colour: style::BLUE,
        mean: false,
        references: Vec::new(),
        shades: vec![
            Shade {
                days: empty_days(|s| s.p50 <= 0.0),
                colour: style::VERMILLION.mix(0.9),
                label: "Stock empty in half the trials or more".to_string(),
            },
            Shade {
                days: empty_days(|s| s.p5 <= 0.0 && s.p50 > 0.0),
                colour: style::VERMILLION.mix(0.35),
                label: "in 5-50 % of trials".to_string(),
            },
        ],
    };
    draw_fan(root, r, &fan)
}

/// The street price at sink `sink` (0: the headline sink).
pub(super) fn draw_price<DB: DrawingBackend>(
    root: &Area<DB>,
    r: &RunResults,
    sink: usize,
    title: &str,
) -> DrawResult<(), DB> {
    let cur = &r.currency;
    let price = &r.sinks[sink].daily[2];
    let mut references = vec![Reference {
        y: r.base_price,
        legend: format!("Official pump price, {} {cur}/L", grouped(r.base_price, 0)),
        colour: INK,
    }];
    // The model's ceiling explains a flat top, when the price gets near it.
    let ceiling = r.base_price * r.cap_multiple;
    if price.iter().any(|s| s.p95 >= 0.9 * ceiling) && r.cap_multiple > 1.0 {
        references.push(Reference {
            y: ceiling,
            legend: format!("Ceiling of the model, {} {cur}/L", grouped(ceiling, 0)),
            colour: MUTED,
        });
    }
    let fan = Fan {
        title,
        subtitle: format!(
            "{} · the informal price each day; it rises as the share of demand served falls",
            super::trials_note(r)
        ),
        y_desc: format!("Street price, {cur} per litre"),
        stats: price,
        scale: 1.0,
        colour: style::VERMILLION,
        mean: false,
        references,
        shades: Vec::new(),
    };
    draw_fan(root, r, &fan)
}

pub(super) fn draw_deliveries<DB: DrawingBackend>(
    root: &Area<DB>,
    r: &RunResults,
    title: &str,
) -> DrawResult<(), DB> {
    let demand = r.daily_demand_litres / 1e6;
    let fan = Fan {
        title,
        subtitle: format!(
            "{} · fuel unloaded at {} each day; convoys arrive in lumps",
            super::trials_note(r),
            r.sink
        ),
        y_desc: "Delivered, million litres per day".to_string(),
        stats: &r.daily[1],
        scale: 1e6,
        colour: style::GREEN,
        mean: true,
        references: vec![Reference {
            y: demand,
            legend: format!("Normal demand, {} M L a day", grouped(demand, 1)),
            colour: INK,
        }],
        shades: Vec::new(),
    };
    draw_fan(root, r, &fan)
}

pub(super) fn draw_fleet<DB: DrawingBackend>(
    root: &Area<DB>,
    r: &RunResults,
    i: usize,
    title: &str,
) -> DrawResult<(), DB> {
    let fleet = &r.fleets[i];
    let fan = Fan {
        title,
        subtitle: format!(
            "{} · tankers of the stream not destroyed, at the end of each day",
            super::trials_note(r)
        ),
        y_desc: "Tankers in the fleet".to_string(),
        stats: &fleet.alive,
        scale: 1.0,
        colour: style::PURPLE,
        mean: true,
        references: vec![Reference {
            y: f64::from(fleet.fleet),
            legend: format!("Fleet at the start, {}", grouped(f64::from(fleet.fleet), 0)),
            colour: INK,
        }],
        shades: Vec::new(),
    };
    draw_fan(root, r, &fan)
}

pub(super) fn draw_fan<DB: DrawingBackend>(
    root: &Area<DB>,
    r: &RunResults,
    fan: &Fan,
) -> DrawResult<(), DB> {
    let mut legend = vec![
        (
            Mark::Band(fan.colour.mix(OUTER)),
            "5-95 % of trials".to_string(),
        ),
        (
            Mark::Band(fan.colour.mix(1.0 - (1.0 - OUTER) * (1.0 - INNER))),
            "25-75 %".to_string(),
        ),
        (Mark::Line(fan.colour, 3), "Median".to_string()),
    ];
    if fan.mean {
        legend.push((Mark::Line(INK, 1), "Mean".to_string()));
    }
    for reference in &fan.references {
        legend.push((Mark::Dashed(reference.colour, 2), reference.legend.clone()));
    }
    for shade in fan.shades.iter().filter(|s| !s.days.is_empty()) {
        legend.push((Mark::Band(shade.colour), shade.label.clone()));
    }
    let top = style::draw_header(root, fan.title, &fan.subtitle, &legend)?;

    let days = fan.stats.len();
    let x_end = days.max(2) as f64 - 1.0;
    let y = |v: f64| v / fan.scale;
    let highest = fan
        .stats
        .iter()
        .map(|s| s.p95.max(s.mean))
        .chain(fan.references.iter().map(|x| x.y * fan.scale))
        .fold(0.0, f64::max);
    let lowest = y(fan.stats.iter().map(|s| s.p5).fold(0.0, f64::min));
    let y_max = style::axis_top(y(highest), 0.1);
    // The shortage strip sits under the zero line, outside the values' range.
    let strip = if fan.shades.is_empty() {
        0.0
    } else {
        (y_max - lowest) * 0.07
    };
    let y_min = lowest - strip;
    let start = r.start_date.as_deref().and_then(Date::parse);
    let horizon = r.horizon_days;

    let mut chart = ChartBuilder::on(root)
        .margin_top(top + 10)
        .margin_left(style::SIDE)
        .margin_right(style::SIDE + 10)
        .margin_bottom(10)
        .x_label_area_size(64)
        .y_label_area_size(100)
        .build_cartesian_2d(-0.5..x_end + 0.5, y_min..y_max)?;
    let step = nice_step(y_max - y_min, 7);
    let y_label = |v: &f64| {
        if *v < lowest - step * 1e-6 {
            String::new()
        } else {
            style::value_label(*v, step)
        }
    };
    style::house_mesh(&mut chart.configure_mesh(), style::Values::Up)
        .x_labels(0)
        .y_labels(8)
        .y_label_formatter(&y_label)
        .x_desc(style::day_axis(start, horizon))
        .y_desc(fan.y_desc.as_str())
        .draw()?;
    style::draw_day_ticks(root, start, horizon, |d| chart.backend_coord(&(d, y_min)))?;

    if !fan.shades.is_empty() {
        let (x, mid) = chart.backend_coord(&(-0.5, (y_min + lowest) / 2.0));
        let label = style::anchored(style::text(style::TICK, &MUTED), HPos::Right, VPos::Center);
        root.draw_text("empty", &label, (x - 10, mid))?;
        let strip_area = [(-0.5, y_min), (x_end + 0.5, lowest)];
        chart.draw_series(std::iter::once(Rectangle::new(
            strip_area,
            style::GRID.mix(0.6).filled(),
        )))?;
    }
    for shade in &fan.shades {
        chart.draw_series(runs(&shade.days).into_iter().map(|(a, b)| {
            Rectangle::new(
                [(a as f64 - 0.5, y_min), (b as f64 - 0.5, lowest)],
                shade.colour.filled(),
            )
        }))?;
    }
    let band = |lo: fn(&DayStat) -> f64, hi: fn(&DayStat) -> f64| -> Vec<(f64, f64)> {
        let upper = fan
            .stats
            .iter()
            .enumerate()
            .map(|(d, s)| (d as f64, y(hi(s))));
        let lower = fan
            .stats
            .iter()
            .enumerate()
            .rev()
            .map(|(d, s)| (d as f64, y(lo(s))));
        upper.chain(lower).collect()
    };
    chart.draw_series(std::iter::once(Polygon::new(
        band(|s| s.p5, |s| s.p95),
        fan.colour.mix(OUTER).filled(),
    )))?;
    chart.draw_series(std::iter::once(Polygon::new(
        band(|s| s.p25, |s| s.p75),
        fan.colour.mix(INNER).filled(),
    )))?;

    chart.draw_series(std::iter::once(PathElement::new(
        vec![(-0.5, 0.0), (x_end + 0.5, 0.0)],
        INK.stroke_width(if fan.shades.is_empty() { 1 } else { 2 }),
    )))?;
    for reference in &fan.references {
        chart.draw_series(std::iter::once(DashedPathElement::new(
            vec![(-0.5, reference.y), (x_end + 0.5, reference.y)],
            8,
            5,
            reference.colour.stroke_width(2),
        )))?;
    }

    let line = |pick: fn(&DayStat) -> f64| -> Vec<(f64, f64)> {
        fan.stats
            .iter()
            .enumerate()
            .map(|(d, s)| (d as f64, y(pick(s))))
            .collect()
    };
    chart.draw_series(std::iter::once(PathElement::new(
        line(|s| s.p50),
        fan.colour.stroke_width(3),
    )))?;
    if fan.mean {
        chart.draw_series(std::iter::once(PathElement::new(
            line(|s| s.mean),
            INK.stroke_width(1),
        )))?;
    }
    Ok(())
}

/// Runs of consecutive days, as half-open ranges: [1, 2, 3, 7] -> [(1, 4), (7, 8)].
pub(super) fn runs(days: &[usize]) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    for &d in days {
        match out.last_mut() {
            Some(run) if run.1 == d => run.1 = d + 1,
            _ => out.push((d, d + 1)),
        }
    }
    out
}

/// A round step (1, 2 or 5 times a power of ten) that cuts `span` into at most `n` parts.
pub(super) fn nice_step(span: f64, n: usize) -> f64 {
    if span <= 0.0 || !span.is_finite() {
        return 1.0;
    }
    let raw = span / n as f64;
    let power = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|&s| s >= raw)
        .unwrap_or(10.0 * power)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_group_consecutive_days() {
        assert_eq!(runs(&[1, 2, 3, 7]), [(1, 4), (7, 8)]);
        assert_eq!(runs(&[]), []);
    }

    #[test]
    fn nice_steps_are_round() {
        assert_eq!(nice_step(7.0, 7), 1.0);
        assert_eq!(nice_step(5000.0, 7), 1000.0);
        assert_eq!(nice_step(0.9, 7), 0.2);
        assert_eq!(nice_step(0.0, 7), 1.0);
    }
}
