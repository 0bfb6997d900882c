"""Zlobec2001a (BOLIB v2 nonlinear example 123).

S. Zlobec: Bilevel programming: optimality conditions and duality. In: C. Floudas,
P. Pardalos (eds.), Encyclopedia of Optimization, 180-185, Springer, 2001.

    min_{x,y}  -y1 / x,
    y solves   min_y  -y1 - y2  s.t.  y1 + x y2 <= 1,  y >= 0.

The upper-level objective is undefined at x = 0; x is otherwise free, as in the library.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "S. Zlobec, Bilevel programming: optimality conditions and duality, in: C. Floudas, "
    "P. Pardalos (eds.), Encyclopedia of Optimization, 180-185, Springer, 2001."
)
NX, NY = 1, 2
Y_BOUNDS = ([0.0, 0.0], [None, None])


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return -y[0] / x[0]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return -y[0] - y[1]


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``)."""
    return [y[0] + x[0] * y[1] - 1]
