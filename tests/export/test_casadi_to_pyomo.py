"""The CasADi SX -> Pyomo translation against CasADi's own evaluation.

Each expression is built in CasADi, translated, and the Pyomo expression evaluated at
random points; CasADi's numeric evaluation of the same graph is the truth. Every operation
of :data:`OPERATIONS` appears in at least one expression (a test checks that).
"""

from __future__ import annotations

import casadi as ca
import numpy as np
import pyomo.environ as pyo
import pytest

from bilevel_mp.errors import ModelError
from bilevel_mp.export.casadi_to_pyomo import OPERATIONS, ExpressionTranslator

x = ca.SX.sym("x", 3)
p = ca.SX.sym("p")

EXPRESSIONS = {
    "arithmetic": x[0] * x[1] - x[2] / (2 + x[0] ** 2) + 2 * x[1] - (-x[2]) + 1 / (3 + x[1]),
    "powers": x[0] ** 2 + (x[1] ** 2 + 1) ** 1.5 + x[2] ** 3 + (1 + x[0] ** 2) ** x[1] ** 2,
    "smooth unary": ca.exp(x[0]) + ca.log(1 + x[1] ** 2) + ca.sqrt(1 + x[2] ** 2)
    + ca.sin(x[0]) + ca.cos(x[1]) + ca.tan(0.3 * x[2]) + ca.sinh(x[0]) + ca.cosh(x[1])
    + ca.tanh(x[2]),
    "inverse trig": ca.asin(0.3 * ca.tanh(x[0])) + ca.acos(0.3 * ca.tanh(x[1])) + ca.atan(x[2])
    + ca.asinh(x[0]) + ca.acosh(2 + x[1] ** 2) + ca.atanh(0.5 * ca.tanh(x[2])),
    "log1p expm1 hypot": ca.log1p(x[0] ** 2) + ca.expm1(x[1]) + ca.hypot(x[0], x[2]),
    "nonsmooth": ca.fabs(x[0]) + ca.sign(x[1]) + ca.fmin(x[0], x[2]) + ca.fmax(x[1], x[2])
    + ca.floor(x[0]) + ca.ceil(x[1]),
    "if_else": ca.if_else(x[0] >= p, x[0] * x[1], -0.5 * (x[0] - p) ** 2),
    "strict and equal": ca.if_else(x[0] < x[1], 1.0, 2.0) + (x[2] == x[0]) + (x[0] != x[1]),
    "logic": ca.if_else(ca.logic_and(x[0] > 0, x[1] > 0), x[2], -x[2])
    + ca.if_else(ca.logic_or(x[0] > 1, x[1] < -1), 3.0, 4.0)
    + ca.if_else(ca.logic_not(x[2] <= 0), 5.0, 6.0),
    "condition as number": (x[0] <= x[1]) * x[2] + ca.if_else(x[0] * x[1], 1.0, 0.0),
    "parameter": p * x[0] ** 2 + ca.sqrt(1 + p + x[1] ** 2),
}


def _translated(expr: ca.SX):
    m = pyo.ConcreteModel()
    m.x = pyo.Var(range(3))
    m.p = pyo.Param(mutable=True, initialize=0.7)
    translator = ExpressionTranslator([x, p], [[m.x[i] for i in range(3)], [m.p]])
    return m, translator.translate(expr, ["expr"])[0]


@pytest.mark.parametrize("name", sorted(EXPRESSIONS))
def test_translation_evaluates_like_casadi(name):
    expr = EXPRESSIONS[name]
    m, translated = _translated(expr)
    evaluate = ca.Function("truth", [x, p], [expr])
    rng = np.random.default_rng(1)
    points = [rng.normal(scale=1.5, size=3) for _ in range(40)]
    points += [np.array([0.7, 0.7, 0.0]), np.array([0.0, 0.0, 0.0]), np.array([2.0, -2.0, 2.0])]
    for point in points:
        for i in range(3):
            m.x[i].set_value(float(point[i]))
        for value in (0.7, -0.3):
            m.p.set_value(value)
            truth = float(evaluate(point, value))
            assert pyo.value(translated) == pytest.approx(truth, rel=1e-12, abs=1e-12), point


def test_every_operation_is_exercised():
    used: set[int] = set()
    for expr in EXPRESSIONS.values():
        f = ca.Function("ops", [x, p], [expr])
        used |= {f.instruction_id(k) for k in range(f.n_instructions())}
    assert not set(OPERATIONS) - used


def test_if_else_becomes_one_expr_if():
    _, translated = _translated(EXPRESSIONS["if_else"])
    assert str(translated).startswith("Expr_if(")
    assert str(translated).count("Expr_if") == 1


def test_structural_zeros_and_constants():
    m = pyo.ConcreteModel()
    m.x = pyo.Var(range(3))
    translator = ExpressionTranslator([x, p], [[m.x[i] for i in range(3)], [2.0]])
    rows = translator.translate(ca.vertcat(ca.SX(1, 1), 3.5, p * 2, x[1]), list("abcd"))
    assert rows[0] == 0.0 and rows[1] == 3.5 and rows[2] == 4.0
    assert rows[3] is m.x[1]


def test_unsupported_operation_names_the_row():
    m = pyo.ConcreteModel()
    m.x = pyo.Var(range(3))
    translator = ExpressionTranslator([x], [[m.x[i] for i in range(3)]])
    with pytest.raises(ModelError, match="row 'b' uses the CasADi operation atan2"):
        translator.translate(ca.vertcat(x[0], ca.atan2(x[1], x[2])), ["row 'a'", "row 'b'"])


def test_mx_is_refused_with_a_typed_error():
    xm = ca.MX.sym("x", 2)
    with pytest.raises(ModelError, match="only CasADi SX.*as_sx"):
        ExpressionTranslator([xm], [[1.0, 2.0]])
