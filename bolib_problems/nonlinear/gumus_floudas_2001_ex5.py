"""GumusFloudas2001Ex5 (BOLIB v2 nonlinear example 36).

Z.H. Gumus, C.A. Floudas: Global optimization of nonlinear bilevel programming problems.
Journal of Global Optimization 20, 1-31, 2001; Example 5.

    min_{x,y}  x   s.t.  0.1 <= x <= 10,
    y solves   min_y  -y1 + 0.5864 y1^0.67
               s.t.   a / y2 + 0.1 y1 <= 1,
                      (4x + 2x^(-0.71)) / y2 + a x^(-1.3) <= 1,
                      0.1 <= y <= 10,

with a = 0.0332333. The lower-level objective is concave in y1.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "Z.H. Gumus, C.A. Floudas, Global optimization of nonlinear bilevel programming "
    "problems, Journal of Global Optimization 20, 1-31, 2001 (Example 5)."
)
NX, NY = 1, 2
_A = 0.0332333
FIXED_PARAMETERS: dict[str, object] = {"a": _A}
X_BOUNDS = ([0.1], [10.0])
Y_BOUNDS = ([0.1, 0.1], [10.0, 10.0])
NOTES = (
    "the library returns the real part of every function value, which only matters "
    "outside the bounds (x, y1 < 0 give complex powers); the model uses the plain powers, "
    "defined on the box 0.1 <= x, y <= 10. The catalogue's check_at_recorded_point for this "
    "row is free text ('... at recorded point (hand-evaluated)', no maxviol) that "
    "parse_check cannot read; at the recorded point the model gives F = 0.193616, "
    "f = -7.23008 and a largest violation of 3.7e-7 (rounding of the point)"
)


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return x[0]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective (concave in y1)."""
    return -y[0] + 0.5864 * y[0] ** 0.67


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``)."""
    return [
        _A / y[1] + 0.1 * y[0] - 1,
        (4 * x[0] + 2 * x[0] ** (-0.71)) / y[1] + _A * x[0] ** (-1.3) - 1,
    ]
