#!/bin/bash
# Submits a sharded corridor run and its merge to Slurm.
#   ./submit.sh SCENARIO TRIALS [SHARDS] [SEED]
# e.g. ./submit.sh scenarios/bamako-2025.toml 10000000 16
set -euo pipefail
SCENARIO=${1:?usage: submit.sh SCENARIO TRIALS [SHARDS] [SEED]}
TRIALS=${2:?usage: submit.sh SCENARIO TRIALS [SHARDS] [SEED]}
SHARDS=${3:-16}
SEED=${4:-1}
HERE=$(cd "$(dirname "$0")" && pwd)
RUN_DIR=${RUN_DIR:-runs/$(basename "$SCENARIO" .toml)-seed$SEED-$TRIALS}
mkdir -p logs "$RUN_DIR"

# Fail early, on the login node, if the scenario is invalid.
"${CORRIDOR:-corridor}" validate "$SCENARIO"

export SCENARIO TRIALS SEED RUN_DIR
shards=$(sbatch --parsable --array=0-$((SHARDS - 1)) --export=ALL "$HERE/shards.sbatch")
merge=$(sbatch --parsable --dependency=afterok:"$shards" --export=ALL "$HERE/merge.sbatch")
echo "shards: job $shards (array 0-$((SHARDS - 1))); merge: job $merge; results in $RUN_DIR/merged"
