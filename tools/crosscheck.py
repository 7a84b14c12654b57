#!/usr/bin/env python3
"""Descent's sweep-2d trajectories against the C limit proxy's, value by value, bit for bit.

usage: crosscheck.py RESULTS_DIR PROXY_TRAJECTORY

RESULTS_DIR is `descent run Configs/bench/sweep-2d-binary.json` (binary float64 trajectories, the learning
rate in each sidecar's `constants`); PROXY_TRAJECTORY is `../shared/bench/limit run -w bin PATH`, the
proxy's whole sweep as float64 laid out [run][t][5] in the workload's run order
(((function * 6 + optimizer) * 8 + lr) * 16 + seed, see ../shared/bench/WORKLOAD.md).

Every one of Descent's rows 0…9,999 (it also records the final point, row 10,000) must equal the proxy's row
in every bit: step, f, the gradient norm, x1 and x2 (xcos is 1-D: Descent stores x1 only, the proxy 0.0 as
x2). One difference is by design and counted apart: where g·g overflows, the proxy's sqrt(g·g) is inf,
while Descent rescales and gives the finite norm. Exits 1 on any other difference, listing the first ones.
`make crosscheck` runs both and this script.
"""
import csv
import json
import sys

import numpy as np

FUNCTIONS = ["rosenbrock", "quadratic", "xcos"]
OPTIMIZERS = ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"]
STEPS = 10_000


def main() -> int:
    results, proxy_path = sys.argv[1], sys.argv[2]
    proxy = np.memmap(proxy_path, dtype="<f8", mode="r").reshape(-1, STEPS, 5)
    rows = list(csv.DictReader(open(f"{results}/summary.csv")))
    rates = sorted({float(r["lr"]) for r in rows})
    if len(rows) != proxy.shape[0] or len(rates) != 8:
        print(f"expected the 2,304 runs and 8 rates of sweep-2d, got {len(rows)} runs and {len(rates)} rates")
        return 1
    identical = overflow_runs = overflow_cells = 0
    problems = []
    for r in rows:
        index = ((FUNCTIONS.index(r["function"]) * 6 + OPTIMIZERS.index(r["label"])) * 8 + rates.index(float(r["lr"]))) * 16 + int(r["start"])
        path = f"{results}/runs/{r['run_id']}.f64"
        sidecar = json.load(open(path + ".json"))
        ours = np.fromfile(path, "<f8").reshape(-1, len(sidecar["columns"]))
        theirs = proxy[index]
        width = ours.shape[1]
        if ours.shape[0] != STEPS + 1 or sidecar.get("constants", {}).get("lr") != float(r["lr"]) or (width == 4 and np.any(theirs[:, 4] != 0)):
            problems.append(f"{r['run_id']}: {ours.shape[0]} rows of {sidecar['columns']}, constants {sidecar.get('constants')}")
            continue
        differ = np.argwhere(ours[:STEPS].view(np.uint64) != np.ascontiguousarray(theirs[:, :width]).view(np.uint64))
        if len(differ) == 0:
            identical += 1
        elif all(column == 2 and np.isinf(theirs[t, 2]) and np.isfinite(ours[t, 2]) for t, column in differ):
            overflow_runs += 1
            overflow_cells += len(differ)
        else:
            t, column = differ[0]
            problems.append(f"{r['run_id']} (proxy run {index}): step {t}, column {sidecar['columns'][column]}: "
                            f"{float(ours[t, column])!r} where the proxy has {float(theirs[t, column])!r} ({len(differ)} cells differ)")
    print(f"crosscheck: {len(rows)} runs; {identical} bit-identical in every value; {overflow_runs} differ only in grad_norm "
          f"where g·g overflows ({overflow_cells} values: the proxy's inf, Descent's finite norm); {len(problems)} differ otherwise")
    for line in problems[:10]:
        print("  " + line)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
