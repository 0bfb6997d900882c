"""MitsosBarton2006Ex33 (BOLIB v2 simple example 169).

A. Mitsos, P.I. Barton: A test set for bilevel programs. Technical report, Massachusetts
Institute of Technology, 2006; Example 3.3.

    min_y  y   s.t.  -10 <= y <= 10,
    y solves  min_y  y^2  s.t.  y^2 >= 1,  -10 <= y <= 10.

The row y^2 >= 1 makes the lower level nonconvex.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "A. Mitsos, P.I. Barton, A test set for bilevel programs, Technical report, "
    "Massachusetts Institute of Technology, 2006 (Example 3.3)."
)
NX, NY = 0, 1
Y_BOUNDS = ([-10.0], [10.0])


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return y[0]


def G(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Upper-level constraints (``<= 0``)."""
    return [-y[0] - 10, y[0] - 10]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return y[0] ** 2


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``) besides the bounds."""
    return [1 - y[0] ** 2]
