"""DempeEtal2012 (BOLIB v2 nonlinear example 23).

S. Dempe, B.S. Mordukhovich, A.B. Zemkoho: Sensitivity analysis for two-level value
functions with applications to bilevel programming. SIAM Journal on Optimization 22(4),
1309-1343, 2012.

    min_{x,y}  x   s.t.  -1 <= x <= 1,
    y solves   min_y  x y  s.t.  0 <= y <= 1.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "S. Dempe, B.S. Mordukhovich, A.B. Zemkoho, Sensitivity analysis for two-level value "
    "functions with applications to bilevel programming, SIAM Journal on Optimization "
    "22(4), 1309-1343, 2012."
)
NX, NY = 1, 1
X_BOUNDS = ([-1.0], [1.0])
Y_BOUNDS = ([0.0], [1.0])


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return x[0]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return x[0] * y[0]
