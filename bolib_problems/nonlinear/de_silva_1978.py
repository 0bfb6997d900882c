"""DeSilva1978 (BOLIB v2 nonlinear example 29).

A.H. De Silva: Sensitivity formulas for nonlinear factorable programming and their
application to the solution of an implicitly defined optimization model of US crude oil
production. Ph.D. thesis, George Washington University, 1978.

    min_{x,y}  (x1 - 1)^2 + (x2 - 1)^2 + y1^2 + y2^2 - 2,
    y solves   min_y  (y1 - x1)^2 + (y2 - x2)^2  s.t.  0.5 <= y1, y2 <= 1.5.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "A.H. De Silva, Sensitivity formulas for nonlinear factorable programming and their "
    "application to the solution of an implicitly defined optimization model of US crude "
    "oil production, Ph.D. thesis, George Washington University, 1978."
)
NX, NY = 2, 2
Y_BOUNDS = ([0.5, 0.5], [1.5, 1.5])


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return (x[0] - 1) ** 2 + (x[1] - 1) ** 2 + y[0] ** 2 + y[1] ** 2 - 2


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return (y[0] - x[0]) ** 2 + (y[1] - x[1]) ** 2
