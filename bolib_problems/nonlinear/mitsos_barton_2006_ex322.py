"""MitsosBarton2006Ex322 (BOLIB v2 nonlinear example 71).

A. Mitsos, P.I. Barton: A test set for bilevel programs. Technical report, Massachusetts
Institute of Technology, 2006; Example 3.22.

    min_{x,y}  (x + 0.6)^2 + y^2   s.t.  -1 <= x <= 1,
    y solves   min_y  y^4 + (4/30)(1 - x) y^3 + (-0.02 x^2 + 0.16 x - 0.4) y^2
                      + (0.004 x^3 - 0.036 x^2 + 0.08 x) y
               s.t.  -1 <= y <= 1,  y^2 >= 0.01 (1 + x^2).
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "A. Mitsos, P.I. Barton, A test set for bilevel programs, Technical report, "
    "Massachusetts Institute of Technology, 2006 (Example 3.22)."
)
NX, NY = 1, 1
X_BOUNDS = ([-1.0], [1.0])
Y_BOUNDS = ([-1.0], [1.0])


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return (x[0] + 0.6) ** 2 + y[0] ** 2


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return (
        y[0] ** 4
        + (4 / 30) * (1 - x[0]) * y[0] ** 3
        + (-0.02 * x[0] ** 2 + 0.16 * x[0] - 0.4) * y[0] ** 2
        + (0.004 * x[0] ** 3 - 0.036 * x[0] ** 2 + 0.08 * x[0]) * y[0]
    )


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``)."""
    return [0.01 * (1 + x[0] ** 2) - y[0] ** 2]
