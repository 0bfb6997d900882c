"""Polishing a KKT point of a linear KKT system on its active set
(:mod:`bilevel_mp.methods.active_set`)."""

from __future__ import annotations

import numpy as np
import pytest

from bilevel_mp import BilevelProgram
from bilevel_mp.methods.active_set import polish_on_active_set
from bilevel_mp.reformulations.base import BilevelSolution
from bilevel_mp.reformulations.bigm import linear_kkt_data


def _program() -> BilevelProgram:
    """f = y (x - 2/3) on y ∈ [-2, 1] (rows -2 - y <= 0, y - 1 <= 0), x ∈ [-1, 3]."""
    return BilevelProgram.from_functions(
        1, 1, F=lambda x, y: (x[0] - 1) ** 2 + y[0], f=lambda x, y: y[0] * (x[0] - 2 / 3),
        x_bounds=([-1], [3]), y_bounds=([-2], [1]))


def test_an_interior_follower_point_forces_stationarity_exactly():
    prog = _program()
    sol = BilevelSolution(np.array([2 / 3 - 1e-9]), np.array([-1.0]), np.array([3e-10, 0.0]),
                          np.zeros(0))
    out = polish_on_active_set(linear_kkt_data(prog), prog, sol)
    # y is interior: both multipliers 0, so ∇_y f = x - 2/3 = 0 exactly (to rounding)
    assert out.x[0] == pytest.approx(2 / 3, abs=1e-16)
    assert out.y[0] == -1.0 and np.all(out.u == 0.0)


def test_an_active_bound_keeps_its_multiplier_and_stationarity():
    prog = _program()
    # y on its upper bound y <= 1 with u = 2/3 - x > 0; the row is off by 1e-10
    sol = BilevelSolution(np.array([0.5]), np.array([1.0 + 1e-10]), np.array([0.0, 1 / 6]),
                          np.zeros(0))
    out = polish_on_active_set(linear_kkt_data(prog), prog, sol)
    assert out.y[0] == 1.0
    assert out.u[1] + (out.x[0] - 2 / 3) == pytest.approx(0.0, abs=1e-15)
    assert out.u[0] == 0.0


def test_a_point_far_from_its_equations_is_left_alone():
    prog = _program()
    # u = 0 but x - 2/3 = 0.1: meeting stationarity needs a move of 0.1
    sol = BilevelSolution(np.array([0.7666]), np.array([-1.0]), np.zeros(2), np.zeros(0))
    assert polish_on_active_set(linear_kkt_data(prog), prog, sol) is sol
