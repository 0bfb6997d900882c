"""ShehuEtal2019Ex42 (BOLIB v2 simple example 173).

Y. Shehu, P.T. Vuong, A.B. Zemkoho: An inertial extrapolation method for convex simple
bilevel optimization. Optimization Methods and Software, 2019; Example 4.2.

    min_y  y'Qy / 2,
    y solves  min_y  |A y - b|_2^2 / 2 + mu |y|_1,

with y in R^10, no constraints, and random data generated as BOLIB does for ny = 10:
Q = P P'/ny with P an ny x ny standard normal matrix, A a ceil(ny/2) x ny standard normal
matrix, mu = 1e-3, and b = A s + 0.01 z with z standard normal and s a sparse vector with
floor(0.05 ny) nonzero entries; for ny = 10 that is none, so b = 0.01 z. The lower level
is convex but nonsmooth.
"""

from __future__ import annotations

import casadi as ca
import numpy as np

SOURCE = (
    "Y. Shehu, P.T. Vuong, A.B. Zemkoho, An inertial extrapolation method for convex simple "
    "bilevel optimization, Optimization Methods and Software, 2019 (Example 4.2)."
)
NX, NY = 0, 10
_ROWS, _MU, _NOISE, _SEED = 5, 1e-3, 0.01, 1
FIXED_PARAMETERS: dict[str, object] = {
    "ny": NY, "rows": _ROWS, "mu": _MU, "noise": _NOISE, "seed": _SEED,
    "generator": "numpy.random.RandomState",
}
NOTES = (
    "BOLIB draws the data with MATLAB's rng(1); MATLAB's normal generator cannot be "
    "reproduced here, so the data are drawn by the same recipe from NumPy's "
    "RandomState(1) (fixed_parameters) and differ from BOLIB's numbers; no optimum is "
    "recorded for either"
)


def _data() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``Q, A, b`` drawn in the order P, A, z."""
    rng = np.random.RandomState(_SEED)
    p = rng.standard_normal((NY, NY))
    a = rng.standard_normal((_ROWS, NY))
    b = _NOISE * rng.standard_normal(_ROWS)
    return p @ p.T / NY, a, b


_Q, _A, _b = _data()


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return 0.5 * ca.dot(y, ca.mtimes(ca.DM(_Q), y))


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective (nonsmooth: the 1-norm)."""
    residual = ca.mtimes(ca.DM(_A), y) - ca.DM(_b)
    return 0.5 * ca.sumsqr(residual) + _MU * ca.sum1(ca.fabs(y))
