"""Outrata1990Ex1e (BOLIB v2 nonlinear example 93).

J.V. Outrata: On the numerical solution of a class of Stackelberg problems. Zeitschrift
fuer Operations Research 34(4), 255-277, 1990; Example 1 (e).

    min_{x,y}  0.1 (x1^2 + x2^2) + ((y1 - 3)^2 + (y2 - 4)^2) / 2 - 12.5,
    y solves   min_y  (y1^2 + 6 y1 y2 + 10 y2^2) / 2 - (2 x2 - x1) y1 - (3 x1 - 3 x2) y2
               s.t.  -0.333 y1 + y2 <= 2,  y1 - 0.333 y2 <= 2,  y >= 0.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "J.V. Outrata, On the numerical solution of a class of Stackelberg problems, "
    "Zeitschrift fuer Operations Research 34(4), 255-277, 1990 (Example 1, case e)."
)
NX, NY = 2, 2
Y_BOUNDS = ([0.0, 0.0], [None, None])
NOTES = (
    "recorded F* = -3.15 is F at the recorded point, -3.15391, to two decimals"
)


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return 0.1 * (x[0] ** 2 + x[1] ** 2) + 0.5 * ((y[0] - 3) ** 2 + (y[1] - 4) ** 2) - 12.5


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return (0.5 * (y[0] ** 2 + 6 * y[0] * y[1] + 10 * y[1] ** 2)
            - (2 * x[1] - x[0]) * y[0] - (3 * x[0] - 3 * x[1]) * y[1])


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``)."""
    return [-0.333 * y[0] + y[1] - 2, y[0] - 0.333 * y[1] - 2]
