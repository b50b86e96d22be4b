//! `corridor run`: the Monte Carlo of one scenario, its table and its output folder.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::time::{Instant, SystemTime};

use crate::analysis::precision::{self, run_to_precision};
use crate::cli::RunOpts;
use crate::error::{Error, InputError, Result};
use crate::report::chart::Format;
use crate::report::meta::RunMeta;
use crate::report::{RunResults, files, table};
use crate::shard::{self, PartialResult};
use crate::sim::model::Model;
use crate::sim::run::{RunConfig, run_trials};

/// Set by a signal handler to stop a run after the blocks in progress.
pub static STOP: AtomicBool = AtomicBool::new(false);

pub(super) fn run(opts: RunOpts) -> Result<()> {
    let scenario = super::load(opts.scenario.as_deref())?;
    let (first_trial, trials) = match opts.shard {
        None => (0, opts.trials),
        Some(shard) => match shard.range(opts.trials) {
            (_, 0) => {
                let msg = format!(
                    "shard {}/{} of {} trials holds no trial; use at most {} shards",
                    shard.index, shard.count, opts.trials, opts.trials
                );
                return Err(InputError::flag("--shard", msg).into());
            }
            range => range,
        },
    };
    let out_dir = opts.out.clone().unwrap_or_else(|| {
        let dir = PathBuf::from("output").join(&scenario.name);
        match opts.shard {
            Some(s) => dir.join(format!("shard-{}-of-{}", s.index, s.count)),
            None => dir,
        }
    });
    if out_dir.exists() && !out_dir.is_dir() {
        return Err(InputError::flag(
            "--out",
            format!("{} is a file, not a folder", out_dir.display()),
        )
        .into());
    }
    let threads = opts
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let config = RunConfig {
        seed: opts.seed,
        first_trial,
        trials,
        threads,
    };
    let bar = (!opts.quiet && std::io::stderr().is_terminal()).then(|| progress_bar(trials));
    let progress = |done: u64| {
        if let Some(bar) = &bar {
            if opts.precision.is_some() {
                bar.set_length((done / precision::STEP + 1) * precision::STEP);
            }
            bar.set_position(done);
        }
    };
    let started = Instant::now();
    let started_at = SystemTime::now();
    let model = Model::new(&scenario);
    // With --precision (never with --shard): the trials run and the trials asked for.
    let (tally, requested, precision_run) = match opts.precision {
        None => (
            run_trials(&model, &config, &progress, &STOP),
            opts.trials,
            None,
        ),
        Some(p) => {
            let max = opts.max_trials.unwrap_or(precision::DEFAULT_MAX_TRIALS);
            let run = run_to_precision(&model, opts.seed, p, max, threads, &progress, &STOP);
            let done = run.tally.trials;
            let stopped = !run.reached && done < max;
            let note = (p, run.achieved, run.reached);
            (run.tally, if stopped { max } else { done }, Some(note))
        }
    };
    let elapsed = started.elapsed().as_secs_f64();
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    if let Some(shard) = opts.shard {
        if tally.trials < trials {
            return Err(Error::Interrupted {
                done: tally.trials,
                requested: trials,
            });
        }
        let resolved = scenario.to_resolved_toml();
        let partial = PartialResult {
            format: shard::FORMAT.into(),
            version: shard::VERSION,
            corridor: env!("CARGO_PKG_VERSION").into(),
            scenario: scenario.name.clone(),
            scenario_sha256: crate::report::meta::sha256_hex(resolved.as_bytes()),
            seed: opts.seed,
            trials: opts.trials,
            shard,
            first_trial,
            shard_trials: trials,
            tally,
        };
        std::fs::create_dir_all(&out_dir)
            .map_err(|e| Error::io("cannot create the output folder", &out_dir, e))?;
        files::write_atomic(&out_dir.join("scenario.toml"), resolved.as_bytes())?;
        let json = serde_json::to_string(&partial).expect("a tally serializes");
        files::write_atomic(&out_dir.join(shard::PARTIAL_FILE), json.as_bytes())?;
        if !opts.quiet {
            println!(
                "shard {}/{}: trials {} to {} of {} in {elapsed:.2} s; partial result in {}",
                shard.index,
                shard.count,
                table::grouped(first_trial as f64, 0),
                table::grouped((first_trial + trials - 1) as f64, 0),
                table::grouped(opts.trials as f64, 0),
                out_dir.join(shard::PARTIAL_FILE).display()
            );
        }
        return Ok(());
    }
    let results = RunResults::finish(&scenario, &tally, opts.seed, requested);
    let resolved = scenario.to_resolved_toml();
    files::write_run(&out_dir, &resolved, &results)?;
    // What varies from run to run (time, threads) goes to run.json, never to the results.
    let meta = RunMeta::new(&resolved, started_at, elapsed, threads);
    files::write_atomic(&out_dir.join(RunMeta::FILE), meta.to_json().as_bytes())?;
    if !opts.no_charts {
        super::chart::publish(&out_dir, &scenario, &results, Some(&meta), &[Format::Svg])?;
    }
    if !opts.quiet {
        print!("{}", table::summary_table(&results));
        println!(
            "\n{} trials in {elapsed:.2} s on {threads} thread{} ({} trials/s); results in {}",
            table::grouped(tally.trials as f64, 0),
            if threads == 1 { "" } else { "s" },
            table::grouped(tally.trials as f64 / elapsed.max(1e-9), 0),
            out_dir.display()
        );
        if let Some((asked, achieved, reached)) = precision_run {
            println!(
                "precision {}: the 95 % half-width of mean delivered litres is {:.3} % of the \
                 mean after {} trials (asked for {} %)",
                if reached { "reached" } else { "NOT reached" },
                achieved * 100.0,
                table::grouped(tally.trials as f64, 0),
                asked * 100.0
            );
        }
        if !opts.no_charts {
            println!(
                "Charts and a one-page report: {}",
                out_dir.join("report.html").display()
            );
        }
    }
    if results.interrupted {
        return Err(Error::Interrupted {
            done: tally.trials,
            requested,
        });
    }
    Ok(())
}

pub(super) fn progress_bar(trials: u64) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(trials);
    let style = indicatif::ProgressStyle::with_template(
        "{spinner} {bar:40} {pos}/{len} trials  {per_sec}  eta {eta}",
    )
    .expect("a valid progress template");
    bar.set_style(style);
    bar
}
