"""MitsosBarton2006Ex323 (BOLIB v2 nonlinear example 72).

A. Mitsos, P.I. Barton: A test set for bilevel programs. Technical report, Massachusetts
Institute of Technology, 2006; Example 3.23.

    min_{x,y}  x^2   s.t.  -1 <= x <= 1,  1 + x - 9 x^2 - y <= 0,
    y solves   min_y  y   s.t.  -1 <= y <= 1,  y^2 (x - 1/2) <= 0.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "A. Mitsos, P.I. Barton, A test set for bilevel programs, Technical report, "
    "Massachusetts Institute of Technology, 2006 (Example 3.23)."
)
NX, NY = 1, 1
X_BOUNDS = ([-1.0], [1.0])
Y_BOUNDS = ([-1.0], [1.0])
NOTES = (
    "the recorded point (-0.4191, -1) is rounded: it violates the upper-level constraint by"
    " about 1e-4 (the catalogue's check gives 9.7e-05)"
)


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return x[0] ** 2


def G(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Upper-level constraints (``<= 0``)."""
    return [1 + x[0] - 9 * x[0] ** 2 - y[0]]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return y[0]


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``)."""
    return [y[0] ** 2 * (x[0] - 0.5)]
