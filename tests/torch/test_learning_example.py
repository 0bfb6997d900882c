"""The end-to-end example of notebook 06: learn the buyer's valuations ``a`` in
``models.product_pricing`` from observed prices and purchases in six markets, by gradient
descent through ``BilevelLayer``.

The observations are the closed form at the true valuations ``a = (8, 6, 7)`` plus noise of
standard deviation 0.02 (independent of the layer). The loss is quadratic in ``a`` where
every product is bought, so gradient descent with step 0.2 contracts the error by a factor
of at most about 0.3 per step; after 12 steps the estimate is the least-squares fit, within
the noise's reach of the truth: tolerance 0.05 in each valuation.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import bilevel_mp as bmp
from models import product_pricing

torch = pytest.importorskip("torch")
from bilevel_mp.torch import BilevelLayer  # noqa: E402

TRUE_VALUATIONS = np.array([8.0, 6.0, 7.0])
TOLERANCE = 0.05


def test_gradient_descent_recovers_the_valuations():
    costs = np.random.default_rng(0).uniform(1.0, 3.0, (6, 3))
    x_obs, y_obs = map(torch.tensor, product_pricing.observations(costs, noise=0.02, seed=1))
    names = [f"a[{i}]" for i in range(3)] + [f"kappa[{i}]" for i in range(3)]
    layer = BilevelLayer(product_pricing.build(), names)
    a = torch.tensor([5.0, 5.0, 5.0], dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.SGD([a], lr=0.2)
    losses = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", bmp.BilevelWarning)
        for _ in range(12):
            optimizer.zero_grad()
            x, y = layer(torch.cat([a.expand(6, 3), torch.tensor(costs)], dim=1))
            loss = ((x - x_obs) ** 2).sum() + ((y - y_obs) ** 2).sum()
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
    assert all(b < a for a, b in zip(losses, losses[1:], strict=False)), losses
    assert losses[-1] < 1e-3 * losses[0], losses
    np.testing.assert_allclose(a.detach().numpy(), TRUE_VALUATIONS, atol=TOLERANCE)
