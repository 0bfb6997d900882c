"""KleniatiAdjiman2014Ex3 (BOLIB v2 nonlinear example 41).

P.M. Kleniati, C.S. Adjiman: Branch-and-Sandwich: a deterministic global optimization
algorithm for optimistic bilevel programming problems. Part II: Convergence analysis and
numerical results. Journal of Global Optimization 60, 459-481, 2014; Example 3.

    min_{x,y}  x - y   s.t.  -1 <= x <= 1,
    y solves   min_y  x y^2 / 2 - x y^3  s.t.  -1 <= y <= 1.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "P.M. Kleniati, C.S. Adjiman, Branch-and-Sandwich: a deterministic global optimization "
    "algorithm for optimistic bilevel programming problems. Part II: Convergence analysis "
    "and numerical results, Journal of Global Optimization 60, 459-481, 2014 (Example 3)."
)
NX, NY = 1, 1
X_BOUNDS = ([-1.0], [1.0])
Y_BOUNDS = ([-1.0], [1.0])


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return x[0] - y[0]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective (cubic in y, non-convex)."""
    return 0.5 * x[0] * y[0] ** 2 - x[0] * y[0] ** 3
