//! The integration tests, as one binary: worked examples, analytic cases, determinism,
//! validation messages and the command line.

mod analytic;
mod bad_input;
mod cli;
mod common;
mod determinism;
mod examples;
mod pipeline;
mod properties;
mod runs;
mod validation;
