"""The SVM regularization parameter through the KKT system (models/svm_hyperparameter.py).

Independent numbers: scikit-learn's ``LinearSVC`` (hinge loss, no intercept) trains the
SVM at the returned ``C``; the KKT method's lower-level weights must agree with it. On a
case where the validation loss is smooth around its minimum, ``kkt-scholtes`` and the
``implicit`` method reach the same local solution.
"""

from __future__ import annotations

import numpy as np
import pytest

import bilevel_mp as bmp
from models.svm_hyperparameter import build, make_data, svm_weights, validation_loss

pytest.importorskip("sklearn")
pytestmark = pytest.mark.filterwarnings("ignore::bilevel_mp.ConvexityWarning")

DATA = make_data(n_train=30, n_validation=30, n_features=20, seed=3)


@pytest.fixture(scope="module")
def results():
    out = {}
    for method in ("kkt-scholtes", "implicit"):
        m = build(DATA)
        result = bmp.solve(m, method=method)
        out[method] = (result, np.array([m.svm.w[j].value for j in m.FEATURES]))
    return out


def test_kkt_weights_are_the_svm_of_scikit_learn(results):
    result, w = results["kkt-scholtes"]
    assert result.verification is bmp.Verification.CERTIFIED
    reference = svm_weights(DATA, result.x_array[0])
    np.testing.assert_allclose(w, reference, atol=1e-5)
    assert validation_loss(DATA, reference) == pytest.approx(result.upper_objective, abs=1e-6)


def test_kkt_and_implicit_agree(results):
    (kkt, _), (implicit, _) = results["kkt-scholtes"], results["implicit"]
    assert implicit.verification is bmp.Verification.CERTIFIED
    assert kkt.x_array[0] == pytest.approx(implicit.x_array[0], abs=1e-3)
    assert kkt.upper_objective == pytest.approx(implicit.upper_objective, abs=1e-5)
    grid = np.linspace(*DATA.log_c_bounds, 201)
    best = min(validation_loss(DATA, svm_weights(DATA, x)) for x in grid)
    assert kkt.upper_objective <= best + 1e-6
