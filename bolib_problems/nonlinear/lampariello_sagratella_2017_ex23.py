"""LamparielloSagratella2017Ex23 (BOLIB v2 nonlinear example 43).

L. Lampariello, S. Sagratella: A bridge between bilevel programs and Nash games. Journal
of Optimization Theory and Applications 174(2), 613-635, 2017; Example 2.3.

    min_{x,y}  x   s.t.  -1 <= x <= 1,
    y solves   min_y  (x - y1)^2 + (y2 + 1)^2  s.t.  y1^3 <= y2,  y2 >= 0.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "L. Lampariello, S. Sagratella, A bridge between bilevel programs and Nash games, "
    "Journal of Optimization Theory and Applications 174(2), 613-635, 2017 (Example 2.3)."
)
NX, NY = 1, 2
X_BOUNDS = ([-1.0], [1.0])
Y_BOUNDS = ([None, 0.0], [None, None])


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return x[0]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return (x[0] - y[0]) ** 2 + (y[1] + 1) ** 2


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``)."""
    return [y[0] ** 3 - y[1]]
