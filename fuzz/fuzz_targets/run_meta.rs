//! Arbitrary bytes as a run's `run.json`: refused, or checked and shown in the report.

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = corridor::readback::parse_meta(data);
});
