//! Random damage to the files the tool reads back, through the real binary: a real
//! `results.json`, `run.json` (read by `chart`) and a shard's `partial.json` (read by
//! `merge`), truncated, with an array entry removed or repeated, or a number replaced by
//! another (0, -1, 2⁶⁴−1, 1e300, ...). Every damaged file is either refused with exit code
//! 2 and one message naming the file, or (when the damage changed nothing a check can see)
//! read with exit code 0; never a panic, a hang or another exit code. An array entry
//! removed from a shard's tally is always refused, or changes nothing: a truncated tally
//! never merges into other numbers. The seeds are fixed, so a failure repeats.

use std::path::Path;

use serde_json::Value;

use crate::binary::corridor;
use crate::common::fixture;

/// A small generator (SplitMix64), so the cases are the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Every array and every number in `v`, as JSON pointers.
fn places(v: &Value, at: String, arrays: &mut Vec<String>, numbers: &mut Vec<String>) {
    match v {
        Value::Array(items) => {
            arrays.push(at.clone());
            for (k, item) in items.iter().enumerate() {
                places(item, format!("{at}/{k}"), arrays, numbers);
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                places(item, format!("{at}/{key}"), arrays, numbers);
            }
        }
        Value::Number(_) => numbers.push(at),
        _ => {}
    }
}

const NUMBERS: [&str; 9] = [
    "0",
    "-1",
    "1",
    "18446744073709551615",
    "1e300",
    "-1e300",
    "2.5",
    "4294967296",
    "170141183460469231731687303715884105727",
];

/// A damaged copy of `text`, and whether the damage removed an array entry.
fn damage(text: &str, rng: &mut Rng) -> (String, bool) {
    let mut v: Value = serde_json::from_str(text).unwrap();
    let (mut arrays, mut numbers) = (Vec::new(), Vec::new());
    places(&v, String::new(), &mut arrays, &mut numbers);
    match rng.below(4) {
        0 => (text[..rng.below(text.len())].to_string(), false),
        1 if !arrays.is_empty() => {
            let at = &arrays[rng.below(arrays.len())];
            let items = v.pointer_mut(at).unwrap().as_array_mut().unwrap();
            let removed = items.pop().is_some();
            (v.to_string(), removed)
        }
        2 if !arrays.is_empty() => {
            let at = &arrays[rng.below(arrays.len())];
            let items = v.pointer_mut(at).unwrap().as_array_mut().unwrap();
            if let Some(first) = items.first().cloned() {
                items.push(first);
            }
            (v.to_string(), false)
        }
        _ => {
            let at = &numbers[rng.below(numbers.len())];
            let number = NUMBERS[rng.below(NUMBERS.len())];
            *v.pointer_mut(at).unwrap() = serde_json::from_str(number).unwrap();
            (v.to_string(), false)
        }
    }
}

fn exit_2_or_0(o: &std::process::Output, what: &str) -> bool {
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!err.contains("panicked"), "{what}: {err}");
    match o.status.code() {
        Some(0) => true,
        Some(2) => {
            assert_eq!(err.lines().count(), 1, "{what}: {err}");
            false
        }
        other => panic!("{what}: exit {other:?}: {err}"),
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_file() {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

#[test]
fn damaged_results_and_run_json_are_refused_or_read_never_panicked_on() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let s = fixture("examples/dwell.toml");
    let o = corridor(
        &[
            "run",
            s.to_str().unwrap(),
            "-q",
            "-n",
            "30",
            "--no-charts",
            "-o",
            "run",
        ],
        dir,
    );
    assert!(o.status.success());
    let mut rng = Rng(14);
    for file in ["results.json", "run.json"] {
        let text = std::fs::read_to_string(dir.join("run").join(file)).unwrap();
        for case in 0..40 {
            let (damaged, _) = damage(&text, &mut rng);
            let copy = dir.join(format!("c-{file}-{case}"));
            copy_dir(&dir.join("run"), &copy);
            std::fs::write(copy.join(file), &damaged).unwrap();
            let o = corridor(&["chart", copy.to_str().unwrap()], dir);
            if !exit_2_or_0(&o, &format!("{file} case {case}")) {
                let err = String::from_utf8_lossy(&o.stderr);
                assert!(err.contains(file), "{file} case {case}: {err}");
            }
            std::fs::remove_dir_all(&copy).unwrap();
        }
    }
}

#[test]
fn a_damaged_partial_result_is_refused_and_a_truncated_tally_never_merges() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let s = fixture("examples/dwell.toml");
    for (shard, out) in [("0/2", "a0"), ("1/2", "a1")] {
        let args = [
            "run",
            s.to_str().unwrap(),
            "-q",
            "-n",
            "60",
            "--shard",
            shard,
            "-o",
            out,
        ];
        assert!(corridor(&args, dir).status.success());
    }
    let o = corridor(&["merge", "a0", "a1", "-q", "-o", "good"], dir);
    assert!(o.status.success());
    let good = std::fs::read(dir.join("good/summary.json")).unwrap();
    let text = std::fs::read_to_string(dir.join("a1/partial.json")).unwrap();
    let mut rng = Rng(15);
    for case in 0..80 {
        let (damaged, removed) = damage(&text, &mut rng);
        let copy = dir.join(format!("b{case}"));
        copy_dir(&dir.join("a1"), &copy);
        std::fs::write(copy.join("partial.json"), &damaged).unwrap();
        let out = format!("m{case}");
        let b = copy.to_str().unwrap();
        let o = corridor(&["merge", "a0", b, "-q", "-o", &out], dir);
        let merged = exit_2_or_0(&o, &format!("partial.json case {case}"));
        if merged && removed {
            let summary = std::fs::read(dir.join(&out).join("summary.json")).unwrap();
            assert!(
                summary == good,
                "case {case}: an entry removed merged into other numbers"
            );
        }
        if !merged {
            assert!(!dir.join(&out).exists(), "case {case}");
        }
        let _ = std::fs::remove_dir_all(dir.join(&out));
        std::fs::remove_dir_all(&copy).unwrap();
    }
}
