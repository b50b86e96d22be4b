//! The summaries of a tally read back from a file (a shard's `partial.json`, a run's
//! `results.json`), checked against what adding values could have made: counts that add
//! up, sums no larger than their count of the largest values allows, sketches whose values
//! are finite and ordered and whose buckets are ones a finite value falls in. So a damaged
//! or tampered summary is refused before it is merged (where a sum could overflow), read
//! (an index out of range) or walked (a bucket list of billions).

use ethnum::I256;

use super::{EXACT_LIMIT, ExactMean, ExactSum, QUANTUM, SHIFT, Sketch};

/// The largest value a trial reports (`quantize`'s bound), quantized.
const MAX_QUANTUM: f64 = 1e16 * QUANTUM;

/// One bucket past the last a finite positive value can fall in (infinity's bits).
const BUCKET_END: i64 = (0x7FF0_0000_0000_0000u64 >> SHIFT) as i64;

fn sum_bound(n: u64) -> i128 {
    (n as f64 * MAX_QUANTUM) as i128
}

impl ExactMean {
    /// Whether this could be the sum of `n` values, `n` being the count expected.
    pub fn check(&self, n: u64) -> Result<(), String> {
        check_count(self.n, n)?;
        if self.sum.unsigned_abs() > sum_bound(n).unsigned_abs() {
            return Err(format!("a sum too large for {n} values"));
        }
        Ok(())
    }
}

impl ExactSum {
    /// Whether this could be the sum of `n` values and of their squares.
    pub fn check(&self, n: u64) -> Result<(), String> {
        check_count(self.n, n)?;
        if self.sum.unsigned_abs() > sum_bound(n).unsigned_abs() {
            return Err(format!("a sum too large for {n} values"));
        }
        let bound = I256::from(sum_bound(n)) * I256::from((MAX_QUANTUM) as i128);
        if self.sum_sq < I256::ZERO || self.sum_sq > bound {
            return Err(format!("a sum of squares impossible for {n} values"));
        }
        Ok(())
    }
}

fn check_count(found: u64, expected: u64) -> Result<(), String> {
    if found != expected {
        return Err(format!("counts {found} values, not {expected}"));
    }
    Ok(())
}

impl Sketch {
    /// Whether this could be the sketch of `n` values.
    pub fn check(&self, n: u64) -> Result<(), String> {
        check_count(self.n, n)?;
        let counted = if self.bucketed {
            if !self.exact.is_empty() {
                return Err("exact values beside buckets".into());
            }
            let mut total = Some(self.zeros);
            for b in [&self.positive, &self.negative] {
                let end = i64::from(b.offset) + b.counts.len() as i64;
                if !b.counts.is_empty() && (b.offset < 0 || end > BUCKET_END) {
                    return Err(format!(
                        "buckets {} to {end}, beyond those of finite numbers",
                        b.offset
                    ));
                }
                for &c in &b.counts {
                    total = total.and_then(|t| t.checked_add(c));
                }
            }
            total
        } else {
            if self.exact.len() > EXACT_LIMIT || self.zeros != 0 {
                return Err("more exact values than a sketch keeps".into());
            }
            if !self.positive.counts.is_empty() || !self.negative.counts.is_empty() {
                return Err("buckets beside exact values".into());
            }
            let sorted = self.exact.windows(2).all(|w| w[0].0 < w[1].0);
            let inside = self
                .exact
                .iter()
                .all(|&(x, c)| x.is_finite() && c > 0 && x >= self.min && x <= self.max);
            if !sorted || !inside {
                return Err("exact values out of order or outside its minimum and maximum".into());
            }
            self.exact
                .iter()
                .try_fold(0u64, |t, &(_, c)| t.checked_add(c))
        };
        if counted != Some(self.n) {
            return Err(format!(
                "counts that do not add up to its {} values",
                self.n
            ));
        }
        if self.n > 0 {
            let bound = 1e16;
            let finite = |x: f64| x.is_finite() && x.abs() <= bound;
            if !finite(self.min) || !finite(self.max) || self.min > self.max {
                return Err(format!(
                    "a minimum {} and maximum {} that are not finite and in order",
                    self.min, self.max
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries_made_by_adding_pass_and_damaged_ones_do_not() {
        let (mut s, mut e, mut m) = (Sketch::default(), ExactSum::default(), ExactMean::default());
        for i in 0..500 {
            let x = f64::from(i) * 1.37 - 100.0;
            s.add(x);
            e.add(x);
            m.add(x);
        }
        assert_eq!(
            (s.check(500), e.check(500), m.check(500)),
            (Ok(()), Ok(()), Ok(()))
        );
        assert!(s.check(499).is_err());
        let mut bad = s.clone();
        bad.positive.offset = i32::MAX - 2;
        assert!(bad.check(500).unwrap_err().contains("beyond"));
        let mut bad = s.clone();
        bad.zeros += 1;
        assert!(bad.check(500).unwrap_err().contains("add up"));
        let mut bad = e.clone();
        bad.sum = i128::MAX;
        assert!(bad.check(500).unwrap_err().contains("too large"));
        let mut small = Sketch::default();
        (0..10).for_each(|i| small.add(f64::from(i % 3)));
        assert_eq!(small.check(10), Ok(()));
        small.exact.swap(0, 1);
        assert!(small.check(10).is_err());
    }
}
