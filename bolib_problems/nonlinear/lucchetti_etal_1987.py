"""LucchettiEtal1987 (BOLIB v2 nonlinear example 48).

R. Lucchetti, F. Mignanego, G. Pieri: Existence theorems of equilibrium points in
Stackelberg games with constraints. Optimization 18(6), 857-866, 1987.

    min_{x,y}  (1 - x)/2 + x y   s.t.  0 <= x <= 1,
    y solves   min_y  (x - 1) y  s.t.  0 <= y <= 1.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "R. Lucchetti, F. Mignanego, G. Pieri, Existence theorems of equilibrium points in "
    "Stackelberg games with constraints, Optimization 18(6), 857-866, 1987."
)
NX, NY = 1, 1
X_BOUNDS = ([0.0], [1.0])
Y_BOUNDS = ([0.0], [1.0])


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return (1 - x[0]) / 2 + x[0] * y[0]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return (x[0] - 1) * y[0]
