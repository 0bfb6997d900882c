"""Slack bounds of ``kkt-bigm`` against scipy's LP solver, row by row."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

import bilevel_mp as bmp
from bilevel_mp.oracles.bigm_bounds import (
    NEVER_ACTIVE_SLACK,
    lp_slack_range,
    region_lp,
)
from bilevel_mp.reformulations.bigm import linear_kkt_data
from tests.property.test_bigm_oracle import program_of, random_instance


def _linprog_slack_range(data, program) -> tuple[np.ndarray, np.ndarray]:
    """``max`` and ``min`` of each lower-level slack ``-g_i`` over R, one scipy
    ``linprog`` per row and sense (independent of the HiGHS sweep under test)."""
    lp = region_lp(data, program)
    A = sp.csr_matrix(lp.A)
    upper_rows, lower_rows = np.isfinite(lp.row_ub), np.isfinite(lp.row_lb)
    A_ub = sp.vstack([A[upper_rows], -A[lower_rows]]).toarray()
    b_ub = np.concatenate([lp.row_ub[upper_rows], -lp.row_lb[lower_rows]])
    bounds = list(zip(np.where(np.isfinite(lp.col_lb), lp.col_lb, None),
                      np.where(np.isfinite(lp.col_ub), lp.col_ub, None), strict=True))
    g = data.g.A.toarray()
    most, least = np.empty(data.g.rows), np.empty(data.g.rows)
    for i in range(data.g.rows):
        for sense, out in ((1.0, most), (-1.0, least)):  # slack = -g_i z - b_i
            res = linprog(sense * g[i], A_ub=A_ub, b_ub=b_ub, bounds=bounds, method="highs")
            assert res.status == 0
            out[i] = -sense * res.fun - data.g.b[i]
    return most, least


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), equalities=st.booleans())
def test_slack_range_matches_one_lp_per_row(seed, equalities):
    # the sweep skips the min-slack LP of every row that an earlier LP's vertex already
    # made active: the answer must be the one of solving them all
    program = program_of(random_instance(seed, equalities))
    data = linear_kkt_data(program)
    most, can_be_active = lp_slack_range(data, program)
    expect_most, least = _linprog_slack_range(data, program)
    np.testing.assert_allclose(most, expect_most, rtol=1e-7, atol=1e-7)
    assert np.array_equal(can_be_active, least <= NEVER_ACTIVE_SLACK)


def test_empty_region_proves_every_bound_and_no_row_active():
    # x + y <= 1 and x + y >= 3 over the unit box: R is empty, so M = 0 is valid everywhere
    program = bmp.BilevelProgram.from_functions(
        1, 1, F=lambda x, y: x[0] + y[0], f=lambda x, y: y[0],
        g=lambda x, y: [x[0] + y[0] - 1, 3 - x[0] - y[0]],
        x_bounds=([0.0], [1.0]), y_bounds=([0.0], [1.0]))
    most, can_be_active = lp_slack_range(linear_kkt_data(program), program)
    assert np.array_equal(most, np.zeros(4)) and not can_be_active.any()
    assert bmp.solve(program, method="kkt-bigm").termination is bmp.TerminationStatus.INFEASIBLE
