"""models.network_interdiction against an enumeration of interdiction plans.

Independent check: every set of arcs whose removal cost fits the budget is enumerated
(268 plans), and the maximum flow of what remains is computed by
``scipy.sparse.csgraph.maximum_flow`` (an augmenting-path algorithm on the integer
capacities, no LP involved); the smallest of these flows is the optimal value.
"""

from __future__ import annotations

import itertools

import numpy as np
import pyomo.environ as pyo
import pytest
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import maximum_flow

import bilevel_mp as bmp
from models.network_interdiction import NETWORK, InterdictionNetwork, Link, build


def max_flow(network: InterdictionNetwork, removed: frozenset[Link]) -> int:
    """Maximum s-t flow without the ``removed`` links (integer capacities)."""
    index = {n: i for i, n in enumerate(network.nodes)}
    kept = [a for a in network.links if a not in removed]
    graph = csr_matrix(
        (np.array([int(a.capacity) for a in kept], dtype=np.int32),
         ([index[a.tail] for a in kept], [index[a.head] for a in kept])),
        shape=(len(index), len(index)))
    return int(maximum_flow(graph, index[network.source], index[network.sink]).flow_value)


def plans(network: InterdictionNetwork) -> list[frozenset[Link]]:
    """Every set of links whose removal cost is within the budget."""
    return [frozenset(plan) for k in range(len(network.links) + 1)
            for plan in itertools.combinations(network.links, k)
            if sum(a.removal_cost for a in plan) <= network.budget]


def test_enumeration_is_not_trivial():
    """The budget matters: intact flow 18, best plan 4, and a single best plan."""
    flows = sorted(max_flow(NETWORK, plan) for plan in plans(NETWORK))
    assert max_flow(NETWORK, frozenset()) == 18
    assert flows[0] == 4 < flows[1]


@pytest.mark.parametrize("method", ["kkt-bigm", "kkt-sos1"])
def test_global_methods_find_the_best_plan(method):
    if method == "kkt-sos1":
        pytest.importorskip("pyscipopt")
    m = build()
    res = bmp.solve(m, method=method, time_limit=60)
    assert res.termination is bmp.TerminationStatus.OPTIMAL
    assert res.is_proven_optimal
    best = min(max_flow(NETWORK, plan) for plan in plans(NETWORK))
    assert res.upper_objective == pytest.approx(best, abs=1e-6)
    removed = frozenset(a for a in NETWORK.links
                        if pyo.value(m.remove[a.tail, a.head]) > 0.5)
    assert sum(a.removal_cost for a in removed) <= NETWORK.budget
    assert max_flow(NETWORK, removed) == best
