"""models.stackelberg_cournot against a closed-form piecewise solution.

Independent check: the fringe's Cournot equilibrium is characterized directly by each
firm's first-order condition (marginal profit ``a - c_i - b(q_L + Q) - (b + e_i) q_i``
zero for a firm strictly inside its capacity, ``<= 0`` at zero output, ``>= 0`` at
capacity), without the potential function the model uses. For each of the 3ⁿ patterns
(every firm at zero, interior or at capacity) the interior outputs solve a linear system
and are affine in ``q_L``; the pattern is the equilibrium on the interval of ``q_L``
where its conditions hold. On that interval the leader's profit
``(a - b(q_L + Q(q_L)) - c_L) q_L`` is a concave quadratic, maximized in closed form;
the best over the patterns is the Stackelberg optimum.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import pyomo.environ as pyo
import pytest

import bilevel_mp as bmp
from models.stackelberg_cournot import MARKET, LeaderFringeMarket, build

AT_ZERO, INTERIOR, AT_CAPACITY = 0, 1, 2


@dataclass(frozen=True)
class Piece:
    """Fringe outputs ``q = α + β q_L`` valid for ``q_L`` in ``[low, high]``."""

    alpha: np.ndarray
    beta: np.ndarray
    low: float
    high: float


def pieces(market: LeaderFringeMarket) -> list[Piece]:
    """The equilibrium patterns that hold on a nonempty interval of leader outputs."""
    a, b = market.intercept, market.slope
    c = np.array([f.linear_cost for f in market.fringe])
    e = np.array([f.quadratic_cost for f in market.fringe])
    cap = np.array([f.capacity for f in market.fringe])
    found = []
    for pattern in itertools.product((AT_ZERO, INTERIOR, AT_CAPACITY), repeat=len(cap)):
        state = np.array(pattern)
        inner = np.flatnonzero(state == INTERIOR)
        alpha, beta = np.where(state == AT_CAPACITY, cap, 0.0), np.zeros(len(cap))
        if inner.size:  # (b + e_i) q_i + b Σ_{j interior} q_j = a - c_i - b(q_L + full output)
            system = np.diag(b + e[inner]) + b * np.ones((inner.size, inner.size))
            alpha[inner] = np.linalg.solve(system, a - c[inner] - b * alpha.sum())
            beta[inner] = np.linalg.solve(system, -b * np.ones(inner.size))
        # conditions written as p + r q_L >= 0
        marginal_p = a - c - b * alpha.sum() - (b + e) * alpha
        marginal_r = -b - b * beta.sum() - (b + e) * beta
        conditions = [(-marginal_p[i], -marginal_r[i]) for i in np.flatnonzero(state == AT_ZERO)]
        conditions += [(marginal_p[i], marginal_r[i])
                       for i in np.flatnonzero(state == AT_CAPACITY)]
        conditions += [(alpha[i], beta[i]) for i in inner]
        conditions += [(cap[i] - alpha[i], -beta[i]) for i in inner]
        low, high = 0.0, market.leader_capacity
        for p, r in conditions:
            if r > 0:
                low = max(low, -p / r)
            elif r < 0:
                high = min(high, -p / r)
            elif p < 0:
                low, high = 1.0, 0.0
        if low <= high:
            found.append(Piece(alpha, beta, low, high))
    return found


def stackelberg_optimum(market: LeaderFringeMarket) -> tuple[float, float]:
    """The leader's best output and profit, from the pieces of the fringe response."""
    best = (np.nan, -np.inf)
    for piece in pieces(market):
        linear = market.intercept - market.slope * piece.alpha.sum() - market.leader_cost
        quadratic = market.slope * (1.0 + piece.beta.sum())  # > 0: Q decreases slower than q_L
        q = float(np.clip(linear / (2 * quadratic), piece.low, piece.high))
        value = linear * q - quadratic * q * q
        if value > best[1]:
            best = (q, value)
    return best


def test_closed_form_optimum_sits_on_a_kink():
    """The optimum is where the harbour plant is driven out: two pieces meet there."""
    q, value = stackelberg_optimum(MARKET)
    assert value == pytest.approx(2194.444444444, rel=1e-9)
    assert sum(1 for piece in pieces(MARKET) if piece.low <= q <= piece.high) == 2


@pytest.mark.parametrize("method", ["kkt-bigm", "kkt-sos1", "kkt-scholtes"])
def test_methods_reach_the_closed_form(method):
    if method != "kkt-scholtes":
        pytest.importorskip("pyscipopt")
    m = build()
    res = bmp.solve(m, method=method, time_limit=60)
    q, value = stackelberg_optimum(MARKET)
    assert res.verification is bmp.Verification.CERTIFIED
    assert res.upper_objective == pytest.approx(value, rel=1e-7)
    assert pyo.value(m.leader_output) == pytest.approx(q, rel=1e-6)
    if method != "kkt-scholtes":
        assert res.is_proven_optimal
