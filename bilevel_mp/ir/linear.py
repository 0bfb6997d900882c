"""Exact extraction of affine (and quadratic) data from CasADi expressions."""

from __future__ import annotations

from dataclasses import dataclass

import casadi as ca
import numpy as np
import scipy.sparse as sp

from bilevel_mp.ir.derivatives import sparse_jacobian
from bilevel_mp.ir.structure import to_csc


@dataclass(frozen=True)
class Affine:
    """``expr(z) = A z + b`` for a column ``expr`` affine in ``z``."""

    A: sp.csr_matrix
    b: np.ndarray

    @property
    def rows(self) -> int:
        """Number of rows."""
        return self.A.shape[0]

    def __call__(self, z: np.ndarray) -> np.ndarray:
        """Evaluate at ``z``."""
        return self.A @ z + self.b


def affine(expr: ca.SX, z: ca.SX, p: ca.SX, p_values: np.ndarray) -> Affine:
    """Coefficients of ``expr`` (affine in ``z``; parameters fixed at ``p_values``).

    The Jacobian of an affine expression is constant and its value at 0 is the offset,
    so both are read off exactly (no finite differences).
    """
    fn = ca.Function("affine_data", [z, p], [sparse_jacobian(expr, z), expr])
    jac, offset = fn(np.zeros(z.numel()), p_values)
    return Affine(to_csc(ca.DM(jac)).tocsr(), np.asarray(offset, dtype=float).ravel())


def is_affine(expr: ca.SX, z: ca.SX) -> bool:
    """Whether every entry of ``expr`` is affine in ``z``."""
    return expr.numel() == 0 or bool(ca.is_linear(expr, z))


def quadratic(expr: ca.SX, z: ca.SX, p: ca.SX, p_values: np.ndarray
              ) -> tuple[sp.csc_matrix, np.ndarray, float]:
    """``expr(z) = ½ z'Qz + c'z + k`` for a scalar quadratic ``expr``: returns Q, c, k."""
    hess, grad = ca.hessian(expr, z)
    fn = ca.Function("quadratic_data", [z, p], [hess, grad, expr])
    q, c, k = fn(np.zeros(z.numel()), p_values)
    return to_csc(ca.DM(q)), np.asarray(c, dtype=float).ravel(), float(k)


def row_maxima(A: sp.spmatrix) -> np.ndarray:
    """Largest absolute coefficient of each row of ``A`` (0 for a row without one)."""
    A = sp.csr_matrix(A)
    if A.shape[0] == 0:
        return np.zeros(0)
    return np.asarray(abs(A).max(axis=1).todense()).ravel()


def row_units(A: sp.spmatrix) -> np.ndarray:
    """:func:`row_maxima` with 1 for a row without a coefficient: the divisors that put
    each row at unit scale."""
    top = row_maxima(A)
    return np.where(top > 0, top, 1.0)
