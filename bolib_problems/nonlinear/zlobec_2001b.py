"""Zlobec2001b (BOLIB v2 nonlinear example 124).

S. Zlobec: Bilevel programming: optimality conditions and duality. In: C. Floudas,
P. Pardalos (eds.), Encyclopedia of Optimization, 180-185, Springer, 2001.

    min_{x,y}  x + y   s.t.  0 <= x <= 1,
    y solves   min_y  -y  s.t.  0 <= y <= 1,  x y = 0.

For x > 0 the follower must take y = 0 (F = x); at x = 0 it takes y = 1 (F = 1). The
infimum F = 0 is not attained: the problem has no optimal solution.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "S. Zlobec, Bilevel programming: optimality conditions and duality, in: C. Floudas, "
    "P. Pardalos (eds.), Encyclopedia of Optimization, 180-185, Springer, 2001."
)
NX, NY = 1, 1
X_BOUNDS = ([0.0], [1.0])
Y_BOUNDS = ([0.0], [1.0])


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return x[0] + y[0]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return -y[0]


def h(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level equality (``= 0``; the library codes it as two inequalities)."""
    return [x[0] * y[0]]
