"""Stationarity type (S, M, C, W) of an MPCC point (survey §7.4; Scheel and Scholtes 2000).

At a point ``z`` of the MPCC ``min f(z) s.t. g_lb <= g(z) <= g_ub, z_lb <= z <= z_ub,
0 <= z_a ⊥ z_b >= 0`` the index sets are (with ``a = u``, ``b = s = -g_LL``)::

    η = {i : a_i = 0 < b_i},   ν = {i : a_i > 0 = b_i},   μ = {i : a_i = 0 = b_i}.

W-stationarity is stationarity of the tightened NLP (TNLP) that fixes ``a_η = 0``,
``b_ν = 0`` and ``a_μ = b_μ = 0``. Its multipliers are computed by sparse least squares;
with ``σ_a, σ_b`` the multipliers of ``a >= 0``, ``b >= 0`` on μ, the point is

* S-stationary if ``σ_a, σ_b >= 0`` on μ,
* M-stationary if ``σ_a, σ_b > 0`` or ``σ_a σ_b = 0`` on μ,
* C-stationary if ``σ_a σ_b >= 0`` on μ,
* W-stationary otherwise.

With μ empty the four coincide (S). With μ non-empty the type is only decided when the
TNLP multipliers are unique (the active gradients are linearly independent, MPCC-LICQ);
otherwise the result is ``UNDECIDED``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import casadi as ca
import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import lsqr

from bilevel_mp.ir.derivatives import sparse_jacobian
from bilevel_mp.ir.nlp import MPCC
from bilevel_mp.ir.structure import to_csc
from bilevel_mp.status import Stationarity
from bilevel_mp.threads import blas_threads


@dataclass(frozen=True)
class StationarityReport:
    """Classification with the index-set sizes and the stationarity residual.

    The sizes are ``None`` when the index sets are not defined (a pair with both sides
    above the tolerance); ``message`` says why a point is ``UNDECIDED``."""

    kind: Stationarity
    n_eta: int | None
    n_nu: int | None
    n_mu: int | None
    residual: float
    message: str = ""


class StationarityClassifier:
    """Classifies points of one MPCC (derivative functions built once)."""

    def __init__(self, mpcc: MPCC, tol: float = 1e-6, max_dense_rank: int = 3000) -> None:
        self.mpcc = mpcc
        self.tol = tol
        self.max_dense_rank = max_dense_rank

    @cached_property
    def _derivatives(self) -> ca.Function:
        nlp = self.mpcc.nlp
        return ca.Function("mpcc_derivs", [nlp.z, nlp.p],
                           [ca.gradient(nlp.f, nlp.z), nlp.g, sparse_jacobian(nlp.g, nlp.z)])

    def classify(self, z: np.ndarray) -> StationarityReport:
        """Classify ``z`` (see the module docstring)."""
        mp, tol = self.mpcc, self.tol
        nlp = mp.nlp
        grad, gval, jac = self._derivatives(z, nlp.p_values)
        grad = np.asarray(grad, dtype=float).ravel()
        gval = np.asarray(gval, dtype=float).ravel()
        jac = to_csc(ca.DM(jac)).tocsr()
        scale = max(1.0, float(np.abs(grad).max(initial=0.0)))
        a, b = z[mp.pairs_a], z[mp.pairs_b]
        a0, b0 = np.abs(a) <= tol, np.abs(b) <= tol
        if np.any(~(a0 | b0)):
            worst = float(np.max(np.minimum(np.abs(a), np.abs(b))))
            return StationarityReport(
                Stationarity.UNDECIDED, None, None, None, np.nan,
                f"{int(np.sum(~(a0 | b0)))} complementarity pair(s) with both sides above "
                f"{tol:g} (largest min(|a|, |b|) = {worst:.3g}): the index sets are not "
                "defined")
        eta, nu, mu = a0 & ~b0, ~a0 & b0, a0 & b0
        fixed = np.zeros(nlp.nz, dtype=bool)
        fixed[mp.pairs_a[a0]] = True
        fixed[mp.pairs_b[b0]] = True
        at_lb = (np.abs(z - nlp.z_lb) <= tol) & ~fixed
        at_ub = (np.abs(z - nlp.z_ub) <= tol) & ~fixed
        pair_vars = np.zeros(nlp.nz, dtype=bool)
        pair_vars[mp.pairs_a] = pair_vars[mp.pairs_b] = True
        at_lb &= ~pair_vars
        at_ub &= ~pair_vars
        bounded = fixed | at_lb | at_ub
        row_eq = nlp.g_lb == nlp.g_ub
        row_lo = ~row_eq & (np.abs(gval - nlp.g_lb) <= tol)
        row_hi = ~row_eq & (np.abs(gval - nlp.g_ub) <= tol)
        rows = np.flatnonzero(row_eq | row_lo | row_hi)
        free = ~bounded
        j_active = jac[rows]
        # minimize || grad_F + J_F' lam ||: the bound multipliers absorb the other columns
        if rows.size:
            with blas_threads(1):  # LSQR's vector norms (see bilevel_mp.threads)
                sol = lsqr(j_active[:, free].T, -grad[free], atol=1e-14, btol=1e-14,
                           iter_lim=20 * (rows.size + 10))
            lam = sol[0]
        else:
            lam = np.zeros(0)
        full = grad + (j_active.T @ lam if rows.size else 0.0)
        residual = float(np.abs(full[free]).max(initial=0.0)) / scale
        lam_z = -full  # CasADi sign: f + lam_g'g + lam_z'z, stationarity grad + ... = 0
        signs_ok = (
            np.all(lam_z[at_lb] <= tol * scale) and np.all(lam_z[at_ub] >= -tol * scale)
            and np.all(_row_signs(lam, row_lo[rows], row_hi[rows], tol * scale))
        )
        counts = (int(eta.sum()), int(nu.sum()), int(mu.sum()))
        if residual > 1e3 * tol or not signs_ok:
            return StationarityReport(Stationarity.UNDECIDED, *counts, residual,
                                      "no TNLP multipliers found (not W-stationary to "
                                      "tolerance, or multipliers not unique)")
        if not mu.any():
            return StationarityReport(Stationarity.S, *counts, residual)
        if rows.size and not self._unique(j_active[:, free]):
            return StationarityReport(Stationarity.UNDECIDED, *counts, residual,
                                      "biactive pairs and non-unique multipliers")
        sa = -lam_z[mp.pairs_a[mu]]
        sb = -lam_z[mp.pairs_b[mu]]
        return StationarityReport(_kind(sa, sb, tol * scale), *counts, residual)

    def _unique(self, j_free: sp.csr_matrix) -> bool:
        if j_free.shape[0] > self.max_dense_rank:
            return False
        return np.linalg.matrix_rank(j_free.toarray()) == j_free.shape[0]


def _row_signs(lam: np.ndarray, lo: np.ndarray, hi: np.ndarray, tol: float) -> np.ndarray:
    """Active lower-bounded rows need ``lam <= 0``, upper-bounded ``lam >= 0``."""
    return np.where(lo, lam <= tol, True) & np.where(hi, lam >= -tol, True)


def _kind(sa: np.ndarray, sb: np.ndarray, tol: float) -> Stationarity:
    if np.all(sa >= -tol) and np.all(sb >= -tol):
        return Stationarity.S
    both_pos = (sa > tol) & (sb > tol)
    one_zero = (np.abs(sa) <= tol) | (np.abs(sb) <= tol)
    if np.all(both_pos | one_zero):
        return Stationarity.M
    if np.all(sa * sb >= -tol):
        return Stationarity.C
    return Stationarity.W
