"""SinhaMaloDeb2014TP8 (BOLIB v2 nonlinear example 113).

A. Sinha, P. Malo, K. Deb: An improved bilevel evolutionary algorithm based on quadratic
approximations. 2014 IEEE Congress on Evolutionary Computation (CEC), 1870-1877, 2014;
test problem TP8.

    min_{x,y}  (2x1 + 2x2 - 3y1 - 3y2 - 60)^2
        s.t.   x1 + x2 + y1 - 2y2 - 40 <= 0,  0 <= x1, x2 <= 50,
    y solves   min_y  (y1 - x1 + 20)^2 + (y2 - x2 + 20)^2
        s.t.   2y1 - x1 + 10 <= 0,  2y2 - x2 + 10 <= 0,  -10 <= y1, y2 <= 20.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "A. Sinha, P. Malo, K. Deb, An improved bilevel evolutionary algorithm based on "
    "quadratic approximations, 2014 IEEE Congress on Evolutionary Computation (CEC), "
    "1870-1877, 2014 (TP8)."
)
NX, NY = 2, 2
X_BOUNDS = ([0.0, 0.0], [50.0, 50.0])
Y_BOUNDS = ([-10.0, -10.0], [20.0, 20.0])
NOTES = (
    "the catalogue records no point; (x, y) = (0, 30, -10, 10) is feasible, y is the "
    "lower-level solution for x = (0, 30), and it gives F = 0, f = 100, the recorded values"
)


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return (2 * x[0] + 2 * x[1] - 3 * y[0] - 3 * y[1] - 60) ** 2


def G(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Upper-level constraints (``<= 0``)."""
    return [x[0] + x[1] + y[0] - 2 * y[1] - 40]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return (y[0] - x[0] + 20) ** 2 + (y[1] - x[1] + 20) ** 2


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``)."""
    return [2 * y[0] - x[0] + 10, 2 * y[1] - x[1] + 10]
