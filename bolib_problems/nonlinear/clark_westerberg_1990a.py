"""ClarkWesterberg1990a (BOLIB v2 nonlinear example 13).

P.A. Clark, A.W. Westerberg: Bilevel programming for steady-state chemical process
design - I. Fundamentals and algorithms. Computers & Chemical Engineering 14(1), 87-97,
1990.

    min_{x,y}  (x - 3)^2 + (y - 2)^2   s.t.  0 <= x <= 8,
    y solves   min_y  (y - 5)^2  s.t.  -2x + y <= 1,  x - 2y <= -2,  x + 2y <= 14.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "P.A. Clark, A.W. Westerberg, Bilevel programming for steady-state chemical process "
    "design - I. Fundamentals and algorithms, Computers & Chemical Engineering 14(1), "
    "87-97, 1990."
)
NX, NY = 1, 1
X_BOUNDS = ([0.0], [8.0])


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return (x[0] - 3) ** 2 + (y[0] - 2) ** 2


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return (y[0] - 5) ** 2


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``)."""
    return [-2 * x[0] + y[0] - 1, x[0] - 2 * y[0] + 2, x[0] + 2 * y[0] - 14]
