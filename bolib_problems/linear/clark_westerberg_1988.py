"""ClarkWesterberg1988 (BOLIB v2 linear example 149).

P.A. Clark, A.W. Westerberg: A note on the optimality conditions for the bilevel
programming problem. Naval Research Logistics 35(5), 413-418, 1988.

    min_{x,y}  x - 4y,
    y solves   min_y  y  s.t.  y <= 2x,  2x + 5y <= 108,  2x - 3y <= -4.

Neither level bounds its variables.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "P.A. Clark, A.W. Westerberg, A note on the optimality conditions for the bilevel "
    "programming problem, Naval Research Logistics 35(5), 413-418, 1988."
)
NX, NY = 1, 1


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return x[0] - 4 * y[0]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return y[0]


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``)."""
    return [y[0] - 2 * x[0], 2 * x[0] + 5 * y[0] - 108, 2 * x[0] - 3 * y[0] + 4]
