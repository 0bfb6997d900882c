"""FrankeEtal2018Ex511 (BOLIB v2 simple example 164).

S. Franke, P. Mehlitz, M. Pilecka: Optimality conditions for the simple convex bilevel
programming problem in Banach spaces. Optimization 67(2), 237-268, 2018; Example 5.11.

    min_y  (y1 - 2)^2/2 + y2^2/2 + (y3 - 2)^2/2,
    y solves  min_y  y1 + y2 + y3  s.t.  y1 + y2 >= 0,  y1 - y2 >= 0,  y1 >= 0,  y3 >= 0.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "S. Franke, P. Mehlitz, M. Pilecka, Optimality conditions for the simple convex bilevel "
    "programming problem in Banach spaces, Optimization 67(2), 237-268, 2018 (Example 5.11)."
)
NX, NY = 0, 3
Y_BOUNDS = ([0.0, None, 0.0], [None, None, None])


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return 0.5 * (y[0] - 2) ** 2 + 0.5 * y[1] ** 2 + 0.5 * (y[2] - 2) ** 2


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return y[0] + y[1] + y[2]


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``)."""
    return [-y[0] - y[1], y[1] - y[0]]
