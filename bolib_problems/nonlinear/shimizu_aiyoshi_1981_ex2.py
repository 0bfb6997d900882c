"""ShimizuAiyoshi1981Ex2 (BOLIB v2 nonlinear example 107).

K. Shimizu, E. Aiyoshi: A new computational method for Stackelberg and min-max problems by
use of a penalty method. IEEE Transactions on Automatic Control 26(2), 460-466, 1981;
Example 2.

    min_{x,y}  (x1 - 30)^2 + (x2 - 20)^2 - 20y1 + 20y2
        s.t.   x1 + 2x2 >= 30,  x1 + x2 <= 25,  x2 <= 15,
    y solves   min_y  (x1 - y1)^2 + (x2 - y2)^2   s.t.  0 <= y1, y2 <= 10.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "K. Shimizu, E. Aiyoshi, A new computational method for Stackelberg and min-max "
    "problems by use of a penalty method, IEEE Transactions on Automatic Control 26(2), "
    "460-466, 1981 (Example 2)."
)
NX, NY = 2, 2
X_BOUNDS = ([None, None], [None, 15.0])
Y_BOUNDS = ([0.0, 0.0], [10.0, 10.0])


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return (x[0] - 30) ** 2 + (x[1] - 20) ** 2 - 20 * y[0] + 20 * y[1]


def G(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Upper-level constraints (``<= 0``)."""
    return [30 - x[0] - 2 * x[1], x[0] + x[1] - 25]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return (x[0] - y[0]) ** 2 + (x[1] - y[1]) ** 2
