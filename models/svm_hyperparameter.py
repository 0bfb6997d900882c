"""Choosing the regularization parameter of a linear support vector machine.

The follower trains a linear SVM (hinge loss, no intercept: features carry a constant
column when one is wanted) with the parameter ``C = exp(x)`` chosen by the leader, who
minimizes the logistic (cross-entropy) loss of the SVM's scores on validation data:

.. math::

    \\min_{x \\in [x_{\\min}, x_{\\max}]} \\; \\frac{1}{n_v} \\sum_{i=1}^{n_v}
    \\log\\big(1 + e^{-b_{v,i}\\, a_{v,i}^\\top w}\\big)
    \\quad \\text{s.t.} \\quad
    (w, \\xi) \\in \\arg\\min_{w, \\xi \\ge 0} \\Big\\{ \\tfrac12 \\|w\\|^2
    + e^{x} \\sum_{i=1}^{n} \\xi_i \\;:\\; b_i\\, a_i^\\top w \\ge 1 - \\xi_i \\Big\\}.

The lower level is a convex QP (strongly convex in ``w``, so ``w(x)`` is unique, and
``ξ_i = max(0, 1 - b_i a_iᵀw)``) with ``2n`` inequality constraints: its KKT system has
``2n`` complementarity pairs, which the KKT methods (``kkt-scholtes``, …) handle, and the
``implicit`` method differentiates through its active set (survey §6.1). ``w(C)`` is
piecewise linear in ``C`` (the SVM regularization path), so the validation loss has kinks
where a sample enters or leaves the margin.

Source: the bilevel SVM model selection of Bennett, Kunapuli, Hu and Pang (survey [21,
152, 153]; KKT reformulation in bilevel learning, survey §7.6, and the SVM examples of
§4.1), here with one parameter ``C`` and a smooth validation loss so that the implicit
method applies too (their validation loss is the hinge, written with upper-level slacks
coupled to ``w``, which only the KKT methods accept).

Data: :func:`make_data` (two Gaussian classes with overlapping means, controlled size)
and :func:`breast_cancer` (scikit-learn's data set, standardized, a random subset of the
requested size; extra ``learning``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyomo.environ as pyo

import bilevel_mp as bmp
from bilevel_mp.errors import ModelError
from bilevel_mp.optional import import_optional


@dataclass(frozen=True, eq=False)
class ClassificationData:
    """Training and validation samples (features as rows, labels ±1) and the range of
    ``log C``."""

    train_features: np.ndarray
    train_labels: np.ndarray
    validation_features: np.ndarray
    validation_labels: np.ndarray
    log_c_bounds: tuple[float, float] = (-6.0, 4.0)


def make_data(n_train: int = 40, n_validation: int = 40, n_features: int = 5,
              seed: int = 0) -> ClassificationData:
    """Two classes ``N(±μ, I)`` with ``μ = (0.7, 0.35, 0, …, 0)``: they overlap, so the
    hinge loss cannot reach zero and ``C`` matters."""
    for name, value in (("n_train", n_train), ("n_validation", n_validation),
                        ("n_features", n_features)):
        if not isinstance(value, int) or value < 1:
            raise ModelError(f"{name} must be a positive integer, got {value!r}")
    rng = np.random.default_rng(seed)
    mean = np.zeros(n_features)
    mean[:2] = [0.7, 0.35][:n_features]

    def sample(n: int) -> tuple[np.ndarray, np.ndarray]:
        labels = np.where(rng.random(n) < 0.5, 1.0, -1.0)
        return rng.normal(size=(n, n_features)) + labels[:, None] * mean, labels

    return ClassificationData(*sample(n_train), *sample(n_validation))


def breast_cancer(n_train: int = 60, n_validation: int = 60,
                  seed: int = 0) -> ClassificationData:
    """A random subset of scikit-learn's breast-cancer data, standardized on the training
    part, labels ±1."""
    datasets = import_optional("sklearn.datasets", "the breast-cancer data",
                               extra="learning")
    features, labels = datasets.load_breast_cancer(return_X_y=True)
    if n_train + n_validation > labels.size:
        raise ModelError(f"n_train + n_validation = {n_train + n_validation} exceeds the "
                         f"{labels.size} samples")
    order = np.random.default_rng(seed).permutation(labels.size)
    train, validation = order[:n_train], order[n_train:n_train + n_validation]
    mean, std = features[train].mean(axis=0), features[train].std(axis=0)
    scaled = (features - mean) / np.where(std > 0, std, 1.0)
    signs = np.where(labels == 1, 1.0, -1.0)
    return ClassificationData(scaled[train], signs[train], scaled[validation],
                              signs[validation])


def build(data: ClassificationData) -> pyo.ConcreteModel:
    """The bilevel model of the module docstring.

    Returns
    -------
    pyo.ConcreteModel
        Upper level: ``m.log_c`` (``x = log C``), objective ``m.validation_loss``.
        Lower level ``m.svm``: weights ``m.svm.w[j]``, hinge slacks ``m.svm.slack[i]``,
        margin constraints ``m.svm.margin[i]``, objective ``m.svm.objective``.
    """
    a, b = data.train_features, data.train_labels
    a_v, b_v = data.validation_features, data.validation_labels
    m = pyo.ConcreteModel(name="svm_hyperparameter")
    m.FEATURES = pyo.RangeSet(0, a.shape[1] - 1)
    m.SAMPLES = pyo.RangeSet(0, a.shape[0] - 1)
    m.log_c = pyo.Var(bounds=data.log_c_bounds, initialize=0.0)

    m.svm = bmp.LowerLevel()
    m.svm.w = pyo.Var(m.FEATURES, initialize=0.0)
    m.svm.slack = pyo.Var(m.SAMPLES, bounds=(0, None), initialize=1.0)
    m.svm.margin = pyo.Constraint(m.SAMPLES, rule=lambda s, i: float(b[i]) * sum(
        float(a[i, j]) * s.w[j] for j in m.FEATURES) >= 1 - s.slack[i])
    m.svm.objective = pyo.Objective(
        expr=0.5 * sum(m.svm.w[j] ** 2 for j in m.FEATURES)
        + pyo.exp(m.log_c) * sum(m.svm.slack[i] for i in m.SAMPLES))

    def score(i: int):
        return sum(float(a_v[i, j]) * m.svm.w[j] for j in m.FEATURES)

    m.validation_loss = pyo.Objective(expr=sum(
        pyo.log(1 + pyo.exp(-float(b_v[i]) * score(i))) for i in range(b_v.size)) / b_v.size)
    return m


def svm_weights(data: ClassificationData, log_c: float) -> np.ndarray:
    """The SVM weights at ``C = exp(log_c)`` by scikit-learn's ``LinearSVC`` (hinge loss,
    no intercept, dual coordinate descent to tolerance 1e-10): an independent solver of
    the lower level."""
    svm = import_optional("sklearn.svm", "svm_weights", extra="learning")
    model = svm.LinearSVC(C=float(np.exp(log_c)), loss="hinge", fit_intercept=False,
                          dual=True, tol=1e-10, max_iter=1_000_000)
    model.fit(data.train_features, data.train_labels)
    return model.coef_.ravel()


def validation_loss(data: ClassificationData, w: np.ndarray) -> float:
    """The upper-level objective for the weights ``w``."""
    scores = data.validation_features @ w
    return float(np.mean(np.logaddexp(0.0, -data.validation_labels * scores)))
