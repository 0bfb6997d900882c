"""BialasKarwan1984b (BOLIB v2 linear example 147).

W. Bialas, M. Karwan: Two-level linear programming. Management Science 30, 1004-1020,
1984.

    min_{x,y}  -y   s.t.  x >= 0,
    y solves   min_y  y  s.t.  x + 2y >= 10,  x + 2y <= 38,  -x + 2y <= 18,
                               x - 2y <= 6,  2x - y <= 21,  y >= 0.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "W. Bialas, M. Karwan, Two-level linear programming, Management Science 30, "
    "1004-1020, 1984."
)
NX, NY = 1, 1
X_BOUNDS = ([0.0], [None])
Y_BOUNDS = ([0.0], [None])


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return -y[0]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return y[0]


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``)."""
    return [
        10 - x[0] - 2 * y[0],
        x[0] + 2 * y[0] - 38,
        2 * y[0] - x[0] - 18,
        x[0] - 2 * y[0] - 6,
        2 * x[0] - y[0] - 21,
    ]
