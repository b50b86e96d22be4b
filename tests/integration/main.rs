//! The integration tests, as one binary: worked examples, analytic cases, determinism,
//! validation messages, the command line, the decision-analysis commands, charts and the
//! report, the calibrated scenarios held to the facts, networks from GeoJSON and CSV,
//! shards, hostile input, files read back, interruptions, properties of random scenarios and
//! the fuzz target's regressions.

mod analysis;
mod analysis_charts;
mod analytic;
mod bad_input;
mod binary;
mod browser;
mod calibration;
mod charts;
mod cli;
mod common;
mod costs;
mod determinism;
mod distribution;
mod examples;
mod fleets;
mod fuzz_regressions;
mod networks;
mod optimize;
mod outputs;
mod per_trial;
mod pipeline;
mod properties;
mod properties_v2;
mod readback;
mod readback_mutations;
mod runs;
mod shards;
mod signals;
mod spreadsheets;
mod v2_inputs;
mod v2_outputs;
mod v2_worked;
mod validation;
