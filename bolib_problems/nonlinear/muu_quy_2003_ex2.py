"""MuuQuy2003Ex2 (BOLIB v2 nonlinear example 82).

L.D. Muu, N.V. Quy: A global optimization method for solving convex quadratic bilevel
programming problems. Journal of Global Optimization 26(2), 199-219, 2003; Example 2.

    min_{x,y}  -7 x1 + 4 x2 + y1^2 + y3^2 - y1 y3 - 4 y2
               s.t.  x >= 0,  x1 + x2 <= 1,
    y solves   min_y  y1^2 + y2^2/2 + y3^2/2 + y1 y2 + (1 - 3 x1) y1 + (1 + x2) y2
               s.t.  2 y1 + y2 - y3 + x1 - 2 x2 + 2 <= 0,  y >= 0.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "L.D. Muu, N.V. Quy, A global optimization method for solving convex quadratic bilevel "
    "programming problems, Journal of Global Optimization 26(2), 199-219, 2003 (Example 2)."
)
NX, NY = 2, 3
X_BOUNDS = ([0.0, 0.0], [None, None])
Y_BOUNDS = ([0.0, 0.0, 0.0], [None, None, None])


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return -7 * x[0] + 4 * x[1] + y[0] ** 2 + y[2] ** 2 - y[0] * y[2] - 4 * y[1]


def G(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Upper-level constraints (``<= 0``)."""
    return [x[0] + x[1] - 1]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return (y[0] ** 2 + 0.5 * y[1] ** 2 + 0.5 * y[2] ** 2 + y[0] * y[1]
            + (1 - 3 * x[0]) * y[0] + (1 + x[1]) * y[1])


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``)."""
    return [2 * y[0] + y[1] - y[2] + x[0] - 2 * x[1] + 2]
