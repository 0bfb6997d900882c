"""Models and comparisons shared by the export tests.

The comparison reads every row of our own single-level program (CasADi NLP rows or MILP
matrix rows, with their bounds) and the Pyomo constraint the export put at its position
(``export_info.rows``), and compares the slacks ``ub - row`` and ``row - lb``: they are
independent of where Pyomo keeps a constant (body or bound).
"""

from __future__ import annotations

import math

import numpy as np
import pyomo.environ as pyo

import bilevel_mp as bmp
from bilevel_mp.export.model import SingleLevelModel

HIGHS_TIGHT = {"mip_rel_gap": 1e-9, "mip_abs_gap": 1e-9,
               "primal_feasibility_tolerance": 1e-9, "dual_feasibility_tolerance": 1e-9}
"""HiGHS options of the Pyomo solves in the tests (appsi's defaults stop at a 1e-4 gap)."""


def nonlinear_model() -> pyo.ConcreteModel:
    """A maximized upper level with a parameter, a lower-level equality, a bounded y and
    smooth nonlinear functions on both levels (convex lower level in y)."""
    m = pyo.ConcreteModel()
    m.x = pyo.Var(bounds=(-1, 2), initialize=0.5)
    m.p = pyo.Param(mutable=True, initialize=1.5)
    m.L = bmp.LowerLevel()
    m.L.y1 = pyo.Var(bounds=(0, 3))
    m.L.y2 = pyo.Var(bounds=(0, None))
    m.L.obj = pyo.Objective(expr=(m.L.y1 - m.x) ** 2 + m.L.y2 ** 2 + pyo.exp(0.1 * m.L.y1))
    m.L.e = pyo.Constraint(expr=m.L.y1 + m.L.y2 == m.p * m.x + 1)
    m.obj = pyo.Objective(expr=-(m.x - 1) ** 2 - (m.L.y1 - 2) ** 2
                          + pyo.sqrt(1 + m.L.y2 ** 2), sense=pyo.maximize)
    m.c = pyo.Constraint(expr=m.x + m.L.y1 <= 3)
    return m


def qp_lower_level() -> pyo.ConcreteModel:
    """A linear upper level over a convex-QP lower level with an equality (a linear KKT
    system: Big-M applies), maximized."""
    m = pyo.ConcreteModel()
    m.x = pyo.Var(bounds=(0, 4))
    m.L = bmp.LowerLevel()
    m.L.y = pyo.Var([1, 2], bounds=(0, 5))
    m.L.z = pyo.Var()
    m.L.obj = pyo.Objective(expr=(m.L.y[1] - m.x) ** 2 + 0.5 * m.L.y[2] ** 2 - m.L.y[2]
                            + 0.1 * m.L.z ** 2)
    m.L.c = pyo.Constraint(expr=m.L.y[1] + m.L.y[2] <= 1 + m.x)
    m.L.e = pyo.Constraint(expr=m.L.z == m.L.y[1] - m.L.y[2])
    m.obj = pyo.Objective(expr=m.x + 2 * m.L.y[1] - 3 * m.L.y[2], sense=pyo.maximize)
    m.c = pyo.Constraint(expr=m.x - m.L.y[1] <= 2)
    return m


def set_point(model: SingleLevelModel, z: np.ndarray) -> None:
    """Load our program's point ``z`` into the exported model's variables."""
    for (name, label), value in zip(model.export_info.columns, z, strict=True):
        model.component(name)[label].set_value(float(value), skip_validation=True)


def point_of(model: SingleLevelModel) -> np.ndarray:
    """The exported model's variable values in our program's order."""
    return np.array([model.component(name)[label].value
                     for name, label in model.export_info.columns], dtype=float)


def row_deviation(model: SingleLevelModel, rows: np.ndarray, lb: np.ndarray,
                  ub: np.ndarray) -> float:
    """Largest difference, relative to max(1, |row|), between the slacks of our rows
    (values ``rows``, bounds ``lb``, ``ub``) and the exported constraints'."""
    worst = 0.0
    for position, value, lo, hi in zip(model.export_info.rows, rows, lb, ub, strict=True):
        if position is None:  # a constant row left out: it holds
            assert lo <= value <= hi
            continue
        con = model.component(position[0])[position[1]]
        scale = max(1.0, abs(value))
        if math.isfinite(hi):
            worst = max(worst, abs(con.uslack() - (hi - value)) / scale)
        else:
            assert not con.has_ub()
        if math.isfinite(lo):
            worst = max(worst, abs(con.lslack() - (value - lo)) / scale)
        else:
            assert not con.has_lb()
    return worst


def objective_value(model: SingleLevelModel) -> float:
    """The exported objective in minimization form (``F`` may be maximized)."""
    sign = -1.0 if model.F.sense == pyo.maximize else 1.0
    return sign * pyo.value(model.F)
