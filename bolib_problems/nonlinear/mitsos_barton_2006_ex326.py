"""MitsosBarton2006Ex326 (BOLIB v2 nonlinear example 75).

A. Mitsos, P.I. Barton: A test set for bilevel programs. Technical report, Massachusetts
Institute of Technology, 2006; Example 3.26.

    min_{x,y}  x1 y1 + x2 y2^2 + x1 x2 y3^3
               s.t.  -1 <= x <= 1,  x1^2 >= 0.1,  1.5 <= |y|^2 <= 2.5,
    y solves   min_y  x1 y1^2 + x2 y2^2 + (x1 - x2) y3^2   s.t.  -1 <= y <= 1.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "A. Mitsos, P.I. Barton, A test set for bilevel programs, Technical report, "
    "Massachusetts Institute of Technology, 2006 (Example 3.26)."
)
NX, NY = 2, 3
X_BOUNDS = ([-1.0, -1.0], [1.0, 1.0])
Y_BOUNDS = ([-1.0, -1.0, -1.0], [1.0, 1.0, 1.0])
NOTES = (
    "the recorded F* = -2.354 is F at y3 = -1/sqrt(2) (F = -2 - 2^(-3/2) = -2.35355); the "
    "printed point has y3 = -0.707, where F = -2.35339"
)


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return x[0] * y[0] + x[1] * y[1] ** 2 + x[0] * x[1] * y[2] ** 3


def G(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Upper-level constraints (``<= 0``)."""
    yy = ca.dot(y, y)
    return [0.1 - x[0] ** 2, 1.5 - yy, yy - 2.5]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return x[0] * y[0] ** 2 + x[1] * y[1] ** 2 + (x[0] - x[1]) * y[2] ** 2
