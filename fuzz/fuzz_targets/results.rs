//! Arbitrary bytes as a run's `results.json`, read back against the built-in scenario as
//! `corridor chart` reads it: refused, or checked and then drawn (every chart and the
//! report) without a panic, an endless loop or a huge allocation.

#![no_main]

use corridor::Scenario;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let scenario = Scenario::builtin_default();
    if let Ok(results) = corridor::readback::parse_results(data, &scenario) {
        let charts = corridor::report::chart::charts(&results);
        let svgs: Vec<String> = charts
            .iter()
            .filter_map(|c| corridor::report::chart::render_svg(c, &results).ok())
            .collect();
        let _ = corridor::report::html::report_html(&results, &scenario, None, &charts, &svgs);
    }
});
