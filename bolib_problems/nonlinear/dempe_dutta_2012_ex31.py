"""DempeDutta2012Ex31 (BOLIB v2 nonlinear example 22).

S. Dempe, J. Dutta: Is bilevel programming a special case of a mathematical program with
complementarity constraints? Mathematical Programming 131, 37-48, 2012; Example 3.1.

    min_{x,y}  -y2   s.t.  x >= 0,  y1 y2 = 0,
    y solves   min_y  y1^2 + (y2 + 1)^2
               s.t.  (y1 - x1)^2 + (y2 - x1 - 1)^2 <= 1,
                     (y1 + x2)^2 + (y2 - x2 - 1)^2 <= 1.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "S. Dempe, J. Dutta, Is bilevel programming a special case of a mathematical program "
    "with complementarity constraints?, Mathematical Programming 131, 37-48, 2012 "
    "(Example 3.1)."
)
NX, NY = 2, 2
X_BOUNDS = ([0.0, 0.0], [None, None])


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return -y[1]


def H(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Upper-level equality (``= 0``)."""
    return [y[0] * y[1]]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return y[0] ** 2 + (y[1] + 1) ** 2


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``)."""
    return [
        (y[0] - x[0]) ** 2 + (y[1] - x[0] - 1) ** 2 - 1,
        (y[0] + x[1]) ** 2 + (y[1] - x[1] - 1) ** 2 - 1,
    ]
