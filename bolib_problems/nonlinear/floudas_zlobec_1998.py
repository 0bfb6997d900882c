"""FloudasZlobec1998 (BOLIB v2 nonlinear example 32).

C.A. Floudas, S. Zlobec: Optimality and duality in parametric convex lexicographic
programming. In: A. Migdalas, P.M. Pardalos, P. Varbrand (eds.), Multilevel Optimization:
Algorithms and Applications, pp. 359-379, Springer, 1998.

    min_{x,y}  x^3 y1 + y2   s.t.  0 <= x <= 1,
    y solves   min_y  -y2  s.t.  x y1 <= 10,  y1^2 + x y2 <= 1,
                                 -1 <= y1 <= 1,  0 <= y2 <= 100.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "C.A. Floudas, S. Zlobec, Optimality and duality in parametric convex lexicographic "
    "programming, in: Multilevel Optimization: Algorithms and Applications, pp. 359-379, "
    "Springer, 1998."
)
NX, NY = 1, 2
X_BOUNDS = ([0.0], [1.0])
Y_BOUNDS = ([-1.0, 0.0], [1.0, 100.0])


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return x[0] ** 3 * y[0] + y[1]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return -y[1]


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``)."""
    return [x[0] * y[0] - 10, y[0] ** 2 + x[0] * y[1] - 1]
