"""MitsosBarton2006Ex325 (BOLIB v2 nonlinear example 74).

A. Mitsos, P.I. Barton: A test set for bilevel programs. Technical report, Massachusetts
Institute of Technology, 2006; Example 3.25.

    min_{x,y}  x1 y1 + x2 y1^2 - x1 x2 y3
               s.t.  -1 <= x <= 1,  0.1 y1 y2 <= x1^2,  x2 y1^2 <= 0,
    y solves   min_y  x1 y1^2 + x2 y2 y3
               s.t.  -1 <= y <= 1,  y1^2 <= y2 y3,  y2^2 y3 <= x1 y1,  y3^2 >= 0.1.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "A. Mitsos, P.I. Barton, A test set for bilevel programs, Technical report, "
    "Massachusetts Institute of Technology, 2006 (Example 3.25)."
)
NX, NY = 2, 3
X_BOUNDS = ([-1.0, -1.0], [1.0, 1.0])
Y_BOUNDS = ([-1.0, -1.0, -1.0], [1.0, 1.0, 1.0])


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return x[0] * y[0] + x[1] * y[0] ** 2 - x[0] * x[1] * y[2]


def G(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Upper-level constraints (``<= 0``)."""
    return [0.1 * y[0] * y[1] - x[0] ** 2, x[1] * y[0] ** 2]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return x[0] * y[0] ** 2 + x[1] * y[1] * y[2]


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``)."""
    return [
        y[0] ** 2 - y[1] * y[2],
        y[1] ** 2 * y[2] - y[0] * x[0],
        0.1 - y[2] ** 2,
    ]
