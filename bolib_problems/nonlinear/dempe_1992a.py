"""Dempe1992a (BOLIB v2 nonlinear example 19).

S. Dempe: A necessary and a sufficient optimality condition for bilevel programming
problems. Optimization 25, 341-354, 1992.

    min_{x,y}  y2   s.t.  x1^2 + (x2 + 1)^2 <= 1,
    y solves   min_y  ((y1 - 1)^2 + y2^2) / 2  s.t.  y1 + x1 y2 + x2 <= 0,  y1 <= 0.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "S. Dempe, A necessary and a sufficient optimality condition for bilevel programming "
    "problems, Optimization 25, 341-354, 1992."
)
NX, NY = 2, 2
Y_BOUNDS = ([None, None], [0.0, None])
NOTES = (
    "as coded, G forces x2 <= 0, so y = (0, 0) (the projection of (1, 0) onto y1 <= 0) is "
    "lower-level feasible and hence the unique lower-level solution for every feasible x: "
    "F = 0, f = 0.5 on the whole feasible set; the recorded possible point (0, 0, 0, -0.5) "
    "(F = -0.5, f = 0.625) is not lower-level optimal"
)


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return y[1]


def G(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Upper-level constraints (``<= 0``)."""
    return [x[0] ** 2 + (x[1] + 1) ** 2 - 1]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return 0.5 * ((y[0] - 1) ** 2 + y[1] ** 2)


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``)."""
    return [y[0] + y[1] * x[0] + x[1]]
