"""OutrataCervinka2009 (BOLIB v2 nonlinear example 102).

J.V. Outrata, M. Cervinka: On the implicit programming approach in a class of
mathematical programs with equilibrium constraints. Control and Cybernetics 38(4),
1557-1574, 2009.

    min_{x,y}  -2 x1 - x2 / 2 - y2   s.t.  x1 <= 0,
    y solves   min_y  y1 - y2 + x1 y1 + x2 y2 + (y1^2 + y2^2) / 2
               s.t.  y2 <= 0,  y2 - y1 <= 0,  y1 + y2 <= 0.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "J.V. Outrata, M. Cervinka, On the implicit programming approach in a class of "
    "mathematical programs with equilibrium constraints, Control and Cybernetics 38(4), "
    "1557-1574, 2009."
)
NX, NY = 2, 2
X_BOUNDS = ([None, None], [0.0, None])
Y_BOUNDS = ([None, None], [None, 0.0])


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return -2 * x[0] - 0.5 * x[1] - y[1]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return y[0] - y[1] + x[0] * y[0] + x[1] * y[1] + 0.5 * (y[0] ** 2 + y[1] ** 2)


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``)."""
    return [y[1] - y[0], y[0] + y[1]]
