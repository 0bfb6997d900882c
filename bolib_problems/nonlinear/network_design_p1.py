"""NetworkDesignP1 (BOLIB v2 nonlinear example 129).

Continuous network design problem on a 5-link network, as in B. Colson, P. Marcotte,
G. Savard: A trust-region method for nonlinear bilevel programming: algorithm and
computational experience. Computational Optimization and Applications 30(3), 211-227, 2005.
The leader buys link capacities x, the follower (traffic assignment) chooses link flows y.

    min_{x,y}  sum_i c_i(x, y) y_i + 100 sum(x)   s.t.  x >= -1,
    y solves   min_y  sum_i c_i(x, y/2) y_i
               s.t.   y1 + y3 + y5 = 6,  y2 - y3 - y5 = 0,  -y1 - y3 + y4 = 0,  y >= 0,

with u_i = y_i / (1 + x_i) and c = (50 + u1, 10 u2, 10 + u3, 10 u4, 50 + u5) (in the
lower level u_i is halved: u_i = y_i / (2 (1 + x_i))).
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "B. Colson, P. Marcotte, G. Savard, A trust-region method for nonlinear bilevel "
    "programming: algorithm and computational experience, Computational Optimization and "
    "Applications 30(3), 211-227, 2005."
)
NX, NY = 5, 5
X_BOUNDS = ([-1.0] * 5, [None] * 5)
NOTES = (
    "the library codes the capacity bound as x >= -1, where 1 + x_i in the link costs "
    "vanishes: at x_i slightly below -1 (within a 1e-6 feasibility tolerance) the costs turn "
    "negative and F is unbounded below, so points there are no real improvement"
)
Y_BOUNDS = ([0.0] * 5, [None] * 5)
_CAPACITY_COST = 100.0
FIXED_PARAMETERS: dict[str, object] = {"capacity_cost": _CAPACITY_COST, "demand": 6.0}


def travel_cost(x: ca.SX, y: ca.SX, scale: float) -> ca.SX:
    """Sum of link cost times flow, with link congestion u = scale * y / (1 + x)."""
    u = [scale * y[i] / (1 + x[i]) for i in range(5)]
    cost = [50 + u[0], 10 * u[1], 10 + u[2], 10 * u[3], 50 + u[4]]
    return sum(cost[i] * y[i] for i in range(5))


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective: total travel cost plus capacity cost."""
    return travel_cost(x, y, 1.0) + _CAPACITY_COST * ca.sum1(x)


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective (congestion term halved)."""
    return travel_cost(x, y, 0.5)


def h(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level equalities (flow conservation, demand 6)."""
    return [y[0] + y[2] + y[4] - 6, y[1] - y[2] - y[4], -y[0] - y[2] + y[3]]
