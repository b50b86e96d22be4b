//! The integration tests, as one binary: worked examples, analytic cases, determinism,
//! validation messages, the command line and the decision-analysis commands.

mod analysis;
mod analytic;
mod cli;
mod common;
mod determinism;
mod examples;
mod fleets;
mod shards;
mod validation;
