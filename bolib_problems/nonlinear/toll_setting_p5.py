"""TollSettingP5 (BOLIB v2 nonlinear example 137).

B. Colson: BIPA (Bilevel Programming with Approximation Methods): software guide and
test problems. Technical report, 2002; best known values from B. Colson, P. Marcotte,
G. Savard, Computational Optimization and Applications 30(3), 211-227, 2005.

    min_{x,y}  -(y2 + y3) x,
    y solves   min_y  8y1 + (3 + 2x) y2 + (4 + 2x) y3 + 6y4
               s.t.   y1 + y2 = 1,  y3 + y4 = 1,  y >= 0.

The toll x is not sign-constrained.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "B. Colson, BIPA (Bilevel Programming with Approximation Methods): software guide and "
    "test problems, Technical report, 2002 (toll-setting problem, as coded in BOLIB v2)."
)
NX, NY = 1, 4
Y_BOUNDS = ([0.0] * NY, [None] * NY)
NOTES = (
    "as coded, the leader earns x on path 2 while 3 + 2x <= 8 and x on path 3 while "
    "4 + 2x <= 6, so the recorded F = -2.5 (x = 2.5, y = (0, 1, 0, 1)) is the optimistic "
    "optimum of this model (x = 1 gives F = -2); the literature's F = -11 is not reached"
)


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective (minus the toll revenue)."""
    return -(y[1] + y[2]) * x[0]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective (route cost including tolls)."""
    return 8 * y[0] + (3 + 2 * x[0]) * y[1] + (4 + 2 * x[0]) * y[2] + 6 * y[3]


def h(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level equalities (``= 0``)."""
    return [y[0] + y[1] - 1, y[2] + y[3] - 1]
