//! The charts, drawn with plotters: the only module that knows plotters. A run's charts are
//! drawn from its [`RunResults`] alone, an analysis's (`analysis`) from its result struct
//! alone. Each chart renders to an SVG string or to PNG bytes; the same results always give
//! the same bytes (nothing here reads the clock or the machine), which is what lets
//! `corridor chart` redraw a run's charts exactly. Writing files is the caller's job.

pub mod analysis;
mod bars;
mod compare;
mod criticality;
mod fan;
mod heatmap;
mod map;
mod optimize;
mod places;
mod style;
mod sweep;

use plotters::prelude::*;

use super::RunResults;
use crate::error::{Error, Result};

/// A file format for charts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Svg,
    Png,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Svg => "svg",
            Format::Png => "png",
        }
    }
}

/// What a chart shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartKind {
    /// The sink's stock over time, in days of normal demand.
    Stock,
    /// The street price over time.
    Price,
    /// Litres delivered to the sink each day.
    Deliveries,
    /// The distribution of total fuel delivered over the horizon.
    Delivered,
    /// Delivered fuel and destroyed tankers per convoy stream.
    Streams,
    /// The road network, coloured by what the run saw on each road.
    Map,
    /// Tankers alive over time in the fleet of `results.fleets[i]`.
    Fleet(usize),
    /// The stock of `results.sinks[j]`, a sink after the headline one.
    SinkStock(usize),
    /// The street price at `results.sinks[j]`, a sink after the headline one.
    SinkPrice(usize),
    /// The share of each demand class of `results.sinks[j]` served, day by day.
    Served(usize),
    /// The queue of `results.staging[p]` and the escorted convoys leaving it.
    Staging(usize),
}

/// One chart of a run: what it shows and the file name it is saved under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chart {
    pub kind: ChartKind,
    /// The file name without extension, e.g. `stock`.
    pub name: String,
    /// The chart's title, without the scenario name.
    pub title: String,
}

impl Chart {
    /// The canvas size in pixels.
    pub fn size(&self, r: &RunResults) -> (u32, u32) {
        match self.kind {
            ChartKind::Stock
            | ChartKind::Price
            | ChartKind::Deliveries
            | ChartKind::Fleet(_)
            | ChartKind::SinkStock(_)
            | ChartKind::SinkPrice(_)
            | ChartKind::Served(_) => (1000, 560),
            ChartKind::Staging(_) => (1000, 760),
            ChartKind::Delivered => (1000, 520),
            ChartKind::Streams => (1000, 190 + 46 * r.streams.len().max(1) as u32),
            ChartKind::Map => (1000, map::canvas_height(r)),
        }
    }
}

/// Every chart of a run, in reading order: the six of every run, then one per fleet stream.
pub fn charts(r: &RunResults) -> Vec<Chart> {
    let sink = &r.sink;
    let chart = |kind, name: &str, title: String| Chart {
        kind,
        name: name.to_string(),
        title,
    };
    let mut list = vec![
        chart(ChartKind::Stock, "stock", format!("Fuel stock in {sink}")),
        chart(
            ChartKind::Price,
            "price",
            format!("Street price of fuel in {sink}"),
        ),
        chart(
            ChartKind::Deliveries,
            "deliveries",
            format!("Fuel delivered to {sink} each day"),
        ),
        chart(
            ChartKind::Delivered,
            "delivered",
            format!("Total fuel delivered to {sink}"),
        ),
        chart(
            ChartKind::Streams,
            "streams",
            "What each convoy stream delivered and lost".to_string(),
        ),
        chart(ChartKind::Map, "map", map::title(r)),
    ];
    let mut taken: Vec<String> = list.iter().map(|c| c.name.clone()).collect();
    let mut add = |list: &mut Vec<Chart>, kind, name: String, fallback: String, title| {
        let name = if taken.contains(&name) {
            fallback
        } else {
            name
        };
        taken.push(name.clone());
        list.push(chart(kind, &name, title));
    };
    for (i, f) in r.fleets.iter().enumerate() {
        add(
            &mut list,
            ChartKind::Fleet(i),
            format!("fleet-{}", slug(&f.stream)),
            format!("fleet-{}", i + 1),
            format!("Tankers left in the fleet of {}", f.stream),
        );
    }
    // Every sink after the headline one has its own stock and price; every sink of
    // several demand classes its served shares; every staging point its queue.
    for (j, s) in r.sinks.iter().enumerate() {
        let place = slug(&s.node);
        if j > 0 {
            add(
                &mut list,
                ChartKind::SinkStock(j),
                format!("stock-{place}"),
                format!("stock-sink-{}", j + 1),
                format!("Fuel stock in {}", s.name),
            );
            add(
                &mut list,
                ChartKind::SinkPrice(j),
                format!("price-{place}"),
                format!("price-sink-{}", j + 1),
                format!("Street price of fuel in {}", s.name),
            );
        }
        if s.has_class_series() {
            add(
                &mut list,
                ChartKind::Served(j),
                format!("served-{place}"),
                format!("served-sink-{}", j + 1),
                format!("Share of demand served in {}, by class", s.name),
            );
        }
    }
    for (p, point) in r.staging.iter().enumerate() {
        add(
            &mut list,
            ChartKind::Staging(p),
            format!("staging-{}", slug(&point.node)),
            format!("staging-{}", p + 1),
            format!("Tankers waiting for an escort at {}", point.name),
        );
    }
    list
}

/// A file-name-safe form of a stream name: lower-case ASCII letters, digits and dashes.
fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_matches('-').to_string();
    if out.is_empty() {
        "stream".to_string()
    } else {
        out
    }
}

/// The chart as an SVG document.
pub fn render_svg(chart: &Chart, r: &RunResults) -> Result<String> {
    svg_of(&RunChart(chart, r))
}

/// The chart as a PNG image, drawn with the embedded font.
pub fn render_png(chart: &Chart, r: &RunResults) -> Result<Vec<u8>> {
    png_of(&RunChart(chart, r))
}

/// The chart in `format`, as the bytes of its file.
pub fn render(chart: &Chart, r: &RunResults, format: Format) -> Result<Vec<u8>> {
    match format {
        Format::Svg => render_svg(chart, r).map(String::into_bytes),
        Format::Png => render_png(chart, r),
    }
}

/// A picture to draw on a canvas of a known size: a chart of a run, or of an analysis.
trait Drawing {
    /// The file name without extension, for error messages.
    fn name(&self) -> &str;
    fn size(&self) -> (u32, u32);
    fn draw_on<DB: DrawingBackend>(&self, root: &style::Area<DB>) -> DrawResult<(), DB>;
}

fn svg_of(d: &impl Drawing) -> Result<String> {
    style::register_fonts().map_err(Error::Other)?;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, d.size()).into_drawing_area();
        root.fill(&WHITE).map_err(|e| failed(d, e))?;
        d.draw_on(&root).map_err(|e| failed(d, e))?;
        root.present().map_err(|e| failed(d, e))?;
    }
    Ok(svg)
}

fn png_of(d: &impl Drawing) -> Result<Vec<u8>> {
    style::register_fonts().map_err(Error::Other)?;
    let (w, h) = d.size();
    let mut pixels = vec![255u8; w as usize * h as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut pixels, (w, h)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| failed(d, e))?;
        d.draw_on(&root).map_err(|e| failed(d, e))?;
        root.present().map_err(|e| failed(d, e))?;
    }
    encode_png(&pixels, w, h)
        .map_err(|e| Error::Other(format!("cannot encode chart {}: {e}", d.name())))
}

/// A chart of a run, with the run it is drawn from.
struct RunChart<'a>(&'a Chart, &'a RunResults);

impl Drawing for RunChart<'_> {
    fn name(&self) -> &str {
        &self.0.name
    }

    fn size(&self) -> (u32, u32) {
        self.0.size(self.1)
    }

    fn draw_on<DB: DrawingBackend>(&self, root: &style::Area<DB>) -> DrawResult<(), DB> {
        let RunChart(chart, r) = *self;
        let title = format!("{}: {}", r.scenario, chart.title);
        match chart.kind {
            ChartKind::Stock => fan::draw_stock(root, r, 0, &title),
            ChartKind::Price => fan::draw_price(root, r, 0, &title),
            ChartKind::SinkStock(j) => fan::draw_stock(root, r, j, &title),
            ChartKind::SinkPrice(j) => fan::draw_price(root, r, j, &title),
            ChartKind::Served(j) => places::draw_served(root, r, j, &title),
            ChartKind::Staging(p) => places::draw_staging(root, r, p, &title),
            ChartKind::Deliveries => fan::draw_deliveries(root, r, &title),
            ChartKind::Fleet(i) => fan::draw_fleet(root, r, i, &title),
            ChartKind::Delivered => bars::draw_histogram(root, r, &title),
            ChartKind::Streams => bars::draw_streams(root, r, &title),
            ChartKind::Map => map::draw_map(root, r, &title),
        }
    }
}

fn failed<E: std::error::Error + Send + Sync>(
    d: &impl Drawing,
    e: plotters::drawing::DrawingAreaErrorKind<E>,
) -> Error {
    Error::Other(format!("cannot draw chart {}: {e}", d.name()))
}

fn encode_png(rgb: &[u8], w: u32, h: u32) -> Result<Vec<u8>, png::EncodingError> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, w, h);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Best);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(rgb)?;
    writer.finish()?;
    Ok(out)
}

/// "10,000 trials" and, when the run was cut short, that it was.
fn trials_note(r: &RunResults) -> String {
    let n = super::table::grouped(r.trials as f64, 0);
    let s = if r.trials == 1 { "" } else { "s" };
    if r.interrupted {
        format!("{n} trial{s} (run interrupted: partial result)")
    } else {
        format!("{n} trial{s}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_file_name_safe() {
        assert_eq!(slug("dakar-escorted"), "dakar-escorted");
        assert_eq!(slug("Côte d'Ivoire / Abidjan"), "c-te-d-ivoire-abidjan");
        assert_eq!(slug("***"), "stream");
    }
}
