"""Colson2002BIPA4 (BOLIB v2 nonlinear example 17).

B. Colson: BIPA (Bilevel Programming with Approximation Methods): software guide and
test problems. Technical report, 2002.

    min_{x,y}  x^2 + (y - 10)^2   s.t.  x + 2y <= 6,  x >= 0,
    y solves   min_y  x^3 + 2y^3 + x - 2y - x^2  s.t.  -x + 2y <= 3,  y >= 0.
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
NOTES = (
    "the recorded y = 0.6039 is not lower-level optimal at x = 0 (f = -0.7673); the "
    "lower-level minimiser there is y = 1/sqrt(3) = 0.5774 with F = 88.786, f = -0.7698, "
    "which matches the recorded F* = 88.79 and f* = -0.77"
)


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return x[0] ** 2 + (y[0] - 10) ** 2


def G(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Upper-level constraints (``<= 0``)."""
    return [x[0] + 2 * y[0] - 6]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return x[0] ** 3 + 2 * y[0] ** 3 + x[0] - 2 * y[0] - x[0] ** 2


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``)."""
    return [-x[0] + 2 * y[0] - 3]
