//! The integration tests, as one binary: worked examples, analytic cases, determinism,
//! validation messages and the command line.

mod analytic;
mod browser;
mod charts;
mod cli;
mod common;
mod determinism;
mod examples;
mod validation;
