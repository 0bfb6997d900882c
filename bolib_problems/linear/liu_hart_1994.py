"""LiuHart1994 (BOLIB v2 linear example 155).

Y.-H. Liu, S.M. Hart: Characterizing an optimal solution to the linear bilevel programming
problem. European Journal of Operational Research 73(1), 164-166, 1994.

    min_{x,y}  -x - 3y   s.t.  x >= 0,
    y solves   min_y  y  s.t.  -x + y <= 3,  x + 2y <= 12,  4x - y <= 12,  y >= 0.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "Y.-H. Liu, S.M. Hart, Characterizing an optimal solution to the linear bilevel "
    "programming problem, European Journal of Operational Research 73(1), 164-166, 1994."
)
NX, NY = 1, 1
X_BOUNDS = ([0.0], [None])
Y_BOUNDS = ([0.0], [None])


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return -x[0] - 3 * y[0]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return y[0]


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``)."""
    return [y[0] - x[0] - 3, x[0] + 2 * y[0] - 12, 4 * x[0] - y[0] - 12]
