"""The learning problems of ``models/`` on the real data sets shipped with scikit-learn."""

from __future__ import annotations

import numpy as np
import pytest

from bilevel_mp import Verification, learning
from models import feature_regularization, hyper_cleaning

pytest.importorskip("sklearn")


@pytest.mark.parametrize("load, loss", [(feature_regularization.diabetes, "squared"),
                                        (feature_regularization.breast_cancer, "logistic")])
def test_feature_weights_on_real_data(load, loss):
    splits = load()
    problem = feature_regularization.build(splits, loss)
    assert problem.n_hyperparameters == splits.train.n_features  # one per feature + constant
    grid = learning.grid_search(problem)
    result = learning.solve(problem)
    assert result.verification is Verification.CERTIFIED
    assert result.upper_objective <= grid.best_loss


def test_hyper_cleaning_finds_the_flipped_labels():
    splits = hyper_cleaning.breast_cancer(corruption=0.3)
    problem = hyper_cleaning.build(splits)
    grid = learning.grid_search(problem)
    result = learning.solve(problem)
    assert result.verification is Verification.CERTIFIED
    assert result.upper_objective < grid.best_loss
    clean, corrupted = hyper_cleaning.weight_separation(splits, result.x_array)
    assert corrupted < 0.2 < 0.8 < clean
    # better on the held-out test data too
    assert problem.mean_loss(splits.test, result.y_array) \
        < problem.mean_loss(splits.test, grid.best_weights)


def test_synthetic_sizes():
    splits = feature_regularization.make_sparse_data(500, loss="logistic", seed=1)
    assert splits.train.features.shape == (500, 500)
    assert splits.validation.n_samples == splits.test.n_samples == 250
    assert set(np.unique(splits.train.targets)) == {-1.0, 1.0}
    assert splits.train.nnz <= 500 * 10
    corrupted = hyper_cleaning.make_corrupted_data(1000, n_features=7, corruption=0.25)
    assert corrupted.train.features.shape == (1000, 7) and corrupted.validation.n_samples == 200
    assert 0.2 < corrupted.corrupted.mean() < 0.3
