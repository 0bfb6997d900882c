"""Bard1991Ex1 (BOLIB v2 nonlinear example 7).

J.F. Bard: Some properties of the bilevel programming problem. Journal of Optimization
Theory and Applications 68(2), 371-378, 1991; Example 1.

    min_{x,y}  x + y2   s.t.  2 <= x <= 4,
    y solves   min_y  2y1 + x y2   s.t.  x - y1 - y2 + 4 <= 0,  y >= 0.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "J.F. Bard, Some properties of the bilevel programming problem, Journal of Optimization "
    "Theory and Applications 68(2), 371-378, 1991 (Example 1)."
)
NX, NY = 1, 2
X_BOUNDS = ([2.0], [4.0])
Y_BOUNDS = ([0.0, 0.0], [None, None])


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return x[0] + y[1]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return 2 * y[0] + x[0] * y[1]


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``)."""
    return [x[0] - y[0] - y[1] + 4]
