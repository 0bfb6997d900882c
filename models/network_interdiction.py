"""Maximum-flow network interdiction.

An interdictor (the leader) removes arcs of a network to minimize the largest flow that an
adversary (the follower) can then send from a source ``s`` to a sink ``t``: contraband
through a smuggling network, supplies through an enemy's road network, traffic through a
communication network under attack. Removing arc ``a`` costs ``r_a`` units of a budget
``R``; the follower solves a maximum-flow LP on what is left:

.. math::

    \\min_{z \\in \\{0,1\\}^A,\\ r^\\top z \\le R} \\; v
    \\quad \\text{s.t.} \\quad
    (v, x) \\in \\arg\\max_{v,\\, x} \\Big\\{ v \\;:\\;
    \\sum_{a \\in \\delta^+(i)} x_a - \\sum_{a \\in \\delta^-(i)} x_a
    = v\\,([i = s] - [i = t])\\ \\forall i,\\;
    0 \\le x_a \\le u_a (1 - z_a)\\ \\forall a \\Big\\}.

The leader's objective is the follower's: a zero-sum (min-max) game, so optimistic and
pessimistic solutions coincide. By max-flow/min-cut duality the answer is the smallest
capacity, over the s-t cuts, that a cut keeps after the budget is spent on its arcs.

Source: R. K. Wood, "Deterministic network interdiction", *Mathematical and Computer
Modelling* 17(2), 1993, 1-18 (the model above; the problem is NP-hard). The shortest-path
variant is E. Israeli, R. K. Wood, "Shortest-path network interdiction", *Networks* 40(2),
2002, 97-111.

The upper level is binary and the lower level an LP whose constraints are linear in
``(z, x, v)``: ``kkt-bigm`` (a MILP for HiGHS) and ``kkt-sos1`` (SCIP) solve it globally.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyomo.environ as pyo
from pyomo.core.expr.numvalue import NumericValue

import bilevel_mp as bmp


@dataclass(frozen=True)
class Link:
    """A directed arc with its capacity and the cost of interdicting (removing) it."""

    tail: str
    head: str
    capacity: float
    removal_cost: float


@dataclass(frozen=True)
class InterdictionNetwork:
    """A capacitated network, its source and sink, and the interdiction budget."""

    links: tuple[Link, ...]
    source: str
    sink: str
    budget: float

    @property
    def nodes(self) -> tuple[str, ...]:
        """Every node a link touches, in order of first appearance."""
        return tuple(dict.fromkeys(n for a in self.links for n in (a.tail, a.head)))


NETWORK = InterdictionNetwork(
    links=(
        Link("s", "a", 8, 2), Link("s", "b", 6, 1), Link("s", "c", 5, 1),
        Link("a", "b", 3, 1), Link("a", "d", 5, 1), Link("a", "e", 4, 1),
        Link("b", "d", 4, 1), Link("b", "e", 3, 1), Link("c", "e", 6, 2),
        Link("c", "f", 4, 1), Link("d", "t", 7, 2), Link("e", "t", 6, 1),
        Link("f", "t", 5, 1), Link("e", "f", 3, 1),
    ),
    source="s",
    sink="t",
    budget=3,
)
"""Eight nodes, fourteen arcs (capacities in tonnes per day); removing an arc costs one or
two interdiction teams, three teams are available. Intact, the maximum flow is 18."""


def build(network: InterdictionNetwork = NETWORK) -> pyo.ConcreteModel:
    """The max-flow interdiction bilevel model of the module docstring.

    Parameters
    ----------
    network
        Links (capacity, removal cost), source, sink and budget.

    Returns
    -------
    pyo.ConcreteModel
        Upper level: binaries ``m.remove[a]``, the budget ``m.budget``, objective
        ``m.flow_through`` (minimized). Lower level ``m.adversary``: the flow value
        ``m.adversary.value``, arc flows ``m.adversary.flow[a]`` (maximized value),
        conservation ``m.adversary.balance[i]`` and capacities ``m.adversary.capacity[a]``.
    """
    m = pyo.ConcreteModel(name="network_interdiction")
    links = {(a.tail, a.head): a for a in network.links}
    m.NODES = pyo.Set(initialize=network.nodes)
    m.LINKS = pyo.Set(initialize=list(links), dimen=2)

    m.remove = pyo.Var(m.LINKS, within=pyo.Binary)
    m.budget = pyo.Constraint(
        expr=sum(links[a].removal_cost * m.remove[a] for a in m.LINKS) <= network.budget)

    m.adversary = bmp.LowerLevel()
    m.adversary.value = pyo.Var(within=pyo.NonNegativeReals)
    m.adversary.flow = pyo.Var(m.LINKS, within=pyo.NonNegativeReals)
    m.adversary.throughput = pyo.Objective(expr=m.adversary.value, sense=pyo.maximize)

    def net_supply(i: str) -> NumericValue:
        return m.adversary.value * ((i == network.source) - (i == network.sink))

    @m.adversary.Constraint(m.NODES)
    def balance(adv, i):
        return (sum(adv.flow[a] for a in m.LINKS if a[0] == i)
                - sum(adv.flow[a] for a in m.LINKS if a[1] == i)) == net_supply(i)

    @m.adversary.Constraint(m.LINKS)
    def capacity(adv, *a):
        return adv.flow[a] <= links[a].capacity * (1 - m.remove[a])

    m.flow_through = pyo.Objective(expr=m.adversary.value)
    return m
