"""TuyEtal2007Ex3 (BOLIB v2 linear example 160).

H. Tuy, A. Migdalas, N.T. Hoai-Phuong: A novel approach to bilevel nonlinear programming.
Journal of Global Optimization 38(4), 527-554, 2007; Example 3.

    min_{x,y}  c'x - d'y   s.t.  A x + B y >= a,  x >= 0,
    y solves   min_y  e'y  s.t.  C x + D y >= b,  y >= 0,

with x in R^10, y in R^6 and the data below (A, B: 2 rows; C, D: 7 rows).
"""

from __future__ import annotations

import casadi as ca
import numpy as np

SOURCE = (
    "H. Tuy, A. Migdalas, N.T. Hoai-Phuong, A novel approach to bilevel nonlinear "
    "programming, Journal of Global Optimization 38(4), 527-554, 2007 (Example 3)."
)
NX, NY = 10, 6
X_BOUNDS = ([0.0] * NX, [None] * NX)
Y_BOUNDS = ([0.0] * NY, [None] * NY)
NOTES = (
    "BOLIB codes no upper bounds, but the recorded point sits on x, y <= 10 (entries equal "
    "to 10) and is consistent only with them: at the recorded x the follower's LP with "
    "y >= 0 alone has optimum -985.33 (recorded y gives -11.62), with 0 <= y <= 10 it gives "
    "-11.6196 at the recorded y. The recorded point is thus not bilevel feasible for the "
    "coded problem; the BOLIB coding is kept"
)

_c = np.array([12, -1, -12, 13, 0, 2, 0, -5, 6, -11], dtype=float)
_d = np.array([5, 6, 4, 7, 0, 0], dtype=float)
_e = np.array([3, -2, -3, -3, 1, 6], dtype=float)
_A = np.array([
    [2, 3, -14, 2, 9, -2, -1, 4, 0, -2],
    [-1, 7, -13, 0, 15, -2, 8, 4, -4, 7],
], dtype=float)
_B = np.array([
    [3, -9, 2, 8, -1, 8],
    [6, 2, -6, -2, -8, 4],
], dtype=float)
_a = np.array([-30, 134], dtype=float)
_C = np.array([
    [5, -7, -4, 2, -3, 9, -9, 1, 3, -11],
    [-6, 5, 3, 2, -8, -5, -8, 3, -7, -3],
    [6, 4, -2, 0, 2, -3, 3, -2, -2, -4],
    [-5, -6, 0, 4, -3, 8, -1, 0, -2, 3],
    [-11, 11, -4, -5, 10, 6, -14, 7, 11, 3],
    [-9, 12, 4, 10, -2, -8, -5, 11, 4, -1],
    [-7, 2, 6, 0, 11, -1, 2, 2, 1, 2],
], dtype=float)
_D = np.array([
    [-10, 9, 6, -4, -6, 3],
    [5, 7, -1, -1, 6, -4],
    [-10, -5, -6, 4, -3, 1],
    [4, 3, 4, 4, -1, -1],
    [10, 7, -7, -7, -2, -7],
    [-2, 5, -10, -1, -4, -5],
    [5, 5, 6, 5, -1, 12],
], dtype=float)
_b = np.array([-83, -92, -168, 96, 133, -89, 192], dtype=float)


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return ca.dot(ca.DM(_c), x) - ca.dot(ca.DM(_d), y)


def G(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level constraints (``<= 0``)."""
    return ca.DM(_a) - ca.mtimes(ca.DM(_A), x) - ca.mtimes(ca.DM(_B), y)


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return ca.dot(ca.DM(_e), y)


def g(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level constraints (``<= 0``)."""
    return ca.DM(_b) - ca.mtimes(ca.DM(_C), x) - ca.mtimes(ca.DM(_D), y)
