"""models.strategic_bidding against a merit-order clearing over candidate offers.

Independent check: at given offers the market is cleared by hand, in merit order
(cheapest offer first, the company's units first among equal offers: the optimistic
dispatch); the price is the offer of the part-loaded unit, unique because no set of
full units meets the demand exactly. The company's offers are enumerated over the
candidates {marginal costs of all units} ∪ {price cap} (at least their own cost). These
contain an optimum: the dispatch and the price depend only on the order of the offers and
the price-setting offer, and raising the company's offers that equal the price up to the
next candidate above keeps the order (ties go to the company) and does not lower the
price.

Also checked: the profit computed from the returned price and dispatch
(``Σ (λ - c_b) p_b``, the bilinear form that the model linearizes), and that the
returned price is the dual of the balance row of the ISO's dispatch LP at the returned
offers, solved by ``scipy.optimize.linprog``.
"""

from __future__ import annotations

import itertools

import pyomo.environ as pyo
import pytest
from scipy.optimize import linprog

import bilevel_mp as bmp
from models.strategic_bidding import MARKET, PoolMarket, build


def clear(market: PoolMarket, offers: dict[str, float]) -> tuple[float, dict[str, float]]:
    """Price and dispatch of the merit order at ``offers`` (rivals offer at cost)."""
    def offer(unit):
        return offers[unit.name] if unit.strategic else unit.marginal_cost

    order = sorted(market.units, key=lambda u: (offer(u), not u.strategic))
    dispatch, left, price = {}, market.demand, None
    for unit in order:
        dispatch[unit.name] = min(unit.capacity, left)
        left -= dispatch[unit.name]
        if price is None and 0 < dispatch[unit.name] < unit.capacity:
            price = offer(unit)
    assert left == 0 and price is not None
    return price, dispatch


def profit(market: PoolMarket, offers: dict[str, float]) -> float:
    price, dispatch = clear(market, offers)
    return sum((price - u.marginal_cost) * dispatch[u.name]
               for u in market.units if u.strategic)


def best_profit(market: PoolMarket) -> float:
    candidates = sorted({u.marginal_cost for u in market.units} | {market.price_cap})
    own = [u for u in market.units if u.strategic]
    choices = [[v for v in candidates if v >= u.marginal_cost] for u in own]
    return max(profit(market, {u.name: v for u, v in zip(own, combo, strict=True)})
               for combo in itertools.product(*choices))


def test_enumeration_is_not_trivial():
    """Offering at cost earns 800 $/h; the enumerated best is more than three times that."""
    at_cost = {u.name: u.marginal_cost for u in MARKET.units if u.strategic}
    assert clear(MARKET, at_cost)[0] == 20
    assert profit(MARKET, at_cost) == pytest.approx(800)
    assert best_profit(MARKET) == pytest.approx(2480)


def dispatch_dual(market: PoolMarket, offers: dict[str, float]) -> float:
    """The balance row's dual of the dispatch LP at ``offers`` (scipy's HiGHS)."""
    cost = [offers[u.name] if u.strategic else u.marginal_cost for u in market.units]
    lp = linprog(cost, A_eq=[[1.0] * len(cost)], b_eq=[market.demand],
                 bounds=[(0, u.capacity) for u in market.units], method="highs")
    assert lp.status == 0
    return float(lp.eqlin.marginals[0])


@pytest.mark.filterwarnings("ignore:no valid Big-M:bilevel_mp.BilevelWarning")
@pytest.mark.parametrize("method", ["kkt-bigm", "kkt-sos1"])
def test_global_methods_reach_the_enumerated_profit(method):
    pytest.importorskip("pyscipopt")
    m = build()
    res = bmp.solve(m, method=method, time_limit=60)
    assert res.termination is bmp.TerminationStatus.OPTIMAL
    assert res.is_proven_optimal
    assert res.upper_objective == pytest.approx(best_profit(MARKET), abs=1e-6)
    price = pyo.value(m.iso.price)
    bilinear = sum((price - pyo.value(m.cost[b])) * pyo.value(m.iso.output[b]) for b in m.OWN)
    assert bilinear == pytest.approx(res.upper_objective, abs=1e-6)
    offers = {b: pyo.value(m.offer[b]) for b in m.OWN}
    assert price == pytest.approx(dispatch_dual(MARKET, offers), abs=1e-6)
