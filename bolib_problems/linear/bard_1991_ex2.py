"""Bard1991Ex2 (BOLIB v2 linear example 142).

J.F. Bard: Some properties of the bilevel programming problem. Journal of Optimization
Theory and Applications 68(2), 371-378, 1991.

    min_{x,y}  -x + 10 y1 - y2   s.t.  x >= 0,
    y solves   min_y  -y1 - y2  s.t.  x + y1 <= 1,  x + y2 <= 1,  y1 + y2 <= 1,  y >= 0.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "J.F. Bard, Some properties of the bilevel programming problem, Journal of Optimization "
    "Theory and Applications 68(2), 371-378, 1991."
)
NX, NY = 1, 2
X_BOUNDS = ([0.0], [None])
Y_BOUNDS = ([0.0, 0.0], [None, None])


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return -x[0] + 10 * y[0] - y[1]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return -y[0] - y[1]


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``)."""
    return [x[0] + y[0] - 1, x[0] + y[1] - 1, y[0] + y[1] - 1]
