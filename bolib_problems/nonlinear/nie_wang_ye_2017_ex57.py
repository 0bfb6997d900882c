"""NieWangYe2017Ex57 (BOLIB v2 nonlinear example 86).

J. Nie, L. Wang, J.J. Ye: Bilevel polynomial programs and semidefinite relaxation methods.
SIAM Journal on Optimization 27(3), 1728-1757, 2017; Example 5.7.

    min_{x,y}  x1^2 y1 / 2 + x2 y2^2 - (x1 + x2^2) y3
               s.t.  -1 <= x <= 1,  x1^2 + y1^2 + y2^2 <= x1 + x2,
    y solves   min_y  x2 (y1 y2 y3 + y2^2 - y3^3)   s.t.  |y|^2 <= x1,  2 y2 y3 <= 1.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "J. Nie, L. Wang, J.J. Ye, Bilevel polynomial programs and semidefinite relaxation "
    "methods, SIAM Journal on Optimization 27(3), 1728-1757, 2017 (Example 5.7)."
)
NX, NY = 2, 3
X_BOUNDS = ([-1.0, -1.0], [1.0, 1.0])


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return 0.5 * x[0] ** 2 * y[0] + x[1] * y[1] ** 2 - (x[0] + x[1] ** 2) * y[2]


def G(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Upper-level constraints (``<= 0``)."""
    return [x[0] ** 2 + y[0] ** 2 + y[1] ** 2 - x[0] - x[1]]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return x[1] * (y[0] * y[1] * y[2] + y[1] ** 2 - y[2] ** 3)


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``)."""
    return [ca.dot(y, y) - x[0], 2 * y[1] * y[2] - 1]
