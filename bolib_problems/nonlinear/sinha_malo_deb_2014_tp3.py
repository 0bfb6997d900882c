"""SinhaMaloDeb2014TP3 (BOLIB v2 nonlinear example 110).

A. Sinha, P. Malo, K. Deb: An improved bilevel evolutionary algorithm based on quadratic
approximations. 2014 IEEE Congress on Evolutionary Computation (CEC), 1870-1877, 2014;
test problem TP3.

    min_{x,y}  -x1^2 - 3x2^2 - 4y1 + y2^2
        s.t.   x1^2 + 2x2 - 4 <= 0,  x1, x2 >= 0,
    y solves   min_y  2x1^2 + y1^2 - 5y2
        s.t.   -x2 - 3y1 + 4y2 + 4 <= 0,
               -x1^2 + 2x1 - x2^2 + 2y1 - y2 - 3 <= 0,  y1, y2 >= 0.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "A. Sinha, P. Malo, K. Deb, An improved bilevel evolutionary algorithm based on "
    "quadratic approximations, 2014 IEEE Congress on Evolutionary Computation (CEC), "
    "1870-1877, 2014 (TP3)."
)
NX, NY = 2, 2
X_BOUNDS = ([0.0, 0.0], [None, None])
Y_BOUNDS = ([0.0, 0.0], [None, None])


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return -x[0] ** 2 - 3 * x[1] ** 2 - 4 * y[0] + y[1] ** 2


def G(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Upper-level constraints (``<= 0``)."""
    return [x[0] ** 2 + 2 * x[1] - 4]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return 2 * x[0] ** 2 + y[0] ** 2 - 5 * y[1]


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``)."""
    return [
        -x[1] - 3 * y[0] + 4 * y[1] + 4,
        -x[0] ** 2 + 2 * x[0] - x[1] ** 2 + 2 * y[0] - y[1] - 3,
    ]
