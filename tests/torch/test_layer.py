"""The PyTorch layer: gradcheck (double precision) on small problems, learning by SGD, the
degenerate case, and bad input.

gradcheck compares the backward pass (bilevel_mp.vjp) with central differences of the
forward pass, that is of re-solves; with ``eps = 1e-4`` the re-solves' error (about
1e-10) costs about 1e-6 in the differences, hence ``atol = 1e-6`` (tighter than
gradcheck's default 1e-5) and ``rtol = 1e-4``.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import bilevel_mp as bmp
from tests.sensitivity import problems

torch = pytest.importorskip("torch")
from bilevel_mp.torch import BilevelFunction, BilevelLayer  # noqa: E402

GRADCHECK = {"eps": 1e-4, "atol": 1e-6, "rtol": 1e-4}
TIGHT = problems.TIGHT


def _layer(name: str) -> tuple[BilevelLayer, torch.Tensor]:
    case = next(c for c in problems.CASES if c.name == name)
    model = case.build(case.values)
    layer = BilevelLayer(model, list(case.values), method=case.method, options=case.options)
    theta = torch.tensor(list(case.values.values()), dtype=torch.float64, requires_grad=True)
    return layer, theta


@pytest.mark.parametrize("name", ["unconstrained", "ll-active", "ul-active", "linear", "qp"])
def test_gradcheck(name):
    layer, theta = _layer(name)
    assert torch.autograd.gradcheck(layer, (theta,), **GRADCHECK)


def test_gradcheck_on_a_batch():
    layer, theta = _layer("ll-equality")
    batch = torch.stack([theta.detach(), theta.detach() + 0.3,
                         theta.detach() - 0.2]).requires_grad_(True)
    x, y = layer(batch)
    assert x.shape == (3, 1) and y.shape == (3, 2)
    assert len(layer.last_results) == 3
    assert torch.autograd.gradcheck(layer, (batch,), **GRADCHECK)


def test_backward_is_the_vjp_of_the_solution():
    layer, theta = _layer("disc")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", bmp.ConvexityWarning)  # the disc is convex
        x, y = layer(theta)
    loss = (y ** 2).sum() + 3 * x.sum()
    loss.backward()
    result = layer.last_results[0]
    expected = bmp.vjp(result, list(layer.param_names), 3 * np.ones(1),
                       2 * result.y_array)
    np.testing.assert_allclose(theta.grad.numpy(),
                               [expected.grad[p] for p in layer.param_names], rtol=1e-12)
    assert BilevelFunction is not None and isinstance(layer, torch.nn.Module)


def test_sgd_recovers_the_followers_cost():
    """Learn the linear cost c of the QP follower from its observed decisions y_obs (made
    with the true c): the loss ‖y*(c) - y_obs‖² falls at every step and c approaches the
    truth."""
    case = next(c for c in problems.CASES if c.name == "qp")
    model = case.build(case.values)
    names = ["c0", "c1", "c2"]
    layer = BilevelLayer(model, names, options=TIGHT)
    truth = torch.tensor([2.0, 1.5, 0.5], dtype=torch.float64)
    with torch.no_grad():
        _, y_obs = layer(truth)
    c = torch.tensor([1.6, 1.8, 0.4], dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.SGD([c], lr=0.5)
    losses = []
    for _ in range(8):
        optimizer.zero_grad()
        _, y = layer(c)
        loss = ((y - y_obs) ** 2).sum()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    assert all(b < a for a, b in zip(losses, losses[1:], strict=False)), losses
    assert losses[-1] < 1e-2 * losses[0], losses


def test_float32_input_gives_float32_output():
    layer, theta = _layer("unconstrained")
    x, y = layer(theta.detach().float())
    assert x.dtype == torch.float32 and y.dtype == torch.float32
    assert y.item() == pytest.approx(2.25, abs=1e-6)


def test_degenerate_point_warns_and_uses_the_mean_of_the_sides():
    case = problems.Case("kink", problems.kink, {"t": 1.0, "a": 1.0}, method="kkt-sn",
                         options={})
    layer = BilevelLayer(case.build(case.values), ["t", "a"], method="kkt-sn")
    theta = torch.tensor([1.0, 1.0], dtype=torch.float64, requires_grad=True)
    _, y = layer(theta)
    with pytest.warns(bmp.DegenerateWarning, match="one-sided products used for t, a"):
        y.sum().backward()
    # y = max(a, t): right derivatives (1, 1), left (0, 0)
    np.testing.assert_allclose(theta.grad.numpy(), [0.5, 0.5], atol=1e-9)


def test_bad_input():
    layer, _ = _layer("unconstrained")
    with pytest.raises(bmp.SensitivityError, match="takes 2 parameter values \\(a, b\\)"):
        layer(torch.ones(3, dtype=torch.float64))
    case = next(c for c in problems.CASES if c.name == "unconstrained")
    with pytest.raises(bmp.SensitivityError, match="no parameter 'z'"):
        BilevelLayer(case.build(case.values), ["z"])


def test_instance_without_solution_raises():
    case = next(c for c in problems.CASES if c.name == "ll-equality")
    model = case.build(case.values)
    model.x.setlb(0.0)
    model.x.setub(1.0)
    # x + s = y1 + y2 with y1 + y2 >= 10 cannot hold for x in [0, 1] when s = 0.5
    import pyomo.environ as pyo

    model.L.floor = pyo.Constraint(expr=model.L.y1 + model.L.y2 >= 10)
    layer = BilevelLayer(model, ["s"], options=TIGHT)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", bmp.BilevelWarning)
        with pytest.raises(bmp.NoSolutionError):
            layer(torch.tensor([0.5], dtype=torch.float64))
