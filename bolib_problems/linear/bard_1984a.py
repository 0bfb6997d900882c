"""Bard1984a (BOLIB v2 linear example 140).

J.F. Bard: Optimality conditions for the bilevel programming problem. Naval Research
Logistics Quarterly 31, 13-26, 1984.

    min_{x,y}  x + y   s.t.  x >= 0,
    y solves   min_y  -5x - y  s.t.  x + y/2 >= 2,  -x/4 + y <= 2,  x + y/2 <= 8,
                                     x - 2y <= 4,  y >= 0.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "J.F. Bard, Optimality conditions for the bilevel programming problem, Naval Research "
    "Logistics Quarterly 31, 13-26, 1984."
)
NX, NY = 1, 1
X_BOUNDS = ([0.0], [None])
Y_BOUNDS = ([0.0], [None])


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return x[0] + y[0]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return -5 * x[0] - y[0]


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``)."""
    return [
        2 - x[0] - 0.5 * y[0],
        y[0] - 0.25 * x[0] - 2,
        x[0] + 0.5 * y[0] - 8,
        x[0] - 2 * y[0] - 4,
    ]
