"""TuyEtal2007 (BOLIB v2 nonlinear example 116).

H. Tuy, A. Migdalas, N.T. Hoai-Phuong: A novel approach to bilevel nonlinear programming.
Journal of Global Optimization 38(4), 527-554, 2007.

    min_{x,y}  x^2 + y^2   s.t.  x >= 0,  y >= 0,
    y solves   min_y  -y  s.t.  3x + y <= 15,  x + y <= 7,  x + 3y <= 15.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "H. Tuy, A. Migdalas, N.T. Hoai-Phuong, A novel approach to bilevel nonlinear "
    "programming, Journal of Global Optimization 38(4), 527-554, 2007."
)
NX, NY = 1, 1
X_BOUNDS = ([0.0], [None])
NOTES = (
    "recorded f* = -1.5 differs from f at the recorded point (4.49219, 1.52344), "
    "-1.52344; that point approximates the optimum (4.5, 1.5) with F = 22.5, f = -1.5 "
    "(the point (1.5, 4.5), f = -4.5, has the same F = 22.5)"
)


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return x[0] ** 2 + y[0] ** 2


def G(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Upper-level constraints (``<= 0``); the bound on y stays here."""
    return [-y[0]]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return -y[0]


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``)."""
    return [
        3 * x[0] + y[0] - 15,
        x[0] + y[0] - 7,
        x[0] + 3 * y[0] - 15,
    ]
