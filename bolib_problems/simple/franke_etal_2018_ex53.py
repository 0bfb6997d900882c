"""FrankeEtal2018Ex53 (BOLIB v2 simple example 163).

S. Franke, P. Mehlitz, M. Pilecka: Optimality conditions for the simple convex bilevel
programming problem in Banach spaces. Optimization 67(2), 237-268, 2018; Example 5.3.

    min_y  y1^2 + y2^2   s.t.  0 <= y <= 1,
    y solves  min_y  (y1 - 2)^2  s.t.  0 <= y <= 1.

The upper level repeats the box as rows of ``G`` (4 rows).
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "S. Franke, P. Mehlitz, M. Pilecka, Optimality conditions for the simple convex bilevel "
    "programming problem in Banach spaces, Optimization 67(2), 237-268, 2018 (Example 5.3)."
)
NX, NY = 0, 2
Y_BOUNDS = ([0.0, 0.0], [1.0, 1.0])


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return y[0] ** 2 + y[1] ** 2


def G(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Upper-level constraints (``<= 0``): the box of ``y``."""
    return [-y[0], -y[1], y[0] - 1, y[1] - 1]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return (y[0] - 2) ** 2
