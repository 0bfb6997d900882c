"""NieWangYe2017Ex61 (BOLIB v2 nonlinear example 88).

J. Nie, L. Wang, J.J. Ye: Bilevel polynomial programs and semidefinite relaxation methods.
SIAM Journal on Optimization 27(3), 1728-1757, 2017; Example 6.1.

    min_{x,y}  y1^3 (x1^2 - 3 x1 x2) - y1^2 y2 + y2 x2^3
               s.t.  -1 <= x <= 1,  y2 + y1 (1 - x1^2) >= 0,
    y solves   min_y  y1 y2^2 - y2^3 - y1^2 (x2 - x1^2)   s.t.  |y|^2 <= 1.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "J. Nie, L. Wang, J.J. Ye, Bilevel polynomial programs and semidefinite relaxation "
    "methods, SIAM Journal on Optimization 27(3), 1728-1757, 2017 (Example 6.1)."
)
NX, NY = 2, 2
X_BOUNDS = ([-1.0, -1.0], [1.0, 1.0])


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return (y[0] ** 3 * (x[0] ** 2 - 3 * x[0] * x[1]) - y[0] ** 2 * y[1]
            + y[1] * x[1] ** 3)


def G(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Upper-level constraints (``<= 0``)."""
    return [-y[1] - y[0] * (1 - x[0] ** 2)]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return y[0] * y[1] ** 2 - y[1] ** 3 - y[0] ** 2 * (x[1] - x[0] ** 2)


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``)."""
    return [ca.dot(y, y) - 1]
