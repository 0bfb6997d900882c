"""NieWangYe2017Ex58 (BOLIB v2 nonlinear example 87).

J. Nie, L. Wang, J.J. Ye: Bilevel polynomial programs and semidefinite relaxation methods.
SIAM Journal on Optimization 27(3), 1728-1757, 2017; Example 5.8.

    min_{x,y}  (x1 + x2 + x3 + x4)(y1 + y2 + y3 + y4)
               s.t.  |x|^2 <= 1,  y3^2 <= x4,  y2 y4 <= x1,
    y solves   min_y  x1 y1 + x2 y2 + 0.1 y3 + 0.5 y4 - y3 y4
               s.t.  y1^2 + 2 y2^2 + 3 y3^2 + 4 y4^2 <= x1^2 + x3^2 + x2 + x4,
                     y2 y3 <= y1 y4,

with x, y in R^4.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "J. Nie, L. Wang, J.J. Ye, Bilevel polynomial programs and semidefinite relaxation "
    "methods, SIAM Journal on Optimization 27(3), 1728-1757, 2017 (Example 5.8)."
)
NX, NY = 4, 4
_WEIGHTS = (1.0, 2.0, 3.0, 4.0)


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return ca.sum1(x) * ca.sum1(y)


def G(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Upper-level constraints (``<= 0``)."""
    return [ca.dot(x, x) - 1, y[2] ** 2 - x[3], y[1] * y[3] - x[0]]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return x[0] * y[0] + x[1] * y[1] + 0.1 * y[2] + 0.5 * y[3] - y[2] * y[3]


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``)."""
    weighted = sum(w * y[i] ** 2 for i, w in enumerate(_WEIGHTS))
    return [
        weighted - x[0] ** 2 - x[2] ** 2 - x[1] - x[3],
        y[1] * y[2] - y[0] * y[3],
    ]
