//! The integration tests, as one binary: worked examples, analytic cases, determinism,
//! validation messages, the command line, hostile input, interruptions, properties of
//! random scenarios and the fuzz target's regressions.

mod analytic;
mod bad_input;
mod cli;
mod common;
mod determinism;
mod examples;
mod fuzz_regressions;
mod pipeline;
mod properties;
mod runs;
mod validation;
