"""GumusFloudas2001Ex3 (BOLIB v2 nonlinear example 34).

Z.H. Gumus, C.A. Floudas: Global optimization of nonlinear bilevel programming problems.
Journal of Global Optimization 20, 1-31, 2001; Example 3.

    min_{x,y}  -8x1 - 4x2 + 4y1 - 40y2 - 4y3   s.t.  0 <= x <= 2,
    y solves   min_y  (1 + x1 + x2 + 2y1 - y2 + y3) / (6 + 2x1 + y1 + y2 - 3y3)
               s.t.   -y1 + y2 + y3 <= 1,
                      2x1 - y1 + 2y2 - y3/2 <= 1,
                      2x2 + 2y1 - y2 - y3/2 <= 1,
                      0 <= y <= 2.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "Z.H. Gumus, C.A. Floudas, Global optimization of nonlinear bilevel programming "
    "problems, Journal of Global Optimization 20, 1-31, 2001 (Example 3)."
)
NX, NY = 2, 3
NOTES = "recorded f* = 0.31 is f at the recorded point, 17/54 = 0.314815, to two digits"
X_BOUNDS = ([0.0, 0.0], [2.0, 2.0])
Y_BOUNDS = ([0.0, 0.0, 0.0], [2.0, 2.0, 2.0])


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return -8 * x[0] - 4 * x[1] + 4 * y[0] - 40 * y[1] - 4 * y[2]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective (a ratio of affine functions)."""
    num = 1 + x[0] + x[1] + 2 * y[0] - y[1] + y[2]
    den = 6 + 2 * x[0] + y[0] + y[1] - 3 * y[2]
    return num / den


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``)."""
    return [
        -y[0] + y[1] + y[2] - 1,
        2 * x[0] - y[0] + 2 * y[1] - 0.5 * y[2] - 1,
        2 * x[1] + 2 * y[0] - y[1] - 0.5 * y[2] - 1,
    ]
