"""MorganPatrone2006a (BOLIB v2 nonlinear example 78).

J. Morgan, F. Patrone: Stackelberg problems: subgame perfect equilibria via Tikhonov
regularization. In: Advances in Dynamic Games, Annals of the International Society of
Dynamic Games 8, 209-221, Birkhauser, 2006.

    min_{x,y}  -(x + y)   s.t.  -0.5 <= x <= 0.5,
    y solves   min_y  x y   s.t.  -1 <= y <= 1.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "J. Morgan, F. Patrone, Stackelberg problems: subgame perfect equilibria via Tikhonov "
    "regularization, in: Advances in Dynamic Games, Annals of the International Society "
    "of Dynamic Games 8, 209-221, Birkhauser, 2006."
)
NX, NY = 1, 1
X_BOUNDS = ([-0.5], [0.5])
Y_BOUNDS = ([-1.0], [1.0])


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return -(x[0] + y[0])


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return x[0] * y[0]
