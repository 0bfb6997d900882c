"""``bmp.perturbed_gradient`` against the closed form of a smoothed piecewise-constant map.

An integer price ``x ∈ {0, ..., 5}`` and a follower who buys (``y = 1``) when the price is
at most its valuation ``c``; the leader earns ``x y - 0.01 x``. So ``x*(c) = Σⱼ [c ≥ j]``
(``j = 1..5``: the largest integer at most ``c``, within the bounds), and with the loss
``ℓ = x*`` the smoothed loss is ``L_σ(c) = Σⱼ Φ((c - j)/σ)``, of derivative
``Σⱼ φ((c - j)/σ) / σ``: the truth, independent of the code under test.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from scipy.stats import norm

import bilevel_mp as bmp
from models.integer_pricing import build as pricing

STEPS = np.arange(1, 6)




@pytest.mark.parametrize(("c", "sigma"), [(2.5, 0.5), (3.2, 0.3)])
def test_estimate_matches_the_closed_form(c, sigma):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", bmp.BilevelWarning)
        g = bmp.perturbed_gradient(pricing(c), ["c"], lambda x, y: x[0], sigma=sigma,
                                   samples=48, seed=1)
    exact = float(np.sum(norm.pdf((c - STEPS) / sigma)) / sigma)
    assert g.solves == 96 and g.pairs.shape == (48, 1)
    assert g.std_error["c"] < 0.25 * exact
    assert abs(g.grad["c"] - exact) < 4 * g.std_error["c"], (g.grad, g.std_error, exact)
    value = float(np.sum(norm.cdf((c - STEPS) / sigma)))
    assert abs(g.value - value) < 0.3


def test_theta_overrides_the_model_and_sigma_per_parameter():
    m = pricing(0.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", bmp.BilevelWarning)
        g = bmp.perturbed_gradient(m, [m.c], lambda x, y: x[0], theta=[2.5],
                                   sigma=np.array([0.5]), samples=4, seed=0)
    assert g.value > 1.0 and g.sigma.tolist() == [0.5]


def test_bad_input():
    m = pricing()
    with pytest.raises(bmp.SensitivityError, match="sigma must be positive"):
        bmp.perturbed_gradient(m, ["c"], lambda x, y: x[0], sigma=0.0)
    with pytest.raises(bmp.SensitivityError, match="samples must be a positive int"):
        bmp.perturbed_gradient(m, ["c"], lambda x, y: x[0], samples=0)
    with pytest.raises(bmp.SensitivityError, match="theta must hold 1 finite"):
        bmp.perturbed_gradient(m, ["c"], lambda x, y: x[0], theta=[1.0, 2.0])
    with pytest.raises(bmp.SensitivityError, match="no parameter 'z'"):
        bmp.perturbed_gradient(m, ["z"], lambda x, y: x[0])
