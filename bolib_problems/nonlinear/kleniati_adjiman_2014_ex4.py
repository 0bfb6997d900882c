"""KleniatiAdjiman2014Ex4 (BOLIB v2 nonlinear example 42).

P.M. Kleniati, C.S. Adjiman: Branch-and-Sandwich: a deterministic global optimization
algorithm for optimistic bilevel programming problems. Part II: Convergence analysis and
numerical results. Journal of Global Optimization 60, 459-481, 2014; Example 4.

    min_{x,y}  -(|x|^2 + |y|^2)
               s.t.  -1 <= x <= 1,  y1 y2 <= x1,  x1 - exp(x2) + y3 <= 0,  x2 y1^2 <= 0,
    y solves   min_y  y1^3 + (x1 + x2) y2^2 + 0.1 y3 + (y4^2 + y5^2) x3 x4 x5
               s.t.   x1 - 0.2 - y3^2 <= 0,  -1 <= y <= 1,

with x, y in R^5.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "P.M. Kleniati, C.S. Adjiman, Branch-and-Sandwich: a deterministic global optimization "
    "algorithm for optimistic bilevel programming problems. Part II: Convergence analysis "
    "and numerical results, Journal of Global Optimization 60, 459-481, 2014 (Example 4)."
)
NX, NY = 5, 5
X_BOUNDS = ([-1.0] * NX, [1.0] * NX)
Y_BOUNDS = ([-1.0] * NY, [1.0] * NY)


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return -(ca.sumsqr(x) + ca.sumsqr(y))


def G(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Upper-level constraints (``<= 0``)."""
    return [
        y[0] * y[1] - x[0],
        x[0] - ca.exp(x[1]) + y[2],
        x[1] * y[0] ** 2,
    ]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return (
        y[0] ** 3 + (x[0] + x[1]) * y[1] ** 2 + 0.1 * y[2]
        + (y[3] ** 2 + y[4] ** 2) * x[2] * x[3] * x[4]
    )


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``)."""
    return [x[0] - 0.2 - y[2] ** 2]
