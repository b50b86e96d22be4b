//! The corridor map: nodes at their longitude and latitude (equirectangular, true to scale
//! at the map's middle latitude), roads drawn straight between them and coloured by a value
//! per road, the sink, ports and convoy sources labelled, country codes, a legend and a
//! scale bar, over the land, coast and borders of `borders`. What the roads show is a [`MapView`]: a run's map colours them by the tankers
//! destroyed on them ([`run_view`]), the criticality map by the value of securing them.

use plotters::prelude::*;

mod borders;
mod labels;
mod legend;

use super::style::{self, Area, INK, MUTED};
use crate::report::table::grouped;
use crate::report::{EdgeResult, NodeInfo, RunResults};
use labels::Labels;

/// Kilometres per degree of latitude (and of longitude at the equator).
const KM_PER_DEGREE: f64 = 111.2;
/// The width of the legend column.
const LEGEND: i32 = 250;
/// The canvas width, and the height of the header above the map.
const WIDTH: i32 = 1000;
const HEADER: i32 = 86;

/// What a map shows: the places, and each road with its look.
pub(in crate::report::chart) struct MapView<'a> {
    pub nodes: &'a [NodeInfo],
    /// Index into `nodes`.
    pub sink: Option<usize>,
    /// Indices into `nodes` of where convoy streams start.
    pub sources: Vec<usize>,
    /// Indices into `nodes` of the sinks after the headline one.
    pub other_sinks: Vec<usize>,
    /// Staging points: the index into `nodes` and the escort units based there.
    pub staging: Vec<(usize, u32)>,
    pub roads: Vec<Road>,
    pub subtitle: String,
    /// The colour scale's legend, when roads are coloured on it.
    pub scale: Option<ScaleLegend>,
    /// The other looks of road in the legend, in order, with their labels.
    pub others: Vec<(Look, String)>,
}

/// A road between two of the view's nodes.
pub(in crate::report::chart) struct Road {
    pub from: usize,
    pub to: usize,
    pub look: Look,
}

/// How a road is drawn.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(in crate::report::chart) enum Look {
    /// On the colour scale, at this share of its top, in [0, 1]: wider and darker as it grows.
    Scaled(f64),
    /// Grey: a road with nothing to show.
    Quiet,
    /// Thin and light: a road that plays no part.
    Faint,
    /// Blue, off the scale: a value against the scale's direction.
    Against,
}

impl Look {
    /// Drawing order: the quiet roads first, the top of the scale last, so it stays on top.
    fn weight(self) -> f64 {
        match self {
            Look::Faint => -3.0,
            Look::Quiet => -2.0,
            Look::Against => -1.0,
            Look::Scaled(t) => t,
        }
    }

    fn stroke(self) -> ShapeStyle {
        match self {
            Look::Scaled(t) => colour_at(t).stroke_width(road_width(t)),
            Look::Quiet => style::QUIET.stroke_width(2),
            Look::Faint => style::QUIET.mix(0.6).stroke_width(1),
            Look::Against => style::SKY.stroke_width(4),
        }
    }
}

/// The colour scale in the legend: a caption and the labels of its bottom, middle and top.
pub(in crate::report::chart) struct ScaleLegend {
    pub caption: String,
    pub ticks: [String; 3],
}

/// The map's frame: as wide as the canvas allows, as tall as the network's shape needs
/// (within bounds that keep the page readable), and never shorter than the legend beside it.
fn frame_size(view: &MapView) -> (i32, i32) {
    let w = WIDTH - 2 * style::SIDE - LEGEND - 16;
    let points: Vec<(f64, f64)> = view.nodes.iter().map(|n| (n.lon, n.lat)).collect();
    let (dx, dy) = Projection::extent(&points);
    let h = (f64::from(w) * dy / dx).round() as i32;
    let legend = legend::height(
        view.scale.as_ref(),
        &view.others,
        !view.staging.is_empty(),
        borders::reaches(&points),
    );
    let legend = legend + LEGEND_TOP + 8;
    (w, h.clamp(460.max(legend), 900.max(legend)))
}

/// How far below the frame's top the legend starts.
const LEGEND_TOP: i32 = 6;

/// Where the frame starts: under the header, which takes more room when a long title or
/// subtitle wraps.
fn frame_top(view: &MapView, title: &str) -> i32 {
    HEADER.max(style::header_height(WIDTH, title, &view.subtitle) + 4)
}

/// The canvas height a map needs.
pub(in crate::report::chart) fn height(view: &MapView, title: &str) -> u32 {
    (frame_top(view, title) + frame_size(view).1 + 20) as u32
}

/// The canvas height a run's map needs.
pub(super) fn canvas_height(r: &RunResults) -> u32 {
    height(&run_view(r), &format!("{}: {}", r.scenario, title(r)))
}

/// A sequential scale from light orange to dark brown (ColorBrewer YlOrBr, without its
/// palest steps so that every road stands out on white): luminance falls monotonically, so
/// it reads the same with any colour blindness and in grey.
const SCALE: [RGBColor; 5] = [
    RGBColor(0xFE, 0xC4, 0x4F),
    RGBColor(0xFE, 0x99, 0x29),
    RGBColor(0xEC, 0x70, 0x14),
    RGBColor(0xCC, 0x4C, 0x02),
    RGBColor(0x8C, 0x2D, 0x04),
];

const COUNTRY: RGBColor = RGBColor(0xC9, 0xC9, 0xC9);

/// The colour of a road at `t` in [0, 1] of the scale.
fn colour_at(t: f64) -> RGBColor {
    let t = t.clamp(0.0, 1.0) * (SCALE.len() - 1) as f64;
    let k = (t.floor() as usize).min(SCALE.len() - 2);
    let f = t - k as f64;
    let (a, b) = (SCALE[k], SCALE[k + 1]);
    let mix = |x: u8, y: u8| (f64::from(x) + (f64::from(y) - f64::from(x)) * f).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

fn road_width(t: f64) -> u32 {
    3 + (5.0 * t).round() as u32
}

/// Longitude and latitude to pixels, keeping kilometres equal in both directions at the
/// middle latitude.
struct Projection {
    k: f64,
    x0: f64,
    y1: f64,
    px_per_unit: f64,
    origin: (i32, i32),
}

/// The bounds of points: (lon min, lon max, lat min, lat max), and the scale of longitude.
fn bounds(points: &[(f64, f64)]) -> (f64, f64, f64, f64, f64) {
    let lo = |f: fn(&(f64, f64)) -> f64| points.iter().map(f).fold(f64::INFINITY, f64::min);
    let hi = |f: fn(&(f64, f64)) -> f64| points.iter().map(f).fold(f64::NEG_INFINITY, f64::max);
    let (lat_lo, lat_hi) = (lo(|p| p.1), hi(|p| p.1));
    let k = ((lat_lo + lat_hi) / 2.0).to_radians().cos().max(0.1);
    (lo(|p| p.0) * k, hi(|p| p.0) * k, lat_lo, lat_hi, k)
}

impl Projection {
    /// The width and height of the projected points with their padding.
    fn extent(points: &[(f64, f64)]) -> (f64, f64) {
        let (x_lo, x_hi, lat_lo, lat_hi, _) = bounds(points);
        let pad = 0.07 * (x_hi - x_lo).max(lat_hi - lat_lo).max(1.0);
        (x_hi - x_lo + 2.0 * pad, lat_hi - lat_lo + 2.0 * pad)
    }

    fn fit(points: &[(f64, f64)], origin: (i32, i32), (w, h): (i32, i32)) -> Projection {
        let (x_lo, x_hi, lat_lo, lat_hi, k) = bounds(points);
        let (dx, dy) = Projection::extent(points);
        let px_per_unit = (f64::from(w) / dx).min(f64::from(h) / dy);
        // Centre the data in the frame.
        let x0 = (x_lo + x_hi) / 2.0 - f64::from(w) / px_per_unit / 2.0;
        let y1 = (lat_lo + lat_hi) / 2.0 + f64::from(h) / px_per_unit / 2.0;
        Projection {
            k,
            x0,
            y1,
            px_per_unit,
            origin,
        }
    }

    fn pixel(&self, lon: f64, lat: f64) -> (i32, i32) {
        let x = (lon * self.k - self.x0) * self.px_per_unit;
        let y = (self.y1 - lat) * self.px_per_unit;
        (
            self.origin.0 + x.round() as i32,
            self.origin.1 + y.round() as i32,
        )
    }

    fn km_to_px(&self, km: f64) -> f64 {
        km / KM_PER_DEGREE * self.px_per_unit
    }
}

/// What the roads are coloured by: tankers destroyed, or attacks when no attack ever
/// destroyed anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Measure {
    TankersLost,
    Attacks,
}

impl Measure {
    /// The measure for a run; `None` when no trial saw an attack.
    fn of(r: &RunResults) -> Option<Measure> {
        let total = |m: Measure| r.edges.iter().map(|e| m.value(e)).sum::<f64>();
        [Measure::TankersLost, Measure::Attacks]
            .into_iter()
            .find(|&m| total(m) > 0.0)
    }

    fn value(self, e: &EdgeResult) -> f64 {
        match self {
            Measure::TankersLost => e.tankers_lost_mean,
            Measure::Attacks => e.attacks_mean,
        }
    }

    /// "tankers destroyed", "attacks".
    fn noun(self) -> &'static str {
        match self {
            Measure::TankersLost => "tankers destroyed",
            Measure::Attacks => "attacks",
        }
    }
}

/// The title of a run's map: what it shows for this run.
pub(super) fn title(r: &RunResults) -> String {
    match Measure::of(r) {
        Some(Measure::TankersLost) => "Where tankers were destroyed",
        Some(Measure::Attacks) => "Where convoys were attacked",
        None => "The corridors",
    }
    .to_string()
}

/// A run's roads, coloured by the tankers destroyed on them (or by attacks).
pub(super) fn run_view(r: &RunResults) -> MapView<'_> {
    let measure = Measure::of(r);
    let value = |e: &EdgeResult| measure.map_or(0.0, |m| m.value(e));
    let top_value = r.edges.iter().map(value).fold(0.0, f64::max);
    let roads = r
        .edges
        .iter()
        .map(|e| Road {
            from: e.from,
            to: e.to,
            look: match value(e) {
                v if v > 0.0 => Look::Scaled(v / top_value),
                _ => Look::Quiet,
            },
        })
        .collect();
    let sink = r
        .nodes
        .iter()
        .position(|n| crate::report::place_name(&n.name) == r.sink);
    let sources = (0..r.nodes.len())
        .filter(|&i| r.streams.iter().any(|s| s.from == r.nodes[i].id))
        .collect();
    let (subtitle, scale, none) = match measure {
        Some(m) => {
            let decimals = if top_value >= 10.0 { 0 } else { 1 };
            let tick = |v: f64| grouped(v, decimals);
            (
                format!(
                    "{} · each road coloured by the mean number of {} on it per trial",
                    super::trials_note(r),
                    m.noun()
                ),
                Some(ScaleLegend {
                    caption: format!("Mean {} per trial", m.noun()),
                    ticks: [tick(0.0), tick(top_value / 2.0), tick(top_value)],
                }),
                "None",
            )
        }
        None => (
            format!(
                "{} · no convoy was attacked in any trial",
                super::trials_note(r)
            ),
            None,
            "No attacks",
        ),
    };
    let index = |id: &str| r.nodes.iter().position(|n| n.id == id);
    let other_sinks = r
        .sinks
        .iter()
        .skip(1)
        .filter_map(|s| index(&s.node))
        .collect();
    let staging = r
        .staging
        .iter()
        .filter_map(|p| Some((index(&p.node)?, p.units)))
        .collect();
    MapView {
        nodes: &r.nodes,
        sink,
        sources,
        other_sinks,
        staging,
        roads,
        subtitle,
        scale,
        others: vec![(Look::Quiet, none.to_string())],
    }
}

pub(super) fn draw_map<DB: DrawingBackend>(
    root: &Area<DB>,
    r: &RunResults,
    title: &str,
) -> DrawResult<(), DB> {
    draw_view(root, &run_view(r), title)
}

/// Draws a map of `view` under `title`.
pub(in crate::report::chart) fn draw_view<DB: DrawingBackend>(
    root: &Area<DB>,
    view: &MapView,
    title: &str,
) -> DrawResult<(), DB> {
    let nodes = view.nodes;
    style::draw_header(root, title, &view.subtitle, &[])?;
    let frame = (style::SIDE, frame_top(view, title));
    let frame_size = frame_size(view);
    let points: Vec<(f64, f64)> = nodes.iter().map(|n| (n.lon, n.lat)).collect();
    let proj = Projection::fit(&points, frame, frame_size);
    let frame_end = (frame.0 + frame_size.0, frame.1 + frame_size.1);
    // Land, sea and borders when the embedded geography reaches these places: then the
    // legend says so and credits its source.
    let geography = borders::reaches(&points);
    if geography {
        borders::draw_land(root, &proj, frame, frame_end)?;
    }
    root.draw(&Rectangle::new(
        [frame, frame_end],
        style::GRID.stroke_width(1),
    ))?;
    legend::draw_graticule(root, &proj, frame, frame_end)?;
    if geography {
        borders::draw_lines(root, &proj, frame, frame_end)?;
    }
    let mut labels = Labels::new(frame, frame_end);

    // Roads, the highest on the scale drawn last so that they stay on top.
    let mut order: Vec<&Road> = view.roads.iter().collect();
    order.sort_by(|a, b| a.look.weight().total_cmp(&b.look.weight()));
    let ends = |road: &Road| {
        let (a, b) = (&nodes[road.from], &nodes[road.to]);
        [proj.pixel(a.lon, a.lat), proj.pixel(b.lon, b.lat)]
    };
    for road in &order {
        root.draw(&PathElement::new(ends(road).to_vec(), road.look.stroke()))?;
    }

    // Nodes: the sink, ports, convoy sources, the rest.
    let mut labelled = Vec::new();
    for (i, n) in nodes.iter().enumerate() {
        let p = proj.pixel(n.lon, n.lat);
        let kind = if Some(i) == view.sink || view.other_sinks.contains(&i) {
            Kind::Sink
        } else if view.staging.iter().any(|p| p.0 == i) {
            Kind::Staging
        } else if n.kind == "port" {
            Kind::Port
        } else if view.sources.contains(&i) {
            Kind::Source
        } else {
            Kind::Other
        };
        draw_node(root, kind, p)?;
        labels.block(p, kind.radius());
        if kind != Kind::Other {
            labelled.push((i, kind, p));
        }
    }
    // Labels: the sink, ports and sources always, then the ends of the three top roads.
    for &(i, kind, p) in &labelled {
        let n = &nodes[i];
        let name = crate::report::place_name(&n.name);
        let (text, font) = match kind {
            Kind::Sink => (
                format!("{name} (sink, {})", n.country),
                style::bold(style::LABEL, &INK),
            ),
            Kind::Staging => {
                let units = view.staging.iter().find(|p| p.0 == i).map_or(0, |p| p.1);
                let s = if units == 1 { "" } else { "s" };
                (
                    format!("{name} (staging, {units} escort unit{s})"),
                    style::bold(style::TICK, &INK),
                )
            }
            _ => (
                format!("{name} ({})", n.country),
                style::text(style::TICK, &INK),
            ),
        };
        labels.place(root, &text, font, p, kind.radius(), true)?;
    }
    let mut named: Vec<usize> = labelled.iter().map(|l| l.0).collect();
    let top = order
        .iter()
        .rev()
        .take(3)
        .filter(|road| matches!(road.look, Look::Scaled(t) if t > 0.0));
    for road in top {
        for i in [road.from, road.to] {
            if !named.contains(&i) {
                named.push(i);
                let n = &nodes[i];
                let p = proj.pixel(n.lon, n.lat);
                let font = style::text(style::TICK - 1.0, &MUTED);
                labels.place(root, &crate::report::place_name(&n.name), font, p, 4, false)?;
            }
        }
    }

    let scale_bar = (frame.0 + 18, frame_end.1 - 34);
    labels.taken.push([
        scale_bar.0 - 10,
        scale_bar.1 - 6,
        scale_bar.0 + 200,
        frame_end.1,
    ]);
    let roads: Vec<[(i32, i32); 2]> = view.roads.iter().map(ends).collect();
    labels::draw_country_codes(root, nodes, &proj, &mut labels, &roads, &labelled)?;
    legend::draw_scale_bar(root, &proj, scale_bar, frame_size.0)?;
    let legend_origin = (frame_end.0 + 22, frame.1 + LEGEND_TOP);
    legend::draw_legend(
        root,
        legend_origin,
        view.scale.as_ref(),
        &view.others,
        !view.staging.is_empty(),
        geography,
    )
    .map(|_| ())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Sink,
    Staging,
    Port,
    Source,
    Other,
}

impl Kind {
    fn radius(self) -> i32 {
        match self {
            Kind::Sink => 10,
            Kind::Staging => 9,
            Kind::Port | Kind::Source => 7,
            Kind::Other => 4,
        }
    }
}

fn draw_node<DB: DrawingBackend>(root: &Area<DB>, kind: Kind, p: (i32, i32)) -> DrawResult<(), DB> {
    match kind {
        Kind::Sink => {
            root.draw(&Circle::new(p, 10, INK.filled()))?;
            root.draw(&Circle::new(p, 4, WHITE.filled()))
        }
        Kind::Staging => {
            // A triangle, point up: a post where convoys form.
            let corners = vec![(p.0, p.1 - 10), (p.0 + 9, p.1 + 7), (p.0 - 9, p.1 + 7)];
            root.draw(&Polygon::new(corners.clone(), style::ORANGE.filled()))?;
            let mut outline = corners;
            outline.push((p.0, p.1 - 10));
            root.draw(&PathElement::new(outline, INK.stroke_width(1)))
        }
        Kind::Port => {
            root.draw(&Rectangle::new(
                [(p.0 - 6, p.1 - 6), (p.0 + 6, p.1 + 6)],
                style::BLUE.filled(),
            ))?;
            root.draw(&Rectangle::new(
                [(p.0 - 6, p.1 - 6), (p.0 + 6, p.1 + 6)],
                WHITE.stroke_width(1),
            ))
        }
        Kind::Source => root.draw(&Polygon::new(
            vec![
                (p.0, p.1 - 8),
                (p.0 + 8, p.1),
                (p.0, p.1 + 8),
                (p.0 - 8, p.1),
            ],
            style::SKY.filled(),
        )),
        Kind::Other => {
            root.draw(&Circle::new(p, 3, WHITE.filled()))?;
            root.draw(&Circle::new(p, 3, MUTED.stroke_width(1)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_colour_scale_runs_from_first_to_last_stop() {
        assert_eq!(colour_at(0.0), SCALE[0]);
        assert_eq!(colour_at(1.0), SCALE[4]);
        assert_eq!(colour_at(2.0), SCALE[4]);
        assert_eq!(colour_at(0.25), SCALE[1]);
    }

    #[test]
    fn the_projection_keeps_kilometres_equal_both_ways() {
        let proj = Projection::fit(&[(0.0, 0.0), (10.0, 10.0)], (0, 0), (1000, 1000));
        let (a, b, c) = (
            proj.pixel(0.0, 5.0),
            proj.pixel(1.0, 5.0),
            proj.pixel(0.0, 6.0),
        );
        let east = f64::from(b.0 - a.0);
        let north = f64::from(a.1 - c.1);
        assert!(
            (east / north - 5f64.to_radians().cos()).abs() < 0.02,
            "{east} {north}"
        );
    }
}
