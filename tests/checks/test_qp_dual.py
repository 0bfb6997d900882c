"""The Lagrangian bound of a convex QP: never above the optimum HiGHS finds, equal to it
at the optimum, at every scale of the data; no bound where Q is singular."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from bilevel_mp.checks.qp_dual import ConvexQP, lagrangian_bound
from bilevel_mp.ir.milp import MILP
from bilevel_mp.solvers.base import Deadline
from bilevel_mp.solvers.highs import HighsBackend
from bilevel_mp.status import TerminationStatus


def random_qp(seed: int, n: int = 12, m: int = 8, k: int = 2, scale_f: float = 1.0,
              scale_rows: float = 1.0) -> ConvexQP:
    """A PD QP with ``m`` inequality rows, ``k`` equality rows and the bounds
    ``-1 <= y <= 1`` as rows, feasible at ``y = 0`` (rows multiplied by ``scale_rows``,
    the objective by ``scale_f``)."""
    rng = np.random.default_rng(seed)
    B = rng.normal(size=(n, n))
    A = rng.normal(size=(m, n))
    E = rng.normal(size=(k, n))
    bounds = sp.vstack([sp.identity(n), -sp.identity(n)])
    A_g = sp.vstack([sp.csr_matrix(A), bounds]).tocsr() * scale_rows
    b_g = np.concatenate([-rng.uniform(0.1, 1.0, m), -np.ones(2 * n)]) * scale_rows
    return ConvexQP(
        Q=sp.csc_matrix(B @ B.T / n + 0.1 * np.eye(n)) * scale_f,
        c=rng.normal(size=n) * 3 * scale_f, f0=float(rng.normal()) * scale_f,
        A_g=A_g, b_g=b_g, s_g=np.zeros(m + 2 * n),
        A_h=sp.csr_matrix(E) * scale_rows, b_h=np.zeros(k), s_h=np.zeros(k))


def highs_optimum(qp: ConvexQP) -> tuple[float, np.ndarray]:
    """The QP's optimal value and point by HiGHS (the independent truth)."""
    n = qp.c.size
    A = sp.vstack([qp.A_g, qp.A_h]).tocsr()
    problem = MILP(
        c=qp.c, A=A,
        row_lb=np.concatenate([np.full(qp.b_g.size, -np.inf), -qp.b_h - qp.s_h]),
        row_ub=np.concatenate([qp.s_g - qp.b_g, qp.s_h - qp.b_h]),
        col_lb=np.full(n, -np.inf), col_ub=np.full(n, np.inf),
        integer=np.zeros(n, dtype=bool), c0=qp.f0, Q=qp.Q)
    res = HighsBackend().solve(problem, Deadline.after(30.0), None,
                               {"dual_feasibility_tolerance": 1e-10,
                                "primal_feasibility_tolerance": 1e-10})
    assert res.status is TerminationStatus.OPTIMAL
    return qp.value(res.z), res.z


def row_scales(qp: ConvexQP) -> np.ndarray:
    return np.concatenate([abs(qp.A_g).max(axis=1).toarray().ravel(),
                           abs(qp.A_h).max(axis=1).toarray().ravel()])


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize(("scale_f", "scale_rows"), [(1.0, 1.0), (1e6, 1e-6), (1e-6, 1e6)])
def test_bound_is_tight_at_the_optimum(seed, scale_f, scale_rows):
    # scaling f and the rows moves neither the optimum nor the active set: HiGHS solves
    # the unit-scale QP (it drops coefficients below 1e-9), the bound sees the scaled one
    phi, y_star = highs_optimum(random_qp(seed))
    phi *= scale_f
    qp = random_qp(seed, scale_f=scale_f, scale_rows=scale_rows)
    bound = lagrangian_bound(qp, y_star, row_scales(qp))
    assert bound <= phi + 1e-12 * abs(phi)
    assert phi - bound <= 1e-7 * max(abs(phi), scale_f)


@pytest.mark.parametrize("seed", range(6))
def test_bound_never_exceeds_the_optimum_at_other_points(seed):
    qp = random_qp(seed)
    phi, y_star = highs_optimum(qp)
    rng = np.random.default_rng(100 + seed)
    for _ in range(20):
        # points near the optimum (a multiplier fit on a nearly right active set) and far
        y = y_star + rng.normal(size=y_star.size) * rng.choice([1e-6, 1e-3, 0.3])
        bound = lagrangian_bound(qp, y, row_scales(qp))
        assert not bound > phi + 1e-12 * abs(phi), (bound, phi)


def test_bound_over_the_rows_relaxed_by_the_points_own_violations():
    # a point outside the rows: the bound is on the optimum over the relaxed rows, which
    # is lower than the original optimum and is what the verification compares with
    qp = random_qp(3)
    phi, y_star = highs_optimum(qp)
    y = y_star + 0.05
    g = qp.A_g @ y + qp.b_g
    h = qp.A_h @ y + qp.b_h
    relaxed = ConvexQP(qp.Q, qp.c, qp.f0, qp.A_g, qp.b_g, np.maximum(g, 0.0), qp.A_h, qp.b_h,
                       np.abs(h))
    phi_relaxed, y_relaxed = highs_optimum(relaxed)
    assert phi_relaxed < phi - 1e-6
    assert lagrangian_bound(relaxed, y, row_scales(qp)) <= phi_relaxed + 1e-12
    assert lagrangian_bound(relaxed, y_relaxed, row_scales(qp)) == pytest.approx(
        phi_relaxed, rel=1e-8)


def test_singular_hessian_gives_no_bound():
    # f = y_0² + y_1 over y_1 >= -1: Q is singular and the dual needs the direction of y_1
    # handled exactly; no bound is claimed
    qp = ConvexQP(Q=sp.csc_matrix(np.diag([2.0, 0.0])), c=np.array([0.0, 1.0]), f0=0.0,
                  A_g=sp.csr_matrix(np.array([[0.0, -1.0]])), b_g=np.array([-1.0]),
                  s_g=np.zeros(1), A_h=sp.csr_matrix((0, 2)), b_h=np.zeros(0),
                  s_h=np.zeros(0))
    assert np.isnan(lagrangian_bound(qp, np.array([0.0, -1.0]), np.ones(1)))


def test_non_finite_point_gives_no_bound():
    qp = random_qp(0)
    y = np.full(qp.c.size, np.nan)
    assert np.isnan(lagrangian_bound(qp, y, row_scales(qp)))
