//! Inputs that broke, or could have broken, loading or a trial, each through the fuzz
//! target's whole pipeline (`pipeline::check_bytes`): every one is either refused with one
//! clear message or runs with every invariant holding. The outcomes are pinned.
//!
//! `tests/fixtures/fuzz/` holds them; a crash the fuzzer finds goes there too (the file
//! from `fuzz/artifacts/scenario/`, renamed to say what it is).

use crate::common::fixture;
use crate::pipeline::check_bytes;

#[test]
fn every_fuzz_regression_is_refused_clearly_or_runs_correctly() {
    let mut paths: Vec<_> = std::fs::read_dir(fixture("fuzz"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    assert!(paths.len() >= 10);
    let mut table = String::new();
    for path in paths {
        let bytes = std::fs::read(&path).unwrap();
        let outcome = match check_bytes(&bytes) {
            Ok(s) => format!("ok: \"{}\", {} streams", s.name, s.streams.len()),
            Err(message) => message,
        };
        let name = path.file_name().unwrap().to_string_lossy();
        table += &format!("{name}:\n  {outcome}\n");
    }
    insta::assert_snapshot!(table);
}
