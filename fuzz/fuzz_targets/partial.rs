//! Arbitrary bytes as a shard's `partial.json` of the built-in scenario, read back as
//! `corridor merge` reads it: refused, or checked and then merged with itself and finished
//! into results without a panic, an overflow or a huge allocation.

#![no_main]

use corridor::Scenario;
use corridor::sim::model::Model;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let scenario = Scenario::builtin_default();
    let model = Model::new(&scenario);
    if let Ok(p) = corridor::readback::parse_partial_tally(data, &model) {
        let tallies = [&p.tally, &p.tally];
        if corridor::readback::check_sums_fit(tallies.into_iter()).is_ok() {
            let mut tally = p.tally.clone();
            tally.merge(&p.tally);
            let _ = corridor::report::RunResults::finish(&scenario, &tally, p.seed, p.trials);
        }
    }
});
