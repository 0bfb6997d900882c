"""FrankeEtal2018Ex521 (BOLIB v2 simple example 166).

S. Franke, P. Mehlitz, M. Pilecka: Optimality conditions for the simple convex bilevel
programming problem in Banach spaces. Optimization 67(2), 237-268, 2018; Example 5.21.

    min_y  -y2,
    y solves  min_y  y1  s.t.  (y1 - 1)^2 - (y2 - 1/2)^2 <= 5/4,  y1 + y2 <= 1,  y1 >= 0.

The first lower-level row is not convex (the lower level is not a convex program).
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "S. Franke, P. Mehlitz, M. Pilecka, Optimality conditions for the simple convex bilevel "
    "programming problem in Banach spaces, Optimization 67(2), 237-268, 2018 (Example 5.21)."
)
NX, NY = 0, 2
Y_BOUNDS = ([0.0, None], [None, None])


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return -y[1]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return y[0]


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``)."""
    return [(y[0] - 1) ** 2 - (y[1] - 0.5) ** 2 - 1.25, y[0] + y[1] - 1]
