//! The charts of the decision-analysis commands, each drawn from its result struct alone:
//! `compare` (the delivered-fuel distributions overlaid, the stock fans on one axis),
//! `criticality` (the ranked bars, the map by the value of securing each road) and `sweep`
//! (the tornado, or the heat map of a grid). Like a run's charts they render to SVG or PNG
//! bytes that depend on the results only.

use plotters::prelude::*;

use super::{Drawing, Format, compare, criticality, heatmap, optimize, style, sweep};
use crate::analysis::compare::CompareResults;
use crate::analysis::criticality::CriticalityResults;
use crate::analysis::optimize::OptimizeResults;
use crate::analysis::sweep::{GridResults, SweepResults};
use crate::error::Result;

/// One chart of an analysis, with the results it is drawn from.
pub struct Figure<'a> {
    /// The file name without extension, e.g. `tornado`.
    pub name: &'static str,
    /// The full title, with the scenario name(s).
    pub title: String,
    plot: Plot<'a>,
}

enum Plot<'a> {
    CompareDelivered(&'a CompareResults),
    CompareStock(&'a CompareResults),
    CriticalityBars(&'a CriticalityResults),
    CriticalityMap(&'a CriticalityResults),
    Tornado(&'a SweepResults),
    Grid(&'a GridResults),
    Optimize(&'a OptimizeResults),
}

impl Figure<'_> {
    /// The canvas size in pixels.
    pub fn size(&self) -> (u32, u32) {
        let t = &self.title;
        match self.plot {
            Plot::CompareDelivered(r) => compare::delivered_size(r, t),
            Plot::CompareStock(r) => compare::stock_size(r, t),
            Plot::CriticalityBars(r) => criticality::bars_size(r, t),
            Plot::CriticalityMap(r) => criticality::map_size(r, t),
            Plot::Tornado(r) => sweep::tornado_size(r, t),
            Plot::Grid(r) => heatmap::size(r, t),
            Plot::Optimize(r) => optimize::size(r, t),
        }
    }

    pub fn render_svg(&self) -> Result<String> {
        super::svg_of(self)
    }

    pub fn render_png(&self) -> Result<Vec<u8>> {
        super::png_of(self)
    }

    /// The chart in `format`, as the bytes of its file.
    pub fn render(&self, format: Format) -> Result<Vec<u8>> {
        match format {
            Format::Svg => self.render_svg().map(String::into_bytes),
            Format::Png => self.render_png(),
        }
    }
}

impl Drawing for Figure<'_> {
    fn name(&self) -> &str {
        self.name
    }

    fn size(&self) -> (u32, u32) {
        Figure::size(self)
    }

    fn draw_on<DB: DrawingBackend>(&self, root: &style::Area<DB>) -> DrawResult<(), DB> {
        let t = &self.title;
        match self.plot {
            Plot::CompareDelivered(r) => compare::draw_delivered(root, r, t),
            Plot::CompareStock(r) => compare::draw_stock(root, r, t),
            Plot::CriticalityBars(r) => criticality::draw_bars(root, r, t),
            Plot::CriticalityMap(r) => criticality::draw_map(root, r, t),
            Plot::Tornado(r) => sweep::draw_tornado(root, r, t),
            Plot::Grid(r) => heatmap::draw(root, r, t),
            Plot::Optimize(r) => optimize::draw(root, r, t),
        }
    }
}

/// The charts of `corridor compare`: `delivered` and `stock`.
pub fn compare_figures(r: &CompareResults) -> Vec<Figure<'_>> {
    let names = r.scenarios.join(" vs ");
    let sink = r.runs.first().map_or("the sink", |run| run.sink.as_str());
    vec![
        Figure {
            name: "delivered",
            title: format!("{names}: Total fuel delivered to {sink}"),
            plot: Plot::CompareDelivered(r),
        },
        Figure {
            name: "stock",
            title: format!("{names}: Fuel stock in {sink}"),
            plot: Plot::CompareStock(r),
        },
    ]
}

/// The charts of `corridor criticality`: `criticality` (the ranked bars) and `map`.
pub fn criticality_figures(r: &CriticalityResults) -> Vec<Figure<'_>> {
    vec![
        Figure {
            name: "criticality",
            title: format!("{}: Which roads matter most", r.scenario),
            plot: Plot::CriticalityBars(r),
        },
        Figure {
            name: "map",
            title: format!("{}: What securing each road is worth", r.scenario),
            plot: Plot::CriticalityMap(r),
        },
    ]
}

/// The chart of a one-at-a-time `corridor sweep`: `tornado`.
pub fn sweep_figures(r: &SweepResults) -> Vec<Figure<'_>> {
    let metric = MetricUnit::of(&r.metric, &r.currency);
    vec![Figure {
        name: "tornado",
        title: format!("{}: What each input does to {}", r.scenario, metric.name),
        plot: Plot::Tornado(r),
    }]
}

/// The chart of `corridor sweep --grid`: `grid`, a heat map.
pub fn grid_figures(r: &GridResults) -> Vec<Figure<'_>> {
    let metric = MetricUnit::of(&r.metric, &r.currency);
    vec![Figure {
        name: "grid",
        title: format!("{}: {} over two inputs", r.scenario, metric.label),
        plot: Plot::Grid(r),
    }]
}

/// The chart of `corridor optimize`: `optimize`, the candidates' means and intervals,
/// ranked.
pub fn optimize_figures(r: &OptimizeResults) -> Vec<Figure<'_>> {
    let metric = MetricUnit::of(&r.metric, &r.currency);
    vec![Figure {
        name: "optimize",
        title: format!(
            "{}: {} with {} escort units shared among {}",
            r.scenario,
            metric.label,
            r.units,
            r.points.join(", ")
        ),
        plot: Plot::Optimize(r),
    }]
}

/// How a trial metric reads on a chart: what it is, in which unit, and the factor and
/// decimals from its values (litres, days, ...) to that unit, as in the analysis tables.
pub(super) struct MetricUnit {
    /// Lower case, for sentences: "fuel delivered", "the mean street price".
    pub name: &'static str,
    /// For an axis or a title: "Fuel delivered", "Mean street price".
    pub label: &'static str,
    /// "million litres", "XOF per litre"; empty where the name says it ("shortage days").
    pub unit: String,
    pub scale: f64,
    pub decimals: usize,
}

impl MetricUnit {
    pub fn of(metric: &str, currency: &str) -> MetricUnit {
        let (_, scale, decimals) = crate::report::analysis::metric_label(metric, currency);
        let ml = "million litres";
        let price = format!("{currency} per litre");
        let none = String::new;
        let (name, label, unit) = match metric {
            "delivered_litres" => ("fuel delivered", "Fuel delivered", ml.to_string()),
            "lost_litres" => ("fuel destroyed", "Fuel destroyed", ml.to_string()),
            "tankers_lost" => ("tankers destroyed", "Tankers destroyed", none()),
            "convoys_attacked" => ("convoys attacked", "Convoys attacked", none()),
            "shortage_days" => ("shortage days", "Shortage days", none()),
            "unserved_litres" => ("demand not served", "Demand not served", ml.to_string()),
            "peak_price" => ("the peak street price", "Peak street price", price),
            "mean_price" => ("the mean street price", "Mean street price", price),
            "final_stock_litres" => ("the stock at the end", "Stock at the end", ml.to_string()),
            "in_transit_litres" => (
                "fuel on the road at the end",
                "Fuel on the road at the end",
                ml.to_string(),
            ),
            _ => ("the metric", "The metric", none()),
        };
        MetricUnit {
            name,
            label,
            unit,
            scale,
            decimals,
        }
    }

    /// An axis description: "Change in fuel delivered, million litres" for `prefix`
    /// "Change in".
    pub fn axis(&self, prefix: &str) -> String {
        let what = if prefix.is_empty() {
            self.label.to_string()
        } else {
            format!("{prefix} {}", self.name)
        };
        if self.unit.is_empty() {
            what
        } else {
            format!("{what}, {}", self.unit)
        }
    }

    /// A value in the unit, with the metric's decimals: "130.62".
    pub fn value(&self, x: f64) -> String {
        crate::report::table::grouped(x * self.scale, self.decimals)
    }

    /// A change in the unit with its sign: "+1.20", "-0.35".
    pub fn change(&self, x: f64) -> String {
        let text = self.value(x);
        if x > 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') {
            format!("+{text}")
        } else {
            text
        }
    }

    /// The unit after a number: " M L", " XOF/L", or nothing.
    pub fn short(&self) -> String {
        match self.unit.as_str() {
            "" => String::new(),
            "million litres" => " M L".to_string(),
            price => format!(" {}/L", price.trim_end_matches(" per litre")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metrics_read_with_their_units() {
        let m = MetricUnit::of("delivered_litres", "XOF");
        assert_eq!(
            m.axis("Change in"),
            "Change in fuel delivered, million litres"
        );
        assert_eq!(m.axis(""), "Fuel delivered, million litres");
        assert_eq!(
            (m.change(1.2e6), m.change(-3.5e5)),
            ("+1.20".into(), "-0.35".into())
        );
        assert_eq!(m.short(), " M L");
        let p = MetricUnit::of("mean_price", "XOF");
        assert_eq!(p.axis(""), "Mean street price, XOF per litre");
        assert_eq!(
            p.axis("Change in"),
            "Change in the mean street price, XOF per litre"
        );
        assert_eq!(p.short(), " XOF/L");
        let d = MetricUnit::of("shortage_days", "XOF");
        assert_eq!(d.axis("Change in"), "Change in shortage days");
        assert_eq!(d.short(), "");
    }
}
