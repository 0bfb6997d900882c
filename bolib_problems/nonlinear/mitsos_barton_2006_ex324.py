"""MitsosBarton2006Ex324 (BOLIB v2 nonlinear example 73).

A. Mitsos, P.I. Barton: A test set for bilevel programs. Technical report, Massachusetts
Institute of Technology, 2006; Example 3.24.

    min_{x,y}  x^2 - y   s.t.  0 <= x <= 1,
    y solves   min_y  ((y - 1 - 0.1 x)^2 - 0.5 - 0.5 x)^2   s.t.  0 <= y <= 3.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "A. Mitsos, P.I. Barton, A test set for bilevel programs, Technical report, "
    "Massachusetts Institute of Technology, 2006 (Example 3.24)."
)
NX, NY = 1, 1
NOTES = ("recorded F* = -1.755 and f* = 0 are the values at the recorded point "
         "(-1.75465, 1.2e-8) to the digits printed")
X_BOUNDS = ([0.0], [1.0])
Y_BOUNDS = ([0.0], [3.0])


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return x[0] ** 2 - y[0]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return ((y[0] - 1 - 0.1 * x[0]) ** 2 - 0.5 - 0.5 * x[0]) ** 2
