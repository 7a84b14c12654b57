#!/usr/bin/env bash
# `make soak`: a sweep of 100,000 short runs with full trajectories. Samples the process's resident memory
# while it runs and fails if it ever exceeds the bound (memory must stay flat: trajectories stream to disk),
# then checks that the output holds every run and a complete summary.
set -euo pipefail
cd "$(dirname "$0")/.."
DESCENT=${DESCENT:-.build/release/descent}
BOUND_MB=${BOUND_MB:-300}
WORK=$(mktemp -d /tmp/descent-soak.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
cat > "$WORK/soak.json" <<'JSON'
{
  "name": "soak",
  "description": "100,000 short runs: memory must stay flat while trajectories stream to disk",
  "steps": 20,
  "seeds": 1000,
  "record": "every",
  "functions": [
    {"name": "rosenbrock", "start": "random"},
    {"name": "booth", "start": "random"},
    {"name": "xcos", "start": "random"},
    {"name": "himmelblau", "start": "random"},
    {"name": "matyas", "start": "random"}
  ],
  "optimizers": [
    {"name": "sgd", "lr": {"logspace": [-4, -1, 10]}},
    {"name": "adam", "lr": {"logspace": [-3, 0, 10]}}
  ]
}
JSON
"$DESCENT" validate "$WORK/soak.json"
sampled() {  # sampled COMMAND…: runs it in the background, sets peak (MB of resident memory) and samples
  "$@" &
  local pid=$!
  peak=0
  samples=0
  while kill -0 "$pid" 2>/dev/null; do
    rss=$(awk '/^VmRSS/ {print int($2 / 1024)}' "/proc/$pid/status" 2>/dev/null || echo 0)
    [ "${rss:-0}" -gt "$peak" ] && peak=$rss
    samples=$((samples + 1))
    sleep 0.5
  done
  wait "$pid"
}
sampled "$DESCENT" run "$WORK/soak.json" --output "$WORK/out" --no-plot --jobs 2
rows=$(($(wc -l < "$WORK/out/summary.csv") - 1))
trajectories=$(find "$WORK/out/runs" -name '*.csv' | wc -l)
echo "soak: $rows summary rows, $trajectories trajectories, peak RSS ${peak} MB over $samples samples (bound ${BOUND_MB} MB)"
[ "$rows" -eq 100000 ] || { echo "soak: FAIL: expected 100000 summary rows"; exit 1; }
[ "$trajectories" -eq 100000 ] || { echo "soak: FAIL: expected 100000 trajectories"; exit 1; }
[ "$peak" -le "$BOUND_MB" ] || { echo "soak: FAIL: peak RSS above the bound"; exit 1; }
# Reading it all back: the plots read the 100,000 trajectories one function at a time.
started=$(date +%s)
sampled "$DESCENT" plot "$WORK/out" --terminal dumb > "$WORK/plots.txt"
plots=$(grep -c '^== ' "$WORK/plots.txt")
echo "soak: plot drew $plots plots in $(( $(date +%s) - started )) s, peak RSS ${peak} MB over $samples samples (bound ${BOUND_MB} MB)"
[ "$plots" -eq 16 ] || { echo "soak: FAIL: expected 16 plots (3 per function, and the data profile)"; exit 1; }
[ "$peak" -le "$BOUND_MB" ] || { echo "soak: FAIL: plot's peak RSS above the bound"; exit 1; }
echo "soak: PASS"
