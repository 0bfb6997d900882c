"""LamparielloSagratella2017Ex35 (BOLIB v2 nonlinear example 47).

L. Lampariello, S. Sagratella: A bridge between bilevel programs and Nash games. Journal
of Optimization Theory and Applications 174(2), 613-635, 2017; Example 3.5.

    min_{x,y}  x^2 + y^2   s.t.  -1 <= x <= 1,
    y solves   min_y  -y  s.t.  2x + y <= 2,  0 <= y <= 1.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "L. Lampariello, S. Sagratella, A bridge between bilevel programs and Nash games, "
    "Journal of Optimization Theory and Applications 174(2), 613-635, 2017 (Example 3.5)."
)
NX, NY = 1, 1
X_BOUNDS = ([-1.0], [1.0])
Y_BOUNDS = ([0.0], [1.0])


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return x[0] ** 2 + y[0] ** 2


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return -y[0]


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``)."""
    return [2 * x[0] + y[0] - 2]
