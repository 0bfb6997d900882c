"""MitsosBarton2006Ex316 (BOLIB v2 nonlinear example 65).

A. Mitsos, P.I. Barton: A test set for bilevel programs. Technical report, Massachusetts
Institute of Technology, 2006; Example 3.16.

    min_{x,y}  2x + y   s.t.  -1 <= x <= 1,
    y solves   min_y  -x y^2 / 2 - y^4 / 4   s.t.  -1 <= y <= 1.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "A. Mitsos, P.I. Barton, A test set for bilevel programs, Technical report, "
    "Massachusetts Institute of Technology, 2006 (Example 3.16)."
)
NX, NY = 1, 1
X_BOUNDS = ([-1.0], [1.0])
Y_BOUNDS = ([-1.0], [1.0])
NOTES = (
    "the catalogue names two global optima, (x, y) = (-1, 0) (the recorded point) and "
    "(-0.5, -1), both with F = -2"
)


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return 2 * x[0] + y[0]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return -x[0] * y[0] ** 2 / 2 - y[0] ** 4 / 4
