"""models.ridge_hyperparameter against a grid search on the closed-form ridge fit.

Independent check: for a log-weight ``x`` the ridge weights are
``w(x) = (AᵀA/n + e^x I)^{-1} Aᵀb/n`` (numpy linear solve), and the validation loss is
evaluated from them. It is minimized over a grid of 1201 points on the bounds of ``x``,
then refined by ``scipy.optimize.minimize_scalar`` (bounded Brent) on the two grid cells
around the best grid point.
"""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo
import pytest
from scipy.optimize import minimize_scalar

import bilevel_mp as bmp
from models.ridge_hyperparameter import DATA, RegressionData, build


def validation_loss(data: RegressionData, log_weight: float) -> float:
    a, b = data.train_features, data.train_targets
    n, d = a.shape
    w = np.linalg.solve(a.T @ a / n + np.exp(log_weight) * np.eye(d), a.T @ b / n)
    residual = data.validation_features @ w - data.validation_targets
    return 0.5 * float(np.mean(residual**2))


def grid_search(data: RegressionData) -> tuple[float, float]:
    """The best log-weight and its validation loss (grid, then Brent)."""
    grid = np.linspace(*data.log_weight_bounds, 1201)
    losses = [validation_loss(data, x) for x in grid]
    i = int(np.argmin(losses))
    bracket = (grid[max(i - 1, 0)], grid[min(i + 1, grid.size - 1)])
    refined = minimize_scalar(lambda x: validation_loss(data, x), bounds=bracket,
                              method="bounded", options={"xatol": 1e-10})
    return float(refined.x), float(refined.fun)


def test_regularization_pays_off():
    """The best weight is interior and beats both ends of the range by a margin."""
    x, loss = grid_search(DATA)
    low, high = DATA.log_weight_bounds
    assert low + 1 < x < high - 1
    assert loss < 0.95 * min(validation_loss(DATA, low), validation_loss(DATA, high))


@pytest.mark.filterwarnings("ignore::bilevel_mp.ConvexityWarning")
@pytest.mark.parametrize("method", ["implicit", "kkt-scholtes"])
def test_methods_reach_the_grid_search_optimum(method):
    m = build()
    res = bmp.solve(m, method=method)
    x, loss = grid_search(DATA)
    assert res.verification is bmp.Verification.CERTIFIED
    assert res.upper_objective == pytest.approx(loss, rel=1e-7)
    assert pyo.value(m.log_weight) == pytest.approx(x, abs=1e-3)
    # the reported loss is that of the exact ridge fit at the returned weight
    assert validation_loss(DATA, pyo.value(m.log_weight)) == pytest.approx(
        res.upper_objective, rel=1e-7)
