"""Hypergradients at scale: ridge-regression hyperparameter tuning as a bilevel model.

Lower level: ridge training on n samples and d features with one weight per feature,
``λ_j = exp(x_j)`` (upper-level variables)::

    min_w  1/(2n) ‖A w - b‖² + ½ Σ_j exp(x_j) w_j²

Upper level: validation loss ``1/(2 n_v) ‖A_v w - b_v‖²``, ``x ∈ [-12, 8]^d``. Both levels
are written through the Gram matrices (``AᵀA/n``, ``Aᵀb/n``), so the model size is d², not
n·d, and the program is built on CasADi ``MX`` (``symbolic="MX"``): a product with the
dense Gram matrix is one node, where ``SX`` would make d² nodes and its symbolic Hessian
would not fit in memory at d = 1000. The data are synthetic: features of different scales,
a weight vector in which most entries are small, noise σ = 1.

For d = 10, 100, 1000 (n = 10 000, n_v = 5 000) the script prints:
* the time per hypergradient, exact (sparse LU of the lower-level KKT matrix) and AID
  (conjugate gradients on Hessian-vector products), averaged over 5 points, and their
  relative difference;
* the validation loss reached by ``solve(..., method="implicit")`` (exact hypergradients,
  L-BFGS-B) and the best loss of a 50-point grid search over one shared weight
  ``λ ∈ [1e-5, 1e3]`` (log grid, each ridge fit solved in closed form by numpy).

Run: ``python benchmarks/hypergradient_scale.py [d ...]`` (default 10 100 1000).
"""

from __future__ import annotations

import sys
import time

import casadi as ca
import numpy as np

from bilevel_mp import BilevelProgram, solve
from bilevel_mp.methods.implicit import ImplicitOptions, ImplicitProblem

N_TRAIN, N_VAL, GRID = 10_000, 5_000, 50


def make_data(d: int, seed: int = 0) -> dict[str, np.ndarray]:
    """Synthetic regression data with feature scales and a mostly small true weight."""
    rng = np.random.default_rng(seed)
    scales = np.exp(rng.uniform(-1, 1, d))
    w_true = rng.normal(size=d) * np.where(rng.random(d) < 0.2, 1.0, 0.05)
    a, a_v = (rng.normal(size=(n, d)) * scales for n in (N_TRAIN, N_VAL))
    b, b_v = (m @ w_true + rng.normal(size=m.shape[0]) for m in (a, a_v))
    return {"Q": a.T @ a / N_TRAIN, "c": a.T @ b / N_TRAIN, "Qv": a_v.T @ a_v / N_VAL,
            "cv": a_v.T @ b_v / N_VAL, "kv": b_v @ b_v / (2 * N_VAL)}


def build(data: dict[str, np.ndarray]) -> BilevelProgram:
    """The bilevel model of the module docstring."""
    d = data["c"].size
    q, c, qv, cv = (ca.DM(data[k]) for k in ("Q", "c", "Qv", "cv"))

    def F(x, w):
        return 0.5 * ca.dot(w, ca.mtimes(qv, w)) - ca.dot(cv, w) + float(data["kv"])

    def f(x, w):
        return 0.5 * ca.dot(w, ca.mtimes(q, w)) - ca.dot(c, w) + 0.5 * ca.dot(ca.exp(x), w * w)

    return BilevelProgram.from_functions(d, d, F=F, f=f, x_bounds=([-12.0] * d, [8.0] * d),
                                         x0=[0.0] * d, y0=[0.0] * d, symbolic="MX")


def validation_loss(data: dict[str, np.ndarray], lam: np.ndarray) -> float:
    """Validation loss of the ridge fit with weights ``lam`` (closed form)."""
    w = np.linalg.solve(data["Q"] + np.diag(lam), data["c"])
    return float(0.5 * w @ data["Qv"] @ w - data["cv"] @ w + data["kv"])


def time_hypergradients(program: BilevelProgram, rng: np.random.Generator) -> dict:
    """Mean seconds per hypergradient (exact, AID) over 5 points, and their difference."""
    points = [rng.uniform(-3, 1, program.nx) for _ in range(5)]
    out = {}
    grads = {}
    for variant in ("exact", "aid"):
        problem = ImplicitProblem(program, ImplicitOptions(hypergradient=variant))
        total, grads[variant] = 0.0, []
        for x in points:
            before = problem.times["hypergradient"]
            grads[variant].append(problem.evaluate(x, 0.0)[1])
            total += problem.times["hypergradient"] - before
        out[variant] = total / len(points)
    diff = max(np.linalg.norm(a - b) / np.linalg.norm(a)
               for a, b in zip(grads["exact"], grads["aid"], strict=True))
    return {**out, "rel_diff": diff}


def main(dims: list[int]) -> None:
    rows = []
    for d in dims:
        data = make_data(d)
        t0 = time.perf_counter()
        program = build(data)
        t_build = time.perf_counter() - t0
        timing = time_hypergradients(program, np.random.default_rng(1))
        t0 = time.perf_counter()
        result = solve(program, method="implicit", options={"max_iter": 500})
        t_solve = time.perf_counter() - t0
        ours = validation_loss(data, np.exp(result.x_array))
        grid = np.logspace(-5, 3, GRID)
        losses = [validation_loss(data, np.full(d, lam)) for lam in grid]
        best = int(np.argmin(losses))
        rows.append((d, timing["exact"], timing["aid"], timing["rel_diff"], ours,
                     result.upper_objective, losses[best], grid[best], t_solve, t_build,
                     result.stats["iterations"], result.verification.name))
        print(f"d={d} done", flush=True)
    print(f"\nn = {N_TRAIN}, n_val = {N_VAL}; times in seconds")
    print(f"{'d':>5} {'exact s/hg':>11} {'AID s/hg':>9} {'rel diff':>9} {'val loss':>10} "
          f"{'(as F)':>10} {'grid best':>10} {'grid λ':>8} {'solve s':>8} {'build s':>8} "
          f"{'iters':>6}  verification")
    for r in rows:
        print(f"{r[0]:>5} {r[1]:>11.4f} {r[2]:>9.4f} {r[3]:>9.1e} {r[4]:>10.5f} {r[5]:>10.5f} "
              f"{r[6]:>10.5f} {r[7]:>8.2g} {r[8]:>8.1f} {r[9]:>8.1f} {r[10]:>6}  {r[11]}")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [10, 100, 1000])
