"""One guarded sparse LU solve for the Newton, Levenberg–Marquardt and hypergradient code.

SciPy's SuperLU (``scipy.sparse.linalg.splu``) ends the process with a segmentation fault,
instead of raising, on a matrix with a non-finite entry (TollSettingP2's value-function
system where a term overflows) and on some structurally singular matrices (trust seed 296:
a 16 × 16 semismooth Newton element of the LLVF system with structural rank 12, SciPy
1.17). Both are detected before SuperLU sees the matrix: the structural rank is a maximum
bipartite matching (``scipy.sparse.csgraph.structural_rank``), cheap next to the
factorization.
"""

from __future__ import annotations

import warnings

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla
from scipy.sparse.csgraph import structural_rank


class Factorization:
    """A sparse LU factorization of a square matrix (SuperLU), for several solves.

    Made by :func:`lu_factor`, which guards SuperLU against the matrices that crash it.
    """

    def __init__(self, matrix: sp.csc_matrix, lu: spla.SuperLU) -> None:
        self.matrix = matrix
        self.lu = lu

    def solve(self, rhs: np.ndarray, transpose: bool = False) -> np.ndarray:
        """``matrix⁻¹ rhs`` (``matrix⁻ᵀ rhs`` with ``transpose``); ``rhs`` a vector or a
        dense matrix of right-hand sides."""
        return self.lu.solve(np.asarray(rhs, dtype=float), trans="T" if transpose else "N")

    def condition(self) -> float:
        """Estimate of the 1-norm condition number ``‖A‖₁ ‖A⁻¹‖₁``: ``‖A⁻¹‖₁`` by Higham
        and Tisseur's block estimator (``scipy.sparse.linalg.onenormest``, a few solves
        with ``A`` and ``Aᵀ``); ``inf`` when a solve is not finite."""
        n = self.matrix.shape[0]
        if n == 0:
            return 1.0
        inverse = spla.LinearOperator((n, n), matvec=self.solve, dtype=float,
                                      rmatvec=lambda b: self.solve(b, transpose=True))
        with np.errstate(all="ignore"):
            norm_inverse = spla.onenormest(inverse)
        norm = spla.norm(self.matrix, 1)
        value = float(norm * norm_inverse)
        return value if np.isfinite(value) else float("inf")


def lu_factor(matrix: sp.spmatrix) -> Factorization | None:
    """The sparse LU factorization of a square matrix, or ``None``.

    ``None`` when the matrix holds a non-finite entry or is structurally or numerically
    singular (SuperLU's "exactly singular", or its ``MatrixRankWarning``). A matrix that is
    singular only up to rounding passes: :meth:`Factorization.condition` tells.
    """
    csc = sp.csc_matrix(matrix)
    n = csc.shape[0]
    if csc.shape != (n, n) or not np.all(np.isfinite(csc.data)):
        return None
    if n and structural_rank(csc) < n:
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            return Factorization(csc, spla.splu(csc))
    except (RuntimeError, spla.MatrixRankWarning):
        return None


def lu_solve(matrix: sp.spmatrix, rhs: np.ndarray) -> np.ndarray | None:
    """Solution ``d`` of ``matrix @ d = rhs`` by sparse LU.

    Parameters
    ----------
    matrix
        A square sparse matrix.
    rhs
        The right-hand side.

    Returns
    -------
    numpy.ndarray or None
        ``d``; ``None`` when the matrix or ``rhs`` holds a non-finite entry, the matrix is
        structurally or numerically singular (see :func:`lu_factor`), or ``d`` is not
        finite.
    """
    rhs = np.asarray(rhs, dtype=float)
    if not np.all(np.isfinite(rhs)):
        return None
    factorization = lu_factor(matrix)
    if factorization is None:
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            solution = factorization.solve(rhs)
    except (RuntimeError, spla.MatrixRankWarning):
        return None
    return solution if np.all(np.isfinite(solution)) else None
