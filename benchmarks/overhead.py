"""Cost of bilevel_mp's own layers next to the time spent inside IPOPT.

Problem (convex QP lower level with n variables, n upper-level variables)::

    min_{x in [-1, 1]^n}  Σ (x_i - 1)² + Σ (y_i - c_i)²
    y in argmin_y  Σ (y_i - x_i)² + ½ Σ (y_i - y_{i+1})²
                   s.t.  y >= 0,  Σ y_i <= n / 4

solved with ``kkt-scholtes``. "ours" = compile + analyze + reformulate + verify +
classify; "setup" = building CasADi/IPOPT derivative code; "ipopt" = time inside IPOPT.

Run: ``python benchmarks/overhead.py [n ...]`` (default 100 1000 10000).
"""

from __future__ import annotations

import sys
import time

import pyomo.environ as pyo

import bilevel_mp as bmp


def build(n: int) -> pyo.ConcreteModel:
    """The benchmark model with n LL variables."""
    m = pyo.ConcreteModel()
    m.I = pyo.RangeSet(0, n - 1)
    m.x = pyo.Var(m.I, bounds=(-1, 1))
    m.L = bmp.LowerLevel()
    m.L.y = pyo.Var(m.I, bounds=(0, None))
    m.L.obj = pyo.Objective(
        expr=sum((m.L.y[i] - m.x[i]) ** 2 for i in m.I)
        + 0.5 * sum((m.L.y[i] - m.L.y[i + 1]) ** 2 for i in range(n - 1)))
    m.L.budget = pyo.Constraint(expr=sum(m.L.y[i] for i in m.I) <= n / 4)
    m.obj = pyo.Objective(expr=sum((m.x[i] - 1) ** 2 for i in m.I)
                          + sum((m.L.y[i] - (i % 3) / 2) ** 2 for i in m.I))
    return m


def main(sizes: list[int]) -> None:
    """Print one row per size."""
    head = (f"{'n':>6} {'build s':>8} {'compile':>8} {'analyze':>8} {'reform':>8} "
            f"{'verify':>8} {'classify':>8} {'ours':>8} {'setup':>8} {'ipopt':>8} "
            f"{'ours/ipopt':>10} {'(ours+setup)/ipopt':>18}  result")
    print(head)
    for n in sizes:
        t0 = time.perf_counter()
        model = build(n)
        t_build = time.perf_counter() - t0
        res = bmp.solve(model, method="kkt-scholtes")
        t = res.stats["time"]
        ours = sum(t.get(k, 0.0) for k in ("compile", "analyze", "reformulate", "verify",
                                           "classify"))
        ipopt = t["solve"]
        print(f"{n:>6} {t_build:>8.2f} {t['compile']:>8.3f} {t['analyze']:>8.3f} "
              f"{t['reformulate']:>8.3f} {t['verify']:>8.3f} {t.get('classify', 0):>8.3f} "
              f"{ours:>8.3f} {t['setup']:>8.3f} {ipopt:>8.3f} {ours / ipopt:>10.2f} "
              f"{(ours + t['setup']) / ipopt:>18.2f}  {res.termination.name}/"
              f"{res.verification.name} F={res.upper_objective:.6g} "
              f"stages={len(res.stats['stages'])} iters={res.stats['iterations']}",
              flush=True)


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [100, 1000, 10000])
