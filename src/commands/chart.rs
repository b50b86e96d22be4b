//! `corridor chart`: redraw a run's charts and `report.html` from its output folder
//! (`results.json`, `run.json`, `scenario.toml`) without re-running it; and [`publish`],
//! which `corridor run` uses too, so that both write the same bytes.

use std::path::Path;

use crate::cli::ChartOpts;
use crate::error::{Error, InputError, Result};
use crate::input_file::{MAX_RESULTS_BYTES, read_bounded};
use crate::report::chart::{self, Format};
use crate::report::meta::{RunMeta, sha256_hex};
use crate::report::{RunResults, files, html};
use crate::scenario::Scenario;

pub(super) fn chart(opts: &ChartOpts) -> Result<()> {
    let dir = &opts.dir;
    if !dir.is_dir() {
        let why = if dir.exists() {
            "is not a folder"
        } else {
            "no such folder"
        };
        return Err(InputError::new(dir.display().to_string(), why).into());
    }
    let results = read_results(dir)?;
    let meta = RunMeta::read(dir)?;
    let scenario_path = dir.join("scenario.toml");
    let scenario = Scenario::load(&scenario_path)?;
    if let Some(m) = &meta {
        let text = read_bounded(&scenario_path, "scenario", crate::scenario::MAX_FILE_BYTES)?;
        if sha256_hex(&text) != m.scenario_sha256 {
            super::print_err(format!(
                "warning: {} has changed since the run; the report describes the file as it is now",
                scenario_path.display()
            ));
        }
    }
    let formats = super::formats(opts.format);
    let written = publish(dir, &scenario, &results, meta.as_ref(), formats)?;
    super::print_out(format!(
        "{written} charts in {} and the report {}\n",
        dir.join("charts").display(),
        dir.join("report.html").display()
    ))?;
    Ok(())
}

/// Draws every chart of `results` into `dir/charts/` in each format, and `dir/report.html`.
/// Returns the number of charts.
pub(super) fn publish(
    dir: &Path,
    scenario: &Scenario,
    results: &RunResults,
    meta: Option<&RunMeta>,
    formats: &[Format],
) -> Result<usize> {
    let charts_dir = dir.join("charts");
    std::fs::create_dir_all(&charts_dir)
        .map_err(|e| Error::io("cannot create the charts folder", &charts_dir, e))?;
    let charts = chart::charts(results);
    let mut svgs = Vec::with_capacity(charts.len());
    for c in &charts {
        let svg = chart::render_svg(c, results)?;
        for &format in formats {
            let path = charts_dir.join(format!("{}.{}", c.name, format.extension()));
            match format {
                Format::Svg => files::write_atomic(&path, svg.as_bytes())?,
                Format::Png => files::write_atomic(&path, &chart::render_png(c, results)?)?,
            }
        }
        svgs.push(svg);
    }
    let page = html::report_html(results, scenario, meta, &charts, &svgs);
    files::write_atomic(&dir.join("report.html"), page.as_bytes())?;
    Ok(charts.len())
}

fn read_results(dir: &Path) -> Result<RunResults> {
    let path = dir.join("results.json");
    let bytes = read_bounded(&path, "results", MAX_RESULTS_BYTES).map_err(|mut e| {
        let why = e
            .message
            .trim_start_matches("cannot read the results file: ");
        e.message = format!("{why}; give the output folder of `corridor run`");
        e
    })?;
    serde_json::from_slice(&bytes).map_err(|e| {
        InputError {
            origin: path.display().to_string(),
            position: Some((e.line(), e.column())),
            message: format!(
                "not the results.json of this version of corridor ({e}); run the scenario again"
            ),
        }
        .into()
    })
}
