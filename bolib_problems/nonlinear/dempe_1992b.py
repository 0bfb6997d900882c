"""Dempe1992b (BOLIB v2 nonlinear example 20).

S. Dempe: A necessary and a sufficient optimality condition for bilevel programming
problems. Optimization 25, 341-354, 1992.

    min_{x,y}  (x - 3.5)^2 + (y + 4)^2,
    y solves   min_y  (y - 3)^2  s.t.  y^2 <= x.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "S. Dempe, A necessary and a sufficient optimality condition for bilevel programming "
    "problems, Optimization 25, 341-354, 1992."
)
NX, NY = 1, 1
NOTES = (
    "the lower-level solution is y(x) = min(3, sqrt(x)); the recorded values F = 31.25, "
    "f = 4 are attained at (x, y) = (1, 1), a stationary point of F(x, y(x))"
)


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return (x[0] - 3.5) ** 2 + (y[0] + 4) ** 2


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return (y[0] - 3) ** 2


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``)."""
    return [y[0] ** 2 - x[0]]
