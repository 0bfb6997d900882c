"""LuDebSinha2016f (BOLIB v2 nonlinear example 54).

Z.C. Lu, K. Deb, A. Sinha: Robust and reliable solutions in bilevel optimization problems
under uncertainties. COIN Report 2016026, Michigan State University, 2016.

    min_{x,y}  -x2
               s.t.  -80 <= x1 <= 200,  -100 <= x2 <= 200,  2 <= y <= 4,
                     x2 <= y (s - 2)^2,  12.5 y (s - 5) <= x2,
                     x2 <= 5 (s + 4 - y)(s + 8 - y),
    y solves   min_y  (x1 - 50)^2 / 784 + (y - 2.5)^2 / 0.04,

with s = x1/20. The lower level is unconstrained; the bounds on y belong to the upper
level.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "Z.C. Lu, K. Deb, A. Sinha, Robust and reliable solutions in bilevel optimization "
    "problems under uncertainties, COIN Report 2016026, Michigan State University, 2016."
)
NX, NY = 2, 1
X_BOUNDS = ([-80.0, -100.0], [200.0, 200.0])
NOTES = (
    "the lower bounds on x are coded as -[80; 100] - x <= 0, i.e. x1 >= -80, x2 >= -100 "
    "(perhaps meant as 80 and 100); the model keeps the code"
)


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return -x[1]


def G(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Upper-level constraints (``<= 0``): bounds on y, then the shape constraints."""
    s = x[0] / 20
    return [
        2 - y[0],
        y[0] - 4,
        -y[0] * (s - 2) ** 2 + x[1],
        12.5 * y[0] * (s - 5) - x[1],
        -5 * (s + 4 - y[0]) * (s + 8 - y[0]) + x[1],
    ]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return (x[0] - 50) ** 2 / 784 + (y[0] - 2.5) ** 2 / 0.04
