"""Choosing the regularization weight of ridge regression on validation data.

Ridge regression fits weights ``w`` to training data ``(A, b)`` (``n`` samples, ``d``
features) with an ``ℓ2`` penalty whose weight ``λ = exp(x)`` must be chosen. Bilevel
hyperparameter optimization chooses it where the fitted model predicts held-out
validation data ``(A_v, b_v)`` best: the leader picks the log-weight ``x``, the follower
trains the model,

.. math::

    \\min_{x \\in [x_{\\min}, x_{\\max}]} \\; \\frac{1}{2 n_v} \\|A_v w - b_v\\|^2
    \\quad \\text{s.t.} \\quad
    w \\in \\arg\\min_{w \\in \\mathbb{R}^d} \\; \\frac{1}{2n} \\|A w - b\\|^2
    + \\frac{e^{x}}{2} \\|w\\|^2 .

The lower level is strongly convex for every ``x``, so its solution is unique,
``w(x) = (AᵀA/n + e^x I)^{-1} Aᵀb/n``, and the implicit-function (hypergradient) method
applies; the KKT reformulation is exact (stationarity ``∇_w f = 0`` with no
complementarity). The validation loss is not convex in ``x``: a grid search is what the
bilevel method replaces.

Source: R. Grazzi, M. Pontil, S. Salzo, A. Zemkoho, "Bilevel learning" (survey), §4.1,
problem (4.1)-(4.2) with the weight-decay regularizer ``R(z, x) = exp(x) Σ_i z_i²`` (one
shared weight here; the survey's one weight per feature is the same model with ``x``
indexed by feature). Gradient-based tuning of this kind goes back to Y. Bengio,
"Gradient-based optimization of hyperparameters", *Neural Computation* 12(8), 2000,
1889-1900.

The data are synthetic and deterministic (a seeded generator): eight features driven by
three latent factors, so they are strongly correlated, as sensor or economic indicators
are; half of the true weights are zero; unit noise. Least squares without
regularization overfits 20 training samples, and the validation loss is smallest at an
interior weight.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyomo.environ as pyo
from pyomo.core.expr.numvalue import NumericValue

import bilevel_mp as bmp


@dataclass(frozen=True, eq=False)
class RegressionData:
    """Training and validation samples (features as rows) and the range of ``log λ``."""

    train_features: np.ndarray
    train_targets: np.ndarray
    validation_features: np.ndarray
    validation_targets: np.ndarray
    log_weight_bounds: tuple[float, float] = (-8.0, 4.0)


def make_data(n_train: int = 20, n_validation: int = 20, seed: int = 7) -> RegressionData:
    """Correlated synthetic regression data (see the module docstring).

    Features are ``N(0, Σ)`` with ``Σ = L Lᵀ + 0.3 I`` for a random ``8 × 3`` loading
    matrix ``L``; targets are ``A w* + ε`` with
    ``w* = (1.5, -2, 0, 0, 1, 0, 0.5, 0)`` and ``ε ~ N(0, 1)``.
    """
    rng = np.random.default_rng(seed)
    true_weights = np.array([1.5, -2.0, 0.0, 0.0, 1.0, 0.0, 0.5, 0.0])
    d = true_weights.size
    loadings = rng.normal(size=(d, 3))
    factor = np.linalg.cholesky(loadings @ loadings.T + 0.3 * np.eye(d))

    def sample(n: int) -> tuple[np.ndarray, np.ndarray]:
        features = rng.normal(size=(n, d)) @ factor.T
        return features, features @ true_weights + rng.normal(size=n)

    train, validation = sample(n_train), sample(n_validation)
    return RegressionData(*train, *validation)


DATA = make_data()
"""20 training and 20 validation samples of eight correlated features."""


def _mean_squared_half(features: np.ndarray, targets: np.ndarray,
                       weights: pyo.Var) -> NumericValue:
    """``1/(2n) Σ_i (a_i·w - b_i)²`` as a Pyomo expression."""
    n, d = features.shape
    return sum((sum(float(features[i, j]) * weights[j] for j in range(d))
                - float(targets[i])) ** 2 for i in range(n)) / (2 * n)


def build(data: RegressionData = DATA) -> pyo.ConcreteModel:
    """The hyperparameter-selection bilevel model of the module docstring.

    Parameters
    ----------
    data
        Training and validation samples, bounds of the log-weight.

    Returns
    -------
    pyo.ConcreteModel
        Upper level: ``m.log_weight`` (``x = log λ``), objective ``m.validation_loss``.
        Lower level ``m.training``: weights ``m.training.w[j]``, objective
        ``m.training.regularized_loss``.
    """
    m = pyo.ConcreteModel(name="ridge_hyperparameter")
    m.FEATURES = pyo.RangeSet(0, data.train_features.shape[1] - 1)
    m.log_weight = pyo.Var(bounds=data.log_weight_bounds, initialize=0.0)

    m.training = bmp.LowerLevel()
    m.training.w = pyo.Var(m.FEATURES, initialize=0.0)
    m.training.regularized_loss = pyo.Objective(
        expr=_mean_squared_half(data.train_features, data.train_targets, m.training.w)
        + 0.5 * pyo.exp(m.log_weight) * sum(m.training.w[j] ** 2 for j in m.FEATURES))

    m.validation_loss = pyo.Objective(expr=_mean_squared_half(
        data.validation_features, data.validation_targets, m.training.w))
    return m
