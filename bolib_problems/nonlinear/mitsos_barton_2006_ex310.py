"""MitsosBarton2006Ex310 (BOLIB v2 nonlinear example 59).

A. Mitsos, P.I. Barton: A test set for bilevel programs. Technical report, Massachusetts
Institute of Technology, 2006; Example 3.10.

    min_{x,y}  y   s.t.  0.1 <= x <= 1,
    y solves   min_y  x (16 y^4 + 2 y^3 - 8 y^2 - 1.5 y + 0.5)   s.t.  -1 <= y <= 1.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "A. Mitsos, P.I. Barton, A test set for bilevel programs, Technical report, "
    "Massachusetts Institute of Technology, 2006 (Example 3.10)."
)
NX, NY = 1, 1
X_BOUNDS = ([0.1], [1.0])
Y_BOUNDS = ([-1.0], [1.0])
NOTES = (
    "every x in [0.1, 1] with y = 0.5 gives F = 0.5; the recorded f* = -0.1 is that of x = "
    "0.1, the recorded point"
)


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return y[0]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return x[0] * (16 * y[0] ** 4 + 2 * y[0] ** 3 - 8 * y[0] ** 2 - 1.5 * y[0] + 0.5)
