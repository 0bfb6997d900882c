"""Colson2002BIPA3 (BOLIB v2 nonlinear example 16).

B. Colson: BIPA (Bilevel Programming with Approximation Methods): software guide and
test problems. Technical report, 2002.

    min_{x,y}  (x - 5)^4 + (2y + 1)^4   s.t.  x + y <= 4,  x >= 0,
    y solves   min_y  exp(y - x) + x^2 + 2xy + y^2 + 2x + 6y  s.t.  y - x <= 2,  y >= 0.
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
    return (x[0] - 5) ** 4 + (2 * y[0] + 1) ** 4


def G(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Upper-level constraints (``<= 0``)."""
    return [x[0] + y[0] - 4]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return (
        ca.exp(-x[0] + y[0]) + x[0] ** 2 + 2 * x[0] * y[0] + y[0] ** 2 + 2 * x[0]
        + 6 * y[0]
    )


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``)."""
    return [-x[0] + y[0] - 2]
