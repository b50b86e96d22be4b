#!/bin/bash
# The Slurm path for real: boots a single-node cluster on this machine from Debian's
# slurm-wlm and munge packages (munged, slurmctld and slurmd on localhost, all as root, all
# state in a temporary folder), submits a sharded run of a shipped scenario with
# ./submit.sh, waits for the array and its afterok merge, and checks that the merged folder
# is byte for byte what `corridor run` writes for the same trials and seed. The daemons are
# shut down however the test ends. CI runs it from .ci/run; run it by hand with
#   deploy/slurm/ci-test.sh            # after cargo build --release
# Needs root (apt-get, and SlurmUser=root). No cgroups: it runs in containers too.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
CORRIDOR=${CORRIDOR:-$REPO/target/release/corridor}
SCENARIO=$REPO/scenarios/bamako-2025.toml
TRIALS=3000
SHARDS=3
SEED=7
TIMEOUT=${TIMEOUT:-300}
started=$SECONDS

say() { echo "slurm test: $*"; }
[ -x "$CORRIDOR" ] || { say "no corridor binary at $CORRIDOR (cargo build --release first)"; exit 1; }
if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null \
    || ! command -v sbatch >/dev/null || ! command -v munged >/dev/null; then
    say "installing slurm-wlm and munge"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm munge >/dev/null
fi

# munged wants every folder above its socket searchable by all.
T=$(mktemp -d /tmp/corridor-slurm.XXXXXX)
chmod 755 "$T"
mkdir -p "$T/state" "$T/spool" "$T/work"

alive() { [ -e "/proc/$1" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null; }
# Stops the daemon whose pid file this test wrote: by its pid, never by name.
stop() {
    local pid
    pid=$(cat "$1" 2>/dev/null) || return 0
    kill "$pid" 2>/dev/null || return 0
    for _ in $(seq 50); do alive "$pid" || return 0; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
}
cleanup() {
    local status=$?
    if [ -f "$T/slurmctld.pid" ]; then
        scontrol shutdown >/dev/null 2>&1 || true
    fi
    for daemon in slurmd slurmctld munged; do stop "$T/$daemon.pid"; done
    if [ "$status" -ne 0 ]; then
        for log in "$T"/*.log "$T"/work/logs/*; do
            [ -f "$log" ] && { echo "--- $log"; tail -n 30 "$log"; }
        done
        say "FAILED"
    fi
    rm -rf "$T"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# munge: a fresh key and a private socket, so nothing of the machine's own is touched.
mungekey --create --keyfile="$T/munge.key"
munged --key-file="$T/munge.key" --socket="$T/munge.socket" --pid-file="$T/munged.pid" \
    --log-file="$T/munged.log" --seed-file="$T/munged.seed"

# slurm.conf for one node: this machine's CPUs and memory, ports off the defaults (derived
# from this shell's pid, so two tests on one machine do not meet), no accounting.
host=$(hostname -s)
cpus=$(nproc)
memory=$(awk '/^MemTotal:/ { print int($2 / 1024) - 256 }' /proc/meminfo)
port=$((20000 + ($$ % 20000) * 2))
export SLURM_CONF=$T/slurm.conf
cat >"$SLURM_CONF" <<CONF
ClusterName=corridorci
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$T/munge.socket
CredType=cred/munge
StateSaveLocation=$T/state
SlurmdSpoolDir=$T/spool
SlurmctldPidFile=$T/slurmctld.pid
SlurmdPidFile=$T/slurmd.pid
SlurmctldLogFile=$T/slurmctld.log
SlurmdLogFile=$T/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
ReturnToService=2
SchedulerType=sched/backfill
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=ci Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
slurmctld -f "$SLURM_CONF"
slurmd -f "$SLURM_CONF" -N "$host"
deadline=$((SECONDS + 60))
until sinfo -h -o %t 2>/dev/null | grep -qx idle; do
    [ "$SECONDS" -lt "$deadline" ] || { say "the node never became idle"; exit 1; }
    sleep 0.5
done
say "a one-node cluster of $cpus CPUs is up after $((SECONDS - started)) s"

# The run, as a user submits it: one CPU per shard, so that two shards share this node.
cd "$T/work"
submitted=$(CORRIDOR=$CORRIDOR RUN_DIR=run CPUS_PER_TASK=1 \
    "$REPO/deploy/slurm/submit.sh" "$SCENARIO" "$TRIALS" "$SHARDS" "$SEED")
echo "$submitted"
merge=$(sed -n 's/.*merge: job \([0-9]*\).*/\1/p' <<<"$submitted")
[ -n "$merge" ] || { say "submit.sh printed no merge job"; exit 1; }

deadline=$((SECONDS + TIMEOUT))
while :; do
    job=$(scontrol show job "$merge" -o 2>/dev/null || true)
    state=$(grep -o 'JobState=[A-Z_]*' <<<"$job" | cut -d= -f2 || true)
    case $state in
    COMPLETED) break ;;
    FAILED | CANCELLED | TIMEOUT | NODE_FAIL | OUT_OF_MEMORY | BOOT_FAIL | DEADLINE | PREEMPTED)
        say "the merge job ended $state"
        exit 1
        ;;
    esac
    if grep -q 'Reason=DependencyNeverSatisfied' <<<"$job"; then
        say "a shard failed, so the merge will never run"
        exit 1
    fi
    [ "$SECONDS" -lt "$deadline" ] || { say "no merge after $TIMEOUT s (state ${state:-unknown})"; exit 1; }
    sleep 1
done
say "the array and its merge finished after $((SECONDS - started)) s"

# The same trials on one machine. run.json (times) and report.html (which shows them) are
# the only files a run writes that a merge does not write alike.
"$CORRIDOR" run "$SCENARIO" --trials "$TRIALS" --seed "$SEED" --out single --quiet
for shard in $(seq 0 $((SHARDS - 1))); do
    [ -s "run/shard-$shard/partial.json" ] || { say "shard $shard wrote no partial result"; exit 1; }
done
diff -r -q -x run.json -x report.html single run/merged
say "the merged folder is byte for byte the single run's ($(find run/merged -type f | wc -l) files); $((SECONDS - started)) s in all"
