"""Solve one LP–LP instance with PAO's FA solver (Big-M, M = 1e5) on HiGHS.

Runs inside PAO's own virtual environment (created by ``linear_vs_pao.py``): PAO 1.0.2
needs ``numpy<2`` and ``pyutilib``. Reads an instance JSON file, prints one JSON line.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def main(path: str) -> None:
    """Build the instance as a PAO model, solve, print ``{"status", "F", "seconds", "x",
    "y"}`` (the point, so that the caller can check it)."""
    import pao
    import pyomo.environ as pe

    inst = json.loads(Path(path).read_text())
    n_x, n_y, rows = inst["nx"], inst["ny"], len(inst["b"])
    m = pe.ConcreteModel()
    m.x = pe.Var(range(n_x), bounds=(0, inst["x_ub"]))
    m.y = pe.Var(range(n_y), bounds=(0, inst["y_ub"]))
    m.o = pe.Objective(expr=sum(inst["cx"][j] * m.x[j] for j in range(n_x))
                       + sum(inst["cy"][j] * m.y[j] for j in range(n_y)))
    m.L = pao.pyomo.SubModel(fixed=[m.x[j] for j in range(n_x)])
    m.L.o = pe.Objective(expr=sum(inst["d"][j] * m.y[j] for j in range(n_y)))
    m.L.c = pe.ConstraintList()
    for i in range(rows):
        m.L.c.add(sum(a * m.x[j] for j, a in inst["A"][i])
                  + sum(b * m.y[j] for j, b in inst["B"][i]) <= inst["b"][i])
    start = time.perf_counter()
    solver = pao.Solver("pao.pyomo.FA", mip_solver="appsi_highs")  # its default M: 1e5
    result = solver.solve(m)
    seconds = time.perf_counter() - start
    status = str(result.solver.termination_condition).split(".")[-1]
    try:
        value = pe.value(m.o)
        point = {"x": [pe.value(m.x[j]) for j in range(n_x)],
                 "y": [pe.value(m.y[j]) for j in range(n_y)]}
    except ValueError:
        value, point = None, {}
    print(json.dumps({"status": status, "F": value, "seconds": seconds, **point}))


if __name__ == "__main__":
    main(sys.argv[1])
