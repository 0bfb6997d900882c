"""MitsosBarton2006Ex318 (BOLIB v2 nonlinear example 67).

A. Mitsos, P.I. Barton: A test set for bilevel programs. Technical report, Massachusetts
Institute of Technology, 2006; Example 3.18.

    min_{x,y}  -x^2 + y^2   s.t.  -1 <= x <= 1,
    y solves   min_y  x y^2 - y^4 / 2   s.t.  -1 <= y <= 1.

BOLIB records F* = -1/4 at (x, y) = (0.5, 0). For the problem as BOLIB states it (checked
against BOLIB's own file), (1, 0) is bilevel feasible with F = -1: at x = 1 the follower
minimizes y^2 - y^4/2 over [-1, 1], whose values are 0 at y = 0 and 1/2 at y = ±1 (the
only other stationary points), so y = 0 is its unique optimum. The record is not the
optimum of this problem; the methods that find (1, 0) report an improvement on it.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "A. Mitsos, P.I. Barton, A test set for bilevel programs, Technical report, "
    "Massachusetts Institute of Technology, 2006 (Example 3.18)."
)
NX, NY = 1, 1
X_BOUNDS = ([-1.0], [1.0])
Y_BOUNDS = ([-1.0], [1.0])


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return -x[0] ** 2 + y[0] ** 2


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return x[0] * y[0] ** 2 - y[0] ** 4 / 2
