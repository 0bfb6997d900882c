"""CandlerTownsley1982 (BOLIB v2 linear example 148).

W. Candler, R. Townsley: A linear two-level programming problem. Computers & Operations
Research 9, 59-76, 1982.

    min_{x,y}  -8 x1 - 4 x2 + 4 y1 - 40 y2 - 4 y3   s.t.  x >= 0,
    y solves   min_y  x1 + 2 x2 + y1 + y2 + 2 y3
               s.t.   -y1 + y2 + y3 <= 1,  2 x1 - y1 + 2 y2 - y3/2 <= 1,
                      2 x2 + 2 y1 - y2 - y3/2 <= 1,  y >= 0.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "W. Candler, R. Townsley, A linear two-level programming problem, Computers & "
    "Operations Research 9, 59-76, 1982."
)
NX, NY = 2, 3
X_BOUNDS = ([0.0, 0.0], [None, None])
Y_BOUNDS = ([0.0, 0.0, 0.0], [None, None, None])
NOTES = (
    "the library's Formulas.pdf prints the first lower-level row as -y1 + y2 + y3 + 1 <= 0; "
    "its m-file (and the recorded point, where the row is active) has -y1 + y2 + y3 - 1 <= 0, "
    "used here"
)


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return -8 * x[0] - 4 * x[1] + 4 * y[0] - 40 * y[1] - 4 * y[2]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return x[0] + 2 * x[1] + y[0] + y[1] + 2 * y[2]


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``)."""
    return [
        -y[0] + y[1] + y[2] - 1,
        2 * x[0] - y[0] + 2 * y[1] - 0.5 * y[2] - 1,
        2 * x[1] + 2 * y[0] - y[1] - 0.5 * y[2] - 1,
    ]
