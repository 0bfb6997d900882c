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
        structurally or numerically singular (SuperLU's "exactly singular", or its
        ``MatrixRankWarning``), or ``d`` is not finite.
    """
    csc = sp.csc_matrix(matrix)
    rhs = np.asarray(rhs, dtype=float)
    n = csc.shape[0]
    if csc.shape != (n, n) or not (np.all(np.isfinite(csc.data)) and np.all(np.isfinite(rhs))):
        return None
    if n and structural_rank(csc) < n:
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            solution = spla.splu(csc).solve(rhs)
    except (RuntimeError, spla.MatrixRankWarning):
        return None
    return solution if np.all(np.isfinite(solution)) else None
