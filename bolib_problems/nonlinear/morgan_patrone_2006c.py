"""MorganPatrone2006c (BOLIB v2 nonlinear example 80).

J. Morgan, F. Patrone: Stackelberg problems: subgame perfect equilibria via Tikhonov
regularization. In: Advances in Dynamic Games, Annals of the International Society of
Dynamic Games 8, 209-221, Birkhauser, 2006.

    min_{x,y}  -(x + y),
    y solves   min_y  phi(x) y   s.t.  -2 <= x <= 2,  -1 <= y <= 1,

with phi(x) = x + 7/4 for x <= -7/4, 0 for -7/4 < x < 7/4 and x - 7/4 for x >= 7/4, i.e.
phi(x) = min(x + 7/4, 0) + max(x - 7/4, 0). The bounds on x are lower-level constraints.
"""

from __future__ import annotations

import casadi as ca

from bolib_problems.nonlinear.morgan_patrone_2006b import kinked_objective

SOURCE = (
    "J. Morgan, F. Patrone, Stackelberg problems: subgame perfect equilibria via Tikhonov "
    "regularization, in: Advances in Dynamic Games, Annals of the International Society "
    "of Dynamic Games 8, 209-221, Birkhauser, 2006."
)
NX, NY = 1, 1
_KINK = 1.75
FIXED_PARAMETERS: dict[str, object] = {"kink": _KINK}
Y_BOUNDS = ([-1.0], [1.0])
NOTES = (
    "the library codes the lower-level objective with if/else branches on x, valid for "
    "-2.1 < x <= 2.1 and 1e10 outside; the model writes the same function in closed form "
    "(min(x + 7/4, 0) + max(x - 7/4, 0)) y and drops the 1e10 branch, which the bounds "
    "on x in g exclude"
)


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return -(x[0] + y[0])


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective (piecewise linear in x, nonsmooth at x = +-7/4)."""
    return kinked_objective(x, y, _KINK)


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``): the bounds on x."""
    return [-x[0] - 2, x[0] - 2]
