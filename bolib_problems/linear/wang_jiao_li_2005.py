"""WangJiaoLi2005 (BOLIB v2 linear example 162).

Y. Wang, Y.C. Jiao, H. Li: An evolutionary algorithm for solving nonlinear bilevel
programming based on a new constraint-handling scheme. IEEE Transactions on Systems, Man
and Cybernetics, Part C 35(2), 221-232, 2005.

    min_{x,y}  -100x - 1000 y1   s.t.  0 <= x <= 1,
    y solves   min_y  -y1 - y2  s.t.  x + y1 - y2 <= 1,  y1 + y2 <= 1.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "Y. Wang, Y.C. Jiao, H. Li, An evolutionary algorithm for solving nonlinear bilevel "
    "programming based on a new constraint-handling scheme, IEEE Transactions on Systems, "
    "Man and Cybernetics, Part C 35(2), 221-232, 2005."
)
NX, NY = 1, 2
X_BOUNDS = ([0.0], [1.0])
NOTES = (
    "the library's Formulas.pdf adds y >= 0 to the lower level; its m-file (and the "
    "catalogue's ng = 2) does not, and neither does this model. Either way the optimistic "
    "optimum is (x, y) = (0, 1, 0) with F = -1000, f = -1, the recorded values (the "
    "catalogue records no point)"
)


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective."""
    return -100 * x[0] - 1000 * y[0]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return -y[0] - y[1]


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraints (``<= 0``)."""
    return [x[0] + y[0] - y[1] - 1, y[0] + y[1] - 1]
