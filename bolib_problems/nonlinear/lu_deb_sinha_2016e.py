"""LuDebSinha2016e (BOLIB v2 nonlinear example 53).

Z.C. Lu, K. Deb, A. Sinha: Robust and reliable solutions in bilevel optimization problems
under uncertainties. COIN Report 2016026, Michigan State University, 2016.

    min_{x,y}  (x - 2.5)^2 / 0.04 + (y2 - 50)^2 / 900
               s.t.  2 <= x <= 3,  -4 <= y1 <= 10,  -100 <= y2 <= 200,
    y solves   min_y  -y2
               s.t.   y2 <= x (y1 - 2)^2,  12.5 x (y1 - 5) <= y2,
                      y2 <= 5 (y1 + 4 - x)(y1 + 8 - x).

The bounds on y belong to the upper level.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "Z.C. Lu, K. Deb, A. Sinha, Robust and reliable solutions in bilevel optimization "
    "problems under uncertainties, COIN Report 2016026, Michigan State University, 2016."
)
NX, NY = 1, 2
X_BOUNDS = ([2.0], [3.0])
NOTES = (
    "the lower bounds on y are coded as -[4; 100] - y <= 0, i.e. y1 >= -4, y2 >= -100 "
    "(perhaps meant as 4 and 100); the model keeps the code"
)


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return (x[0] - 2.5) ** 2 / 0.04 + (y[1] - 50) ** 2 / 900


def G(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Upper-level constraints (``<= 0``): the bounds on y."""
    return [-4 - y[0], -100 - y[1], y[0] - 10, y[1] - 200]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return -y[1]


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``)."""
    return [
        -x[0] * (y[0] - 2) ** 2 + y[1],
        12.5 * x[0] * (y[0] - 5) - y[1],
        -5 * (y[0] + 4 - x[0]) * (y[0] + 8 - x[0]) + y[1],
    ]
