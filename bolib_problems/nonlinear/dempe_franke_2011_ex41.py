"""DempeFranke2011Ex41 (BOLIB v2 nonlinear example 24).

S. Dempe, S. Franke: An algorithm for solving a class of bilevel programming problems.
Preprint 2011-04, TU Bergakademie Freiberg, 2011; Example 4.1.

    min_{x,y}  x1 + y1^2 + y2^2   s.t.  -1 <= x1 <= 1,  x2 = -1,
    y solves   min_y  x1 y1 + x2 y2  s.t.  y2 <= 2 y1,  y1 <= 2,  0 <= y2 <= 2.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "S. Dempe, S. Franke, An algorithm for solving a class of bilevel programming "
    "problems, Preprint 2011-04, TU Bergakademie Freiberg, 2011 (Example 4.1)."
)
NX, NY = 2, 2
X_BOUNDS = ([-1.0, None], [1.0, None])
Y_BOUNDS = ([None, 0.0], [2.0, 2.0])
NOTES = (
    "the library codes x2 = -1 as the two inequalities -1 - x2 <= 0, 1 + x2 <= 0; here it "
    "is one upper-level equality (catalogue nH = 1)"
)


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return x[0] + y[0] ** 2 + y[1] ** 2


def H(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Upper-level equality (``= 0``)."""
    return [x[1] + 1]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return x[0] * y[0] + x[1] * y[1]


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``)."""
    return [y[1] - 2 * y[0]]
