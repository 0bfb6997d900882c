"""Parametric bilevel models for the sensitivity tests, and their re-solves.

Each case builds a Pyomo model from parameter values, names the method that solves it and,
where the solution is known in closed form, gives it. The truth the tests compare with is
independent of the code under test: central finite differences of re-solves (each a new
model with the parameter moved, solved from scratch) and the closed forms.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pyomo.environ as pyo

import bilevel_mp as bmp

TIGHT = {"ipopt_options": {"tol": 1e-12}}
"""Options of ``kkt-scholtes`` for the re-solves."""


@dataclass
class Case:
    """A parametric model: ``build(values)`` with ``values`` ``{param name: value}``."""

    name: str
    build: Callable[[dict[str, float]], pyo.ConcreteModel]
    values: dict[str, float]
    method: str = "kkt-scholtes"
    options: dict = field(default_factory=lambda: dict(TIGHT))
    solution: Callable[[dict[str, float]], np.ndarray] | None = None
    """Closed form of ``(x*, y*, F*)`` (in IR order, F in the user's sense)."""


def solve(case: Case, values: dict[str, float]) -> tuple[bmp.BilevelResult, pyo.ConcreteModel]:
    model = case.build(values)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", bmp.BilevelWarning)
        result = bmp.solve(model, case.method, options=case.options)
    assert result.has_point, (case.name, values, result.message)
    return result, model


def point(result: bmp.BilevelResult) -> np.ndarray:
    """``(x*, y*, F*)`` as one vector."""
    return np.concatenate([result.x_array, result.y_array, [result.upper_objective]])


def central_differences(case: Case, step: float = 1e-4) -> np.ndarray:
    """``d(x*, y*, F*)/dθ`` (one column per parameter) by central differences of re-solves."""
    columns = []
    for name in case.values:
        up, down = dict(case.values), dict(case.values)
        up[name] += step
        down[name] -= step
        columns.append((point(solve(case, up)[0]) - point(solve(case, down)[0])) / (2 * step))
    return np.column_stack(columns)


def one_sided_differences(case: Case, name: str, step: float = 1e-4
                          ) -> tuple[np.ndarray, np.ndarray]:
    """Right and left derivatives in ``name`` by second-order one-sided differences of
    re-solves (``(-3φ(0) + 4φ(h) - φ(2h)) / 2h``)."""
    def at(offset: float) -> np.ndarray:
        values = dict(case.values)
        values[name] += offset
        return point(solve(case, values)[0])

    base = at(0.0)
    right = (-3 * base + 4 * at(step) - at(2 * step)) / (2 * step)
    left = (3 * base - 4 * at(-step) + at(-2 * step)) / (2 * step)
    return right, left


def jacobian(sens: bmp.Sensitivity, derivatives: bmp.Derivatives | None = None) -> np.ndarray:
    """``d(x*, y*, F*)/dθ`` of a :class:`~bilevel_mp.Sensitivity` as a matrix (rows in IR
    order, columns in the order of ``sens.params``)."""
    d = derivatives or sens
    rows = [*d.dx.values(), *d.dy.values(), d.dF]
    return np.array([[row[p] for p in sens.params] for row in rows])


def relative_error(computed: np.ndarray, truth: np.ndarray) -> float:
    """``‖computed - truth‖∞ / max(1, ‖truth‖∞)`` over the whole matrix."""
    return float(np.max(np.abs(computed - truth)) / max(1.0, np.max(np.abs(truth))))


def _model(values: dict[str, float]) -> tuple[pyo.ConcreteModel, dict]:
    m = pyo.ConcreteModel()
    params = {}
    for name, value in values.items():
        m.add_component(name, pyo.Param(initialize=value, mutable=True))
        params[name] = m.component(name)
    m.L = bmp.LowerLevel()
    return m, params


# 1. unconstrained LL, UL quadratic; closed form ----------------------------------------
def unconstrained(values):
    """min (x-b)² + (y-3)²,  y = argmin (y - x - a)²:  x = (b + 3 - a)/2, y = x + a."""
    m, p = _model(values)
    m.x = pyo.Var(bounds=(-10, 10))
    m.L.y = pyo.Var()
    m.L.obj = pyo.Objective(expr=(m.L.y - m.x - p["a"]) ** 2)
    m.obj = pyo.Objective(expr=(m.x - p["b"]) ** 2 + (m.L.y - 3) ** 2)
    return m


def unconstrained_solution(v):
    x = (v["b"] + 3 - v["a"]) / 2
    y = x + v["a"]
    return np.array([x, y, (x - v["b"]) ** 2 + (y - 3) ** 2])


# 2. LL inequality active with a positive multiplier, parameter in its right-hand side ---
def ll_active(values):
    """y = min(x, c) for the LL min (y - x)² s.t. y <= c; UL min (x - 2)² - y pushes x
    above c: x = 2.5, y = c (c < 2.5)."""
    m, p = _model(values)
    m.x = pyo.Var(bounds=(-10, 10))
    m.L.y = pyo.Var()
    m.L.obj = pyo.Objective(expr=(m.L.y - m.x) ** 2)
    m.L.cap = pyo.Constraint(expr=m.L.y <= p["c"])
    m.obj = pyo.Objective(expr=(m.x - 2) ** 2 - m.L.y)
    return m


def ll_active_solution(v):
    return np.array([2.0, v["c"], -v["c"]])


# 3. LL equality with parameters in both levels -----------------------------------------
def ll_equality(values):
    m, p = _model(values)
    m.x = pyo.Var(bounds=(-10, 10))
    m.L.y1 = pyo.Var()
    m.L.y2 = pyo.Var()
    m.L.obj = pyo.Objective(expr=m.L.y1 ** 2 + 2 * m.L.y2 ** 2 + m.L.y1 * m.L.y2
                            - p["a"] * m.L.y1)
    m.L.budget = pyo.Constraint(expr=m.L.y1 + m.L.y2 == m.x + p["s"])
    m.obj = pyo.Objective(expr=(m.L.y1 - 1) ** 2 + (m.L.y2 - p["w"]) ** 2 + 0.5 * m.x ** 2)
    return m


# 4. UL inequality active (λ > 0), parameter in it and in the LL ------------------------
def ul_active(values):
    m, p = _model(values)
    m.x1 = pyo.Var(bounds=(-10, 10))
    m.x2 = pyo.Var(bounds=(-10, 10))
    m.L.y = pyo.Var()
    m.L.obj = pyo.Objective(expr=(m.L.y - m.x1 - p["a"] * m.x2) ** 2 + 0.1 * m.L.y ** 2)
    m.budget = pyo.Constraint(expr=m.x1 + m.x2 <= p["r"])
    m.obj = pyo.Objective(expr=-m.L.y + 0.5 * (m.x1 ** 2 + m.x2 ** 2))
    return m


# 5. UL variable at a bound, parameters in the LL ---------------------------------------
def ul_bound(values):
    m, p = _model(values)
    m.x = pyo.Var(bounds=(0, 1))
    m.L.y = pyo.Var(bounds=(None, None))
    m.L.obj = pyo.Objective(expr=0.5 * p["q"] * m.L.y ** 2 - m.x * m.L.y - p["d"] * m.L.y)
    m.obj = pyo.Objective(expr=(m.L.y - 5) ** 2 + m.x)
    return m


def ul_bound_solution(v):
    y = (1 + v["d"]) / v["q"]
    return np.array([1.0, y, (y - 5) ** 2 + 1])


# 6. nonlinear (exponential) LL, parameters in both levels ------------------------------
def nonlinear(values):
    m, p = _model(values)
    m.x = pyo.Var([0, 1], bounds=(-3, 3), initialize=0.5)
    m.L.y = pyo.Var([0, 1], initialize=0.0)
    m.L.obj = pyo.Objective(expr=sum(pyo.exp(m.L.y[i]) + 0.5 * m.L.y[i] ** 2
                                     - (m.x[i] + p["a"]) * m.L.y[i] for i in (0, 1))
                            + 0.3 * m.L.y[0] * m.L.y[1])
    m.obj = pyo.Objective(expr=(m.L.y[0] - p["t"]) ** 2 + (m.L.y[1] - 2) ** 2
                          + 0.1 * (m.x[0] ** 2 + m.x[1] ** 2))
    return m


# 7. coupling UL constraint on y (active), parameter in it -----------------------------
def coupling(values):
    m, p = _model(values)
    m.x = pyo.Var(bounds=(-10, 10))
    m.L.y = pyo.Var()
    m.L.obj = pyo.Objective(expr=(m.L.y - 2 * m.x) ** 2)
    m.cap = pyo.Constraint(expr=m.L.y <= p["k"])
    m.obj = pyo.Objective(expr=-m.x - m.L.y + 0.1 * m.x ** 2)
    return m


def coupling_solution(v):
    x = v["k"] / 2
    return np.array([x, v["k"], -x - v["k"] + 0.1 * x ** 2])


# 8. LP-LP, a vertex: an active UL constraint and a strongly active LL row ----------------
def linear(values):
    """max x + y s.t. x <= r;  y = argmin y s.t. y >= x - s:  x = r, y = r - s."""
    m, p = _model(values)
    m.x = pyo.Var(bounds=(0, 10))
    m.L.y = pyo.Var()
    m.L.obj = pyo.Objective(expr=m.L.y)
    m.L.floor = pyo.Constraint(expr=m.L.y >= m.x - p["s"])
    m.limit = pyo.Constraint(expr=m.x <= p["r"])
    m.obj = pyo.Objective(expr=m.x + m.L.y, sense=pyo.maximize)
    return m


def linear_solution(v):
    return np.array([v["r"], v["r"] - v["s"], 2 * v["r"] - v["s"]])


# 9. QP lower level with several rows and a bound active, six parameters (more than the
#    five outputs: sensitivity takes the reverse mode) ------------------------------------
def qp(values):
    m, p = _model(values)
    m.x = pyo.Var(bounds=(-5, 5), initialize=0.5)
    m.L.y = pyo.Var([0, 1, 2], bounds=(0, None))
    m.L.obj = pyo.Objective(expr=0.5 * sum((i + 1) * m.L.y[i] ** 2 for i in range(3))
                            + 0.2 * m.L.y[0] * m.L.y[1]
                            - sum((p[f"c{i}"] + m.x) * m.L.y[i] for i in range(3)))
    m.L.total = pyo.Constraint(expr=sum(m.L.y[i] for i in range(3)) <= p["cap"])
    m.obj = pyo.Objective(expr=(m.L.y[0] - 1) ** 2 + (m.L.y[1] - 0.5) ** 2
                          + p["w"] * m.L.y[2] ** 2 + (m.x - p["x_ref"]) ** 2)
    return m


# 10. nonlinear LL constraint (a disc), active -------------------------------------------
def disc(values):
    m, p = _model(values)
    m.x = pyo.Var(bounds=(-5, 5), initialize=0.7)
    m.L.y = pyo.Var([0, 1], initialize=0.0)
    m.L.obj = pyo.Objective(expr=(m.L.y[0] - 2) ** 2 + (m.L.y[1] - m.x) ** 2)
    m.L.disc = pyo.Constraint(expr=m.L.y[0] ** 2 + m.L.y[1] ** 2 <= p["rho"])
    m.obj = pyo.Objective(expr=m.L.y[0] + 2 * m.L.y[1] + 0.5 * (m.x - p["m"]) ** 2)
    return m


# 11. a parameter only in the UL objective: dF by the envelope theorem -------------------
def ul_weight(values):
    m, p = _model(values)
    m.x = pyo.Var(bounds=(-5, 5))
    m.L.y = pyo.Var()
    m.L.obj = pyo.Objective(expr=(m.L.y - m.x) ** 2 + m.L.y ** 2)
    m.obj = pyo.Objective(expr=p["w"] * (m.x - 1) ** 2 + (m.L.y - 1) ** 2)
    return m


def ul_weight_solution(v):
    # y = x/2: F = w (x-1)² + (x/2 - 1)², x = (w + 1/2) / (w + 1/4)
    w = v["w"]
    x = (w + 0.5) / (w + 0.25)
    return np.array([x, x / 2, w * (x - 1) ** 2 + (x / 2 - 1) ** 2])


CASES = [
    Case("unconstrained", unconstrained, {"a": 1.0, "b": 0.5},
         solution=unconstrained_solution),
    Case("ll-active", ll_active, {"c": 1.5}, solution=ll_active_solution),
    Case("ll-equality", ll_equality, {"a": 1.0, "s": 0.5, "w": -0.3}),
    Case("ul-active", ul_active, {"a": 0.7, "r": 1.2}),
    Case("ul-bound", ul_bound, {"q": 2.0, "d": 0.5}, solution=ul_bound_solution),
    Case("nonlinear", nonlinear, {"a": 0.3, "t": 1.0}),
    Case("coupling", coupling, {"k": 2.0}, solution=coupling_solution),
    Case("linear", linear, {"r": 3.0, "s": 1.0}, solution=linear_solution),
    Case("qp", qp, {"c0": 2.0, "c1": 1.5, "c2": 0.5, "cap": 1.2, "x_ref": 0.3, "w": 1.0}),
    Case("disc", disc, {"rho": 1.5, "m": 0.2}),
    Case("ul-weight", ul_weight, {"w": 2.0}, solution=ul_weight_solution),
    Case("implicit", ll_equality, {"a": 1.0, "s": 0.5, "w": -0.3}, method="implicit",
         options={"tol": 1e-12}),
]


# degenerate cases -----------------------------------------------------------------------
def kink(values):
    """y = max(x, t) (LL min (y - x)² s.t. y >= t), UL min (x - a)²: at a = t the LL row
    is biactive and the UL does not care, so y has different one-sided derivatives:
    x = a, y = max(a, t)."""
    m, p = _model(values)
    m.x = pyo.Var(bounds=(-5, 5))
    m.L.y = pyo.Var()
    m.L.obj = pyo.Objective(expr=(m.L.y - m.x) ** 2)
    m.L.ceiling = pyo.Constraint(expr=m.L.y <= 10)  # inactive, before the biactive row
    m.L.floor = pyo.Constraint(expr=m.L.y >= p["t"])
    m.obj = pyo.Objective(expr=(m.x - p["a"]) ** 2)
    return m


def kink_solution(v):
    return np.array([v["a"], max(v["a"], v["t"]), 0.0])


def stable_kink(values):
    """y = max(x, t) and F = -x + 2y: F decreases to x = t and increases after, so the
    solution stays on the kink (biactive, both MPCC multipliers positive): x = y = t,
    F = t, differentiable."""
    m, p = _model(values)
    m.x = pyo.Var(bounds=(-5, 5))
    m.L.y = pyo.Var()
    m.L.obj = pyo.Objective(expr=(m.L.y - m.x) ** 2)
    m.L.floor = pyo.Constraint(expr=m.L.y >= p["t"])
    m.obj = pyo.Objective(expr=-m.x + 2 * m.L.y)
    return m


def stable_kink_solution(v):
    return np.array([v["t"], v["t"], v["t"]])


def weak_ul(values):
    """min (x - 1)² + (y - x)² s.t. x <= r with y = x: at r = 1 the UL row is active with a
    zero multiplier; x = min(1, r)."""
    m, p = _model(values)
    m.x = pyo.Var(bounds=(-5, 5))
    m.L.y = pyo.Var()
    m.L.obj = pyo.Objective(expr=(m.L.y - m.x) ** 2)
    m.limit = pyo.Constraint(expr=m.x <= p["r"])
    m.obj = pyo.Objective(expr=(m.x - 1) ** 2 + m.L.y)
    return m


def weak_ul_solution(v):
    # F = (x-1)² + x is minimized at x = 1/2: the row x <= r is weakly active at r = 1/2
    x = min(0.5, v["r"])
    return np.array([x, x, (x - 1) ** 2 + x])
