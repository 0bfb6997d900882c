"""The matrix-free pieces against direct linear algebra on small cases.

Independent numbers: ridge weights from ``numpy.linalg.solve`` on ``AᵀCA/n + diag(r)``,
logistic weights from ``scipy.optimize.minimize`` on an objective written here, dense
Hessians assembled here, cross derivatives by finite differences of the gradient.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from scipy.optimize import minimize
from scipy.special import expit

from bilevel_mp.learning import FeatureRegularization, SampleReweighting
from bilevel_mp.learning.krylov import pcg
from bilevel_mp.learning.lower_level import LowerLevelOptions, solve_lower_level

RNG = np.random.default_rng(11)
N, D = 80, 30


def data(sparse: bool, labels: bool = False):
    a = sp.random(N, D, density=0.3, random_state=5, format="csr") if sparse \
        else RNG.normal(size=(N, D))
    b = a @ RNG.normal(size=D) + 0.3 * RNG.normal(size=N)
    return a, np.where(b > 0, 1.0, -1.0) if labels else b


@pytest.mark.parametrize("sparse", [False, True], ids=["dense", "sparse"])
def test_ridge_matches_the_closed_form(sparse):
    a, b = data(sparse)
    problem = FeatureRegularization((a, b), (a, b))
    x = RNG.uniform(-8, 2, D)
    solution = solve_lower_level(problem, x, np.zeros(D), LowerLevelOptions(tol=1e-12))
    dense = a.toarray() if sparse else a
    expected = np.linalg.solve(dense.T @ dense / N + np.diag(np.exp(x)), dense.T @ b / N)
    assert solution.converged and solution.iterations == 1
    np.testing.assert_allclose(solution.w, expected, rtol=1e-8, atol=1e-10)


def test_weighted_ridge_matches_the_closed_form():
    a, b = data(False)
    problem = SampleReweighting((a, b), (a, b), loss="squared", l2=0.05)
    x = RNG.normal(size=N)
    solution = solve_lower_level(problem, x, np.zeros(D), LowerLevelOptions(tol=1e-12))
    c = expit(x)
    expected = np.linalg.solve(a.T @ (c[:, None] * a) / N + 0.05 * np.eye(D),
                               a.T @ (c * b) / N)
    np.testing.assert_allclose(solution.w, expected, rtol=1e-8, atol=1e-10)


@pytest.mark.parametrize("sparse", [False, True], ids=["dense", "sparse"])
def test_logistic_matches_scipy(sparse):
    a, b = data(sparse, labels=True)
    problem = FeatureRegularization((a, b), (a, b), loss="logistic")
    x = RNG.uniform(-6, 0, D)

    def objective(w):
        z = a @ w
        grad = a.T @ (-b * expit(-b * z)) / N + np.exp(x) * w
        return np.mean(np.logaddexp(0, -b * z)) + 0.5 * np.sum(np.exp(x) * w**2), grad

    reference = minimize(objective, np.zeros(D), jac=True, method="BFGS",
                         options={"gtol": 1e-12, "maxiter": 10_000})
    solution = solve_lower_level(problem, x, np.zeros(D), LowerLevelOptions(tol=1e-12))
    assert solution.converged
    assert solution.value <= reference.fun + 1e-14
    np.testing.assert_allclose(solution.w, reference.x, atol=1e-6)
    assert solution.value == pytest.approx(objective(solution.w)[0], rel=1e-14)


@pytest.mark.parametrize("kind", ["features", "samples"])
def test_hessian_product_and_cross_derivative(kind):
    a, b = data(True, labels=True)
    problem = FeatureRegularization((a, b), (a, b), loss="logistic") if kind == "features" \
        else SampleReweighting((a, b), (a, b), l2=0.1)
    x, w, v = RNG.normal(size=problem.n_hyperparameters), RNG.normal(size=D), \
        RNG.normal(size=D)
    z = problem.scores(w)
    curvature = problem.curvature(x, z)
    dense = a.toarray()
    s = expit(z)
    c = 1.0 if kind == "features" else expit(x)
    r = np.exp(x) if kind == "features" else 0.1
    hessian = dense.T @ ((c * s * (1 - s) / N)[:, None] * dense) + np.diag(np.broadcast_to(r, D))
    np.testing.assert_allclose(curvature.product(v), hessian @ v, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(curvature.diagonal, np.diag(hessian), rtol=1e-12)
    # (∇²_xw f)ᵀ v against central differences of x ↦ ⟨∇_w f(x, w), v⟩
    u, h = RNG.normal(size=x.size), 1e-6
    fd = (problem.training_gradient(x + h * u, w, z) @ v
          - problem.training_gradient(x - h * u, w, z) @ v) / (2 * h)
    assert problem.cross_product(x, w, z, v) @ u == pytest.approx(fd, rel=1e-7)


def test_pcg_solves_with_and_without_warm_start():
    m = RNG.normal(size=(40, 40))
    h = m @ m.T + 0.5 * np.eye(40)
    b = RNG.normal(size=40)
    exact = np.linalg.solve(h, b)
    cold = pcg(lambda v: h @ v, b, np.diag(h), atol=1e-12, maxiter=500)
    warm = pcg(lambda v: h @ v, b, np.diag(h), atol=1e-12, maxiter=500, x0=exact + 1e-6)
    assert cold.converged and warm.converged and warm.products < cold.products
    np.testing.assert_allclose(cold.x, exact, rtol=1e-8)
    np.testing.assert_allclose(warm.x, exact, rtol=1e-8)
    assert not pcg(lambda v: h @ v, b, np.diag(h), atol=1e-12, maxiter=3).converged


def test_iteration_limit_is_reported_not_raised():
    a, b = data(False, labels=True)
    problem = FeatureRegularization((a, b), (a, b), loss="logistic")
    solution = solve_lower_level(problem, np.full(D, -10.0), np.zeros(D),
                                 LowerLevelOptions(tol=1e-12, max_iter=1))
    assert not solution.converged and solution.iterations == 1
    assert solution.gradient_norm > solution.tolerance
