"""Colson2002BIPA2 (BOLIB v2 nonlinear example 15).

B. Colson: BIPA (Bilevel Programming with Approximation Methods): software guide and
test problems. Technical report, 2002.

    min_{x,y}  (x - 5)^2 + (2y + 1)^2   s.t.  x >= 0,
    y solves   min_y  (y - 1)^2 - 1.5xy + x^3
               s.t.   -3x + y <= -3,  x - y/2 <= 4,  x + y <= 7,  y >= 0.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "B. Colson, BIPA (Bilevel Programming with Approximation Methods): software guide and "
    "test problems, Technical report, 2002."
)
NX, NY = 1, 1
X_BOUNDS = ([0.0], [None])
Y_BOUNDS = ([0.0], [None])


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return (x[0] - 5) ** 2 + (2 * y[0] + 1) ** 2


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return (y[0] - 1) ** 2 - 1.5 * x[0] * y[0] + x[0] ** 3


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``)."""
    return [-3 * x[0] + y[0] + 3, x[0] - 0.5 * y[0] - 4, x[0] + y[0] - 7]
