"""Yezza1996Ex31 (BOLIB v2 nonlinear example 121).

A. Yezza: First-order necessary optimality conditions for general bilevel programming
problems. Journal of Optimization Theory and Applications 89(1), 189-219, 1996;
Example 3.1.

    min_{x,y}  -(4x - 3) y + 2x + 1   s.t.  0 <= x <= 1,
    y solves   min_y  -(1 - 4x) y - 2x - 2  s.t.  0 <= y <= 1.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "A. Yezza, First-order necessary optimality conditions for general bilevel programming "
    "problems, Journal of Optimization Theory and Applications 89(1), 189-219, 1996 "
    "(Example 3.1)."
)
NX, NY = 1, 1
X_BOUNDS = ([0.0], [1.0])
Y_BOUNDS = ([0.0], [1.0])


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return -(4 * x[0] - 3) * y[0] + 2 * x[0] + 1


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective (bilinear in x, y)."""
    return -(1 - 4 * x[0]) * y[0] - 2 * x[0] - 2
