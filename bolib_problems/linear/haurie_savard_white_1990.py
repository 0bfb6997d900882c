"""HaurieSavardWhite1990 (BOLIB v2 linear example 152).

A. Haurie, G. Savard, D. White: A note on: An efficient point algorithm for a linear
two-stage optimization problem. Operations Research 38, 553-555, 1990.

    min_{x,y}  x + 5y,
    y solves   min_y  -y  s.t.  -3x + 2y <= 6,  3x + 4y <= 48,  2x - 5y <= 9,  x + y >= 8.

Neither level bounds its variables.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "A. Haurie, G. Savard, D. White, A note on: An efficient point algorithm for a linear "
    "two-stage optimization problem, Operations Research 38, 553-555, 1990."
)
NX, NY = 1, 1


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return x[0] + 5 * y[0]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return -y[0]


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``)."""
    return [
        -3 * x[0] + 2 * y[0] - 6,
        3 * x[0] + 4 * y[0] - 48,
        2 * x[0] - 5 * y[0] - 9,
        8 - x[0] - y[0],
    ]
