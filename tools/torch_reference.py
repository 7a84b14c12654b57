#!/usr/bin/env python3
"""Generate torch reference trajectories for the Swift optimizer tests.

Run by hand (CI never runs this; the fixtures it writes are committed):

    python3 -m venv /tmp/torch-venv && /tmp/torch-venv/bin/pip install torch
                               # several GB: PyPI's Linux x86-64 wheel carries CUDA (its CPU path is used)
    /tmp/torch-venv/bin/python tools/torch_reference.py                 # from the repository root
    /tmp/torch-venv/bin/python tools/torch_reference.py --sqrt torch    # keep torch's own (MKL) sqrt, see below
    /tmp/torch-venv/bin/python tools/torch_reference.py --skip-sensitivity

What it does: for every case (optimizer x hyperparameters x problem) it creates a float64
parameter tensor at the problem's start point, a ``torch.optim`` optimizer (single-tensor path:
``foreach=False``; ``fused`` left unset) and runs ``steps`` updates. The gradient is computed in
plain Python floats from ``p.detach().tolist()`` with the exact formulas below and handed over as
``p.grad``. Lion is not in torch.optim; it is implemented here with torch tensor ops exactly like
lucidrains' lion-pytorch.

    rosenbrock2  d=2   a = 1.0 - x0; u = x1 - x0*x0; g0 = -2.0*a - 400.0*x0*u; g1 = 200.0*u
                       start (-1.5, 2.0)
    quadratic20  d=20  g[i] = A[i] * x[i], A[i] = 10.0 ** (2.0 * i / 19.0), start 1.0 - 0.1 * i

It writes, into Tests/DescentCoreTests/Fixtures/torch/ (or --out):

    cases.json   torch version, generator details, the problems (dim, start, and the quadratic's
                 diagonal, so the Swift side uses identical bits) and one entry per case:
                 id, optimizer, hyperparameters (exactly the keys passed to the constructor, torch
                 names, betas as a 2-element list), effective_hyperparameters (the optimizer's
                 param_group after construction, torch defaults filled in), problem, steps,
                 every (CSV row stride) and file.
    <id>.csv     header step,x1,...,xd; rows for step 0 (the start), every `every`-th step and the
                 last step. Floats are written with repr(), so they round-trip exactly.

and tools/torch_reference_sensitivity.md: every case re-run from start * (1 + 1e-15), with the
largest relative difference between the two trajectories (all steps, all coordinates).

sqrt. On x86-64 Linux the torch wheels are built with MKL, and torch's float64 CPU ``sqrt`` is MKL
VML's vdSqrt, which is *not* correctly rounded (about 1.2% of random inputs come back one ulp off
on the machine the committed fixtures were made on; it does not depend on ATEN_CPU_CAPABILITY).
Every adaptive optimizer takes a tensor sqrt each step, so with it no IEEE implementation (Swift's
``squareRoot()``) can reproduce the trajectories bit for bit. By default (``--sqrt ieee``) this
script therefore replaces ``Tensor.sqrt``/``Tensor.sqrt_`` with a correctly rounded one
(``math.sqrt`` per element) for the duration of the runs; every other operation is torch's own.
That is what torch computes where its sqrt is IEEE (non-MKL builds, e.g. macOS arm64). The script
reports how far torch's own sqrt would move each case (column "vs torch sqrt" in the sensitivity
file). ``--sqrt torch`` leaves torch untouched. cases.json records the mode in generator.sqrt.

FMA. torch's vectorised CPU kernels (ATEN_CPU_CAPABILITY avx2/avx512, the default on current x86)
compute ``add_(t, alpha=a)``, ``addcmul_`` and ``lerp_`` with one fused multiply-add per element,
for every element, tail included; ``addcdiv_`` and the rest round after every operation. With
ATEN_CPU_CAPABILITY=default nothing is fused. The capability used is recorded in
generator.aten_cpu_capability; the Swift side (TorchArithmetic.swift) assumes the fused one.

pow. The scalar bias corrections (beta ** step, bias_correction2 ** 0.5, NAdam's 0.96 ** ...) are
Python floats, i.e. the C library's pow(), which in glibc is not correctly rounded in every case
(e.g. (1 - 0.9 ** t) ** 0.5 for t = 345...355). An implementation reproduces the fixtures bit for
bit only with the same pow(); generator.libc records which one made them.
"""

import argparse
import json
import math
import os
import platform
import sys

import torch

torch.set_default_dtype(torch.float64)
torch.set_num_threads(1)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_OUT = os.path.join(ROOT, "Tests", "DescentCoreTests", "Fixtures", "torch")
SENSITIVITY_MD = os.path.join(ROOT, "tools", "torch_reference_sensitivity.md")
STEPS = 2000
PERTURBATION = 1e-15
STABLE_BELOW = 1e-10

# ----------------------------------------------------------------------------------------------
# Problems: gradients in plain Python floats, exactly these operations in this order.

QUAD_DIAG = [10.0 ** (2.0 * i / 19.0) for i in range(20)]


def grad_rosenbrock2(x):
    x0, x1 = x
    a = 1.0 - x0
    u = x1 - x0 * x0
    g0 = -2.0 * a - 400.0 * x0 * u
    g1 = 200.0 * u
    return [g0, g1]


def grad_quadratic20(x):
    return [QUAD_DIAG[i] * x[i] for i in range(20)]


PROBLEMS = {
    "rosenbrock2": {"dim": 2, "start": [-1.5, 2.0], "grad": grad_rosenbrock2, "every": 1},
    "quadratic20": {"dim": 20, "start": [1.0 - 0.1 * i for i in range(20)], "grad": grad_quadratic20,
                    "every": 10},
}

# ----------------------------------------------------------------------------------------------
# Lion (lucidrains/lion-pytorch, single-tensor update), float64 like everything else here.


class Lion(torch.optim.Optimizer):
    def __init__(self, params, lr=1e-4, betas=(0.9, 0.99), weight_decay=0.0):
        super().__init__(params, dict(lr=lr, betas=betas, weight_decay=weight_decay))

    @torch.no_grad()
    def step(self):
        for group in self.param_groups:
            lr, wd = group["lr"], group["weight_decay"]
            beta1, beta2 = group["betas"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                grad = p.grad
                state = self.state[p]
                if len(state) == 0:
                    state["exp_avg"] = torch.zeros_like(p)
                exp_avg = state["exp_avg"]
                p.data.mul_(1 - lr * wd)
                update = exp_avg.clone().mul_(beta1).add_(grad, alpha=1 - beta1).sign_()
                p.add_(update, alpha=-lr)
                exp_avg.mul_(beta2).add_(grad, alpha=1 - beta2)


OPTIMIZERS = {
    "sgd": torch.optim.SGD,
    "adagrad": torch.optim.Adagrad,
    "rmsprop": torch.optim.RMSprop,
    "adadelta": torch.optim.Adadelta,
    "adam": torch.optim.Adam,
    "adamw": torch.optim.AdamW,
    "nadam": torch.optim.NAdam,
    "radam": torch.optim.RAdam,
    "lion": Lion,
}

# ----------------------------------------------------------------------------------------------
# Cases: (optimizer, variant, {problem: hyperparameters}). "default" passes nothing but what a
# problem needs (sgd's learning rate); betas are tuples here and lists in cases.json.

R, Q = "rosenbrock2", "quadratic20"
CASE_TABLE = [
    ("sgd", "plain", {R: dict(lr=5e-4), Q: dict(lr=2e-3)}),
    ("sgd", "momentum", {R: dict(lr=1e-4, momentum=0.9), Q: dict(lr=2e-3, momentum=0.9)}),
    ("sgd", "dampening", {R: dict(lr=2e-4, momentum=0.9, dampening=0.5),
                          Q: dict(lr=2e-3, momentum=0.9, dampening=0.5)}),
    ("sgd", "nesterov", {R: dict(lr=1e-4, momentum=0.9, nesterov=True),
                         Q: dict(lr=2e-3, momentum=0.9, nesterov=True)}),
    ("sgd", "wd", {R: dict(lr=5e-4, weight_decay=0.1), Q: dict(lr=2e-3, weight_decay=0.1)}),
    ("adagrad", "default", {R: dict(), Q: dict()}),
    ("adagrad", "decay", {R: dict(lr=0.1, lr_decay=0.01, initial_accumulator_value=0.1, weight_decay=0.01),
                          Q: dict(lr=0.1, lr_decay=0.01, initial_accumulator_value=0.1, weight_decay=0.01)}),
    ("rmsprop", "default", {R: dict(lr=1e-3), Q: dict()}),
    ("rmsprop", "centered", {R: dict(lr=1e-3, centered=True), Q: dict(lr=1e-3, centered=True)}),
    ("rmsprop", "momentum", {R: dict(lr=1e-4, momentum=0.9), Q: dict(lr=1e-3, momentum=0.9)}),
    ("rmsprop", "centered-momentum-wd", {R: dict(lr=1e-4, centered=True, momentum=0.9, weight_decay=0.01),
                                         Q: dict(lr=1e-3, centered=True, momentum=0.9, weight_decay=0.01)}),
    ("adadelta", "default", {R: dict(), Q: dict()}),
    ("adadelta", "rho-wd", {R: dict(rho=0.95, weight_decay=0.01), Q: dict(rho=0.95, weight_decay=0.01)}),
    ("adam", "default", {R: dict(), Q: dict()}),
    ("adam", "amsgrad", {R: dict(lr=1e-2, amsgrad=True), Q: dict(lr=1e-2, amsgrad=True)}),
    ("adam", "betas", {R: dict(lr=1e-3, betas=(0.3, 0.9)), Q: dict(lr=1e-3, betas=(0.3, 0.9))}),
    ("adam", "wd", {R: dict(lr=1e-2, weight_decay=0.01), Q: dict(lr=1e-2, weight_decay=0.01)}),
    ("adamw", "default", {R: dict(), Q: dict()}),
    ("adamw", "wd-amsgrad", {R: dict(lr=1e-2, weight_decay=0.1, amsgrad=True),
                             Q: dict(lr=1e-2, weight_decay=0.1, amsgrad=True)}),
    ("nadam", "default", {R: dict(), Q: dict()}),
    ("nadam", "momentum-decay-wd", {R: dict(momentum_decay=0.01, weight_decay=0.01),
                                    Q: dict(momentum_decay=0.01, weight_decay=0.01)}),
    ("nadam", "decoupled-wd", {R: dict(weight_decay=0.1, decoupled_weight_decay=True),
                               Q: dict(weight_decay=0.1, decoupled_weight_decay=True)}),
    ("radam", "default", {R: dict(), Q: dict()}),
    ("radam", "betas", {R: dict(lr=1e-2, betas=(0.9, 0.99)), Q: dict(lr=1e-2, betas=(0.9, 0.99))}),
    ("radam", "decoupled-wd", {R: dict(lr=1e-2, weight_decay=0.1, decoupled_weight_decay=True),
                               Q: dict(lr=1e-2, weight_decay=0.1, decoupled_weight_decay=True)}),
    ("lion", "default", {R: dict(), Q: dict()}),
    ("lion", "wd", {R: dict(lr=3e-4, weight_decay=0.1), Q: dict(lr=3e-4, weight_decay=0.1)}),
]


def build_cases():
    cases = []
    for problem in (R, Q):
        for optimizer, variant, per_problem in CASE_TABLE:
            case_id = f"{optimizer}-{variant}-{problem}"
            cases.append({
                "id": case_id,
                "optimizer": optimizer,
                "hyperparameters": dict(per_problem[problem]),
                "problem": problem,
                "steps": STEPS,
                "every": PROBLEMS[problem]["every"],
                "file": case_id + ".csv",
            })
    return cases


# ----------------------------------------------------------------------------------------------
# Correctly rounded sqrt in place of torch's (see the docstring).

_TORCH_SQRT = torch.Tensor.sqrt
_TORCH_SQRT_ = torch.Tensor.sqrt_


def _ieee_sqrt_values(t):
    if t.dtype != torch.float64 or t.device.type != "cpu" or t.requires_grad:
        raise RuntimeError("ieee sqrt patch only handles float64 CPU tensors without grad")
    values = [math.sqrt(v) if v >= 0.0 or math.isnan(v) else math.nan for v in t.reshape(-1).tolist()]
    return torch.tensor(values, dtype=torch.float64).reshape(t.shape)


def _ieee_sqrt(self):
    return _ieee_sqrt_values(self)


def _ieee_sqrt_(self):
    return self.copy_(_ieee_sqrt_values(self))


class SqrtMode:
    def __init__(self, mode):
        self.mode = mode

    def __enter__(self):
        if self.mode == "ieee":
            torch.Tensor.sqrt = _ieee_sqrt
            torch.Tensor.sqrt_ = _ieee_sqrt_
        return self

    def __exit__(self, *exc):
        torch.Tensor.sqrt = _TORCH_SQRT
        torch.Tensor.sqrt_ = _TORCH_SQRT_
        return False


def torch_sqrt_mismatches(samples=20000):
    """How many of `samples` fixed pseudo-random inputs torch's own sqrt rounds differently from IEEE."""
    state = 0x9E3779B97F4A7C15
    xs = []
    for _ in range(samples):
        state = (state * 6364136223846793005 + 1442695040888963407) % 2 ** 64
        xs.append((1.0 + (state >> 11) / 2 ** 53) * 2.0 ** ((state % 41) - 20))
    ys = _TORCH_SQRT(torch.tensor(xs, dtype=torch.float64)).tolist()
    return sum(1 for x, y in zip(xs, ys) if y != math.sqrt(x))


# ----------------------------------------------------------------------------------------------
# Running a case.


def make_optimizer(name, params, hyperparameters):
    cls = OPTIMIZERS[name]
    kwargs = dict(hyperparameters)
    if name != "lion":
        kwargs["foreach"] = False  # single-tensor path
    return cls(params, **kwargs)


def effective_hyperparameters(opt):
    group = opt.param_groups[0]
    skip = {"params", "foreach", "fused", "maximize", "capturable", "differentiable"}
    out = {}
    for key, value in group.items():
        if key in skip:
            continue
        out[key] = list(value) if isinstance(value, tuple) else value
    return out


def run_case(case, start, sqrt_mode):
    """Every iterate x_0 .. x_steps as lists of Python floats, and the optimizer's effective group."""
    grad_fn = PROBLEMS[case["problem"]]["grad"]
    p = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    opt = make_optimizer(case["optimizer"], [p], case["hyperparameters"])
    trajectory = [p.detach().tolist()]
    with SqrtMode(sqrt_mode):
        for _ in range(case["steps"]):
            g = grad_fn(p.detach().tolist())
            p.grad = torch.tensor(g, dtype=torch.float64)
            opt.step()
            trajectory.append(p.detach().tolist())
    if case["optimizer"] == "nadam":
        st = opt.state[p]
        assert st["mu_product"].dtype == torch.float64 and st["step"].dtype == torch.float64
    return trajectory, effective_hyperparameters(opt)


def max_rel_diff(a, b):
    worst = 0.0
    worst_abs = 0.0
    for row_a, row_b in zip(a, b):
        for u, v in zip(row_a, row_b):
            if u == v:
                continue
            if not (math.isfinite(u) and math.isfinite(v)):
                return math.inf, math.inf
            d = abs(u - v)
            worst_abs = max(worst_abs, d)
            worst = max(worst, d / max(abs(u), abs(v), 1e-300))
    return worst, worst_abs


def fmt(x):
    return repr(float(x))


def write_csv(path, trajectory, every):
    d = len(trajectory[0])
    last = len(trajectory) - 1
    lines = ["step," + ",".join(f"x{i + 1}" for i in range(d))]
    for step, row in enumerate(trajectory):
        if step % every == 0 or step == last:
            lines.append(str(step) + "," + ",".join(fmt(v) for v in row))
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def json_ready(value):
    if isinstance(value, tuple):
        return [json_ready(v) for v in value]
    if isinstance(value, list):
        return [json_ready(v) for v in value]
    if isinstance(value, dict):
        return {k: json_ready(v) for k, v in value.items()}
    return value


def dump_json(obj):
    # json.dumps writes floats with float.__repr__, the shortest string that round-trips.
    return json.dumps(json_ready(obj), indent=1, allow_nan=False)


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


SENSITIVITY_TEXT = """\
# torch reference: rounding sensitivity

Generated by `tools/torch_reference.py` (torch {torch_version}, sqrt mode `{sqrt_mode}`,
ATEN_CPU_CAPABILITY {capability}). Every case was run a second time from the start point
multiplied by (1 + 1e-15), i.e. a few ulps away, and the two trajectories compared over all
{steps} steps and all coordinates: relative difference |a-b| / max(|a|, |b|, 1e-300), maximum over
steps and elements. "stable" means below {stable:g}.

What it means: a stable case damps last-bit differences, so an implementation whose rounding
differs by an ulp here and there still lands within a tight relative tolerance of the fixture. A
case flagged chaotic amplifies last-bit rounding differences (Rosenbrock's curved valley, sign
flips in Lion, the max in AMSGrad, momentum oscillation): a bit-level reproduction is still
expected if our arithmetic is identical operation for operation (same order, same fused
multiply-adds, same rounding of sqrt and pow), but any single-ulp deviation anywhere grows, so such
a case can only be compared bit-exactly, not with a tolerance.

The column "vs torch sqrt" is the same comparison between the fixture and a run that uses torch's
own float64 sqrt (MKL's vdSqrt on x86-64 Linux, not correctly rounded: {sqrt_mismatches} of 20000
sample inputs differ from IEEE sqrt on the generating machine, {cpu}). It is 0 where the
optimizer takes no sqrt, and also where torch's one-ulp sqrt differences were all absorbed when
the (small) update was added to a (much larger) x, which is common on Rosenbrock.

Relative differences are large wherever a coordinate passes close to zero (a relative difference
just above 1e-10 with an absolute one near 1e-15 is that, not divergence); the absolute column tells those apart from real
divergence (a relative difference near 2 means the two runs ended on different sides of an
oscillation).

| case | max rel diff (start x (1+1e-15)) | max abs diff | verdict | vs torch sqrt |
|---|---|---|---|---|
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=DEFAULT_OUT, help="fixture directory (default: %(default)s)")
    parser.add_argument("--sqrt", choices=["ieee", "torch"], default="ieee",
                        help="ieee: correctly rounded sqrt in place of torch's (default); torch: torch's own")
    parser.add_argument("--skip-sensitivity", action="store_true", help="do not write the sensitivity table")
    parser.add_argument("--sensitivity-out", default=SENSITIVITY_MD)
    args = parser.parse_args()

    capability = torch.backends.cpu.get_cpu_capability()
    if capability not in ("AVX2", "AVX512"):
        print(f"warning: ATEN_CPU_CAPABILITY is {capability}; add_/addcmul_/lerp_ may not be fused here, "
              "while the Swift side assumes they are", file=sys.stderr)
    sqrt_mismatches = torch_sqrt_mismatches()

    os.makedirs(args.out, exist_ok=True)
    cases = build_cases()
    problems_json = {
        R: {"dim": 2, "start": PROBLEMS[R]["start"]},
        Q: {"dim": 20, "diag": QUAD_DIAG, "start": PROBLEMS[Q]["start"]},
    }

    results = {}
    print(f"torch {torch.__version__}, capability {capability}, sqrt mode {args.sqrt}, "
          f"torch sqrt != IEEE on {sqrt_mismatches}/20000 samples")
    print(f"{'case':44s} {'|x_final|':>24s}  finite")
    all_finite = True
    for case in cases:
        start = PROBLEMS[case["problem"]]["start"]
        trajectory, effective = run_case(case, start, args.sqrt)
        finite = all(math.isfinite(v) for row in trajectory for v in row)
        all_finite &= finite
        case["effective_hyperparameters"] = effective
        results[case["id"]] = trajectory
        write_csv(os.path.join(args.out, case["file"]), trajectory, case["every"])
        norm = math.sqrt(math.fsum(v * v for v in trajectory[-1]))
        print(f"{case['id']:44s} {norm:24.17g}  {finite}")

    ordered_cases = []
    for case in cases:
        ordered_cases.append({k: case[k] for k in ("id", "optimizer", "hyperparameters",
                                                   "effective_hyperparameters", "problem", "steps",
                                                   "every", "file")})
    doc = {
        "torch_version": torch.__version__,
        "generator": {
            "script": "tools/torch_reference.py",
            "python": platform.python_version(),
            "aten_cpu_capability": capability,
            "cpu": cpu_model(),
            "libc": " ".join(platform.libc_ver()) or platform.system(),
            "sqrt": args.sqrt,
            "torch_sqrt_mismatches_per_20000": sqrt_mismatches,
            "notes": ("float64 everywhere (torch.set_default_dtype(torch.float64)), one thread, "
                      "foreach=False single-tensor step functions, gradients computed in Python floats. "
                      "sqrt 'ieee': Tensor.sqrt/sqrt_ replaced by a correctly rounded sqrt during the runs; "
                      "'torch': torch's own (MKL vdSqrt on x86-64 Linux)."),
        },
        "problems": problems_json,
        "cases": ordered_cases,
    }
    with open(os.path.join(args.out, "cases.json"), "w") as f:
        f.write(dump_json(doc) + "\n")

    if not all_finite:
        print("error: some trajectories are not finite", file=sys.stderr)
        sys.exit(1)

    if args.skip_sensitivity:
        return
    other_sqrt = "torch" if args.sqrt == "ieee" else "ieee"
    rows = []
    print(f"\n{'case':44s} {'max rel diff':>12s} {'verdict':8s} {'vs ' + other_sqrt + ' sqrt':>14s}")
    for case in cases:
        base = results[case["id"]]
        start = [v * (1 + PERTURBATION) for v in PROBLEMS[case["problem"]]["start"]]
        perturbed, _ = run_case(case, start, args.sqrt)
        rel, absolute = max_rel_diff(base, perturbed)
        other, _ = run_case(case, PROBLEMS[case["problem"]]["start"], other_sqrt)
        rel_sqrt, _ = max_rel_diff(base, other)
        verdict = "stable" if rel < STABLE_BELOW else "chaotic"
        rows.append((case["id"], rel, absolute, verdict, rel_sqrt))
        print(f"{case['id']:44s} {rel:12.3e} {verdict:8s} {rel_sqrt:14.3e}")

    text = SENSITIVITY_TEXT.format(torch_version=torch.__version__, sqrt_mode=args.sqrt,
                                   capability=capability, steps=STEPS, stable=STABLE_BELOW,
                                   sqrt_mismatches=sqrt_mismatches, cpu=cpu_model())
    if args.sqrt == "torch":
        text = text.replace('"vs torch sqrt"', '"vs ieee sqrt"').replace("| vs torch sqrt |", "| vs ieee sqrt |")
    for case_id, rel, absolute, verdict, rel_sqrt in rows:
        text += f"| {case_id} | {rel:.3e} | {absolute:.3e} | {verdict} | {rel_sqrt:.3e} |\n"
    with open(args.sensitivity_out, "w") as f:
        f.write(text)


if __name__ == "__main__":
    main()
