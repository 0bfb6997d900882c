"""HenrionSurowiec2011 (BOLIB v2 nonlinear example 39).

R. Henrion, T. Surowiec: On calmness conditions in convex bilevel programming. Applicable
Analysis 90(6), 951-970, 2011.

    min_{x,y}  x^2 + c y,
    y solves   min_y  (y/2 - x) y,

unconstrained, with a parameter c that the library fixes to c = 0 (the source's optimum
is F = -c^2/4, f = -c^2/8; with c = 0 both are 0 at (x, y) = (0, 0)).
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "R. Henrion, T. Surowiec, On calmness conditions in convex bilevel programming, "
    "Applicable Analysis 90(6), 951-970, 2011."
)
NX, NY = 1, 1
_C = 0.0
FIXED_PARAMETERS: dict[str, object] = {"c": _C}


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return x[0] ** 2 + _C * y[0]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return (0.5 * y[0] - x[0]) * y[0]
