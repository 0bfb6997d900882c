"""Toll setting on a transportation network.

A highway authority (the leader) sets tolls ``t_a`` on a subset ``T`` of the arcs of a road
network to maximize its revenue. Users (the follower) then travel from their origins to
their destinations on the cheapest routes, where the cost of an arc is its travel cost
``c_a`` plus its toll. Without congestion the users of each origin-destination pair
``k`` (demand ``d_k``) simply take a shortest path, so the follower is a multicommodity
flow LP:

.. math::

    \\max_{0 \\le t \\le \\bar t} \\; \\sum_k \\sum_{a \\in T} t_a\\, v^k_a
    \\quad \\text{s.t.} \\quad
    v \\in \\arg\\min_{v \\ge 0} \\Big\\{ \\sum_k \\sum_{a} (c_a + t_a [a \\in T])\\, v^k_a
    \\;:\\; \\sum_{a \\in \\delta^+(i)} v^k_a - \\sum_{a \\in \\delta^-(i)} v^k_a = b^k_i
    \\ \\forall k, i \\Big\\},

with ``b^k_i = d_k`` at the origin of ``k``, ``-d_k`` at its destination and 0 elsewhere.
Every pair has a toll-free route, so the revenue is bounded: no user pays more than the
detour the toll-free network offers. Tolls raise revenue until users switch routes, so the
optimal tolls make some users indifferent between a tolled and a toll-free route; the
optimistic bilevel program lets them take the tolled one.

Source: M. Labbé, P. Marcotte, G. Savard, "A bilevel model of taxation and its application
to optimal highway pricing", *Management Science* 44(12), 1998, 1608-1622 (the model
above, with a toll cap ``t̄`` as a policy bound).

The upper-level objective is bilinear (toll × flow) and the lower level an LP whose costs
depend on the tolls: ``kkt-sos1`` solves the KKT reformulation globally with SCIP.
``kkt-bigm`` finds no provable bound on the reduced costs (multipliers of ``flow >= 0``),
solves its MIQP with the default M and obtains the global claim from the same M-free
SOS1 form.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyomo.environ as pyo
from pyomo.core.expr.numvalue import NumericValue

import bilevel_mp as bmp


@dataclass(frozen=True)
class Arc:
    """A directed road segment with its travel cost ($ per vehicle: time and fuel);
    ``tolled`` arcs carry a toll."""

    tail: str
    head: str
    cost: float
    tolled: bool = False


@dataclass(frozen=True)
class Trip:
    """The demand of one origin-destination pair (hundreds of vehicles per hour)."""

    origin: str
    destination: str
    demand: float


@dataclass(frozen=True)
class TollNetwork:
    """A road network, its travel demand and the toll cap (cost units per vehicle)."""

    arcs: tuple[Arc, ...]
    trips: tuple[Trip, ...]
    toll_cap: float

    @property
    def nodes(self) -> tuple[str, ...]:
        """Every node an arc touches, in order of first appearance."""
        return tuple(dict.fromkeys(n for a in self.arcs for n in (a.tail, a.head)))


NETWORK = TollNetwork(
    arcs=(
        Arc("1", "2", 2.0), Arc("1", "3", 4.0), Arc("2", "4", 3.0, tolled=True),
        Arc("3", "4", 1.0), Arc("2", "5", 9.0), Arc("4", "6", 2.0, tolled=True),
        Arc("5", "6", 1.0), Arc("3", "5", 6.0), Arc("4", "5", 4.0), Arc("1", "6", 20.0),
    ),
    trips=(Trip("1", "6", 10.0), Trip("3", "6", 6.0), Trip("2", "5", 4.0)),
    toll_cap=30.0,
)
"""Six nodes, ten arcs of which two are tolled (2→4 and 4→6), three origin-destination
pairs; costs and tolls in $ per vehicle, demand in hundreds of vehicles per hour."""


def build(network: TollNetwork = NETWORK) -> pyo.ConcreteModel:
    """The toll-setting bilevel model of the module docstring.

    Parameters
    ----------
    network
        Arcs with costs and toll flags, trips with demands, the toll cap.

    Returns
    -------
    pyo.ConcreteModel
        Upper level: tolls ``m.toll[a]`` for the tolled arcs, objective ``m.revenue``
        (maximized). Lower level ``m.users``: flows ``m.users.flow[k, a]`` of trip ``k``
        on arc ``a``, objective ``m.users.travel_cost``, flow conservation
        ``m.users.balance[k, i]``.
    """
    m = pyo.ConcreteModel(name="toll_setting")
    arcs = {(a.tail, a.head): a for a in network.arcs}
    m.NODES = pyo.Set(initialize=network.nodes)
    m.ARCS = pyo.Set(initialize=list(arcs), dimen=2)
    m.TOLLED = pyo.Set(initialize=[k for k, a in arcs.items() if a.tolled], dimen=2)
    m.TRIPS = pyo.Set(initialize=range(len(network.trips)))
    m.cost = pyo.Param(m.ARCS, initialize={k: a.cost for k, a in arcs.items()})

    m.toll = pyo.Var(m.TOLLED, bounds=(0, network.toll_cap))

    m.users = bmp.LowerLevel()
    m.users.flow = pyo.Var(m.TRIPS, m.ARCS, within=pyo.NonNegativeReals)

    def arc_price(a: tuple[str, str]) -> NumericValue | float:
        return m.cost[a] + m.toll[a] if a in m.TOLLED else m.cost[a]

    m.users.travel_cost = pyo.Objective(expr=sum(
        arc_price(a) * m.users.flow[k, a] for k in m.TRIPS for a in m.ARCS))

    def supply(k: int, i: str) -> float:
        trip = network.trips[k]
        return trip.demand * ((i == trip.origin) - (i == trip.destination))

    @m.users.Constraint(m.TRIPS, m.NODES)
    def balance(users, k, i):
        return (sum(users.flow[k, a] for a in m.ARCS if a[0] == i)
                - sum(users.flow[k, a] for a in m.ARCS if a[1] == i)) == supply(k, i)

    m.revenue = pyo.Objective(expr=sum(
        m.toll[a] * m.users.flow[k, a] for k in m.TRIPS for a in m.TOLLED),
        sense=pyo.maximize)
    return m
