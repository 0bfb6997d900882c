"""DempeDutta2012Ex24 (BOLIB v2 nonlinear example 21).

S. Dempe, J. Dutta: Is bilevel programming a special case of a mathematical program with
complementarity constraints? Mathematical Programming 131(1-2), 37-48, 2012; Example 2.4.

    min_{x,y}  (x - 1)^2 + y^2,
    y solves   min_y  x^2 y  s.t.  y^2 <= 0.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "S. Dempe, J. Dutta, Is bilevel programming a special case of a mathematical program "
    "with complementarity constraints?, Mathematical Programming 131(1-2), 37-48, 2012 "
    "(Example 2.4)."
)
NX, NY = 1, 1
NOTES = (
    "the lower-level constraint y^2 <= 0 (as coded) fixes y = 0 but violates Slater's "
    "condition, so lower-level KKT multipliers exist only where x = 0"
)


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return (x[0] - 1) ** 2 + y[0] ** 2


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return x[0] ** 2 * y[0]


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``)."""
    return [y[0] ** 2]
