"""Bard1988Ex2 (BOLIB v2 nonlinear example 5).

J.F. Bard: Convex two-level optimization. Mathematical Programming 40, 15-27, 1988;
Example 2.

    min_{x,y}  -(200 - y1 - y3)(y1 + y3) - (160 - y2 - y4)(y2 + y4)
        s.t.   x1 + x2 + x3 + x4 <= 40,
               0 <= x1 <= 10,  0 <= x2 <= 5,  0 <= x3 <= 15,  0 <= x4 <= 20,
    y solves   min_y  (y1 - 4)^2 + (y2 - 13)^2 + (y3 - 35)^2 + (y4 - 2)^2
        s.t.   0.4 y1 + 0.7 y2 <= x1,  0.6 y1 + 0.3 y2 <= x2,
               0.4 y3 + 0.7 y4 <= x3,  0.6 y3 + 0.3 y4 <= x4,
               0 <= y1, y2 <= 20,  0 <= y3, y4 <= 40.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "J.F. Bard, Convex two-level optimization, Mathematical Programming 40, 15-27, 1988 "
    "(Example 2)."
)
NX, NY = 4, 4
X_BOUNDS = ([0.0, 0.0, 0.0, 0.0], [10.0, 5.0, 15.0, 20.0])
Y_BOUNDS = ([0.0, 0.0, 0.0, 0.0], [20.0, 20.0, 40.0, 40.0])
_A = [[0.4, 0.7, 0.0, 0.0], [0.6, 0.3, 0.0, 0.0], [0.0, 0.0, 0.4, 0.7], [0.0, 0.0, 0.6, 0.3]]
_TARGET = [4.0, 13.0, 35.0, 2.0]


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    s1 = y[0] + y[2]
    s2 = y[1] + y[3]
    return -(200 - s1) * s1 - (160 - s2) * s2


def G(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Upper-level constraints (``<= 0``)."""
    return [ca.sum1(x) - 40]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return ca.sumsqr(y - ca.DM(_TARGET))


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``)."""
    r = ca.mtimes(ca.DM(_A), y) - x
    return [r[i] for i in range(4)]
