"""NieWangYe2017Ex54 (BOLIB v2 nonlinear example 85).

J. Nie, L. Wang, J.J. Ye: Bilevel polynomial programs and semidefinite relaxation methods.
SIAM Journal on Optimization 27(3), 1728-1757, 2017; Example 5.4.

    min_{x,y}  x1^2 y1 + x2 y2 + x3 y3^2 + x4 y4^2
               s.t.  |x|^2 <= 1,  y1 y2 <= x1,  y3 y4 <= x3^2,
    y solves   min_y  y1^2 - y2 (x1 + x2) - (y3 + y4)(x3 + x4)
               s.t.  |y|^2 <= 1,  y2^2 + y3^2 + y4^2 <= y1,

with x, y in R^4.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "J. Nie, L. Wang, J.J. Ye, Bilevel polynomial programs and semidefinite relaxation "
    "methods, SIAM Journal on Optimization 27(3), 1728-1757, 2017 (Example 5.4)."
)
NX, NY = 4, 4
NOTES = (
    "the recorded f* = -1.19 is rounded: at the recorded (rounded) point f = -1.19038, "
    "with a constraint violation of 5e-5"
)


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return x[0] ** 2 * y[0] + x[1] * y[1] + x[2] * y[2] ** 2 + x[3] * y[3] ** 2


def G(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Upper-level constraints (``<= 0``)."""
    return [ca.dot(x, x) - 1, y[0] * y[1] - x[0], y[2] * y[3] - x[2] ** 2]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return y[0] ** 2 - y[1] * (x[0] + x[1]) - (y[2] + y[3]) * (x[2] + x[3])


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``)."""
    yy = ca.dot(y, y)
    return [yy - 1, yy - y[0] ** 2 - y[0]]
