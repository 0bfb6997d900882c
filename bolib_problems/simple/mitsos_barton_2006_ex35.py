"""MitsosBarton2006Ex35 (BOLIB v2 simple example 171).

A. Mitsos, P.I. Barton: A test set for bilevel programs. Technical report, Massachusetts
Institute of Technology, 2006; Example 3.5.

    min_y  y   s.t.  -1 <= y <= 1,
    y solves  min_y  16 y^4 + 2 y^3 - 8 y^2 - 1.5 y + 0.5  s.t.  -1 <= y <= 1.

The lower-level objective is a nonconvex quartic.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "A. Mitsos, P.I. Barton, A test set for bilevel programs, Technical report, "
    "Massachusetts Institute of Technology, 2006 (Example 3.5)."
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
    return 16 * y[0] ** 4 + 2 * y[0] ** 3 - 8 * y[0] ** 2 - 1.5 * y[0] + 0.5
