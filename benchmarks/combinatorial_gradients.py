"""Bias, variance and cost of ``bmp.perturbed_gradient`` on two combinatorial bilevel
programs, against central finite differences of the expected (smoothed) loss.

``perturbed_gradient`` estimates ``∇L_σ(θ)``, ``L_σ(θ) = E ℓ(x*(θ + σZ), y*(θ + σZ))``,
from ``N`` antithetic pairs (``2N`` solves with ``kkt-bigm``). The reference is
``(L_σ(θ + h e_k) - L_σ(θ - h e_k)) / 2h`` (``h = σ/10``), with ``L_σ`` computed
independently of the code under test:

``pricing``
    An integer price ``x ∈ {0..5}``, a follower who buys (``y = 1``) when ``x ≤ c``; the
    leader earns ``x y - 0.01 x``, so ``x*(c) = Σⱼ [c ≥ j]`` (``j = 1..5``). Loss
    ``ℓ = (x* - 2)²``; ``L_σ`` in closed form from ``P(x* = v) = Φ((c - v)/σ) -
    Φ((c - v - 1)/σ)``. θ = ``c`` = 2.8.
``knapsack``
    Knapsack interdiction: the leader removes one of four items (binary ``x``,
    ``Σ x ≤ 1``) to minimize the profit of a follower who fills a knapsack of capacity 4
    with fractions ``y ∈ [0, 1 - x]`` of items of weights (3, 2, 2, 1) and profits θ =
    ``p`` = (6, 5, 4.2, 3) (a linear lower level: a fractional knapsack). Loss
    ``ℓ = ‖x* - e₀‖² + ‖y* - (1, 0, 1, 0.5)‖²``. ``L_σ`` by Monte Carlo over ``M = 4·10⁵``
    common draws, each solved by enumerating the five interdictions and filling the
    knapsack greedily (the standard error of the reference is printed).

For each problem and σ the script draws ``P`` pairs once (``2P`` solves) and reports, for
``N`` pairs per estimate: the reference; the estimate (the mean over the ``P`` pairs: the
estimator's mean does not depend on ``N``) and ``bias = ‖mean - reference‖`` with its
standard error ``√(tr Cov / P)``; the same bias measured precisely with 2·10⁵ pairs whose
losses come from the independent solution ("oracle": it is the bias of the ``kkt-bigm``
estimator as long as the two solutions agree, which the script checks on the first 40
sampled instances); the variance ``tr Cov / N`` of an ``N``-pair estimate (``Cov`` the
per-pair covariance of the ``P`` pairs); the relative RMSE ``√(bias² + variance) /
‖reference‖`` (oracle bias); and the cost of one estimate: ``2N`` solves and their seconds
(the measured time per solve × ``2N``).

Run: ``python benchmarks/combinatorial_gradients.py [--pairs P] [--sigmas s ...]``
(defaults 200 and 0.3 0.6).
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from dataclasses import replace
from pathlib import Path

import numpy as np
import pyomo.environ as pyo
from scipy.stats import norm

import bilevel_mp as bmp

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from models.integer_pricing import build as integer_pricing  # noqa: E402

WEIGHTS = np.array([3.0, 2.0, 2.0, 1.0])
CAPACITY = 4.0
PROFITS = np.array([6.0, 5.0, 4.2, 3.0])
X_TARGET = np.array([1.0, 0.0, 0.0, 0.0])
Y_TARGET = np.array([1.0, 0.0, 1.0, 0.5])
PRICE = 2.8
ORACLE_PAIRS = 200_000


def pricing_model() -> pyo.ConcreteModel:
    """The integer-price problem of the module docstring (``models/integer_pricing.py``)."""
    return integer_pricing(PRICE)


def pricing_loss(x: np.ndarray, y: np.ndarray) -> float:
    return float((np.round(x[0]) - 2.0) ** 2)


def pricing_enumerated(c: np.ndarray) -> np.ndarray:
    """The loss at each row of ``c`` (shape ``(M, 1)``), from ``x* = Σⱼ [c ≥ j]``."""
    return (np.clip(np.floor(c[:, 0]), 0, 5) - 2.0) ** 2


def pricing_smoothed(c: float, sigma: float) -> float:
    """``L_σ(c)`` in closed form."""
    values = np.arange(6)
    upper = np.where(values == 0, 1.0, norm.cdf((c - values) / sigma))
    lower = np.where(values == 5, 0.0, norm.cdf((c - values - 1) / sigma))
    return float(np.sum((values - 2.0) ** 2 * (upper - lower)))


def knapsack_model() -> pyo.ConcreteModel:
    """The knapsack-interdiction problem of the module docstring."""
    m = pyo.ConcreteModel()
    m.I = pyo.RangeSet(0, 3)
    m.p = pyo.Param(m.I, initialize=dict(enumerate(PROFITS)), mutable=True)
    m.x = pyo.Var(m.I, within=pyo.Binary)
    m.budget = pyo.Constraint(expr=sum(m.x[i] for i in m.I) <= 1)
    m.L = bmp.LowerLevel()
    m.L.y = pyo.Var(m.I, bounds=(0, 1))
    m.L.capacity = pyo.Constraint(expr=sum(WEIGHTS[i] * m.L.y[i] for i in m.I) <= CAPACITY)
    m.L.removed = pyo.Constraint(m.I, rule=lambda b, i: b.y[i] <= 1 - m.x[i])
    m.L.obj = pyo.Objective(expr=sum(m.p[i] * m.L.y[i] for i in m.I), sense=pyo.maximize)
    m.obj = pyo.Objective(expr=sum(m.p[i] * m.L.y[i] for i in m.I))
    return m


def knapsack_loss(x: np.ndarray, y: np.ndarray) -> float:
    return float(np.sum((x - X_TARGET) ** 2) + np.sum((y - Y_TARGET) ** 2))


def knapsack_enumerated(p: np.ndarray) -> np.ndarray:
    """The loss at each row of profits ``p`` (shape ``(M, 4)``): enumerate the leader's
    five choices, fill each knapsack greedily by profit per weight."""
    best_profit = np.full(len(p), np.inf)
    best_loss = np.zeros(len(p))
    for removed in [None, 0, 1, 2, 3]:
        x = np.zeros(4)
        if removed is not None:
            x[removed] = 1.0
        order = np.argsort(-p / WEIGHTS, axis=1)
        y = np.zeros_like(p)
        room = np.full(len(p), CAPACITY)
        for rank in range(4):
            item = order[:, rank]
            rows = np.arange(len(p))
            usable = (item != removed) & (p[rows, item] > 0)
            take = np.where(usable, np.minimum(1.0, room / WEIGHTS[item]), 0.0)
            y[rows, item] = take
            room = room - take * WEIGHTS[item]
        profit = np.sum(p * y, axis=1)
        loss = np.sum((x - X_TARGET) ** 2) + np.sum((y - Y_TARGET) ** 2, axis=1)
        better = profit < best_profit - 1e-12
        best_profit = np.where(better, profit, best_profit)
        best_loss = np.where(better, loss, best_loss)
    return best_loss


def knapsack_reference(sigma: float, draws: int = 400_000, seed: int = 7
                       ) -> tuple[np.ndarray, float]:
    """Central differences of ``L_σ`` by Monte Carlo (common draws) and their largest
    standard error."""
    z = np.random.default_rng(seed).standard_normal((draws, 4))
    h = sigma / 10
    grads, errors = [], []
    for k in range(4):
        step = np.zeros(4)
        step[k] = h
        diff = (knapsack_enumerated(PROFITS + step + sigma * z)
                - knapsack_enumerated(PROFITS - step + sigma * z)) / (2 * h)
        grads.append(diff.mean())
        errors.append(diff.std() / np.sqrt(draws))
    return np.array(grads), float(max(errors))


def oracle_pairs(enumerated, theta: np.ndarray, sigma: float, pairs: int,
                 seed: int = 11) -> np.ndarray:
    """The estimator's per-pair values with the independent solution (vectorized), for
    its expectation to high accuracy."""
    z = np.random.default_rng(seed).standard_normal((pairs, theta.size))
    up, down = enumerated(theta + sigma * z), enumerated(theta - sigma * z)
    return (up - down)[:, None] * z / (2 * sigma)


def mismatches(model: pyo.ConcreteModel, loss, enumerated, theta: np.ndarray,
               sigma: float, pairs: int, seed: int, checked: int = 40) -> int:
    """Instances among the first ``checked`` of the estimator's draws (same seed) where
    ``kkt-bigm``'s loss differs from the independent one."""
    z = np.random.default_rng(seed).standard_normal((pairs, theta.size))
    points = np.concatenate([theta + sigma * z, theta - sigma * z])[:checked]
    program = bmp.compile_pyomo(model)[0]
    count = 0
    for point in points:
        result = bmp.solve(replace(program, p_values=point), "kkt-bigm")
        count += abs(loss(result.x_array, result.y_array) - enumerated(point[None])[0]) > 1e-6
    return int(count)


def rows(name: str, model, loss, enumerated, theta: np.ndarray, reference: np.ndarray,
         reference_error: float, sigma: float, pairs: int, seed: int) -> list[str]:
    g = bmp.perturbed_gradient(model, _names(model), loss, theta, sigma=sigma,
                               samples=pairs, seed=seed)
    mean = g.pairs.mean(axis=0)
    trace = float(np.trace(np.atleast_2d(np.cov(g.pairs, rowvar=False))))
    bias = float(np.linalg.norm(mean - reference))
    many = oracle_pairs(enumerated, theta, sigma, ORACLE_PAIRS)
    oracle_bias = float(np.linalg.norm(many.mean(axis=0) - reference))
    oracle_error = float(np.sqrt(np.trace(np.atleast_2d(np.cov(many, rowvar=False)))
                                 / ORACLE_PAIRS))
    per_solve = g.seconds / g.solves
    lines = []
    for n in sorted({8, 32, pairs}):
        variance = trace / n
        rmse = np.sqrt(oracle_bias ** 2 + variance) / np.linalg.norm(reference)
        lines.append(
            f"| {name} | {sigma:.2f} | {n} | {2 * n} | {2 * n * per_solve:.2f} | "
            f"{_vector(reference)} ± {reference_error:.3f} | {_vector(mean)} | "
            f"{bias:.3f} ± {np.sqrt(trace / pairs):.3f} | "
            f"{oracle_bias:.4f} ± {oracle_error:.4f} | {variance:.4f} | {rmse:.2f} |")
    return lines


def _names(model: pyo.ConcreteModel) -> list[str]:
    return list(bmp.compile_pyomo(model)[0].parameter_names)


def _vector(v: np.ndarray) -> str:
    return "(" + ", ".join(f"{e:.3f}" for e in v) + ")"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pairs", type=int, default=200)
    parser.add_argument("--sigmas", type=float, nargs="+", default=[0.3, 0.6])
    args = parser.parse_args()
    warnings.simplefilter("ignore", bmp.BilevelWarning)
    print("| problem | σ | N pairs | solves | seconds | reference (FD of L_σ) ± s.e. | "
          "estimate (mean of P pairs) | bias ± s.e. (P pairs) | bias ± s.e. (oracle) | "
          "variance (N pairs) | rel. RMSE (N pairs) |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    t0 = time.perf_counter()
    checks = []
    for sigma in args.sigmas:
        h = sigma / 10
        reference = np.array([(pricing_smoothed(PRICE + h, sigma)
                                - pricing_smoothed(PRICE - h, sigma)) / (2 * h)])
        for line in rows("pricing", pricing_model(), pricing_loss, pricing_enumerated,
                         np.array([PRICE]), reference, 0.0, sigma, args.pairs, seed=1):
            print(line, flush=True)
        reference, error = knapsack_reference(sigma)
        for line in rows("knapsack", knapsack_model(), knapsack_loss, knapsack_enumerated,
                         PROFITS, reference, error, sigma, args.pairs, seed=2):
            print(line, flush=True)
        checks += [("pricing", sigma, mismatches(pricing_model(), pricing_loss,
                                                 pricing_enumerated, np.array([PRICE]),
                                                 sigma, args.pairs, seed=1)),
                   ("knapsack", sigma, mismatches(knapsack_model(), knapsack_loss,
                                                  knapsack_enumerated, PROFITS, sigma,
                                                  args.pairs, seed=2))]
    for name, sigma, count in checks:
        print(f"{name}, σ = {sigma}: kkt-bigm's loss differs from the independent one at "
              f"{count} of the first 40 sampled instances")
    print(f"total {time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    main()
