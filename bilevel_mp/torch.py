"""A bilevel program as a PyTorch layer (issue 18, part 3; BiGrad: Alesiani, arXiv
2302.14473, ``../shared/papers/bigrad-summary.md``).

``BilevelLayer(model, params)`` maps values of the parameters θ to the solution
``(x*(θ), y*(θ))``: the forward pass solves the program once per instance of the batch,
the backward pass is one :func:`bilevel_mp.vjp` per instance ("push-back": the
gradient of the loss with respect to θ is ``(dx*/dθ)ᵀ ∂ℓ/∂x + (dy*/dθ)ᵀ ∂ℓ/∂y``). For a
combinatorial program (a piecewise-constant solution map), ``perturbation=`` makes it a
perturbed optimizer instead (Berthet et al. 2020; see :class:`BilevelLayer`). Needs the
optional extra ``torch`` (``pip install 'bilevel_mp[torch]'``, a CPU wheel is enough).

``BilevelLayer`` is a ``torch.nn.Module`` (call it on a tensor); the
``torch.autograd.Function`` that does the work is :class:`BilevelFunction`. Instances are
solved one after the other in this process, or with ``processes=k`` in a pool of ``k``
forked worker processes (forward solves and backward products alike; see
:class:`BilevelLayer`).
"""

from __future__ import annotations

import multiprocessing
import warnings
import weakref
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from bilevel_mp.api import TimeLimit, solve
from bilevel_mp.differentiation import inputs, vjp
from bilevel_mp.errors import DegenerateWarning, NoSolutionError, SensitivityError
from bilevel_mp.ir.program import BilevelProgram
from bilevel_mp.modeling.compile import compile_pyomo
from bilevel_mp.optional import import_optional
from bilevel_mp.result import BilevelResult

torch = import_optional("torch", "bilevel_mp.torch", extra="torch")


class BilevelLayer(torch.nn.Module):
    """The solution map ``θ ↦ (x*(θ), y*(θ))`` of a bilevel program as a layer.

    Parameters
    ----------
    model
        A Pyomo model with :class:`~bilevel_mp.LowerLevel` blocks (compiled once) or a
        :class:`~bilevel_mp.BilevelProgram`.
    params
        The parameters θ the layer takes as input, in this order: mutable Pyomo
        ``Param`` s or parameter names (as for :func:`bilevel_mp.sensitivity`). The
        program's other parameters keep their values.
    method, solver, options, time_limit
        How each instance is solved (:func:`bilevel_mp.solve`); a local method by
        default, since a layer is solved many times.
    sensitivity_options
        Tolerances of the backward pass (:class:`~bilevel_mp.SensitivityOptions`).
    processes
        ``None`` or 1 (default): the instances of a batch are solved one after the other
        in this process. ``k > 1``: in a ``ProcessPoolExecutor`` of ``k`` worker processes
        started by ``fork`` (POSIX only) at the first batch and kept until :meth:`close`.
        The workers inherit the compiled program, so only parameter values travel to
        them, and results travel back without their ``program`` (CasADi symbols do not
        pickle); the parent re-attaches it (``replace(program, p_values=θ)``: no
        recompilation). The backward pass sends each instance's result and output
        gradients to the pool and gets the products back. Outputs and gradients are those
        of the sequential layer.
    perturbation
        ``None`` (default) or ``{"sigma": σ, "samples": N, "seed": s}`` (``seed``
        optional; ``σ`` a number or one per parameter), for a program whose solution map is
        piecewise constant (an integer upper level, a linear lower level solved by
        ``kkt-bigm``: the derivative is zero almost everywhere). The layer is then the
        *perturbed* solution map ``E[(x*, y*)(θ + σZ)]``, ``Z ~ N(0, I)`` (Q. Berthet et
        al., "Learning with differentiable perturbed optimizers", NeurIPS 2020): the
        forward pass solves ``2N`` instances ``θ ± σZᵢ`` per input (antithetic pairs,
        fresh draws at each call) and returns their mean; the backward pass is the
        Monte-Carlo vector–Jacobian product of Stein's identity,
        ``Σᵢ gᵀ(s(θ + σZᵢ) - s(θ - σZᵢ)) Zᵢ / (2σN)`` for ``s = (x*, y*)``, with no
        :func:`~bilevel_mp.vjp`. ``last_results`` then holds the ``2N`` results of each
        input, the ``+σZ`` ones first. :func:`bilevel_mp.perturbed_gradient` is the same
        estimator for a loss of the solution.

    The input is a tensor of ``k`` parameter values, or a batch ``(B, k)``; the output is
    ``(x, y)``, of shapes ``(n,)``, ``(m,)`` or ``(B, n)``, ``(B, m)``, in the order of
    ``result.x_array`` / ``result.y_array`` (names in ``x_names``, ``y_names``), with the
    input's dtype (the computation is in double precision). ``last_results`` holds the
    forward pass's :class:`~bilevel_mp.BilevelResult` s.

    Where the solution is not differentiable (a degenerate point: see
    :class:`~bilevel_mp.Sensitivity`), the backward pass uses the mean of the one-sided
    products, a Clarke generalized gradient in each parameter, and warns with a
    :class:`~bilevel_mp.errors.DegenerateWarning`; NaN where a one-sided derivative is not
    known.

    Raises
    ------
    NoSolutionError
        In the forward pass, when an instance has no solution point.

    Examples
    --------
    >>> import torch, pyomo.environ as pyo, bilevel_mp as bmp
    >>> from bilevel_mp.torch import BilevelLayer
    >>> m = pyo.ConcreteModel()
    >>> m.a = pyo.Param(initialize=1.0, mutable=True)
    >>> m.x = pyo.Var(bounds=(-5, 5))
    >>> m.L = bmp.LowerLevel()
    >>> m.L.y = pyo.Var()
    >>> m.L.obj = pyo.Objective(expr=(m.L.y - m.x - m.a) ** 2)
    >>> m.obj = pyo.Objective(expr=(m.x - 1) ** 2 + (m.L.y - 3) ** 2)
    >>> layer = BilevelLayer(m, [m.a])
    >>> a = torch.tensor([1.0], dtype=torch.float64, requires_grad=True)
    >>> x, y = layer(a)
    >>> y.sum().backward()
    >>> round(a.grad.item(), 6)
    0.5
    """

    def __init__(self, model: Any, params, *, method: str = "kkt-scholtes",
                 solver: str = "ipopt", options: dict | None = None,
                 time_limit: TimeLimit = "default",
                 sensitivity_options: dict | None = None,
                 processes: int | None = None,
                 perturbation: dict | None = None) -> None:
        super().__init__()
        if processes is not None and (not isinstance(processes, int) or processes < 1):
            raise SensitivityError(f"processes must be a positive int or None, got "
                                   f"{processes!r}")
        self.program = model if isinstance(model, BilevelProgram) else compile_pyomo(model)[0]
        self.param_names, self.param_index = inputs.parameters(self.program, params)
        self.x_names, self.y_names = self.program.names["x"], self.program.names["y"]
        self.method, self.solver, self.time_limit = method, solver, time_limit
        self.options, self.sensitivity_options = options, sensitivity_options
        self.last_results: list[BilevelResult] = []
        self.processes = processes
        self._pool: ProcessPoolExecutor | None = None
        self.perturbation = None if perturbation is None else _Perturbation.make(
            perturbation, len(self.param_names))

    def pool(self) -> ProcessPoolExecutor | None:
        """The worker pool (started on first use), or ``None`` for a sequential layer."""
        if self.processes is None or self.processes == 1:
            return None
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                self.processes, mp_context=multiprocessing.get_context("fork"),
                initializer=_start_worker, initargs=(self,))
            weakref.finalize(self, self._pool.shutdown)
        return self._pool

    def close(self) -> None:
        """Shut the worker pool down (a later batch starts a new one)."""
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None

    def forward(self, theta: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """``(x*(θ), y*(θ))`` for ``θ`` of shape ``(k,)`` or ``(B, k)``."""
        return BilevelFunction.apply(theta, self)

    def solve_all(self, rows: np.ndarray) -> list[BilevelResult]:
        """Solve each row of parameter values, in this process or in the pool; each result
        keeps its program."""
        pool = self.pool()
        if pool is None:
            return [self.solve(row) for row in rows]
        results = list(pool.map(_solve_in_worker, rows))
        for result, row in zip(results, rows, strict=True):
            result.program = self.instance(row)
        return results

    def instance(self, theta: np.ndarray) -> BilevelProgram:
        """The program with the layer's parameters set to ``theta``."""
        values = self.program.p_values.copy()
        values[self.param_index] = theta
        return replace(self.program, p_values=values)

    def solve(self, theta: np.ndarray) -> BilevelResult:
        """Solve one instance: the program with the layer's parameters set to ``theta``."""
        result = solve(self.instance(theta), self.method,
                       solver=self.solver, time_limit=self.time_limit, options=self.options)
        if not (result.has_point and result.termination.has_point):
            at = dict(zip(self.param_names, map(float, theta), strict=True))
            raise NoSolutionError(f"{result.method} at {at}: {result.termination.name} "
                                  f"{result.message}")
        return result

    def gradient(self, result: BilevelResult, grad_x: np.ndarray,
                 grad_y: np.ndarray) -> np.ndarray:
        """``(dx*/dθ)ᵀ grad_x + (dy*/dθ)ᵀ grad_y`` at one instance (module docstring)."""
        product = vjp(result, list(self.param_names), grad_x, grad_y,
                      options=self.sensitivity_options)
        grad = np.array([product.grad[name] for name in self.param_names])
        if np.all(np.isfinite(grad)):
            return grad
        right = np.array([product.right[name] for name in self.param_names])
        left = np.array([product.left[name] for name in self.param_names])
        kinked = [n for n, g in zip(self.param_names, grad, strict=True) if not np.isfinite(g)]
        warnings.warn(f"bilevel layer: gradient at a degenerate point, the mean of the "
                      f"one-sided products used for {', '.join(kinked)} ({product.message})",
                      DegenerateWarning, stacklevel=3)
        return np.where(np.isfinite(grad), grad, 0.5 * (right + left))


class BilevelFunction(torch.autograd.Function):
    """The ``autograd.Function`` behind :class:`BilevelLayer`: forward solves, backward
    is :func:`bilevel_mp.vjp`."""

    @staticmethod
    def forward(ctx, theta: torch.Tensor, layer: BilevelLayer
                ) -> tuple[torch.Tensor, torch.Tensor]:
        batch = theta.detach().to(dtype=torch.float64, device="cpu").numpy()
        if batch.ndim not in (1, 2) or batch.shape[-1] != len(layer.param_names):
            raise SensitivityError(
                f"the layer takes {len(layer.param_names)} parameter values "
                f"({', '.join(layer.param_names)}) or a batch of them, got shape "
                f"{tuple(theta.shape)}")
        rows = batch.reshape(-1, batch.shape[-1])
        ctx.layer, ctx.rows, ctx.theta_shape = layer, rows, theta.shape
        n, m = layer.program.nx, layer.program.ny
        if layer.perturbation is None:
            ctx.results = layer.last_results = layer.solve_all(rows)
            solutions = np.array([np.concatenate([r.x_array, r.y_array])
                                  for r in ctx.results])
        else:
            ctx.draws, points = layer.perturbation.points(rows)
            layer.last_results = layer.solve_all(points)
            ctx.solutions = np.array([np.concatenate([r.x_array, r.y_array])
                                      for r in layer.last_results]
                                     ).reshape(len(rows), -1, n + m)
            solutions = ctx.solutions.mean(axis=1)
        x = solutions[:, :n].reshape(*batch.shape[:-1], n)
        y = solutions[:, n:].reshape(*batch.shape[:-1], m)
        return (torch.as_tensor(x, dtype=theta.dtype, device=theta.device),
                torch.as_tensor(y, dtype=theta.dtype, device=theta.device))

    @staticmethod
    def backward(ctx, grad_x: torch.Tensor, grad_y: torch.Tensor
                 ) -> tuple[torch.Tensor, None]:
        n, m, size = ctx.layer.program.nx, ctx.layer.program.ny, len(ctx.rows)
        gx = grad_x.detach().to(dtype=torch.float64, device="cpu").numpy().reshape(size, n)
        gy = grad_y.detach().to(dtype=torch.float64, device="cpu").numpy().reshape(size, m)
        pool = ctx.layer.pool()
        if ctx.layer.perturbation is not None:
            grads = ctx.layer.perturbation.vjp(ctx.draws, ctx.solutions, np.hstack([gx, gy]))
        elif pool is None:
            grads = [ctx.layer.gradient(result, gx[i], gy[i])
                     for i, result in enumerate(ctx.results)]
        else:
            grads = []
            for grad, caught in pool.map(_gradient_in_worker, ctx.results, ctx.rows, gx, gy):
                for text, category in caught:
                    warnings.warn(text, category, stacklevel=2)
                grads.append(grad)
        out = torch.as_tensor(np.array(grads), dtype=grad_y.dtype, device=grad_y.device)
        return out.reshape(ctx.theta_shape), None


@dataclass(frozen=True)
class _Perturbation:
    """The ``perturbation`` of a :class:`BilevelLayer`: scale, pairs and draws."""

    sigma: np.ndarray
    samples: int
    rng: np.random.Generator

    @classmethod
    def make(cls, spec: dict, k: int) -> _Perturbation:
        if not isinstance(spec, dict) or not {"sigma", "samples"} <= set(spec) \
                or not set(spec) <= {"sigma", "samples", "seed"}:
            raise SensitivityError(f"perturbation must be a dict with keys sigma, samples "
                                   f"(and optionally seed), got {spec!r}")
        sigma = np.broadcast_to(np.asarray(spec["sigma"], dtype=float), (k,)).copy() \
            if np.ndim(spec["sigma"]) == 0 else np.asarray(spec["sigma"], dtype=float)
        if sigma.shape != (k,) or not np.all(sigma > 0):
            raise SensitivityError(f"perturbation sigma must be positive, one number or "
                                   f"{k}, got {spec['sigma']!r}")
        samples = spec["samples"]
        if not isinstance(samples, int) or samples < 1:
            raise SensitivityError(f"perturbation samples must be a positive int, got "
                                   f"{samples!r}")
        return cls(sigma, samples, np.random.default_rng(spec.get("seed")))

    def points(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Draws ``Z`` of shape ``(B, N, k)`` and the ``B·2N`` points to solve: for each
        row, ``θ + σZᵢ`` (``i = 1..N``) then ``θ - σZᵢ``."""
        draws = self.rng.standard_normal((len(rows), self.samples, rows.shape[1]))
        step = self.sigma * draws
        points = np.concatenate([rows[:, None] + step, rows[:, None] - step], axis=1)
        return draws, points.reshape(-1, rows.shape[1])

    def vjp(self, draws: np.ndarray, solutions: np.ndarray, grad: np.ndarray) -> np.ndarray:
        """``Σᵢ gᵀ(s₊ᵢ - s₋ᵢ) Zᵢ / (2σN)`` for each row (module docstring)."""
        difference = solutions[:, :self.samples] - solutions[:, self.samples:]
        along = np.einsum("bnj,bj->bn", difference, grad)
        return np.einsum("bn,bnk->bk", along, draws) / (2 * self.sigma * self.samples)


_WORKER_LAYER: BilevelLayer | None = None
"""The layer a pool worker serves (inherited through ``fork``, never pickled)."""


def _start_worker(layer: BilevelLayer) -> None:
    global _WORKER_LAYER
    _WORKER_LAYER = layer


def _solve_in_worker(theta: np.ndarray) -> BilevelResult:
    """One forward instance in a worker (its result is pickled without ``program``)."""
    return _WORKER_LAYER.solve(theta)


def _gradient_in_worker(result: BilevelResult, theta: np.ndarray, grad_x: np.ndarray,
                        grad_y: np.ndarray
                        ) -> tuple[np.ndarray, list[tuple[str, type[Warning]]]]:
    """One backward product in a worker, and the warnings it raised (the parent re-raises
    them)."""
    result.program = _WORKER_LAYER.instance(theta)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        grad = _WORKER_LAYER.gradient(result, grad_x, grad_y)
    return grad, [(str(w.message), w.category) for w in caught]
