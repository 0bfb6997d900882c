"""Data hyper-cleaning: one weight per training sample, learned on clean validation data.

The bilevel problem is :class:`bilevel_mp.learning.SampleReweighting` (Franceschi et al.
2017, survey [95]; the reweighting ``ℓ_tr = σ(x_i) ℓ`` of survey §4.1): part of the
training labels are corrupted, the validation labels are clean, and the leader picks one
weight ``σ(x_i)`` per training sample so that the model trained on the weighted data
predicts the validation data well. A good answer gives the corrupted samples small
weights; :func:`weight_separation` measures that.

Data:

- :func:`make_corrupted_data`: synthetic data of controlled size: Gaussian features
  (``n_features`` of them, dense), labels ``sign(Aw* + 0.3 ε)`` (logistic loss) or
  targets ``Aw* + 0.3 ε`` (squared loss); a fraction ``corruption`` of the training
  samples gets a flipped label (logistic) or a target replaced by ``N(0, 3²)`` noise
  (squared). Validation and test data are clean.
- :func:`breast_cancer`: scikit-learn's breast-cancer data (no download; extra
  ``learning``), standardized, with a constant feature; 30% of the training labels
  flipped.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bilevel_mp.errors import ModelError
from bilevel_mp.learning import Dataset, SampleReweighting
from bilevel_mp.learning.losses import LossName
from bilevel_mp.optional import import_optional


@dataclass(frozen=True, eq=False)
class CorruptedSplits:
    """Training data (some samples corrupted), clean validation and test data."""

    train: Dataset
    validation: Dataset
    test: Dataset
    corrupted: np.ndarray
    """Boolean mask of the corrupted training samples."""


def make_corrupted_data(n_train: int, n_features: int = 50, corruption: float = 0.3,
                        n_validation: int | None = None, n_test: int | None = None,
                        loss: LossName = "logistic", seed: int = 0) -> CorruptedSplits:
    """Synthetic data (module docstring); validation and test sizes default to
    ``max(n_train // 10, 200)``."""
    default = max(n_train // 10, 200) if isinstance(n_train, int) else n_train
    sizes = {"n_train": n_train, "n_features": n_features,
             "n_validation": n_validation or default, "n_test": n_test or default}
    for name, value in sizes.items():
        if not isinstance(value, int | np.integer) or value < 1:
            raise ModelError(f"{name} must be a positive integer, got {value!r}")
    if not 0 <= corruption < 1:
        raise ModelError(f"corruption must be in [0, 1), got {corruption!r}")
    rng = np.random.default_rng(seed)
    w_true = rng.normal(size=n_features) / np.sqrt(n_features)

    def sample(m: int) -> tuple[np.ndarray, np.ndarray]:
        a = rng.normal(size=(m, n_features))
        b = a @ w_true + 0.3 * rng.normal(size=m)
        return a, np.where(b > 0, 1.0, -1.0) if loss == "logistic" else b

    a, b = sample(n_train)
    corrupted = rng.random(n_train) < corruption
    b[corrupted] = -b[corrupted] if loss == "logistic" \
        else 3.0 * rng.normal(size=int(corrupted.sum()))
    return CorruptedSplits(Dataset.of(a, b), Dataset.of(*sample(sizes["n_validation"])),
                           Dataset.of(*sample(sizes["n_test"])), corrupted)


def breast_cancer(corruption: float = 0.3, seed: int = 0) -> CorruptedSplits:
    """scikit-learn's breast-cancer data split 50/25/25, with ``corruption`` of the
    training labels flipped."""
    datasets = import_optional("sklearn.datasets", "the breast-cancer data",
                               extra="learning")
    features, labels = datasets.load_breast_cancer(return_X_y=True)
    rng = np.random.default_rng(seed)
    order = rng.permutation(labels.size)
    parts = np.split(order, (np.array([0.5, 0.75]) * labels.size).astype(int))
    mean, std = features[parts[0]].mean(axis=0), features[parts[0]].std(axis=0)
    targets = np.where(labels == 1, 1.0, -1.0)

    def part(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        scaled = (features[rows] - mean) / np.where(std > 0, std, 1.0)
        return np.hstack([scaled, np.ones((rows.size, 1))]), targets[rows].copy()

    a, b = part(parts[0])
    corrupted = rng.random(b.size) < corruption
    b[corrupted] = -b[corrupted]
    return CorruptedSplits(Dataset.of(a, b), Dataset.of(*part(parts[1])),
                           Dataset.of(*part(parts[2])), corrupted)


def build(splits: CorruptedSplits, loss: LossName = "logistic",
          l2: float = 1e-3) -> SampleReweighting:
    """The bilevel problem on ``splits`` (training and validation parts)."""
    return SampleReweighting(splits.train, splits.validation, loss=loss, l2=l2)


def weight_separation(splits: CorruptedSplits, x: np.ndarray) -> tuple[float, float]:
    """Mean sample weight ``σ(x_i)`` of the clean and of the corrupted training samples."""
    weights = 1.0 / (1.0 + np.exp(-np.asarray(x, dtype=float)))
    return float(weights[~splits.corrupted].mean()), float(weights[splits.corrupted].mean())
