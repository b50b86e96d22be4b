//! The charts of a sink's demand classes and of a staging point: the share of each class's
//! normal demand served day by day, one line per class, so that a reader sees at once who
//! kept their fuel and who was rationed; and a staging point's queue of tankers waiting for
//! an escort (a fan) over the escorted convoys leaving it each day (bars).

use plotters::element::DashedPathElement;
use plotters::prelude::*;

use super::fan::{self, Fan};
use super::style::{self, Area, INK, Mark};
use crate::calendar::Date;
use crate::report::table::grouped;
use crate::report::{ClassResult, RunResults};

/// The share of normal demand each class of sink `j` received, by day (mean over trials).
pub(super) fn draw_served<DB: DrawingBackend>(
    root: &Area<DB>,
    r: &RunResults,
    j: usize,
    title: &str,
) -> DrawResult<(), DB> {
    let sink = &r.sinks[j];
    let mut legend: Vec<(Mark, String)> = sink
        .classes
        .iter()
        .enumerate()
        .map(|(k, c)| (Mark::Line(style::series(k), 3), class_label(c)))
        .collect();
    legend.push((Mark::Dashed(INK, 2), "All classes".to_string()));
    let subtitle = format!(
        "{} · mean share of each class's normal demand released each day; a ration or a lower priority shows as a fall",
        super::trials_note(r)
    );
    let top = style::draw_header(root, title, &subtitle, &legend)?;
    let start = r.start_date.as_deref().and_then(Date::parse);
    let days = sink.daily[3].len();
    let x_end = days.max(2) as f64 - 1.0;
    let mut chart = ChartBuilder::on(root)
        .margin_top(top + 10)
        .margin_left(style::SIDE)
        .margin_right(style::SIDE + 10)
        .margin_bottom(10)
        .x_label_area_size(64)
        .y_label_area_size(100)
        .build_cartesian_2d(-0.5..x_end + 0.5, 0.0..105.0)?;
    style::house_mesh(&mut chart.configure_mesh(), style::Values::Up)
        .x_labels(0)
        .y_labels(6)
        .y_label_formatter(&|v: &f64| format!("{v:.0} %"))
        .x_desc(style::day_axis(start, r.horizon_days))
        .y_desc("Share of normal demand served")
        .draw()?;
    style::draw_day_ticks(root, start, r.horizon_days, |d| {
        chart.backend_coord(&(d, 0.0))
    })?;
    let line = |values: &mut dyn Iterator<Item = f64>| -> Vec<(f64, f64)> {
        values
            .enumerate()
            .map(|(d, v)| (d as f64, 100.0 * v))
            .collect()
    };
    chart.draw_series(std::iter::once(DashedPathElement::new(
        line(&mut sink.daily[3].iter().map(|s| s.mean)),
        8,
        5,
        INK.stroke_width(2),
    )))?;
    for (k, c) in sink.classes.iter().enumerate() {
        chart.draw_series(std::iter::once(PathElement::new(
            line(&mut c.served.iter().copied()),
            style::series(k).stroke_width(3),
        )))?;
    }
    Ok(())
}

/// "retail (priority 2, rationed)": what sets a class's place in the queue for fuel.
fn class_label(c: &ClassResult) -> String {
    let mut notes = vec![format!("priority {}", c.priority)];
    if c.rationed {
        notes.push("rationed".to_string());
    }
    if !c.street {
        notes.push("off the street".to_string());
    }
    format!("{} ({})", c.name, notes.join(", "))
}

/// Staging point `p`: the tankers waiting at the end of each day, over the escorted convoys
/// that left each day.
pub(super) fn draw_staging<DB: DrawingBackend>(
    root: &Area<DB>,
    r: &RunResults,
    p: usize,
    title: &str,
) -> DrawResult<(), DB> {
    let point = &r.staging[p];
    let height = root.dim_in_pixel().1;
    let (upper, lower) = root.split_vertically(height * 70 / 100);
    let units = grouped(f64::from(point.units), 0);
    let mut queue = Fan::plain(title, &point.queue, style::ORANGE);
    queue.subtitle = format!(
        "{} · tankers waiting at the end of each day; {units} escort unit{} of up to {} tankers, {} escorted convoys and a mean wait of {} days per trial",
        super::trials_note(r),
        if point.units == 1 { "" } else { "s" },
        grouped(f64::from(point.max_tankers), 0),
        grouped(point.mean("escorted_convoys"), 1),
        grouped(point.mean("wait_days"), 1),
    );
    queue.y_desc = "Tankers waiting".to_string();
    queue.mean = true;
    fan::draw_fan(&upper, r, &queue)?;
    draw_convoys(&lower, r, &point.formed)
}

/// Bars of the mean number of escorted convoys leaving each day.
fn draw_convoys<DB: DrawingBackend>(
    area: &Area<DB>,
    r: &RunResults,
    formed: &[f64],
) -> DrawResult<(), DB> {
    let start = r.start_date.as_deref().and_then(Date::parse);
    let x_end = formed.len().max(2) as f64 - 1.0;
    let top = formed.iter().copied().fold(0.0, f64::max);
    let y_max = style::axis_top(top.max(0.1), 0.15);
    let mut chart = ChartBuilder::on(area)
        .margin_top(14)
        .margin_left(style::SIDE)
        .margin_right(style::SIDE + 10)
        .margin_bottom(10)
        .x_label_area_size(40)
        .y_label_area_size(100)
        .build_cartesian_2d(-0.5..x_end + 0.5, 0.0..y_max)?;
    let step = fan::nice_step(y_max, 3);
    style::house_mesh(&mut chart.configure_mesh(), style::Values::Up)
        .x_labels(0)
        .y_labels(4)
        .y_label_formatter(&|v: &f64| style::value_label(*v, step))
        .y_desc("Convoys leaving")
        .draw()?;
    // The chart's coordinates are the canvas's; the area draws from its own corner.
    let (x0, y0) = area.get_base_pixel();
    style::draw_day_ticks(area, start, r.horizon_days, |d| {
        let (x, y) = chart.backend_coord(&(d, 0.0));
        (x - x0, y - y0)
    })?;
    chart.draw_series(formed.iter().enumerate().map(|(d, &n)| {
        let d = d as f64;
        Rectangle::new([(d - 0.4, 0.0), (d + 0.4, n)], style::BLUE.filled())
    }))?;
    let label = style::anchored(
        style::text(style::TICK, &INK),
        plotters::style::text_anchor::HPos::Left,
        plotters::style::text_anchor::VPos::Top,
    );
    area.draw_text(
        "Escorted convoys leaving each day (mean over trials)",
        &label,
        (style::SIDE + 110, 4),
    )
}
