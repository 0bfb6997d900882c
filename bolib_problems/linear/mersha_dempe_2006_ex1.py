"""MershaDempe2006Ex1 (BOLIB v2 linear example 156).

A.G. Mersha, S. Dempe: Linear bilevel programming with upper level constraints depending
on the lower level solution. Applied Mathematics and Computation 180, 247-254, 2006.

    min_{x,y}  x - 8y   s.t.  x >= 0,
    y solves   min_y  y  s.t.  5x - 2y <= 33,  x + 2y >= 9,  -7x + 3y <= 5,  x + y <= 15,
                               y >= 0.

The source's problem, with the rows of the lower level in the upper level, has no optimal
solution; BOLIB moves them into the lower level, as here. No optimum is recorded.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "A.G. Mersha, S. Dempe, Linear bilevel programming with upper level constraints "
    "depending on the lower level solution, Applied Mathematics and Computation 180, "
    "247-254, 2006."
)
NX, NY = 1, 1
X_BOUNDS = ([0.0], [None])
Y_BOUNDS = ([0.0], [None])
NOTES = (
    "no record; (x, y) = (9, 6) is bilevel feasible with F = -39, f = 6 (the follower's only "
    "feasible point at x = 9 is y = 6), and a one-dimensional analysis of y(x) shows it is "
    "the optimum of this version"
)


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return x[0] - 8 * y[0]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return y[0]


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``)."""
    return [
        5 * x[0] - 2 * y[0] - 33,
        9 - x[0] - 2 * y[0],
        -7 * x[0] + 3 * y[0] - 5,
        x[0] + y[0] - 15,
    ]
