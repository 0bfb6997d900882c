"""models.toll_setting against an enumeration of tolls and routes.

Independent check: every simple route of every trip is listed by depth-first search;
at given tolls each trip takes its cheapest routes and, among those, the one that pays
the most toll (the optimistic bilevel solution), so the revenue at a toll vector is
``Σ_k d_k · max{toll paid on p : p a cheapest route of k}``. This revenue is maximized
over the grid ``{0, 0.5, ..., t̄}²``. The grid contains the optimum: on each cell of the
arrangement of the lines "route p costs as much as route q" and of the toll bounds the
routes taken are fixed and the revenue is linear, and at a vertex of the cell's closure
those routes are still cheapest, so the optimistic revenue there is at least the cell's
linear function; the maximum is therefore at a vertex, and as the lines have
coefficients in {-1, 0, 1} on the two tolls and integer right-hand sides (integer costs
and cap), every vertex is half-integral.
"""

from __future__ import annotations

import itertools

import numpy as np
import pyomo.environ as pyo
import pytest

import bilevel_mp as bmp
from models.toll_setting import NETWORK, Arc, TollNetwork, build

pytest.importorskip("pyscipopt")


def routes(network: TollNetwork, origin: str, destination: str) -> list[tuple[Arc, ...]]:
    """Every simple route from ``origin`` to ``destination`` (depth-first search)."""
    found: list[tuple[Arc, ...]] = []

    def extend(node: str, visited: frozenset[str], path: tuple[Arc, ...]) -> None:
        if node == destination:
            found.append(path)
            return
        for arc in network.arcs:
            if arc.tail == node and arc.head not in visited:
                extend(arc.head, visited | {arc.head}, (*path, arc))

    extend(origin, frozenset({origin}), ())
    return found


def optimistic_revenue(network: TollNetwork, tolls: dict[tuple[str, str], float]) -> float:
    """Revenue when every trip takes a cheapest route, the one paying most toll on ties."""
    total = 0.0
    for trip in network.trips:
        paid_and_cost = [
            (sum(tolls.get((a.tail, a.head), 0.0) for a in route),
             sum(a.cost + tolls.get((a.tail, a.head), 0.0) for a in route))
            for route in routes(network, trip.origin, trip.destination)]
        cheapest = min(cost for _, cost in paid_and_cost)
        total += trip.demand * max(paid for paid, cost in paid_and_cost
                                   if cost <= cheapest + 1e-6)
    return total


def best_revenue_on_grid(network: TollNetwork) -> float:
    tolled = [(a.tail, a.head) for a in network.arcs if a.tolled]
    grid = np.arange(0.0, network.toll_cap + 0.25, 0.5)
    return max(optimistic_revenue(network, dict(zip(tolled, t, strict=True)))
               for t in itertools.product(grid, repeat=len(tolled)))


def test_enumeration_is_not_trivial():
    """The enumerated optimum beats no toll and the toll cap (both give less)."""
    best = best_revenue_on_grid(NETWORK)
    assert best == pytest.approx(56.0)
    assert optimistic_revenue(NETWORK, {("2", "4"): 0.0, ("4", "6"): 0.0}) == 0.0
    assert optimistic_revenue(NETWORK, {("2", "4"): 30.0, ("4", "6"): 30.0}) < best


@pytest.mark.filterwarnings("ignore:no valid Big-M:bilevel_mp.BilevelWarning")
@pytest.mark.parametrize("method", ["kkt-bigm", "kkt-sos1"])
def test_global_methods_reach_the_enumerated_revenue(method):
    m = build()
    res = bmp.solve(m, method=method, time_limit=60)
    assert res.termination is bmp.TerminationStatus.OPTIMAL
    assert res.verification is bmp.Verification.CERTIFIED
    assert res.is_proven_optimal
    assert res.upper_objective == pytest.approx(best_revenue_on_grid(NETWORK), abs=1e-6)
    # the tolls found earn that revenue when the routes are recomputed from scratch
    tolls = {a: pyo.value(m.toll[a]) for a in m.TOLLED}
    assert optimistic_revenue(NETWORK, tolls) == pytest.approx(res.upper_objective, abs=1e-5)
