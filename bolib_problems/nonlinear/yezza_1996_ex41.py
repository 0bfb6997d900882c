"""Yezza1996Ex41 (BOLIB v2 nonlinear example 122).

A. Yezza: First-order necessary optimality conditions for general bilevel programming
problems. Journal of Optimization Theory and Applications 89(1), 189-219, 1996;
Example 4.1.

    min_{x,y}  (y - 2)^2 / 2 + (x - y - 2)^2 / 2,
    y solves   min_y  y^2 / 2 + x - y  s.t.  0 <= y <= x.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "A. Yezza, First-order necessary optimality conditions for general bilevel programming "
    "problems, Journal of Optimization Theory and Applications 89(1), 189-219, 1996 "
    "(Example 4.1)."
)
NX, NY = 1, 1
Y_BOUNDS = ([0.0], [None])


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return 0.5 * (y[0] - 2) ** 2 + 0.5 * (x[0] - y[0] - 2) ** 2


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return 0.5 * y[0] ** 2 + x[0] - y[0]


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``)."""
    return [y[0] - x[0]]
