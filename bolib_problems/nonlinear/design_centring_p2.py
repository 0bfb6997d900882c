"""DesignCentringP2 (BOLIB v2 nonlinear example 126).

Design centring problem with an axis-parallel elliptic design body, as in O. Stein,
G. Still: Solving semi-infinite optimization problems with interior point techniques.
SIAM Journal on Control and Optimization 42(3), 769-788, 2003; lower level constructed by
BOLIB.

    min_{x,y}  -pi x3 x4
    s.t.       -y1 - y2^2 <= 0,  y3/4 + y4 - 3/4 <= 0,  -y6 - 1 <= 0,  x3 <= 1,  x4 <= 1,
    y solves   min_y  y1 + y2^2 - y3/4 - y4 + y6
               s.t.   (x1 - y_{2i-1})^2 / x3^2 + (x2 - y_{2i})^2 / x4^2 <= 0,  i = 1, 2, 3.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "O. Stein, G. Still, Solving semi-infinite optimization problems with interior point "
    "techniques, SIAM Journal on Control and Optimization 42(3), 769-788, 2003 (design "
    "centring; bilevel form constructed by BOLIB v2)."
)
NX, NY = 4, 6
X_BOUNDS = ([None, None, None, None], [None, None, 1.0, 1.0])
NOTES = (
    "the library's lower-level constraints are coded without the '- 1' of an ellipse "
    "(right-hand side 0, so they force y_{2i-1} = x1, y_{2i} = x2); transcribed as coded"
)


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective: minus pi x3 x4 (x3, x4 the semi-axes)."""
    return -ca.pi * x[2] * x[3]


def G(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Upper-level constraints (``<= 0``): the three lower-level points lie in the body."""
    return [-y[0] - y[1] ** 2, y[2] / 4 + y[3] - 0.75, -y[5] - 1]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective (minus the sum of the upper-level constraint functions)."""
    return y[0] + y[1] ** 2 - y[2] / 4 - y[3] + y[5]


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``), as coded by the library (no ``- 1``)."""
    return [
        (x[0] - y[2 * i]) ** 2 / x[2] ** 2 + (x[1] - y[2 * i + 1]) ** 2 / x[3] ** 2
        for i in range(3)
    ]
