"""YeZhu2010Ex43 (BOLIB v2 nonlinear example 120).

J.J. Ye, D.L. Zhu: New necessary optimality conditions for bilevel programs by combining
the MPEC and value function approaches. SIAM Journal on Optimization 20(4), 1885-1905,
2010; Example 4.3.

    min_{x,y}  (x - 1/2)^2 + (y - 2)^2   s.t.  0 <= x <= 4,
    y solves   min_y  y^3 - 3y  s.t.  y >= x - 3.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "J.J. Ye, D.L. Zhu, New necessary optimality conditions for bilevel programs by "
    "combining the MPEC and value function approaches, SIAM Journal on Optimization 20(4), "
    "1885-1905, 2010 (Example 4.3)."
)
NX, NY = 1, 1
X_BOUNDS = ([0.0], [4.0])


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return (x[0] - 0.5) ** 2 + (y[0] - 2) ** 2


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective (cubic, nonconvex in y)."""
    return y[0] ** 3 - 3 * y[0]


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``)."""
    return [x[0] - y[0] - 3]
