"""Outrata1994Ex31 (BOLIB v2 nonlinear example 101).

J.V. Outrata: On optimization problems with variational inequality constraints. SIAM
Journal on Optimization 4(2), 340-357, 1994; Example 3.1.

    min_{x,y}  ((y1 - 3)^2 + (y2 - 4)^2) / 2   s.t.  0 <= x <= 10,
    y solves   min_y  ((1 + 0.2 x) y1^2 + (1 + 0.1 x) y2^2) / 2 - (3 + 1.333 x) y1 - x y2
               s.t.  -0.333 y1 + y2 + 0.1 x <= 1,  y1^2 + y2^2 <= 9 + 0.1 x,  y >= 0.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "J.V. Outrata, On optimization problems with variational inequality constraints, "
    "SIAM Journal on Optimization 4(2), 340-357, 1994 (Example 3.1)."
)
NX, NY = 1, 2
X_BOUNDS = ([0.0], [10.0])
Y_BOUNDS = ([0.0, 0.0], [None, None])


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return 0.5 * ((y[0] - 3) ** 2 + (y[1] - 4) ** 2)


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return (0.5 * (1 + 0.2 * x[0]) * y[0] ** 2 + 0.5 * (1 + 0.1 * x[0]) * y[1] ** 2
            - (3 + 1.333 * x[0]) * y[0] - x[0] * y[1])


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``)."""
    return [-0.333 * y[0] + y[1] + 0.1 * x[0] - 1, y[0] ** 2 + y[1] ** 2 - 0.1 * x[0] - 9]
