//! The street-price model of MODEL.md section 6: a constant-elasticity inverse-demand curve
//! on the informal market, driven by a smoothed supply ratio. Pure functions: no random
//! numbers, no I/O.

/// `[price]` of a scenario, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct PriceModel {
    /// The official pump price, per litre.
    pub base_price: f64,
    pub currency: String,
    /// Price elasticity of demand, < 0.
    pub elasticity: f64,
    /// The street price never exceeds `cap_multiple × base_price`.
    pub cap_multiple: f64,
    /// Smoothing of the supply ratio, in days (1 = none).
    pub memory_days: f64,
}

impl PriceModel {
    /// m_d = m_{d-1} + (r - m_{d-1}) / memory_days.
    #[inline]
    pub fn smooth(&self, previous: f64, ratio: f64) -> f64 {
        previous + (ratio - previous) / self.memory_days
    }

    /// The price multiplier for a smoothed supply ratio m: min(cap, m^(1/ε)), and the cap at
    /// m = 0.
    #[inline]
    pub fn multiplier(&self, smoothed: f64) -> f64 {
        if smoothed > 0.0 {
            smoothed.powf(1.0 / self.elasticity).min(self.cap_multiple)
        } else {
            self.cap_multiple
        }
    }

    #[inline]
    pub fn price(&self, smoothed: f64) -> f64 {
        self.base_price * self.multiplier(smoothed)
    }
}

/// The supply ratio r = R / D, 1 when there is no demand.
#[inline]
pub fn supply_ratio(released: f64, demand: f64) -> f64 {
    if demand > 0.0 { released / demand } else { 1.0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(elasticity: f64, cap: f64, memory: f64) -> PriceModel {
        PriceModel {
            base_price: 1000.0,
            currency: "XOF".into(),
            elasticity,
            cap_multiple: cap,
            memory_days: memory,
        }
    }

    #[test]
    fn a_third_short_at_minus_a_quarter_is_about_five_times() {
        // MODEL.md: with elasticity -0.25, a 34 % shortfall gives "x5.2" (0.66^-4 = 5.27).
        let m = model(-0.25, 8.0, 1.0).multiplier(0.66);
        assert!((m - 5.27).abs() < 0.01, "{m}");
    }

    #[test]
    fn full_supply_is_the_official_price_and_none_is_the_cap() {
        let p = model(-0.5, 5.0, 1.0);
        assert_eq!(p.price(1.0), 1000.0);
        assert_eq!(p.price(0.0), 5000.0);
        assert_eq!(p.price(0.01), 5000.0);
    }

    #[test]
    fn smoothing_follows_the_worked_example() {
        // design/examples/price.toml: m = 1, 1, 1, 0.8125, 0.609375, 0.45703125 ...
        let p = model(-0.5, 8.0, 4.0);
        let mut m = 1.0;
        let mut seen = vec![];
        for r in [1.0, 1.0, 1.0, 0.25, 0.0, 0.0] {
            m = p.smooth(m, r);
            seen.push(m);
        }
        assert_eq!(seen, [1.0, 1.0, 1.0, 0.8125, 0.609375, 0.45703125]);
        assert!((p.price(0.8125) - 1514.79).abs() < 0.01);
    }
}
