"""LamparielloSagratella2017Ex32 (BOLIB v2 nonlinear example 45).

L. Lampariello, S. Sagratella: A bridge between bilevel programs and Nash games. Journal
of Optimization Theory and Applications 174(2), 613-635, 2017; Example 3.2.

    min_{x,y}  x^2 + y^2,
    y solves   min_y  (x + y - 1)^2,

with no constraints at either level.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "L. Lampariello, S. Sagratella, A bridge between bilevel programs and Nash games, "
    "Journal of Optimization Theory and Applications 174(2), 613-635, 2017 (Example 3.2)."
)
NX, NY = 1, 1


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return x[0] ** 2 + y[0] ** 2


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return (x[0] + y[0] - 1) ** 2
