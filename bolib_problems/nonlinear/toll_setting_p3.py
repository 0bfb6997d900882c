"""TollSettingP3 (BOLIB v2 nonlinear example 135).

B. Colson: BIPA (Bilevel Programming with Approximation Methods): software guide and
test problems. Technical report, 2002; best known values from B. Colson, P. Marcotte,
G. Savard, Computational Optimization and Applications 30(3), 211-227, 2005.

The network of TollSettingP2 with the second commodity's tolled flows (y2, y4, y6)
weighted by 10:

    min_{x,y}  -(x1 (y1 + 10y2) + x2 (y3 + 10y4) + x3 (y5 + 10y6))   s.t.  x >= 0,
    y solves   min_y  c(x)'y   s.t.  A y = b,  y >= 0,

with c(x) = (2x1, 20x1, 2x2, 20x2, 2x3, 20x3, 5, 7, 14, 7, 2, 4, 29, 20, 12, 8, 5, 2) and
A y = b the rows

    y7 + y8 + y9 = 1,  y10 + y11 + y12 = 1,  y13 + y14 + y15 = 1,  y16 + y17 + y18 = 1,
    y1 + y5 - y7 + y13 = 0,  10y2 + 10y6 - y10 + y16 = 0,  -y1 + y3 - y8 + y14 = 0,
    -10y2 + 10y4 - y11 + y17 = 0,  -y3 - y5 - y9 + y15 = 0,  -10y4 - 10y6 - y12 + y18 = 0.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "B. Colson, BIPA (Bilevel Programming with Approximation Methods): software guide and "
    "test problems, Technical report, 2002 (toll-setting problem, as coded in BOLIB v2)."
)
NX, NY = 3, 18
X_BOUNDS = ([0.0] * NX, [None] * NX)
Y_BOUNDS = ([0.0] * NY, [None] * NY)
NOTES = (
    "the recorded point is the library's own feasible point (F = -3.5, f = 32); the cited "
    "literature (Colson, Marcotte, Savard 2005) reports F = -24, f = 81"
)

_A = [
    [0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0],
    [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0],
    [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1],
    [1, 0, 0, 0, 1, 0, -1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0],
    [0, 10, 0, 0, 0, 10, 0, 0, 0, -1, 0, 0, 0, 0, 0, 1, 0, 0],
    [-1, 0, 1, 0, 0, 0, 0, -1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0],
    [0, -10, 0, 10, 0, 0, 0, 0, 0, 0, -1, 0, 0, 0, 0, 0, 1, 0],
    [0, 0, -1, 0, -1, 0, 0, 0, -1, 0, 0, 0, 0, 0, 1, 0, 0, 0],
    [0, 0, 0, -10, 0, -10, 0, 0, 0, 0, 0, -1, 0, 0, 0, 0, 0, 1],
]
_B = [1, 1, 1, 1, 0, 0, 0, 0, 0, 0]
_C_FIXED = [5, 7, 14, 7, 2, 4, 29, 20, 12, 8, 5, 2]


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective (minus the toll revenue)."""
    return -(x[0] * (y[0] + 10 * y[1]) + x[1] * (y[2] + 10 * y[3])
             + x[2] * (y[4] + 10 * y[5]))


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective (route cost including tolls)."""
    tolled = 2 * (x[0] * (y[0] + 10 * y[1]) + x[1] * (y[2] + 10 * y[3])
                  + x[2] * (y[4] + 10 * y[5]))
    return tolled + ca.dot(ca.DM(_C_FIXED), y[6:])


def h(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level equalities (flow balance, ``= 0``)."""
    r = ca.mtimes(ca.DM(_A), y) - ca.DM(_B)
    return [r[i] for i in range(r.shape[0])]
