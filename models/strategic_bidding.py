"""Strategic offers of a generating company in a pool market cleared by an ISO.

A generating company (the leader) owns some of the units of a single-node electricity
market and chooses the price ``o_b`` at which it offers each of its units ``b ∈ S``
(between its marginal cost ``c_b`` and the market's price cap). The independent system
operator (the follower) then runs the economic dispatch: it meets the demand ``D`` at the
least offered cost, rivals ``j ∈ R`` offering at their marginal costs ``c_j``. The market
price is the dual ``λ`` of the power balance, and the company earns
``Σ_{b∈S} (λ - c_b) p_b``:

.. math::

    \\min_{p} \\; \\sum_{b \\in S} o_b\\, p_b + \\sum_{j \\in R} c_j\\, p_j
    \\quad \\text{s.t.} \\quad \\sum_i p_i = D \\;(\\lambda), \\quad
    0 \\le p_i \\le \\bar P_i \\;(\\mu_i \\ge 0 \\text{ on the upper bound}).

**Prices as lower-level variables.** The upper level of a bilevel model sees the
follower's variables, not its multipliers, so the ISO is written as the primal-dual pair
of its dispatch LP: the follower minimizes the duality gap

.. math::

    \\min_{p,\\, \\lambda,\\, \\mu} \\; \\Big(\\sum_i o_i\\, p_i\\Big)
    - \\Big(\\lambda D - \\sum_i \\bar P_i\\, \\mu_i\\Big)
    \\quad \\text{s.t.} \\quad \\sum_i p_i = D,\\; 0 \\le p \\le \\bar P,\\;
    \\lambda - \\mu_i \\le o_i,\\; \\mu \\ge 0,

an LP whose value is 0 by strong duality and whose solutions are exactly the pairs of an
optimal dispatch and an optimal price (``o_i = c_i`` for the rivals). At such a pair,
complementarity gives ``λ p_b = o_b p_b + \\bar P_b μ_b`` and strong duality
``Σ_i o_i p_i = λ D - Σ_i \\bar P_i μ_i``, so the bilinear profit is the linear function

.. math::

    \\sum_{b \\in S} (\\lambda - c_b)\\, p_b
    = \\lambda D - \\sum_{j \\in R} (c_j\\, p_j + \\bar P_j\\, \\mu_j)
      - \\sum_{b \\in S} c_b\\, p_b ,

the exact linearization of C. Ruiz, A. J. Conejo, "Pool strategy of a producer with
endogenous formation of locational marginal prices", *IEEE Transactions on Power
Systems* 24(4), 2009, 1855-1866 (there on a network; here on one node). The leader's
problem is then a bilevel program with an LP lower level and a linear upper level, solved
globally by ``kkt-sos1`` (SCIP) and by ``kkt-bigm`` (a HiGHS MILP; the multipliers of the
primal-dual lower level have no proven bound, so the global claim comes from SCIP's M-free
SOS1 form of the same system). The model is the single-node case of the
strategic-bidding MPEC of B. F. Hobbs, C. B. Metzler, J.-S. Pang, "Strategic gaming
analysis for electric power systems: an MPEC approach", *IEEE Transactions on Power
Systems* 15(2), 2000, 638-645.

Where offers tie, the optimistic bilevel solution lets the ISO dispatch the leader first;
a real market breaks ties by a rule, and the leader would offer a cent below.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyomo.environ as pyo
from pyomo.core.expr.numvalue import NumericValue

import bilevel_mp as bmp


@dataclass(frozen=True)
class Unit:
    """A generating unit: capacity (MW), marginal cost ($/MWh) and whether the strategic
    company owns it."""

    name: str
    capacity: float
    marginal_cost: float
    strategic: bool = False


@dataclass(frozen=True)
class PoolMarket:
    """The units of a single-node market, the demand (MW) and the offer cap ($/MWh)."""

    units: tuple[Unit, ...]
    demand: float
    price_cap: float


MARKET = PoolMarket(
    units=(
        Unit("gen_coal", 100, 12, strategic=True), Unit("gen_ccgt", 80, 20, strategic=True),
        Unit("nuclear", 150, 10), Unit("coal", 100, 18), Unit("ccgt", 30, 25),
        Unit("peaker", 200, 32),
    ),
    demand=420,
    price_cap=50,
)
"""Six units, two of them (a coal unit and a combined-cycle unit) owned by the strategic
company; 420 MW of inelastic demand, which no set of full units adds up to (so the
marginal unit is always part-loaded and the price unique). With offers at cost the price
is 20 $/MWh and the company earns 800 $/h."""


def build(market: PoolMarket = MARKET) -> pyo.ConcreteModel:
    """The strategic-bidding bilevel model of the module docstring.

    Parameters
    ----------
    market
        Units (capacity, marginal cost, owner), demand and price cap.

    Returns
    -------
    pyo.ConcreteModel
        Upper level: offers ``m.offer[b]`` ($/MWh) of the strategic units, objective
        ``m.profit`` (maximized, in $/h). Lower level ``m.iso``: dispatch
        ``m.iso.output[i]`` (MW), price ``m.iso.price`` ($/MWh), capacity rents
        ``m.iso.rent[i]``; objective ``m.iso.duality_gap``, rows ``m.iso.balance`` and
        ``m.iso.dual_feasibility[i]``.
    """
    m = pyo.ConcreteModel(name="strategic_bidding")
    units = {u.name: u for u in market.units}
    m.UNITS = pyo.Set(initialize=list(units))
    m.OWN = pyo.Set(initialize=[n for n, u in units.items() if u.strategic])
    m.RIVALS = pyo.Set(initialize=[n for n, u in units.items() if not u.strategic])
    m.capacity = pyo.Param(m.UNITS, initialize={n: u.capacity for n, u in units.items()})
    m.cost = pyo.Param(m.UNITS, initialize={n: u.marginal_cost for n, u in units.items()})

    m.offer = pyo.Var(m.OWN, bounds=lambda m, b: (m.cost[b], market.price_cap))

    m.iso = bmp.LowerLevel()
    m.iso.output = pyo.Var(m.UNITS, bounds=lambda iso, i: (0, m.capacity[i]))
    # every optimal price and rent lies in [0, price cap] (module docstring), so these
    # bounds remove no optimal dispatch-price pair; they let kkt-bigm prove its M values
    m.iso.price = pyo.Var(bounds=(0, market.price_cap))
    m.iso.rent = pyo.Var(m.UNITS, bounds=(0, market.price_cap))

    def offer_price(i: str) -> NumericValue | float:
        return m.offer[i] if i in m.OWN else m.cost[i]

    dispatch_cost = sum(offer_price(i) * m.iso.output[i] for i in m.UNITS)
    dual_value = m.iso.price * market.demand - sum(
        m.capacity[i] * m.iso.rent[i] for i in m.UNITS)
    m.iso.duality_gap = pyo.Objective(expr=dispatch_cost - dual_value)
    m.iso.balance = pyo.Constraint(expr=sum(m.iso.output[i] for i in m.UNITS)
                                   == market.demand)

    @m.iso.Constraint(m.UNITS)
    def dual_feasibility(iso, i):
        return iso.price - iso.rent[i] <= offer_price(i)

    m.profit = pyo.Objective(
        expr=m.iso.price * market.demand
        - sum(m.cost[j] * m.iso.output[j] + m.capacity[j] * m.iso.rent[j] for j in m.RIVALS)
        - sum(m.cost[b] * m.iso.output[b] for b in m.OWN),
        sense=pyo.maximize)
    return m
