"""AnandalinghamWhite1990 (BOLIB v2 linear example 139).

G. Anandalingham, D.J. White: A solution method for the linear static Stackelberg problem
using penalty functions. IEEE Transactions on Automatic Control 35(10), 1170-1173, 1990.

    min_{x,y}  -x - 3y   s.t.  x >= 0,
    y solves   min_y  -x + 3y  s.t.  x + 2y >= 10,  x - 2y <= 6,  2x - y <= 21,
                                     x + 2y <= 38,  -x + 2y <= 18,  y >= 0.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "G. Anandalingham, D.J. White, A solution method for the linear static Stackelberg "
    "problem using penalty functions, IEEE Trans. Automatic Control 35(10), 1170-1173, 1990."
)
NX, NY = 1, 1
X_BOUNDS = ([0.0], [None])
Y_BOUNDS = ([0.0], [None])
NOTES = (
    "recorded f* = 15 is not the value at the recorded point (16, 11), where f = -16 + 33 "
    "= 17 (catalogue README erratum 2); the record is kept"
)


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return -x[0] - 3 * y[0]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return -x[0] + 3 * y[0]


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``)."""
    return [
        10 - x[0] - 2 * y[0],
        x[0] - 2 * y[0] - 6,
        2 * x[0] - y[0] - 21,
        x[0] + 2 * y[0] - 38,
        2 * y[0] - x[0] - 18,
    ]
