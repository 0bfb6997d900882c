"""NieWangYe2017Ex34 (BOLIB v2 nonlinear example 83).

J. Nie, L. Wang, J.J. Ye: Bilevel polynomial programs and semidefinite relaxation methods.
SIAM Journal on Optimization 27(3), 1728-1757, 2017; Example 3.4.

    min_{x,y}  x + y1 + y2   s.t.  2 <= x <= 3,
    y solves   min_y  x (y1 + y2)   s.t.  y2^2 - y1^2 + (y1^2 + y2^2)^2 <= 0,  y1 >= 0.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "J. Nie, L. Wang, J.J. Ye, Bilevel polynomial programs and semidefinite relaxation "
    "methods, SIAM Journal on Optimization 27(3), 1728-1757, 2017 (Example 3.4)."
)
NX, NY = 1, 2
X_BOUNDS = ([2.0], [3.0])
Y_BOUNDS = ([0.0, None], [None, None])


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return x[0] + y[0] + y[1]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return x[0] * (y[0] + y[1])


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``)."""
    return [y[1] ** 2 - y[0] ** 2 + (y[0] ** 2 + y[1] ** 2) ** 2]
