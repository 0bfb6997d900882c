"""BenAyedBlair1990b (BOLIB v2 linear example 145).

O. Ben-Ayed, C. Blair: Computational difficulties of bilevel linear programming.
Operations Research 38, 556-560, 1990.

    min_{x,y}  -x - y   s.t.  x >= 0,
    y solves   min_y  y  s.t.  4x + 3y >= 19,  x + 2y <= 11,  3x + y <= 13,  y >= 0.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "O. Ben-Ayed, C. Blair, Computational difficulties of bilevel linear programming, "
    "Operations Research 38, 556-560, 1990."
)
NX, NY = 1, 1
X_BOUNDS = ([0.0], [None])
Y_BOUNDS = ([0.0], [None])


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return -x[0] - y[0]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return y[0]


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``)."""
    return [19 - 4 * x[0] - 3 * y[0], x[0] + 2 * y[0] - 11, 3 * x[0] + y[0] - 13]
