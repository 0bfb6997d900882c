"""IshizukaAiyoshi1992a (BOLIB v2 nonlinear example 40).

Y. Ishizuka, E. Aiyoshi: Double penalty method for bilevel optimization problems. Annals
of Operations Research 34, 73-88, 1992.

    min_{x,y}  x y2^2   s.t.  x >= -M,
    y solves   min_y  y1  s.t.  x >= 0,  -x <= y1 <= x,  -M <= y1 + y2 <= M,

with M = 1.5 as fixed in the library's version-2 code (the version-1 code has M = 4).
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "Y. Ishizuka, E. Aiyoshi, Double penalty method for bilevel optimization problems, "
    "Annals of Operations Research 34, 73-88, 1992."
)
NX, NY = 1, 2
_M = 1.5
FIXED_PARAMETERS: dict[str, object] = {"M": _M}
X_BOUNDS = ([-_M], [None])


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return x[0] * y[1] ** 2


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return y[0]


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``); the first is in x only and stays here."""
    return [
        -x[0],
        -x[0] - y[0],
        -x[0] + y[0],
        -y[0] - y[1] - _M,
        y[0] + y[1] - _M,
    ]
