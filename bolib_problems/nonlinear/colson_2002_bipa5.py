"""Colson2002BIPA5 (BOLIB v2 nonlinear example 18).

B. Colson: BIPA (Bilevel Programming with Approximation Methods): software guide and
test problems. Technical report, 2002.

    min_{x,y}  (x - y2)^4 + (y1 - 1)^2 + (y1 - y2)^2   s.t.  x >= 0,
    y solves   min_y  2x + exp(y1) + y1^2 + 4y1 + 2y2^2 - 6y2
               s.t.   6x + y1^2 + exp(y2) <= 15,  5x + y1^4 - y2 <= 25,
                      0 <= y1 <= 4,  0 <= y2 <= 2.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "B. Colson, BIPA (Bilevel Programming with Approximation Methods): software guide and "
    "test problems, Technical report, 2002."
)
NX, NY = 1, 2
X_BOUNDS = ([0.0], [None])
Y_BOUNDS = ([0.0, 0.0], [4.0, 2.0])


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return (x[0] - y[1]) ** 4 + (y[0] - 1) ** 2 + (y[0] - y[1]) ** 2


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return 2 * x[0] + ca.exp(y[0]) + y[0] ** 2 + 4 * y[0] + 2 * y[1] ** 2 - 6 * y[1]


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``)."""
    return [
        6 * x[0] + y[0] ** 2 + ca.exp(y[1]) - 15,
        5 * x[0] + y[0] ** 4 - y[1] - 25,
    ]
