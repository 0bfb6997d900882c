"""RobustPortfolioP2 (BOLIB v2 nonlinear example 132).

Robust portfolio selection with a decision-dependent ellipsoidal uncertainty set for the
returns, as in A. Tsoukalas, B. Rustem, E.N. Pistikopoulos: A global optimization
algorithm for generalized semi-infinite, continuous minimax with coupled constraints and
bi-level problems. Journal of Global Optimization 44(2), 235-250, 2009. With N = 10 assets
(x_{N+1} is the guaranteed return, y the returns):

    min_{x,y}  -x_{N+1}
    s.t.       x_{N+1} - y'x_{1:N} <= 0,  x_{1:N} >= 0,  sum_i x_i = 1,
    y solves   min_y  y'x_{1:N} - x_{N+1}
               s.t.   sum_i (y_i - r_i)^2 / s_i - (1.5 (1 + sum_i (x_i - 1/N)^2))^2 <= 0,
                      y >= 0,

with r_i = 1.15 + 0.05 i / N and s_i = (0.05 / (3 N))^2 2 N (N + 1) i.
"""

from __future__ import annotations

import casadi as ca

SOURCE = (
    "A. Tsoukalas, B. Rustem, E.N. Pistikopoulos, A global optimization algorithm for "
    "generalized semi-infinite, continuous minimax with coupled constraints and bi-level "
    "problems, Journal of Global Optimization 44(2), 235-250, 2009."
)
_N = 10
NX, NY = _N + 1, _N
X_BOUNDS = ([0.0] * _N + [None], [None] * (_N + 1))
Y_BOUNDS = ([0.0] * _N, [None] * _N)
FIXED_PARAMETERS: dict[str, object] = {"N": _N}
_MEAN = [1.15 + 0.05 * i / _N for i in range(1, _N + 1)]
_SCALE = [(0.05 / 3 / _N) ** 2 * 2 * _N * (_N + 1) * i for i in range(1, _N + 1)]
NOTES = (
    "the catalogue records F* = +1.15, but the coded objective is -x_{N+1}, so the "
    "recorded point (x_i = 1/N, x_{N+1} = 1.15, y_i = 1.15) gives F = -1.15 (erratum 3); "
    "the library's |y_i - r_i|^2 is written as the square (y_i - r_i)^2"
)


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective: minus the guaranteed return."""
    return -x[_N]


def G(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Upper-level constraint (``<= 0``): the return of the portfolio is guaranteed."""
    return [x[_N] - ca.dot(y, x[:_N])]


def H(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Upper-level equality: the weights sum to one."""
    return [ca.sum1(x[:_N]) - 1]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective: the worst-case return minus the guaranteed one."""
    return ca.dot(y, x[:_N]) - x[_N]


def g(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Lower-level constraint (``<= 0``): the returns lie in the x-dependent set."""
    radius = 1.5 * (1 + sum((x[i] - 1 / _N) ** 2 for i in range(_N)))
    spread = sum((y[i] - _MEAN[i]) ** 2 / _SCALE[i] for i in range(_N))
    return [spread - radius ** 2]
