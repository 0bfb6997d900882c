"""GumusFloudas2001Ex4 (BOLIB v2 nonlinear example 35).

Z.H. Gumus, C.A. Floudas: Global optimization of nonlinear bilevel programming problems.
Journal of Global Optimization 20, 1-31, 2001; Example 4.

    min_{x,y}  (x - 3)^2 + (y - 2)^2
               s.t.  0 <= x <= 8,  -2x + y <= 1,  x - 2y <= -2,  x + 2y <= 14,
    y solves   min_y  (y - 5)^2  s.t.  0 <= y <= 10.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "Z.H. Gumus, C.A. Floudas, Global optimization of nonlinear bilevel programming "
    "problems, Journal of Global Optimization 20, 1-31, 2001 (Example 4)."
)
NX, NY = 1, 1
X_BOUNDS = ([0.0], [8.0])
Y_BOUNDS = ([0.0], [10.0])


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return (x[0] - 3) ** 2 + (y[0] - 2) ** 2


def G(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Upper-level constraints (``<= 0``); they involve y, so they stay here."""
    return [
        -2 * x[0] + y[0] - 1,
        x[0] - 2 * y[0] + 2,
        x[0] + 2 * y[0] - 14,
    ]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return (y[0] - 5) ** 2
