//! The geography under a map's roads: land and sea, coastlines and country borders, from
//! Natural Earth's 1:50m countries for West Africa (`assets/borders/`, public domain),
//! embedded in the binary and clipped to the map's frame, so that a reader can place the
//! roads. Drawn light, never over the roads; it must not read files or know the network.

use std::sync::OnceLock;

use plotters::element::DashedPathElement;
use plotters::prelude::*;

use super::Projection;
use crate::report::chart::style::Area;

/// Made by `assets/borders/make_borders.py`: one shape a line, `land` (a polygon ring),
/// `coast` or `border` (lines), then longitude and latitude pairs in thousandths of a degree.
static DATA: &str = include_str!("../../../../assets/borders/west-africa.txt");

/// Sea a pale blue and land white, so that the coast reads at a glance and the roads keep
/// the contrast they have on white.
const SEA: RGBColor = RGBColor(0xE8, 0xF0, 0xF6);
const LAND: RGBColor = RGBColor(0xFF, 0xFF, 0xFF);
const COAST: RGBColor = RGBColor(0xA6, 0xBD, 0xCF);
/// Darker than the graticule, lighter than a quiet road, and dashed, so that a border is
/// never taken for a road.
pub(super) const BORDER: RGBColor = RGBColor(0xA8, 0xA8, 0xA8);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Land,
    Coast,
    Border,
}

/// One shape, in degrees of longitude and latitude.
struct Shape {
    kind: Kind,
    points: Vec<(f64, f64)>,
}

/// The embedded data: the region it covers (longitude min and max, latitude min and max)
/// and its shapes.
struct Geography {
    region: [f64; 4],
    shapes: Vec<Shape>,
}

impl Geography {
    fn contains(&self, lon: f64, lat: f64) -> bool {
        let [lon_lo, lon_hi, lat_lo, lat_hi] = self.region;
        (lon_lo..=lon_hi).contains(&lon) && (lat_lo..=lat_hi).contains(&lat)
    }
}

fn geography() -> &'static Geography {
    static GEOGRAPHY: OnceLock<Geography> = OnceLock::new();
    GEOGRAPHY.get_or_init(|| parse(DATA))
}

/// The embedded file. It is part of the binary and a test reads it whole, so a malformed
/// line is a bug in this repository, not bad input.
fn parse(text: &str) -> Geography {
    let mut geography = Geography {
        region: [0.0; 4],
        shapes: Vec::new(),
    };
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let mut words = line.split_ascii_whitespace();
        let kind = words.next();
        let numbers: Vec<f64> = words
            .map(|w| f64::from(w.parse::<i32>().expect("assets/borders: a whole number")) / 1000.0)
            .collect();
        let kind = match kind {
            Some("region") => {
                geography.region = numbers[..4].try_into().expect("four bounds");
                continue;
            }
            Some("land") => Kind::Land,
            Some("coast") => Kind::Coast,
            Some("border") => Kind::Border,
            other => panic!("assets/borders: unknown shape {other:?}"),
        };
        let points = numbers.chunks_exact(2).map(|p| (p[0], p[1])).collect();
        geography.shapes.push(Shape { kind, points });
    }
    geography
}

/// Whether the geography reaches a map of these places: some place lies in its region.
/// Only then does the legend show the border and the data's source.
pub(super) fn reaches(places: &[(f64, f64)]) -> bool {
    places
        .iter()
        .any(|&(lon, lat)| geography().contains(lon, lat))
}

/// The frame in pixels: left, top, right, bottom.
#[derive(Debug, Clone, Copy)]
struct Frame {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
}

impl Frame {
    fn new(from: (i32, i32), to: (i32, i32)) -> Frame {
        Frame {
            x0: f64::from(from.0),
            y0: f64::from(from.1),
            x1: f64::from(to.0),
            y1: f64::from(to.1),
        }
    }
}

/// Sea over the whole frame, then the land. Drawn first: everything else goes on top.
/// Where the frame reaches past the data, nothing is known to be sea, so the frame stays
/// white and only the lines are drawn.
pub(super) fn draw_land<DB: DrawingBackend>(
    root: &Area<DB>,
    proj: &Projection,
    from: (i32, i32),
    to: (i32, i32),
) -> DrawResult<(), DB> {
    let data = geography();
    let corner = |(x, y): (i32, i32)| {
        let lon = (f64::from(x - proj.origin.0) / proj.px_per_unit + proj.x0) / proj.k;
        let lat = proj.y1 - f64::from(y - proj.origin.1) / proj.px_per_unit;
        data.contains(lon, lat)
    };
    if !(corner(from) && corner(to)) {
        return Ok(());
    }
    root.draw(&Rectangle::new([from, to], SEA.filled()))?;
    let frame = Frame::new(from, to);
    for shape in data.shapes.iter().filter(|s| s.kind == Kind::Land) {
        let ring = pixels(&clip_ring(&project(proj, &shape.points), frame));
        if ring.len() >= 3 {
            root.draw(&Polygon::new(ring, LAND.filled()))?;
        }
    }
    Ok(())
}

/// Coastlines and borders, clipped to the frame.
pub(super) fn draw_lines<DB: DrawingBackend>(
    root: &Area<DB>,
    proj: &Projection,
    from: (i32, i32),
    to: (i32, i32),
) -> DrawResult<(), DB> {
    let frame = Frame::new(from, to);
    for shape in geography().shapes.iter().filter(|s| s.kind != Kind::Land) {
        for piece in clip_line(&project(proj, &shape.points), frame) {
            let line = pixels(&piece);
            if line.len() < 2 {
                continue;
            }
            match shape.kind {
                Kind::Border => root.draw(&border_line(line))?,
                _ => root.draw(&PathElement::new(line, COAST.stroke_width(1)))?,
            }
        }
    }
    Ok(())
}

/// A country border as drawn on the map and in its legend.
pub(super) fn border_line(
    points: Vec<(i32, i32)>,
) -> DashedPathElement<std::vec::IntoIter<(i32, i32)>, i32> {
    DashedPathElement::new(points, 5, 3, BORDER.stroke_width(1))
}

fn project(proj: &Projection, points: &[(f64, f64)]) -> Vec<(f64, f64)> {
    points
        .iter()
        .map(|&(lon, lat)| {
            let x = (lon * proj.k - proj.x0) * proj.px_per_unit;
            let y = (proj.y1 - lat) * proj.px_per_unit;
            (f64::from(proj.origin.0) + x, f64::from(proj.origin.1) + y)
        })
        .collect()
}

/// Rounded to pixels, without repeats: at a small scale many points share a pixel.
fn pixels(points: &[(f64, f64)]) -> Vec<(i32, i32)> {
    let mut out: Vec<(i32, i32)> = Vec::with_capacity(points.len());
    for &(x, y) in points {
        let p = (x.round() as i32, y.round() as i32);
        if out.last() != Some(&p) {
            out.push(p);
        }
    }
    out
}

/// The part of segment ab inside the frame (Liang-Barsky), if any.
fn clip_segment(a: (f64, f64), b: (f64, f64), f: Frame) -> Option<((f64, f64), (f64, f64))> {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let (mut t0, mut t1) = (0.0_f64, 1.0_f64);
    for (p, q) in [
        (-dx, a.0 - f.x0),
        (dx, f.x1 - a.0),
        (-dy, a.1 - f.y0),
        (dy, f.y1 - a.1),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else if p < 0.0 {
            t0 = t0.max(q / p);
        } else {
            t1 = t1.min(q / p);
        }
    }
    (t0 <= t1).then(|| {
        let at = |t: f64| (a.0 + t * dx, a.1 + t * dy);
        (at(t0), at(t1))
    })
}

/// The pieces of a polyline inside the frame.
fn clip_line(points: &[(f64, f64)], f: Frame) -> Vec<Vec<(f64, f64)>> {
    let mut pieces = Vec::new();
    let mut current: Vec<(f64, f64)> = Vec::new();
    for pair in points.windows(2) {
        match clip_segment(pair[0], pair[1], f) {
            None => {
                if current.len() >= 2 {
                    pieces.push(std::mem::take(&mut current));
                }
                current.clear();
            }
            Some((start, end)) => {
                if current.is_empty() {
                    current.push(start);
                }
                current.push(end);
                // The segment leaves the frame: the piece ends here.
                if end != pair[1] {
                    pieces.push(std::mem::take(&mut current));
                }
            }
        }
    }
    if current.len() >= 2 {
        pieces.push(current);
    }
    pieces
}

/// A polygon ring clipped to the frame (Sutherland-Hodgman: the frame is convex). Where
/// the ring leaves the frame it runs along the frame's edge, which the fill hides.
fn clip_ring(points: &[(f64, f64)], f: Frame) -> Vec<(f64, f64)> {
    type Side = (
        fn(&(f64, f64), &Frame) -> bool,
        fn((f64, f64), (f64, f64), &Frame) -> (f64, f64),
    );
    let sides: [Side; 4] = [
        (|p, f| p.0 >= f.x0, |a, b, f| at_x(a, b, f.x0)),
        (|p, f| p.0 <= f.x1, |a, b, f| at_x(a, b, f.x1)),
        (|p, f| p.1 >= f.y0, |a, b, f| at_y(a, b, f.y0)),
        (|p, f| p.1 <= f.y1, |a, b, f| at_y(a, b, f.y1)),
    ];
    let mut ring = points.to_vec();
    for (keep, cross) in sides {
        let mut out = Vec::with_capacity(ring.len());
        for (i, &p) in ring.iter().enumerate() {
            let q = ring[(i + ring.len() - 1) % ring.len()];
            match (keep(&p, &f), keep(&q, &f)) {
                (true, true) => out.push(p),
                (true, false) => {
                    out.push(cross(q, p, &f));
                    out.push(p);
                }
                (false, true) => out.push(cross(q, p, &f)),
                (false, false) => {}
            }
        }
        ring = out;
        if ring.is_empty() {
            break;
        }
    }
    ring
}

fn at_x(a: (f64, f64), b: (f64, f64), x: f64) -> (f64, f64) {
    (x, a.1 + (x - a.0) / (b.0 - a.0) * (b.1 - a.1))
}

fn at_y(a: (f64, f64), b: (f64, f64), y: f64) -> (f64, f64) {
    (a.0 + (y - a.1) / (b.1 - a.1) * (b.0 - a.0), y)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_geography_is_whole_and_in_its_region() {
        let data = geography();
        assert_eq!(data.region, [-26.0, 18.0, -2.0, 30.0]);
        for kind in [Kind::Land, Kind::Coast, Kind::Border] {
            assert!(data.shapes.iter().any(|s| s.kind == kind), "{kind:?}");
        }
        for s in &data.shapes {
            assert!(s.points.len() >= 2);
            assert!(s.points.iter().all(|&(lon, lat)| data.contains(lon, lat)));
        }
        assert!(reaches(&[(100.0, 45.0), (-8.0, 12.65)]), "Bamako");
        assert!(!reaches(&[(100.0, 45.0)]));
    }

    #[test]
    fn lines_and_rings_are_cut_at_the_frame() {
        let f = Frame::new((0, 0), (10, 10));
        let pieces = clip_line(
            &[
                (-5.0, 5.0),
                (5.0, 5.0),
                (15.0, 5.0),
                (15.0, 6.0),
                (5.0, 6.0),
            ],
            f,
        );
        assert_eq!(
            pieces,
            vec![
                vec![(0.0, 5.0), (5.0, 5.0), (10.0, 5.0)],
                vec![(10.0, 6.0), (5.0, 6.0)]
            ]
        );
        assert!(clip_line(&[(20.0, 0.0), (20.0, 10.0)], f).is_empty());
        let square = clip_ring(&[(-5.0, -5.0), (5.0, -5.0), (5.0, 5.0), (-5.0, 5.0)], f);
        assert_eq!(square, vec![(0.0, 0.0), (5.0, 0.0), (5.0, 5.0), (0.0, 5.0)]);
        assert!(clip_ring(&[(20.0, 20.0), (30.0, 20.0), (30.0, 30.0)], f).is_empty());
    }
}
