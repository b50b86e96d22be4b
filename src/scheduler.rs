//! `--shard auto`: the shard index and count of a task, read from the variables a batch
//! scheduler sets for it (a Slurm job array, a Kubernetes Indexed Job, a HyperQueue task
//! array), so that one job file serves every task. It only reads variables through the
//! lookup it is given and checks them; it must not guess: a missing or inconsistent
//! variable is an error that names it, because a wrong shard silently corrupts the merge.

use crate::shard::ShardSpec;

/// The variable that gives the shard count where the scheduler does not (Kubernetes,
/// HyperQueue), or overrides the Slurm array's size (when a few shards are re-run alone).
pub const SHARDS_VAR: &str = "CORRIDOR_SHARDS";

/// The index variables, in the order they are looked at: HyperQueue first, because its
/// workers are often Slurm jobs whose variables its tasks inherit.
const INDEX_VARS: [(&str, &str); 3] = [
    ("HQ_TASK_ID", "a HyperQueue task array"),
    ("JOB_COMPLETION_INDEX", "a Kubernetes Indexed Job"),
    ("SLURM_ARRAY_TASK_ID", "a Slurm job array"),
];

/// The shard of this task, from the scheduler's variables (`var` looks one up: the process
/// environment in the binary, a table in tests).
pub fn shard_from_env(var: impl Fn(&str) -> Option<String>) -> Result<ShardSpec, String> {
    let Some((index_var, _)) = INDEX_VARS.iter().find(|(name, _)| var(name).is_some()) else {
        let names: Vec<String> = INDEX_VARS
            .iter()
            .map(|(name, what)| format!("{name} ({what})"))
            .collect();
        return Err(format!(
            "no scheduler gave this task a shard index: none of {} is set; run it as an array task or give --shard I/K",
            names.join(", ")
        ));
    };
    let number = |name: &str| -> Result<Option<u64>, String> {
        match var(name) {
            None => Ok(None),
            Some(text) => text.trim().parse::<u64>().map(Some).map_err(|_| {
                format!("{name}=\"{text}\" is not a whole number (a shard index or count)")
            }),
        }
    };
    let index = number(index_var)?.expect("the index variable is set");
    let explicit = number(SHARDS_VAR)?;
    if explicit == Some(0) {
        return Err(format!("{SHARDS_VAR}=0: a run has at least one shard"));
    }
    let count = if *index_var == "SLURM_ARRAY_TASK_ID" {
        slurm_count(index, explicit, &number)?
    } else {
        explicit.ok_or_else(|| {
            format!(
                "{index_var}={index} gives the shard index but not the count; set {SHARDS_VAR} to the number of shards (the job's completions or array size)"
            )
        })?
    };
    if index >= count {
        let from = if explicit.is_some() {
            SHARDS_VAR
        } else {
            "the Slurm array's size"
        };
        return Err(format!(
            "{index_var}={index} is not a shard of {count} ({from}): indexes count from 0 to {}",
            count - 1
        ));
    }
    Ok(ShardSpec { index, count })
}

/// The shard count of a Slurm array task. Without `CORRIDOR_SHARDS` the array must be
/// exactly 0..K-1 in steps of 1, or the tasks would not be the K shards of one run; with
/// it, any part of that range may be run (re-running the shards that failed).
fn slurm_count(
    index: u64,
    explicit: Option<u64>,
    number: &dyn Fn(&str) -> Result<Option<u64>, String>,
) -> Result<u64, String> {
    let (min, max) = (
        number("SLURM_ARRAY_TASK_MIN")?,
        number("SLURM_ARRAY_TASK_MAX")?,
    );
    if let Some(k) = explicit {
        if let Some(max) = max.filter(|&max| max >= k) {
            return Err(format!(
                "SLURM_ARRAY_TASK_MAX={max} but {SHARDS_VAR}={k}: the array runs tasks that are not shards (0 to {})",
                k - 1
            ));
        }
        return Ok(k);
    }
    let count = match (number("SLURM_ARRAY_TASK_COUNT")?, max) {
        (Some(count), _) => count,
        (None, Some(max)) => max + 1,
        (None, None) => {
            return Err(format!(
                "SLURM_ARRAY_TASK_ID={index} is set but neither SLURM_ARRAY_TASK_COUNT nor SLURM_ARRAY_TASK_MAX; set {SHARDS_VAR} to the number of shards"
            ));
        }
    };
    let step = number("SLURM_ARRAY_TASK_STEP")?.unwrap_or(1);
    if min.is_some_and(|m| m != 0) || max.is_some_and(|m| m + 1 != count) || step != 1 {
        let shown = |v: Option<u64>| v.map_or("unset".to_string(), |v| v.to_string());
        return Err(format!(
            "the Slurm array is not 0 to {} in steps of 1 (SLURM_ARRAY_TASK_MIN={}, SLURM_ARRAY_TASK_MAX={}, SLURM_ARRAY_TASK_STEP={step}, SLURM_ARRAY_TASK_COUNT={count}); submit it as --array=0-{}, or, to re-run some shards of a run, set {SHARDS_VAR} to its shard count",
            count.max(1) - 1,
            shown(min),
            shown(max),
            count.max(1) - 1
        ));
    }
    if count == 0 {
        return Err("SLURM_ARRAY_TASK_COUNT=0: a run has at least one shard".to_string());
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shard(vars: &[(&str, &str)]) -> Result<ShardSpec, String> {
        shard_from_env(|name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        })
    }

    fn spec(index: u64, count: u64) -> Result<ShardSpec, String> {
        Ok(ShardSpec { index, count })
    }

    #[test]
    fn reads_each_scheduler() {
        let slurm = [
            ("SLURM_ARRAY_TASK_ID", "2"),
            ("SLURM_ARRAY_TASK_COUNT", "4"),
            ("SLURM_ARRAY_TASK_MIN", "0"),
            ("SLURM_ARRAY_TASK_MAX", "3"),
            ("SLURM_ARRAY_TASK_STEP", "1"),
        ];
        assert_eq!(shard(&slurm), spec(2, 4));
        // Older Slurm sets no count: it follows from the maximum.
        assert_eq!(
            shard(&[("SLURM_ARRAY_TASK_ID", "1"), ("SLURM_ARRAY_TASK_MAX", "2")]),
            spec(1, 3)
        );
        // A failed shard re-run alone keeps the run's count.
        let rerun = [
            ("SLURM_ARRAY_TASK_ID", "5"),
            ("SLURM_ARRAY_TASK_COUNT", "1"),
            ("SLURM_ARRAY_TASK_MIN", "5"),
            ("SLURM_ARRAY_TASK_MAX", "5"),
            ("CORRIDOR_SHARDS", "16"),
        ];
        assert_eq!(shard(&rerun), spec(5, 16));
        assert_eq!(
            shard(&[("JOB_COMPLETION_INDEX", "0"), ("CORRIDOR_SHARDS", "8")]),
            spec(0, 8)
        );
        // A HyperQueue task on a worker that is itself a Slurm array task.
        assert_eq!(
            shard(&[
                ("HQ_TASK_ID", "7"),
                ("CORRIDOR_SHARDS", "10"),
                ("SLURM_ARRAY_TASK_ID", "0"),
                ("SLURM_ARRAY_TASK_COUNT", "2"),
            ]),
            spec(7, 10)
        );
    }

    #[test]
    fn missing_or_inconsistent_variables_are_named() {
        let err = |vars: &[(&str, &str)]| shard(vars).unwrap_err();
        assert!(err(&[]).contains("none of HQ_TASK_ID (a HyperQueue task array), JOB_COMPLETION_INDEX (a Kubernetes Indexed Job), SLURM_ARRAY_TASK_ID (a Slurm job array) is set"));
        assert_eq!(
            err(&[("JOB_COMPLETION_INDEX", "3")]),
            "JOB_COMPLETION_INDEX=3 gives the shard index but not the count; set CORRIDOR_SHARDS to the number of shards (the job's completions or array size)"
        );
        assert_eq!(
            err(&[("HQ_TASK_ID", "4"), ("CORRIDOR_SHARDS", "4")]),
            "HQ_TASK_ID=4 is not a shard of 4 (CORRIDOR_SHARDS): indexes count from 0 to 3"
        );
        assert_eq!(
            err(&[("HQ_TASK_ID", "x1"), ("CORRIDOR_SHARDS", "4")]),
            "HQ_TASK_ID=\"x1\" is not a whole number (a shard index or count)"
        );
        assert!(err(&[("HQ_TASK_ID", "0"), ("CORRIDOR_SHARDS", "0")]).contains("at least one"));
        // --array=1-4: a shard 4 of 4 would not exist, and shard 0 would never run.
        assert!(
            err(&[
                ("SLURM_ARRAY_TASK_ID", "1"),
                ("SLURM_ARRAY_TASK_COUNT", "4"),
                ("SLURM_ARRAY_TASK_MIN", "1"),
                ("SLURM_ARRAY_TASK_MAX", "4"),
            ])
            .starts_with("the Slurm array is not 0 to 3 in steps of 1 (SLURM_ARRAY_TASK_MIN=1")
        );
        // --array=0-6:2
        assert!(
            err(&[
                ("SLURM_ARRAY_TASK_ID", "2"),
                ("SLURM_ARRAY_TASK_COUNT", "4"),
                ("SLURM_ARRAY_TASK_MIN", "0"),
                ("SLURM_ARRAY_TASK_MAX", "6"),
                ("SLURM_ARRAY_TASK_STEP", "2"),
            ])
            .contains("SLURM_ARRAY_TASK_STEP=2")
        );
        assert_eq!(
            err(&[
                ("SLURM_ARRAY_TASK_ID", "3"),
                ("SLURM_ARRAY_TASK_MAX", "9"),
                ("CORRIDOR_SHARDS", "4"),
            ]),
            "SLURM_ARRAY_TASK_MAX=9 but CORRIDOR_SHARDS=4: the array runs tasks that are not shards (0 to 3)"
        );
        assert!(err(&[("SLURM_ARRAY_TASK_ID", "0")]).contains("neither SLURM_ARRAY_TASK_COUNT"));
    }
}
