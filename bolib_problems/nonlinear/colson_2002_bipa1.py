"""Colson2002BIPA1 (BOLIB v2 nonlinear example 14).

B. Colson: BIPA (Bilevel Programming with Approximation Methods): software guide and
test problems. Technical report, 2002.

    min_{x,y}  (10 - x)^3 + (10 - y)^3   s.t.  0 <= x <= 5,  y <= x,
    y solves   min_y  (x + 2y - 15)^4  s.t.  x + y <= 20,  0 <= y <= 20.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "B. Colson, BIPA (Bilevel Programming with Approximation Methods): software guide and "
    "test problems, Technical report, 2002."
)
NX, NY = 1, 1
X_BOUNDS = ([0.0], [5.0])
Y_BOUNDS = ([0.0], [20.0])


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return (10 - x[0]) ** 3 + (10 - y[0]) ** 3


def G(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Upper-level constraints (``<= 0``)."""
    return [y[0] - x[0]]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return (x[0] + 2 * y[0] - 15) ** 4


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``)."""
    return [x[0] + y[0] - 20]
