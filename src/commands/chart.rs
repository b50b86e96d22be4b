//! `corridor chart`: redraw a run's charts and `report.html` from its output folder
//! (`results.json`, `run.json`, `scenario.toml`) without re-running it; and [`render`],
//! which `corridor run` and `merge` use too, so that all three write the same bytes.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use super::interrupt::{self, Promise, STOP};
use crate::cli::ChartOpts;
use crate::error::{Error, InputError, Result};
use crate::input_file::{MAX_RESULTS_BYTES, read_bounded};
use crate::report::chart::{self, Format};
use crate::report::meta::{RunMeta, sha256_hex};
use crate::report::{RunResults, files, html};
use crate::scenario::Scenario;

pub(super) fn chart(opts: &ChartOpts) -> Result<()> {
    interrupt::install(Promise::Nothing);
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
    crate::readback::check_results(&results, &scenario).map_err(|d| {
        d.refusal(
            &dir.join("results.json"),
            "results.json",
            "run the scenario again",
        )
    })?;
    // What the field-by-field checks leave to it: the sinks', classes' and staging points'
    // tables against the results' own horizon and lists.
    if let Some(why) = results.layout_error() {
        return Err(InputError::new(
            dir.join("results.json").display().to_string(),
            format!("damaged results.json: {why}; run the scenario again"),
        )
        .into());
    }
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
    // Drawn whole before a byte is written, so that a signal leaves the folder as it was.
    let Some(files) = render(&scenario, &results, meta.as_ref(), formats, Some(&STOP))? else {
        return Err(Error::Stopped("no chart was redrawn".into()));
    };
    let charts = files
        .iter()
        .filter(|(name, _)| name.starts_with("charts/"))
        .count();
    interrupt::uninterrupted(|| {
        for (name, bytes) in &files {
            let path = dir.join(name);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)
                    .map_err(|e| Error::io("cannot create the charts folder", parent, e))?;
            }
            files::write_atomic(&path, bytes)?;
        }
        Ok::<_, Error>(())
    })?;
    super::print_out(format!(
        "{} charts in {} and the report {}\n",
        charts / formats.len(),
        dir.join("charts").display(),
        dir.join("report.html").display()
    ))?;
    Ok(())
}

/// Every chart of `results` in each format (`charts/<name>.<ext>`) and `report.html`, as
/// file names and bytes, for `run`, `merge` and `chart` alike. `None` if `stop` was set
/// before all were drawn (a result whose drawing may be cut short passes it).
pub(super) fn render(
    scenario: &Scenario,
    results: &RunResults,
    meta: Option<&RunMeta>,
    formats: &[Format],
    stop: Option<&AtomicBool>,
) -> Result<Option<super::Files>> {
    let stopped = || stop.is_some_and(|s| s.load(Ordering::SeqCst));
    let charts = chart::charts(results);
    let mut files = Vec::new();
    let mut svgs = Vec::with_capacity(charts.len());
    for c in &charts {
        if stopped() {
            return Ok(None);
        }
        let svg = chart::render_svg(c, results)?;
        for &format in formats {
            let name = format!("charts/{}.{}", c.name, format.extension());
            match format {
                Format::Svg => files.push((name, svg.as_bytes().to_vec())),
                Format::Png => files.push((name, chart::render_png(c, results)?)),
            }
        }
        svgs.push(svg);
    }
    let page = html::report_html(results, scenario, meta, &charts, &svgs);
    files.push(("report.html".to_string(), page.into_bytes()));
    Ok((!stopped()).then_some(files))
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
    let results: RunResults = serde_json::from_slice(&bytes).map_err(|e| InputError {
        origin: path.display().to_string(),
        position: Some((e.line(), e.column())),
        message: format!(
            "not the results.json of this version of corridor ({e}); run the scenario again"
        ),
    })?;
    Ok(results)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stop_during_the_drawing_leaves_nothing_drawn() {
        let scenario = Scenario::builtin_default();
        let results = crate::simulate(&scenario, 1, 4, 1);
        let all = render(&scenario, &results, None, &[Format::Svg], None).unwrap();
        let names: Vec<&str> = all.iter().flatten().map(|(n, _)| n.as_str()).collect();
        assert!(names.contains(&"report.html") && names.contains(&"charts/stock.svg"));
        let stop = AtomicBool::new(true);
        let cut = render(&scenario, &results, None, &[Format::Svg], Some(&stop)).unwrap();
        assert!(cut.is_none());
    }
}
