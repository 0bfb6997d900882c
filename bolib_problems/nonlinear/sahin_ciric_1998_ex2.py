"""SahinCiric1998Ex2 (BOLIB v2 nonlinear example 105).

K.H. Sahin, A.R. Ciric: A dual temperature simulated annealing approach for solving
bilevel programming problems. Computers & Chemical Engineering 23(1), 11-25, 1998;
Example 2.

    min_{x,y}  (x - 3)^2 + (y - 2)^2   s.t.  0 <= x <= 8,
    y solves   min_y  (y - 5)^2
        s.t.   -2x + y - 1 <= 0,  x - 2y + 2 <= 0,  x + 2y - 14 <= 0.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "K.H. Sahin, A.R. Ciric, A dual temperature simulated annealing approach for solving "
    "bilevel programming problems, Computers & Chemical Engineering 23(1), 11-25, 1998 "
    "(Example 2)."
)
NX, NY = 1, 1
X_BOUNDS = ([0.0], [8.0])


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return (x[0] - 3) ** 2 + (y[0] - 2) ** 2


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return (y[0] - 5) ** 2


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``)."""
    return [-2 * x[0] + y[0] - 1, x[0] - 2 * y[0] + 2, x[0] + 2 * y[0] - 14]
