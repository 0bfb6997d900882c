"""MitsosBarton2006Ex317 (BOLIB v2 nonlinear example 66).

A. Mitsos, P.I. Barton: A test set for bilevel programs. Technical report, Massachusetts
Institute of Technology, 2006; Example 3.17.

    min_{x,y}  (x + 1/2)^2 + y^2 / 2   s.t.  -1 <= x <= 1,
    y solves   min_y  x y^2 / 2 + y^4 / 4   s.t.  -1 <= y <= 1.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "A. Mitsos, P.I. Barton, A test set for bilevel programs, Technical report, "
    "Massachusetts Institute of Technology, 2006 (Example 3.17)."
)
NX, NY = 1, 1
X_BOUNDS = ([-1.0], [1.0])
Y_BOUNDS = ([-1.0], [1.0])
NOTES = (
    "two global optima, (x, y) = (-0.25, 0.5) (the recorded point) and (-0.25, -0.5), both "
    "with F = 0.1875"
)


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return (x[0] + 0.5) ** 2 + y[0] ** 2 / 2


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return x[0] * y[0] ** 2 / 2 + y[0] ** 4 / 4
