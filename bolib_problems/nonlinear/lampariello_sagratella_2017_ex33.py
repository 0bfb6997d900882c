"""LamparielloSagratella2017Ex33 (BOLIB v2 nonlinear example 46).

L. Lampariello, S. Sagratella: A bridge between bilevel programs and Nash games. Journal
of Optimization Theory and Applications 174(2), 613-635, 2017; Example 3.3.

    min_{x,y}  x^2 + (y1 + y2)^2   s.t.  x >= 0.5,
    y solves   min_y  y1  s.t.  x + y1 + y2 >= 1,  y >= 0.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "L. Lampariello, S. Sagratella, A bridge between bilevel programs and Nash games, "
    "Journal of Optimization Theory and Applications 174(2), 613-635, 2017 (Example 3.3)."
)
NX, NY = 1, 2
X_BOUNDS = ([0.5], [None])
Y_BOUNDS = ([0.0, 0.0], [None, None])


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return x[0] ** 2 + (y[0] + y[1]) ** 2


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return y[0]


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``)."""
    return [1 - x[0] - y[0] - y[1]]
