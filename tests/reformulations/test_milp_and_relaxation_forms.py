"""Golden tests of the SOS1 program, the direction-cut master and the value-function
relaxation as :class:`~bilevel_mp.reformulations.base.Reformulation` steps.

Problem (an LP lower level)::

    min_{x in [0, 4], y}  x - 2y,
    y in argmin_y { -y : y - x <= 0, 0 <= y <= 3 }

so that ``g = (y - x, -y, y - 3)`` (the bounds of y are rows of g, after the user's row).
The single-level problems are written out by hand below and compared with ours at random
points; ``invert`` of a point built by hand returns its x, y and multipliers.
"""

from __future__ import annotations

import dataclasses

import casadi as ca
import numpy as np
import pytest

from bilevel_mp import BilevelProgram
from bilevel_mp.reformulations.bigm import BigM, BigMSource, SOS1Reformulation
from bilevel_mp.reformulations.bigm_cuts import CutMasterReformulation
from bilevel_mp.reformulations.value_function import ValueFunctionRelaxation

INF = np.inf


def _program() -> BilevelProgram:
    return BilevelProgram.from_functions(
        1, 1, F=lambda x, y: x[0] - 2 * y[0], f=lambda x, y: -y[0],
        g=lambda x, y: [y[0] - x[0]], x_bounds=([0], [4]), y_bounds=([0], [3]))


def _g(x: float, y: float) -> np.ndarray:
    return np.array([y - x, -y, y - 3])


def test_sos1_program_rows_bounds_and_pairs():
    milp, inverse = SOS1Reformulation().apply(_program())
    # z = (x, y, u1, u2, u3, s1, s2, s3); rows: stationarity -1 + u1 - u2 + u3 = 0, g + s = 0
    assert milp.n == 8 and milp.sos1 == ((2, 5), (3, 6), (4, 7))
    np.testing.assert_array_equal(milp.col_lb, [0, -INF, 0, 0, 0, 0, 0, 0])
    rng = np.random.default_rng(0)
    for _ in range(5):
        z = rng.normal(size=8)
        x, y, u, s = z[0], z[1], z[2:5], z[5:8]
        rows = milp.A @ z
        expected = np.concatenate([[-1 + u[0] - u[1] + u[2]], _g(x, y) + s])
        lb = np.concatenate([[0.0], np.zeros(3)])
        np.testing.assert_allclose(rows - milp.row_lb, expected - lb, atol=1e-14)
        np.testing.assert_allclose(milp.row_ub - milp.row_lb, 0.0)
        assert milp.objective(z) == pytest.approx(x - 2 * y)
    # the optimum x = 4, y = 3 (both y - x and y <= 3 active: u = (1, 0, 0) or (0, 0, 1))
    z = np.array([4.0, 3.0, 1.0, 0.0, 0.0, 1.0, 3.0, 0.0])
    sol = SOS1Reformulation().invert(z, inverse)
    assert (sol.x[0], sol.y[0]) == (4.0, 3.0)
    np.testing.assert_array_equal(sol.u, [1.0, 0.0, 0.0])


def test_sos1_refuses_a_nonlinear_lower_level_naming_the_row():
    prog = BilevelProgram.from_functions(
        1, 1, F=lambda x, y: x[0] + y[0], f=lambda x, y: y[0],
        g=lambda x, y: [y[0] ** 2 - x[0]], x_bounds=([0], [4]))
    ok, reason = SOS1Reformulation().accepts(prog)
    assert not ok and "'g[0]'" in reason


def test_cut_master_rows_and_inverse():
    primal = [BigM(10.0, BigMSource.LP)] * 3
    reform = CutMasterReformulation(primal, np.array([True, False, True]), [], [np.array([0, 2])])
    assert reform.accepts(_program())[0]
    milp, inverse = reform.apply(_program())
    # z = (x, y, w1, w2, w3); rows: g <= 0, -g_i + 10 w_i <= 10, w1 + w3 >= 1 (the cut)
    assert milp.n == 5
    np.testing.assert_array_equal(milp.col_ub[2:], [1.0, 0.0, 1.0])  # w2 cannot be active
    rng = np.random.default_rng(1)
    for _ in range(5):
        x, y, w1, w2, w3 = z = rng.normal(size=5)
        linear_g = np.array([y - x, -y, y])  # g without its constants (0, 0, -3)
        expected = np.concatenate([linear_g, -linear_g + 10 * np.array([w1, w2, w3]),
                                   [w1 + w3]])
        np.testing.assert_allclose(milp.A @ z, expected, atol=1e-14)
    # g <= 0; -g_i + 10 w_i <= 10 (M + the constant of g_i moved right); the cut >= 1
    np.testing.assert_allclose(milp.row_ub[:6], [0, 0, 3, 10, 10, 7])
    assert milp.row_lb[6] == 1.0 and milp.row_ub[6] == INF
    sol = reform.invert(np.array([4.0, 3.0, 1.0, 0.0, 0.0]), inverse)
    assert (sol.x[0], sol.y[0]) == (4.0, 3.0) and sol.u.size == 0


def test_cut_master_refuses_a_quadratic_lower_level():
    prog = BilevelProgram.from_functions(
        1, 1, F=lambda x, y: x[0] + y[0], f=lambda x, y: (y[0] - x[0]) ** 2,
        x_bounds=([0], [4]), y_bounds=([0], [3]))
    ok, reason = CutMasterReformulation([], np.zeros(2, bool), [], []).accepts(prog)
    assert not ok and "LP" in reason


def test_value_function_relaxation_cuts_objective_and_inverse():
    prog = _program()
    relaxation = ValueFunctionRelaxation([np.array([2.0]), np.array([0.5])])
    nlp, inverse = relaxation.apply(prog)
    fn = ca.Function("r", [nlp.z], [nlp.f, nlp.g])
    rng = np.random.default_rng(2)
    for _ in range(5):
        x, y = rng.normal(size=2)
        f, g = (np.asarray(v, dtype=float).ravel() for v in fn([x, y]))
        assert f[0] * inverse.F_scale == pytest.approx(x - 2 * y)
        # rows g (3), then the cuts f(x, y) - f(x, z_j) = -y + z_j
        np.testing.assert_allclose(g, np.concatenate([_g(x, y), [-y + 2.0, -y + 0.5]]),
                                   atol=1e-14)
    np.testing.assert_array_equal(nlp.g_ub, np.zeros(5))
    np.testing.assert_array_equal(nlp.g_lb, np.full(5, -INF))
    sol = relaxation.invert(np.array([1.5, 2.5]), inverse)
    assert (sol.x[0], sol.y[0]) == (1.5, 2.5)


def test_value_function_relaxation_refuses_integer_lower_level_variables():
    prog = dataclasses.replace(_program(), y_integer=np.array([True]))
    ok, reason = ValueFunctionRelaxation().accepts(prog)
    assert not ok and "y[0]" in reason
