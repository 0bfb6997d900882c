"""NetworkDesignP2 (BOLIB v2 nonlinear example 130).

Continuous network design problem on a 5-link network, as in B. Colson, P. Marcotte,
G. Savard: A trust-region method for nonlinear bilevel programming: algorithm and
computational experience. Computational Optimization and Applications 30(3), 211-227, 2005.
The leader buys link capacities x, the follower (traffic assignment) chooses link flows y.

    min_{x,y}  sum_i c_i(x, y) y_i + sum(x)   s.t.  x >= -1,
    y solves   min_y  sum_i c_i(x, y/2) y_i
               s.t.   y1 + y3 + y5 = 6,  y2 - y3 - y5 = 0,  -y1 - y3 + y4 = 0,  y >= 0,

with u_i = y_i / (1 + x_i) and c = (50 + u1, 10 u2, 10 + u3, 10 u4, 50 + u5) (in the
lower level u_i is halved: u_i = y_i / (2 (1 + x_i))).
"""

from __future__ import annotations

import casadi as ca

from bolib_problems.nonlinear.network_design_p1 import (  # same network, other capacity cost
    NOTES,
    NX,
    NY,
    SOURCE,
    X_BOUNDS,
    Y_BOUNDS,
    f,
    h,
    travel_cost,
)

__all__ = ["F", "FIXED_PARAMETERS", "NOTES", "NX", "NY", "SOURCE", "X_BOUNDS", "Y_BOUNDS",
           "f", "h"]

_CAPACITY_COST = 1.0
FIXED_PARAMETERS: dict[str, object] = {"capacity_cost": _CAPACITY_COST, "demand": 6.0}


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective: total travel cost plus capacity cost."""
    return travel_cost(x, y, 1.0) + _CAPACITY_COST * ca.sum1(x)
