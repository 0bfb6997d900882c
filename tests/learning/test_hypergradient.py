"""AID hypergradients against central finite differences of ``𝓕(x) = F(w(x))`` at n = 10³.

Every one of the 10³ partial derivatives is compared: ``(𝓕(x + h e_i) - 𝓕(x - h e_i)) / 2h``
with ``w(x ± h e_i)`` solved to a gradient norm of 1e-14 relative (warm-started from
``w(x)``), against the AID hypergradient (CG to 1e-12). Accepted: ``‖g_FD - g‖ <= 1e-5 ‖g‖``.
"""

from __future__ import annotations

import numpy as np
import pytest

from bilevel_mp.learning.hypergradient import aid_hypergradient
from bilevel_mp.learning.lower_level import LowerLevelOptions, solve_lower_level
from models import feature_regularization, hyper_cleaning

TIGHT = LowerLevelOptions(tol=1e-14, max_iter=100)
STEP = 1e-5


def finite_difference_gradient(problem, x: np.ndarray, w: np.ndarray) -> np.ndarray:
    def loss(point: np.ndarray) -> float:
        solution = solve_lower_level(problem, point, w, TIGHT)
        return problem.validation_value_and_gradient(solution.w)[0]

    out = np.empty_like(x)
    for i in range(x.size):
        step = np.zeros_like(x)
        step[i] = STEP
        out[i] = (loss(x + step) - loss(x - step)) / (2 * STEP)
    return out


def feature_problem(loss: str):
    splits = feature_regularization.make_sparse_data(1000, loss=loss, seed=3)
    return feature_regularization.build(splits, loss)


def reweighting_problem(loss: str):
    return hyper_cleaning.build(hyper_cleaning.make_corrupted_data(1000, loss=loss, seed=3),
                                loss)


@pytest.mark.parametrize("make, loss, centre", [
    (feature_problem, "squared", -3.0), (feature_problem, "logistic", -3.0),
    (reweighting_problem, "squared", 0.0), (reweighting_problem, "logistic", 0.0)],
    ids=["ridge", "logistic", "reweighting-squared", "reweighting-logistic"])
def test_hypergradient_matches_finite_differences(make, loss, centre):
    problem = make(loss)
    assert problem.n_hyperparameters == 1000
    x = centre + np.random.default_rng(0).uniform(-2.0, 2.0, problem.n_hyperparameters)
    solution = solve_lower_level(problem, x, np.zeros(problem.n_weights), TIGHT)
    assert solution.converged
    hg = aid_hypergradient(problem, x, solution, tol=1e-12, max_cg=10_000)
    assert hg.converged
    fd = finite_difference_gradient(problem, x, solution.w)
    assert np.linalg.norm(fd - hg.gradient) <= 1e-5 * np.linalg.norm(hg.gradient)
    assert hg.value == pytest.approx(problem.validation_value_and_gradient(solution.w)[0])
