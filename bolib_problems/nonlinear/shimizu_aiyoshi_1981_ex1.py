"""ShimizuAiyoshi1981Ex1 (BOLIB v2 nonlinear example 106).

K. Shimizu, E. Aiyoshi: A new computational method for Stackelberg and min-max problems by
use of a penalty method. IEEE Transactions on Automatic Control 26(2), 460-466, 1981;
Example 1.

    min_{x,y}  x^2 + (y - 10)^2   s.t.  0 <= x <= 15,  y - x <= 0,
    y solves   min_y  (x + 2y - 30)^2   s.t.  x + y - 20 <= 0,  0 <= y <= 20.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "K. Shimizu, E. Aiyoshi, A new computational method for Stackelberg and min-max "
    "problems by use of a penalty method, IEEE Transactions on Automatic Control 26(2), "
    "460-466, 1981 (Example 1)."
)
NX, NY = 1, 1
X_BOUNDS = ([0.0], [15.0])
Y_BOUNDS = ([0.0], [20.0])


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return x[0] ** 2 + (y[0] - 10) ** 2


def G(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Upper-level constraints (``<= 0``)."""
    return [y[0] - x[0]]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return (x[0] + 2 * y[0] - 30) ** 2


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``)."""
    return [x[0] + y[0] - 20]
