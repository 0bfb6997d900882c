"""DempeLohse2011Ex31b (BOLIB v2 nonlinear example 28).

S. Dempe, S. Lohse: Dependence of bilevel programming on irrelevant data. Preprint,
Faculty of Mathematics and Computer Science, TU Bergakademie Freiberg, 2011; Example 3.1
with a third variable at each level.

    min_{x,y}  (x1 - 0.5)^2 + (x2 - 0.5)^2 + x3^2 - 3 y1 - 3 y2 - 6 y3,
    y solves   min_y  x1 y1 + x2 y2 + x3 y3  s.t.  y1 + y2 + y3 <= 2,  y2 <= y1,  y >= 0.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "S. Dempe, S. Lohse, Dependence of bilevel programming on irrelevant data, Preprint, "
    "Faculty of Mathematics and Computer Science, TU Bergakademie Freiberg, 2011 "
    "(Example 3.1)."
)
NX, NY = 3, 3
Y_BOUNDS = ([0.0, 0.0, 0.0], [None, None, None])


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return ((x[0] - 0.5) ** 2 + (x[1] - 0.5) ** 2 + x[2] ** 2
            - 3 * y[0] - 3 * y[1] - 6 * y[2])


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return x[0] * y[0] + x[1] * y[1] + x[2] * y[2]


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``)."""
    return [y[0] + y[1] + y[2] - 2, y[1] - y[0]]
