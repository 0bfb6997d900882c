"""SinhaMaloDeb2014TP10 (BOLIB v2 nonlinear example 115).

A. Sinha, P. Malo, K. Deb: An improved bilevel evolutionary algorithm based on quadratic
approximations. 2014 IEEE Congress on Evolutionary Computation (CEC), 1870-1877, 2014;
test problem TP10.

    min_{x,y}  sum_{i=1}^{10} (x_i - 1)^2 + y_i^2,
    y solves   min_y  exp(1 + sum_i (x_i y_i)^2 / 4000 - prod_i cos(x_i y_i / sqrt(i)))
               s.t.   -pi <= y_i <= pi,  i = 1, ..., 10,

with x, y in R^10.
"""

from __future__ import annotations

import math

import casadi as ca

SOURCE = (
    "A. Sinha, P. Malo, K. Deb, An improved bilevel evolutionary algorithm based on "
    "quadratic approximations, 2014 IEEE Congress on Evolutionary Computation (CEC), "
    "1870-1877, 2014 (TP10)."
)
NX, NY = 10, 10
Y_BOUNDS = ([-math.pi] * NY, [math.pi] * NY)


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return ca.sumsqr(x - 1) + ca.sumsqr(y)


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective (Griewank-type, nonconvex in y)."""
    xy = x * y
    prod = 1
    for i in range(NY):
        prod = prod * ca.cos(xy[i] / math.sqrt(i + 1))
    return ca.exp(1 + ca.sumsqr(xy) / 4000 - prod)
