//! Where the map's words go: place names beside their markers and faint country codes,
//! each in the first free spot, so that no label covers another, a marker or a road.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::{COUNTRY, Kind, Projection};
use crate::report::NodeInfo;
use crate::report::chart::style::{self, Area};

/// Places labels next to their points where they overlap no other label or marker.
pub(super) struct Labels {
    pub(super) taken: Vec<[i32; 4]>,
    frame: [i32; 4],
}

impl Labels {
    pub(super) fn new(from: (i32, i32), to: (i32, i32)) -> Labels {
        Labels {
            taken: Vec::new(),
            frame: [from.0, from.1, to.0, to.1],
        }
    }

    pub(super) fn block(&mut self, p: (i32, i32), r: i32) {
        self.taken.push([p.0 - r, p.1 - r, p.0 + r, p.1 + r]);
    }

    pub(super) fn free(&self, b: [i32; 4]) -> bool {
        let inside = b[0] >= self.frame[0] + 2
            && b[1] >= self.frame[1] + 2
            && b[2] <= self.frame[2] - 2
            && b[3] <= self.frame[3] - 2;
        inside
            && self
                .taken
                .iter()
                .all(|t| b[2] <= t[0] || b[0] >= t[2] || b[3] <= t[1] || b[1] >= t[3])
    }

    /// How much a box covers what is taken, in square pixels; off the frame counts as
    /// covering everything.
    fn overlap(&self, b: [i32; 4]) -> i64 {
        let f = self.frame;
        if b[0] < f[0] || b[1] < f[1] || b[2] > f[2] || b[3] > f[3] {
            return i64::MAX;
        }
        self.taken
            .iter()
            .map(|t| {
                let w = (b[2].min(t[2]) - b[0].max(t[0])).max(0);
                let h = (b[3].min(t[3]) - b[1].max(t[1])).max(0);
                i64::from(w) * i64::from(h)
            })
            .sum()
    }

    /// Draws `text` beside `p` in the first free place, right, left, above or below; if
    /// none is free, where it covers least when `always` (two places a few pixels apart,
    /// such as Kati and Bamako, leave no free place), else not at all.
    pub(super) fn place<DB: DrawingBackend>(
        &mut self,
        root: &Area<DB>,
        text: &str,
        font: TextStyle<'static>,
        p: (i32, i32),
        r: i32,
        always: bool,
    ) -> DrawResult<(), DB> {
        let font = style::anchored(font, HPos::Left, VPos::Top);
        let (w, h) = root.estimate_text_size(text, &font)?;
        let (w, h) = (w as i32, h as i32);
        let gap = r + 4;
        let places = [
            (p.0 + gap, p.1 - h / 2),
            (p.0 - gap - w, p.1 - h / 2),
            (p.0 - w / 2, p.1 - gap - h),
            (p.0 - w / 2, p.1 + gap),
            (p.0 + gap, p.1 - gap - h + 4),
            (p.0 + gap, p.1 + gap - 4),
            (p.0 - gap - w, p.1 - gap - h + 4),
            (p.0 - gap - w, p.1 + gap - 4),
        ];
        let boxed = |(x, y): (i32, i32)| [x - 2, y - 1, x + w + 2, y + h + 1];
        let chosen = match places.iter().find(|&&q| self.free(boxed(q))) {
            Some(&q) => q,
            None if always => *places
                .iter()
                .min_by_key(|&&q| self.overlap(boxed(q)))
                .expect("eight places"),
            None => return Ok(()),
        };
        self.taken.push(boxed(chosen));
        // A white halo keeps the label readable over roads.
        let b = boxed(chosen);
        root.draw(&Rectangle::new(
            [(b[0], b[1]), (b[2], b[3])],
            WHITE.mix(0.8).filled(),
        ))?;
        root.draw_text(text, &font, chosen)
    }
}

/// Faint ISO codes for the countries with unlabelled places, in a free spot as near as
/// possible to the middle of their places: clear of labels, markers and roads.
pub(super) fn draw_country_codes<DB: DrawingBackend>(
    root: &Area<DB>,
    nodes: &[NodeInfo],
    proj: &Projection,
    labels: &mut Labels,
    roads: &[[(i32, i32); 2]],
    labelled: &[(usize, Kind, (i32, i32))],
) -> DrawResult<(), DB> {
    let mut countries: Vec<&str> = nodes.iter().map(|n| n.country.as_str()).collect();
    countries.sort_unstable();
    countries.dedup();
    let font = style::anchored(style::bold(30.0, &COUNTRY), HPos::Left, VPos::Top);
    for code in countries {
        let members: Vec<usize> = (0..nodes.len())
            .filter(|&i| nodes[i].country == code)
            .collect();
        if members.iter().all(|i| labelled.iter().any(|l| l.0 == *i)) {
            continue;
        }
        let m = members.len() as f64;
        let lon = members.iter().map(|&i| nodes[i].lon).sum::<f64>() / m;
        let lat = members.iter().map(|&i| nodes[i].lat).sum::<f64>() / m;
        let centre = proj.pixel(lon, lat);
        let (w, h) = root.estimate_text_size(code, &font)?;
        let (w, h) = (w as i32, h as i32);
        // Rings of candidate spots around the middle, nearest first.
        let spot = (0..8)
            .flat_map(|ring| {
                let n = if ring == 0 { 1 } else { 8 * ring };
                (0..n).map(move |k| {
                    let a = std::f64::consts::TAU * f64::from(k) / f64::from(n);
                    let d = f64::from(ring * 18);
                    (
                        centre.0 + (d * a.cos()).round() as i32,
                        centre.1 + (d * a.sin()).round() as i32,
                    )
                })
            })
            .map(|(x, y)| [x - w / 2, y - h / 2, x + w / 2, y + h / 2])
            .find(|b| labels.free(*b) && roads.iter().all(|s| !crosses(s, *b)));
        if let Some(b) = spot {
            labels.taken.push(b);
            root.draw_text(code, &font, (b[0], b[1]))?;
        }
    }
    Ok(())
}

/// Whether a segment passes through a box.
fn crosses(&[a, b]: &[(i32, i32); 2], bx: [i32; 4]) -> bool {
    let steps = 24;
    (0..=steps).any(|k| {
        let t = f64::from(k) / f64::from(steps);
        let x = f64::from(a.0) + (f64::from(b.0) - f64::from(a.0)) * t;
        let y = f64::from(a.1) + (f64::from(b.1) - f64::from(a.1)) * t;
        x >= f64::from(bx[0]) - 3.0
            && x <= f64::from(bx[2]) + 3.0
            && y >= f64::from(bx[1]) - 3.0
            && y <= f64::from(bx[3]) + 3.0
    })
}
