"""MacalHurter1997 (BOLIB v2 nonlinear example 55).

C.M. Macal, A.P. Hurter: Dependence of bilevel mathematical programs on irrelevant
constraints. Computers and Operations Research 24(12), 1129-1140, 1997.

    min_{x,y}  (x - 1)^2 + (y - 1)^2,
    y solves   min_y  y^2/2 + 500 y - 50 x y,

with no constraints at either level.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "C.M. Macal, A.P. Hurter, Dependence of bilevel mathematical programs on irrelevant "
    "constraints, Computers and Operations Research 24(12), 1129-1140, 1997."
)
NX, NY = 1, 1
NOTES = (
    "the lower-level solution is y = 50x - 500, so the bilevel optimum is x = 25051/2501 "
    "(10.016393), y = 0.819672 with F = 81.327869, f = -0.335931. The recorded point "
    "(10.0163, 0.8197) is that rounded to 4 decimals (then y is 4.7e-3 off the LL "
    "solution for the rounded x) and gives F = 81.3262, f = -0.332101; the recorded "
    "f* = -0.333 matches neither exactly"
)


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return (x[0] - 1) ** 2 + (y[0] - 1) ** 2


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return 0.5 * y[0] ** 2 + 500 * y[0] - 50 * x[0] * y[0]
