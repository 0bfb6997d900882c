"""A proven lower bound on a convex QP's optimal value from one factorization of its
Hessian: the Lagrangian dual function at multipliers fitted at a given point.

For ``min_y f(y) = f0 + c'y + y'Qy/2`` with ``Q`` positive definite, over the rows
``A_g y + b_g <= s_g`` and ``|A_h y + b_h| <= s_h`` (``s``: the relaxation of the
verification, ŷ's own violations), weak duality gives, for every ``λ >= 0`` and every
``μ``,

    φ >= d(λ, μ) = min_y L(y, λ, μ),
    L = f(y) + λ'(A_g y + b_g - s_g) + μ'(A_h y + b_h) - |μ|' s_h.

L is quadratic in y with Hessian Q, so with ``r = ∇_y L(ŷ) = Qŷ + c + A_g'λ + A_h'μ``
the minimum is exact: ``d = L(ŷ) - r'Q⁻¹r / 2``. The multipliers are the nonnegative
least-squares fit of ``r = 0`` on the rows active at ŷ; at a KKT point ``r`` and the
complementarity terms vanish and ``d = f(ŷ)`` up to rounding, at any other point ``d`` is
still a bound, only a looser one (Boyd and Vandenberghe, *Convex Optimization*, §5.2 and
§5.5.2). The bound returned is lowered by the rounding error its sum can carry
(``ROUNDOFF`` times the magnitudes of its terms).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.optimize import lsq_linear
from scipy.sparse.linalg import splu

from bilevel_mp.tolerances import ROUNDOFF

ACTIVE_SLACK = 1e-6
"""A row counts as active at ŷ (gets a multiplier) when its slack is at most this times its
gradient scale."""

SOLVE_RESIDUAL = 1e-10
"""Largest relative residual ``||Qz - r|| / ||r||`` of the factorized solve for which the
bound is returned (a nearly singular Q gives no trustworthy bound)."""


@dataclass(frozen=True)
class ConvexQP:
    """``min f0 + c'y + y'Qy/2 s.t. A_g y + b_g <= s_g, |A_h y + b_h| <= s_h``."""

    Q: sp.csc_matrix
    c: np.ndarray
    f0: float
    A_g: sp.csr_matrix
    b_g: np.ndarray
    s_g: np.ndarray
    A_h: sp.csr_matrix
    b_h: np.ndarray
    s_h: np.ndarray

    def value(self, y: np.ndarray) -> float:
        """``f(y)``."""
        return float(self.f0 + self.c @ y + 0.5 * y @ (self.Q @ y))


def lagrangian_bound(qp: ConvexQP, y: np.ndarray, row_scales: np.ndarray) -> float:
    """A proven lower bound on ``qp``'s optimal value from multipliers fitted at ``y``
    (module docstring); ``nan`` when Q cannot be factorized to :data:`SOLVE_RESIDUAL`
    (singular or nearly so) or the data are not finite.

    Parameters
    ----------
    row_scales
        Gradient scale of each row of ``[g; h]`` (rows of ``A_g`` first), which decides
        which rows are active at ``y`` (:data:`ACTIVE_SLACK`).
    """
    y = np.asarray(y, dtype=float)
    g_slack = qp.A_g @ y + qp.b_g - qp.s_g  # <= 0 on the relaxed set
    h_rows = qp.A_h @ y + qp.b_h
    gradient = qp.Q @ y + qp.c
    if not all(np.all(np.isfinite(v)) for v in (g_slack, h_rows, gradient)):
        return np.nan
    active = g_slack >= -ACTIVE_SLACK * row_scales[:g_slack.size]
    lam, mu = np.zeros(g_slack.size), np.zeros(h_rows.size)
    columns = sp.hstack([qp.A_g[active].T, qp.A_h.T]).tocsc()
    if columns.shape[1]:
        lower = np.concatenate([np.zeros(int(active.sum())), np.full(h_rows.size, -np.inf)])
        fit = lsq_linear(columns, -gradient, bounds=(lower, np.inf), method="trf",
                         lsq_solver="lsmr", tol=1e-14)
        lam[active] = np.maximum(fit.x[:int(active.sum())], 0.0)
        mu = fit.x[int(active.sum()):]
    residual = gradient + qp.A_g.T @ lam + qp.A_h.T @ mu
    try:
        z = splu(sp.csc_matrix(qp.Q)).solve(residual)
    except RuntimeError:  # exactly singular
        return np.nan
    if not np.all(np.isfinite(z)) or np.linalg.norm(qp.Q @ z - residual) > (
            SOLVE_RESIDUAL * np.linalg.norm(residual)):
        return np.nan
    curvature = float(residual @ z)
    if curvature < 0:  # Q not positive definite along the residual
        return np.nan
    lagrangian = qp.value(y) + lam @ g_slack + mu @ h_rows - np.abs(mu) @ qp.s_h
    return float(lagrangian - 0.5 * curvature - ROUNDOFF * _magnitude(qp, y, lam, mu,
                                                                        residual, z))


def _magnitude(qp: ConvexQP, y: np.ndarray, lam: np.ndarray, mu: np.ndarray,
               residual: np.ndarray, z: np.ndarray) -> float:
    """The sum of the magnitudes of every term the bound adds up: the bound is lowered by
    ``ROUNDOFF`` times it, so that cancellation in floating point cannot lift it above
    the optimum."""
    ay = np.abs(y)
    rows_g = abs(qp.A_g) @ ay + np.abs(qp.b_g) + qp.s_g
    rows_h = abs(qp.A_h) @ ay + np.abs(qp.b_h) + qp.s_h
    return float(abs(qp.f0) + np.abs(qp.c) @ ay + 0.5 * ay @ (abs(qp.Q) @ ay)
                 + np.abs(lam) @ rows_g + np.abs(mu) @ rows_h
                 + 0.5 * np.abs(residual) @ np.abs(z))
