"""The data's scale of the objectives (:func:`bilevel_mp.checks.scales.data_scales`)."""

from __future__ import annotations

import casadi as ca
import pytest

import bilevel_mp as bmp
from bilevel_mp.checks.scales import data_scales


def test_an_objective_flat_along_the_diagonal_still_has_its_scale():
    # f = 4 y0 - 4 y1 does not change along y0 ± (1, 1); along ±(1, -1), the signs of
    # its gradient, it changes by 8 each way: a spread of 16
    prog = bmp.BilevelProgram.from_functions(
        1, 2, F=lambda x, y: x[0] + 5 * y[0] - 3 * y[1], f=lambda x, y: 4 * y[0] - 4 * y[1],
        x_bounds=([0], [10]), y_bounds=([0, 0], [10, 10]), x0=[1.0], y0=[2.0, 2.0])
    scales = data_scales(prog)
    assert scales["f"] == pytest.approx(16.0)
    assert scales["F"] == pytest.approx(16.0)  # 5 + 3 each way along the signs (1, -1)


def test_steps_stay_inside_the_bounds():
    # y0 = 0 on its lower bound: only the step up counts, f = y² changes by 1
    prog = bmp.BilevelProgram.from_functions(
        1, 1, F=lambda x, y: y[0], f=lambda x, y: y[0] ** 2 + ca.log(1 + x[0]),
        x_bounds=([0], [1]), y_bounds=([0], [5]), x0=[0.0], y0=[0.0])
    assert data_scales(prog)["f"] == pytest.approx(1.0)
