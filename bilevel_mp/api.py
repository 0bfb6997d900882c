"""``solve`` and ``compare``: the entry points users call."""

from __future__ import annotations

import contextlib
import dataclasses
import math
import numbers
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from bilevel_mp import progress as progress_module
from bilevel_mp.candidates import Candidate, best_index, primal_status
from bilevel_mp.checks.stationarity import StationarityClassifier
from bilevel_mp.checks.verify import LowerLevelChecker, VerifyOptions
from bilevel_mp.comparison import Comparison
from bilevel_mp.errors import NoSolutionError, OptionError, ReformulationNotApplicable
from bilevel_mp.ir.program import BilevelProgram
from bilevel_mp.ir.structure import Structure, analyze
from bilevel_mp.methods import auto, integers, parallel
from bilevel_mp.methods.homotopy import MethodOutcome
from bilevel_mp.methods.registry import MethodSpec, get_method, solver_methods
from bilevel_mp.modeling.compile import PyomoBinding, compile_pyomo
from bilevel_mp.modeling.suffixes import load_lower_level_duals
from bilevel_mp.options import DEFAULT_TIME_LIMIT, make_options
from bilevel_mp.progress import MethodEvent, ProgressBar, ProgressCallback
from bilevel_mp.result import BilevelResult
from bilevel_mp.solvers.base import Deadline
from bilevel_mp.solvers.registry import (
    BACKENDS,
    DEFAULT_SOLVER,
    ProblemClass,
    SolverChoice,
    solver_choice,
)
from bilevel_mp.status import PrimalStatus, Proof, ProofKind, TerminationStatus, Verification
from bilevel_mp.tolerances import snap_integers

TimeLimit = float | None | Literal["default"]
"""Seconds, ``None`` for no limit, or ``"default"``: :func:`default_time_limit`."""


@dataclass
class _Problem:
    """A compiled problem with its structure and lower-level checker (built once)."""

    program: BilevelProgram
    binding: PyomoBinding | None
    structure: Structure
    checker: LowerLevelChecker
    times: dict[str, float]


def _prepare(model: Any, verify_options: dict | None) -> _Problem:
    vopts = make_options(VerifyOptions, verify_options, "verify_options")
    t0 = time.perf_counter()
    if isinstance(model, BilevelProgram):
        program, binding = model, None
    else:
        program, binding = compile_pyomo(model)
    t1 = time.perf_counter()
    structure = analyze(program)
    t2 = time.perf_counter()
    return _Problem(program, binding, structure, LowerLevelChecker(program, structure, vopts),
                    {"compile": t1 - t0, "analyze": t2 - t1})


def _finish(problem: _Problem, name: str, outcome: MethodOutcome,
            deadline: Deadline) -> BilevelResult:
    """Verify a method's outcome and assemble the result (does not load the model)."""
    pr = problem.program
    times = {**problem.times, **outcome.stats.get("time", {})}
    result = BilevelResult(
        termination=outcome.status, verification=Verification.NOT_CHECKED, method=name,
        raw_status=outcome.raw_status, stats={**outcome.stats, "time": times},
        message=outcome.message, program=pr,
    )
    sol = outcome.solution
    if sol is None:
        result.proof, dropped = _kept_proof(outcome.proof, result)
        result.message = "; ".join(m for m in (result.message, dropped) if m)
        return result
    t0 = time.perf_counter()
    # integer entries within tolerance are rounded: the values verified are the values
    # reported and loaded into the model
    sol = dataclasses.replace(sol, x=snap_integers(
        sol.x, pr.x_integer, problem.checker.options.integrality_tol))
    x_checked, report = problem.checker.check_or_repair(sol.x, sol.y, deadline)
    if not np.array_equal(x_checked, sol.x):
        sol = dataclasses.replace(sol, x=x_checked)
    if report.replaced_y:  # the method's multipliers and MPCC point belong to the old ŷ
        sol = dataclasses.replace(sol, y=report.y, u=np.zeros(0), v=np.zeros(0))
        outcome = dataclasses.replace(outcome, z=None)
    times["verify"] = time.perf_counter() - t0
    values = pr.evaluate(sol.x, sol.y)
    result.verification = report.verification
    result.upper_objective = pr.F_sign * values["F"]
    result.lower_objective = pr.f_sign * values["f"]
    result.stats["F_min_form"] = values["F"]
    result.ll_gap = report.ll_gap
    result.ll_solver = report.ll_solver
    result.ul_violation, result.ll_violation = report.ul_violation, report.ll_violation
    result.x_array, result.y_array = np.asarray(sol.x), np.asarray(sol.y)
    result.x = dict(zip(pr.names["x"], map(float, sol.x), strict=True))
    result.y = dict(zip(pr.names["y"], map(float, sol.y), strict=True))
    if sol.u.size or sol.v.size:
        result.ll_multipliers = {
            **dict(zip(pr.names["g"], map(float, sol.u), strict=True)),
            **dict(zip(pr.names["h"], map(float, sol.v), strict=True)),
        }
    if outcome.mpcc is not None and outcome.z is not None:
        t0 = time.perf_counter()
        st = StationarityClassifier(outcome.mpcc).classify(outcome.z)
        times["classify"] = time.perf_counter() - t0
        result.stationarity = st.kind
        result.stats["index_sets"] = {"eta": st.n_eta, "nu": st.n_nu, "mu": st.n_mu}
        if st.message:
            result.stats["stationarity_reason"] = st.message
    off_the_box = problem.checker.value_off_the_box(sol.x, sol.y, values["F"])
    result.primal_status = primal_status(report.excess, bool(off_the_box))
    result.proof, dropped = _kept_proof(outcome.proof, result, report.replaced_y, off_the_box)
    result.message = "; ".join(m for m in (
        result.message, dropped or (off_the_box and off_the_box not in result.message
                                    and f"near feasible: {off_the_box}"),
        report.message) if m)
    return result


def _kept_proof(proof: Proof | None, result: BilevelResult,
                replaced_y: bool = False, off_the_box: str = "") -> tuple[Proof | None, str]:
    """The method's proof as the result keeps it, and why it was dropped (``""`` if kept).

    A proof of global optimality is about the returned point: it is kept only when the
    independent check CERTIFIES that point's lower level and the point is not
    ``INFEASIBLE_POINT``, the check did not have to replace ŷ by an exact response
    (the proven value was then reached only through the tolerance), and the value does not
    depend on x̂ lying outside its bounds within the tolerance (``off_the_box``, from
    :meth:`~bilevel_mp.checks.verify.LowerLevelChecker.value_off_the_box`: a model whose
    F diverges at a bound, such as a cost ``y / (1 + x)`` with ``x >= -1``, is unbounded
    below just outside it). Bounds and
    proofs that no finite optimum exists claim nothing about a point and are kept as the
    method gave them.
    """
    if replaced_y and proof is not None and proof.kind is ProofKind.GLOBAL_OPTIMUM:
        return None, (f"proof dropped: {proof.prover} claimed global optimality of a value "
                      "that no exact lower-level response reaches")
    if off_the_box and proof is not None and proof.kind is ProofKind.GLOBAL_OPTIMUM:
        return None, f"proof dropped: {off_the_box}"
    if proof is None or proof.kind is not ProofKind.GLOBAL_OPTIMUM or (
            result.verification is Verification.CERTIFIED
            and result.primal_status is not PrimalStatus.INFEASIBLE_POINT):
        return proof, ""
    return None, (f"proof dropped: {proof.prover} claimed global optimality but the check "
                  f"found the point {result.primal_status.name} with lower level "
                  f"{result.verification.name}")


def _run(problem: _Problem, name: str, options: dict | None, deadline: Deadline,
         solver: SolverChoice) -> BilevelResult:
    spec = get_method(name)
    opts = make_options(spec.options, options, f"method {name!r}")
    with progress_module.running_method(name):
        if np.any(problem.program.x_integer) and name not in integers.INTEGER_METHODS:
            return _run_fixing_integers(problem, name, opts, deadline, solver)
        outcome = spec.run(problem.program, problem.structure, opts, deadline,
                           solver.of(spec.solver_class),
                           **_checker_for(spec, problem, problem.program))
        return _finish(problem, name, outcome, deadline)


def _checker_for(spec: MethodSpec, problem: _Problem, program: BilevelProgram) -> dict:
    """``{"checker": ...}`` for a method that verifies inside its loop (the API's checker,
    so the user's options hold and no point is verified twice), else ``{}``."""
    return {"checker": problem.checker.for_program(program)} if spec.verifies else {}


def _run_fixing_integers(problem: _Problem, name: str, opts: Any, deadline: Deadline,
                         solver: SolverChoice) -> BilevelResult:
    """A continuous method on a program with integer x: relax, round, fix and re-solve
    (:mod:`bilevel_mp.methods.integers`); every answer is verified on the original
    program, and the best is returned."""
    spec = get_method(name)
    program = problem.program

    def run(variant: BilevelProgram) -> MethodOutcome:
        return spec.run(variant, problem.structure, opts, deadline,
                        solver.of(spec.solver_class), **_checker_for(spec, problem, variant))
    relaxation = run(integers.relaxed(program))
    x_relaxed = program.x0 if relaxation.solution is None else relaxation.solution.x
    tried: list[BilevelResult] = []
    for x in integers.assignments(program, x_relaxed):
        if deadline.expired():
            break
        outcome = run(integers.fixed(program, x))
        tried.append(_finish(problem, name, outcome, deadline))
    if not tried:
        return _finish(problem, name, dataclasses.replace(
            relaxation, solution=None, status=TerminationStatus.TIME_LIMIT
            if deadline.expired() else TerminationStatus.INFEASIBLE,
            message=f"no integer value of {integers.integer_names(program)} was solved"),
            deadline)
    best = tried[best_index([Candidate.of_result(r) for r in tried])]
    best.stats["integer_assignments"] = [
        {"x": r.x, "termination": r.termination.name, "verification": r.verification.name,
         "F": r.upper_objective} for r in tried]
    best.message = "; ".join(m for m in (
        f"integer variables {integers.integer_names(program)} fixed at {len(tried)} "
        "roundings of the continuous relaxation (a heuristic: no global claim)",
        best.message) if m)
    return best


@dataclasses.dataclass
class _Tried:
    """What a run of some of ``auto``'s methods gives: results with their seconds, the
    methods that declined, whether a result made the rest needless, and when the search for
    a better answer than a verified one ends (``settle_at``, a ``time.perf_counter()``
    instant; ``None`` while no point is verified or without patience)."""

    results: list[BilevelResult] = dataclasses.field(default_factory=list)
    seconds: list[float] = dataclasses.field(default_factory=list)
    declined: dict[str, str] = dataclasses.field(default_factory=dict)
    stopped: bool = False
    notes: list[str] = dataclasses.field(default_factory=list)
    settle_at: float | None = None

    def __add__(self, other: _Tried) -> _Tried:
        settle = [t for t in (self.settle_at, other.settle_at) if t is not None]
        return _Tried(self.results + other.results, self.seconds + other.seconds,
                      {**self.declined, **other.declined}, self.stopped or other.stopped,
                      self.notes + other.notes, min(settle) if settle else None)


def _try_methods(problem: _Problem, names: tuple[str, ...], per_method: dict[str, dict],
                 deadline: Deadline, solver: SolverChoice, then: str | None = None,
                 interrupted: Callable[[], bool] = lambda: False,
                 patience: float | None = None, started: float | None = None) -> _Tried:
    """Run ``names`` in order until :func:`auto.should_stop` (``then``: the method that
    follows the last of them in the portfolio, ``None`` if none), the deadline, or
    ``interrupted()``; with ``patience``, also until :func:`auto.settle_time` after the
    first verified feasible answer (CERTIFIED or NO_BETTER_FOUND; ``started``: when
    ``auto`` began, default now)."""
    tried = _Tried()
    started = time.perf_counter() if started is None else started
    for i, name in enumerate(names):
        if deadline.expired() or interrupted():
            break
        if tried.settle_at is not None and time.perf_counter() >= tried.settle_at:
            tried.notes.append(
                f"auto did not run {', '.join(names[i:])}: a verified answer had been at "
                "hand long enough (option patience)")
            break
        # every method but the last gets at most half of what is left, so one slow method
        # (a MIQP, a long cutting loop) cannot starve the rest of the portfolio
        following = names[i + 1] if i + 1 < len(names) else then
        share = deadline if following is None else Deadline.after(deadline.remaining() / 2)
        method_started = time.perf_counter()
        try:
            result = _run(problem, name, per_method[name], share.no_later_than(tried.settle_at),
                          solver)
        except ReformulationNotApplicable as exc:  # a check beyond accepts, when running
            tried.declined[name] = exc.reason
            continue
        tried.results.append(result)
        now = time.perf_counter()
        tried.seconds.append(now - method_started)
        if (patience is not None and tried.settle_at is None
                and Candidate.of_result(result).is_verified_feasible):
            tried.settle_at = now + auto.settle_time(patience, now - started)
        if auto.should_stop(result, problem.structure, following):
            tried.stopped = True
            break
    return tried


def _race(problem: _Problem, head: tuple[str, ...], rest: tuple[str, ...],
          per_method: dict[str, dict], deadline: Deadline, solver: SolverChoice,
          patience: float | None) -> _Tried:
    """``head`` (the global methods) in a second process while ``rest`` runs here; the rest
    stops when the head's answer makes it needless. With ``patience``, once the rest holds
    a verified answer, both lanes look for a better one until :func:`auto.settle_time`
    has passed; the head is then asked to wrap up (its best point is kept)
    (:class:`~bilevel_mp.methods.auto.AutoOptions`)."""
    lane = parallel.Lane(lambda: _try_methods(problem, head, per_method, deadline, solver,
                                              then=rest[0]), deadline)
    try:
        def head_stopped() -> bool:
            return lane.poll() and lane.result().stopped

        local = _try_methods(problem, rest, per_method, deadline, solver,
                             interrupted=head_stopped, patience=patience,
                             started=lane.started)
        within = None
        if local.settle_at is not None and not lane.done and not lane.poll(
                timeout=max(0.0, local.settle_at - time.perf_counter())):
            lane.wrap_up()
            within = parallel.GRACE_SECONDS
            local.notes.append(
                f"auto asked {' and '.join(head)} to wrap up after "
                f"{time.perf_counter() - lane.started:.1f} s: the local methods had a "
                "verified answer (option patience)")
        remote = lane.result(within)
    finally:
        lane.stop()
    if remote is None:
        why = ("the second process did not answer by the deadline" if within is None else
               f"the second process did not wrap up within {within:g} s of being asked "
               "(a solver call that the deadline does not interrupt)")
        local.declined.update(dict.fromkeys(head, why))
        return local
    return _restored(remote, problem) + local


def _restored(tried: _Tried, problem: _Problem) -> _Tried:
    """Results back from the second process, with the program they belong to (which does
    not travel between processes)."""
    for result in tried.results:
        result.program = problem.program
    return tried


def _run_auto(problem: _Problem, options: dict | None, deadline: Deadline,
              solver: SolverChoice) -> BilevelResult:
    mine, per_method = _split_options(auto.CANDIDATES, options)  # checked by _validate
    names, declined = auto.portfolio(problem.program, problem.structure, {
        name: make_options(get_method(name).options, given, f"method {name!r}")
        for name, given in per_method.items()}, solver)
    head, rest = (auto.lanes(names) if mine.processes > 1 and parallel.available()
                  else ((), names))
    outcome = (_race(problem, head, rest, per_method, deadline, solver, mine.patience)
               if head else _try_methods(problem, names, per_method, deadline, solver,
                                         patience=mine.patience))
    tried, seconds = outcome.results, outcome.seconds
    declined.update(outcome.declined)
    if not tried and declined and set(names) <= set(declined):
        by_reason: dict[str, list[str]] = {}
        for name, reason in declined.items():
            by_reason.setdefault(reason, []).append(name)
        raise ReformulationNotApplicable("auto", "no method applies (" + "; ".join(
            f"{', '.join(methods)}: {reason}" for reason, methods in by_reason.items()) + ")")
    if not tried:
        return BilevelResult(termination=TerminationStatus.TIME_LIMIT,
                             verification=Verification.NOT_CHECKED, method="auto",
                             raw_status="deadline",
                             message="the time limit ran out before any method started")
    best = tried[_proven_if_tied(tried, problem.checker)]
    summary = ", ".join(f"{r.method}: {r.verification.name}" for r in tried)
    best.stats["auto_tried"] = [
        {"method": r.method, "termination": r.termination.name,
         "primal_status": r.primal_status.name, "verification": r.verification.name,
         "proof": r.proof.describe() if r.proof else None, "F": r.upper_objective,
         "seconds": s}
        for r, s in zip(tried, seconds, strict=True)]
    best.method = f"auto -> {best.method}"
    if declined:
        best.stats["auto_declined"] = declined
    stopped = "auto stopped at its time limit" if deadline.expired() else ""
    best.message = "; ".join(m for m in (f"auto tried {summary}", stopped, *outcome.notes,
                                         best.message) if m)
    return best


def _proven_if_tied(results: list[BilevelResult], checker: LowerLevelChecker) -> int:
    """The index of the best of ``results`` (:func:`~bilevel_mp.candidates.best_index`),
    or of one whose global optimality is proven when it ties with that one: the same
    rank but for F, and F within the tie tolerance
    (:meth:`~bilevel_mp.checks.verify.LowerLevelChecker.ties`). A local method that stops
    within the tolerances just below the proven optimum has the same answer without the
    proof; one that is better by more contradicts the proof and is reported."""
    candidates = [Candidate.of_result(r) for r in results]
    best = best_index(candidates)
    proven = [i for i, r in enumerate(results)
              if r.proof is not None and r.proof.kind is ProofKind.GLOBAL_OPTIMUM]
    if not proven or best in proven:
        return best
    first = proven[best_index([candidates[i] for i in proven])]
    tied = (candidates[first].key[:3] == candidates[best].key[:3]
            and checker.ties(candidates[first].value, candidates[best].value))
    return first if tied else best


def _split_options(names: tuple[str, ...], options: dict | None
                   ) -> tuple[auto.AutoOptions, dict[str, dict]]:
    """``auto``'s own options, and each method's share of the rest: a key named after a
    method holds that method's own options (a dict); any other key goes to every method
    that has it, and the method's own entry wins. A key no method knows is an
    :class:`OptionError`."""
    if options is not None and not isinstance(options, Mapping):
        raise OptionError(f"options of method 'auto' must be a dict, got "
                          f"{type(options).__name__}")
    options = dict(options or {})
    auto_fields = [f.name for f in dataclasses.fields(auto.AutoOptions)]
    mine = make_options(auto.AutoOptions, {k: options.pop(k) for k in auto_fields
                                           if k in options}, "method 'auto'")
    own = {n: options.pop(n) for n in names if n in options}
    for name, given in own.items():
        if not isinstance(given, dict):
            raise OptionError(f"options[{name!r}] of method 'auto' must be a dict of "
                              f"{name}'s options, got {type(given).__name__}")
    fields_of = {n: {f.name for f in dataclasses.fields(get_method(n).options)} for n in names}
    unknown = sorted(set(options) - set().union(*fields_of.values()), key=str)
    if unknown:
        valid = ", ".join(sorted(set().union(*fields_of.values())))
        raise OptionError(f"unknown option(s) {', '.join(map(repr, unknown))} for method "
                          f"'auto'; valid options: {', '.join(auto_fields)}, {valid}, or a "
                          f"method's name ({', '.join(names)}) with a dict of its own "
                          "options")
    return mine, {n: {**{k: v for k, v in options.items() if k in fields_of[n]},
                      **own.get(n, {})} for n in names}


def _run_named(problem: _Problem, name: str, options: dict | None, deadline: Deadline,
               solver: SolverChoice) -> BilevelResult:
    if name == "auto":
        return _run_auto(problem, options, deadline, solver)
    return _run(problem, name, options, deadline, solver)


def _validate(method: str, solver: str | Mapping[str, str], options: dict | None
              ) -> SolverChoice:
    """Check the method name, the solver and the method's options before any work; the
    back-end of each problem class."""
    choice = solver_choice(solver)
    if method == "auto":
        _, per_method = _split_options(auto.CANDIDATES, options)
        for name, given in per_method.items():
            make_options(get_method(name).options, given, f"method {name!r}")
    else:
        spec = get_method(method)
        make_options(spec.options, options, f"method {method!r}")
        _check_solver_class(method, spec, solver, choice)
    choice.check()
    return choice


def _check_solver_class(method: str, spec: MethodSpec, solver: str | Mapping[str, str],
                        choice: SolverChoice) -> None:
    """An ``OptionError`` when ``solver=`` chooses a back-end for a problem class that
    ``method`` does not solve."""
    foreign = {c: n for c, n in choice.chosen().items() if c is not spec.solver_class}
    if not foreign:
        return
    if spec.solver_class is None:
        raise OptionError(
            f"method {method!r} runs its own solvers and does not take solver={solver!r} "
            f"(solver= selects {solver_methods()})")
    valid = ", ".join(BACKENDS) if spec.solver_class is ProblemClass.NLP else (
        "highs, scip or a Pyomo solver")
    raise OptionError(
        f"method {method!r} takes a {spec.solver_class.value.upper()} back-end, not "
        f"{', '.join(f'{c.value} {n!r}' for c, n in foreign.items())}; valid solvers: "
        f"{valid} (solver= selects {solver_methods()})")


def default_time_limit(method: str) -> float | None:
    """The budget of ``method`` when the caller gives none: :data:`DEFAULT_TIME_LIMIT`
    for ``auto`` and the global methods, no limit for the local ones (their loops are
    bounded by stage and iteration counts)."""
    return DEFAULT_TIME_LIMIT if method == "auto" or method in auto.GLOBAL_METHODS else None


def resolve_time_limit(method: str, time_limit: TimeLimit) -> float | None:
    """Seconds for ``method`` (``None``: no limit) from the ``time_limit`` of
    :func:`solve`.

    Raises
    ------
    OptionError
        When ``time_limit`` is not ``"default"``, ``None`` or a positive number of seconds
        (``inf`` is no limit).
    """
    if isinstance(time_limit, str) and time_limit == "default":
        return default_time_limit(method)
    if time_limit is None:
        return None
    if isinstance(time_limit, bool) or not isinstance(time_limit, numbers.Real) or not (
            time_limit > 0):
        raise OptionError(f"time_limit must be a positive number of seconds, None (no "
                          f"limit) or 'default', got {time_limit!r}")
    return None if math.isinf(time_limit) else float(time_limit)


def _method_names(methods: Sequence[str]) -> list[str]:
    """The list of method names given to :func:`compare` (not a single string)."""
    if isinstance(methods, str) or not isinstance(methods, Sequence):
        raise OptionError(f"methods must be a list of method names, e.g. ['auto', "
                          f"'kkt-scholtes'], got {type(methods).__name__} {methods!r}")
    if not methods:
        raise OptionError("methods is empty: name at least one method, e.g. ['auto']")
    return list(methods)


def solve(
    model: Any,
    method: str = "auto",
    *,
    solver: str | Mapping[str, str] = DEFAULT_SOLVER,
    time_limit: TimeLimit = "default",
    options: dict | None = None,
    verify_options: dict | None = None,
    raise_on_failure: bool = False,
    tee: bool = False,
    progress: ProgressCallback | None = None,
) -> BilevelResult:
    """Solve a bilevel program and verify the answer.

    Parameters
    ----------
    model
        A Pyomo model with :class:`~bilevel_mp.LowerLevel` blocks, or a
        :class:`~bilevel_mp.BilevelProgram`.
    method
        ``"auto"`` or a name from :func:`bilevel_mp.methods` (e.g. ``"kkt-scholtes"``).
    solver
        The back-end of each problem class (:mod:`bilevel_mp.solvers.registry`), as a
        mapping ``{"nlp": name, "milp": name}`` or one name. NLP back-ends (``"ipopt"``,
        CasADi's bundled IPOPT, the default; ``"cyipopt"``) solve the KKT relaxations, the
        lower-level solves of ``implicit`` and the relaxation of ``llvf-cuts`` when SCIP
        does not. MILP back-ends (``"highs"``, ``"scip"``, or any Pyomo solver by name,
        e.g. ``"appsi_highs"``; by default HiGHS for MILPs and SCIP for MIQPs) solve
        ``kkt-bigm`` and ``kkt-sos1`` (which needs SCIP). One name is an NLP back-end's
        when it is one, else a MILP back-end's. The equation-system methods run their own
        Newton solvers and refuse any choice with ``OptionError``; so does a method given a
        back-end of a class it does not solve. ``auto`` hands each method its class's
        back-end. The verification always re-solves with its own solvers (HiGHS, SCIP,
        CasADi's IPOPT), independent of the method's.
    time_limit
        Wall-clock seconds for the method(s); the best point found so far is returned
        with ``TIME_LIMIT`` when it runs out (verification runs after it). By default
        (``"default"``) ``auto`` and the global methods (``kkt-bigm``, ``kkt-sos1``,
        ``llvf-cuts``) get :data:`DEFAULT_TIME_LIMIT` = 300 s and the local methods no
        limit; ``None`` means no limit for any method.
    options
        Method options (see the method's options class, e.g. ``KKTOptions``); unknown
        keys raise :class:`~bilevel_mp.errors.OptionError` listing the valid ones. For
        ``auto``, a key goes to every method that has it, and a method's name holds that
        method's own options: ``{"max_stages": 20, "llvf-sn": {"lambdas": (1.0, 1e3)}}``;
        ``processes`` and ``patience`` are ``auto``'s own
        (:class:`~bilevel_mp.methods.auto.AutoOptions`: whether its global methods race
        the local ones in a second process, and how long they may go on once a verified
        answer is at hand).
    verify_options
        Tolerances of the lower-level re-solve (``VerifyOptions``).
    raise_on_failure
        Raise :class:`~bilevel_mp.errors.NoSolutionError` instead of returning a
        result without a point.
    tee
        Write one line per stage, round or λ of the method's loop to ``sys.stdout``
        (parameter, residual, incumbent, bound, gap where known); the same lines go to
        the logger ``bilevel_mp`` at ``INFO`` in any case (:mod:`bilevel_mp.progress`).
    progress
        A callable receiving a :class:`~bilevel_mp.progress.IterationEvent` per step of
        the method's loop; an exception it raises stops the solve.

    Returns
    -------
    BilevelResult
        With the point loaded into the Pyomo model's variables when there is one, and
        the lower-level multipliers in the import suffixes ``dual`` (constraints) and
        ``rc`` (variable bounds) of each ``LowerLevel`` block
        (:mod:`bilevel_mp.modeling.suffixes`).

    Raises
    ------
    ModelError
        When ``model`` is not a bilevel model or is malformed (naming the component).
    OptionError
        On an unknown method, solver or option, or a value of the wrong type (also
        ``tee`` and ``progress``).
    SolverUnavailable
        When the requested back-end is not installed.
    """
    choice = _validate(method, solver, options)
    seconds = resolve_time_limit(method, time_limit)
    tee = progress_module.check_tee(tee)
    callback = progress_module.check_progress(progress, bar=False)
    problem = _prepare(model, verify_options)
    with progress_module.reporting(callback, tee):
        result = _run_named(problem, method, options, Deadline.after(seconds), choice)
    if result.has_point and problem.binding is not None:
        problem.binding.load(result.x_array, result.y_array)
        load_lower_level_duals(model, problem.program, result.ll_multipliers)
    if raise_on_failure and not (result.has_point and result.termination.has_point):
        raise NoSolutionError(f"{result.method}: {result.termination.name} "
                              f"({result.raw_status}) {result.message}")
    return result


def compare(
    model: Any,
    methods: Sequence[str],
    *,
    solver: str | Mapping[str, str] = DEFAULT_SOLVER,
    time_limit: TimeLimit = "default",
    options: dict | None = None,
    verify_options: dict | None = None,
    tee: bool = False,
    progress: ProgressCallback | bool | None = None,
) -> Comparison:
    """Run several methods on one model (compiled once); results by method name.

    The model's variables are left as they were (nothing is loaded); ``time_limit``
    applies to each method separately, with the default budget of :func:`solve`.
    ``tee`` and a ``progress`` callable work as in :func:`solve`, the callable also
    receiving a :class:`~bilevel_mp.progress.MethodEvent` when each method starts and
    finishes; ``progress=True`` draws a progress bar over the methods (``rich``, extra
    ``report``; one plain line per method on stderr without it).

    Returns
    -------
    Comparison
        A read-only mapping ``{method: BilevelResult}`` in the order given (what
        ``compare`` returned before, as a dict), with ``to_frame()``, ``to_dict()``,
        ``rows()`` and an HTML view.

    Raises
    ------
    OptionError
        What :func:`solve` raises, and when ``methods`` is not a non-empty list of names.
    """
    names = _method_names(methods)
    seconds = {}
    choices = {}
    for name in names:
        choices[name] = _validate(name, solver, options)
        seconds[name] = resolve_time_limit(name, time_limit)
    tee = progress_module.check_tee(tee)
    callback = progress_module.check_progress(progress, bar=True)
    problem = _prepare(model, verify_options)
    results: dict[str, BilevelResult] = {}
    wall: dict[str, float] = {}
    bar = ProgressBar(len(names), "compare") if callback is True else None
    with progress_module.reporting(callback if callable(callback) else None, tee), (
            bar or contextlib.nullcontext()):
        for i, name in enumerate(names, start=1):
            progress_module.emit(MethodEvent(name, i, len(names)))
            t0 = time.perf_counter()
            results[name] = _run_named(problem, name, options, Deadline.after(seconds[name]),
                                       choices[name])
            wall[name] = time.perf_counter() - t0
            event = MethodEvent(name, i, len(names), wall[name], results[name])
            progress_module.emit(event)
            if bar is not None:
                bar.advance(event)
    return Comparison(results, wall)
