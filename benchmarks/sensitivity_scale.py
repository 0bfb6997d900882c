"""Cost of differentiating a solved bilevel program: one ``vjp`` against one ``solve``.

The model is a pricing problem with ``n`` products (issue 18's acceptance: ``n`` = 10², 10³,
10⁴ lower-level variables). The leader sets prices ``x ∈ [0, 10]ⁿ``; the follower buys
quantities ``y`` that meet a demand ``D`` at least cost, with a convex quadratic cost::

    min_x  -xᵀy + ρ/2 ‖x‖²
    s.t.   y solves  min_y  Σ_i (q_i/2 y_i² + (c_i + x_i) y_i)
                     s.t.   Σ_i y_i >= D,  0 <= y_i <= cap_i.

The parameters θ are the follower's costs ``c`` (n entries) and the demand ``D``: ``n + 1``
of them. The data are random (seed 0); the program is built on CasADi ``SX`` directly (no
Pyomo compile).

For each ``n`` the script prints the wall time of one ``bilevel_mp.solve`` with
``kkt-scholtes`` (everything: reformulation, homotopy, verification), of one
``bilevel_mp.vjp`` for all ``n + 1`` parameters with a random loss gradient — the first
call, which also builds the derivatives of the active system, and a second call, which
reuses them as a learning loop does — the ratio vjp / solve, the peak memory traced by
``tracemalloc`` during each (Python and NumPy allocations; CasADi's, IPOPT's and SuperLU's
own C/C++ allocations are not traced), whether the point was degenerate (here: prices at
which a follower's quantity just reaches its capacity, biactive rows on which the solution
stays, so the gradient exists), whether it had to be refined (a relaxation's point near a
degenerate solution: see :mod:`bilevel_mp.differentiation.active_system`), and whether
every entry of the gradient is finite.

Run: ``python benchmarks/sensitivity_scale.py [n ...]`` (default 100 1000 10000).
"""

from __future__ import annotations

import sys
import time
import tracemalloc
import warnings

import casadi as ca
import numpy as np

from bilevel_mp import BilevelProgram, BilevelWarning, solve, vjp
from bilevel_mp.ir.program import bound_rows

RHO = 0.5


def build(n: int, seed: int = 0) -> BilevelProgram:
    """The pricing model of the module docstring with ``n`` products."""
    rng = np.random.default_rng(seed)
    q = rng.uniform(0.5, 2.0, n)
    cap = rng.uniform(0.5, 1.5, n)
    c_values = rng.uniform(0.0, 2.0, n)
    demand = 0.5 * cap.sum()
    x, y = ca.SX.sym("x", n), ca.SX.sym("y", n)
    c, D = ca.SX.sym("c", n), ca.SX.sym("D")
    y_lb, y_ub = np.zeros(n), cap
    y_names = tuple(f"y[{i}]" for i in range(n))
    bounds, bound_names = bound_rows(y, y_lb, y_ub, y_names)
    return BilevelProgram(
        x=x, y=y, p=ca.vertcat(c, D), p_values=np.append(c_values, demand),
        F=-ca.dot(x, y) + RHO / 2 * ca.sumsqr(x),
        f=ca.dot(ca.DM(q) / 2, y * y) + ca.dot(c + x, y),
        G=ca.SX(0, 1), H=ca.SX(0, 1),
        g=ca.vertcat(D - ca.sum1(y), bounds), h=ca.SX(0, 1),
        x_lb=np.zeros(n), x_ub=np.full(n, 10.0), y_lb=y_lb, y_ub=y_ub,
        names={"x": tuple(f"x[{i}]" for i in range(n)), "y": y_names, "G": (), "H": (),
               "g": ("demand", *bound_names), "h": (),
               "p": (*(f"c[{i}]" for i in range(n)), "D")},
        g_bound_rows=tuple(range(1, 1 + bounds.numel())), source=f"pricing n={n}")


def measure(call):
    """``(value, seconds, peak traced MB)`` of ``call()``."""
    tracemalloc.start()
    start = time.perf_counter()
    value = call()
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1] / 2 ** 20
    tracemalloc.stop()
    return value, seconds, peak


def run(n: int) -> dict:
    program = build(n)
    params = list(program.parameter_names)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", BilevelWarning)
        result, t_solve, mem_solve = measure(lambda: solve(program, "kkt-scholtes"))
    rng = np.random.default_rng(1)
    grad_x, grad_y = rng.normal(size=n), rng.normal(size=n)
    first, t_first, _ = measure(lambda: vjp(result, params, grad_x, grad_y))
    again, t_vjp, mem_vjp = measure(lambda: vjp(result, params, grad_x, grad_y))
    assert again.grad == first.grad or again.degenerate
    return {"n": n, "solve": t_solve, "vjp_first": t_first, "vjp": t_vjp,
            "ratio": t_vjp / t_solve, "mem_solve": mem_solve, "mem_vjp": mem_vjp,
            "status": f"{result.termination.name}/{result.verification.name}",
            "degenerate": again.degenerate, "refined": "Newton's method" in again.message,
            "finite": bool(np.all(np.isfinite(list(again.grad.values()))))}


def main(sizes: list[int]) -> None:
    header = (f"{'n':>6} {'solve s':>9} {'vjp 1st s':>10} {'vjp s':>8} {'vjp/solve':>10} "
              f"{'solve MB':>9} {'vjp MB':>8}  {'degenerate':>10} {'refined':>7} {'finite':>6}  "
              "status")
    print(header)
    print("-" * len(header))
    for n in sizes:
        r = run(n)
        print(f"{r['n']:>6} {r['solve']:>9.2f} {r['vjp_first']:>10.2f} {r['vjp']:>8.3f} "
              f"{100 * r['ratio']:>9.1f}% {r['mem_solve']:>9.1f} {r['mem_vjp']:>8.1f}  "
              f"{r['degenerate']!s:>10} {r['refined']!s:>7} {r['finite']!s:>6}  {r['status']}",
              flush=True)


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [100, 1000, 10000])
