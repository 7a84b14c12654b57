#!/usr/bin/env bash
# Integration test for `descent slurm`: stands up a one-node Slurm cluster on this machine and checks that a
# sweep run as a 3-task job array plus its dependent merge job gives the same summary.csv as `descent run`,
# the timing column (wall_seconds) aside.
#
#   tools/slurm-test.sh                   # as root; Debian 12
#   DESCENT=/path/to/descent tools/slurm-test.sh
#
# DESCENT defaults to .build/release/descent (built when missing). Slurm's and MUNGE's Debian packages are
# installed when missing. The daemons (munged, slurmctld, slurmd) are started by hand, without systemd, with
# every file under one temporary directory, their own MUNGE socket and key and their own ports, so the test
# touches no system Slurm set-up; they are stopped by pid on exit. Prints PASS or FAIL (exit 1); skips
# (exit 0) when not root.
set -euo pipefail

cd "$(dirname "$0")/.."
repo=$(pwd)
started=$SECONDS
say() { echo "slurm-test: $*"; }

if [ "$(id -u)" -ne 0 ]; then
  say "SKIP: needs root (it installs Slurm and runs its daemons); run it as root or in CI"
  exit 0
fi
export PATH="$PATH:/usr/sbin:/sbin"

DESCENT=${DESCENT:-.build/release/descent}
case $DESCENT in /*) ;; *) DESCENT=$repo/$DESCENT ;; esac
if [ ! -x "$DESCENT" ]; then
  if [ "$DESCENT" = "$repo/.build/release/descent" ]; then
    say "building $DESCENT"
    swift build -c release --product descent
  else
    say "FAIL: DESCENT=$DESCENT is not an executable"
    exit 1
  fi
fi

## Packages ------------------------------------------------------------------------------------------------
missing=
for tool in munged slurmctld slurmd sbatch squeue sinfo scontrol scancel; do
  command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
done
if [ -n "$missing" ]; then
  say "installing Slurm and MUNGE (missing:$missing)"
  packages=(slurmctld slurmd slurm-client munge)
  export DEBIAN_FRONTEND=noninteractive
  if ! ls /var/lib/apt/lists/*_Packages >/dev/null 2>&1; then apt-get update; fi
  apt-get install -y --no-install-recommends "${packages[@]}" || { apt-get update && apt-get install -y --no-install-recommends "${packages[@]}"; }
fi
setup_started=$SECONDS

## A private one-node cluster -------------------------------------------------------------------------------
tmp=$(mktemp -d /tmp/descent-slurm-test.XXXXXX)
chmod 755 "$tmp"  # munged requires every directory above its socket to be searchable by all
pids=()
array_job=
merge_job=

cleanup() {
  local status=$?
  set +e
  if [ -n "$array_job$merge_job" ] && [ ${#pids[@]} -ge 3 ]; then
    scancel $array_job $merge_job 2>/dev/null
    for _ in $(seq 20); do [ -z "$(squeue -h 2>/dev/null)" ] && break; sleep 0.5; done
  fi
  # Stop what this script started, newest first: slurmd, slurmctld, munged.
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill "${pids[$i]}" 2>/dev/null; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null; done
  if [ "$status" -eq 0 ]; then rm -rf "$tmp"; else say "logs kept in $tmp"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

fail() {
  say "FAIL: $*"
  for log in "$tmp"/slurmctld.log "$tmp"/slurmd.log "$tmp"/munged.log "$tmp"/results*/*-slurm/logs/*.log; do
    [ -f "$log" ] || continue
    echo "---- ${log#"$tmp"/} (last 15 lines)"
    tail -n 15 "$log"
  done
  exit 1
}

# Waits up to $1 seconds for the command that follows to succeed.
wait_for() {
  local limit=$1
  shift
  local deadline=$((SECONDS + limit))
  until "$@"; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.5
  done
}

mkdir -p "$tmp/munge/key" "$tmp/state" "$tmp/spool"
chmod 700 "$tmp/munge/key"
dd if=/dev/urandom of="$tmp/munge/key/munge.key" bs=1024 count=1 status=none
chmod 400 "$tmp/munge/key/munge.key"
socket=$tmp/munge/munge.socket
munged --foreground --key-file="$tmp/munge/key/munge.key" --socket="$socket" --log-file="$tmp/munged.log" \
  --pid-file="$tmp/munge/munged.pid" --seed-file="$tmp/munge/key/munged.seed" >>"$tmp/munged.log" 2>&1 &
pids+=($!)
wait_for 10 test -S "$socket" || fail "munged did not start"

host=$(hostname -s)
node=$(slurmd -C | head -n 1)
case $node in NodeName=*) ;; *) fail "unexpected 'slurmd -C' output: $node" ;; esac
port=$((20000 + RANDOM % 20000))
export SLURM_CONF=$tmp/slurm.conf
cat >"$SLURM_CONF" <<EOF
ClusterName=descenttest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$socket
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/slurmctld.log
SlurmdLogFile=$tmp/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
SwitchType=switch/none
ReturnToService=2
MailProg=/bin/true
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
MinJobAge=600
$node NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF

slurmctld -D -f "$SLURM_CONF" >>"$tmp/slurmctld.out" 2>&1 &
pids+=($!)
wait_for 20 scontrol ping >/dev/null 2>&1 || fail "slurmctld did not answer 'scontrol ping'"
slurmd -D -f "$SLURM_CONF" >>"$tmp/slurmd.out" 2>&1 &
pids+=($!)
node_idle() { [ "$(sinfo -h -N -o '%t' 2>/dev/null)" = idle ]; }
wait_for 30 node_idle || fail "node $host did not become idle: $(sinfo -N 2>&1)"
say "cluster up: node $(sinfo -h -N -o '%N %c CPUs %t') (pids ${pids[*]}), $((SECONDS - setup_started))s"

## The sweep, on Slurm and locally --------------------------------------------------------------------------
# Paths with a space and a quote in them, to exercise the scripts' quoting end to end.
mkdir -p "$tmp/it's a sweep" "$tmp/results dir"
config="$tmp/it's a sweep/slurm test.json"
cat >"$config" <<'EOF'
{
  "name": "slurm-test",
  "description": "a few seconds of work for tools/slurm-test.sh",
  "steps": 3000,
  "seeds": 3,
  "record": {"log": 30},
  "targets": [1e-2, 1e-6],
  "functions": [
    {"name": "quadratic", "diag": [0.2, 4], "start": [-5, -2]},
    {"name": "rosenbrock", "start": {"box": [[-2, 2], [-1, 3]]}},
    {"name": "rastrigin", "dim": 3, "start": "random"}
  ],
  "optimizers": [
    {"name": "gd", "lr": {"grid": [0.001, 0.01]}},
    {"name": "momentum", "lr": 0.001, "momentum": 0.9},
    {"name": "adam", "lr": {"logspace": [-3, -1, 3]}}
  ]
}
EOF
merged="$tmp/results dir/sweep"
local_run="$tmp/results dir/local"

"$DESCENT" slurm "$config" --shards 3 --cpus-per-task 1 --partition debug --time 10 --output "$merged" --submit \
  >"$tmp/submit.out" || fail "descent slurm --submit exited $?"
array_job=$(sed -n 's/^array job \([0-9][0-9]*\)$/\1/p' "$tmp/submit.out")
merge_job=$(sed -n 's/^merge job \([0-9][0-9]*\)$/\1/p' "$tmp/submit.out")
[ -n "$array_job" ] && [ -n "$merge_job" ] || fail "no job ids in the output of descent slurm --submit: $(cat "$tmp/submit.out")"
say "submitted array job $array_job (3 tasks) and merge job $merge_job"

"$DESCENT" run "$config" --output "$local_run" --jobs 2 --no-plot --quiet || fail "the local descent run exited $?"

job_state() { scontrol -o show job "$1" 2>/dev/null | grep -o 'JobState=[A-Z_]*' | sort -u | tr '\n' ' '; }
merge_done() {
  case $(job_state "$merge_job") in *PENDING* | *RUNNING* | *CONFIGURING* | *COMPLETING* | *SUSPENDED* | "") return 1 ;; esac
}
wait_for 150 merge_done || fail "the jobs did not finish within 150 s: $(squeue 2>&1)"
[ "$(job_state "$merge_job")" = "JobState=COMPLETED " ] || fail "merge job $merge_job ended $(job_state "$merge_job")"
[ "$(job_state "$array_job")" = "JobState=COMPLETED " ] || fail "array job $array_job ended $(job_state "$array_job")"
say "jobs completed, $((SECONDS - setup_started))s after the cluster set-up began"

## Checks ---------------------------------------------------------------------------------------------------
for k in 1 2 3; do
  [ -f "$merged-slurm/shard-$k-of-3/manifest.json" ] || fail "shard $k/3 left no manifest in $merged-slurm/shard-$k-of-3"
done
head -n 1 "$merged/summary.csv" | grep -q ',wall_seconds$' || fail "summary.csv's last column is not wall_seconds"
without_timing() { sed 's/,[^,]*$//' "$1/summary.csv"; }
if ! cmp -s <(without_timing "$local_run") <(without_timing "$merged"); then
  diff <(without_timing "$local_run") <(without_timing "$merged") | head -n 20
  fail "the merged summary.csv differs from the local run's (wall_seconds aside)"
fi
rows=$(($(wc -l <"$merged/summary.csv") - 1))
plots="no gnuplot here, plots skipped"
if command -v gnuplot >/dev/null 2>&1; then
  ! grep -q '^warning: no plots' "$merged-slurm/logs/merge.log" || fail "the merge job's 'descent plot' failed: $(grep '^warning: no plots' "$merged-slurm/logs/merge.log")"
  count=$( (find "$merged/plots" -type f \( -name '*.png' -o -name '*.svg' -o -name '*.pdf' \) 2>/dev/null || true) | wc -l)
  plots="$count plots rendered"
fi
say "PASS: $rows runs in 3 shards on Slurm merge to the local run's summary.csv (wall_seconds aside); $plots; $((SECONDS - started))s in all"
