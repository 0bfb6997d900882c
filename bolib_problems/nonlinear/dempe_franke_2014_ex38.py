"""DempeFranke2014Ex38 (BOLIB v2 nonlinear example 26).

S. Dempe, S. Franke: Solution algorithm for an optimistic linear Stackelberg problem.
Computers & Operations Research 41, 277-281, 2014; Example 3.8.

    min_{x,y}  2 x1 + x2 + 2 y1 - y2   s.t.  -1 <= x1 <= 1,  -1 <= x2 <= -0.75,
    y solves   min_y  x1 y1 + x2 y2  s.t.  y2 <= 2 y1,  y1 <= 2,  0 <= y2 <= 2.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "S. Dempe, S. Franke, Solution algorithm for an optimistic linear Stackelberg problem, "
    "Computers & Operations Research 41, 277-281, 2014 (Example 3.8)."
)
NX, NY = 2, 2
X_BOUNDS = ([-1.0, -1.0], [1.0, -0.75])
Y_BOUNDS = ([None, 0.0], [2.0, 2.0])


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return 2 * x[0] + x[1] + 2 * y[0] - y[1]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return x[0] * y[0] + x[1] * y[1]


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``)."""
    return [y[1] - 2 * y[0]]
