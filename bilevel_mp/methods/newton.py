"""Drivers of the equation-system methods: ``kkt-sn``, ``kkt-lm``, ``llvf-sn``, ``llvf-lm``.

Each builds a system of :mod:`bilevel_mp.reformulations.systems` once, compiles its
residual and Jacobian once, and runs the semismooth Newton or Levenberg–Marquardt solver
of :mod:`bilevel_mp.solvers`.

The LLVF systems need the penalty ``λ``; option ``lambda_policy`` names its schedule
(:mod:`bilevel_mp.methods.schedules`), which :func:`~bilevel_mp.methods.driver.run_stages`
runs.

Each point is checked by re-solving the lower level at its ``x``
(:mod:`bilevel_mp.checks.verify`). A finite penalty leaves ``y`` only approximately
lower-level optimal (the value-function gap is of order 1/λ where partial calmness fails),
so when the re-solve finds a better lower-level point ``ŷ`` at ``x``, the candidate
``(x, ŷ)`` — bilevel feasible by construction — is checked as well. The best candidate is
kept, by the ranking of :class:`~bilevel_mp.candidates.Candidate` (feasible before
not, verified before not, then the smaller ``F``); the log says which ``y`` was kept.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from bilevel_mp.candidates import Candidate, checked_candidate
from bilevel_mp.checks.verify import LowerLevelChecker
from bilevel_mp.errors import OptionError, ReformulationNotApplicable
from bilevel_mp.ir.equations import SystemFunctions
from bilevel_mp.ir.program import BilevelProgram
from bilevel_mp.ir.structure import Structure
from bilevel_mp.methods.driver import Stage, StagesRun, run_stages
from bilevel_mp.methods.homotopy import MethodOutcome
from bilevel_mp.methods.schedules import LAMBDA_SCHEDULES, Policy
from bilevel_mp.options import CheckedOptions
from bilevel_mp.reformulations.base import BilevelSolution
from bilevel_mp.reformulations.systems import KKTSystem, ValueFunctionSystem
from bilevel_mp.solvers.base import Deadline
from bilevel_mp.solvers.levenberg_marquardt import LevenbergMarquardtStep
from bilevel_mp.solvers.newton_driver import EquationResult, NewtonOptions, solve_system
from bilevel_mp.solvers.semismooth_newton import SemismoothNewtonStep
from bilevel_mp.status import TerminationStatus, Verification


@dataclass(frozen=True)
class NewtonMethodOptions(CheckedOptions):
    """Options of the equation-system methods.

    Attributes
    ----------
    tol
        Convergence: ``‖Φ‖∞ <= tol``.
    max_iter
        Steps per solve.
    lambda_policy
        A key of :data:`~bilevel_mp.methods.schedules.LAMBDA_SCHEDULES` (``"fixed"``,
        ``"continuation"``, ``"restarts"``; LLVF methods only).
    lambdas
        Penalty values of the policy.
    """

    tol: float = 1e-8
    max_iter: int = 100
    lambda_policy: Policy = "continuation"
    lambdas: tuple[float, ...] = (1.0, 10.0, 100.0, 1e3, 1e4)


def _rule(kind: str):
    return SemismoothNewtonStep() if kind == "sn" else LevenbergMarquardtStep()


def system_reformulation(method: str) -> KKTSystem | ValueFunctionSystem:
    """The equation system of ``method`` (``kkt-sn``, ``kkt-lm``, ``llvf-sn``,
    ``llvf-lm``): square for the semismooth Newton methods."""
    family, kind = method.split("-")
    system = KKTSystem if family == "kkt" else ValueFunctionSystem
    return system(square=kind == "sn")


def _prepare(program: BilevelProgram, reformulation):
    ReformulationNotApplicable.unless(reformulation.name, reformulation.accepts(program))
    t0 = time.perf_counter()
    system, inverse = reformulation.apply(program)
    t1 = time.perf_counter()
    funcs = SystemFunctions(system)
    return system, inverse, funcs, t1 - t0, time.perf_counter() - t1


def _outcome(run: StagesRun, best: EquationResult, solution, times: dict,
             chain: str) -> MethodOutcome:
    stats = run.stats({**times, "solve": run.solve_time}, chain, residual=best.residual,
                      log=best.history)
    message = "" if best.status is TerminationStatus.LOCALLY_SOLVED else (
        f"no root found: {best.raw_status} (‖Φ‖∞ = {best.residual:.2e})")
    return MethodOutcome(best.status, best.raw_status, solution, stats, message)


def _best_candidate(checker: LowerLevelChecker, solution: BilevelSolution,
                    deadline: Deadline) -> tuple[Candidate, BilevelSolution, str]:
    """The better of ``(x, y)`` and ``(x, ŷ)`` with ``ŷ`` the lower-level re-solve."""
    candidate, report = checked_candidate(checker, solution.x, solution.y, deadline)
    if report.replaced_y:
        solution = BilevelSolution(x=solution.x, y=report.y)
    if report.verification is not Verification.SUBOPTIMAL or report.ll_best_y is None:
        return candidate, solution, f"y of the system ({report.verification.name})"
    y_hat = np.asarray(report.ll_best_y, dtype=float)
    candidate_hat, report_hat = checked_candidate(checker, solution.x, y_hat, deadline)
    if candidate_hat.better_than(candidate):
        return candidate_hat, BilevelSolution(x=solution.x, y=y_hat), (
            f"y re-solved at x ({report_hat.verification.name})")
    return candidate, solution, "y of the system (SUBOPTIMAL)"


def run_kkt_system(program: BilevelProgram, structure: Structure,
                   options: NewtonMethodOptions, deadline: Deadline, kind: str) -> MethodOutcome:
    """``kkt-sn`` (square system, semismooth Newton) or ``kkt-lm`` (split, LM)."""
    reformulation = system_reformulation(f"kkt-{kind}")
    system, inverse, funcs, t_ref, t_setup = _prepare(program, reformulation)
    newton = NewtonOptions(tol=options.tol, max_iter=options.max_iter)

    def stage(index: int, value: float) -> Stage:
        res = solve_system(system, _rule(kind), newton, deadline=deadline, funcs=funcs)
        return Stage(res.raw_status, res.iterations, res.solve_time, residual=res.residual,
                     point=res, done=True)

    run = run_stages("solve", "", [0.0], stage, Deadline())  # one solve, bounded inside
    result = run.kept
    solution = reformulation.invert(result.z, inverse)
    return _outcome(run, result, solution, {"reformulate": t_ref, "setup": t_setup},
                    reformulation.name + " -> " + _rule(kind).name)


def run_llvf(program: BilevelProgram, structure: Structure, options: NewtonMethodOptions,
             deadline: Deadline, kind: str,
             checker: LowerLevelChecker | None = None) -> MethodOutcome:
    """``llvf-sn`` (square system with the copy z) or ``llvf-lm`` (non-square), with the
    penalty schedule ``options.lambda_policy`` (:mod:`bilevel_mp.methods.schedules`);
    each λ's point is verified by ``checker`` (default: one with default options) and the
    best is kept."""
    if not options.lambdas or min(options.lambdas) <= 0:
        raise OptionError(f"lambdas must be positive penalty values, got {options.lambdas}")
    reformulation = system_reformulation(f"llvf-{kind}")
    system, inverse, funcs, t_ref, t_setup = _prepare(program, reformulation)
    schedule = LAMBDA_SCHEDULES[options.lambda_policy]
    checker = checker or LowerLevelChecker(program, structure)
    newton = NewtonOptions(tol=options.tol, max_iter=options.max_iter,
                           least_squares=not system.square)
    start, t_check = system.z0, 0.0

    def stage(index: int, lam: float) -> Stage:
        nonlocal start, t_check
        res = solve_system(system, _rule(kind), newton, z0=start,
                           p=system.params(**{"lambda": lam}), deadline=deadline, funcs=funcs)
        if schedule.warm_start and res.status is TerminationStatus.LOCALLY_SOLVED:
            start = res.z
        if not np.all(np.isfinite(res.z)):
            return Stage(res.raw_status, res.iterations, res.solve_time, residual=res.residual)
        t0 = time.perf_counter()
        candidate, solution, note = _best_candidate(
            checker, reformulation.invert(res.z, inverse), deadline)
        t_check += time.perf_counter() - t0
        return Stage(res.raw_status, res.iterations, res.solve_time, residual=res.residual,
                     F=program.F_sign * candidate.value, point=(res, solution),
                     candidate=candidate, log={"kept": note})

    run = run_stages("lambda", "lambda", schedule.values(options.lambdas), stage, deadline)
    if run.kept is None:
        return MethodOutcome(TerminationStatus.TIME_LIMIT, "time limit before the first solve",
                             None, run.stats({"reformulate": t_ref, "setup": t_setup},
                                             reformulation.name + " -> " + _rule(kind).name))
    res, solution = run.kept
    return _outcome(run, res, solution,
                    {"reformulate": t_ref, "setup": t_setup, "lambda_checks": t_check},
                    reformulation.name + " -> " + _rule(kind).name)
