"""CalamaiVicente1994b (BOLIB v2 nonlinear example 10).

P.H. Calamai, L.N. Vicente: Generating quadratic bilevel programming test problems. ACM
Transactions on Mathematical Software 20(1), 103-119, 1994.

    min_{x,y}  sum_i (x_i - 1)^2 / 2 + (y1^2 + y2^2) / 2,   x in R^4,
    y solves   min_y  (y1^2 + y2^2) / 2 - x1 y1 - x2 y2
        s.t.   x1 - y1 <= 1,  x2 - y2 <= 1,  x1 + y1 <= 1.5,  x2 + y2 <= 3,
               x1 + y1 >= 1,  x2 + y2 >= 1.

x3 and x4 enter only the upper-level objective.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "P.H. Calamai, L.N. Vicente, Generating quadratic bilevel programming test problems, "
    "ACM Transactions on Mathematical Software 20(1), 103-119, 1994."
)
NX, NY = 4, 2
START = ([1.0, 1.0, 1.0, 1.0], [1.0, 1.0])
NOTES = (
    "the library's start point has 7 entries for nx + ny = 6 (all ones); START uses six "
    "ones"
)
_RHS = [1.0, 1.0, 1.5, 3.0, -1.0, -1.0]


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return 0.5 * ca.sumsqr(x - 1) + 0.5 * ca.sumsqr(y)


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return 0.5 * ca.sumsqr(y) - x[0] * y[0] - x[1] * y[1]


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``)."""
    lhs = [
        x[0] - y[0], x[1] - y[1], x[0] + y[0], x[1] + y[1], -x[0] - y[0], -x[1] - y[1],
    ]
    return [row - rhs for row, rhs in zip(lhs, _RHS, strict=True)]
