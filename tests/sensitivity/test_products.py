"""``vjp`` and ``jvp`` against the dense Jacobian of ``sensitivity``: ``vjp == Jᵀg`` and
``jvp == J v``. The three take different routes through the active system (``vjp`` one
adjoint solve, ``jvp`` one forward solve, ``sensitivity`` forward or reverse by the
shape), so agreement checks each route against the others; the Jacobian itself is
checked against finite differences in ``test_finite_differences``.
"""

from __future__ import annotations

import numpy as np
import pytest

import bilevel_mp as bmp
from tests.sensitivity import problems
from tests.sensitivity.problems import CASES

PRODUCT_CASES = [c for c in CASES if c.name in ("ll-equality", "qp", "nonlinear", "disc",
                                                  "linear", "ul-active")]


@pytest.mark.parametrize("case", PRODUCT_CASES, ids=lambda c: c.name)
def test_vjp_is_the_transposed_jacobian_times_the_gradient(case):
    result, _ = problems.solve(case, case.values)
    names = list(case.values)
    jac = problems.jacobian(bmp.sensitivity(result, names))
    n, m = result.x_array.size, result.y_array.size
    rng = np.random.default_rng(7)
    g = rng.normal(size=n + m)
    by_array = bmp.vjp(result, names, g[:n], g[n:])
    by_name = bmp.vjp(result, names, dict(zip(result.x, g[:n], strict=True)),
                      dict(zip(result.y, g[n:], strict=True)))
    expected = jac[:n + m].T @ g
    computed = np.array([by_array.grad[p] for p in names])
    np.testing.assert_allclose(computed, expected, rtol=1e-9, atol=1e-11)
    assert by_name.grad == by_array.grad
    assert not by_array.degenerate and by_array.right == by_array.left == by_array.grad


@pytest.mark.parametrize("case", PRODUCT_CASES, ids=lambda c: c.name)
def test_jvp_is_the_jacobian_times_the_tangent(case):
    result, _ = problems.solve(case, case.values)
    names = list(case.values)
    jac = problems.jacobian(bmp.sensitivity(result, names))
    v = np.random.default_rng(11).normal(size=len(names))
    out = bmp.jvp(result, names, v)
    computed = np.array([*out.dx.values(), *out.dy.values(), out.dF])
    np.testing.assert_allclose(computed, jac @ v, rtol=1e-9, atol=1e-11)
    by_name = bmp.jvp(result, names, dict(zip(names, v, strict=True)))
    assert by_name.dx == out.dx and by_name.dF == out.dF


def test_vjp_of_one_parameter_of_many_and_a_partial_gradient():
    case = next(c for c in CASES if c.name == "qp")
    result, model = problems.solve(case, case.values)
    full = bmp.sensitivity(result, list(case.values))
    grad = bmp.vjp(result, [model.cap], grad_y={"L.y[1]": 2.0})
    assert grad.grad["cap"] == pytest.approx(2.0 * full.dy["L.y[1]"]["cap"], rel=1e-10)


def test_indexed_param_stands_for_its_entries():
    import pyomo.environ as pyo

    m = pyo.ConcreteModel()
    m.c = pyo.Param([0, 1], initialize={0: 1.0, 1: 2.0}, mutable=True)
    m.x = pyo.Var(bounds=(-5, 5))
    m.L = bmp.LowerLevel()
    m.L.y = pyo.Var([0, 1])
    m.L.obj = pyo.Objective(expr=sum((m.L.y[i] - m.c[i] * m.x) ** 2 for i in (0, 1)))
    m.obj = pyo.Objective(expr=(m.x - 1) ** 2 + (m.L.y[0] - 1) ** 2)
    result = bmp.solve(m, "kkt-scholtes", options=problems.TIGHT)
    sens = bmp.sensitivity(result, [m.c])
    assert sens.params == ("c[0]", "c[1]")
    # y = c x, F = (x-1)² + (c0 x - 1)²: x = (1 + c0) / (1 + c0²)
    c0 = 1.0
    assert result.x["x"] == pytest.approx((1 + c0) / (1 + c0 ** 2))
    assert sens.dx["x"]["c[0]"] == pytest.approx((1 + c0 ** 2 - 2 * c0 * (1 + c0))
                                                 / (1 + c0 ** 2) ** 2, abs=1e-8)
    assert sens.dx["x"]["c[1]"] == pytest.approx(0.0, abs=1e-10)
    assert sens.dy["L.y[1]"]["c[1]"] == pytest.approx(result.x["x"], abs=1e-8)
