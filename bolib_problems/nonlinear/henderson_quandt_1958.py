"""HendersonQuandt1958 (BOLIB v2 nonlinear example 38).

J.M. Henderson, R.E. Quandt: Microeconomic Theory: A Mathematical Approach. McGraw-Hill,
New York, 1958.

    min_{x,y}  (x/2 + y/2 - 95) x   s.t.  0 <= x <= 200,
    y solves   min_y  (y + x/2 - 100) y  s.t.  y >= 0.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "J.M. Henderson, R.E. Quandt, Microeconomic Theory: A Mathematical Approach, "
    "McGraw-Hill, New York, 1958."
)
NX, NY = 1, 1
X_BOUNDS = ([0.0], [200.0])
Y_BOUNDS = ([0.0], [None])


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return (0.5 * (x[0] + y[0]) - 95) * x[0]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return (y[0] + 0.5 * x[0] - 100) * y[0]
