#!/bin/bash
# Submits a sharded corridor run and its merge to Slurm.
#   ./submit.sh SCENARIO TRIALS [SHARDS] [SEED]
# e.g. CPUS_PER_TASK=4 ./submit.sh scenarios/bamako-2025.toml 10000000 16
# CPUS_PER_TASK (default 8) is each shard's --cpus-per-task: keep it at most the CPUs of
# your nodes, or the shards wait for a node that does not exist. RUN_DIR, CORRIDOR (the
# binary) and sbatch's own variables (SBATCH_PARTITION, SBATCH_ACCOUNT, ...) are honoured.
set -euo pipefail
SCENARIO=${1:?usage: submit.sh SCENARIO TRIALS [SHARDS] [SEED]}
TRIALS=${2:?usage: submit.sh SCENARIO TRIALS [SHARDS] [SEED]}
SHARDS=${3:-16}
SEED=${4:-1}
CPUS_PER_TASK=${CPUS_PER_TASK:-8}
HERE=$(cd "$(dirname "$0")" && pwd)
RUN_DIR=${RUN_DIR:-runs/$(basename "$SCENARIO" .toml)-seed$SEED-$TRIALS}
mkdir -p logs "$RUN_DIR"

# Fail early, on the login node, if the scenario is invalid.
"${CORRIDOR:-corridor}" validate "$SCENARIO"

export SCENARIO TRIALS SEED RUN_DIR
shards=$(sbatch --parsable --array=0-$((SHARDS - 1)) --cpus-per-task="$CPUS_PER_TASK" \
    --export=ALL "$HERE/shards.sbatch")
shards=${shards%%;*} # --parsable prints "id;cluster" on a multi-cluster site
merge=$(sbatch --parsable --dependency=afterok:"$shards" --export=ALL "$HERE/merge.sbatch")
merge=${merge%%;*}
echo "shards: job $shards (array 0-$((SHARDS - 1)), --cpus-per-task=$CPUS_PER_TASK); merge: job $merge; results in $RUN_DIR/merged"
