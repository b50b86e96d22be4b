//! The integration tests, as one binary: worked examples, analytic cases, determinism,
//! validation messages, the command line, the decision-analysis commands, and the calibrated
//! scenarios held to the facts.

mod analysis;
mod analysis_charts;
mod analytic;
mod browser;
mod calibration;
mod charts;
mod cli;
mod common;
mod determinism;
mod examples;
mod fleets;
mod shards;
mod validation;
