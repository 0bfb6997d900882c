"""MitsosBarton2006Ex36 (BOLIB v2 simple example 172).

A. Mitsos, P.I. Barton: A test set for bilevel programs. Technical report, Massachusetts
Institute of Technology, 2006; Example 3.6.

    min_y  y   s.t.  -1 <= y <= 1,
    y solves  min_y  y^3  s.t.  -1 <= y <= 1.

The lower-level objective is not convex on the box.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "A. Mitsos, P.I. Barton, A test set for bilevel programs, Technical report, "
    "Massachusetts Institute of Technology, 2006 (Example 3.6)."
)
NX, NY = 0, 1
Y_BOUNDS = ([-1.0], [1.0])


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return y[0]


def G(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Upper-level constraints (``<= 0``)."""
    return [-y[0] - 1, y[0] - 1]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return y[0] ** 3
