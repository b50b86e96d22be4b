//! The sections about the 2025 blockade: observed against simulated, the reported
//! incidents, and how the result moves across the uncertain inputs.

use super::*;

pub(crate) fn baseline_delivered() -> f64 {
    dist(&run(&load("baseline"), 1, false).delivered).mean
}

pub(crate) fn observed_section(b: &Scenario, t: &Trials, base: f64) -> String {
    let mut o = String::new();
    let lost = dist(&t.lost);
    let attacks = dist(&t.attacks);
    let share: Vec<f64> = t.delivered.iter().map(|d| d / base).collect();
    let share = dist(&share);
    let price = dist(&t.late_october_price);
    let schools = dist(&t.schools_closed_shortage_share);
    let _ = writeln!(
        o,
        "`bamako-2025`, {} trials, seed {SEED}. Reported figures and their sources are in \
         `../shared/data/FACTS.md`.\n",
        num(MAIN_TRIALS as f64, 0)
    );
    o += "| observation | observed | simulated mean | simulated 5-95 % | fit |\n";
    o += "| --- | --- | --- | --- | --- |\n";
    let _ = writeln!(
        o,
        "| Tankers destroyed, 3 Sep - 1 Dec | about 200-300 (FACTS section 4: named incidents \
         ~200-250; Wikipedia >= 300 by Dec 2025, of which > 20 on 6 Dec) | {} | {} | {} |",
        num(lost.mean, 0),
        range(lost, 0),
        fit(lost, 200.0, 300.0)
    );
    let _ = writeln!(
        o,
        "| Attacks on convoys | at least 8 named (FACTS section 4); smaller ones go unreported \
         | {} | {} | {} |",
        num(attacks.mean, 1),
        range(attacks, 0),
        if attacks.p5 >= 8.0 {
            "fits: at least the named ones"
        } else {
            "low: fewer than the named ones in some trials"
        }
    );
    o += &date_row(
        b,
        &t.first_shortage,
        "First day short in Bamako | queues from 5-7 September (FACTS section 4): within 3-10 Sep",
        FIRST_SHORT_WINDOW,
    );
    o += &date_row(
        b,
        &t.first_dry,
        "Bamako's depot first dry (short with nothing in stock) | ONAP's stock gone late \
         September - early October (FACTS row 27, section 4): within 25 Sep - 10 Oct",
        DEPOT_DRY_WINDOW,
    );
    let _ = writeln!(
        o,
        "| Share of normal supply delivered (against `baseline`) | 40-60 % (inferred, not \
         counted: FACTS section 5; see below) | {} | {} - {} | {} |",
        pct(share.mean),
        pct(share.p5),
        pct(share.p95),
        fit(share, 0.4, 0.6)
    );
    let _ = writeln!(
        o,
        "| Street price in Bamako, mean of 25-31 Oct, FCFA/L | within 1,500-2,500: AFP's 2,000 \
         (29 Oct, row 31) | {} | {} | {}; {} AFP's 2,000 |",
        num(price.mean, 0),
        range(price, 0),
        fit(price, 1500.0, 2500.0),
        if price.mean >= 2000.0 {
            format!("{:.0} % above", 100.0 * (price.mean / 2000.0 - 1.0))
        } else {
            format!("{:.0} % below", 100.0 * (1.0 - price.mean / 2000.0))
        }
    );
    let _ = writeln!(
        o,
        "| Days short of fuel while schools were shut for it, 27 Oct - 9 Nov | all of them \
         (FACTS section 4): at least 90 % | {} | {} - {} | {} |",
        pct(schools.mean),
        pct(schools.p5),
        pct(schools.p95),
        if schools.mean >= 0.9 {
            "fits: the mean is at least 90 %"
        } else {
            "low: the model has fuel on some of those days"
        }
    );
    o
}

/// A row of the observed table for a first day: its mean date, 5-95 %, and the share of
/// trials within the reported window (inclusive days).
fn date_row(b: &Scenario, days: &[f64], what: &str, window: (usize, usize)) -> String {
    let d = dist(days);
    let share =
        |f: &dyn Fn(f64) -> bool| days.iter().filter(|&&x| f(x)).count() as f64 / days.len() as f64;
    let (lo, hi) = (window.0 as f64, window.1 as f64);
    let inside = share(&|x| (lo..=hi).contains(&x));
    let fit = if (lo..=hi).contains(&d.mean.floor()) {
        "fits: the mean is in the window"
    } else if d.mean < lo {
        "misfit: early"
    } else {
        "misfit: late"
    };
    format!(
        "| {what} | {} | {} - {} | {fit}; {} of trials inside, {} before, {} after |\n",
        date(b, d.mean),
        date(b, d.p5),
        date(b, d.p95),
        pct(inside),
        pct(share(&|x| x < lo)),
        pct(share(&|x| x > hi)),
    )
}

pub(crate) fn incidents_section(t: &Trials) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "`bamako-2025`, {} trials: tankers destroyed where and when the reports place them \
         (an attack counts where it happens, on the day it happens).\n",
        num(MAIN_TRIALS as f64, 0)
    );
    o += "| incident (roads, days) | reported destroyed | simulated mean | simulated 5-95 % |\n";
    o += "| --- | --- | --- | --- |\n";
    for (i, inc) in INCIDENTS.iter().enumerate() {
        let d = dist(&t.incidents[i]);
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} |",
            inc.what,
            inc.reported,
            num(d.mean, 1),
            range(d, 0)
        );
    }
    let lost = dist(&t.lost);
    let _ = writeln!(
        o,
        "| all | about 200-300 | {} | {} |",
        num(lost.mean, 1),
        range(lost, 0)
    );
    o
}

/// One variant of bamako-2025 for the sensitivity table.
pub(crate) struct Variant {
    label: String,
    scenario: Scenario,
}

/// The headline sink's demand scaled to `total` litres a day, every class in proportion.
fn scale_demand(s: &mut Scenario, total: f64) {
    let factor = total / s.headline().daily_demand_litres();
    match &mut s.sinks[0].demand {
        Demand::Total(d) => *d = total,
        Demand::Classes(classes) => {
            for c in classes {
                c.litres_per_day *= factor;
            }
        }
    }
}

pub(crate) fn variants(b: &Scenario) -> Vec<Variant> {
    let mut v = Vec::new();
    let mut add = |label: &str, f: &dyn Fn(&mut Scenario)| {
        let mut s = b.clone();
        f(&mut s);
        v.push(Variant {
            label: label.to_string(),
            scenario: s,
        });
    };
    add("as shipped", &|_| {});
    let demand = b.headline().daily_demand_litres();
    add("demand 3.0 M L/day (FACTS section 3: 2.5-3.5)", &|s| {
        scale_demand(s, 3_000_000.0)
    });
    add("demand 3.5 M L/day", &|s| scale_demand(s, 3_500_000.0));
    add("initial stock 3 days (section 3: 3-7 days)", &|s| {
        s.sinks[0].initial_stock_litres = 3.0 * demand
    });
    add("initial stock 7 days", &|s| {
        s.sinks[0].initial_stock_litres = 7.0 * demand
    });
    add("elasticity -0.4 (section 5: -0.4 to -0.6)", &|s| {
        s.price.elasticity = -0.4
    });
    add("elasticity -0.6", &|s| s.price.elasticity = -0.6);
    add(
        "loss per attack Beta(2, 6), mean 25 % (section 4: 20-50 %)",
        &|s| {
            s.attack.loss_alpha = 2.0;
            s.attack.loss_beta = 6.0;
        },
    );
    add("loss per attack Beta(4, 5), mean 44 %", &|s| {
        s.attack.loss_alpha = 4.0;
        s.attack.loss_beta = 5.0;
    });
    add("every hazard x 0.5 (the hazards are tuned)", &|s| {
        s.threats
            .iter_mut()
            .for_each(|t| t.attacks_per_100km *= 0.5)
    });
    add("every hazard x 1.5", &|s| {
        s.threats
            .iter_mut()
            .for_each(|t| t.attacks_per_100km *= 1.5)
    });
    add("escorts do not deter (army attack_mult 1)", &|s| {
        s.escorts
            .iter_mut()
            .filter(|e| e.name == "army")
            .for_each(|e| e.attack_mult = 1.0)
    });
    add(
        "fleets + 50 % (slack: \"up to 6,000 a month\", row 24)",
        &|s| {
            s.streams
                .iter_mut()
                .filter_map(|st| st.fleet.as_mut())
                .for_each(|f| *f = (f64::from(*f) * 1.5).round() as u32)
        },
    );
    add("unlimited tankers (no fleets)", &|s| {
        s.streams.iter_mut().for_each(|st| st.fleet = None)
    });
    v
}

pub(crate) fn sensitivity_section(b: &Scenario, base: f64) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "`bamako-2025` with one input changed at a time, {} trials each. Share = fuel \
         delivered against `baseline`'s. Price = the mean street price of 25-31 October.\n",
        num(TRIALS as f64, 0)
    );
    o += "| variant | tankers destroyed, mean (5-95 %) | depot first dry, median (5-95 %) | \
          share of normal supply | shortage days | price 25-31 Oct, mean (5-95 %) |\n";
    o += "| --- | --- | --- | --- | --- | --- |\n";
    for v in variants(b) {
        let t = run(&v.scenario, TRIALS, false);
        let lost = dist(&t.lost);
        let first = dist(&t.first_dry);
        let share: Vec<f64> = t.delivered.iter().map(|d| d / base).collect();
        let price = dist(&t.late_october_price);
        let _ = writeln!(
            o,
            "| {} | {} ({}) | {} ({} - {}) | {} | {} | {} ({}) |",
            v.label,
            num(lost.mean, 0),
            range(lost, 0),
            date(b, first.p50),
            date(b, first.p5),
            date(b, first.p95),
            pct(dist(&share).mean),
            num(dist(&t.shortage_days).mean, 1),
            num(price.mean, 0),
            range(price, 0)
        );
    }
    o
}
