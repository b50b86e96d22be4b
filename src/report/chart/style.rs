//! The look every chart shares: the Okabe-Ito palette (readable with any common colour
//! blindness), the embedded font, the header with title, subtitle and legend, and the ticks
//! and labels of a day axis. No chart content here.

use std::sync::OnceLock;

use plotters::coord::Shift;
use plotters::coord::ranged1d::ValueFormatter;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::calendar::Date;
use crate::report::table::grouped;

/// The family every text is drawn in. plotters writes this string into the SVG's
/// `font-family`, so a browser uses DejaVu Sans when it has it (the metrics the layout was
/// measured with) and a similar sans-serif otherwise.
pub const FAMILY: &str = "DejaVu Sans, Verdana, sans-serif";

static REGULAR: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans-Bold.ttf");

/// Registers the embedded fonts with plotters, once per process. Every text, in SVG as in
/// PNG, is measured (and in PNG drawn) with them, so no system font library is involved.
/// `sans-serif` is registered too, for plotters' own defaults.
pub fn register_fonts() -> Result<(), String> {
    static DONE: OnceLock<Result<(), String>> = OnceLock::new();
    DONE.get_or_init(|| {
        for family in [FAMILY, "sans-serif"] {
            for (style, bytes) in [(FontStyle::Normal, REGULAR), (FontStyle::Bold, BOLD)] {
                plotters::style::register_font(family, style, bytes)
                    .map_err(|_| "the embedded chart font cannot be read".to_string())?;
            }
        }
        Ok(())
    })
    .clone()
}

// Okabe & Ito (2008), "Color universal design": eight colours that stay distinct under
// protanopia, deuteranopia and tritanopia.
pub const SKY: RGBColor = RGBColor(0x56, 0xB4, 0xE9);
pub const GREEN: RGBColor = RGBColor(0x00, 0x9E, 0x73);
pub const BLUE: RGBColor = RGBColor(0x00, 0x72, 0xB2);
pub const VERMILLION: RGBColor = RGBColor(0xD5, 0x5E, 0x00);
pub const PURPLE: RGBColor = RGBColor(0xCC, 0x79, 0xA7);
pub const ORANGE: RGBColor = RGBColor(0xE6, 0x9F, 0x00);

/// Colours for series drawn side by side (scenarios compared), in order: the Okabe-Ito
/// colours that stand out on white (not its yellow), then black.
pub const SERIES: [RGBColor; 7] = [BLUE, VERMILLION, GREEN, PURPLE, ORANGE, SKY, INK];

/// The colour of series `i`; after the seventh they repeat.
pub fn series(i: usize) -> RGBColor {
    SERIES[i % SERIES.len()]
}

/// Text and reference lines.
pub const INK: RGBColor = RGBColor(0x1A, 0x1A, 0x1A);
/// Secondary text: subtitles, notes, tick labels.
pub const MUTED: RGBColor = RGBColor(0x55, 0x55, 0x55);
/// Grid lines and quiet roads.
pub const GRID: RGBColor = RGBColor(0xE3, 0xE3, 0xE3);
pub const QUIET: RGBColor = RGBColor(0xB8, 0xB8, 0xB8);

/// Font sizes (plotters' sizes: the SVG `font-size` is 1/1.24 of them).
pub const TITLE: f64 = 27.0;
pub const SUBTITLE: f64 = 17.0;
pub const LABEL: f64 = 16.5;
pub const TICK: f64 = 15.5;

/// The left and right margin of every chart.
pub const SIDE: i32 = 24;

pub type Area<DB> = DrawingArea<DB, Shift>;

/// Which way a chart's values run: up (fans, histograms), with rules across at the value
/// ticks; or right (horizontal bars), with rules up and down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Values {
    Up,
    Right,
}

/// The house style of every chart's grid and axes: rules only at the value ticks, muted axes
/// and tick labels, dark axis titles. Callers add their ticks, formatters and titles.
pub fn house_mesh<'m, 'a, 'b, X, Y, XT, YT, DB>(
    mesh: &'m mut plotters::chart::MeshStyle<'a, 'b, X, Y, DB>,
    values: Values,
) -> &'m mut plotters::chart::MeshStyle<'a, 'b, X, Y, DB>
where
    X: Ranged<ValueType = XT> + ValueFormatter<XT>,
    Y: Ranged<ValueType = YT> + ValueFormatter<YT>,
    DB: DrawingBackend,
{
    match values {
        Values::Up => mesh.disable_x_mesh(),
        Values::Right => mesh.disable_y_mesh(),
    };
    mesh.max_light_lines(0)
        .bold_line_style(GRID)
        .axis_style(MUTED)
        .label_style(text(TICK, &MUTED))
        .axis_desc_style(text(LABEL, &INK))
}

pub fn text(size: f64, colour: &'static RGBColor) -> TextStyle<'static> {
    TextStyle::from(FontDesc::new(
        FontFamily::Name(FAMILY),
        size,
        FontStyle::Normal,
    ))
    .color(colour)
}

pub fn bold(size: f64, colour: &'static RGBColor) -> TextStyle<'static> {
    TextStyle::from(FontDesc::new(
        FontFamily::Name(FAMILY),
        size,
        FontStyle::Bold,
    ))
    .color(colour)
}

pub fn anchored(style: TextStyle<'static>, h: HPos, v: VPos) -> TextStyle<'static> {
    style.pos(Pos::new(h, v))
}

/// How a legend entry is drawn.
#[derive(Debug, Clone, Copy)]
pub enum Mark {
    /// A filled box: a band or a bar.
    Band(RGBAColor),
    /// A line of this width.
    Line(RGBColor, u32),
    Dashed(RGBColor, u32),
}

/// The title's font size and lines, and the subtitle's lines: a title too wide for the
/// canvas first shrinks (down to [`TITLE_MIN`]), then wraps between words, and so does a
/// subtitle, so that no text runs off the canvas (long scenario names, several of them).
struct HeaderText {
    title_size: f64,
    title: Vec<String>,
    subtitle: Vec<String>,
}

/// The smallest size a long title shrinks to before it wraps.
const TITLE_MIN: f64 = 22.0;

/// The width of a text in pixels, as plotters lays it out (the same measure as a backend's
/// `estimate_text_size`).
pub fn text_width(text: &str, style: &TextStyle) -> i32 {
    style.font.box_size(text).map_or(0, |(w, _)| w as i32)
}

/// `text` in lines no wider than `width`, broken between words (a word wider than the line
/// keeps its own line).
pub fn wrap(text: &str, style: &TextStyle, width: i32) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split(' ') {
        match lines.last_mut() {
            Some(line) if text_width(&format!("{line} {word}"), style) <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

impl HeaderText {
    fn lay_out(canvas_width: i32, title: &str, subtitle: &str) -> HeaderText {
        let width = canvas_width - 2 * SIDE;
        let fits = |text: &str, size: f64| text_width(text, &bold(size, &INK)) <= width;
        // The largest size from TITLE down to TITLE_MIN at which every line fits.
        let largest = |lines: &[String]| {
            let mut size = TITLE;
            while size > TITLE_MIN && !lines.iter().all(|l| fits(l, size)) {
                size -= 1.0;
            }
            lines.iter().all(|l| fits(l, size)).then_some(size)
        };
        let one = [title.to_string()];
        // One line, shrunk if need be; else two, broken after "scenarios:" if each part
        // fits; else wrapped between words.
        let (title_size, title) = largest(&one)
            .map(|size| (size, one.to_vec()))
            .or_else(|| {
                let (names, what) = title.split_once(": ")?;
                let two = [format!("{names}:"), what.to_string()];
                largest(&two).map(|size| (size, two.to_vec()))
            })
            .unwrap_or_else(|| (TITLE_MIN, wrap(title, &bold(TITLE_MIN, &INK), width)));
        HeaderText {
            title_size,
            title,
            subtitle: wrap(subtitle, &text(SUBTITLE, &MUTED), width),
        }
    }

    /// The distance between two lines of the title.
    fn title_step(&self) -> i32 {
        (self.title_size * 1.15).round() as i32
    }

    /// How much lower than a one-line title and subtitle everything under them starts.
    fn extra(&self) -> i32 {
        (self.title.len() as i32 - 1) * self.title_step() + (self.subtitle.len() as i32 - 1) * 22
    }
}

/// The height of a header without a legend: where a chart that places its own plot (the
/// map) can start, and what it must add to its canvas.
pub fn header_height(canvas_width: i32, title: &str, subtitle: &str) -> i32 {
    header_bottom(canvas_width, title, subtitle, &[])
}

/// Where [`draw_header`] will say the plot starts, for a chart that sizes its canvas to
/// its content.
pub fn header_bottom(
    canvas_width: i32,
    title: &str,
    subtitle: &str,
    legend: &[(Mark, String)],
) -> i32 {
    let extra = HeaderText::lay_out(canvas_width, title, subtitle).extra();
    match legend_places(canvas_width, legend, 86 + extra).last() {
        Some(&(_, y)) => y + 22,
        None => 82 + extra,
    }
}

/// Where each legend entry's mark goes: in a row from the left, wrapping when the next
/// entry would run off the canvas.
fn legend_places(canvas_width: i32, legend: &[(Mark, String)], y: i32) -> Vec<(i32, i32)> {
    let style = anchored(text(LABEL, &INK), HPos::Left, VPos::Center);
    let (mut x, mut y) = (SIDE, y);
    let mut places = Vec::with_capacity(legend.len());
    for (_, label) in legend {
        let needed = 34 + text_width(label, &style);
        if x > SIDE && x + needed > canvas_width - SIDE {
            (x, y) = (SIDE, y + 26);
        }
        places.push((x, y));
        x += needed + 26;
    }
    places
}

/// Draws the title, the subtitle and a legend row (wrapped when it is too long) and returns
/// the height they take, where the plot starts.
pub fn draw_header<DB: DrawingBackend>(
    root: &Area<DB>,
    title: &str,
    subtitle: &str,
    legend: &[(Mark, String)],
) -> DrawResult<i32, DB> {
    let width = root.dim_in_pixel().0 as i32;
    let layout = HeaderText::lay_out(width, title, subtitle);
    let top = anchored(bold(layout.title_size, &INK), HPos::Left, VPos::Top);
    let mut y = 16;
    for line in &layout.title {
        root.draw_text(line, &top, (SIDE, y))?;
        y += layout.title_step();
    }
    let sub = anchored(text(SUBTITLE, &MUTED), HPos::Left, VPos::Top);
    let mut y = 52 + (layout.title.len() as i32 - 1) * layout.title_step();
    for line in &layout.subtitle {
        root.draw_text(line, &sub, (SIDE, y))?;
        y += 22;
    }
    let extra = layout.extra();
    let places = legend_places(width, legend, 86 + extra);
    let style = anchored(text(LABEL, &INK), HPos::Left, VPos::Center);
    for ((mark, label), &(x, y)) in legend.iter().zip(&places) {
        draw_mark(root, *mark, (x, y))?;
        root.draw_text(label, &style, (x + 34, y))?;
    }
    Ok(places.last().map_or(82 + extra, |&(_, y)| y + 22))
}

/// A legend mark 26 px wide, centred vertically on `y`.
pub fn draw_mark<DB: DrawingBackend>(
    area: &Area<DB>,
    mark: Mark,
    (x, y): (i32, i32),
) -> DrawResult<(), DB> {
    match mark {
        Mark::Band(c) => area.draw(&Rectangle::new([(x, y - 8), (x + 26, y + 8)], c.filled())),
        Mark::Line(c, w) => area.draw(&PathElement::new(
            vec![(x, y), (x + 26, y)],
            c.stroke_width(w),
        )),
        Mark::Dashed(c, w) => area.draw(&DashedPathElement::new(
            vec![(x, y), (x + 26, y)],
            6,
            4,
            c.stroke_width(w),
        )),
    }
}

/// Tick marks and labels under a plot at positions the caller chose (plotters only places
/// ticks itself); `at` maps a value to the pixel where it meets the x axis.
pub fn draw_x_ticks<DB: DrawingBackend>(
    root: &Area<DB>,
    labels: &[(f64, String)],
    at: impl Fn(f64) -> (i32, i32),
) -> DrawResult<(), DB> {
    let style = anchored(text(TICK, &MUTED), HPos::Center, VPos::Top);
    for (value, label) in labels {
        let (x, y) = at(*value);
        root.draw(&PathElement::new(
            vec![(x, y), (x, y + 5)],
            MUTED.stroke_width(1),
        ))?;
        root.draw_text(label, &style, (x, y + 9))?;
    }
    Ok(())
}

/// The ticks and labels of a day axis under a plot over days `0..horizon` (see
/// [`day_ticks`]); `at` maps a day to the pixel where it meets the x axis.
pub fn draw_day_ticks<DB: DrawingBackend>(
    root: &Area<DB>,
    start: Option<Date>,
    horizon: u32,
    at: impl Fn(f64) -> (i32, i32),
) -> DrawResult<(), DB> {
    let labels: Vec<(f64, String)> = day_ticks(start, horizon)
        .iter()
        .map(|&d| (d, day_label(start, horizon, d)))
        .collect();
    draw_x_ticks(root, &labels, at)
}

/// The ticks of a day axis running over days `0..horizon`: on calendar dates when the
/// scenario has a start date, else on round day numbers.
pub fn day_ticks(start: Option<Date>, horizon: u32) -> Vec<f64> {
    let last = horizon.saturating_sub(1) as i64;
    let Some(start) = start else {
        let step = [1, 2, 5, 7, 10, 14, 20, 30, 50, 60, 100, 200, 365, 500, 1000]
            .into_iter()
            .find(|s| last / s <= 9)
            .unwrap_or(2000);
        return (0..=last)
            .step_by(step as usize)
            .map(|d| d as f64)
            .collect();
    };
    let wanted = |date: Date| {
        let (_, month, day) = date.ymd();
        match last {
            0..=34 => (date.0 - start.0) % 7 == 0,
            35..=150 => day == 1 || day == 15,
            151..=400 => day == 1,
            401..=1100 => day == 1 && month % 3 == 1,
            _ => day == 1 && month == 1,
        }
    };
    (0..=last)
        .filter(|&d| wanted(start.plus_days(d)))
        .map(|d| d as f64)
        .collect()
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// The label of a tick on a day axis: "15 Sep" (horizons up to about five months), "Oct"
/// with the year on the first tick and on January (up to three years), the year (longer),
/// or the day number.
pub fn day_label(start: Option<Date>, horizon: u32, day: f64) -> String {
    let Some(start) = start else {
        return grouped(day, 0);
    };
    let (y, m, d) = start.plus_days(day.round() as i64).ymd();
    let month = MONTHS[m as usize - 1];
    match horizon.saturating_sub(1) {
        0..=150 => format!("{d} {month}"),
        151..=1100 if m == 1 || day < 32.0 => format!("{month} {y}"),
        151..=1100 => month.to_string(),
        _ => format!("{y}"),
    }
}

/// The description of a day axis: "Date (2025)" or "Day of the scenario".
pub fn day_axis(start: Option<Date>, horizon: u32) -> String {
    let Some(start) = start else {
        return "Day of the scenario (day 0 is the first day)".to_string();
    };
    let last = i64::from(horizon.saturating_sub(1));
    let (first_year, last_year) = (start.ymd().0, start.plus_days(last).ymd().0);
    match last {
        0..=150 if first_year == last_year => format!("Date ({first_year})"),
        0..=150 => format!("Date ({first_year}–{last_year})"),
        _ => "Date".to_string(),
    }
}

/// A tick label for a value axis whose ticks are about `step` apart.
pub fn value_label(value: f64, step: f64) -> String {
    let decimals = if step >= 1.0 {
        0
    } else if step >= 0.1 {
        1
    } else {
        2
    };
    grouped(value, decimals)
}

/// An upper bound for a value axis: `max` plus `headroom` (a share), never zero.
pub fn axis_top(max: f64, headroom: f64) -> f64 {
    if max > 0.0 && max.is_finite() {
        max * (1.0 + headroom)
    } else {
        1.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_ticks_fall_on_round_dates_or_days() {
        let start = Date::parse("2025-09-03");
        let ticks: Vec<String> = day_ticks(start, 90)
            .iter()
            .map(|&d| day_label(start, 90, d))
            .collect();
        assert_eq!(
            ticks,
            ["15 Sep", "1 Oct", "15 Oct", "1 Nov", "15 Nov", "1 Dec"]
        );
        assert_eq!(day_axis(start, 90), "Date (2025)");
        assert_eq!(day_axis(Date::parse("2025-12-01"), 90), "Date (2025–2026)");
        assert_eq!(
            day_ticks(None, 90),
            [0.0, 10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0]
        );
        assert_eq!(day_ticks(None, 1), [0.0]);
        let year = day_ticks(start, 365);
        assert_eq!(year.len(), 12);
        assert_eq!(day_label(start, 365, year[0]), "Oct 2025");
        assert_eq!(day_label(start, 365, year[1]), "Nov");
        assert_eq!(day_label(start, 365, year[3]), "Jan 2026");
    }

    #[test]
    fn value_labels_have_enough_decimals_for_their_step() {
        assert_eq!(value_label(2500.0, 500.0), "2,500");
        assert_eq!(value_label(2.5, 0.5), "2.5");
        assert_eq!(value_label(0.25, 0.05), "0.25");
        assert_eq!(axis_top(0.0, 0.1), 1.0);
        assert!((axis_top(10.0, 0.1) - 11.0).abs() < 1e-12);
    }
}
