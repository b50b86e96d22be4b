//! What each subcommand does: load, run, print, write. The binary calls [`execute`]; this
//! module and its children are the only code that prints to the terminal.

mod bench;
mod chart;
mod compare;
mod criticality;
mod interrupt;
mod merge;
mod network;
mod optimize;
mod run;
mod sweep;
mod validate;

use std::fmt::Display;
use std::io::{IsTerminal, Write as _};
use std::path::{Path, PathBuf};

pub use interrupt::STOP;
pub use network::{network_csv, network_dot, network_geojson};

use crate::cli::{AnalysisOpts, ChartFormat, Cli, Command};
use crate::error::{Error, InputError, Result};
use crate::output::OutputDir;
use crate::report::chart::Format;
use crate::report::chart::analysis::Figure;
use crate::report::files;
use crate::scenario::Scenario;

pub fn execute(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Run(opts) => run::run(opts),
        Command::Validate(opts) => validate::validate(&opts),
        Command::Network(opts) => network::network(&opts),
        Command::Merge(opts) => merge::merge(&opts),
        Command::Bench(opts) => bench::bench(&opts),
        Command::Compare(opts) => compare::compare(&opts),
        Command::Criticality(opts) => criticality::criticality(&opts),
        Command::Sweep(opts) => sweep::sweep(&opts),
        Command::Optimize(opts) => optimize::optimize(&opts),
        Command::Chart(opts) => chart::chart(&opts),
    }
}

/// Prints to standard output. A reader that stops reading (`corridor network | head`) ends
/// the output quietly; any other failure, such as a full disk, is an error (`print!` would
/// panic on either).
pub(crate) fn print_out(text: impl Display) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match write!(out, "{text}").and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Error::io("cannot write", "the standard output", e))
        }
        _ => Ok(()),
    }
}

/// Prints a line to standard error if it can: if not, there is nowhere to report it.
pub(crate) fn print_err(line: impl Display) {
    let _ = writeln!(std::io::stderr(), "{line}");
}

/// The scenario as its `scenario.toml` will hold it, made before any trial: one that could
/// not be read back (larger, with its network and every default written out, than a
/// scenario file may be) is bad input.
pub(crate) fn resolved_toml(scenario: &Scenario) -> Result<String> {
    let text = scenario.to_resolved_toml();
    let max = crate::scenario::MAX_FILE_BYTES;
    if text.len() as u64 > max {
        let msg = format!(
            "written out in full, with its network and every default, it would be {} MB, more than the {} MB a scenario file may be, so its scenario.toml could not be read back; make its network smaller",
            text.len() >> 20,
            max >> 20
        );
        return Err(InputError::new(format!("scenario \"{}\"", scenario.name), msg).into());
    }
    Ok(text)
}

/// A scenario file, or the built-in default when there is none.
pub(crate) fn load(path: Option<&Path>) -> Result<Scenario> {
    match path {
        Some(p) => Scenario::load(p),
        None => Ok(Scenario::builtin_default()),
    }
}

/// A result's files: each name, relative to its folder, and its bytes.
pub(crate) type Files = Vec<(String, Vec<u8>)>;

/// Makes the hidden staging folder of a command's output before its work starts (see
/// `output::OutputDir`): an unusable `--out` is bad input found at once. A second signal
/// removes the folder; a note names any that killed runs had left there.
pub(crate) fn prepare_output(target: &Path, quiet: bool) -> Result<OutputDir> {
    let output = OutputDir::prepare(target)?;
    if !quiet {
        for dir in output.swept() {
            print_err(format!(
                "note: removed {}, the unfinished folder of a run that was killed",
                dir.display()
            ));
        }
    }
    interrupt::set_unfinished(output.leftovers());
    Ok(output)
}

/// Writes `files` (a name relative to the folder, and its bytes) into the staging folder
/// and puts it in place, with a second signal held off meanwhile. Returns where an earlier
/// result there was moved.
pub(crate) fn put_in_place(
    output: OutputDir,
    files: &[(String, Vec<u8>)],
) -> Result<Option<PathBuf>> {
    interrupt::uninterrupted(|| {
        output.write(|dir| {
            for (name, bytes) in files {
                let path = dir.join(name);
                if let Some(parent) = path.parent() {
                    std::fs::create_dir_all(parent)
                        .map_err(|e| Error::io("cannot create the folder", parent, e))?;
                }
                files::write_atomic(&path, bytes)?;
            }
            Ok(())
        })?;
        output.commit()
    })
}

/// "the earlier result in that folder was moved to DIR", or nothing.
pub(crate) fn moved_aside(earlier: Option<&Path>) -> String {
    earlier.map_or_else(String::new, |dir| {
        format!(
            "the earlier result in that folder was moved to {}\n",
            dir.display()
        )
    })
}

/// `--threads`, or every core.
pub(crate) fn threads(opt: Option<usize>) -> usize {
    opt.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// A progress bar over `trials` on a terminal, unless quiet.
pub(crate) fn progress_bar(trials: u64, quiet: bool) -> Option<indicatif::ProgressBar> {
    (!quiet && std::io::stderr().is_terminal()).then(|| run::progress_bar(trials))
}

/// Runs `work` under a progress bar (on a terminal, unless quiet), handing it the progress
/// callback; returns its result and the wall time in seconds.
pub(crate) fn with_progress<R>(
    trials: u64,
    quiet: bool,
    work: impl FnOnce(&(dyn Fn(u64) + Sync)) -> R,
) -> (R, f64) {
    let bar = progress_bar(trials, quiet);
    let started = std::time::Instant::now();
    let result = work(&|done| {
        if let Some(bar) = &bar {
            bar.set_position(done);
        }
    });
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    (result, started.elapsed().as_secs_f64())
}

/// An analysis stopped before any trial finished writes nothing.
pub(crate) fn require_some(done: u64, requested: u64) -> Result<()> {
    if done == 0 {
        print_err("no trial had finished, so nothing was written");
        return Err(Error::Interrupted { done, requested });
    }
    Ok(())
}

/// How an analysis ends once its folder is in place: 0 if whole, 130 if its trials were
/// cut short (a partial result, marked in its JSON) or its charts were not drawn.
pub(crate) fn analysis_end(
    done: u64,
    requested: u64,
    undrawn: bool,
    dir: &Path,
    json: &str,
) -> Result<()> {
    if undrawn {
        return Err(Error::Stopped(format!(
            "the results of all {done} trials are in {}, marked \"interrupted\" in {json} as their charts were not drawn",
            dir.display()
        )));
    }
    if done < requested {
        print_err(format!(
            "the partial result of {done} trials is in {} (its {json} says \"interrupted\": true)",
            dir.display()
        ));
        return Err(Error::Interrupted { done, requested });
    }
    Ok(())
}

/// "2,000 trials in 1.23 s on 2 threads; results in DIR": the closing line of a command.
pub(crate) fn closing_line(what: &str, seconds: f64, threads: usize, dir: &Path) -> String {
    format!(
        "{what} in {seconds:.2} s on {threads} thread{}; results in {}",
        if threads == 1 { "" } else { "s" },
        dir.display()
    )
}

/// The chart formats `--format` asks for.
pub(crate) fn formats(format: ChartFormat) -> &'static [Format] {
    match format {
        ChartFormat::Svg => &[Format::Svg],
        ChartFormat::Png => &[Format::Png],
        ChartFormat::Both => &[Format::Svg, Format::Png],
    }
}

/// An analysis's charts in the formats of `--format` (none with `--no-charts`), as file
/// names and bytes. Those of a complete result stop at a signal (`None`); those of a
/// partial one (`partial`) are drawn whole, since they take moments.
pub(crate) fn render_figures(
    figures: &[Figure],
    opts: &AnalysisOpts,
    partial: bool,
) -> Result<Option<Files>> {
    let mut rendered = Vec::new();
    if opts.no_charts {
        return Ok(Some(rendered));
    }
    for figure in figures {
        for &format in formats(opts.format) {
            if !partial && interrupt::stopped() {
                return Ok(None);
            }
            let name = format!("{}.{}", figure.name, format.extension());
            rendered.push((name, figure.render(format)?));
        }
    }
    Ok(Some(rendered))
}
