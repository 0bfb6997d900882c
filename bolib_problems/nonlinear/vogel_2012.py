"""Vogel2012 (BOLIB v2 nonlinear example 117).

S. Vogel: Zwei-Ebenen-Optimierungsaufgaben mit nichtkonvexer Zielfunktion in der unteren
Ebene. PhD thesis, TU Bergakademie Freiberg, 2012. The BOLIB paper tables call the
example Vogel2002.

    min_{x,y}  (y + 1)^2   s.t.  -3 <= x <= 2,
    y solves   min_y  y^3 - 3y  s.t.  y >= x.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "S. Vogel, Zwei-Ebenen-Optimierungsaufgaben mit nichtkonvexer Zielfunktion in der "
    "unteren Ebene, PhD thesis, TU Bergakademie Freiberg, 2012 (Vogel2002 in the BOLIB "
    "paper tables)."
)
NX, NY = 1, 1
X_BOUNDS = ([-3.0], [2.0])


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return (y[0] + 1) ** 2


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective (cubic, nonconvex in y)."""
    return y[0] ** 3 - 3 * y[0]


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``)."""
    return [x[0] - y[0]]
