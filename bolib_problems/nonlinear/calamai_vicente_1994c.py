"""CalamaiVicente1994c (BOLIB v2 nonlinear example 11).

P.H. Calamai, L.N. Vicente: Generating quadratic bilevel programming test problems. ACM
Transactions on Mathematical Software 20(1), 103-119, 1994.

    min_{x,y}  (x'Ax + y'By)/2 + a'x + 2,
    y solves   min_y  x'Cy + y'By/2  s.t.  Dx + Ey + d <= 0,

with x in R^4, y in R^2 and the fixed data A (4x4), B = 100 I (2x2), a, C (4x2),
D (6x4), E (6x2), d of the library (module constants).
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "P.H. Calamai, L.N. Vicente, Generating quadratic bilevel programming test problems, "
    "ACM Transactions on Mathematical Software 20(1), 103-119, 1994."
)
NX, NY = 4, 2

_A = [
    [197.2, 32.4, -129.6, -43.2],
    [32.4, 110.8, -43.2, -14.4],
    [-129.6, -43.2, 302.8, -32.4],
    [-43.2, -14.4, -32.4, 389.2],
]
_B = [[100.0, 0.0], [0.0, 100.0]]
_a = [-8.56, -9.52, -9.92, -16.64]
_C = [[-132.4, -10.8], [-10.8, -103.6], [43.2, 14.4], [14.4, 4.8]]
_D = [
    [13.24, 1.08, -4.32, -1.44],
    [1.08, 10.36, -1.44, -0.48],
    [13.24, 1.08, -4.32, -1.44],
    [1.08, 10.36, -1.44, -0.48],
    [-13.24, -1.08, 4.32, 1.44],
    [-1.08, -10.36, 1.44, 0.48],
]
_E = [[-10.0, 0.0], [0.0, -10.0], [10.0, 0.0], [0.0, 10.0], [-10.0, 0.0], [0.0, -10.0]]
_d = [-1.0, -1.0, -1.5, -3.0, 1.0, 1.0]
FIXED_PARAMETERS: dict[str, object] = {
    "A": _A, "B": _B, "a": _a, "C": _C, "D": _D, "E": _E, "d": _d,
}


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    quad = ca.dot(x, ca.mtimes(ca.DM(_A), x)) + ca.dot(y, ca.mtimes(ca.DM(_B), y))
    return quad / 2 + ca.dot(ca.DM(_a), x) + 2


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return ca.dot(x, ca.mtimes(ca.DM(_C), y)) + ca.dot(y, ca.mtimes(ca.DM(_B), y)) / 2


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``)."""
    w = ca.mtimes(ca.DM(_D), x) + ca.mtimes(ca.DM(_E), y) + ca.DM(_d)
    return [w[i] for i in range(w.shape[0])]
