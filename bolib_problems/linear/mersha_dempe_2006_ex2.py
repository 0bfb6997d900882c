"""MershaDempe2006Ex2 (BOLIB v2 linear example 157).

A.G. Mersha, S. Dempe: Linear bilevel programming with upper level constraints depending
on the lower level solution. Applied Mathematics and Computation 180, 247-254, 2006.

    min_{x,y}  -x - 2y   s.t.  -2x + 3y <= 12,  x + y <= 14,
    y solves   min_y  -y  s.t.  -3x + y <= -3,  3x + y <= 30.

Neither level bounds its variables.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "A.G. Mersha, S. Dempe, Linear bilevel programming with upper level constraints "
    "depending on the lower level solution, Applied Mathematics and Computation 180, "
    "247-254, 2006."
)
NX, NY = 1, 1


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return -x[0] - 2 * y[0]


def G(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Upper-level constraints (``<= 0``)."""
    return [-2 * x[0] + 3 * y[0] - 12, x[0] + y[0] - 14]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return -y[0]


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``)."""
    return [-3 * x[0] + y[0] + 3, 3 * x[0] + y[0] - 30]
