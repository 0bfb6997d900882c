"""A gradient estimator for combinatorial bilevel programs (issue 18, part 2; BiGrad's
combinatorial case: Alesiani, arXiv 2302.14473, ``../shared/papers/bigrad-summary.md``).

When the upper level has integer variables, or the solution map of a linear lower level is
piecewise constant in the data (the answers of ``kkt-bigm`` / ``kkt-sos1``), the derivative
of a loss ``ℓ(x*(θ), y*(θ))`` is zero almost everywhere and undefined at the jumps: it
carries no information. The *perturbed* (Gaussian-smoothed) loss

.. math::

    L_σ(θ) = \\mathbb{E}_{Z \\sim N(0, I)}\\, ℓ\\big(x^*(θ + σ Z),\\, y^*(θ + σ Z)\\big)

is differentiable for ``σ > 0`` whatever ``ℓ`` and the map are (if ``ℓ`` is bounded), and
by Stein's lemma (the Gaussian density's score is ``z / σ``)

.. math::

    ∇ L_σ(θ) = \\frac{1}{σ}\\,\\mathbb{E}\\big[ℓ(θ + σZ)\\, Z\\big]
             = \\frac{1}{2σ}\\,\\mathbb{E}\\big[(ℓ(θ + σZ) - ℓ(θ - σZ))\\, Z\\big].

:func:`perturbed_gradient` estimates the second form by Monte Carlo with ``N`` antithetic
pairs (``2N`` solves; unbiased for ``∇L_σ``, and its variance does not grow with ``ℓ(θ)``
the way the one-sided form's does). Sources: Q. Berthet, M. Blondel, O. Teboul, M. Cuturi,
J.-P. Vert, F. Bach, "Learning with differentiable perturbed optimizers", NeurIPS 2020
(Prop. 3.1: the same identity for ``E[y*(θ + σZ)]``); Y. Nesterov, V. Spokoiny, "Random
gradient-free minimization of convex functions", Found. Comput. Math. 17, 2017 (the
antithetic Gaussian-smoothing estimator). A per-parameter ``σ`` (an array) smooths each
parameter on its own scale: ``θ + σ ⊙ Z`` and ``∂L_σ/∂θ_k = E[(ℓ₊ - ℓ₋) Z_k] / (2σ_k)``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from bilevel_mp.api import TimeLimit, solve
from bilevel_mp.differentiation import inputs
from bilevel_mp.errors import NoSolutionError, SensitivityError
from bilevel_mp.ir.program import BilevelProgram
from bilevel_mp.modeling.compile import compile_pyomo


@dataclass(frozen=True)
class PerturbedGradient:
    """A Monte-Carlo estimate of ``∇L_σ(θ)`` (:func:`perturbed_gradient`).

    Attributes
    ----------
    params
        Parameter names, in the order given.
    value
        The estimate of the smoothed loss ``L_σ(θ)`` (mean of the ``2N`` losses).
    grad
        ``{parameter name: estimate of ∂L_σ/∂θ}``.
    std_error
        ``{parameter name: standard error of that estimate}`` (the standard deviation of
        the ``N`` per-pair estimates over ``√N``).
    pairs
        The ``N`` per-pair estimates, shape ``(N, k)``; ``grad`` is their mean.
    sigma
        The smoothing scale of each parameter, shape ``(k,)``.
    solves, seconds
        The cost: ``2N`` solves and their wall-clock time.
    """

    params: tuple[str, ...]
    value: float
    grad: dict[str, float]
    std_error: dict[str, float]
    pairs: np.ndarray
    sigma: np.ndarray
    solves: int
    seconds: float


def perturbed_gradient(model: Any, params, loss: Callable[[np.ndarray, np.ndarray], float],
                       theta=None, *, sigma: float | np.ndarray = 0.1, samples: int = 32,
                       method: str = "kkt-bigm", solver: str = "ipopt",
                       options: dict | None = None, time_limit: TimeLimit = "default",
                       seed: int | np.random.Generator | None = None) -> PerturbedGradient:
    """Estimate the gradient of the Gaussian-smoothed loss ``L_σ(θ)`` (module docstring):
    ``(1 / N) Σᵢ (ℓ(θ + σZᵢ) - ℓ(θ - σZᵢ)) Zᵢ / (2σ)`` over ``N = samples`` draws.

    Parameters
    ----------
    model
        A Pyomo model with :class:`~bilevel_mp.LowerLevel` blocks (compiled once) or a
        :class:`~bilevel_mp.BilevelProgram`.
    params
        The parameters θ (mutable Pyomo ``Param`` s or names, as for
        :func:`bilevel_mp.sensitivity`); the program's other parameters keep their values.
    loss
        ``loss(x, y) -> float`` of a solution, ``x``, ``y`` in the order of
        ``result.x_array`` / ``result.y_array``.
    theta
        The point: an array in the order of ``params``; by default the values in the model.
    sigma
        The smoothing scale, one number or one per parameter (all positive).
    samples
        ``N``, the number of antithetic pairs (``2N`` solves).
    method, solver, options, time_limit
        How each perturbed instance is solved (:func:`bilevel_mp.solve`); a global method
        (``kkt-bigm``) by default, since the estimator is meant for combinatorial programs.
    seed
        Seed or generator of the draws ``Z``.

    Returns
    -------
    PerturbedGradient

    Raises
    ------
    SensitivityError
        On a bad parameter, ``theta``, ``sigma`` or ``samples``.
    NoSolutionError
        When a perturbed instance has no solution point.

    Examples
    --------
    >>> import pyomo.environ as pyo, bilevel_mp as bmp
    >>> m = pyo.ConcreteModel()
    >>> m.c = pyo.Param(initialize=2.5, mutable=True)      # the follower's valuation
    >>> m.x = pyo.Var(within=pyo.Integers, bounds=(0, 5))   # an integer price
    >>> m.L = bmp.LowerLevel()
    >>> m.L.y = pyo.Var(bounds=(0, 1))
    >>> m.L.obj = pyo.Objective(expr=(m.x - m.c) * m.L.y)
    >>> m.obj = pyo.Objective(expr=m.x * m.L.y - 0.01 * m.x, sense=pyo.maximize)
    >>> g = bmp.perturbed_gradient(m, [m.c], lambda x, y: x[0], sigma=0.5, samples=8,
    ...                            seed=0)
    >>> g.solves, g.grad["c"] > 0     # x* = floor(c) is piecewise constant
    (16, True)
    """
    t0 = time.perf_counter()
    program = model if isinstance(model, BilevelProgram) else compile_pyomo(model)[0]
    names, index = inputs.parameters(program, params)
    k = len(names)
    point = (program.p_values[index].astype(float) if theta is None
             else np.asarray(theta, dtype=float).reshape(-1))
    scale = np.broadcast_to(np.asarray(sigma, dtype=float), (k,)).copy() \
        if np.ndim(sigma) == 0 else np.asarray(sigma, dtype=float)
    if point.shape != (k,) or not np.all(np.isfinite(point)):
        raise SensitivityError(f"theta must hold {k} finite values ({', '.join(names)}), "
                               f"got {theta!r}")
    if scale.shape != (k,) or not np.all(scale > 0):
        raise SensitivityError(f"sigma must be positive, one number or {k}, got {sigma!r}")
    if not isinstance(samples, int) or samples < 1:
        raise SensitivityError(f"samples must be a positive int, got {samples!r}")
    draws = np.random.default_rng(seed).standard_normal((samples, k))

    def loss_at(value: np.ndarray) -> float:
        values = program.p_values.astype(float)
        values[index] = value
        result = solve(replace(program, p_values=values), method, solver=solver,
                       time_limit=time_limit, options=options)
        if not (result.has_point and result.termination.has_point):
            at = dict(zip(names, map(float, value), strict=True))
            raise NoSolutionError(f"{result.method} at {at}: {result.termination.name} "
                                  f"{result.message}")
        return float(loss(result.x_array, result.y_array))

    up = np.array([loss_at(point + scale * z) for z in draws])
    down = np.array([loss_at(point - scale * z) for z in draws])
    pairs = (up - down)[:, None] * draws / (2 * scale)
    grad = pairs.mean(axis=0)
    error = (pairs.std(axis=0, ddof=1) / np.sqrt(samples) if samples > 1
             else np.full(k, np.nan))
    return PerturbedGradient(
        params=names, value=float(np.concatenate([up, down]).mean()),
        grad=dict(zip(names, map(float, grad), strict=True)),
        std_error=dict(zip(names, map(float, error), strict=True)),
        pairs=pairs, sigma=scale, solves=2 * samples, seconds=time.perf_counter() - t0)
