"""DempeLohse2011Ex31a (BOLIB v2 nonlinear example 27).

S. Dempe, S. Lohse: Dependence of bilevel programming on irrelevant data. Preprint,
Faculty of Mathematics and Computer Science, TU Bergakademie Freiberg, 2011; Example 3.1
(two lower-level variables).

    min_{x,y}  (x1 - 0.5)^2 + (x2 - 0.5)^2 - 3 y1 - 3 y2,
    y solves   min_y  x1 y1 + x2 y2  s.t.  y1 + y2 <= 2,  y2 <= y1,  y >= 0.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "S. Dempe, S. Lohse, Dependence of bilevel programming on irrelevant data, Preprint, "
    "Faculty of Mathematics and Computer Science, TU Bergakademie Freiberg, 2011 "
    "(Example 3.1)."
)
NX, NY = 2, 2
Y_BOUNDS = ([0.0, 0.0], [None, None])


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return (x[0] - 0.5) ** 2 + (x[1] - 0.5) ** 2 - 3 * y[0] - 3 * y[1]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return x[0] * y[0] + x[1] * y[1]


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``)."""
    return [y[0] + y[1] - 2, y[1] - y[0]]
