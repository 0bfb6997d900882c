"""SinhaMaloDeb2014TP7 (BOLIB v2 nonlinear example 112).

A. Sinha, P. Malo, K. Deb: An improved bilevel evolutionary algorithm based on quadratic
approximations. 2014 IEEE Congress on Evolutionary Computation (CEC), 1870-1877, 2014;
test problem TP7.

    min_{x,y}  -(x1 + y1)(x2 + y2) / (1 + x1 y1 + x2 y2)
        s.t.   x1 - x2 <= 0,  x1^2 + x2^2 <= 100,  x1, x2 >= 0,
    y solves   min_y  (x1 + y1)(x2 + y2) / (1 + x1 y1 + x2 y2)
        s.t.   y1 <= x1,  y2 <= x2,  y1, y2 >= 0.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "A. Sinha, P. Malo, K. Deb, An improved bilevel evolutionary algorithm based on "
    "quadratic approximations, 2014 IEEE Congress on Evolutionary Computation (CEC), "
    "1870-1877, 2014 (TP7)."
)
NX, NY = 2, 2
X_BOUNDS = ([0.0, 0.0], [None, None])
Y_BOUNDS = ([0.0, 0.0], [None, None])


def _ratio(x: ca.SX, y: ca.SX) -> ca.SX:
    """The common quotient ``(x1 + y1)(x2 + y2) / (1 + x'y)``."""
    return (x[0] + y[0]) * (x[1] + y[1]) / (1 + x[0] * y[0] + x[1] * y[1])


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return -_ratio(x, y)


def G(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Upper-level constraints (``<= 0``)."""
    return [x[0] - x[1], x[0] ** 2 + x[1] ** 2 - 100]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return _ratio(x, y)


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``)."""
    return [y[0] - x[0], y[1] - x[1]]
