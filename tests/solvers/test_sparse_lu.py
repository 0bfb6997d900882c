"""The guarded sparse LU solve: SuperLU is never handed a matrix it crashes on."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from bilevel_mp.solvers.sparse_lu import lu_solve

# Trust seed 296: a semismooth Newton element of the LLVF system (16 × 16, structural
# rank 12: columns 1, 3, 4 and 11 have entries only in row 0). SciPy 1.17's SuperLU ends
# the process on it with a segmentation fault.
SEED_296 = [
    (0, 0, 1.0), (1, 0, 1.5), (2, 0, -1.5), (3, 0, 1.5), (4, 0, -1.5), (10, 0, -1.0),
    (11, 0, 1.0), (0, 1, 1.5), (0, 2, -1.5), (2, 2, 3.0), (0, 3, -1.5), (0, 4, 1.5),
    (1, 5, -1.0), (5, 5, -1.0), (1, 6, 1.0), (6, 6, -1.0), (2, 7, -1.0), (7, 7, -1.0),
    (2, 8, 1.0), (8, 8, -1.0), (9, 9, -1.0), (0, 10, -1.0), (0, 11, 1.0), (3, 12, -1.0),
    (12, 12, -1.0), (3, 13, 1.0), (13, 13, -1.0), (4, 14, -1.0), (14, 14, -1.0),
    (4, 15, 1.0), (15, 15, -1.0)]


def _matrix(entries, n):
    rows, cols, vals = zip(*entries, strict=True)
    return sp.csc_matrix((vals, (rows, cols)), shape=(n, n))


def test_structurally_singular_newton_element_is_refused_not_a_crash():
    matrix = _matrix(SEED_296, 16)
    assert np.linalg.matrix_rank(matrix.toarray()) == 12  # the independent fact
    assert lu_solve(matrix, np.ones(16)) is None


def test_numerically_singular_and_non_finite_systems_are_refused():
    singular = sp.csc_matrix(np.array([[1.0, 2.0], [2.0, 4.0]]))
    assert lu_solve(singular, np.ones(2)) is None
    assert lu_solve(sp.csc_matrix(np.array([[np.inf, 0.0], [0.0, 1.0]])), np.ones(2)) is None
    assert lu_solve(sp.identity(2, format="csc"), np.array([1.0, np.nan])) is None
    assert lu_solve(sp.csc_matrix(np.ones((2, 3))), np.ones(2)) is None


def test_regular_system_matches_a_dense_solve():
    rng = np.random.default_rng(0)
    dense = rng.normal(size=(30, 30)) * (rng.random((30, 30)) < 0.2) + 5 * np.eye(30)
    rhs = rng.normal(size=30)
    assert np.allclose(lu_solve(sp.csc_matrix(dense), rhs), np.linalg.solve(dense, rhs),
                       rtol=1e-12, atol=1e-12)
