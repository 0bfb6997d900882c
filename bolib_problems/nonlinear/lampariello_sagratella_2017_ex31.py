"""LamparielloSagratella2017Ex31 (BOLIB v2 nonlinear example 44).

L. Lampariello, S. Sagratella: A bridge between bilevel programs and Nash games. Journal
of Optimization Theory and Applications 174(2), 613-635, 2017; Example 3.1.

    min_{x,y}  x^2 + y^2   s.t.  x >= 1,
    y solves   min_y  y  s.t.  x + y >= 1.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "L. Lampariello, S. Sagratella, A bridge between bilevel programs and Nash games, "
    "Journal of Optimization Theory and Applications 174(2), 613-635, 2017 (Example 3.1)."
)
NX, NY = 1, 1
X_BOUNDS = ([1.0], [None])


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return x[0] ** 2 + y[0] ** 2


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return y[0]


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``)."""
    return [1 - x[0] - y[0]]
