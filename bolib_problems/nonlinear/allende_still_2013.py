"""AllendeStill2013 (BOLIB v2 nonlinear example 2).

G.B. Allende, G. Still: Solving bilevel programs with the KKT-approach. Mathematical
Programming 138, 309-332, 2013.

    min_{x,y}  (x1 - 1)^2 + (x2 - 1)^2 + y1^2 + y2^2
        s.t.   0 <= x1 <= 2,  x2 >= 0,  y >= 0,
    y solves   min_y  y1^2 + y2^2 - 2 x1 y1 - 2 x2 y2
        s.t.   (y1 - 1)^2 <= 0.25,  (y2 - 1)^2 <= 0.25.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "G.B. Allende, G. Still, Solving bilevel programs with the KKT-approach, Mathematical "
    "Programming 138, 309-332, 2013."
)
NX, NY = 2, 2
X_BOUNDS = ([0.0, 0.0], [2.0, None])


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return (x[0] - 1) ** 2 + (x[1] - 1) ** 2 + ca.dot(y, y)


def G(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Upper-level constraints (``<= 0``)."""
    return [-y[0], -y[1]]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return ca.dot(y, y) - 2 * ca.dot(x, y)


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``)."""
    return [(y[0] - 1) ** 2 - 0.25, (y[1] - 1) ** 2 - 0.25]
