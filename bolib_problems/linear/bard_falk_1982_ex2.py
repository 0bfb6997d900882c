"""BardFalk1982Ex2 (BOLIB v2 linear example 143).

J.F. Bard, J.E. Falk: An explicit solution to the multi-level programming problem.
Computers & Operations Research 9, 77-100, 1982.

    min_{x,y}  -2 x1 + x2 + y1/2   s.t.  x >= 0,
    y solves   min_y  x1 + x2 - 4 y1 + y2
               s.t.   -2 x1 + y1 - y2 <= -2.5,  x1 - 3 x2 + y2 <= 2,  x1 + x2 <= 2,  y >= 0.

The row ``x1 + x2 <= 2`` involves ``x`` only; it stays in the lower level, as in BOLIB.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "J.F. Bard, J.E. Falk, An explicit solution to the multi-level programming problem, "
    "Computers & Operations Research 9, 77-100, 1982."
)
NX, NY = 2, 2
X_BOUNDS = ([0.0, 0.0], [None, None])
Y_BOUNDS = ([0.0, 0.0], [None, None])


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return -2 * x[0] + x[1] + 0.5 * y[0]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return x[0] + x[1] - 4 * y[0] + y[1]


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``)."""
    return [
        2.5 - 2 * x[0] + y[0] - y[1],
        x[0] - 3 * x[1] + y[1] - 2,
        x[0] + x[1] - 2,
    ]
