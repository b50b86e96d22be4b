//! Bar charts: the distribution of total delivered fuel over the trials (a histogram with
//! the mean and the 5 % and 95 % marks), and delivered fuel and destroyed tankers per convoy
//! stream.

use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::style::{self, Area, INK, Mark};
use crate::report::RunResults;
use crate::report::table::grouped;
use crate::stats::Sketch;

/// The most bars a histogram gets.
const MAX_BINS: usize = 40;

pub(super) fn draw_histogram<DB: DrawingBackend>(
    root: &Area<DB>,
    r: &RunResults,
    title: &str,
) -> DrawResult<(), DB> {
    let stat = *r.metric("delivered_litres");
    let ml = |x: f64| x / 1e6;
    let legend = [
        (
            Mark::Band(style::BLUE.mix(0.75)),
            "Share of trials".to_string(),
        ),
        (Mark::Line(INK, 3), "Mean".to_string()),
        (
            Mark::Dashed(style::VERMILLION, 3),
            "5 % and 95 % of trials".to_string(),
        ),
    ];
    let subtitle = format!(
        "{} · fuel that reached {} over the {} days; 90 % of trials lie between the dashed lines",
        super::trials_note(r),
        r.sink,
        r.horizon_days
    );
    let top = style::draw_header(root, title, &subtitle, &legend)?;

    let bins = histogram(&r.delivered_distribution);
    let (lo, hi) = match (bins.first(), bins.last()) {
        (Some(a), Some(b)) => (ml(a.0), ml(b.1)),
        _ => (0.0, 1.0),
    };
    let pad = (hi - lo) * 0.08;
    let (x_min, x_max) = (lo - pad, hi + pad);
    let y_max = style::axis_top(bins.iter().map(|b| b.2).fold(0.0, f64::max), 0.22);
    let mut chart = ChartBuilder::on(root)
        .margin_top(top + 10)
        .margin_left(style::SIDE)
        .margin_right(style::SIDE + 10)
        .margin_bottom(10)
        .x_label_area_size(64)
        .y_label_area_size(90)
        .build_cartesian_2d(x_min..x_max, 0.0..y_max)?;
    let x_step = (x_max - x_min) / 8.0;
    let x_label = |v: &f64| style::value_label(*v, x_step);
    let y_label = |v: &f64| style::value_label(*v, y_max / 6.0);
    style::house_mesh(&mut chart.configure_mesh(), style::Values::Up)
        .x_labels(9)
        .y_labels(7)
        .x_label_formatter(&x_label)
        .y_label_formatter(&y_label)
        .x_desc(format!(
            "Fuel delivered to {} in {} days, million litres",
            r.sink, r.horizon_days
        ))
        .y_desc("Share of trials, %")
        .draw()?;
    chart.draw_series(bins.iter().map(|&(a, b, share)| {
        Rectangle::new(
            [(ml(a), 0.0), (ml(b), share)],
            style::BLUE.mix(0.75).filled(),
        )
    }))?;
    chart.draw_series(bins.iter().map(|&(a, b, share)| {
        Rectangle::new([(ml(a), 0.0), (ml(b), share)], WHITE.stroke_width(1))
    }))?;

    let label_y = y_max * 0.97;
    let marks = [
        (
            stat.p5,
            format!("5 %: {}", grouped(ml(stat.p5), 1)),
            HPos::Right,
            -6,
        ),
        (
            stat.p95,
            format!("95 %: {}", grouped(ml(stat.p95), 1)),
            HPos::Left,
            6,
        ),
    ];
    for (x, label, h, dx) in marks {
        chart.draw_series(std::iter::once(DashedPathElement::new(
            vec![(ml(x), 0.0), (ml(x), y_max)],
            8,
            5,
            style::VERMILLION.stroke_width(3),
        )))?;
        let anchor = style::anchored(style::text(style::TICK, &INK), h, VPos::Top);
        chart.draw_series(std::iter::once(
            EmptyElement::at((ml(x), label_y)) + Text::new(label, (dx, 0), anchor),
        ))?;
    }
    chart.draw_series(std::iter::once(PathElement::new(
        vec![(ml(stat.mean), 0.0), (ml(stat.mean), y_max * 0.86)],
        INK.stroke_width(3),
    )))?;
    let anchor = style::anchored(style::bold(style::TICK, &INK), HPos::Center, VPos::Bottom);
    chart.draw_series(std::iter::once(
        EmptyElement::at((ml(stat.mean), y_max * 0.86))
            + Text::new(
                format!("mean {}", grouped(ml(stat.mean), 1)),
                (0, -4),
                anchor,
            ),
    ))?;
    Ok(())
}

/// The distribution of a sketch as equal-width bars: (from, to, % of trials). A sketch
/// bucket that spans several bars is shared out by overlap, and bars are never narrower than
/// the widest bucket, so the shape has no gaps that come from the buckets alone.
pub(super) fn histogram(sketch: &Sketch) -> Vec<(f64, f64, f64)> {
    histograms(&[sketch]).pop().unwrap_or_default()
}

/// The distributions of several sketches on the same bars (one range, one width), so that
/// they can be drawn over each other; an empty sketch gets no bars.
pub(super) fn histograms(sketches: &[&Sketch]) -> Vec<Vec<(f64, f64, f64)>> {
    let buckets: Vec<Vec<(f64, f64, u64)>> = sketches.iter().map(|s| s.bins()).collect();
    let lo = buckets
        .iter()
        .filter_map(|b| b.first())
        .map(|b| b.0)
        .fold(f64::INFINITY, f64::min);
    let hi = buckets
        .iter()
        .filter_map(|b| b.last())
        .map(|b| b.1)
        .fold(f64::NEG_INFINITY, f64::max);
    if !(lo.is_finite() && hi.is_finite()) {
        return vec![Vec::new(); sketches.len()];
    }
    if hi - lo <= 1e-9 * hi.abs().max(1.0) {
        let half = (lo.abs() * 0.005).max(0.5);
        return buckets
            .iter()
            .map(|b| match b.is_empty() {
                true => Vec::new(),
                false => vec![(lo - half, lo + half, 100.0)],
            })
            .collect();
    }
    let widest = buckets
        .iter()
        .flatten()
        .map(|b| b.1 - b.0)
        .fold(0.0, f64::max);
    let n = if widest > 0.0 {
        ((hi - lo) / widest).floor().clamp(1.0, MAX_BINS as f64) as usize
    } else {
        MAX_BINS
    };
    let width = (hi - lo) / n as f64;
    let bar = |x: f64| (((x - lo) / width).floor().max(0.0) as usize).min(n - 1);
    buckets
        .iter()
        .zip(sketches)
        .map(|(buckets, sketch)| {
            if buckets.is_empty() {
                return Vec::new();
            }
            let mut counts = vec![0.0; n];
            for &(a, b, c) in buckets {
                if b - a <= 0.0 {
                    counts[bar(a)] += c as f64;
                    continue;
                }
                for (k, count) in counts.iter_mut().enumerate().take(bar(b) + 1).skip(bar(a)) {
                    let (from, to) = (lo + k as f64 * width, lo + (k + 1) as f64 * width);
                    let overlap = (b.min(to) - a.max(from)).max(0.0);
                    *count += c as f64 * overlap / (b - a);
                }
            }
            let total = sketch.count() as f64;
            counts
                .iter()
                .enumerate()
                .map(|(k, &c)| {
                    let from = lo + k as f64 * width;
                    (from, from + width, 100.0 * c / total)
                })
                .collect()
        })
        .collect()
}

pub(super) fn draw_streams<DB: DrawingBackend>(
    root: &Area<DB>,
    r: &RunResults,
    title: &str,
) -> DrawResult<(), DB> {
    let legend = [
        (
            Mark::Band(style::QUIET.mix(0.55)),
            "Fuel sent (if nothing were lost)".to_string(),
        ),
        (
            Mark::Band(style::BLUE.mix(0.85)),
            "Fuel delivered".to_string(),
        ),
        (
            Mark::Band(style::VERMILLION.mix(0.85)),
            "Tankers destroyed".to_string(),
        ),
    ];
    let subtitle = format!(
        "{} · means per trial; the gap between sent and delivered is fuel destroyed, short or still on the road",
        super::trials_note(r)
    );
    let top = style::draw_header(root, title, &subtitle, &legend)?;
    let body = root.margin(top + 10, 0, 0, 0);
    let width = body.dim_in_pixel().0;
    let (left, right) = body.split_horizontally(width * 64 / 100);

    let n = r.streams.len().max(1);
    let names: Vec<String> = r.streams.iter().map(|s| s.name.clone()).collect();
    let name_style = style::text(style::TICK, &INK);
    let widest_name = names
        .iter()
        .map(|s| root.estimate_text_size(s, &name_style).map(|(w, _)| w))
        .try_fold(0, |acc, w| w.map(|w| acc.max(w)))?;
    let row = |i: usize| (n - 1 - i) as f64;
    let y_range = || -0.6..n as f64 - 0.4;

    let fuel_max = r
        .streams
        .iter()
        .map(|s| s.dispatched_litres.max(s.means[0]) / 1e6)
        .fold(0.0, f64::max);
    let fuel_top = style::axis_top(fuel_max, 0.18);
    let mut fuel = ChartBuilder::on(&left)
        .margin_left(style::SIDE)
        .margin_right(16)
        .margin_bottom(10)
        .x_label_area_size(64)
        .y_label_area_size(widest_name + 20)
        .build_cartesian_2d(0.0..fuel_top, y_range())?;
    let fuel_label = |v: &f64| style::value_label(*v, fuel_top / 6.0);
    style::house_mesh(&mut fuel.configure_mesh(), style::Values::Right)
        .x_labels(6)
        .y_labels(0)
        .x_label_formatter(&fuel_label)
        .x_desc("Fuel, million litres")
        .draw()?;
    let name_anchor = style::anchored(name_style, HPos::Right, VPos::Center);
    for (i, name) in names.iter().enumerate() {
        let (x, y) = fuel.backend_coord(&(0.0, row(i)));
        root.draw_text(name, &name_anchor, (x - 10, y))?;
    }
    fuel.draw_series(r.streams.iter().enumerate().map(|(i, s)| {
        let y = row(i);
        Rectangle::new(
            [(0.0, y - 0.36), (s.dispatched_litres / 1e6, y + 0.36)],
            style::QUIET.mix(0.55).filled(),
        )
    }))?;
    fuel.draw_series(r.streams.iter().enumerate().map(|(i, s)| {
        let y = row(i);
        Rectangle::new(
            [(0.0, y - 0.22), (s.means[0] / 1e6, y + 0.22)],
            style::BLUE.mix(0.85).filled(),
        )
    }))?;
    let value = style::anchored(style::text(style::TICK, &INK), HPos::Left, VPos::Center);
    fuel.draw_series(r.streams.iter().enumerate().map(|(i, s)| {
        let end = s.dispatched_litres.max(s.means[0]) / 1e6;
        let share = if s.dispatched_litres > 0.0 {
            format!(
                " ({} %)",
                grouped(100.0 * s.means[0] / s.dispatched_litres, 0)
            )
        } else {
            String::new()
        };
        EmptyElement::at((end, row(i)))
            + Text::new(
                format!(
                    "{}{share}",
                    style::value_label(s.means[0] / 1e6, fuel_top / 10.0)
                ),
                (6, 0),
                value.clone(),
            )
    }))?;

    let lost_max = r.streams.iter().map(|s| s.means[1]).fold(0.0, f64::max);
    let lost_top = style::axis_top(lost_max, 0.25);
    let mut lost = ChartBuilder::on(&right)
        .margin_left(8)
        .margin_right(style::SIDE + 10)
        .margin_bottom(10)
        .x_label_area_size(64)
        .y_label_area_size(8)
        .build_cartesian_2d(0.0..lost_top, y_range())?;
    let lost_label = |v: &f64| style::value_label(*v, lost_top / 6.0);
    style::house_mesh(&mut lost.configure_mesh(), style::Values::Right)
        .x_labels(5)
        .x_label_formatter(&lost_label)
        .y_labels(0)
        .x_desc("Tankers destroyed")
        .draw()?;
    lost.draw_series(r.streams.iter().enumerate().map(|(i, s)| {
        let y = row(i);
        Rectangle::new(
            [(0.0, y - 0.3), (s.means[1], y + 0.3)],
            style::VERMILLION.mix(0.85).filled(),
        )
    }))?;
    lost.draw_series(r.streams.iter().enumerate().map(|(i, s)| {
        EmptyElement::at((s.means[1], row(i)))
            + Text::new(grouped(s.means[1], 1), (6, 0), value.clone())
    }))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_histogram_keeps_every_trial() {
        let mut s = Sketch::default();
        (0..1000).for_each(|i| s.add(1e8 + f64::from(i) * 37_000.0));
        let bars = histogram(&s);
        assert!(!bars.is_empty() && bars.len() <= MAX_BINS);
        let total: f64 = bars.iter().map(|b| b.2).sum();
        assert!((total - 100.0).abs() < 1e-9, "{total}");
        assert!(bars.windows(2).all(|w| (w[0].1 - w[1].0).abs() < 1e-3));
    }

    #[test]
    fn a_histogram_of_exact_values_and_of_one_value() {
        let mut s = Sketch::default();
        [1.0, 1.0, 2.0, 4.0].iter().for_each(|&x| s.add(x));
        let bars = histogram(&s);
        assert_eq!(bars.len(), MAX_BINS);
        assert_eq!(bars[0].2, 50.0);
        assert_eq!(bars[MAX_BINS - 1].2, 25.0);
        let mut one = Sketch::default();
        (0..5).for_each(|_| one.add(7.2e6));
        assert_eq!(histogram(&one).len(), 1);
        assert_eq!(histogram(&one)[0].2, 100.0);
        assert!(histogram(&Sketch::default()).is_empty());
    }

    #[test]
    fn histograms_share_their_bars() {
        let (mut a, mut b) = (Sketch::default(), Sketch::default());
        (0..100).for_each(|i| a.add(1e6 + f64::from(i) * 1e4));
        (0..300).for_each(|i| b.add(2e6 + f64::from(i) * 1e4));
        let both = histograms(&[&a, &b, &Sketch::default()]);
        assert_eq!(both[0].len(), both[1].len());
        assert!(both[2].is_empty());
        assert_eq!((both[0][0].0, both[0][5].1), (both[1][0].0, both[1][5].1));
        for bars in &both[..2] {
            let total: f64 = bars.iter().map(|b| b.2).sum();
            assert!((total - 100.0).abs() < 1e-9, "{total}");
        }
        assert_eq!(histogram(&a), histograms(&[&a]).remove(0));
    }
}
