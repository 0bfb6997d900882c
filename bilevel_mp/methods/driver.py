"""One driver for the staged loops of the methods: schedule, stage, keep-best, deadline.

A method with a loop (the KKT homotopy's stages in ``t``, ``μ`` or ``λ``, the λ schedules
of ``llvf-sn``/``llvf-lm``, the Tikhonov stages of ``implicit``, the cut rounds of
``llvf-cuts``, the Big-M enlargement and direction-cut rounds of ``kkt-bigm``) hands
:func:`run_stages`
a schedule of parameter values and a function that runs one stage. The driver

* stops before a stage when the deadline has passed (:attr:`StagesRun.timed_out`);
* sums the stages' iterations and solver seconds;
* keeps a point: the newest one a stage offers, or, when the stages rank their points
  with a :class:`~bilevel_mp.candidates.Candidate`, the best by that one ranking;
* writes one log entry per stage (``stats["stages"]``, the same keys for every loop:
  ``param``, ``status``, ``iterations``, ``residual``, ``F``, plus the loop's own) and
  reports it to :mod:`bilevel_mp.progress`;
* stops after a stage that says it is done.

What a stage means (which solver, which warm start, when the loop is done) stays with the
method; how a loop is run is written once, here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import KW_ONLY, dataclass, field
from typing import Any

from bilevel_mp import progress
from bilevel_mp.candidates import Candidate
from bilevel_mp.result import MethodStats
from bilevel_mp.solvers.base import Deadline


@dataclass(frozen=True)
class Stage:
    """What one stage hands the driver.

    Attributes
    ----------
    raw_status
        The stage's solver status, for the log.
    iterations, solve_time
        Added to the loop's totals.
    residual, F
        The stage's residual (the loop's own measure) and upper-level value, for the log
        and the progress report (``None``: unknown).
    incumbent
        The progress report's incumbent where it is not ``F``: the best verified feasible
        value so far of a loop whose stage points are not feasible (``nan``: none yet).
    bound, gap
        A proven lower bound and the solver's gap, for the progress report.
    point
        A point to keep (``None``: the stage offers none).
    candidate
        The rank of ``point``; without one the newest point is kept.
    done
        Whether the loop stops after this stage.
    log
        Further entries of the stage's log record.
    """

    raw_status: str
    iterations: int = 0
    solve_time: float = 0.0
    _: KW_ONLY
    residual: float | None = None
    F: float | None = None
    incumbent: float | None = None
    bound: float | None = None
    gap: float | None = None
    point: Any = None
    candidate: Candidate | None = None
    done: bool = False
    log: dict = field(default_factory=dict)


@dataclass
class StagesRun:
    """One run of a loop: its log, totals and kept point, filled stage by stage."""

    parameter: str
    stages: list[dict] = field(default_factory=list)
    iterations: int = 0
    solve_time: float = 0.0
    kept: Any = None
    kept_candidate: Candidate | None = None
    timed_out: bool = False
    """The deadline passed before a scheduled stage could start."""

    def stats(self, time: dict[str, float], chain: str = "", **extra: Any) -> MethodStats:
        """The method's statistics in the one shape every method reports
        (:class:`~bilevel_mp.result.MethodStats`): ``time`` (seconds by phase),
        ``iterations`` and ``stages`` (this run's totals and log), ``parameter``, ``chain``
        (the reformulation chain's name), then the method's own entries ``extra``."""
        return MethodStats(time=time, iterations=self.iterations, stages=self.stages,
                           parameter=self.parameter, chain=chain, **extra)

    def keep(self, stage: Stage) -> None:
        """Keep ``stage.point``: the newest, or the better by the Candidate ranking."""
        if stage.point is None:
            return
        if stage.candidate is None or stage.candidate.better_than(self.kept_candidate):
            self.kept, self.kept_candidate = stage.point, stage.candidate

    def drive(self, loop: str, schedule: Iterable[float],
              stage: Callable[[int, float], Stage], deadline: Deadline) -> StagesRun:
        """Run ``stage(index, value)`` for each value of ``schedule`` (module docstring);
        a stage may consult :attr:`kept` and :attr:`kept_candidate` of this run.

        Parameters
        ----------
        loop
            The loop's name in progress reports (``"stage"``, ``"lambda"``, ...).
        schedule
            The parameter values, in order; it may be a generator.
        stage
            Runs one stage.
        deadline
            Checked before each stage.
        """
        for index, value in enumerate(schedule):
            if deadline.expired():
                self.timed_out = True
                break
            result = stage(index, value)
            self.iterations += result.iterations
            self.solve_time += result.solve_time
            self.keep(result)
            self.stages.append({"param": value, "status": result.raw_status,
                                "iterations": result.iterations, "residual": result.residual,
                                "F": result.F, **result.log})
            progress.iteration(loop, index, parameter=self.parameter, value=value,
                               residual=result.residual,
                               incumbent=result.F if result.incumbent is None
                               else result.incumbent,
                               bound=result.bound, gap=result.gap,
                               status=result.raw_status)
            if result.done:
                break
        return self


def no_stages(time: dict[str, float], chain: str = "", **extra: Any) -> MethodStats:
    """The statistics of a method that stopped before its loop ran a stage."""
    return StagesRun("").stats(time, chain, **extra)


def run_stages(loop: str, parameter: str, schedule: Iterable[float],
               stage: Callable[[int, float], Stage], deadline: Deadline) -> StagesRun:
    """A new :class:`StagesRun` of the parameter ``parameter`` (``"t"``, ``"lambda"``,
    ``""`` for none), driven by :meth:`StagesRun.drive`."""
    return StagesRun(parameter).drive(loop, schedule, stage, deadline)


def geometric(start: float, factor: float, count: int) -> list[float]:
    """``start, start·factor, start·factor², ...`` (``count`` values), each the previous
    one times ``factor`` (as the stages move it: ``factor**k`` rounds differently, and an
    ill-conditioned homotopy follows another path from a t that differs in the last bit)."""
    values, value = [], start
    for _ in range(count):
        values.append(value)
        value *= factor
    return values
