"""``BilevelLayer(..., processes=k)``: a pool of forked workers gives the outputs and the
gradients of the sequential layer, and re-raises the workers' warnings."""

from __future__ import annotations

import warnings

import numpy as np
import pyomo.environ as pyo
import pytest

import bilevel_mp as bmp
from tests.sensitivity import problems

torch = pytest.importorskip("torch")
from bilevel_mp.torch import BilevelLayer  # noqa: E402


def _outputs_and_gradient(layer: BilevelLayer, batch: torch.Tensor):
    theta = batch.clone().requires_grad_(True)
    x, y = layer(theta)
    ((x ** 2).sum() + (y * torch.arange(1.0, y.shape[1] + 1, dtype=y.dtype)).sum()).backward()
    return x.detach().numpy(), y.detach().numpy(), theta.grad.numpy()


@pytest.mark.parametrize("name", ["ll-equality", "qp"])
def test_pool_matches_sequential_on_a_batch_of_four(name):
    case = next(c for c in problems.CASES if c.name == name)
    model = case.build(case.values)
    base = torch.tensor(list(case.values.values()), dtype=torch.float64)
    batch = torch.stack([base, base + 0.3, base - 0.2, base + 0.1])
    sequential = BilevelLayer(model, list(case.values), method=case.method,
                              options=case.options)
    pooled = BilevelLayer(model, list(case.values), method=case.method,
                          options=case.options, processes=2)
    try:
        expected = _outputs_and_gradient(sequential, batch)
        got = _outputs_and_gradient(pooled, batch)
        for e, g in zip(expected, got, strict=True):
            np.testing.assert_allclose(g, e, rtol=1e-8, atol=1e-12)
        assert all(r.program is not None for r in pooled.last_results)
        again = _outputs_and_gradient(pooled, batch)  # the pool is reused
        np.testing.assert_allclose(again[2], expected[2], rtol=1e-8, atol=1e-12)
    finally:
        pooled.close()


def test_pool_reraises_the_workers_warnings():
    case = problems.Case("kink", problems.kink, {"t": 1.0, "a": 1.0}, method="kkt-sn",
                         options={})
    layer = BilevelLayer(case.build(case.values), ["t", "a"], method="kkt-sn", processes=2)
    try:
        theta = torch.tensor([[1.0, 1.0], [1.0, 1.0]], dtype=torch.float64,
                             requires_grad=True)
        _, y = layer(theta)
        with pytest.warns(bmp.DegenerateWarning, match="one-sided products used for t, a"):
            y.sum().backward()
        np.testing.assert_allclose(theta.grad.numpy(), 0.5, atol=1e-9)
    finally:
        layer.close()


def test_bad_processes():
    case = next(c for c in problems.CASES if c.name == "unconstrained")
    with pytest.raises(bmp.SensitivityError, match="processes must be a positive int"):
        BilevelLayer(case.build(case.values), list(case.values), processes=0)


def test_pool_raises_a_workers_failed_instance():
    case = next(c for c in problems.CASES if c.name == "ll-equality")
    model = case.build(case.values)
    model.x.setlb(0.0)
    model.x.setub(1.0)
    model.L.floor = pyo.Constraint(expr=model.L.y1 + model.L.y2 >= 10)
    layer = BilevelLayer(model, ["s"], options=problems.TIGHT, processes=2)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", bmp.BilevelWarning)
            with pytest.raises(bmp.NoSolutionError):
                layer(torch.tensor([[0.5], [0.5]], dtype=torch.float64))
    finally:
        layer.close()
