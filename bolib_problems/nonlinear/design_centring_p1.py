"""DesignCentringP1 (BOLIB v2 nonlinear example 125).

Design centring problem with a circular design body, as in O. Stein, G. Still: Solving
semi-infinite optimization problems with interior point techniques. SIAM Journal on
Control and Optimization 42(3), 769-788, 2003; lower level constructed by BOLIB.

    min_{x,y}  -pi x3^3
    s.t.       -y1 - y2^2 <= 0,  y3/4 + y4 - 3/4 <= 0,  -y6 - 1 <= 0,
    y solves   min_y  y1 + y2^2 - y3/4 - y4 + y6
               s.t.   (y_{2i-1} - x1)^2 + (y_{2i} - x2)^2 - x3^2 <= 0,  i = 1, 2, 3.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "O. Stein, G. Still, Solving semi-infinite optimization problems with interior point "
    "techniques, SIAM Journal on Control and Optimization 42(3), 769-788, 2003 (design "
    "centring; bilevel form constructed by BOLIB v2)."
)
NX, NY = 3, 6
NOTES = (
    "at the recorded point (4-digit entries) this model gives F = -pi 0.7696^3 = "
    "-1.4320067, f = -1.7499911, max violation 2.5e-6; the catalogue's check prints "
    "F = -1.43201, the same value rounded to 6 significant digits (off by 3.3e-6, more "
    "than the test's relative tolerance 1e-6)"
)


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective: minus pi x3^3 (x3 the disc radius)."""
    return -ca.pi * x[2] ** 3


def G(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Upper-level constraints (``<= 0``): the three lower-level points lie in the body."""
    return [-y[0] - y[1] ** 2, y[2] / 4 + y[3] - 0.75, -y[5] - 1]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective (minus the sum of the upper-level constraint functions)."""
    return y[0] + y[1] ** 2 - y[2] / 4 - y[3] + y[5]


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``): each point lies in the disc around (x1, x2)."""
    return [
        (y[2 * i] - x[0]) ** 2 + (y[2 * i + 1] - x[1]) ** 2 - x[2] ** 2 for i in range(3)
    ]
