"""DesignCentringP4 (BOLIB v2 nonlinear example 128).

Design centring problem with a box as design body, as in O. Stein, G. Still: Solving
semi-infinite optimization problems with interior point techniques. SIAM Journal on
Control and Optimization 42(3), 769-788, 2003; lower level constructed by BOLIB.

    min_{x,y}  -(x1 - x3)(x2 - x4)
    s.t.       -y1 - y2^2 <= 0,  y3/4 + y4 - 3/4 <= 0,  -y6 - 1 <= 0,
    y solves   min_y  y1 + y2^2 - y3/4 - y4 + y6
               s.t.   y_{2i-1} <= x1,  y_{2i} <= x2,  x3 <= y_{2i-1},  x4 <= y_{2i},
                      i = 1, 2, 3.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "O. Stein, G. Still, Solving semi-infinite optimization problems with interior point "
    "techniques, SIAM Journal on Control and Optimization 42(3), 769-788, 2003 (design "
    "centring; bilevel form constructed by BOLIB v2)."
)
NX, NY = 4, 6


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective: minus the area of the box [x3, x1] x [x4, x2]."""
    return -(x[0] - x[2]) * (x[1] - x[3])


def G(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Upper-level constraints (``<= 0``): the three lower-level points lie in the body."""
    return [-y[0] - y[1] ** 2, y[2] / 4 + y[3] - 0.75, -y[5] - 1]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective (minus the sum of the upper-level constraint functions)."""
    return y[0] + y[1] ** 2 - y[2] / 4 - y[3] + y[5]


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``): each point lies in the box (x-dependent bounds)."""
    upper = [y[j] - x[j % 2] for j in range(6)]
    lower = [x[2 + j % 2] - y[j] for j in range(6)]
    return upper + lower
