"""DesignCentringP3 (BOLIB v2 nonlinear example 127).

Design centring problem with a general elliptic design body, as in O. Stein, G. Still:
Solving semi-infinite optimization problems with interior point techniques. SIAM Journal
on Control and Optimization 42(3), 769-788, 2003; lower level constructed by BOLIB.

    min_{x,y}  -pi |x3 x6 - x4 x5|
    s.t.       -y1 - y2^2 <= 0,  y3/4 + y4 - 3/4 <= 0,  -y6 - 1 <= 0,
    y solves   min_y  y1 + y2^2 - y3/4 - y4 + y6
               s.t.   (v_i - z)' (B B')^{-1} (v_i - z) - 1 <= 0,  i = 1, 2, 3,

with z = (x1, x2), B = [[x3, x4], [x5, x6]] and v_i = (y_{2i-1}, y_{2i}). The upper-level
objective is nonsmooth (absolute value).
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "O. Stein, G. Still, Solving semi-infinite optimization problems with interior point "
    "techniques, SIAM Journal on Control and Optimization 42(3), 769-788, 2003 (design "
    "centring; bilevel form constructed by BOLIB v2)."
)
NX, NY = 6, 6


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective: minus pi |det B| (nonsmooth)."""
    return -ca.pi * ca.fabs(x[2] * x[5] - x[3] * x[4])


def G(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Upper-level constraints (``<= 0``): the three lower-level points lie in the body."""
    return [-y[0] - y[1] ** 2, y[2] / 4 + y[3] - 0.75, -y[5] - 1]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective (minus the sum of the upper-level constraint functions)."""
    return y[0] + y[1] ** 2 - y[2] / 4 - y[3] + y[5]


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``): each point lies in the ellipse of z and B."""
    m11 = x[2] ** 2 + x[3] ** 2
    m12 = x[2] * x[4] + x[3] * x[5]
    m22 = x[4] ** 2 + x[5] ** 2
    det = m11 * m22 - m12 ** 2
    rows = []
    for i in range(3):
        d1, d2 = y[2 * i] - x[0], y[2 * i + 1] - x[1]
        rows.append((m22 * d1 ** 2 - 2 * m12 * d1 * d2 + m11 * d2 ** 2) / det - 1)
    return rows
