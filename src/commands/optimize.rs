//! `corridor optimize`: where escort units should go, chosen by simulation with a stated
//! probability of having chosen right (`analysis::optimize`).

use std::fmt::Write as _;
use std::path::PathBuf;

use super::interrupt::{self, Promise, STOP};
use crate::analysis::optimize::{self, Candidate, OptimizeResults, Search, ci95, mean};
use crate::analysis::path::Setting;
use crate::analysis::variant::WrittenScenario;
use crate::cli::OptimizeOpts;
use crate::error::{InputError, Result};
use crate::report::analysis::{json, metric_label};
use crate::report::chart::analysis::optimize_figures;
use crate::report::files::csv_field;
use crate::report::table::grouped;
use crate::sim::model::Model;
use crate::sim::outcome::metric_index;

/// Metrics where more is better; for every other one less is.
const MORE_IS_BETTER: [&str; 2] = ["delivered_litres", "final_stock_litres"];

pub(super) fn optimize(opts: &OptimizeOpts) -> Result<()> {
    interrupt::install(Promise::Partial);
    let base = WrittenScenario::load(opts.scenario.as_deref())?;
    let scenario = &base.scenario;
    let ids: Vec<String> = scenario
        .staging
        .iter()
        .map(|p| scenario.network.node(p.node).id.clone())
        .collect();
    if ids.is_empty() {
        return Err(InputError::flag(
            "--units",
            format!(
                "scenario \"{}\" has no [[staging]] point to share escort units among",
                scenario.name
            ),
        )
        .into());
    }
    let points = if opts.at.is_empty() {
        ids.clone()
    } else {
        for at in &opts.at {
            if !ids.contains(at) {
                return Err(InputError::flag(
                    "--at",
                    format!(
                        "\"{at}\" is not a staging point; staging points: {}",
                        ids.join(", ")
                    ),
                )
                .into());
            }
        }
        opts.at.clone()
    };
    let settings = opts
        .sets
        .iter()
        .map(|arg| Setting::parse(arg, scenario))
        .collect::<Result<Vec<_>, InputError>>()?;
    let plans = optimize::plans(opts.units, points.len(), &settings)?;
    let scenarios = plans
        .iter()
        .map(|p| optimize::build(&base, &points, &settings, p))
        .collect::<Result<Vec<_>, InputError>>()?;
    let a = &opts.analysis;
    let maximize =
        opts.maximize || (!opts.minimize && MORE_IS_BETTER.contains(&opts.metric.as_str()));
    let max_batches = (opts.max_trials / opts.batch).max(opts.first_batches);
    let out_dir = opts.out.clone().unwrap_or_else(|| {
        PathBuf::from("output")
            .join(&scenario.name)
            .join("optimize")
    });
    let threads = super::threads(a.threads);
    let output = super::prepare_output(&out_dir, a.quiet)?;
    let search = Search {
        models: scenarios.iter().map(Model::new).collect(),
        metric: metric_index(&opts.metric).expect("clap accepts only MODEL.md metrics"),
        maximize,
        batch_trials: opts.batch,
        first_batches: opts.first_batches,
        max_batches,
        confidence: opts.confidence,
        delta: opts.delta,
        seed: a.seed,
        threads,
        stop: &STOP,
    };
    let budget = max_batches * opts.batch * plans.len() as u64;
    let (found, elapsed) = super::with_progress(budget, a.quiet, |progress| search.run(progress));
    let spent: u64 = found
        .batches
        .iter()
        .map(|b| b.len() as u64 * opts.batch)
        .sum();
    super::require_some(spent, 1)?;
    let results = finish(opts, scenario, &points, &settings, &plans, found, maximize);
    let figures = optimize_figures(&results);
    let charts = super::render_figures(&figures, a, results.interrupted)?;
    let mut files = vec![
        (
            "optimize.csv".to_string(),
            optimize_csv(&results).into_bytes(),
        ),
        ("optimize.json".to_string(), json(&results).into_bytes()),
        (
            "chosen.toml".to_string(),
            super::resolved_toml(&scenarios[results.chosen])?.into_bytes(),
        ),
    ];
    files.extend(charts.unwrap_or_default());
    let earlier = super::put_in_place(output, &files)?;
    if !a.quiet {
        let what = format!(
            "\n{} candidates, {} trials",
            results.candidates.len(),
            grouped(results.trials_spent as f64, 0)
        );
        let closing = super::closing_line(&what, elapsed, threads, &out_dir);
        let moved = super::moved_aside(earlier.as_deref());
        super::print_out(format!("{}{closing}\n{moved}", table(&results)))?;
    }
    // A search cut short asked for more trials than it ran; a finished one ran what it asked.
    let done = results.trials_spent;
    let asked = done + u64::from(results.interrupted);
    super::analysis_end(done, asked, false, &out_dir, "optimize.json")
}

fn finish(
    opts: &OptimizeOpts,
    scenario: &crate::scenario::Scenario,
    points: &[String],
    settings: &[Setting],
    plans: &[optimize::Plan],
    found: optimize::Searched,
    maximize: bool,
) -> OptimizeResults {
    let sign = if maximize { 1.0 } else { -1.0 };
    let alive: Vec<usize> = (0..plans.len())
        .filter(|&i| found.dropped_after[i].is_none())
        .collect();
    let chosen = alive
        .iter()
        .copied()
        .max_by(|&i, &l| {
            (sign * mean(&found.batches[i])).total_cmp(&(sign * mean(&found.batches[l])))
        })
        .unwrap_or(0);
    let best = &found.batches[chosen];
    let candidates: Vec<Candidate> = plans
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let own = &found.batches[i];
            let n = own.len().min(best.len());
            let diff: Vec<f64> = own[..n]
                .iter()
                .zip(&best[..n])
                .map(|(a, b)| a - b)
                .collect();
            Candidate {
                units: p.units.clone(),
                values: p.values.clone(),
                batches: own.len() as u64,
                mean: mean(own),
                ci95: ci95(own),
                difference: mean(&diff),
                difference_ci95: ci95(&diff),
                dropped_after: found.dropped_after[i],
            }
        })
        .collect();
    let trials_spent = candidates.iter().map(|c| c.batches * opts.batch).sum();
    OptimizeResults {
        scenario: scenario.name.clone(),
        procedure: "Kim and Nelson (2001) fully sequential procedure KN, common random numbers, batch means",
        metric: opts.metric.clone(),
        maximize,
        currency: scenario.price.currency.clone(),
        units: opts.units,
        points: points.to_vec(),
        inputs: settings.iter().map(|s| s.path.text.clone()).collect(),
        delta: found.delta,
        confidence: opts.confidence,
        batch_trials: opts.batch,
        first_batches: opts.first_batches,
        seed: opts.analysis.seed,
        chosen,
        separated: alive.len() == 1 && !found.interrupted,
        trials_if_all: best.len() as u64 * opts.batch * plans.len() as u64,
        trials_spent,
        candidates,
        interrupted: found.interrupted,
    }
}

fn table(r: &OptimizeResults) -> String {
    let (label, scale, decimals) = metric_label(&r.metric, &r.currency);
    let mut t = String::new();
    let _ = writeln!(
        t,
        "optimize: {}, {} units among {}; {} ({}), delta {}, confidence {} %\n{}\n",
        r.scenario,
        r.units,
        r.points.join(", "),
        label,
        if r.maximize { "largest" } else { "smallest" },
        grouped(r.delta * scale, decimals),
        grouped(100.0 * r.confidence, 1),
        r.procedure
    );
    let _ = writeln!(
        t,
        "{:<40} {:>8} {:>14} {:>10} {:>20} {:>12}",
        "candidate", "trials", "mean", "± 95 %", "vs chosen", "status"
    );
    for i in r.ranked() {
        let c = &r.candidates[i];
        let status = match c.dropped_after {
            _ if i == r.chosen => "chosen".to_string(),
            None => "not separated".to_string(),
            Some(b) => format!("out after {b}"),
        };
        let _ = writeln!(
            t,
            "{:<40} {:>8} {:>14} {:>10} {:>20} {:>12}",
            c.label(&r.points, &r.inputs),
            grouped((c.batches * r.batch_trials) as f64, 0),
            grouped(c.mean * scale, decimals),
            grouped(c.ci95 * scale, decimals),
            format!(
                "{} ± {}",
                grouped(c.difference * scale, decimals),
                grouped(c.difference_ci95 * scale, decimals)
            ),
            status
        );
    }
    let chosen = &r.candidates[r.chosen];
    let _ = writeln!(
        t,
        "\n{}: {}. {} trials against {} to run every candidate as long as the chosen one.",
        if r.separated {
            "Chosen, better than every other by the indifference zone at the stated confidence"
        } else if r.interrupted {
            "Stopped before the search ended; best so far"
        } else {
            "Not separated within --max-trials; best of the survivors"
        },
        chosen.label(&r.points, &r.inputs),
        grouped(r.trials_spent as f64, 0),
        grouped(r.trials_if_all as f64, 0)
    );
    t
}

fn optimize_csv(r: &OptimizeResults) -> String {
    let mut t = String::new();
    let mut header: Vec<String> = r.points.iter().map(|p| format!("units.{p}")).collect();
    header.extend(r.inputs.iter().cloned());
    header.extend(
        [
            "trials",
            "mean",
            "ci95",
            "difference_to_chosen",
            "difference_ci95",
            "dropped_after_batch",
            "chosen",
        ]
        .map(String::from),
    );
    let header: Vec<String> = header.iter().map(|h| csv_field(h)).collect();
    let _ = writeln!(t, "{}", header.join(","));
    for (i, c) in r.candidates.iter().enumerate() {
        let mut row: Vec<String> = c.units.iter().map(u32::to_string).collect();
        row.extend(c.values.iter().map(|v| v.to_string()));
        row.push((c.batches * r.batch_trials).to_string());
        row.extend([c.mean, c.ci95, c.difference, c.difference_ci95].map(|x| x.to_string()));
        row.push(c.dropped_after.map_or_else(String::new, |b| b.to_string()));
        row.push((i == r.chosen).to_string());
        let _ = writeln!(t, "{}", row.join(","));
    }
    t
}
