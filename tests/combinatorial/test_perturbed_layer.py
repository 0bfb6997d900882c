"""``BilevelLayer(..., perturbation=...)``: the perturbed solution map of the integer-price
problem of ``test_perturbed`` (``x* = Σⱼ [c ≥ j]``) and its Stein vector–Jacobian product."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from scipy.stats import norm

import bilevel_mp as bmp
from tests.combinatorial.test_perturbed import STEPS, pricing

torch = pytest.importorskip("torch")
from bilevel_mp.torch import BilevelLayer  # noqa: E402

SPEC = {"sigma": 0.5, "samples": 48, "seed": 0}


def _run(layer: BilevelLayer, c: list[float]) -> tuple[np.ndarray, np.ndarray]:
    theta = torch.tensor(c, dtype=torch.float64, requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", bmp.BilevelWarning)
        x, _ = layer(theta)
    x.sum().backward()
    return x.detach().numpy(), theta.grad.numpy()


def test_perturbed_layer_is_the_smoothed_map_and_its_stein_gradient():
    layer = BilevelLayer(pricing(), ["c"], method="kkt-bigm", perturbation=SPEC)
    x, grad = _run(layer, [2.5])
    assert len(layer.last_results) == 96
    # E[x*(c + σZ)] = Σⱼ Φ((c - j)/σ) = 2.0 at c = 2.5; its derivative Σⱼ φ((c - j)/σ)/σ
    assert x[0] == pytest.approx(float(np.sum(norm.cdf((2.5 - STEPS) / 0.5))), abs=0.15)
    assert grad[0] == pytest.approx(float(np.sum(norm.pdf((2.5 - STEPS) / 0.5)) / 0.5),
                                    abs=0.35)
    # the same draws (same seed) in perturbed_gradient with the loss ℓ = x give the same
    # estimate
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", bmp.BilevelWarning)
        g = bmp.perturbed_gradient(pricing(), ["c"], lambda x, y: x[0], [2.5], sigma=0.5,
                                   samples=48, seed=0)
    assert grad[0] == pytest.approx(g.grad["c"], rel=1e-12)


def test_perturbed_layer_in_a_pool_matches_sequential():
    sequential = BilevelLayer(pricing(), ["c"], method="kkt-bigm",
                              perturbation={**SPEC, "samples": 6})
    pooled = BilevelLayer(pricing(), ["c"], method="kkt-bigm",
                          perturbation={**SPEC, "samples": 6}, processes=2)
    try:
        batch = [[2.5], [3.3]]
        for expected, got in zip(_run(sequential, batch), _run(pooled, batch), strict=True):
            np.testing.assert_allclose(got, expected, rtol=1e-8)
    finally:
        pooled.close()


@pytest.mark.parametrize(("spec", "match"), [
    ({"sigma": 0.5}, "keys sigma, samples"),
    ({"sigma": -1.0, "samples": 4}, "sigma must be positive"),
    ({"sigma": 1.0, "samples": 0}, "samples must be a positive int"),
])
def test_bad_perturbation(spec, match):
    with pytest.raises(bmp.SensitivityError, match=match):
        BilevelLayer(pricing(), ["c"], perturbation=spec)
