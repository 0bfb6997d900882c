"""Mirrlees1999 (BOLIB v2 nonlinear example 56).

J.A. Mirrlees: The theory of moral hazard and unobservable behaviour: Part I. The Review
of Economic Studies 66(1), 3-21, 1999.

    min_{x,y}  (x - 2)^2 + (y - 1)^2,
    y solves   min_y  -x exp(-(y + 1)^2) - exp(-(y - 1)^2)  s.t.  -2 <= y <= 2.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "J.A. Mirrlees, The theory of moral hazard and unobservable behaviour: Part I, The "
    "Review of Economic Studies 66(1), 3-21, 1999."
)
NX, NY = 1, 1
Y_BOUNDS = ([-2.0], [2.0])
NOTES = (
    "at the recorded point (1, 0.95753) the model gives F = 1.0018037, f = -1.0198658 "
    "(the catalogue's check, F = 1.0018, f = -1.01987, is the same to 6 significant "
    "digits; the recorded F* = 1.002 is rounded). At x = 1 the lower level is even in "
    "y, with global minimizers y = +-0.957504 (f = -1.0198658); the optimistic choice "
    "is +0.957504"
)


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return (x[0] - 2) ** 2 + (y[0] - 1) ** 2


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective (nonconvex in y)."""
    return -x[0] * ca.exp(-((y[0] + 1) ** 2)) - ca.exp(-((y[0] - 1) ** 2))
