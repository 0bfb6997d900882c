"""Pricing differentiated products for a buyer with a quadratic utility.

A seller (the leader) prices ``n`` products, ``x_i``, knowing its unit costs ``κ_i``. A
buyer (the follower) buys quantities ``y ≥ 0`` that maximize its surplus: the quadratic
utility ``aᵀy - ½ yᵀQy`` (valuations ``a``, ``Q`` symmetric positive definite: the products
are substitutes where ``Q_ij > 0``) minus what it pays, ``xᵀy``. The seller maximizes its
profit:

.. math::

    \\max_{0 \\le x \\le \\bar x} \\; (x - κ)^\\top y
    \\quad \\text{s.t.} \\quad
    y \\in \\arg\\min_{y \\ge 0} \\; \\tfrac12 y^\\top Q y + (x - a)^\\top y.

Where every product is bought, the buyer's demand is linear, ``y = Q⁻¹(a - x)``, and the
seller's optimum is ``x* = (a + κ)/2``, ``y* = Q⁻¹(a - κ)/2`` (the closed form the tests and
notebook 06 check against; it holds while ``a > κ`` componentwise and ``y* > 0``).

Source: the linear demand of a representative consumer with quadratic utility, N. Singh,
X. Vives, "Price and quantity competition in a differentiated duopoly", *RAND Journal of
Economics* 15(4), 1984, 546-554; here with a monopolist seller as the leader.

The valuations ``a`` and costs ``κ`` are mutable Params, so the model is a
:class:`bilevel_mp.torch.BilevelLayer` as it stands: notebook 06 learns ``a`` from observed
prices and purchases. The lower level is a strictly convex QP: ``kkt-scholtes``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyomo.environ as pyo

import bilevel_mp as bmp


@dataclass(frozen=True)
class PricingData:
    """Valuations ``a``, the utility's curvature ``Q``, unit costs ``κ`` and the price cap
    (money per unit, quantities in units)."""

    valuations: tuple[float, ...]
    curvature: tuple[tuple[float, ...], ...]
    costs: tuple[float, ...]
    price_cap: float


DATA = PricingData(
    valuations=(8.0, 6.0, 7.0),
    curvature=((2.0, 0.5, 0.0), (0.5, 2.0, 0.3), (0.0, 0.3, 1.5)),
    costs=(2.0, 1.5, 3.0),
    price_cap=20.0,
)
"""Three substitutes; the buyer values the first most."""


def build(data: PricingData = DATA) -> pyo.ConcreteModel:
    """The pricing model of the module docstring.

    Returns
    -------
    pyo.ConcreteModel
        Prices ``m.price[i]``, objective ``m.profit`` (maximized); the buyer ``m.buyer``
        with quantities ``m.buyer.qty[i]`` and objective ``m.buyer.cost``; mutable Params
        ``m.a[i]`` (valuations) and ``m.kappa[i]`` (unit costs).
    """
    n = len(data.valuations)
    q = np.asarray(data.curvature)
    m = pyo.ConcreteModel(name="product_pricing")
    m.I = pyo.RangeSet(0, n - 1)
    m.a = pyo.Param(m.I, initialize=dict(enumerate(data.valuations)), mutable=True)
    m.kappa = pyo.Param(m.I, initialize=dict(enumerate(data.costs)), mutable=True)
    m.price = pyo.Var(m.I, bounds=(0, data.price_cap))
    m.buyer = bmp.LowerLevel()
    m.buyer.qty = pyo.Var(m.I, within=pyo.NonNegativeReals)
    m.buyer.cost = pyo.Objective(expr=(
        0.5 * sum(q[i, j] * m.buyer.qty[i] * m.buyer.qty[j] for i in m.I for j in m.I)
        + sum((m.price[i] - m.a[i]) * m.buyer.qty[i] for i in m.I)))
    m.profit = pyo.Objective(expr=sum((m.price[i] - m.kappa[i]) * m.buyer.qty[i]
                                      for i in m.I), sense=pyo.maximize)
    return m


def closed_form(valuations: np.ndarray, costs: np.ndarray,
                data: PricingData = DATA) -> tuple[np.ndarray, np.ndarray]:
    """``(x*, y*)`` where every product is bought (module docstring)."""
    a, kappa = np.asarray(valuations, float), np.asarray(costs, float)
    return (a + kappa) / 2, np.linalg.solve(np.asarray(data.curvature), a - kappa) / 2


def observations(costs: np.ndarray, noise: float = 0.0, seed: int = 0,
                 data: PricingData = DATA) -> tuple[np.ndarray, np.ndarray]:
    """Observed prices and purchases in markets with unit costs ``costs`` (shape
    ``(B, n)``), made with the true valuations ``data.valuations``: the closed form plus
    Gaussian noise of standard deviation ``noise``; shapes ``(B, n)``."""
    rng = np.random.default_rng(seed)
    a = np.asarray(data.valuations)
    points = [closed_form(a, kappa, data) for kappa in np.atleast_2d(costs)]
    x = np.array([p[0] for p in points])
    y = np.array([p[1] for p in points])
    return x + noise * rng.standard_normal(x.shape), y + noise * rng.standard_normal(y.shape)
