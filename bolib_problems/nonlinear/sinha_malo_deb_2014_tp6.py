"""SinhaMaloDeb2014TP6 (BOLIB v2 nonlinear example 111).

A. Sinha, P. Malo, K. Deb: An improved bilevel evolutionary algorithm based on quadratic
approximations. 2014 IEEE Congress on Evolutionary Computation (CEC), 1870-1877, 2014;
test problem TP6.

    min_{x,y}  (x - 1)^2 - 2x + 2y1   s.t.  x >= 0,
    y solves   min_y  (2y1 - 4)^2 + (2y2 - 1)^2 + x y1
        s.t.   4x + 5y1 + 4y2 - 12 <= 0,  -4x - 5y1 + 4y2 + 4 <= 0,
               4x - 4y1 + 5y2 - 4 <= 0,  -4x + 4y1 + 5y2 - 4 <= 0,  y1, y2 >= 0.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "A. Sinha, P. Malo, K. Deb, An improved bilevel evolutionary algorithm based on "
    "quadratic approximations, 2014 IEEE Congress on Evolutionary Computation (CEC), "
    "1870-1877, 2014 (TP6)."
)
NX, NY = 1, 2
X_BOUNDS = ([0.0], [None])
Y_BOUNDS = ([0.0, 0.0], [None, None])


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return (x[0] - 1) ** 2 - 2 * x[0] + 2 * y[0]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return (2 * y[0] - 4) ** 2 + (2 * y[1] - 1) ** 2 + x[0] * y[0]


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``)."""
    return [
        4 * x[0] + 5 * y[0] + 4 * y[1] - 12,
        -4 * x[0] - 5 * y[0] + 4 * y[1] + 4,
        4 * x[0] - 4 * y[0] + 5 * y[1] - 4,
        -4 * x[0] + 4 * y[0] + 5 * y[1] - 4,
    ]
