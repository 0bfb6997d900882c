"""ClarkWesterberg1990b (BOLIB v2 linear example 150).

P.A. Clark, A.W. Westerberg: Bilevel programming for steady-state chemical process
design - I. Fundamentals and algorithms. Computers & Chemical Engineering 14(1), 87-97,
1990.

    min_{x,y}  -x - 3 y1 + 2 y2   s.t.  0 <= x <= 8,
    y solves   min_y  -y1
               s.t.   0 <= y1 <= 4,  -2x + y1 + 4 y2 <= 16,  8x + 3 y1 - 2 y2 <= 48,
                      -2x + y1 - 3 y2 <= -12.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "P.A. Clark, A.W. Westerberg, Bilevel programming for steady-state chemical process "
    "design - I. Fundamentals and algorithms, Computers & Chemical Engineering 14(1), "
    "87-97, 1990."
)
NX, NY = 1, 2
X_BOUNDS = ([0.0], [8.0])
Y_BOUNDS = ([0.0, None], [4.0, None])


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return -x[0] - 3 * y[0] + 2 * y[1]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return -y[0]


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``)."""
    return [
        -2 * x[0] + y[0] + 4 * y[1] - 16,
        8 * x[0] + 3 * y[0] - 2 * y[1] - 48,
        -2 * x[0] + y[0] - 3 * y[1] + 12,
    ]
