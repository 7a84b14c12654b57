#!/usr/bin/env bash
# `make scaling`: the run pool's speed-up on the sweep-2d compute workload (target 5 of BENCHMARKS.md) for
# 1…MAX jobs (default: every core), REPEATS rounds (default 3; the order of the job counts alternates from
# round to round), medians. Prints a Markdown table, and writes it to $OUT/scaling.md when OUT is set.
#
# It needs only bash, coreutils and a descent binary (DESCENT, default the release build, which links the
# Swift runtime statically), so the binary and the config can be carried to a machine with more cores and
# no Swift toolchain, and the curve measured there.
set -euo pipefail
cd "$(dirname "$0")/.."
DESCENT=${DESCENT:-.build/release/descent}
CONFIG=${CONFIG:-Configs/bench/sweep-2d.json}
MAX=${MAX:-$(nproc)}
REPEATS=${REPEATS:-3}
[ -x "$DESCENT" ] || { echo "error: $DESCENT is not an executable; run \`make build\` or set DESCENT" >&2; exit 66; }
case $MAX in '' | *[!0-9]* | 0) echo "error: MAX must be a positive number of jobs, got '$MAX'" >&2; exit 64 ;; esac
case $REPEATS in '' | *[!0-9]* | 0) echo "error: REPEATS must be a positive number of rounds, got '$REPEATS'" >&2; exit 64 ;; esac

WORK=$(mktemp -d "${TMPDIR:-/tmp}/descent-scaling.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
: > "$WORK/times"

for round in $(seq 1 "$REPEATS"); do
  echo "round $round/$REPEATS…" >&2
  if [ $((round % 2)) -eq 1 ]; then order=$(seq 1 "$MAX"); else order=$(seq "$MAX" -1 1); fi
  for jobs in $order; do
    output="$WORK/run-$round-$jobs"
    sync
    start=$(date +%s%N)
    "$DESCENT" run "$CONFIG" --jobs "$jobs" --output "$output" --quiet --no-plot > /dev/null
    end=$(date +%s%N)
    echo "$jobs $(( (end - start) / 1000 ))" >> "$WORK/times"
    rm -rf "$output"
  done
done

median() {  # median JOBS: the median wall time in microseconds of that job count's runs
  awk -v j="$1" '$1 == j { print $2 }' "$WORK/times" | sort -n |
    awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2)) }'
}

one=$(median 1)
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || echo unknown)
{
  echo "$(date +%F), commit $commit, $(nproc) × $cpu, \`$CONFIG\`, medians of $REPEATS rounds:"
  echo
  echo "| jobs | wall s | speed-up | efficiency |"
  echo "| --- | --- | --- | --- |"
  for jobs in $(seq 1 "$MAX"); do
    t=$(median "$jobs")
    awk -v j="$jobs" -v t="$t" -v one="$one" \
      'BEGIN { printf "| %d | %.3f | %.2f | %.0f %% |\n", j, t / 1e6, one / t, 100 * one / t / j }'
  done
} | tee "$WORK/scaling.md"
if [ -n "${OUT:-}" ]; then cp "$WORK/scaling.md" "$OUT/scaling.md"; fi
