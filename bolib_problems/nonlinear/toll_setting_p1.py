"""TollSettingP1 (BOLIB v2 nonlinear example 133).

B. Colson: BIPA (Bilevel Programming with Approximation Methods): software guide and
test problems. Technical report, 2002; best known values from B. Colson, P. Marcotte,
G. Savard, Computational Optimization and Applications 30(3), 211-227, 2005.

The leader sets tolls x on three arcs, the follower routes one unit of flow y (8 arcs)
at least cost:

    min_{x,y}  -(x1 y3 + x2 y4 + x3 y8)   s.t.  x >= 0,
    y solves   min_y  2y1 + 6y2 + (5 + x1) y3 + x2 y4 + 4y5 + 2y6 + 6y7 + x3 y8
               s.t.   A y = b,  y >= 0,

with the flow-balance rows A y = b:

    y1 + y2 + y3 = 1,  -y1 + y4 + y5 = 0,  -y2 - y4 + y6 + y7 = 0,
    -y5 - y6 + y8 = 0,  y3 + y7 + y8 = 1.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "B. Colson, BIPA (Bilevel Programming with Approximation Methods): software guide and "
    "test problems, Technical report, 2002 (toll-setting problem, as coded in BOLIB v2)."
)
NX, NY = 3, 8
X_BOUNDS = ([0.0] * NX, [None] * NX)
Y_BOUNDS = ([0.0] * NY, [None] * NY)

_A = [
    [1, 1, 1, 0, 0, 0, 0, 0],
    [-1, 0, 0, 1, 1, 0, 0, 0],
    [0, -1, 0, -1, 0, 1, 1, 0],
    [0, 0, 0, 0, -1, -1, 0, 1],
    [0, 0, 1, 0, 0, 0, 1, 1],
]
_B = [1, 0, 0, 0, 1]


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective (minus the toll revenue)."""
    return -(x[0] * y[2] + x[1] * y[3] + x[2] * y[7])


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective (route cost including tolls)."""
    return (2 * y[0] + 6 * y[1] + (5 + x[0]) * y[2] + x[1] * y[3] + 4 * y[4] + 2 * y[5]
            + 6 * y[6] + x[2] * y[7])


def h(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level equalities (flow balance, ``= 0``)."""
    r = ca.mtimes(ca.DM(_A), y) - ca.DM(_B)
    return [r[i] for i in range(r.shape[0])]
