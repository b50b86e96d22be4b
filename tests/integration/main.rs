//! The integration tests, as one binary: worked examples, analytic cases, determinism,
//! validation messages and the command line.

mod analytic;
mod cli;
mod common;
mod determinism;
mod examples;
mod fleets;
mod shards;
mod validation;
