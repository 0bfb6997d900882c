"""Outrata1990Ex2d (BOLIB v2 nonlinear example 97).

J.V. Outrata: On the numerical solution of a class of Stackelberg problems. Zeitschrift
fuer Operations Research 34(4), 255-277, 1990; Example 2 (d).

    min_{x,y}  ((y1 - 3)^2 + (y2 - 4)^2) / 2   s.t.  x >= 0,
    y solves   min_y  (y1^2 + y2^2) / 2 - (3 + 1.333 x) y1 - x y2
               s.t.  (0.1 x - 0.333) y1 + y2 <= x,  y1 - (0.333 + 0.1 x) y2 <= 2,  y >= 0.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "J.V. Outrata, On the numerical solution of a class of Stackelberg problems, "
    "Zeitschrift fuer Operations Research 34(4), 255-277, 1990 (Example 2, case d)."
)
NX, NY = 1, 2
X_BOUNDS = ([0.0], [None])
Y_BOUNDS = ([0.0, 0.0], [None, None])
NOTES = (
    "recorded F* = 0.92, f* = -19.47 are the values at the recorded point, F = 0.919712, "
    "f = -19.4686, to two decimals; that point exceeds y1 - (0.333 + 0.1 x) y2 <= 2 by "
    "0.00016 (rounded point)"
)


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return 0.5 * ((y[0] - 3) ** 2 + (y[1] - 4) ** 2)


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return 0.5 * (y[0] ** 2 + y[1] ** 2) - (3 + 1.333 * x[0]) * y[0] - x[0] * y[1]


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``)."""
    return [
        (0.1 * x[0] - 0.333) * y[0] + y[1] - x[0],
        y[0] - (0.333 + 0.1 * x[0]) * y[1] - 2,
    ]
