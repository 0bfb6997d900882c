"""DempeFranke2011Ex42 (BOLIB v2 nonlinear example 25).

S. Dempe, S. Franke: An algorithm for solving a class of bilevel programming problems.
Preprint 2011-04, TU Bergakademie Freiberg, 2011; Example 4.2.

    min_{x,y}  x1 + (y1 - 1)^2 + y2^2   s.t.  -1 <= x1 <= 1,  x2 = -1,
    y solves   min_y  x1 y1 + x2 y2  s.t.  y2 - y1 <= 1,  y1 + y2 <= 3.5,  y2 <= 2.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "S. Dempe, S. Franke, An algorithm for solving a class of bilevel programming "
    "problems, Preprint 2011-04, TU Bergakademie Freiberg, 2011 (Example 4.2)."
)
NX, NY = 2, 2
X_BOUNDS = ([-1.0, None], [1.0, None])
Y_BOUNDS = ([None, None], [None, 2.0])
NOTES = (
    "the library codes x2 = -1 as the two inequalities -1 - x2 <= 0, 1 + x2 <= 0; here it "
    "is one upper-level equality (catalogue nH = 1). Catalogue erratum 1 (recorded "
    "F* = 2.13, f* = -3.5 but the recorded point (1, -1, 0, 1) gives F = 3, f = -1): the "
    "recorded values are right and the point is not the optimum. At x1 = -1 the lower "
    "level's solutions are y1 >= 1.5, y2 = 3.5 - y1 (f = -3.5), and the leader's best is "
    "(x, y) = (-1, -1, 2.25, 1.25) with F = 2.125, f = -3.5; for -1 < x1 <= 1 the "
    "optimistic F is at least 3 (x1 = 1, y = (0, 1): F = 3, f = -1)"
)


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return x[0] + (y[0] - 1) ** 2 + y[1] ** 2


def H(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Upper-level equality (``= 0``)."""
    return [x[1] + 1]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return x[0] * y[0] + x[1] * y[1]


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``)."""
    return [y[1] - y[0] - 1, y[0] + y[1] - 3.5]
