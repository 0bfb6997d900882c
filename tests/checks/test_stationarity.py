"""MPCC stationarity types at the origin of  min f(a, b)  s.t.  0 <= a ⊥ b >= 0.

At (0, 0) both indices are biactive and the TNLP multipliers are sigma = grad f (there
are no other constraints), so the type follows from the signs of the gradient alone:
S when both are >= 0, M when one is 0 or both > 0, C when their product is >= 0, else W.
"""

from __future__ import annotations

import casadi as ca
import numpy as np
import pytest

from bilevel_mp.checks.stationarity import StationarityClassifier
from bilevel_mp.ir.nlp import MPCC, NLP
from bilevel_mp.status import Stationarity
from bilevel_mp.threads import blas_threads


def _mpcc(objective) -> MPCC:
    z = ca.SX.sym("z", 2)
    nlp = NLP(z=z, f=objective(z[0], z[1]), g=ca.SX(0, 1), z_lb=np.zeros(2),
              z_ub=np.full(2, np.inf), g_lb=np.zeros(0), g_ub=np.zeros(0), z0=np.zeros(2),
              p=ca.SX(0, 1), p_values=np.zeros(0))
    return MPCC(nlp=nlp, pairs_a=np.array([0]), pairs_b=np.array([1]))


@pytest.mark.parametrize(
    ("objective", "kind"),
    [
        (lambda a, b: (a + 1) ** 2 + (b + 1) ** 2, Stationarity.S),   # grad (2, 2)
        (lambda a, b: (a - 1) ** 2 + b**2, Stationarity.M),           # grad (-2, 0)
        (lambda a, b: (a - 1) ** 2 + (b - 1) ** 2, Stationarity.C),   # grad (-2, -2)
        (lambda a, b: -a + b, Stationarity.W),                        # grad (-1, 1)
    ],
)
def test_types_at_biactive_origin(objective, kind):
    report = StationarityClassifier(_mpcc(objective)).classify(np.zeros(2))
    assert report.kind is kind
    assert (report.n_eta, report.n_nu, report.n_mu) == (0, 0, 1)


def test_nondegenerate_point_is_strongly_stationary():
    # min (a - 1)^2 + b: at (1, 0) b's multiplier is 1 > 0 and a is free: S, with nu = {0}.
    report = StationarityClassifier(_mpcc(lambda a, b: (a - 1) ** 2 + b)).classify(
        np.array([1.0, 0.0]))
    assert report.kind is Stationarity.S
    assert (report.n_nu, report.n_mu) == (1, 0)


def test_non_stationary_point_is_undecided():
    # min (a - 1)^2 + b at (2, 0): the gradient in the free direction a is 2, not 0.
    report = StationarityClassifier(_mpcc(lambda a, b: (a - 1) ** 2 + b)).classify(
        np.array([2.0, 0.0]))
    assert report.kind is Stationarity.UNDECIDED


def test_non_complementary_point_is_undecided():
    report = StationarityClassifier(_mpcc(lambda a, b: a + b)).classify(np.array([1.0, 1.0]))
    assert report.kind is Stationarity.UNDECIDED
    assert "both sides above" in report.message and "min(|a|, |b|) = 1" in report.message
    # no index sets exist: none are reported (they read as "no pairs" when given as 0)
    assert (report.n_eta, report.n_nu, report.n_mu) == (None, None, None)


def test_blas_is_limited_inside_the_block_and_restored_after():
    threadpoolctl = pytest.importorskip("threadpoolctl")

    def blas() -> list[int]:
        return [i["num_threads"] for i in threadpoolctl.threadpool_info()
                if i["user_api"] == "blas"]

    before = blas()
    for _ in range(2):  # the second time through the controller made the first time
        with blas_threads(1) as what:
            assert what == "limited to 1" and set(blas()) <= {1}
        assert blas() == before
    with blas_threads(None) as what:
        assert what == "as configured" and blas() == before
