//! The map's furniture: meridians and parallels, the scale bar and the legend column.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::{COUNTRY, Kind, Look, Projection, ScaleLegend, borders, colour_at, draw_node};
use crate::report::chart::style::{self, Area, INK, MUTED};
use crate::report::table::grouped;

/// The width of the legend column's text.
const TEXT_WIDTH: i32 = 226;

/// Meridians and parallels every 5 degrees, labelled at the frame's edge.
pub(super) fn draw_graticule<DB: DrawingBackend>(
    root: &Area<DB>,
    proj: &Projection,
    from: (i32, i32),
    to: (i32, i32),
) -> DrawResult<(), DB> {
    let line = style::GRID.stroke_width(1);
    let tick = style::text(style::TICK - 2.0, &MUTED);
    let lon_at = |x: i32| (f64::from(x - proj.origin.0) / proj.px_per_unit + proj.x0) / proj.k;
    let lat_at = |y: i32| proj.y1 - f64::from(y - proj.origin.1) / proj.px_per_unit;
    let (lon_lo, lon_hi) = (lon_at(from.0), lon_at(to.0));
    let (lat_lo, lat_hi) = (lat_at(to.1), lat_at(from.1));
    let mut lon = (lon_lo / 5.0).ceil() * 5.0;
    while lon <= lon_hi {
        let x = proj.pixel(lon, 0.0).0;
        root.draw(&PathElement::new(vec![(x, from.1), (x, to.1)], line))?;
        let label = style::anchored(tick.clone(), HPos::Center, VPos::Top);
        root.draw_text(&degrees(lon, 'E', 'W'), &label, (x, from.1 + 4))?;
        lon += 5.0;
    }
    let mut lat = (lat_lo / 5.0).ceil() * 5.0;
    while lat <= lat_hi {
        let y = proj.pixel(0.0, lat).1;
        root.draw(&PathElement::new(vec![(from.0, y), (to.0, y)], line))?;
        let label = style::anchored(tick.clone(), HPos::Right, VPos::Bottom);
        root.draw_text(&degrees(lat, 'N', 'S'), &label, (to.0 - 4, y - 2))?;
        lat += 5.0;
    }
    Ok(())
}

fn degrees(v: f64, positive: char, negative: char) -> String {
    if v == 0.0 {
        "0°".to_string()
    } else if v > 0.0 {
        format!("{v}°{positive}")
    } else {
        format!("{}°{negative}", -v)
    }
}

/// A black and white bar of a round length, about a fifth of the map's width.
pub(super) fn draw_scale_bar<DB: DrawingBackend>(
    root: &Area<DB>,
    proj: &Projection,
    (x, y): (i32, i32),
    frame_width: i32,
) -> DrawResult<(), DB> {
    let wanted = f64::from(frame_width) / 5.0;
    let km = [50.0, 100.0, 200.0, 250.0, 500.0, 1000.0, 2000.0, 5000.0]
        .into_iter()
        .min_by(|a, b| {
            (proj.km_to_px(*a) - wanted)
                .abs()
                .total_cmp(&(proj.km_to_px(*b) - wanted).abs())
        })
        .unwrap_or(100.0);
    let len = proj.km_to_px(km).round() as i32;
    let half = len / 2;
    root.draw(&Rectangle::new([(x, y), (x + half, y + 8)], INK.filled()))?;
    root.draw(&Rectangle::new(
        [(x + half, y), (x + len, y + 8)],
        WHITE.filled(),
    ))?;
    root.draw(&Rectangle::new(
        [(x, y), (x + len, y + 8)],
        INK.stroke_width(1),
    ))?;
    let label = style::anchored(
        style::text(style::TICK - 1.0, &INK),
        HPos::Center,
        VPos::Top,
    );
    root.draw_text("0", &label, (x, y + 12))?;
    root.draw_text(&grouped(km / 2.0, 0), &label, (x + half, y + 12))?;
    root.draw_text(&format!("{} km", grouped(km, 0)), &label, (x + len, y + 12))
}

/// The height the legend takes: it is drawn off the page, into a string, so that the
/// measure and the drawing cannot disagree.
pub(super) fn height(
    scale: Option<&ScaleLegend>,
    others: &[(Look, String)],
    staging: bool,
    geography: bool,
) -> i32 {
    let mut scratch = String::new();
    let root = SVGBackend::with_string(&mut scratch, (400, 4000)).into_drawing_area();
    draw_legend(&root, (0, 0), scale, others, staging, geography).unwrap_or(0)
}

/// Draws the legend from its top left corner; returns the bottom of its last line.
pub(super) fn draw_legend<DB: DrawingBackend>(
    root: &Area<DB>,
    (x, mut y): (i32, i32),
    scale: Option<&ScaleLegend>,
    others: &[(Look, String)],
    staging: bool,
    geography: bool,
) -> DrawResult<i32, DB> {
    let heading = style::anchored(style::bold(style::LABEL, &INK), HPos::Left, VPos::Top);
    let body = style::anchored(style::text(style::TICK, &INK), HPos::Left, VPos::Center);
    let small = style::anchored(
        style::text(style::TICK - 1.5, &MUTED),
        HPos::Left,
        VPos::Top,
    );
    root.draw_text("Roads", &heading, (x, y))?;
    y += 30;
    let road = |look: Look, label: &str, y: i32| -> DrawResult<(), DB> {
        root.draw(&PathElement::new(vec![(x, y), (x + 26, y)], look.stroke()))?;
        root.draw_text(label, &body, (x + 34, y))
    };
    if let Some(scale) = scale {
        for line in style::wrap(&scale.caption, &small, TEXT_WIDTH) {
            root.draw_text(&line, &small, (x, y))?;
            y += 20;
        }
        y += 4;
        let (bar_w, steps) = (200, 50);
        for k in 0..steps {
            let t = (f64::from(k) + 0.5) / f64::from(steps);
            let x0 = x + bar_w * k / steps;
            // Each step overlaps the next by a pixel, so no seam shows between them.
            let x1 = x + bar_w * (k + 1) / steps + i32::from(k + 1 < steps);
            root.draw(&Rectangle::new(
                [(x0, y), (x1, y + 14)],
                colour_at(t).filled(),
            ))?;
        }
        let tick = style::anchored(
            style::text(style::TICK - 1.5, &INK),
            HPos::Center,
            VPos::Top,
        );
        for (k, label) in scale.ticks.iter().enumerate() {
            root.draw_text(label, &tick, (x + bar_w * k as i32 / 2, y + 18))?;
        }
        y += 48;
        for (look, label) in others {
            road(*look, label, y)?;
            y += 30;
        }
        y += 10;
    } else {
        for (look, label) in others {
            road(*look, label, y + 8)?;
            y += 30;
        }
        y += 18;
    }
    root.draw_text("Places", &heading, (x, y))?;
    y += 36;
    let places = [
        (Kind::Sink, "The sink (where fuel is needed)"),
        (Kind::Staging, "Staging point for escorts"),
        (Kind::Port, "Sea port"),
        (Kind::Source, "Where a convoy stream starts"),
        (Kind::Other, "Town or border post"),
    ];
    for (kind, label) in places
        .into_iter()
        .filter(|(kind, _)| staging || *kind != Kind::Staging)
    {
        draw_node(root, kind, (x + 13, y))?;
        root.draw_text(label, &body, (x + 34, y))?;
        y += 30;
    }
    y += 10;
    let country = style::anchored(style::bold(22.0, &COUNTRY), HPos::Left, VPos::Center);
    root.draw_text("ML", &country, (x, y))?;
    root.draw_text("Country (ISO code)", &body, (x + 46, y))?;
    y += 34;
    if geography {
        root.draw(&borders::border_line(vec![(x, y), (x + 34, y)]))?;
        root.draw_text("Country border", &body, (x + 46, y))?;
        y += 34;
    }
    let mut note = "Equirectangular projection; roads drawn straight between places.".to_string();
    if geography {
        note += " Borders and coast: Natural Earth.";
    }
    for line in style::wrap(&note, &small, TEXT_WIDTH) {
        root.draw_text(&line, &small, (x, y))?;
        y += 20;
    }
    Ok(y)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn degrees_name_their_hemisphere() {
        assert_eq!(degrees(-15.0, 'E', 'W'), "15°W");
        assert_eq!(degrees(10.0, 'N', 'S'), "10°N");
        assert_eq!(degrees(0.0, 'N', 'S'), "0°");
    }
}
