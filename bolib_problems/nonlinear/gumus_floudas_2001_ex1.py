"""GumusFloudas2001Ex1 (BOLIB v2 nonlinear example 33).

Z.H. Gumus, C.A. Floudas: Global optimization of nonlinear bilevel programming problems.
Journal of Global Optimization 20, 1-31, 2001; Example 1.

    min_{x,y}  16x^2 + 9y^2   s.t.  0 <= x <= 12.5,  y <= 4x,
    y solves   min_y  (x + y - 20)^4  s.t.  4x + y <= 50,  0 <= y <= 50.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "Z.H. Gumus, C.A. Floudas, Global optimization of nonlinear bilevel programming "
    "problems, Journal of Global Optimization 20, 1-31, 2001 (Example 1)."
)
NX, NY = 1, 1
X_BOUNDS = ([0.0], [12.5])
Y_BOUNDS = ([0.0], [50.0])


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return 16 * x[0] ** 2 + 9 * y[0] ** 2


def G(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Upper-level constraints (``<= 0``)."""
    return [y[0] - 4 * x[0]]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return (x[0] + y[0] - 20) ** 4


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``)."""
    return [4 * x[0] + y[0] - 50]
