"""SinhaMaloDeb2014TP9 (BOLIB v2 nonlinear example 114).

A. Sinha, P. Malo, K. Deb: An improved bilevel evolutionary algorithm based on quadratic
approximations. 2014 IEEE Congress on Evolutionary Computation (CEC), 1870-1877, 2014;
test problem TP9.

    min_{x,y}  sum_{i=1}^{10} (x_i - 1)^2 + y_i^2,
    y solves   min_y  exp[(1 + |y|^2 / 4000 - prod_{i=1}^{10} cos(y_i / sqrt(i))) |x|^2]
        s.t.   -pi <= y_i <= pi,  i = 1, ..., 10,

with x, y in R^10 (the lower-level exponent is a Griewank function of y times |x|^2).
"""

from __future__ import annotations

import math

import casadi as ca

SOURCE = (
    "A. Sinha, P. Malo, K. Deb, An improved bilevel evolutionary algorithm based on "
    "quadratic approximations, 2014 IEEE Congress on Evolutionary Computation (CEC), "
    "1870-1877, 2014 (TP9)."
)
NX, NY = 10, 10
Y_BOUNDS = ([-math.pi] * NY, [math.pi] * NY)


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return ca.sumsqr(x - 1) + ca.sumsqr(y)


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    prod = 1
    for i in range(NY):
        prod = prod * ca.cos(y[i] / math.sqrt(i + 1))
    return ca.exp((1 + ca.sumsqr(y) / 4000 - prod) * ca.sumsqr(x))
