//! Arbitrary bytes as a scenario file: decoding, parsing, validation, the resolved file read
//! back, and one short trial with its invariants. The checks live in
//! `tests/integration/pipeline.rs`, shared with the regression tests of what this target
//! finds (`tests/integration/fuzz_regressions.rs`).

#![no_main]

#[path = "../../tests/integration/pipeline.rs"]
mod pipeline;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = pipeline::check_bytes(data);
});
