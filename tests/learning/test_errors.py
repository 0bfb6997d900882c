"""Bad input gets a typed error naming the offender, never a numpy or scipy traceback."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from bilevel_mp import BilevelError, ModelError, OptionError, learning
from bilevel_mp.learning.lower_level import LowerLevelOptions
from models import feature_regularization, hyper_cleaning, svm_hyperparameter

A = np.random.default_rng(0).normal(size=(20, 4))
B = A @ np.ones(4)
LABELS = np.where(B > 0, 1.0, -1.0)


def with_nan(array, where):
    out = np.array(array, dtype=float)
    out[where] = np.nan
    return out


@pytest.mark.parametrize("train, validation, match", [
    ((A, B[:-1]), (A, B), "train: 20 samples .* but 19 targets"),
    ((A, B), (A[:, :3], B), "validation has 3 features, train 4"),
    ((A[:, 0], B), (A, B), "train features must be 2-D"),
    ((A[None], B), (A, B), "train features must be 2-D"),
    ((A[:0], B[:0]), (A, B), r"shape \(0, 4\)"),
    ((with_nan(A, (3, 2)), B), (A, B), r"train features contain 1 NaN .* at \(3, 2\)"),
    ((sp.csr_matrix(with_nan(A, (5, 1))), B), (A, B), r"train features .* at \(5, 1\)"),
    ((A, B), (A, with_nan(B, 7)), "validation targets contain 1 NaN .* at 7"),
    ((A, np.full(20, np.inf)), (A, B), "train targets contain 20 NaN or infinite"),
    ((A, B.reshape(4, 5)), (A, B), "train targets must be 1-D"),
    (("abc", B), (A, B), "train features must be a numeric array"),
    ((A, B, B), (A, B), "train must be a Dataset or a pair"),
    ((sp.csr_matrix(A.astype(complex)), B), (A, B), "real numbers"),
], ids=["targets", "features", "1-d", "3-d", "empty", "nan-dense", "nan-sparse",
        "nan-targets", "inf-targets", "2-d-targets", "text", "triple", "complex"])
def test_bad_data(train, validation, match):
    with pytest.raises(ModelError, match=match):
        learning.FeatureRegularization(train, validation)


@pytest.mark.parametrize("kwargs, match", [
    ({"loss": "hinge"}, "loss must be one of"),
    ({"loss": "logistic"}, "train targets: the logistic loss needs labels -1 or \\+1"),
    ({"bounds": (3, 1)}, "lower < upper"),
    ({"bounds": (0, np.inf)}, "finite"),
    ({"bounds": 5}, "pair"),
    ({"x0": np.zeros(3)}, "x0 must be a number or an array of 4"),
    ({"x0": 9.0}, r"x0\[0\] = 9.0 is outside the bounds"),
    ({"x0": np.nan}, "outside the bounds"),
])
def test_bad_problem_settings(kwargs, match):
    with pytest.raises(ModelError, match=match):
        learning.FeatureRegularization((A, B), (A, B), **kwargs)


@pytest.mark.parametrize("l2", [0.0, -1.0, np.nan, "a"])
def test_bad_l2(l2):
    with pytest.raises(ModelError, match="l2 must be a positive number"):
        learning.SampleReweighting((A, LABELS), (A, LABELS), l2=l2)


def test_bad_solve_arguments():
    problem = learning.FeatureRegularization((A, B), (A, B))
    with pytest.raises(OptionError, match="unknown option.*max_iters"):
        learning.solve(problem, {"max_iters": 3})
    with pytest.raises(OptionError, match="ll_tol"):
        learning.solve(problem, {"ll_tol": "tight"})
    with pytest.raises(OptionError, match="'max_iter' .* must be >= 1, got 0"):
        learning.solve(problem, {"max_iter": 0})
    with pytest.raises(OptionError, match="'adjoint_tol' .* must be >= 0"):
        learning.LearningOptions(adjoint_tol=-1e-3)
    with pytest.raises(OptionError, match="memory"):
        learning.LearningOptions(memory="ten")
    with pytest.raises(OptionError, match="'max_cg' of LowerLevelOptions must be >= 1"):
        LowerLevelOptions(max_cg=0)
    with pytest.raises(ModelError, match="must be a bilevel_mp.learning problem"):
        learning.solve((A, B))
    with pytest.raises(OptionError, match="n_points must be a positive integer"):
        learning.grid_search(problem, n_points=0)
    with pytest.raises(OptionError, match="time_budget"):
        learning.random_search(problem, time_budget=-1.0)
    with pytest.raises(ModelError, match="data have 3 features"):
        problem.mean_loss((A[:, :3], B), np.zeros(4))


@pytest.mark.parametrize("make, match", [
    (lambda: feature_regularization.make_sparse_data(-5), "n_features must be a positive"),
    (lambda: feature_regularization.make_sparse_data(10, nnz_per_sample=0), "nnz_per_sample"),
    (lambda: hyper_cleaning.make_corrupted_data(-1), "n_train must be a positive"),
    (lambda: hyper_cleaning.make_corrupted_data(10, corruption=1.5), "corruption"),
    (lambda: svm_hyperparameter.make_data(n_train=0), "n_train must be a positive"),
    (lambda: svm_hyperparameter.breast_cancer(500, 500), "exceeds the 569 samples"),
])
def test_bad_sizes_in_the_models(make, match):
    with pytest.raises(BilevelError, match=match):
        make()
