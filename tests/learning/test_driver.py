"""``bilevel_mp.learning.solve``: results, baselines, limits and the certificate.

Independent numbers: ridge weights by ``numpy.linalg.solve`` on the normal equations, and
a 401-point grid of the shared weight evaluated with them.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from bilevel_mp import OptionError, PrimalStatus, TerminationStatus, Verification, learning
from bilevel_mp.learning.certificate import certify
from bilevel_mp.learning.lower_level import LowerLevelOptions
from models.ridge_hyperparameter import make_data


@pytest.fixture(scope="module")
def ridge():
    data = make_data(n_train=30, n_validation=30, seed=7)
    return data, learning.FeatureRegularization(
        (data.train_features, data.train_targets),
        (data.validation_features, data.validation_targets))


def ridge_weights(data, log_weights: np.ndarray) -> np.ndarray:
    a, b = data.train_features, data.train_targets
    n, d = a.shape
    return np.linalg.solve(a.T @ a / n + np.diag(np.exp(log_weights) * np.ones(d)),
                           a.T @ b / n)


def validation_loss(data, w: np.ndarray) -> float:
    return 0.5 * float(np.mean((data.validation_features @ w - data.validation_targets) ** 2))


def test_beats_the_best_shared_weight_of_an_independent_grid(ridge):
    data, problem = ridge
    grid = np.linspace(-12, 8, 401)
    best_grid = min(validation_loss(data, ridge_weights(data, t)) for t in grid)
    result = learning.solve(problem)
    assert result.termination is TerminationStatus.LOCALLY_SOLVED
    assert result.verification is Verification.CERTIFIED
    assert result.primal_status is PrimalStatus.FEASIBLE_POINT
    assert result.upper_objective <= best_grid
    # the reported weights and loss are those of the exact ridge fit at the returned x
    exact = ridge_weights(data, result.x_array)
    np.testing.assert_allclose(result.y_array, exact, rtol=1e-7, atol=1e-9)
    assert validation_loss(data, exact) == pytest.approx(result.upper_objective, rel=1e-9)
    assert np.all((result.x_array >= -12) & (result.x_array <= 8))
    # the library's own grid agrees with the independent one on the same points
    ours = learning.grid_search(problem, n_points=401)
    assert ours.best_loss == pytest.approx(best_grid, rel=1e-9)


def test_result_reads_like_any_result(ridge):
    _, problem = ridge
    result = learning.solve(problem, {"max_iter": 3})
    assert result.termination is TerminationStatus.ITERATION_LIMIT
    assert result.verification is Verification.CERTIFIED
    assert list(result.x)[:2] == ["log_l2[0]", "log_l2[1]"] and list(result.y)[0] == "w[0]"
    assert result.ll_gap <= result.stats["certificate"]["gap_tolerance"]
    history = np.array(result.stats["history"])
    assert np.all(np.diff(history[:, 1]) <= 0) and history[-1, 1] == result.upper_objective
    assert result.stats["iterations"] == 3 and result.stats["evaluations"] >= 3
    assert {"solve", "lower_level", "hypergradient", "verify"} <= set(result.stats["time"])
    json.dumps(result.to_dict(), allow_nan=False)
    assert "certified by strong convexity" in result.summary()


def test_blas_threads(ridge):
    pytest.importorskip("threadpoolctl")
    _, problem = ridge
    limited = learning.solve(problem, {"max_iter": 2})
    free = learning.solve(problem, {"max_iter": 2, "blas_threads": None})
    assert limited.stats["blas_threads"] == "limited to 1"
    assert free.stats["blas_threads"] == "as configured"


def test_time_limit():
    splits_a = np.random.default_rng(0).normal(size=(50, 10))
    problem = learning.FeatureRegularization((splits_a, splits_a[:, 0]),
                                             (splits_a, splits_a[:, 1]))
    result = learning.solve(problem, {"time_limit": 0.0})
    assert result.termination is TerminationStatus.TIME_LIMIT
    assert not result.has_point and result.verification is Verification.NOT_CHECKED


def test_reweighting_beats_uniform_weights():
    rng = np.random.default_rng(4)
    a, a_v = rng.normal(size=(200, 5)), rng.normal(size=(100, 5))
    w_true = rng.normal(size=5)
    b = a @ w_true + 0.1 * rng.normal(size=200)
    b[:40] = 5 * rng.normal(size=40)  # corrupted targets
    problem = learning.SampleReweighting((a, b), (a_v, a_v @ w_true), loss="squared")
    uniform = learning.grid_search(problem)
    result = learning.solve(problem)
    assert result.verification is Verification.CERTIFIED
    assert result.upper_objective < 0.5 * uniform.best_loss
    weights = 1 / (1 + np.exp(-result.x_array))
    assert weights[:40].mean() < weights[40:].mean() - 0.1


def test_certificate_statuses(ridge):
    data, problem = ridge
    x = np.full(problem.n_hyperparameters, -12.0)
    options = LowerLevelOptions()
    exact = ridge_weights(data, x)
    assert certify(problem, x, exact, options).verification is Verification.CERTIFIED
    bad = certify(problem, x, np.zeros_like(exact), options)
    assert bad.verification is Verification.SUBOPTIMAL and bad.resolved_gap > 0
    # a tiny gap that the loose bound (μ = e^-12) cannot prove
    near = certify(problem, x, exact + 1e-5, options)
    assert near.gap_bound > near.gap_tolerance >= near.resolved_gap
    assert near.verification is Verification.NO_BETTER_FOUND


def test_random_search_respects_its_budget(ridge):
    _, problem = ridge
    fixed = learning.random_search(problem, n_points=7, seed=1)
    assert fixed.values.size == 7 and np.all(np.diff(fixed.times) >= 0)
    assert fixed.best_loss == fixed.losses.min() == fixed.best_so_far()[-1]
    timed = learning.random_search(problem, time_budget=0.0)
    assert timed.values.size == 1
    with pytest.raises(OptionError, match="n_points or time_budget"):
        learning.random_search(problem)
