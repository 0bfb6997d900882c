"""Degenerate points: reported, with one-sided derivatives checked against one-sided
differences of re-solves; failures of LICQ and of second-order sufficiency give NaN and a
message, never a number.
"""

from __future__ import annotations

import math

import numpy as np
import pyomo.environ as pyo
import pytest

import bilevel_mp as bmp
from tests.sensitivity import problems
from tests.sensitivity.problems import Case

# kkt-sn solves the degenerate cases exactly, so that one-sided differences of its
# re-solves are accurate; IPOPT (kkt-scholtes) stops about 1e-6 to √t away from them (the
# refinement of the point repairs that for the derivatives: test_relaxation_point_is_refined)
KINK = Case("kink", problems.kink, {"t": 1.0, "a": 1.0}, method="kkt-sn", options={},
            solution=problems.kink_solution)
STABLE = Case("stable-kink", problems.stable_kink, {"t": 1.0}, method="kkt-sn", options={},
              solution=problems.stable_kink_solution)
WEAK_UL = Case("weak-ul", problems.weak_ul, {"r": 0.5}, method="kkt-sn", options={},
               solution=problems.weak_ul_solution)


def test_active_set_change_gives_one_sided_derivatives():
    result, model = problems.solve(KINK, KINK.values)
    sens = bmp.sensitivity(result, [model.t, model.a])
    assert sens.degenerate and "'L.floor' biactive" in sens.message
    assert "not differentiable" in sens.message
    # y = max(a, t): the derivative does not exist, the one-sided ones do
    assert math.isnan(sens.dy["L.y"]["t"]) and math.isnan(sens.dy["L.y"]["a"])
    # x = a is differentiable: NaN only for the entries whose sides differ
    assert sens.dx["x"] == pytest.approx({"t": 0.0, "a": 1.0})
    right = problems.jacobian(sens, sens.right)
    left = problems.jacobian(sens, sens.left)
    for k, name in enumerate(sens.params):
        # the map is piecewise linear: differences are exact for a step within a piece,
        # and a long step divides the re-solves' error (about 1e-9 for kkt-sn) less
        fd_right, fd_left = problems.one_sided_differences(KINK, name, step=1e-2)
        assert problems.relative_error(right[:, k], fd_right) <= 1e-5, name
        assert problems.relative_error(left[:, k], fd_left) <= 1e-5, name
    # and by hand: y = max(a, t)
    assert sens.right.dy["L.y"] == pytest.approx({"t": 1.0, "a": 1.0})
    assert sens.left.dy["L.y"] == pytest.approx({"t": 0.0, "a": 0.0}, abs=1e-12)


def test_directional_derivatives_at_the_kink_follow_the_right_piece():
    result, model = problems.solve(KINK, KINK.values)
    up = bmp.jvp(result, [model.t, model.a], {"t": 1.0, "a": 0.5})
    # y(t + s, a + s/2) = max(1 + s/2, 1 + s) = 1 + s for s > 0
    assert up.dy["L.y"] == pytest.approx(1.0) and up.dx["x"] == pytest.approx(0.5)
    down = bmp.jvp(result, [model.t, model.a], {"t": -1.0, "a": -0.5})
    assert down.dy["L.y"] == pytest.approx(-0.5) and down.degenerate
    grad = bmp.vjp(result, [model.t, model.a], grad_y={"L.y": 1.0})
    assert math.isnan(grad.grad["t"])
    assert grad.right == pytest.approx({"t": 1.0, "a": 1.0})
    assert grad.left == pytest.approx({"t": 0.0, "a": 0.0}, abs=1e-12)


def test_relaxation_point_is_refined():
    """kkt-scholtes ends about 1.7e-4 from the kink; the derivatives are those of the
    refined point, and the message says so."""
    case = Case("kink-scholtes", problems.kink, KINK.values)
    result, model = problems.solve(case, case.values)
    assert abs(result.y_array[0] - 1.0) > 1e-5  # the relaxation's point is off the kink
    sens = bmp.sensitivity(result, [model.t, model.a])
    assert "Newton's method on its active system" in sens.message
    assert sens.right.dy["L.y"] == pytest.approx({"t": 1.0, "a": 1.0})
    assert sens.left.dy["L.y"] == pytest.approx({"t": 0.0, "a": 0.0}, abs=1e-9)
    off = bmp.sensitivity(result, [model.t], options={"refine": False})
    assert math.isnan(off.right.dy["L.y"]["t"]) and "not a KKT point" in off.message


def test_stable_biactive_point_is_reported_but_differentiable():
    result, model = problems.solve(STABLE, STABLE.values)
    sens = bmp.sensitivity(result, [model.t])
    assert sens.degenerate and "biactive" in sens.message
    assert "not differentiable" not in sens.message
    computed = problems.jacobian(sens)
    truth = problems.central_differences(STABLE)
    assert problems.relative_error(computed, truth) <= 1e-5
    np.testing.assert_allclose(computed[:, 0], [1.0, 1.0, 1.0], atol=1e-9)


def test_weakly_active_upper_level_row():
    result, model = problems.solve(WEAK_UL, WEAK_UL.values)
    sens = bmp.sensitivity(result, [model.r])
    assert sens.degenerate and "'limit' active with a zero multiplier" in sens.message
    assert math.isnan(sens.dx["x"]["r"])
    fd_right, fd_left = problems.one_sided_differences(WEAK_UL, "r", step=1e-2)
    assert problems.relative_error(problems.jacobian(sens, sens.right)[:, 0], fd_right) <= 1e-5
    assert problems.relative_error(problems.jacobian(sens, sens.left)[:, 0], fd_left) <= 1e-5
    assert sens.right.dx["x"]["r"] == pytest.approx(0.0, abs=1e-9)  # x = min(1/2, r)
    assert sens.left.dx["x"]["r"] == pytest.approx(1.0)


def _duplicated_lower_level_row() -> pyo.ConcreteModel:
    m = pyo.ConcreteModel()
    m.a = pyo.Param(initialize=0.0, mutable=True)
    m.x = pyo.Var(bounds=(-5, 5))
    m.L = bmp.LowerLevel()
    m.L.y = pyo.Var()
    m.L.obj = pyo.Objective(expr=(m.L.y - m.x - 2) ** 2)
    m.L.c1 = pyo.Constraint(expr=m.L.y <= 1 + m.a)
    m.L.c2 = pyo.Constraint(expr=2 * m.L.y <= 2 + 2 * m.a)
    m.obj = pyo.Objective(expr=(m.x - 1) ** 2 - m.L.y)
    return m


def test_llicq_failure_is_reported_without_numbers():
    m = _duplicated_lower_level_row()
    result = bmp.solve(m, "kkt-sn")
    assert result.y_array[0] == pytest.approx(1.0, abs=1e-6)
    sens = bmp.sensitivity(result, [m.a])
    assert sens.degenerate and "LLICQ fails" in sens.message
    assert "(L.c1, L.c2)" in sens.message
    assert all(math.isnan(v) for v in (sens.dx["x"]["a"], sens.right.dy["L.y"]["a"],
                                       sens.left.dF["a"]))
    grad = bmp.vjp(result, [m.a], grad_y=[1.0])
    assert math.isnan(grad.grad["a"]) and grad.degenerate


def test_upper_level_licq_failure_is_reported():
    m = pyo.ConcreteModel()
    m.a = pyo.Param(initialize=1.0, mutable=True)
    m.x = pyo.Var(bounds=(-5, 5))
    m.L = bmp.LowerLevel()
    m.L.y = pyo.Var()
    m.L.obj = pyo.Objective(expr=(m.L.y - m.x) ** 2)
    m.c1 = pyo.Constraint(expr=m.x <= m.a)
    m.c2 = pyo.Constraint(expr=3 * m.x <= 3 * m.a)
    m.obj = pyo.Objective(expr=-m.x - m.L.y)
    result = bmp.solve(m, "kkt-scholtes", options=problems.TIGHT)
    sens = bmp.sensitivity(result, [m.a])
    assert sens.degenerate and "LICQ fails for the active system" in sens.message
    assert math.isnan(sens.dx["x"]["a"])


def test_singular_system_when_the_solution_is_not_isolated():
    """F does not depend on x: every x in [-5, 5] is optimal."""
    m = pyo.ConcreteModel()
    m.a = pyo.Param(initialize=1.0, mutable=True)
    m.x = pyo.Var(bounds=(-5, 5), initialize=0.3)
    m.L = bmp.LowerLevel()
    m.L.y = pyo.Var()
    m.L.obj = pyo.Objective(expr=(m.L.y - m.a) ** 2)
    m.obj = pyo.Objective(expr=(m.L.y - 2) ** 2)
    result = bmp.solve(m, "kkt-scholtes", options=problems.TIGHT)
    sens = bmp.sensitivity(result, [m.a])
    assert sens.degenerate and "singular" in sens.message
    assert math.isnan(sens.dy["L.y"]["a"])
    direction = bmp.jvp(result, [m.a], [1.0])
    assert math.isnan(direction.dy["L.y"]) and "singular" in direction.message
