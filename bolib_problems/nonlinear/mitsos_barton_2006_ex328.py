"""MitsosBarton2006Ex328 (BOLIB v2 nonlinear example 77).

A. Mitsos, P.I. Barton: A test set for bilevel programs. Technical report, Massachusetts
Institute of Technology, 2006; Example 3.28.

    min_{x,y}  -|x|^2 - |y|^2
               s.t.  -1 <= x <= 1,  y1 y2 <= x1,  x1 + y3 <= exp(x2),  x2 y1^2 <= 0,
    y solves   min_y  y1^3 + (x1 + x2) y2^2 + 0.1 y3 + (y4^2 + y5^2) x3 x4 x5
               s.t.  -1 <= y <= 1,  y1 y2 <= 0.3,  x1 - 0.2 <= y3^2,
                     y4 y5 <= exp(y3) + 0.1,

with x, y in R^5.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "A. Mitsos, P.I. Barton, A test set for bilevel programs, Technical report, "
    "Massachusetts Institute of Technology, 2006 (Example 3.28)."
)
NX, NY = 5, 5
X_BOUNDS = ([-1.0] * NX, [1.0] * NX)
Y_BOUNDS = ([-1.0] * NY, [1.0] * NY)


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return -ca.dot(x, x) - ca.dot(y, y)


def G(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Upper-level constraints (``<= 0``)."""
    return [y[0] * y[1] - x[0], x[0] - ca.exp(x[1]) + y[2], x[1] * y[0] ** 2]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return (y[0] ** 3 + (x[0] + x[1]) * y[1] ** 2 + 0.1 * y[2]
            + (y[3] ** 2 + y[4] ** 2) * x[2] * x[3] * x[4])


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``)."""
    return [
        y[0] * y[1] - 0.3,
        x[0] - 0.2 - y[2] ** 2,
        y[3] * y[4] - ca.exp(y[2]) - 0.1,
    ]
