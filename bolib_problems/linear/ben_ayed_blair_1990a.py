"""BenAyedBlair1990a (BOLIB v2 linear example 144).

O. Ben-Ayed, C. Blair: Computational difficulties of bilevel linear programming.
Operations Research 38, 556-560, 1990.

    min_{x,y}  -1.5 x - 6 y1 - y2   s.t.  0 <= x <= 1,
    y solves   min_y  -y1 - 5 y2  s.t.  x + 3 y1 + y2 <= 5,  2x + y1 + 3 y2 <= 5,  y >= 0.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "O. Ben-Ayed, C. Blair, Computational difficulties of bilevel linear programming, "
    "Operations Research 38, 556-560, 1990."
)
NX, NY = 1, 2
X_BOUNDS = ([0.0], [1.0])
Y_BOUNDS = ([0.0, 0.0], [None, None])


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return -1.5 * x[0] - 6 * y[0] - y[1]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return -y[0] - 5 * y[1]


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``)."""
    return [x[0] + 3 * y[0] + y[1] - 5, 2 * x[0] + y[0] + 3 * y[1] - 5]
