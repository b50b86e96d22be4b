//! What one attack costs a convoy (MODEL.md sections 4 and 12): a seizure of every tanker,
//! or k ~ Binomial(n, min(1, f × loss_mult)) tankers destroyed with f ~ Beta(alpha, beta).
//!
//! The compound law of k is tabulated once per (loss multiplier, convoy size), so an attack
//! draws one uniform number instead of a Beta and a Binomial. For loss_mult m <= 1 the law
//! is exact: a Binomial(n, m f) count is a Binomial(j, m) thinning of j ~ Beta-Binomial(n,
//! alpha, beta), so P(k) = sum_j BB(j) C(j, k) m^k (1 - m)^(j - k), summed in floating point.
//! Larger convoys and multipliers above 1 (where the cap at 1 breaks the thinning) draw the
//! Beta and the Binomial directly. Tables are pure functions of (alpha, beta, m, n) and are
//! shared by every model and thread of the process, so variants of an analysis build each
//! once.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use rand_distr::{Beta, Binomial, Distribution};

use super::rng::{SimRng, uniform};

/// Convoys of up to this many tankers draw their losses from a table; larger ones sample.
pub const TABLE_MAX: u32 = 1024;

/// The losses of attacks on convoys with one loss multiplier, under one Beta law.
#[derive(Debug)]
pub struct LossLaw {
    alpha: f64,
    beta: f64,
    mult: f64,
    sampler: Beta<f64>,
    /// The cumulative distribution of k for each n (built on first use).
    tables: Vec<OnceLock<Arc<[f64]>>>,
}

type TableKey = (u64, u64, u64, u32);

/// Every table built in this process, by (alpha, beta, mult, n) bits.
fn shared_tables() -> &'static Mutex<HashMap<TableKey, Arc<[f64]>>> {
    static TABLES: OnceLock<Mutex<HashMap<TableKey, Arc<[f64]>>>> = OnceLock::new();
    TABLES.get_or_init(Default::default)
}

impl LossLaw {
    /// `alpha`, `beta` > 0 and `mult` >= 0, as validation guarantees.
    pub fn new(alpha: f64, beta: f64, mult: f64) -> LossLaw {
        let tabulated = mult <= 1.0;
        LossLaw {
            alpha,
            beta,
            mult,
            sampler: Beta::new(alpha, beta).expect("validated: alpha, beta > 0"),
            tables: if tabulated {
                (0..=TABLE_MAX).map(|_| OnceLock::new()).collect()
            } else {
                Vec::new()
            },
        }
    }

    pub fn mult(&self) -> f64 {
        self.mult
    }

    /// The tankers one attack destroys out of `n` > 0.
    #[inline]
    pub fn draw(&self, n: u32, rng: &mut SimRng) -> u32 {
        if self.mult == 0.0 {
            return 0;
        }
        if let Some(slot) = self.tables.get(n as usize) {
            let cdf = slot.get_or_init(|| self.table(n));
            let u = uniform(rng);
            // The first k with P(K <= k) > u; cdf[n] is exactly 1, so one exists.
            return cdf.partition_point(|&c| c <= u) as u32;
        }
        let f = (self.sampler.sample(rng) * self.mult).min(1.0);
        if f <= 0.0 {
            0
        } else if f >= 1.0 {
            n
        } else {
            Binomial::new(u64::from(n), f)
                .expect("0 < f < 1")
                .sample(rng) as u32
        }
    }

    fn table(&self, n: u32) -> Arc<[f64]> {
        let key = (
            self.alpha.to_bits(),
            self.beta.to_bits(),
            self.mult.to_bits(),
            n,
        );
        if let Some(t) = shared_tables()
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&key)
        {
            return t.clone();
        }
        let table: Arc<[f64]> = loss_cdf(self.alpha, self.beta, self.mult, n).into();
        shared_tables()
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entry(key)
            .or_insert(table)
            .clone()
    }
}

/// P(K <= k) for k = 0..=n, K ~ Binomial(n, m f), f ~ Beta(alpha, beta), 0 < m <= 1. The last
/// entry is exactly 1.
pub fn loss_cdf(alpha: f64, beta: f64, m: f64, n: u32) -> Vec<f64> {
    let pmf = loss_pmf(alpha, beta, m, n);
    let total: f64 = pmf.iter().sum();
    let mut acc = 0.0;
    let mut cdf: Vec<f64> = pmf
        .iter()
        .map(|p| {
            acc += p;
            (acc / total).min(1.0)
        })
        .collect();
    cdf[n as usize] = 1.0;
    cdf
}

/// P(K = k) for k = 0..=n (see [`loss_cdf`]).
pub fn loss_pmf(alpha: f64, beta: f64, m: f64, n: u32) -> Vec<f64> {
    let n = n as usize;
    // Beta-Binomial(n, alpha, beta) in logs: BB(0) = prod (beta + i) / (alpha + beta + i), and
    // BB(j + 1) / BB(j) = (n - j) / (j + 1) * (j + alpha) / (n - j - 1 + beta).
    let mut log_bb = vec![0.0; n + 1];
    log_bb[0] = (0..n)
        .map(|i| ((beta + i as f64) / (alpha + beta + i as f64)).ln())
        .sum();
    for j in 0..n {
        let (jf, nf) = (j as f64, n as f64);
        log_bb[j + 1] = log_bb[j]
            + ((nf - jf) / (jf + 1.0)).ln()
            + ((jf + alpha) / (nf - jf - 1.0 + beta)).ln();
    }
    let bb: Vec<f64> = log_bb.iter().map(|l| l.exp()).collect();
    if m >= 1.0 {
        return bb;
    }
    // Thinning: each of the j tankers hit is lost with probability m.
    let mut log_fact = vec![0.0; n + 1];
    for i in 1..=n {
        log_fact[i] = log_fact[i - 1] + (i as f64).ln();
    }
    let (ln_m, ln_keep) = (m.ln(), (-m).ln_1p());
    let mut pmf = vec![0.0; n + 1];
    for (j, &p_j) in bb.iter().enumerate() {
        if p_j == 0.0 {
            continue;
        }
        for (k, p_k) in pmf.iter_mut().enumerate().take(j + 1) {
            let log_binom = log_fact[j] - log_fact[k] - log_fact[j - k]
                + k as f64 * ln_m
                + (j - k) as f64 * ln_keep;
            *p_k += p_j * log_binom.exp();
        }
    }
    pmf
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::rng::TrialKey;

    #[test]
    fn the_beta_binomial_matches_its_closed_form() {
        // n = 2, alpha = 2, beta = 6: BB(0) = 6*7 / (8*9), BB(2) = 2*3 / (8*9).
        let p = loss_pmf(2.0, 6.0, 1.0, 2);
        assert!((p[0] - 42.0 / 72.0).abs() < 1e-15);
        assert!((p[2] - 6.0 / 72.0).abs() < 1e-15);
        assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-14);
    }

    #[test]
    fn thinning_gives_the_mean_n_m_alpha_over_alpha_plus_beta() {
        for (alpha, beta, m, n) in [
            (2.5, 5.5, 0.5, 36),
            (3.0, 6.0, 0.6, 300),
            (0.3, 0.2, 0.9, 7),
        ] {
            let p = loss_pmf(alpha, beta, m, n);
            let mean: f64 = p.iter().enumerate().map(|(k, p)| k as f64 * p).sum();
            let want = f64::from(n) * m * alpha / (alpha + beta);
            assert!(
                (mean - want).abs() < 1e-9 * want.max(1.0),
                "{mean} vs {want}"
            );
            assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        }
    }

    #[test]
    fn one_draw_per_attack_follows_the_table() {
        let law = LossLaw::new(2.0, 6.0, 0.5);
        let mut rng = TrialKey::new(1, 2).departure(3, 4);
        let n = 40;
        let trials = 100_000;
        let mean = (0..trials)
            .map(|_| f64::from(law.draw(n, &mut rng)))
            .sum::<f64>()
            / f64::from(trials);
        // E[k] = n m alpha / (alpha + beta) = 5.
        assert!((mean - 5.0).abs() < 0.06, "{mean}");
        assert_eq!(LossLaw::new(2.0, 6.0, 0.0).draw(n, &mut rng), 0);
    }

    #[test]
    fn multipliers_above_one_cap_the_share_at_one() {
        let law = LossLaw::new(2.0, 2.0, 4.0);
        let mut rng = TrialKey::new(5, 5).departure(0, 0);
        let all = (0..20_000).filter(|_| law.draw(10, &mut rng) == 10).count();
        // P(4 f >= 1) = P(f >= 0.25) = 1 - I_0.25(2, 2) = 1 - 0.15625 = 0.84375, and a share
        // just below 1 still loses all 10 often.
        assert!(all as f64 / 20_000.0 > 0.84, "{all}");
    }
}
