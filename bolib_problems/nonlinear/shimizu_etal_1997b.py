"""ShimizuEtal1997b (BOLIB v2 nonlinear example 109).

K. Shimizu, Y. Ishizuka, J.F. Bard: Nondifferentiable and Two-Level Mathematical
Programming. Kluwer Academic Publishers, 1997.

    min_{x,y}  16x^2 + 9y^2   s.t.  x >= 0,  -4x + y <= 0,
    y solves   min_y  (x + y - 20)^4   s.t.  4x + y - 50 <= 0,  y >= 0.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "K. Shimizu, Y. Ishizuka, J.F. Bard, Nondifferentiable and Two-Level Mathematical "
    "Programming, Kluwer Academic Publishers, 1997."
)
NX, NY = 1, 1
X_BOUNDS = ([0.0], [None])
Y_BOUNDS = ([0.0], [None])


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return 16 * x[0] ** 2 + 9 * y[0] ** 2


def G(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Upper-level constraints (``<= 0``)."""
    return [-4 * x[0] + y[0]]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return (x[0] + y[0] - 20) ** 4


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``)."""
    return [4 * x[0] + y[0] - 50]
