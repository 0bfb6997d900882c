"""MitsosBarton2006Ex315 (BOLIB v2 nonlinear example 64).

A. Mitsos, P.I. Barton: A test set for bilevel programs. Technical report, Massachusetts
Institute of Technology, 2006; Example 3.15.

    min_{x,y}  x + y   s.t.  -1 <= x <= 1,
    y solves   min_y  x y^2 / 2 - y^3 / 3   s.t.  -1 <= y <= 1.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "A. Mitsos, P.I. Barton, A test set for bilevel programs, Technical report, "
    "Massachusetts Institute of Technology, 2006 (Example 3.15)."
)
NX, NY = 1, 1
NOTES = "recorded f* = -0.83 is f at the recorded point, -5/6, to two digits"
X_BOUNDS = ([-1.0], [1.0])
Y_BOUNDS = ([-1.0], [1.0])


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return x[0] + y[0]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return x[0] * y[0] ** 2 / 2 - y[0] ** 3 / 3
