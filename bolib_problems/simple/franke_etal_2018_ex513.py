"""FrankeEtal2018Ex513 (BOLIB v2 simple example 165).

S. Franke, P. Mehlitz, M. Pilecka: Optimality conditions for the simple convex bilevel
programming problem in Banach spaces. Optimization 67(2), 237-268, 2018; Example 5.13.

    min_y  -y2,
    y solves  min_y  y3  s.t.  y1^2 <= y3,  y1^2 + y2^2 <= 1,  y3 >= 0.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "S. Franke, P. Mehlitz, M. Pilecka, Optimality conditions for the simple convex bilevel "
    "programming problem in Banach spaces, Optimization 67(2), 237-268, 2018 (Example 5.13)."
)
NX, NY = 0, 3
Y_BOUNDS = ([None, None, 0.0], [None, None, None])


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return -y[1]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return y[2]


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``)."""
    return [y[0] ** 2 - y[2], y[0] ** 2 + y[1] ** 2 - 1]
