//! Mergeable summaries whose result does not depend on the order values arrive in or how
//! they were split into parts: exact integer sums (for means and standard deviations) and a
//! log-bucketed quantile sketch with integer counts (for percentiles, <= 0.5 % relative
//! error). Merging is associative and commutative, so thread count, block order and shard
//! boundaries cannot change a single bit of a run's output.

use ethnum::I256;

mod check;
use serde::{Deserialize, Serialize};

/// Values are summed as integer multiples of 2^-32: exact for every integer and every
/// multiple of 2^-32, and within 1.2e-10 of any other value. Inputs are bounded by
/// validation (|x| <= 1e15), so a sum of 2^40 values cannot overflow.
const QUANTUM: f64 = 4_294_967_296.0;

#[inline]
fn quantize(x: f64) -> i128 {
    debug_assert!(x.is_finite() && x.abs() <= 1e16, "value out of range: {x}");
    let y = x * QUANTUM;
    // y.round() (half away from zero), without the library call `round` is on baseline
    // x86-64: below 2^52, y minus its truncation is exact; above it, y is whole already.
    if y.abs() < TWO_POW_52 {
        let t = y as i64;
        let fraction = y - t as f64;
        i128::from(if fraction >= 0.5 {
            t + 1
        } else if fraction <= -0.5 {
            t - 1
        } else {
            t
        })
    } else if y.abs() < 9.2e18 {
        i128::from(y as i64)
    } else {
        y as i128
    }
}

const TWO_POW_52: f64 = 4_503_599_627_370_496.0;

/// Whether `x` is a whole number. Every f64 from 2^52 up is; below, adding and taking away
/// 2^52 rounds to a whole number, which is `x` itself only if `x` was whole (no conversion
/// to an integer, which costs saturation checks).
#[inline]
fn is_whole(x: f64) -> bool {
    let a = x.abs();
    a >= TWO_POW_52 || (a + TWO_POW_52) - TWO_POW_52 == a
}

/// Count and sum, exactly: a mean without a spread, for the many figures of a run that
/// report only their mean (per day, per stream, per sink).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExactMean {
    pub n: u64,
    sum: i128,
}

impl ExactMean {
    #[inline(always)]
    pub fn add(&mut self, x: f64) {
        self.n += 1;
        self.sum += quantize(x);
    }

    pub fn merge(&mut self, other: &ExactMean) {
        self.n += other.n;
        self.sum += other.sum;
    }

    /// The mean; 0 when empty.
    pub fn mean(&self) -> f64 {
        if self.n == 0 {
            0.0
        } else {
            self.sum as f64 / QUANTUM / self.n as f64
        }
    }
}

/// Count, sum and sum of squares, exactly.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExactSum {
    pub n: u64,
    sum: i128,
    sum_sq: I256,
}

impl ExactSum {
    #[inline(always)]
    pub fn add(&mut self, x: f64) {
        let v = quantize(x);
        self.n += 1;
        self.sum += v;
        self.sum_sq += match u64::try_from(v.unsigned_abs()) {
            // The square fits in 128 bits: skip the 256-bit multiply.
            Ok(small) => I256::from(u128::from(small) * u128::from(small)),
            Err(_) => I256::from(v) * I256::from(v),
        };
    }

    pub fn merge(&mut self, other: &ExactSum) {
        self.n += other.n;
        self.sum += other.sum;
        self.sum_sq += other.sum_sq;
    }

    /// The mean; 0 when empty.
    pub fn mean(&self) -> f64 {
        if self.n == 0 {
            0.0
        } else {
            self.sum as f64 / QUANTUM / self.n as f64
        }
    }

    pub fn total(&self) -> f64 {
        self.sum as f64 / QUANTUM
    }

    /// The sample variance (divisor n - 1), computed from the exact sums; 0 below 2 values.
    pub fn variance(&self) -> f64 {
        if self.n < 2 {
            return 0.0;
        }
        let n = I256::from(self.n);
        let s = I256::from(self.sum);
        let numerator = n * self.sum_sq - s * s;
        (numerator.as_f64() / (self.n as f64 * (self.n - 1) as f64) / (QUANTUM * QUANTUM)).max(0.0)
    }

    pub fn sd(&self) -> f64 {
        self.variance().sqrt()
    }

    /// The half-width of a normal 95 % confidence interval for the mean.
    pub fn ci95(&self) -> f64 {
        if self.n < 2 {
            0.0
        } else {
            1.959_963_984_540_054 * (self.variance() / self.n as f64).sqrt()
        }
    }
}

/// Mantissa bits a bucket keeps: values in a bucket agree in their exponent and their top
/// `MANTISSA_BITS` bits of mantissa, so a bucket spans at most 2^-7 of its lower edge and its
/// midpoint is within 2^-8 (0.39 %) of any value in it.
const MANTISSA_BITS: u32 = 7;
const SHIFT: u32 = 52 - MANTISSA_BITS;

/// Relative accuracy of the sketch's quantiles.
#[cfg(test)]
const ALPHA: f64 = 1.0 / 256.0;

/// While a sketch has seen at most this many distinct values it keeps them exactly.
const EXACT_LIMIT: usize = 64;

/// Percentiles of a run. While there are at most `EXACT_LIMIT` distinct values (counts of
/// days or tankers, a deterministic scenario) it keeps exact (value, count) pairs and its
/// percentiles are exact; beyond that it counts values in log-linear buckets read straight
/// off the bits of the value (exponent and top mantissa bits, as HdrHistogram does), and a
/// percentile is within 0.39 % of a true sample value (within 1 % for integer data, which
/// it rounds). Either way the state depends only on the
/// multiset of values added, never on their order or on how they were split and merged.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Sketch {
    n: u64,
    min: f64,
    max: f64,
    /// Some value so far was not a whole number.
    fractional: bool,
    /// Exact (value, count) pairs sorted by value, until `bucketed`.
    exact: Vec<(f64, u64)>,
    bucketed: bool,
    zeros: u64,
    positive: Buckets,
    negative: Buckets,
    /// Where the last exact value was found: the next is often the same.
    #[serde(skip)]
    hint: Hint,
}

/// A cache that takes no part in a sketch's value: equal whatever it holds.
#[derive(Debug, Clone, Copy, Default)]
struct Hint(usize);

impl PartialEq for Hint {
    fn eq(&self, _: &Hint) -> bool {
        true
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Buckets {
    offset: i32,
    counts: Vec<u64>,
}

impl Buckets {
    #[inline]
    fn add(&mut self, index: i32, count: u64) {
        if self.counts.is_empty() {
            self.offset = index;
            self.counts.push(0);
        } else if index < self.offset {
            let grow = (self.offset - index) as usize;
            self.counts.splice(0..0, std::iter::repeat_n(0, grow));
            self.offset = index;
        } else if index >= self.offset + self.counts.len() as i32 {
            self.counts.resize((index - self.offset) as usize + 1, 0);
        }
        self.counts[(index - self.offset) as usize] += count;
    }

    fn merge(&mut self, other: &Buckets) {
        if other.counts.is_empty() {
            return;
        }
        // Grow once to cover both ranges, then add.
        self.add(other.offset, 0);
        self.add(other.offset + other.counts.len() as i32 - 1, 0);
        for (k, &c) in other.counts.iter().enumerate() {
            self.counts[(other.offset - self.offset) as usize + k] += c;
        }
    }
}

/// The bucket of a value x > 0: its bits without the low mantissa bits.
#[inline]
fn bucket_of(x: f64) -> i32 {
    (x.to_bits() >> SHIFT) as i32
}

/// The values of bucket `index`: [lower, upper).
fn bucket_edges(index: i32) -> (f64, f64) {
    let lower = f64::from_bits((index as u64) << SHIFT);
    let upper = f64::from_bits(((index as u64) + 1) << SHIFT);
    (lower, upper)
}

/// A bucket's midpoint, within `ALPHA` of every value in it.
fn bucket_value(index: i32) -> f64 {
    let (lower, upper) = bucket_edges(index);
    lower + (upper - lower) / 2.0
}

impl Sketch {
    #[inline(always)]
    pub fn add(&mut self, x: f64) {
        let x = x + 0.0; // -0.0 counts as 0.0
        if self.n == 0 {
            (self.min, self.max) = (x, x);
        } else if x < self.min {
            self.min = x;
        } else if x > self.max {
            self.max = x;
        }
        self.n += 1;
        self.fractional |= !is_whole(x);
        if self.bucketed {
            self.add_to_buckets(x, 1);
            return;
        }
        if let Some(entry) = self.exact.get_mut(self.hint.0)
            && entry.0 == x
        {
            entry.1 += 1;
            return;
        }
        match self.exact.binary_search_by(|(v, _)| v.total_cmp(&x)) {
            Ok(i) => {
                self.exact[i].1 += 1;
                self.hint = Hint(i);
            }
            Err(i) => {
                self.exact.insert(i, (x, 1));
                self.hint = Hint(i);
                if self.exact.len() > EXACT_LIMIT {
                    self.switch_to_buckets();
                }
            }
        }
    }

    #[inline]
    fn add_to_buckets(&mut self, x: f64, count: u64) {
        if x > 0.0 {
            self.positive.add(bucket_of(x), count);
        } else if x < 0.0 {
            self.negative.add(bucket_of(-x), count);
        } else {
            self.zeros += count;
        }
    }

    fn switch_to_buckets(&mut self) {
        self.bucketed = true;
        for (x, count) in std::mem::take(&mut self.exact) {
            self.add_to_buckets(x, count);
        }
    }

    pub fn merge(&mut self, other: &Sketch) {
        if other.n == 0 {
            return;
        }
        if self.n == 0 {
            (self.min, self.max) = (other.min, other.max);
        } else {
            self.min = self.min.min(other.min);
            self.max = self.max.max(other.max);
        }
        self.n += other.n;
        self.fractional |= other.fractional;
        if !self.bucketed && !other.bucketed {
            for &(x, count) in &other.exact {
                match self.exact.binary_search_by(|(v, _)| v.total_cmp(&x)) {
                    Ok(i) => self.exact[i].1 += count,
                    Err(i) => self.exact.insert(i, (x, count)),
                }
            }
            if self.exact.len() > EXACT_LIMIT {
                self.switch_to_buckets();
            }
            return;
        }
        if !self.bucketed {
            self.switch_to_buckets();
        }
        for &(x, count) in &other.exact {
            self.add_to_buckets(x, count);
        }
        self.zeros += other.zeros;
        self.positive.merge(&other.positive);
        self.negative.merge(&other.negative);
    }

    pub fn count(&self) -> u64 {
        self.n
    }

    /// The q-quantile (0 <= q <= 1): the value of rank floor(q × (n − 1)) among the sorted
    /// values, exactly or within the sketch's accuracy. 0 when empty.
    pub fn quantile(&self, q: f64) -> f64 {
        if self.n == 0 {
            return 0.0;
        }
        let rank = (q.clamp(0.0, 1.0) * (self.n - 1) as f64).floor() as u64;
        let mut seen = 0u64;
        if !self.bucketed {
            for &(x, count) in &self.exact {
                seen += count;
                if seen > rank {
                    return x;
                }
            }
            return self.max;
        }
        let estimate = 'found: {
            for (k, &c) in self.negative.counts.iter().enumerate().rev() {
                seen += c;
                if seen > rank {
                    break 'found -bucket_value(self.negative.offset + k as i32);
                }
            }
            seen += self.zeros;
            if seen > rank {
                break 'found 0.0;
            }
            for (k, &c) in self.positive.counts.iter().enumerate() {
                seen += c;
                if seen > rank {
                    break 'found bucket_value(self.positive.offset + k as i32);
                }
            }
            self.max
        };
        let estimate = if self.fractional {
            estimate
        } else {
            estimate.round()
        };
        estimate.clamp(self.min, self.max)
    }

    /// The distribution as (lower edge, upper edge, count) bins, for histograms: the exact
    /// values as zero-width bins, or the sketch's buckets.
    pub fn bins(&self) -> Vec<(f64, f64, u64)> {
        if !self.bucketed {
            return self.exact.iter().map(|&(x, c)| (x, x, c)).collect();
        }
        let edges = bucket_edges;
        let mut bins: Vec<(f64, f64, u64)> = Vec::new();
        for (k, &c) in self.negative.counts.iter().enumerate().rev() {
            let (lo, hi) = edges(self.negative.offset + k as i32);
            bins.push((-hi, -lo, c));
        }
        if self.zeros > 0 {
            bins.push((0.0, 0.0, self.zeros));
        }
        for (k, &c) in self.positive.counts.iter().enumerate() {
            let (lo, hi) = edges(self.positive.offset + k as i32);
            bins.push((lo, hi, c));
        }
        bins.retain(|b| b.2 > 0);
        bins
    }
}

/// Mean, standard deviation and percentiles of one quantity over a run.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Stat {
    pub mean: f64,
    pub sd: f64,
    pub p5: f64,
    pub p25: f64,
    pub p50: f64,
    pub p75: f64,
    pub p95: f64,
}

/// The mean and percentiles of one quantity over a run, without its spread: what a day of a
/// daily series reports (MODEL.md section 8).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DayStat {
    pub mean: f64,
    pub p5: f64,
    pub p25: f64,
    pub p50: f64,
    pub p75: f64,
    pub p95: f64,
}

/// An [`ExactMean`] and a [`Sketch`] of the same values: the cheap summary of a day.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DaySummary {
    pub sum: ExactMean,
    pub sketch: Sketch,
}

impl DaySummary {
    #[inline(always)]
    pub fn add(&mut self, x: f64) {
        self.sum.add(x);
        self.sketch.add(x);
    }

    pub fn merge(&mut self, other: &DaySummary) {
        self.sum.merge(&other.sum);
        self.sketch.merge(&other.sketch);
    }

    pub fn stat(&self) -> DayStat {
        let q = |p| self.sketch.quantile(p);
        DayStat {
            mean: self.sum.mean(),
            p5: q(0.05),
            p25: q(0.25),
            p50: q(0.5),
            p75: q(0.75),
            p95: q(0.95),
        }
    }
}

/// An [`ExactSum`] and a [`Sketch`] of the same values.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub sum: ExactSum,
    pub sketch: Sketch,
}

impl Summary {
    #[inline(always)]
    pub fn add(&mut self, x: f64) {
        self.sum.add(x);
        self.sketch.add(x);
    }

    pub fn merge(&mut self, other: &Summary) {
        self.sum.merge(&other.sum);
        self.sketch.merge(&other.sketch);
    }

    pub fn stat(&self) -> Stat {
        let q = |p| self.sketch.quantile(p);
        Stat {
            mean: self.sum.mean(),
            sd: self.sum.sd(),
            p5: q(0.05),
            p25: q(0.25),
            p50: q(0.5),
            p75: q(0.75),
            p95: q(0.95),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fast_paths_match_the_library_functions() {
        for x in [
            0.0,
            0.5,
            -0.5,
            1.5,
            -2.5,
            0.49999999999999994,
            1e-12,
            123.456,
            -7.25e9,
            3.3e15,
            1e16,
        ] {
            assert_eq!(quantize(x), (x * QUANTUM).round() as i128, "{x}");
            assert_eq!(is_whole(x), x.fract() == 0.0, "{x}");
        }
        for x in [1e-9, 0.37, 1.0, 1.0078125, 2.0, 1234.5, 7.2e6, 3.1e14] {
            let (lower, upper) = bucket_edges(bucket_of(x));
            assert!(
                lower <= x && x < upper && (upper - lower) / lower <= 1.0 / 128.0,
                "{x}"
            );
            assert!((bucket_value(bucket_of(x)) / x - 1.0).abs() <= ALPHA, "{x}");
        }
    }

    #[test]
    fn exact_sums_do_not_depend_on_order_or_split() {
        let xs: Vec<f64> = (0..1000)
            .map(|i| (i as f64 * 0.37).sin() * 1e6 + 0.1)
            .collect();
        let mut whole = ExactSum::default();
        xs.iter().for_each(|&x| whole.add(x));
        let mut parts = [
            ExactSum::default(),
            ExactSum::default(),
            ExactSum::default(),
        ];
        for (i, &x) in xs.iter().rev().enumerate() {
            parts[i % 3].add(x);
        }
        let mut merged = parts[2].clone();
        merged.merge(&parts[0]);
        merged.merge(&parts[1]);
        assert_eq!(merged, whole);
        let mean = xs.iter().sum::<f64>() / xs.len() as f64;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (xs.len() - 1) as f64;
        assert!((whole.mean() - mean).abs() < 1e-6);
        assert!((whole.variance() / var - 1.0).abs() < 1e-9);
    }

    #[test]
    fn constant_values_have_no_spread_and_exact_percentiles() {
        let mut s = Summary::default();
        (0..50).for_each(|_| s.add(7_200_000.0));
        let st = s.stat();
        assert_eq!(
            (st.mean, st.sd, st.p5, st.p50, st.p95),
            (7_200_000.0, 0.0, 7_200_000.0, 7_200_000.0, 7_200_000.0)
        );
    }

    #[test]
    fn percentiles_are_within_the_sketch_accuracy() {
        let mut s = Sketch::default();
        let xs: Vec<f64> = (1..=10_001).map(|i| i as f64 * 3.1).collect();
        xs.iter().rev().for_each(|&x| s.add(x));
        for (q, exact) in [(0.05, xs[500]), (0.5, xs[5000]), (0.95, xs[9500])] {
            let got = s.quantile(q);
            assert!(
                (got / exact - 1.0).abs() <= ALPHA * 1.0001,
                "q{q}: {got} vs {exact}"
            );
        }
        let mut z = Sketch::default();
        [0.0, 0.0, 0.0, -5.0, 10.0].iter().for_each(|&x| z.add(x));
        assert_eq!(
            (z.quantile(0.0), z.quantile(0.5), z.quantile(1.0)),
            (-5.0, 0.0, 10.0)
        );
    }

    #[test]
    fn few_distinct_values_give_exact_percentiles_and_whole_numbers_stay_whole() {
        let mut s = Sketch::default();
        (0..1000).for_each(|i| s.add(f64::from(i % 40)));
        assert_eq!(
            (s.quantile(0.05), s.quantile(0.5), s.quantile(0.95)),
            (1.0, 19.0, 37.0)
        );
        let mut big = Sketch::default();
        (0..1000).for_each(|i| big.add(f64::from(i * 7 % 1000 + 100)));
        let p = big.quantile(0.5);
        assert_eq!(p, p.round());
        assert!((p / 599.0 - 1.0).abs() <= 0.01, "{p}");
    }

    #[test]
    fn sketch_merge_equals_one_sketch() {
        let mut one = Sketch::default();
        let mut a = Sketch::default();
        let mut b = Sketch::default();
        for i in 0..500 {
            let x = (i as f64).powf(1.7) - 40.5;
            one.add(x);
            if i % 2 == 0 { a.add(x) } else { b.add(x) }
        }
        b.merge(&a);
        assert_eq!(b, one);
        // Below the exact limit, merging exact parts stays exact and equal too.
        let (mut c, mut d, mut e) = (Sketch::default(), Sketch::default(), Sketch::default());
        for i in 0..100 {
            let x = f64::from(i % 50);
            e.add(x);
            if i < 30 { c.add(x) } else { d.add(x) }
        }
        c.merge(&d);
        assert_eq!(c, e);
    }
}
