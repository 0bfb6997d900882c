"""MitsosBarton2006Ex39 (BOLIB v2 nonlinear example 58).

A. Mitsos, P.I. Barton: A test set for bilevel programs. Technical report, Massachusetts
Institute of Technology, 2006; Example 3.9.

    min_{x,y}  x   s.t.  -10 <= x <= 10,  y <= x,
    y solves   min_y  y^3   s.t.  -1 <= y <= 1.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "A. Mitsos, P.I. Barton, A test set for bilevel programs, Technical report, "
    "Massachusetts Institute of Technology, 2006 (Example 3.9)."
)
NX, NY = 1, 1
X_BOUNDS = ([-10.0], [10.0])
Y_BOUNDS = ([-1.0], [1.0])


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return x[0]


def G(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Upper-level constraints (``<= 0``)."""
    return [y[0] - x[0]]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return y[0] ** 3
