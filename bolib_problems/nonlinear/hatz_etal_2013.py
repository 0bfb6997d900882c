"""HatzEtal2013 (BOLIB v2 nonlinear example 37).

K. Hatz, S. Leyffer, J.P. Schloeder, H.G. Bock: Regularizing bilevel nonlinear programs
by lifting. Preprint ANL/MCS-P4076-0613, Argonne National Laboratory, 2013.

    min_{x,y}  -x + 2y1 + y2,
    y solves   min_y  (x - y1)^2 + y2^2  s.t.  y >= 0.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "K. Hatz, S. Leyffer, J.P. Schloeder, H.G. Bock, Regularizing bilevel nonlinear "
    "programs by lifting, Preprint ANL/MCS-P4076-0613, Argonne National Laboratory, 2013."
)
NX, NY = 1, 2
Y_BOUNDS = ([0.0, 0.0], [None, None])


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return -x[0] + 2 * y[0] + y[1]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return (x[0] - y[0]) ** 2 + y[1] ** 2
