"""LuDebSinha2016d (BOLIB v2 nonlinear example 52).

Z.C. Lu, K. Deb, A. Sinha: Robust and reliable solutions in bilevel optimization problems
under uncertainties. COIN Report 2016026, Michigan State University, 2016.

    min_{x,y}  -x2
               s.t.  -4 <= x1 <= 10,  -100 <= x2 <= 200,
                     -4 <= y1 <= 10,  -100 <= y2 <= 200,
                     x2 <= t (x1 - 2)^2,  12.5 t (x1 - 5) <= x2,
                     x2 <= 5 (x1 + 4 - t)(x1 + 8 - t),
    y solves   min_y  -y2
               s.t.   y2 <= s (y1 - 2)^2,  12.5 s (y1 - 5) <= y2,
                      y2 <= 5 (y1 + 4 - s)(y1 + 8 - s),

with t = y1/14 + 16/7 and s = x1/14 + 16/7. The bounds on y belong to the upper level.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "Z.C. Lu, K. Deb, A. Sinha, Robust and reliable solutions in bilevel optimization "
    "problems under uncertainties, COIN Report 2016026, Michigan State University, 2016."
)
NX, NY = 2, 2
X_BOUNDS = ([-4.0, -100.0], [10.0, 200.0])
NOTES = (
    "the lower bounds are coded as -[4; 100] - v <= 0, i.e. v1 >= -4, v2 >= -100, for "
    "both x and y (perhaps meant as 4 and 100); the model keeps the code"
)


def _shape(u: ca.SX, v: ca.SX, p: ca.SX) -> list[ca.SX]:
    """The three shape constraints on ``(u, v)`` with parameter ``p`` (``<= 0``)."""
    return [
        -p * (u - 2) ** 2 + v,
        12.5 * p * (u - 5) - v,
        -5 * (u + 4 - p) * (u + 8 - p) + v,
    ]


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return -x[1]


def G(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Upper-level constraints (``<= 0``): bounds on y, then the shape constraints."""
    t = y[0] / 14 + 16 / 7
    return [-4 - y[0], -100 - y[1], y[0] - 10, y[1] - 200, *_shape(x[0], x[1], t)]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return -y[1]


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``)."""
    s = x[0] / 14 + 16 / 7
    return _shape(y[0], y[1], s)
