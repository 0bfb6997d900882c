"""Grid and random search over the shared hyperparameter: the baselines of survey §4.1.

Both explore the one-dimensional family ``x = t·𝟙`` (every hyperparameter equal to ``t``,
:meth:`~bilevel_mp.learning.problems.ERMHyperproblem.shared`): one shared ℓ2 weight
``exp(t)`` for :class:`~bilevel_mp.learning.FeatureRegularization`, one shared sample
weight ``σ(t)`` (equivalently the ℓ2 weight ``l2/σ(t)``) for
:class:`~bilevel_mp.learning.SampleReweighting`. Searching the full space of ``10⁵``
hyperparameters this way is hopeless, which is the survey's point. Each fit is the
lower-level Newton–CG solve warm-started from the previous fit (a regularization path);
its validation loss is recorded with the time since the search started.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from bilevel_mp.errors import OptionError
from bilevel_mp.learning.lower_level import LowerLevelOptions, solve_lower_level
from bilevel_mp.learning.problems import ERMHyperproblem
from bilevel_mp.threads import blas_threads


@dataclass
class SearchResult:
    """The fits of a search, in the order they were made.

    Attributes
    ----------
    values
        ``t`` of each fit.
    losses
        Validation loss ``F`` of each fit.
    times
        Seconds from the start of the search to the end of each fit.
    best_value, best_loss, best_weights
        The fit with the smallest validation loss: its ``t``, ``F`` and weights ``w``.
    """

    values: np.ndarray
    losses: np.ndarray
    times: np.ndarray
    best_value: float
    best_loss: float
    best_weights: np.ndarray

    def best_so_far(self) -> np.ndarray:
        """The smallest loss among the fits up to each one (validation loss against time
        is ``(times, best_so_far())``)."""
        return np.minimum.accumulate(self.losses)


def grid_search(problem: ERMHyperproblem, n_points: int = 50,
                options: LowerLevelOptions | None = None,
                blas_threads: int | None = 1) -> SearchResult:
    """``n_points`` values of ``t`` evenly spaced on ``[lower, upper]`` (a log grid of the
    weights), fitted from ``upper`` down to ``lower``; ``blas_threads`` as for
    :class:`~bilevel_mp.learning.LearningOptions`."""
    if not isinstance(n_points, int) or n_points < 1:
        raise OptionError(f"n_points must be a positive integer, got {n_points!r}")
    values = np.linspace(problem.upper, problem.lower, n_points)
    return _search(problem, iter(values), options or LowerLevelOptions(), np.inf,
                   blas_threads)


def random_search(problem: ERMHyperproblem, n_points: int | None = None,
                  time_budget: float | None = None, seed: int = 0,
                  options: LowerLevelOptions | None = None,
                  blas_threads: int | None = 1) -> SearchResult:
    """``t`` drawn uniformly from ``[lower, upper]`` until ``n_points`` fits are made or
    ``time_budget`` seconds have passed (at least one fit; one of the two must be given).
    """
    if n_points is None and time_budget is None:
        raise OptionError("random_search needs n_points or time_budget")
    if n_points is not None and (not isinstance(n_points, int) or n_points < 1):
        raise OptionError(f"n_points must be a positive integer, got {n_points!r}")
    if time_budget is not None and not time_budget >= 0:
        raise OptionError(f"time_budget must be a number >= 0, got {time_budget!r}")
    rng = np.random.default_rng(seed)
    draws = (rng.uniform(problem.lower, problem.upper) for _ in range(n_points or 2**62))
    return _search(problem, draws, options or LowerLevelOptions(),
                   np.inf if time_budget is None else time_budget, blas_threads)


def _search(problem: ERMHyperproblem, values, options: LowerLevelOptions, budget: float,
            threads: int | None) -> SearchResult:
    with blas_threads(threads):
        return _fits(problem, values, options, budget)


def _fits(problem: ERMHyperproblem, values, options: LowerLevelOptions,
          budget: float) -> SearchResult:
    start = time.perf_counter()
    w = np.zeros(problem.n_weights)
    tried, losses, times = [], [], []
    best_w = w
    for t in values:
        solution = solve_lower_level(problem, problem.shared(t), w, options)
        w = solution.w
        loss = problem.validation_value_and_gradient(w)[0]
        if not losses or loss < min(losses):
            best_w = w
        tried.append(float(t))
        losses.append(loss)
        times.append(time.perf_counter() - start)
        if times[-1] >= budget:
            break
    i = int(np.argmin(losses))
    return SearchResult(np.array(tried), np.array(losses), np.array(times), tried[i],
                        losses[i], best_w)
