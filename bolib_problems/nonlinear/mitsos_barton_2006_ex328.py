"""MitsosBarton2006Ex328 (BOLIB v2 nonlinear example 77).

A. Mitsos, P.I. Barton: A test set for bilevel programs. Technical report, Massachusetts
Institute of Technology, 2006; Example 3.28.

    min_{x,y}  -|x|^2 - |y|^2
               s.t.  -1 <= x <= 1,  y1 y2 <= x1,  x1 + y3 <= exp(x2),  x2 y1^2 <= 0,
    y solves   min_y  y1^3 + (x1 + x2) y2^2 + 0.1 y3 + (y4^2 + y5^2) x3 x4 x5
               s.t.  -1 <= y <= 1,  y1 y2 <= 0.3,  x1 - 0.2 <= y3^2,
                     y4 y5 <= exp(y3) + 0.1,

with x, y in R^5.
"""

from __future__ import annotations

import casadi as ca

from bolib_problems.nonlinear.mitsos_barton_2006_ex327 import (  # same constraints and LL
    G,
    f,
    g,
)

__all__ = ["SOURCE", "NX", "NY", "X_BOUNDS", "Y_BOUNDS", "F", "G", "f", "g"]

SOURCE = (
    "A. Mitsos, P.I. Barton, A test set for bilevel programs, Technical report, "
    "Massachusetts Institute of Technology, 2006 (Example 3.28)."
)
NX, NY = 5, 5
X_BOUNDS = ([-1.0] * NX, [1.0] * NX)
Y_BOUNDS = ([-1.0] * NY, [1.0] * NY)


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return -ca.dot(x, x) - ca.dot(y, y)
