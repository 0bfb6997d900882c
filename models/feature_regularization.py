"""One regularization weight per feature: ridge and logistic regression on sparse data.

The bilevel problem is :class:`bilevel_mp.learning.FeatureRegularization` (survey §4.1,
(4.1)–(4.2) with the weight decay ``R(w, x) = ½ Σ_j exp(x_j) w_j²``): the leader picks one
log-weight per feature, the follower trains the model, and the validation loss is
minimized. With as many hyperparameters as features, grid and random search can only
explore a shared weight; hypergradients tune all of them (HOAG, Pedregosa 2016).

Data:

- :func:`make_sparse_data`: synthetic sparse data of controlled size, shaped like text
  features (bag-of-words): each sample has ``nnz_per_sample`` nonzero features drawn
  with Zipf-like frequencies ``p_j ∝ (rank_j)^{-0.8}``, so a few features are frequent and
  most are rare; 10% of the features carry signal (true weights ``N(0, 1)``), the rest
  none. Targets ``Aw* + 0.5 ε`` (squared loss) or labels ``sign(Aw* + 0.5 ε)`` (logistic).
  Rare features are the ones a shared weight cannot regularize well.
- :func:`diabetes` (regression, 442 samples, 10 features) and :func:`breast_cancer`
  (classification, 569 samples, 30 features): real data sets shipped with scikit-learn
  (no download; extra ``learning``), standardized on the training part, with a constant
  feature for the intercept (its weight is a hyperparameter like any other, so the
  intercept can be left unregularized).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from bilevel_mp.errors import ModelError
from bilevel_mp.learning import Dataset, FeatureRegularization
from bilevel_mp.learning.losses import LossName
from bilevel_mp.optional import import_optional


@dataclass(frozen=True, eq=False)
class Splits:
    """Training, validation and (held-out) test data."""

    train: Dataset
    validation: Dataset
    test: Dataset


def make_sparse_data(n_features: int, n_train: int | None = None,
                     n_validation: int | None = None, n_test: int | None = None,
                     loss: LossName = "squared", nnz_per_sample: int = 10,
                     seed: int = 0) -> Splits:
    """Synthetic sparse data (module docstring); sample counts default to
    ``n_features``, ``n_features // 2`` and ``n_features // 2``."""
    sizes = {"n_features": n_features, "n_train": n_train or n_features,
             "n_validation": n_validation or max(n_features // 2, 1),
             "n_test": n_test or max(n_features // 2, 1), "nnz_per_sample": nnz_per_sample}
    for name, value in sizes.items():
        if not isinstance(value, int | np.integer) or value < 1:
            raise ModelError(f"{name} must be a positive integer, got {value!r}")
    d, k = n_features, nnz_per_sample
    rng = np.random.default_rng(seed)
    frequency = 1.0 / np.arange(1, d + 1) ** 0.8
    frequency = frequency[rng.permutation(d)] / frequency.sum()
    w_true = np.where(rng.random(d) < 0.1, rng.normal(size=d), 0.0)

    def sample(m: int) -> Dataset:
        columns = rng.choice(d, size=m * k, p=frequency)
        a = sp.csr_matrix((rng.normal(size=m * k), (np.repeat(np.arange(m), k), columns)),
                          shape=(m, d))
        a.sum_duplicates()
        b = a @ w_true + 0.5 * rng.normal(size=m)
        return Dataset.of(a, np.where(b > 0, 1.0, -1.0) if loss == "logistic" else b)

    return Splits(sample(sizes["n_train"]), sample(sizes["n_validation"]),
                  sample(sizes["n_test"]))


def diabetes(seed: int = 0) -> Splits:
    """scikit-learn's diabetes data (regression), split 50/25/25 at random."""
    datasets = import_optional("sklearn.datasets", "the diabetes data", extra="learning")
    features, targets = datasets.load_diabetes(return_X_y=True)
    return _standardized_splits(features, (targets - targets.mean()) / targets.std(), seed)


def breast_cancer(seed: int = 0) -> Splits:
    """scikit-learn's breast-cancer data (labels ±1), split 50/25/25 at random."""
    datasets = import_optional("sklearn.datasets", "the breast-cancer data",
                               extra="learning")
    features, labels = datasets.load_breast_cancer(return_X_y=True)
    return _standardized_splits(features, np.where(labels == 1, 1.0, -1.0), seed)


def _standardized_splits(features: np.ndarray, targets: np.ndarray, seed: int) -> Splits:
    order = np.random.default_rng(seed).permutation(targets.size)
    cut = np.array([0.5, 0.75]) * targets.size
    parts = np.split(order, cut.astype(int))
    mean, std = features[parts[0]].mean(axis=0), features[parts[0]].std(axis=0)
    std[std == 0] = 1.0

    def part(rows: np.ndarray) -> Dataset:
        scaled = (features[rows] - mean) / std
        return Dataset.of(np.hstack([scaled, np.ones((rows.size, 1))]), targets[rows])

    return Splits(*(part(rows) for rows in parts))


def build(splits: Splits, loss: LossName = "squared",
          x0: float = 0.0) -> FeatureRegularization:
    """The bilevel problem on ``splits`` (training and validation parts)."""
    return FeatureRegularization(splits.train, splits.validation, loss=loss, x0=x0)
