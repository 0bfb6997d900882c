"""TuyEtal1994 (BOLIB v2 linear example 159).

H. Tuy, A. Migdalas, P. Vaerbrand: A quasiconcave minimization method for solving linear
two-level programs. Journal of Global Optimization 4, 243-263, 1994.

    min_{x,y}  3 x1 + 2 x2 + y1 + y2   s.t.  x1 + x2 + y1 + y2 <= 4,  x >= 0,
    y solves   min_y  4 y1 + y2  s.t.  3 x1 + 5 x2 + 6 y1 + 2 y2 >= 15,  y >= 0.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "H. Tuy, A. Migdalas, P. Vaerbrand, A quasiconcave minimization method for solving "
    "linear two-level programs, Journal of Global Optimization 4, 243-263, 1994."
)
NX, NY = 2, 2
X_BOUNDS = ([0.0, 0.0], [None, None])
Y_BOUNDS = ([0.0, 0.0], [None, None])


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return 3 * x[0] + 2 * x[1] + y[0] + y[1]


def G(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Upper-level constraints (``<= 0``)."""
    return [x[0] + x[1] + y[0] + y[1] - 4]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return 4 * y[0] + y[1]


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``)."""
    return [15 - 3 * x[0] - 5 * x[1] - 6 * y[0] - 2 * y[1]]
