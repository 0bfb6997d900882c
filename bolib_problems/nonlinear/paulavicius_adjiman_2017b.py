"""PaulaviciusAdjiman2017b (BOLIB v2 nonlinear example 104).

R. Paulavicius, C.S. Adjiman, 2017, as cited by BOLIB v2: bilevel test problems of the
Branch-and-Sandwich work and its BASBLib test set (https://github.com/basblsolver/BASBLib);
the second of the two BOLIB examples under this name.

    min_{x,y}  x + y   s.t.  -1 <= x <= 1,  -1 <= y <= 1,
    y solves   min_y  x y^2 / 2 - x^3 y   s.t.  -1 <= y <= 1.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "R. Paulavicius, C.S. Adjiman, 2017, as cited by BOLIB v2 (Branch-and-Sandwich bilevel "
    "solver work, BASBLib test set, https://github.com/basblsolver/BASBLib)."
)
NX, NY = 1, 1
X_BOUNDS = ([-1.0], [1.0])
Y_BOUNDS = ([-1.0], [1.0])


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return x[0] + y[0]


def G(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Upper-level constraints (``<= 0``)."""
    return [-y[0] - 1, y[0] - 1]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return 0.5 * x[0] * y[0] ** 2 - x[0] ** 3 * y[0]
