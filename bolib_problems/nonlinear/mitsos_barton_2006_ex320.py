"""MitsosBarton2006Ex320 (BOLIB v2 nonlinear example 69).

A. Mitsos, P.I. Barton: A test set for bilevel programs. Technical report, Massachusetts
Institute of Technology, 2006; Example 3.20.

    min_{x,y}  (x - 1/4)^2 + y^2   s.t.  -1 <= x <= 1,
    y solves   min_y  y^3 / 3 - x^2 y   s.t.  -1 <= y <= 1.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "A. Mitsos, P.I. Barton, A test set for bilevel programs, Technical report, "
    "Massachusetts Institute of Technology, 2006 (Example 3.20)."
)
NX, NY = 1, 1
X_BOUNDS = ([-1.0], [1.0])
Y_BOUNDS = ([-1.0], [1.0])


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return (x[0] - 0.25) ** 2 + y[0] ** 2


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return y[0] ** 3 / 3 - x[0] ** 2 * y[0]
