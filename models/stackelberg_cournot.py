"""Stackelberg leadership in a market with a Cournot fringe.

A dominant producer (the leader) commits to its output ``q_L`` before the fringe firms
``i = 1..n`` (the followers) choose theirs; all sell one homogeneous good at the price of
the linear inverse demand ``P(Q) = a - b Q``, ``Q = q_L + Σ_i q_i``. Fringe firm ``i`` has
the cost ``c_i q_i + ½ e_i q_i²`` and the capacity ``K_i``; the followers play a Cournot
(Nash) game among themselves given ``q_L``:

.. math::

    q_i \\in \\arg\\max_{0 \\le q_i \\le K_i} \\;
    \\big(a - b(q_L + q_i + \\textstyle\\sum_{j \\ne i} q_j)\\big) q_i
    - c_i q_i - \\tfrac12 e_i q_i^2 .

**One follower problem for the fringe.** With linear demand the Cournot game is an exact
potential game (D. Monderer, L. S. Shapley, "Potential games", *Games and Economic
Behavior* 14, 1996, 124-143): each firm's marginal profit is the partial derivative of

.. math::

    \\Phi(q_L, q) = \\sum_i (a - c_i - b\\, q_L)\\, q_i
    - \\tfrac{b}{2} \\Big(\\sum_i q_i\\Big)^2 - \\tfrac12 \\sum_i (b + e_i)\\, q_i^2 ,

a strictly concave quadratic, so the fringe equilibrium is the unique maximizer of
``Φ(q_L, ·)`` over the capacity box: a convex QP lower level. The leader maximizes its
profit ``(P(Q) - c_L) q_L`` over ``0 <= q_L <= K_L``.

Source: H. D. Sherali, A. L. Soyster, F. H. Murphy, "Stackelberg-Nash-Cournot equilibria:
characterizations and computations", *Operations Research* 31(2), 1983, 253-276 (the
leader-fringe model), after H. von Stackelberg, *Marktform und Gleichgewicht*, 1934.

With the data below the leader produces exactly enough to push the costliest fringe firm
out of the market: its profit has a kink there (the fringe's response changes slope), and
the optimum sits on it. The upper-level objective is bilinear in ``(q_L, q)`` and the KKT
system of the lower level is linear: ``kkt-bigm`` solves the program as a mixed-integer QP
with SCIP, globally. ``kkt-scholtes`` reaches the same point, but at the kink the
harbour plant's bound is biactive (zero output, zero multiplier) and the relaxation's
complementarity residual stalls just above its tolerance: it stops at its stage limit
(``ITERATION_LIMIT``) with a certified point.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyomo.environ as pyo

import bilevel_mp as bmp


@dataclass(frozen=True)
class FringeFirm:
    """A follower: linear and quadratic cost coefficients and capacity."""

    name: str
    linear_cost: float
    quadratic_cost: float
    capacity: float


@dataclass(frozen=True)
class LeaderFringeMarket:
    """Inverse demand ``a - b Q``, the leader's unit cost and capacity, the fringe."""

    intercept: float
    slope: float
    leader_cost: float
    leader_capacity: float
    fringe: tuple[FringeFirm, ...]


MARKET = LeaderFringeMarket(
    intercept=100.0, slope=0.5, leader_cost=10.0, leader_capacity=150.0,
    fringe=(FringeFirm("north", 14.0, 0.4, 30.0), FringeFirm("river", 20.0, 0.3, 40.0),
            FringeFirm("harbour", 30.0, 0.2, 50.0)),
)
"""A regional cement market: price in $/t, quantities in kt; a large producer and three
smaller plants, the harbour plant the costliest."""


def build(market: LeaderFringeMarket = MARKET) -> pyo.ConcreteModel:
    """The leader-fringe bilevel model of the module docstring.

    Parameters
    ----------
    market
        Demand, the leader's cost and capacity, the fringe firms.

    Returns
    -------
    pyo.ConcreteModel
        Upper level: the leader's output ``m.leader_output``, objective
        ``m.leader_profit`` (maximized). Lower level ``m.fringe``: outputs
        ``m.fringe.output[i]`` within capacity, objective ``m.fringe.potential``
        (maximized).
    """
    m = pyo.ConcreteModel(name="stackelberg_cournot")
    firms = {f.name: f for f in market.fringe}
    a, b = market.intercept, market.slope
    m.FIRMS = pyo.Set(initialize=list(firms))

    m.leader_output = pyo.Var(bounds=(0, market.leader_capacity))

    m.fringe = bmp.LowerLevel()
    m.fringe.output = pyo.Var(m.FIRMS, bounds=lambda fringe, i: (0, firms[i].capacity))
    fringe_total = sum(m.fringe.output[i] for i in m.FIRMS)
    m.fringe.potential = pyo.Objective(
        expr=sum((a - firms[i].linear_cost - b * m.leader_output) * m.fringe.output[i]
                 - 0.5 * (b + firms[i].quadratic_cost) * m.fringe.output[i] ** 2
                 for i in m.FIRMS)
        - 0.5 * b * fringe_total ** 2,
        sense=pyo.maximize)

    price = a - b * (m.leader_output + fringe_total)
    m.leader_profit = pyo.Objective(
        expr=(price - market.leader_cost) * m.leader_output, sense=pyo.maximize)
    return m
