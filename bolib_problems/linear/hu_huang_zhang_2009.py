"""HuHuangZhang2009 (BOLIB v2 linear example 153).

T. Hu, B. Huang, X. Zhang: A neural network approach for solving linear bilevel
programming problem. Proceedings of the 6th ISNN Conference, AISC 56, 649-658, 2009.

    min_{x,y}  -4x - y1 - y2   s.t.  x >= 0,
    y solves   min_y  -x - 3 y1
               s.t.   x + y1 + y2 <= 25/9,  x + y2 <= 2,  y1 + y2 <= 8/9,  y >= 0.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "T. Hu, B. Huang, X. Zhang, A neural network approach for solving linear bilevel "
    "programming problem, Proceedings of the 6th ISNN Conference, AISC 56, 649-658, 2009."
)
NX, NY = 1, 2
X_BOUNDS = ([0.0], [None])
Y_BOUNDS = ([0.0, 0.0], [None, None])
NOTES = (
    "BOLIB corrects the source, whose row x + y1 <= 2 should read x + y2 <= 2; the corrected "
    "row is used. With it the recorded global optimum (17/9, 8/9, 0), F = -76/9, is beaten: "
    "(x, y) = (2, 7/9, 0) is bilevel feasible with F = -79/9 = -8.7778, f = -13/3 (at x = 2 "
    "the follower's unique optimum is y = (7/9, 0), lower-level gap 0)"
)


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return -4 * x[0] - y[0] - y[1]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return -x[0] - 3 * y[0]


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``)."""
    return [x[0] + y[0] + y[1] - 25 / 9, x[0] + y[1] - 2, y[0] + y[1] - 8 / 9]
