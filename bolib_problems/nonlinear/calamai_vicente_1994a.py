"""CalamaiVicente1994a (BOLIB v2 nonlinear example 9).

P.H. Calamai, L.N. Vicente: Generating quadratic bilevel programming test problems. ACM
Transactions on Mathematical Software 20(1), 103-119, 1994.

    min_{x,y}  (x - 1)^2 / 2 + y^2 / 2,
    y solves   min_y  y/2 - x y
        s.t.   x - y - 1 <= 0,  -x - y + 1 <= 0,  x + y - rho <= 0,

with the parameter rho = 1 fixed by the library.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "P.H. Calamai, L.N. Vicente, Generating quadratic bilevel programming test problems, "
    "ACM Transactions on Mathematical Software 20(1), 103-119, 1994."
)
NX, NY = 1, 1
_RHO = 1.0
FIXED_PARAMETERS: dict[str, object] = {"rho": _RHO}
NOTES = (
    "with rho = 1 the second and third lower-level rows together say x + y = 1; they are "
    "kept as two inequalities, as the library and the catalogue (ng = 3, nh = 0) count "
    "them, since rho is a parameter of the family (1 < rho < 2 gives a proper region)"
)


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return 0.5 * (x[0] - 1) ** 2 + 0.5 * y[0] ** 2


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return 0.5 * y[0] - x[0] * y[0]


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``)."""
    return [x[0] - y[0] - 1, -x[0] - y[0] + 1, x[0] + y[0] - _RHO]
