"""BialasKarwan1984a (BOLIB v2 linear example 146).

W. Bialas, M. Karwan: Two-level linear programming. Management Science 30, 1004-1020,
1984.

    min_{x,y}  -x - y2   s.t.  x >= 0,
    y solves   min_y  -y2
               s.t.   x + y1 + y2 <= 3,  x + y1 - y2 >= 1,  -x + y1 + y2 <= 1,
                      x - y1 + y2 <= 1,  y1 >= 0,  0 <= y2 <= 0.5.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "W. Bialas, M. Karwan, Two-level linear programming, Management Science 30, "
    "1004-1020, 1984."
)
NX, NY = 1, 2
X_BOUNDS = ([0.0], [None])
Y_BOUNDS = ([0.0, 0.0], [None, 0.5])


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return -x[0] - y[1]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return -y[1]


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``)."""
    return [
        x[0] + y[0] + y[1] - 3,
        1 - x[0] - y[0] + y[1],
        -x[0] + y[0] + y[1] - 1,
        x[0] - y[0] + y[1] - 1,
    ]
