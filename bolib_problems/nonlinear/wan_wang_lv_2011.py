"""WanWangLv2011 (BOLIB v2 nonlinear example 118).

Z.P. Wan, G.M. Wang, Y.B. Lv: A dual-relax penalty function approach for solving
nonlinear bilevel programming with linear lower level problem. Acta Mathematica
Scientia 31(2), 652-660, 2011.

    min_{x,y}  (1 + x1 - x2 + 2 y2) (8 - x1 - 2 y1 + y2 + 5 y3),
    y solves   min_y  2 y1 - y2 + y3
               s.t.   -y1 + y2 + y3 <= 1,
                      2 x1 - y1 + 2 y2 - y3/2 <= 1,
                      2 x2 + 2 y1 - y2 - y3/2 <= 1,
                      x >= 0,  y >= 0.

The constraints x >= 0 belong to the lower level, as in the library.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "Z.P. Wan, G.M. Wang, Y.B. Lv, A dual-relax penalty function approach for solving "
    "nonlinear bilevel programming with linear lower level problem, Acta Mathematica "
    "Scientia 31(2), 652-660, 2011."
)
NX, NY = 2, 3
Y_BOUNDS = ([0.0, 0.0, 0.0], [None, None, None])
NOTES = (
    "recorded F* = 10.62 is F at the recorded point (0, 0.75, 0, 0.5, 0), 85/8 = 10.625, "
    "truncated to two decimals (the paper tables print 10.63)"
)


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return (1 + x[0] - x[1] + 2 * y[1]) * (8 - x[0] - 2 * y[0] + y[1] + 5 * y[2])


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return 2 * y[0] - y[1] + y[2]


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``); the rows in x only stay here."""
    return [
        -y[0] + y[1] + y[2] - 1,
        2 * x[0] - y[0] + 2 * y[1] - 0.5 * y[2] - 1,
        2 * x[1] + 2 * y[0] - y[1] - 0.5 * y[2] - 1,
        -x[0],
        -x[1],
    ]
