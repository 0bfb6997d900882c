"""Pictures for notebooks: each helper returns a ``matplotlib.figure.Figure``.

- :func:`performance_profile`: Dolan–Moré profiles of solve time, from a benchmark
  (:func:`bilevel_mp.bench`, BOLIB runs) or from :func:`bilevel_mp.compare` on several
  models;
- :func:`homotopy_path`: complementarity residual and ``F`` against the homotopy
  parameter (t, μ or λ), stage by stage, for the KKT methods' ``stats["stages"]``;
- :func:`lower_level_landscape`: the follower's objective ``f(x̂, y)`` over ``y`` (one or
  two lower-level variables) at the returned ``x̂``, infeasible ``y`` left blank, ``ŷ``
  marked.

matplotlib (extra ``report``) is imported when a helper is called; without it the helpers
raise :class:`~bilevel_mp.errors.OptionalDependencyError`. The figures are made with
``matplotlib.figure.Figure`` directly, not through ``pyplot``: nothing is left open, and
a returned figure is shown once. Jupyter draws figures as pictures only after its inline
backend is on: run ``%matplotlib inline`` (or ``import matplotlib.pyplot``) once per kernel,
as the notebooks do; otherwise a figure shows as ``<Figure size ...>``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import casadi as ca
import numpy as np

from bilevel_mp.bench.records import Outcome
from bilevel_mp.bench.report import performance_profile as profile_data
from bilevel_mp.bench.runner import is_solved
from bilevel_mp.bench.user_models import BenchResult
from bilevel_mp.checks.verify import VerifyOptions
from bilevel_mp.comparison import Comparison
from bilevel_mp.errors import OptionalDependencyError, OptionError
from bilevel_mp.ir.program import BilevelProgram
from bilevel_mp.modeling.compile import compile_pyomo
from bilevel_mp.optional import import_optional
from bilevel_mp.result import BilevelResult


def _figure(purpose: str, figsize: tuple[float, float]) -> Any:
    figure = import_optional("matplotlib.figure", purpose)
    return figure.Figure(figsize=figsize, layout="constrained")


def outcomes_of(results: BenchResult | Sequence[Outcome] | Mapping[str, Comparison]
                ) -> list[Outcome]:
    """Benchmark outcomes from any of: a :class:`~bilevel_mp.BenchResult`, a list of
    outcomes (e.g. ``ResultsDB.outcomes(run_id)``), or ``{model name: Comparison}``.

    A comparison's pair counts as solved by the rule of
    :func:`~bilevel_mp.bench.runner.is_solved` without a known optimum: a verified
    (``CERTIFIED`` or ``NO_BETTER_FOUND``) feasible point; its time is the method's wall
    time.
    """
    if isinstance(results, BenchResult):
        return list(results.outcomes)
    if isinstance(results, Mapping):
        out = []
        for problem, comparison in results.items():
            if not isinstance(comparison, Comparison):
                raise OptionError(f"results[{problem!r}] is a {type(comparison).__name__}, "
                                  "not the Comparison that bilevel_mp.compare returns")
            for row in comparison.rows():
                solved, _ = is_solved(row.verification, row.F, math.nan, row.ul_violation,
                                      row.ll_violation)
                out.append(Outcome(problem, row.method, "ok", termination=row.termination,
                                   verification=row.verification, upper_objective=row.F,
                                   solved=solved, seconds=row.seconds))
        return out
    if isinstance(results, Sequence) and all(isinstance(o, Outcome) for o in results):
        return list(results)
    raise OptionError("results must be a BenchResult, a list of Outcome or a dict "
                      f"{{model name: Comparison}}, got {type(results).__name__}")


def performance_profile(results: BenchResult | Sequence[Outcome] | Mapping[str, Comparison],
                        *, title: str = "Performance profile (Dolan–Moré)") -> Any:
    """Dolan–Moré performance profiles on solve time, one step line per method.

    For method s and problem p with time ``t_{p,s}`` (infinite when s did not solve p),
    ``ρ_s(τ) = |{p : t_{p,s} <= τ · min_s t_{p,s}}| / n_p``
    (:func:`bilevel_mp.bench.report.performance_profile`); each line is drawn through the
    points ``(τ_k, ρ_s(τ_k))`` and held to the largest τ of the plot.

    Parameters
    ----------
    results
        See :func:`outcomes_of`.
    title
        The axes' title.

    Returns
    -------
    matplotlib.figure.Figure
    """
    outcomes = outcomes_of(results)
    if not outcomes:
        raise OptionError("results hold no outcome to profile")
    fig = _figure("performance_profile", (7.0, 4.5))
    ax = fig.add_subplot()
    profiles = profile_data(outcomes)
    tau_max = max(float(t.max()) for t, _ in profiles.values()) * 1.5
    for method, (tau, rho) in profiles.items():
        ax.step(np.append(tau, tau_max), np.append(rho, rho[-1]), where="post", label=method)
    ax.set_xscale("log")
    ax.set_xlabel("τ (time relative to the fastest method that solved the problem)")
    ax.set_ylabel("fraction of problems solved within τ")
    ax.set_ylim(0, 1.02)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8, loc="lower right")
    ax.set_title(title)
    return fig


def homotopy_path(results: BilevelResult | Mapping[str, BilevelResult]) -> Any:
    """Complementarity residual (left, log-log) and ``F`` (right) against the homotopy
    parameter, one line per method, one marker per stage.

    The data are ``stats["stages"]`` of the KKT methods (``param``, ``residual``, ``F``
    of each stage) and ``stats["parameter"]`` (``"t"``, ``"mu"`` or ``"lambda"``); the
    stages of other loops (the λ schedules of ``llvf-sn``, whose residual is ``‖Φ‖``) are
    not homotopy paths. Stages
    with a residual of 0 cannot be shown on the log axis and are left out of that panel.

    Parameters
    ----------
    results
        One result, or ``{label: result}`` (a :class:`~bilevel_mp.Comparison`); results
        of methods without a homotopy are skipped.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    OptionError
        When no result has homotopy stages.
    """
    if not isinstance(results, BilevelResult | Mapping):
        raise OptionError(f"results must be a BilevelResult or a dict of them (e.g. a "
                          f"Comparison), got {type(results).__name__}")
    named = {results.method: results} if isinstance(results, BilevelResult) else dict(results)
    wrong = [label for label, res in named.items() if not isinstance(res, BilevelResult)]
    if wrong:
        raise OptionError(f"results[{wrong[0]!r}] is not a BilevelResult")
    paths = {label: res for label, res in named.items()  # the KKT homotopies' stages
             if "complementarity_residual" in res.stats and res.stats.get("parameter")
             and res.stats.get("stages")}
    if not paths:
        raise OptionError("no result has homotopy stages (the relaxation, penalty and "
                          "smoothing methods kkt-scholtes, kkt-penalty, kkt-fb, ... record "
                          f"them); got {', '.join(named) or 'none'}")
    fig = _figure("homotopy_path", (10.0, 4.0))
    left, right = fig.subplots(1, 2)
    for label, res in paths.items():
        stages = res.stats["stages"]
        param = np.array([s["param"] for s in stages], dtype=float)
        residual = np.array([s["residual"] for s in stages], dtype=float)
        F = np.array([s["F"] for s in stages], dtype=float)
        name = f"{label} ({res.stats['parameter']})"
        shown = residual > 0
        left.plot(param[shown], residual[shown], marker="o", label=name)
        right.plot(param, F, marker="o", label=name)
    left.set_xscale("log")
    left.set_yscale("log")
    left.set_ylabel("complementarity residual")
    right.set_xscale("log")
    right.set_ylabel("F")
    for ax in (left, right):
        ax.set_xlabel("homotopy parameter (t, μ or λ)")
        ax.grid(True, which="both", alpha=0.3)
    left.legend(fontsize=8)
    fig.suptitle("Homotopy path, stage by stage")
    return fig


def lower_level_landscape(model: Any, result: BilevelResult, *,
                          y_range: Sequence[tuple[float, float]] | None = None,
                          points: int = 201) -> Any:
    """The follower's objective ``f(x̂, y)`` over ``y`` at the result's ``x̂``, in the
    follower's own sense (min or max), with ``ŷ`` marked.

    One lower-level variable: a curve over ``y``, solid where ``y`` is lower-level
    feasible at ``x̂`` and absent (``nan``) elsewhere. Two: filled contours, infeasible
    points blank. A point is feasible when every row of ``g <= 0``, ``h = 0`` (bounds of
    ``y`` included) is violated by at most the verification's ``feas_tol`` (1e-6).

    Parameters
    ----------
    model
        The Pyomo model the result was computed on, or its ``BilevelProgram``.
    result
        A result with a point.
    y_range
        ``(low, high)`` per lower-level variable; by default its bounds when finite, else
        ``ŷ_j ± max(1, 2|ŷ_j|)`` cut at the finite bound.
    points
        Grid points per variable (at least 3; 2-D grids use ``min(points, 101)``).

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    OptionError
        When the result has no point, the lower level has more than two variables, or
        ``y_range`` / ``points`` are malformed.
    """
    if not isinstance(result, BilevelResult):
        raise OptionError(f"result must be the BilevelResult of solve, got "
                          f"{type(result).__name__}")
    program = model if isinstance(model, BilevelProgram) else compile_pyomo(model)[0]
    if not result.has_point:
        raise OptionError("the result has no point: there is no x̂ to draw the lower "
                          "level at")
    if program.ny not in (1, 2) or result.y_array.size != program.ny:
        raise OptionError(f"the landscape draws 1 or 2 lower-level variables; this lower "
                          f"level has {program.ny} (result: {result.y_array.size})")
    if isinstance(points, bool) or not isinstance(points, int) or points < 3:
        raise OptionError(f"points must be an integer >= 3, got {points!r}")
    x_hat, y_hat = np.asarray(result.x_array, float), np.asarray(result.y_array, float)
    ranges = _ranges(program, y_hat, y_range)
    fig = _figure("lower_level_landscape", (6.5, 4.5))
    ax = fig.add_subplot()
    names = program.names["y"]
    if program.ny == 1:
        grid = np.linspace(*ranges[0], points)
        f, feasible = _follower_values(program, x_hat, grid.reshape(1, -1))
        ax.plot(grid, np.where(feasible, f, np.nan), label="f(x̂, y), y feasible")
        ax.plot(y_hat, program.f_sign * program.evaluate(x_hat, y_hat)["f"], "o",
                color="C3", label="ŷ")
        ax.set_xlabel(names[0])
        ax.set_ylabel("f(x̂, y)")
        ax.legend(fontsize=8)
    else:
        n = min(points, 101)
        g0, g1 = np.meshgrid(np.linspace(*ranges[0], n), np.linspace(*ranges[1], n))
        f, feasible = _follower_values(program, x_hat, np.vstack([g0.ravel(), g1.ravel()]))
        surface = ax.contourf(g0, g1, np.where(feasible, f, np.nan).reshape(g0.shape),
                              levels=20)
        fig.colorbar(surface, ax=ax, label="f(x̂, y)")
        ax.plot(*y_hat, "o", color="C3", label="ŷ")
        ax.set_xlabel(names[0])
        ax.set_ylabel(names[1])
        ax.legend(fontsize=8)
    shown = ", ".join(f"{k} = {v:.4g}" for k, v in list(result.x.items())[:4])
    ax.set_title(f"lower level at x̂ ({shown}{', ...' if len(result.x) > 4 else ''})")
    return fig


def _ranges(program: BilevelProgram, y_hat: np.ndarray,
            y_range: Sequence[tuple[float, float]] | None) -> list[tuple[float, float]]:
    if y_range is not None:
        try:
            ranges = [(float(lo), float(hi)) for lo, hi in y_range]
        except (TypeError, ValueError):
            raise OptionError(f"y_range must be one (low, high) pair per lower-level "
                              f"variable, got {y_range!r}") from None
        if len(ranges) != program.ny or not all(
                math.isfinite(lo) and math.isfinite(hi) and lo < hi for lo, hi in ranges):
            raise OptionError(f"y_range must be {program.ny} finite (low, high) pair(s) with "
                              f"low < high, got {y_range!r}")
        return ranges
    out = []
    for j in range(program.ny):
        lb, ub, yj = program.y_lb[j], program.y_ub[j], y_hat[j]
        half = max(1.0, 2.0 * abs(yj))
        lo = lb if np.isfinite(lb) else (min(yj, ub) - half if np.isfinite(ub) else yj - half)
        hi = ub if np.isfinite(ub) else (max(yj, lb) + half if np.isfinite(lb) else yj + half)
        out.append((float(lo), float(hi)))
    return out


def _follower_values(program: BilevelProgram, x: np.ndarray,
                     ys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``f`` (the follower's sense) and lower-level feasibility at ``x`` for each column
    of ``ys``, evaluated in one mapped CasADi call."""
    n = ys.shape[1]
    out = program.evaluator.map(n)(x=np.tile(x.reshape(-1, 1), (1, n)), y=ys,
                                  p=np.tile(program.p_values.reshape(-1, 1), (1, n)))
    f = program.f_sign * np.asarray(out["f"], dtype=float).ravel()
    tol = VerifyOptions().feas_tol
    g = np.asarray(ca.DM(out["g"]), dtype=float).reshape(-1, n)
    h = np.asarray(ca.DM(out["h"]), dtype=float).reshape(-1, n)
    feasible = np.all(g <= tol, axis=0) & np.all(np.abs(h) <= tol, axis=0)
    return f, feasible


def plot_profiles(outcomes: Sequence[Outcome], path: Path) -> Path | None:
    """Write the performance profile (:func:`performance_profile`) as a PNG (``None``
    when matplotlib is missing)."""
    try:
        fig = performance_profile(list(outcomes), title="Performance profile (Dolan–Moré), "
                                  "solved = verified and F within 1e-2")
    except OptionalDependencyError:
        return None
    fig.savefig(path, dpi=120)
    return path
