"""LanWenShihLee2007 (BOLIB v2 linear example 154).

K.M. Lan, U.P. Wen, H.S. Shih, E.S. Lee: A hybrid neural network approach to bilevel
programming problems. Applied Mathematics Letters 20(8), 880-884, 2007.

    min_{x,y}  2x - 11y   s.t.  x >= 0,
    y solves   min_y  x + 3y
               s.t.   x - 2y <= 4,  2x - y <= 24,  3x + 4y <= 96,  x + 7y <= 126,
                      -4x + 5y <= 65,  x + 4y >= 8,  y >= 0.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "K.M. Lan, U.P. Wen, H.S. Shih, E.S. Lee, A hybrid neural network approach to bilevel "
    "programming problems, Applied Mathematics Letters 20(8), 880-884, 2007."
)
NX, NY = 1, 1
X_BOUNDS = ([0.0], [None])
Y_BOUNDS = ([0.0], [None])
NOTES = (
    "at the recorded point (17.45, 10.908) F = -85.088, not the recorded F* = -85.0855, and "
    "y is not lower-level optimal (at x = 17.45 the follower's optimum is y = 10.9). The point "
    "(x, y) = (192/11, 120/11) is bilevel feasible with F = -936/11 = -85.0909, "
    "f = 552/11: there the rows 2x - y <= 24 and 3x + 4y <= 96 leave y = 120/11 as the only "
    "feasible follower point (lower-level gap 0)"
)


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return 2 * x[0] - 11 * y[0]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return x[0] + 3 * y[0]


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``)."""
    return [
        x[0] - 2 * y[0] - 4,
        2 * x[0] - y[0] - 24,
        3 * x[0] + 4 * y[0] - 96,
        x[0] + 7 * y[0] - 126,
        -4 * x[0] + 5 * y[0] - 65,
        8 - x[0] - 4 * y[0],
    ]
