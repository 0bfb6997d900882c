"""PaulaviciusAdjiman2017a (BOLIB v2 nonlinear example 103).

R. Paulavicius, C.S. Adjiman, 2017, as cited by BOLIB v2: bilevel test problems of the
Branch-and-Sandwich work and its BASBLib test set (https://github.com/basblsolver/BASBLib);
the first of the two BOLIB examples under this name.

    min_{x,y}  x^2 + y^2   s.t.  -1 <= x <= 1,  -1 <= y <= 1,
    y solves   min_y  x y^2 - y^4 / 2   s.t.  -1 <= y <= 1.
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
    return x[0] ** 2 + y[0] ** 2


def G(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Upper-level constraints (``<= 0``)."""
    return [-y[0] - 1, y[0] - 1]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return x[0] * y[0] ** 2 - 0.5 * y[0] ** 4
