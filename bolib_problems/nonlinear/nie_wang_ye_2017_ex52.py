"""NieWangYe2017Ex52 (BOLIB v2 nonlinear example 84).

J. Nie, L. Wang, J.J. Ye: Bilevel polynomial programs and semidefinite relaxation methods.
SIAM Journal on Optimization 27(3), 1728-1757, 2017; Example 5.2.

    min_{x,y}  x1 y1 + x2 y2 + x1 x2 y1 y2 y3   s.t.  -1 <= x <= 1,  y1 y2 <= x1^2,
    y solves   min_y  x1 y1^2 + x2^2 y2 y3 - y1 y3^2   s.t.  1 <= |y|^2 <= 2.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "J. Nie, L. Wang, J.J. Ye, Bilevel polynomial programs and semidefinite relaxation "
    "methods, SIAM Journal on Optimization 27(3), 1728-1757, 2017 (Example 5.2)."
)
NX, NY = 2, 3
X_BOUNDS = ([-1.0, -1.0], [1.0, 1.0])
NOTES = (
    "the recorded F* = -1.71 is rounded: at the recorded point F = -1.70944"
)


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return x[0] * y[0] + x[1] * y[1] + x[0] * x[1] * y[0] * y[1] * y[2]


def G(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Upper-level constraints (``<= 0``)."""
    return [y[0] * y[1] - x[0] ** 2]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return x[0] * y[0] ** 2 + x[1] ** 2 * y[1] * y[2] - y[0] * y[2] ** 2


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``)."""
    yy = ca.dot(y, y)
    return [1 - yy, yy - 2]
