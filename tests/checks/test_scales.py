"""The data's scale of the objectives (:func:`bilevel_mp.checks.scales.data_scales`)."""

from __future__ import annotations

import casadi as ca
import numpy as np
import pytest

import bilevel_mp as bmp
from bilevel_mp.checks.scales import data_scales
from bilevel_mp.ir.program import BilevelProgram


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


@pytest.mark.parametrize("symbolic", ["SX", "MX"])
@pytest.mark.parametrize(("nx", "ny"), [(0, 1), (1, 1), (2, 3)])
def test_objective_gradients_split_from_one_sweep_match_gradients_by_block(symbolic, nx, ny):
    pr = BilevelProgram.from_functions(
        nx, ny, F=lambda x, y: ca.sum1(y) ** 2 + ca.sum1(ca.exp(x)) * ca.sum1(y),
        f=lambda x, y: ca.sum1(y ** 3) + ca.sum1(x * x) * y[0], symbolic=symbolic)
    by_block = ca.Function("blocks", [pr.x, pr.y, pr.p], [
        ca.densify(ca.gradient(v, z)) for z in (pr.y, pr.x) for v in (pr.F, pr.f)])
    rng = np.random.default_rng(0)
    for _ in range(3):
        x, y = rng.normal(size=nx), rng.normal(size=ny)
        got = pr.objective_gradients(x, y, pr.p_values)
        want = by_block(x, y, pr.p_values)
        for g, w in zip(got, want, strict=True):
            assert g.shape == w.shape
            assert np.allclose(np.asarray(g), np.asarray(w), rtol=1e-14, atol=0)
