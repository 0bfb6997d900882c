"""ShimizuEtal1997a (BOLIB v2 nonlinear example 108).

K. Shimizu, Y. Ishizuka, J.F. Bard: Nondifferentiable and Two-Level Mathematical
Programming. Kluwer Academic Publishers, 1997.

    min_{x,y}  (x - 5)^2 + (2y + 1)^2,
    y solves   min_y  (y - 1)^2 - 1.5xy
        s.t.   -3x + y + 3 <= 0,  x - y/2 - 4 <= 0,  x + y - 7 <= 0.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "K. Shimizu, Y. Ishizuka, J.F. Bard, Nondifferentiable and Two-Level Mathematical "
    "Programming, Kluwer Academic Publishers, 1997."
)
NX, NY = 1, 1


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return (x[0] - 5) ** 2 + (2 * y[0] + 1) ** 2


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return (y[0] - 1) ** 2 - 1.5 * x[0] * y[0]


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``)."""
    return [-3 * x[0] + y[0] + 3, x[0] - 0.5 * y[0] - 4, x[0] + y[0] - 7]
