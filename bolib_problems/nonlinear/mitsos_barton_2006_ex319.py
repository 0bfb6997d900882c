"""MitsosBarton2006Ex319 (BOLIB v2 nonlinear example 68).

A. Mitsos, P.I. Barton: A test set for bilevel programs. Technical report, Massachusetts
Institute of Technology, 2006; Example 3.19.

    min_{x,y}  (x - 1 + y/2) y   s.t.  -1 <= x <= 1,
    y solves   min_y  (-x + y^2 / 2) y^2   s.t.  -1 <= y <= 1.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "A. Mitsos, P.I. Barton, A test set for bilevel programs, Technical report, "
    "Massachusetts Institute of Technology, 2006 (Example 3.19)."
)
NX, NY = 1, 1
X_BOUNDS = ([-1.0], [1.0])
Y_BOUNDS = ([-1.0], [1.0])


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return (x[0] - 1 + y[0] / 2) * y[0]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return (-x[0] + y[0] ** 2 / 2) * y[0] ** 2
