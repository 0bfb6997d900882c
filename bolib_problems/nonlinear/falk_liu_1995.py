"""FalkLiu1995 (BOLIB v2 nonlinear example 30).

J.E. Falk, J. Liu: On bilevel programming, Part I: general nonlinear cases. Mathematical
Programming 70(1), 47-72, 1995.

    min_{x,y}  (x1 - 1.5)^2 + (x2 - 1.5)^2 + y1^2 + y2^2 - 4.5,
    y solves   min_y  (y1 - x1)^2 + (y2 - x2)^2  s.t.  0.5 <= y1, y2 <= 1.5.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "J.E. Falk, J. Liu, On bilevel programming, Part I: general nonlinear cases, "
    "Mathematical Programming 70(1), 47-72, 1995."
)
NX, NY = 2, 2
Y_BOUNDS = ([0.5, 0.5], [1.5, 1.5])
NOTES = (
    "the recorded optimum (sqrt(3)/2 in every coordinate, F* = -2.1962) is not global for "
    "the coded problem: the lower level gives y = x on [0.5, 1.5]^2, so F = sum_i "
    "(x_i - 1.5)^2 + x_i^2 - 4.5 there, minimal at x = y = (0.75, 0.75) with F = -2.25, "
    "f = 0 (outside the box F is larger); the record is kept as the catalogue has it"
)


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return (x[0] - 1.5) ** 2 + (x[1] - 1.5) ** 2 + y[0] ** 2 + y[1] ** 2 - 4.5


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return (y[0] - x[0]) ** 2 + (y[1] - x[1]) ** 2
