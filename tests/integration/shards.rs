//! A run split into shards on several "machines" (processes), then merged, writes exactly
//! the output folder of the same run on one machine.

use std::path::Path;
use std::process::{Command, Output};

use crate::common::*;

fn corridor(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_corridor"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the binary runs")
}

/// The variables `--shard auto` reads, which a test must set itself (the tests may run
/// inside a scheduler's task).
const SCHEDULER_VARS: [&str; 8] = [
    "HQ_TASK_ID",
    "JOB_COMPLETION_INDEX",
    "SLURM_ARRAY_TASK_ID",
    "SLURM_ARRAY_TASK_COUNT",
    "SLURM_ARRAY_TASK_MIN",
    "SLURM_ARRAY_TASK_MAX",
    "SLURM_ARRAY_TASK_STEP",
    "CORRIDOR_SHARDS",
];

/// The binary with only these scheduler variables set.
fn corridor_in_task(args: &[&str], vars: &[(&str, &str)], dir: &Path) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_corridor"));
    for var in SCHEDULER_VARS {
        command.env_remove(var);
    }
    command
        .args(args)
        .envs(vars.iter().copied())
        .current_dir(dir)
        .output()
        .expect("the binary runs")
}

fn ok(o: Output) -> Output {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    o
}

const FILES: [&str; 7] = [
    "summary.json",
    "daily.csv",
    "sinks.csv",
    "streams.csv",
    "edges.csv",
    "scenario.toml",
    "results.json",
];

#[test]
fn shards_merged_equal_one_run_byte_for_byte() {
    let tmp = tempfile::tempdir().unwrap();
    let s = repo().join("scenarios/bamako-2025.toml");
    let s = s.to_str().unwrap();
    let args = ["--trials", "700", "--seed", "11", "-q"];
    ok(corridor(
        &[&["run", s, "--threads", "2", "--out", "single"], &args[..]].concat(),
        tmp.path(),
    ));
    // Three shards in parallel processes, on different thread counts.
    let shards: Vec<_> = (0..3)
        .map(|i| {
            let shard = format!("{i}/3");
            let out = format!("shard{i}");
            let threads = if i == 1 { "2" } else { "1" };
            Command::new(env!("CARGO_BIN_EXE_corridor"))
                .args(
                    [
                        &[
                            "run",
                            s,
                            "--shard",
                            &shard,
                            "--threads",
                            threads,
                            "--out",
                            &out,
                        ],
                        &args[..],
                    ]
                    .concat(),
                )
                .current_dir(tmp.path())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut child in shards {
        assert!(child.wait().unwrap().success());
    }
    assert!(
        !tmp.path().join("shard0/summary.json").exists(),
        "a shard writes only its partial result"
    );
    // Merge them in a scrambled order.
    ok(corridor(
        &[
            "merge", "shard2", "shard0", "shard1", "--out", "merged", "-q",
        ],
        tmp.path(),
    ));
    for file in FILES {
        let single = std::fs::read(tmp.path().join("single").join(file)).unwrap();
        let merged = std::fs::read(tmp.path().join("merged").join(file)).unwrap();
        assert!(
            single == merged,
            "{file} differs between the single run and the merged shards"
        );
    }
}

#[test]
fn merge_refuses_shards_that_do_not_belong_together() {
    let tmp = tempfile::tempdir().unwrap();
    let s = fixture("examples/dwell.toml");
    let s = s.to_str().unwrap();
    for (shard, seed, out) in [
        ("0/2", "1", "a0"),
        ("1/2", "1", "a1"),
        ("1/2", "2", "b1"),
        ("0/3", "1", "c0"),
    ] {
        ok(corridor(
            &[
                "run", s, "--trials", "40", "--seed", seed, "--shard", shard, "--out", out, "-q",
            ],
            tmp.path(),
        ));
    }
    let cases: [(&[&str], &str); 5] = [
        (&["merge", "a0"], "merge: missing shard: 1/2"),
        (
            &["merge", "a0", "a1", "a1"],
            "merge: shard 1/2 is given twice: a1 and a1",
        ),
        (
            &["merge", "a0", "b1"],
            "merge: b1 is from another run: its seed is 2, but a0 has 1",
        ),
        (
            &["merge", "a0", "c0"],
            "merge: c0 is from another run: its shard count is 3, but a0 has 2",
        ),
        (
            &["merge", "nowhere"],
            "nowhere/partial.json: cannot read a shard's partial result: no such file",
        ),
    ];
    for (args, message) in cases {
        let o = corridor(args, tmp.path());
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert!(stderr.contains(message), "{args:?}: {stderr}");
    }
    let o = corridor(&["run", s, "--trials", "40", "--shard", "2/2"], tmp.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("shard 2/2 does not exist"));
    let o = corridor(&["run", s, "--trials", "2", "--shard", "0/3"], tmp.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("holds no trial"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn the_slurm_scripts_run_a_sharded_job_and_its_merge() {
    // sbatch is not here, but the scripts are plain bash: run each array task with the
    // variables Slurm would set, then the merge, and compare with a single run.
    let tmp = tempfile::tempdir().unwrap();
    let scenario = fixture("examples/closure.toml");
    let env = [
        ("SCENARIO", scenario.to_str().unwrap()),
        ("TRIALS", "90"),
        ("SEED", "3"),
        ("RUN_DIR", "run"),
        ("CORRIDOR", env!("CARGO_BIN_EXE_corridor")),
    ];
    let script = |name: &str| repo().join("deploy/slurm").join(name);
    for i in 0..3 {
        let mut task = Command::new("bash");
        for var in SCHEDULER_VARS {
            task.env_remove(var);
        }
        let o = task
            .arg(script("shards.sbatch"))
            .envs(env)
            .env("SLURM_ARRAY_TASK_COUNT", "3")
            .env("SLURM_ARRAY_TASK_ID", i.to_string())
            .env("SLURM_ARRAY_TASK_MIN", "0")
            .env("SLURM_ARRAY_TASK_MAX", "2")
            .current_dir(tmp.path())
            .output()
            .unwrap();
        ok(o);
    }
    ok(Command::new("bash")
        .arg(script("merge.sbatch"))
        .envs(env)
        .current_dir(tmp.path())
        .output()
        .unwrap());
    ok(corridor(
        &[
            "run",
            scenario.to_str().unwrap(),
            "--trials",
            "90",
            "--seed",
            "3",
            "--out",
            "single",
            "-q",
        ],
        tmp.path(),
    ));
    for file in FILES {
        let single = std::fs::read(tmp.path().join("single").join(file)).unwrap();
        assert_eq!(
            single,
            std::fs::read(tmp.path().join("run/merged").join(file)).unwrap(),
            "{file}"
        );
    }
}

#[test]
fn shard_auto_takes_the_shard_from_the_schedulers_variables() {
    let tmp = tempfile::tempdir().unwrap();
    let s = fixture("examples/dwell.toml");
    let s = s.to_str().unwrap();
    let run = |vars: &[(&str, &str)], out: &str| {
        corridor_in_task(
            &[
                "run", s, "--trials", "50", "--seed", "4", "--shard", "auto", "--out", out, "-q",
            ],
            vars,
            tmp.path(),
        )
    };
    // A Kubernetes Indexed Job of two completions, and a HyperQueue task re-running shard 1.
    ok(run(
        &[("JOB_COMPLETION_INDEX", "0"), ("CORRIDOR_SHARDS", "2")],
        "k0",
    ));
    ok(run(
        &[("JOB_COMPLETION_INDEX", "1"), ("CORRIDOR_SHARDS", "2")],
        "k1",
    ));
    ok(run(&[("HQ_TASK_ID", "1"), ("CORRIDOR_SHARDS", "2")], "h1"));
    ok(corridor(
        &["merge", "k0", "h1", "--out", "merged", "-q"],
        tmp.path(),
    ));
    ok(corridor(
        &[
            "run", s, "--trials", "50", "--seed", "4", "--out", "single", "-q",
        ],
        tmp.path(),
    ));
    for file in FILES {
        let single = std::fs::read(tmp.path().join("single").join(file)).unwrap();
        let merged = std::fs::read(tmp.path().join("merged").join(file)).unwrap();
        assert!(single == merged, "{file}");
    }
    assert_eq!(
        std::fs::read(tmp.path().join("k1/partial.json")).unwrap(),
        std::fs::read(tmp.path().join("h1/partial.json")).unwrap(),
        "the same shard, whichever scheduler ran it"
    );
    // No variables, or a count missing: exit code 2, naming the variables, and no folder.
    for (vars, message) in [
        (
            &[][..],
            "error: invalid value 'auto' for '--shard <I/K|auto>': no scheduler gave this task a shard index: none of HQ_TASK_ID",
        ),
        (
            &[("JOB_COMPLETION_INDEX", "1")][..],
            "JOB_COMPLETION_INDEX=1 gives the shard index but not the count; set CORRIDOR_SHARDS",
        ),
        (
            &[
                ("SLURM_ARRAY_TASK_ID", "2"),
                ("SLURM_ARRAY_TASK_COUNT", "2"),
                ("SLURM_ARRAY_TASK_MIN", "1"),
                ("SLURM_ARRAY_TASK_MAX", "2"),
            ][..],
            "the Slurm array is not 0 to 1 in steps of 1",
        ),
    ] {
        let o = run(vars, "bad");
        assert_eq!(o.status.code(), Some(2), "{vars:?}");
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert!(stderr.contains(message), "{vars:?}: {stderr}");
        assert!(!tmp.path().join("bad").exists());
    }
}
