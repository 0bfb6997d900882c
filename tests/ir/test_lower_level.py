"""The lower level at a fixed x (:class:`bilevel_mp.ir.lower_level.LowerLevelAtX`)."""

from __future__ import annotations

import casadi as ca
import numpy as np
import pytest

from bilevel_mp import BilevelProgram
from bilevel_mp.ir.program import symbol_like
from bilevel_mp.solvers.ipopt import IpoptSolver


def _program() -> BilevelProgram:
    # LL: min (y0 - x)^2 + 2 y1^2 + x y1  s.t.  y0 + y1 >= 1 (g: 1 - y0 - y1 <= 0),
    #     y1 - x = 0 (h), y0 in [0, 5]
    return BilevelProgram.from_functions(
        1, 2, F=lambda x, y: y[0] + y[1], f=lambda x, y: (y[0] - x[0]) ** 2 + 2 * y[1] ** 2
        + x[0] * y[1], g=lambda x, y: [1 - y[0] - y[1]], h=lambda x, y: [y[1] - x[0]],
        y_bounds=([0.0, None], [5.0, None]), x_bounds=([-3], [3]))


def test_the_qp_view_holds_the_coefficients_at_x():
    pr = _program()
    c, Q, Ag, bg, Ah, bh, f0 = (np.asarray(ca.DM(v), dtype=float)
                               for v in pr.lower_level.qp_data(np.array([2.0]), pr.p_values))
    # f = y0² - 4 y0 + 4 + 2 y1² + 2 y1 at x = 2
    assert c.ravel() == pytest.approx([-4.0, 2.0]) and f0.item() == pytest.approx(4.0)
    assert np.allclose(Q, [[2.0, 0.0], [0.0, 4.0]])
    # g rows: the general row first, then the bounds of y0 (IR convention)
    assert Ag[0] == pytest.approx([-1.0, -1.0]) and bg.ravel()[0] == pytest.approx(1.0)
    assert Ah.ravel() == pytest.approx([0.0, 1.0]) and bh.item() == pytest.approx(-2.0)


@pytest.mark.parametrize("x", [-0.5, 0.25, 2.0])
def test_the_nlp_view_solves_the_lower_level_at_x(x):
    # y1 = x by h; then y0 = max(x, 1 - x) clipped to [0, 5] minimizes (y0 - x)^2 on y0 >= 1 - x
    pr = _program()
    ll = pr.lower_level
    res = IpoptSolver(ll.nlp(), {}).solve(ll.parameters(np.array([x])), pr.y0)
    assert res.status.is_local_solution
    assert res.z == pytest.approx([min(max(x, 1 - x, 0.0), 5.0), x], abs=1e-7)


def test_the_weighted_view_with_an_extra_row_and_parameter():
    # min F = y0 + y1 over the LL's points with f <= φ (the extra row, φ the extra
    # parameter): at x = 0 the LL optimum is (y0, y1) = (1, 0) with f = 1, and φ = 1 admits
    # only it; the rows go to IPOPT multiplied by their weights, bounds alike
    pr = _program()
    ll = pr.lower_level
    phi = symbol_like(pr.x, "phi")
    nlp = ll.nlp(objective=pr.F, extra_rows=pr.f - phi, extra=phi, weighted=True)
    assert nlp.p.numel() == pr.p.numel() + 1 + 1 + ll.n_rows + 1 + 1
    weights = np.array([1e3, 1.0, 1.0, 1.0, 1.0])  # rows g (3), h (1), f - φ (1)
    p = np.concatenate([ll.parameters(np.array([0.0]), [1.0]), weights, [1.0]])
    lb = np.array([-np.inf, -np.inf, -np.inf, 0.0, -np.inf]) * weights
    ub = np.zeros(5)
    res = IpoptSolver(nlp, {}).solve(p, np.array([3.0, 0.0]), g_bounds=(lb, ub))
    assert res.status.is_local_solution
    assert res.z == pytest.approx([1.0, 0.0], abs=1e-7)


def test_the_hessian_of_f_is_built_once_and_is_the_hessian_in_y():
    pr = _program()
    ll = pr.lower_level
    assert ll.f_hessian is ll.f_hessian
    fresh = ca.hessian(pr.f, pr.y)[0]
    at = [np.array([0.7]), np.array([0.3, -1.2]), pr.p_values]
    value = ca.Function("h", [pr.x, pr.y, pr.p], [ll.f_hessian, fresh])(*at)
    assert np.allclose(np.asarray(value[0]), np.asarray(value[1]))
    assert np.allclose(np.asarray(value[0]), [[2.0, 0.0], [0.0, 4.0]])
