"""Bilevel hyperparameter learning at scale: L-BFGS-B on ``𝓕(x) = F(w(x))`` with AID.

Algorithm 5.2 of the survey (§5.2), with the upper-level step taken by L-BFGS-B on the
box of ``x`` (hyperparameters in log-space or logit-space, so the box keeps every weight
positive and finite). Each evaluation of ``(𝓕(x), ∇𝓕(x))``

1. solves the lower level by Newton–CG (:mod:`bilevel_mp.learning.lower_level`),
   warm-started from the previous evaluation's weights;
2. computes the hypergradient by AID with CG (:mod:`bilevel_mp.learning.hypergradient`),
   warm-started from the previous adjoint (HOAG, Pedregosa 2016, survey [210]).

Both use Hessian-vector products only, so time and memory per evaluation are linear in
the number of nonzeros of the data. The returned point is the best one evaluated (for
L-BFGS-B, whose accepted iterates decrease ``𝓕``, its final iterate), and its lower level
is verified by :func:`bilevel_mp.learning.certificate.certify`: the result reads like any
:class:`~bilevel_mp.result.BilevelResult`, with ``verification`` CERTIFIED only when the
strong-convexity bound proves the lower-level gap within tolerance.

Termination: ``LOCALLY_SOLVED`` when L-BFGS-B meets its tolerances (a stationary point of
``𝓕`` on the box to that accuracy; ``𝓕`` is not convex, so nothing global is claimed),
``ITERATION_LIMIT``, ``TIME_LIMIT`` (the best point evaluated is returned), or
``NUMERICAL_ERROR`` when the line search fails (inexact hypergradients can cause it).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.optimize import Bounds, minimize

from bilevel_mp import progress
from bilevel_mp.candidates import primal_status
from bilevel_mp.errors import ModelError, OptionError
from bilevel_mp.learning.certificate import certify
from bilevel_mp.learning.hypergradient import aid_hypergradient
from bilevel_mp.learning.lower_level import LowerLevelOptions, solve_lower_level
from bilevel_mp.learning.problems import ERMHyperproblem
from bilevel_mp.options import CheckedOptions, make_options
from bilevel_mp.result import BilevelResult
from bilevel_mp.solvers.base import Deadline
from bilevel_mp.status import TerminationStatus, Verification
from bilevel_mp.threads import blas_threads
from bilevel_mp.tolerances import Tolerances

METHOD = "learning: L-BFGS-B on x, Newton-CG lower level, AID-CG hypergradient"


@dataclass(frozen=True)
class LearningOptions(CheckedOptions):
    """Options of :func:`solve`.

    Attributes
    ----------
    max_iter
        L-BFGS-B iterations.
    ftol, gtol
        L-BFGS-B's tolerances: relative decrease of ``𝓕`` and largest entry of the
        projected hypergradient.
    memory
        L-BFGS-B's number of stored pairs.
    time_limit
        Seconds for the upper-level loop (``None``: no limit), checked before each
        evaluation; the verification comes after it.
    ll_tol
        Lower-level gradient tolerance, relative to ``‖∇_w f(x, 0)‖``.
    ll_max_iter
        Newton steps per lower-level solve.
    adjoint_tol
        CG residual of the adjoint system, relative to ``‖∇_w F‖``.
    max_cg
        Hessian-vector products per CG solve.
    blas_threads
        BLAS threads during the call (``None``: as configured); see
        :mod:`bilevel_mp.threads`.
    """

    max_iter: int = 100
    ftol: float = 1e-9
    gtol: float = 1e-10
    memory: int = 10
    time_limit: float | None = None
    ll_tol: float = 1e-9
    ll_max_iter: int = 50
    adjoint_tol: float = 1e-9
    max_cg: int = 5000
    blas_threads: int | None = 1

    def __post_init__(self) -> None:
        super().__post_init__()
        at_least = {"max_iter": 1, "memory": 1, "ll_max_iter": 1, "max_cg": 1, "ftol": 0,
                    "gtol": 0, "ll_tol": 0, "adjoint_tol": 0, "time_limit": 0,
                    "blas_threads": 1}
        for name, minimum in at_least.items():
            value = getattr(self, name)
            if value is not None and not value >= minimum:
                raise OptionError(f"option {name!r} of bilevel_mp.learning.solve must be "
                                  f">= {minimum}, got {value!r}")

    def lower_level(self) -> LowerLevelOptions:
        """The lower-level solver's options."""
        return LowerLevelOptions(self.ll_tol, self.ll_max_iter, self.max_cg)


class _Evaluations:
    """``x ↦ (𝓕(x), ∇𝓕(x))`` with warm starts, the best point, timings and history."""

    def __init__(self, problem: ERMHyperproblem, options: LearningOptions,
                 deadline: Deadline) -> None:
        self.problem, self.options, self.deadline = problem, options, deadline
        self.ll_options = options.lower_level()
        self.w = np.zeros(problem.n_weights)
        self.adjoint: np.ndarray | None = None
        self.best: tuple[float, np.ndarray, np.ndarray] | None = None  # (F, x, w)
        self.start = time.perf_counter()
        self.history: list[tuple[float, float]] = []
        self.times = {"lower_level": 0.0, "hypergradient": 0.0}
        self.counts = {"evaluations": 0, "lower_level_products": 0, "adjoint_products": 0,
                       "lower_level_unconverged": 0, "adjoint_unconverged": 0}

    def __call__(self, x: np.ndarray) -> tuple[float, np.ndarray]:
        if self.deadline.expired():
            raise TimeoutError
        t0 = time.perf_counter()
        solution = solve_lower_level(self.problem, x, self.w, self.ll_options)
        t1 = time.perf_counter()
        hg = aid_hypergradient(self.problem, x, solution, self.options.adjoint_tol,
                               self.options.max_cg, self.adjoint)
        t2 = time.perf_counter()
        self.times["lower_level"] += t1 - t0
        self.times["hypergradient"] += t2 - t1
        self.w, self.adjoint = solution.w, hg.adjoint
        c = self.counts
        c["evaluations"] += 1
        c["lower_level_products"] += solution.hessian_products
        c["adjoint_products"] += hg.hessian_products
        c["lower_level_unconverged"] += not solution.converged
        c["adjoint_unconverged"] += not hg.converged
        if self.best is None or hg.value < self.best[0]:
            self.best = (hg.value, np.array(x), solution.w)
        self.history.append((t2 - self.start, self.best[0]))
        return hg.value, hg.gradient


def solve(problem: ERMHyperproblem,
          options: LearningOptions | Mapping[str, Any] | None = None) -> BilevelResult:
    """Tune the hyperparameters of ``problem`` (module docstring).

    Parameters
    ----------
    problem
        A :class:`~bilevel_mp.learning.FeatureRegularization` or
        :class:`~bilevel_mp.learning.SampleReweighting` problem; the start point is its
        ``x0``.
    options
        :class:`LearningOptions` or a dict of its fields.

    Returns
    -------
    BilevelResult
        ``x``/``x_array`` the hyperparameters, ``y``/``y_array`` the trained weights,
        ``upper_objective`` the validation loss, ``lower_objective`` the training
        objective, ``ll_gap`` the proven bound on the lower-level gap; ``stats`` holds
        the times (``solve`` is the time to the final hyperparameters), counts, the
        history ``[(seconds, best 𝓕 so far), ...]`` and the certificate.

    Examples
    --------
    >>> import numpy as np
    >>> from bilevel_mp import learning
    >>> rng = np.random.default_rng(0)
    >>> a, a_v = rng.normal(size=(60, 8)), rng.normal(size=(60, 8))
    >>> w_true = np.array([2.0, -1.0, 0, 0, 0, 0, 0, 0])
    >>> problem = learning.FeatureRegularization(
    ...     (a, a @ w_true + rng.normal(size=60)), (a_v, a_v @ w_true + rng.normal(size=60)))
    >>> result = learning.solve(problem)
    >>> result.verification.name
    'CERTIFIED'
    """
    if not isinstance(problem, ERMHyperproblem):
        raise ModelError("problem must be a bilevel_mp.learning problem "
                         f"(FeatureRegularization, SampleReweighting), got "
                         f"{type(problem).__name__}")
    if not isinstance(options, LearningOptions):
        options = make_options(LearningOptions, options, "bilevel_mp.learning.solve")
    with blas_threads(options.blas_threads) as threads:
        result = _solve(problem, options)
    result.stats["blas_threads"] = threads
    return result


def _solve(problem: ERMHyperproblem, options: LearningOptions) -> BilevelResult:
    evaluations = _Evaluations(problem, options, Deadline.after(options.time_limit))
    bounds = Bounds(np.full(problem.n_hyperparameters, problem.lower),
                    np.full(problem.n_hyperparameters, problem.upper))
    iterations = 0

    def count(_):
        nonlocal iterations
        iterations += 1
        progress.iteration("upper-level iteration", iterations - 1,
                           incumbent=evaluations.best[0])

    try:
        res = minimize(evaluations, problem.x0, jac=True, method="L-BFGS-B", bounds=bounds,
                       callback=count,
                       options={"maxiter": options.max_iter, "ftol": options.ftol,
                                "gtol": options.gtol, "maxcor": options.memory})
        raw = str(res.message)
        status = TerminationStatus.LOCALLY_SOLVED if res.success \
            else TerminationStatus.ITERATION_LIMIT if iterations >= options.max_iter \
            else TerminationStatus.NUMERICAL_ERROR
    except TimeoutError:
        status, raw = TerminationStatus.TIME_LIMIT, "time limit"
    t_solve = time.perf_counter() - evaluations.start
    return _result(problem, options, evaluations, status, raw, iterations, t_solve)


def _result(problem: ERMHyperproblem, options: LearningOptions, evaluations: _Evaluations,
            status: TerminationStatus, raw: str, iterations: int,
            t_solve: float) -> BilevelResult:
    """Verify the best point evaluated and assemble the result."""
    if evaluations.best is None:  # the time limit struck before the first evaluation
        return BilevelResult(termination=status, verification=Verification.NOT_CHECKED,
                             method=METHOD, raw_status=raw, stats={"time": {"solve": t_solve}})
    value, x, w = evaluations.best
    t0 = time.perf_counter()
    tolerances = Tolerances()
    certificate = certify(problem, x, w, options.lower_level(), tolerances)
    t_verify = time.perf_counter() - t0
    z = problem.scores(w)
    ul_violation = float(max(0.0, np.max(problem.lower - x), np.max(x - problem.upper)))
    counts = evaluations.counts
    n_eval = max(counts["evaluations"], 1)
    notes = [certificate.message]
    for key, what in (("lower_level_unconverged", "lower-level solves"),
                      ("adjoint_unconverged", "adjoint solves")):
        if counts[key]:
            notes.append(f"{counts[key]} {what} stopped before their tolerance")
    return BilevelResult(
        termination=status, verification=certificate.verification,
        primal_status=primal_status(ul_violation / tolerances.row_tolerance(1.0)),
        upper_objective=value, lower_objective=problem.training_value(x, w, z),
        ll_gap=certificate.gap_bound,
        x=dict(zip(problem.hyperparameter_names(), x.tolist(), strict=True)),
        y=dict(zip(problem.weight_names(), w.tolist(), strict=True)),
        x_array=x, y_array=w, ul_violation=ul_violation, ll_violation=0.0,
        method=METHOD, raw_status=raw, ll_solver="newton-cg + strong-convexity bound",
        stats={
            "time": {"solve": t_solve, **evaluations.times, "verify": t_verify},
            "iterations": iterations, **counts,
            "hypergradient_time": evaluations.times["hypergradient"] / n_eval,
            "lower_level_time": evaluations.times["lower_level"] / n_eval,
            "history": evaluations.history, "certificate": certificate.to_dict(),
        },
        message="; ".join(notes))
