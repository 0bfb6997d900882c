"""GlackinEtal2009 (BOLIB v2 linear example 151).

J. Glackin, J.G. Ecker, M. Kupferschmid: Solving bilevel linear programs using multiple
objective linear programming. Journal of Optimization Theory and Applications 140(2),
197-212, 2009.

    min_{x,y}  -2 x1 + 4 x2 + 3y   s.t.  x1 - x2 <= -1,  x >= 0,
    y solves   min_y  -y  s.t.  x1 + x2 + y <= 4,  2 x1 + 2 x2 + y <= 6,  y >= 0.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "J. Glackin, J.G. Ecker, M. Kupferschmid, Solving bilevel linear programs using "
    "multiple objective linear programming, Journal of Optimization Theory and "
    "Applications 140(2), 197-212, 2009."
)
NX, NY = 2, 1
X_BOUNDS = ([0.0, 0.0], [None, None])
Y_BOUNDS = ([0.0], [None])


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return -2 * x[0] + 4 * x[1] + 3 * y[0]


def G(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Upper-level constraints (``<= 0``)."""
    return [x[0] - x[1] + 1]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return -y[0]


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``)."""
    return [x[0] + x[1] + y[0] - 4, 2 * x[0] + 2 * x[1] + y[0] - 6]
