"""MuuQuy2003Ex1 (BOLIB v2 nonlinear example 81).

L.D. Muu, N.V. Quy: A global optimization method for solving convex quadratic bilevel
programming problems. Journal of Global Optimization 26(2), 199-219, 2003; Example 1.

    min_{x,y}  x^2 - 4x + y1^2 + y2^2   s.t.  0 <= x <= 2,
    y solves   min_y  y1^2 + y2^2/2 + y1 y2 + (1 - 3x) y1 + (1 + x) y2
               s.t.  2 y1 + y2 <= 2x + 1,  y >= 0.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "L.D. Muu, N.V. Quy, A global optimization method for solving convex quadratic bilevel "
    "programming problems, Journal of Global Optimization 26(2), 199-219, 2003 (Example 1)."
)
NX, NY = 1, 2
X_BOUNDS = ([0.0], [2.0])
Y_BOUNDS = ([0.0, 0.0], [None, None])
NOTES = (
    "at the recorded point f = -0.586296, not the recorded f* = -0.5868; the lower-level "
    "solution is y = ((3x - 1)/2, 0) for x near the record, so F = 3.25x^2 - 5.5x + 0.25 "
    "and the optimum is x = 11/13, y = (10/13, 0) with F = -27/13 = -2.076923, "
    "f = -100/169 = -0.591716"
)


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return x[0] ** 2 - 4 * x[0] + ca.dot(y, y)


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return (y[0] ** 2 + 0.5 * y[1] ** 2 + y[0] * y[1]
            + (1 - 3 * x[0]) * y[0] + (1 + x[0]) * y[1])


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``)."""
    return [2 * y[0] + y[1] - 2 * x[0] - 1]
