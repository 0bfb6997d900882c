"""``llvf-cuts``: the value-function constraint approximated from below and refined.

The LLVF reformulation (survey §8, (LLVF)) replaces ``y ∈ S(x)`` by ``f(x, y) <= φ(x)``
with ``φ(x) = min_z {f(x, z) : g(x, z) <= 0, h(x, z) = 0}``. For any lower-level points
``z_1, ..., z_k`` that are feasible for every ``x``, ``φ(x) <= f(x, z_j)``, so

    R_k:  min_{x,y} F(x, y)  s.t.  G <= 0, H = 0, g(x, y) <= 0, h(x, y) = 0,
                                   f(x, y) <= f(x, z_j),  j = 1..k

is a relaxation of the bilevel program (§8.5: the value-function constraint is a
semi-infinite constraint ``f(x, y) <= f(x, z)`` for all ``z ∈ Y(x)``; the cuts sample it).
Each round solves ``R_k`` (globally with SCIP when it can, else IPOPT), re-solves the lower
level at the new ``x_k`` (globally with SCIP when it can, else multistart IPOPT; see
:mod:`bilevel_mp.checks.verify`), and

* stops when ``y_k`` is lower-level optimal at ``x_k`` (value-function gap within the
  verification tolerance): ``(x_k, y_k)`` solves the bilevel program;
* otherwise adds the cut of the lower-level optimum ``z_k`` found at ``x_k`` and keeps
  ``(x_k, z_k)`` — bilevel feasible by construction — as a candidate upper bound;
* stops as well when the best candidate is within ``opt_tol`` of the relaxation value.

Guarantees. When the lower-level feasible set does not depend on ``x`` and both ``R_k``
and the lower level are solved globally, every ``R_k`` is a relaxation, its value a lower
bound, and the returned point is ``OPTIMAL`` (globally, to the tolerances). When the
feasible set depends on ``x`` a point ``z_j`` can be infeasible at other ``x``, its cut
may remove the solution, and the method is a heuristic: the returned point is bilevel
feasible (it is verified like every answer) but reported ``LOCALLY_SOLVED`` only. The
same holds when SCIP is missing or cannot express the problem.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field, replace
from functools import cached_property

import casadi as ca
import numpy as np

from bilevel_mp.candidates import Candidate, best_index, candidate_of
from bilevel_mp.checks.scales import row_scales
from bilevel_mp.checks.verify import LowerLevelChecker, VerificationReport
from bilevel_mp.errors import ReformulationNotApplicable
from bilevel_mp.ir.nlp import NLP
from bilevel_mp.ir.program import BilevelProgram
from bilevel_mp.ir.structure import Structure
from bilevel_mp.methods.driver import Stage, StagesRun
from bilevel_mp.methods.homotopy import MethodOutcome
from bilevel_mp.methods.integers import integer_names
from bilevel_mp.options import CheckedOptions
from bilevel_mp.reformulations.base import BilevelSolution
from bilevel_mp.reformulations.value_function import (
    ValueFunctionRelaxation,
    upper_objective_scale,
)
from bilevel_mp.solvers.base import Backend, CompiledSolver, Deadline
from bilevel_mp.solvers.registry import get_backend
from bilevel_mp.solvers.scip_nlp import NotExpressible, scip_available, solve_scip_nlp
from bilevel_mp.status import Proof, ProofKind, TerminationStatus, Verification
from bilevel_mp.tolerances import ROUNDOFF, SOLVER


@dataclass(frozen=True)
class CutsOptions(CheckedOptions):
    """Options of ``llvf-cuts``.

    Attributes
    ----------
    max_cuts
        Largest number of rounds (cuts added).
    opt_tol
        Stop when the best bilevel-feasible F is within ``opt_tol · max(s_F, |F|)`` of the
        relaxation value.
    scip_max_vars
        Largest ``nx + ny`` for which the relaxation goes to SCIP.
    scip_bound_wait
        Seconds after which SCIP's solve of a relaxation is stopped when its lower bound is
        still -∞ (:func:`~bilevel_mp.solvers.scip_nlp.optimize_with_bound_wait`); the loop
        then goes on with IPOPT's local relaxations, as when SCIP cannot express the
        problem, and makes no global claim. ``None``: SCIP runs to the deadline. On the
        BOLIB suite with ``auto``, three relaxations had no finite bound after 0.5 s and
        none got one later (DesignCentringP2's first ran to its 150 s share); every other
        one had a finite bound by then or had ended.
    ipopt_options
        IPOPT options for the relaxation when SCIP is not used.
    """

    max_cuts: int = 40
    opt_tol: float = 1e-6
    scip_max_vars: int = 50
    scip_bound_wait: float | None = 2.0
    ipopt_options: dict = field(default_factory=dict)


@dataclass
class _Kept:
    """A point of the loop with its rank."""

    candidate: Candidate
    solution: BilevelSolution


class CutRelaxation:
    """``R_k`` with its cuts (:class:`~bilevel_mp.reformulations.value_function.
    ValueFunctionRelaxation`), solved by SCIP (global) or IPOPT (local); ``F_scale`` is
    the scale the relaxation divides F by."""

    def __init__(self, program: BilevelProgram, options: CutsOptions,
                 backend: Backend) -> None:
        self.program = program
        self.options = options
        self.backend = backend
        self.cut_points: list[np.ndarray] = []
        self.F_scale = upper_objective_scale(program)
        self.use_scip = _scip_relaxation(program, options)
        self.scip_dropped = ""  # why SCIP was left for IPOPT during the loop, if it was

    def add_cut(self, z_point: np.ndarray) -> None:
        """``f(x, y) - f(x, z_point) <= 0``."""
        self.cut_points.append(np.asarray(z_point, dtype=float))

    def solve(self, start: np.ndarray, deadline: Deadline) -> tuple[np.ndarray | None, float,
                                                                     bool, str]:
        """``(point, lower bound, global, raw status)``; point ``None`` when none found."""
        nlp, inverse = ValueFunctionRelaxation(self.cut_points).apply(self.program)
        nlp = replace(nlp, z0=start)
        if self.use_scip:
            try:
                res = solve_scip_nlp(nlp.z, nlp.f, nlp.g, nlp.g_lb, nlp.g_ub, nlp.z_lb,
                                     nlp.z_ub, deadline, feastol=SOLVER.global_feasibility,
                                     integer=inverse.integer,
                                     bound_wait=self.options.scip_bound_wait)
            except NotExpressible as exc:
                self._drop_scip(f"SCIP cannot express a relaxation ({exc})")
            else:
                if res.status is TerminationStatus.OPTIMAL:
                    return (res.z, res.extra["dual_bound"] * self.F_scale, True,
                            res.raw_status)
                if res.status is TerminationStatus.INFEASIBLE:
                    return None, math.inf, True, res.raw_status
                if res.status is TerminationStatus.TIME_LIMIT and res.z.size and not (
                        res.extra["no_bound"]):
                    # the deadline stopped SCIP: its incumbent is a point of R_k, not its
                    # optimum (no bound, no global claim), and no time is left for IPOPT
                    return res.z, -math.inf, False, res.raw_status
                self._drop_scip(f"SCIP stopped on a relaxation: {res.raw_status}")
        if np.any(inverse.integer):
            return None, -math.inf, False, "integer x needs SCIP's relaxation"
        res = self.backend.build(nlp, self.options.ipopt_options).solve(
            np.zeros(0), start, deadline=deadline)
        if not res.status.is_local_solution:
            return None, -math.inf, False, res.raw_status
        return res.z, -math.inf, False, res.raw_status

    def _drop_scip(self, reason: str) -> None:
        self.use_scip = False
        self.scip_dropped = reason


def _checked(checker: LowerLevelChecker, x: np.ndarray, y: np.ndarray,
             deadline: Deadline) -> tuple[_Kept, VerificationReport]:
    """Verify and rank ``(x, y)``, with the repair of
    :meth:`~bilevel_mp.checks.verify.LowerLevelChecker.check_or_repair`: a relaxation
    optimum a hair beyond a jump of the follower's optimal set is moved onto it (else its
    ε-optimal ŷ would be replaced by a far response, and the next cut would barely move
    the relaxation). The kept solution is the point checked."""
    x, report = checker.check_or_repair(x, y, deadline)
    return (_Kept(candidate_of(checker.program, x, y, report),
                  BilevelSolution(x=x, y=y if report.y is None else report.y)), report)


@dataclass
class _CutLoop:
    """What the rounds of :func:`run_llvf_cuts` carry from one to the next."""

    start: np.ndarray  # the relaxation's start: the previous round's point
    exact_cuts: bool  # every cut so far is valid (module docstring)
    raw: str
    status: TerminationStatus = TerminationStatus.ITERATION_LIMIT
    lower: float = -math.inf  # best bound of the relaxations solved globally
    all_global: bool = True


def _scip_relaxation(program: BilevelProgram, options: CutsOptions) -> bool:
    """Whether the relaxation goes to SCIP (installed, and the problem small enough)."""
    return scip_available() and program.nx + program.ny <= options.scip_max_vars


def cuts_accepts(program: BilevelProgram, structure: Structure, options: CutsOptions,
                 solver: str = "ipopt") -> tuple[bool, str]:
    """Whether ``llvf-cuts`` applies: the value-function relaxation accepts the program,
    and integer upper-level variables have SCIP's relaxation."""
    ok, reason = ValueFunctionRelaxation().accepts(program)
    if ok and np.any(program.x_integer) and not _scip_relaxation(program, options):
        return False, ("integer upper-level variables " + integer_names(program)
                       + " need SCIP's global relaxation (install the 'scip' extra), which "
                       "this problem cannot use")
    return ok, reason


def run_llvf_cuts(program: BilevelProgram, structure: Structure, options: CutsOptions,
                  deadline: Deadline, solver: str = "ipopt",
                  checker: LowerLevelChecker | None = None) -> MethodOutcome:
    """Run the cutting loop of the module docstring; each round's point is verified by
    ``checker`` (default: one with default options)."""
    ReformulationNotApplicable.unless(
        "llvf-cuts", cuts_accepts(program, structure, options, solver))
    checker = checker or LowerLevelChecker(program, structure)
    program = program.as_sx  # SCIP's expressions are translated from SX graphs
    t0 = time.perf_counter()
    backend = get_backend(solver)
    relaxation = CutRelaxation(program, options, backend)
    interior = _ExactCutPoint(program, backend, options.ipopt_options)
    exact_cuts = not ca.depends_on(ca.vertcat(program.g, program.h), program.x)
    state = _CutLoop(np.concatenate([program.x0, program.y0]), exact_cuts,
                     raw=f"{options.max_cuts} cuts")
    run = StagesRun("")

    def stage(k: int, _: float) -> Stage:
        point, bound, is_global, raw_relax = relaxation.solve(state.start, deadline)
        state.all_global &= is_global
        if point is None:
            state.status = (
                TerminationStatus.TIME_LIMIT if deadline.expired()
                else TerminationStatus.INFEASIBLE
                if is_global and state.exact_cuts and run.kept is None
                else TerminationStatus.LOCALLY_INFEASIBLE if run.kept is None else state.status)
            state.raw = f"relaxation {k}: {raw_relax}"
            return Stage(raw_relax, 1, done=True)
        state.lower = max(state.lower, bound) if is_global else state.lower
        cand, report = _checked(checker, point[:program.nx], point[program.nx:], deadline)
        x = cand.solution.x  # moved onto a jump of the follower by the repair, if any
        reported = {"residual": report.ll_gap, "F": program.F_sign * cand.candidate.value,
                    "bound": bound if is_global else None,
                    "log": {"bound": bound, "verification": report.verification.name}}
        if report.verification is not Verification.SUBOPTIMAL:
            state.status, state.raw = (TerminationStatus.LOCALLY_SOLVED,
                                       f"round {k}: y lower-level optimal")
            return Stage(raw_relax, 1, point=cand, candidate=cand.candidate, done=True,
                         incumbent=_incumbent(program, cand, run.kept), **reported)
        if report.ll_best_y is None:
            state.raw = f"round {k}: no lower-level optimum found at x"
            return Stage(raw_relax, 1, point=cand, candidate=cand.candidate, done=True,
                         incumbent=_incumbent(program, cand, run.kept), **reported)
        exact_point = interior.exact_point(x, np.asarray(report.ll_best_y, dtype=float),
                                           deadline)
        if exact_point is None:
            # f(x, y) <= f(x, z_k) is valid only for an exactly feasible z_k: one feasible
            # within a tolerance can cut off the optimum (y² <= 0 admits |y| ~ 3e-5 at a
            # tolerance of 1e-9, and x² y <= x² z_k then excludes y = 0)
            state.exact_cuts = False
            z_k = np.asarray(report.ll_best_y, dtype=float)
        else:
            z_k = exact_point
        feasible, _ = _checked(checker, x, z_k, deadline)
        kept = feasible if feasible.candidate.better_than(cand.candidate) else cand
        best = kept if kept.candidate.better_than(run.kept_candidate) else run.kept
        if best.candidate.is_verified_feasible and (
                best.candidate.value - state.lower
                <= options.opt_tol * max(relaxation.F_scale, abs(best.candidate.value))):
            state.status, state.raw = TerminationStatus.LOCALLY_SOLVED, f"round {k}: bounds met"
            return Stage(raw_relax, 1, point=kept, candidate=kept.candidate, done=True,
                         incumbent=_incumbent(program, best), **reported)
        relaxation.add_cut(z_k)
        state.start = point
        return Stage(raw_relax, 1, point=kept, candidate=kept.candidate,
                     incumbent=_incumbent(program, best), **reported)

    run.drive("cut round", range(options.max_cuts + 1), stage, deadline)
    if run.timed_out:
        state.status, state.raw = TerminationStatus.TIME_LIMIT, "deadline"
    best: _Kept | None = run.kept
    status, raw, exact_cuts, lower = state.status, state.raw, state.exact_cuts, state.lower
    all_global = state.all_global
    off_the_box = "" if best is None else checker.value_off_the_box(
        best.solution.x, best.solution.y,
        float(program.evaluate(best.solution.x, best.solution.y)["F"]))
    proven = (status is TerminationStatus.LOCALLY_SOLVED and exact_cuts and all_global
              and relaxation.use_scip and best is not None
              and best.candidate.is_certified_feasible and not off_the_box)
    status, proof = _termination(status, proven, exact_cuts, best, lower,
                                 options.opt_tol * relaxation.F_scale)
    stats = run.stats({"solve": time.perf_counter() - t0}, "llvf -> cut relaxation",
                      lower_bound=lower, exact_cuts=exact_cuts,
                      global_relaxation=all_global and relaxation.use_scip,
                      cut_points=[point.tolist() for point in relaxation.cut_points])
    message = "; ".join(m for m in ("" if exact_cuts else (
        "the lower-level feasible set depends on x, or a cut came from a lower-level point "
        "feasible only within tolerance: cuts may be invalid, no global claim"),
        off_the_box and f"no global claim: {off_the_box}",
        relaxation.scip_dropped and f"{relaxation.scip_dropped}; {_after_scip(program)}") if m)
    return MethodOutcome(status, raw, None if best is None else best.solution, stats, message,
                         proof=proof)


def _after_scip(program: BilevelProgram) -> str:
    """What the loop did once SCIP was left: IPOPT takes no integer x."""
    if np.any(program.x_integer):
        return "the loop stopped there (integer x needs SCIP's relaxation), no global claim"
    return "the loop went on with IPOPT's local relaxations, no global claim"


def _incumbent(program: BilevelProgram, *kept: _Kept | None) -> float:
    """F of the best verified feasible point among ``kept`` (``nan``: none), for the
    progress report: a round's relaxation point is not feasible until it is verified."""
    feasible = [k.candidate for k in kept if k is not None and k.candidate.is_verified_feasible]
    if not feasible:
        return math.nan
    return program.F_sign * feasible[best_index(feasible)].value


class _ExactCutPoint:
    """An exactly feasible lower-level point near a re-solve's ``z``, for a valid cut.

    A global re-solve stops up to its feasibility tolerance (about 1e-8) outside the rows.
    ``z`` clipped to the box of y is used when that makes it exactly feasible; otherwise
    ``min_y f(x, y)`` s.t. ``g(x, y) <= -δ s_i`` (each row pulled inside by ``δ`` times its
    scale), ``h(x, y) = 0`` is solved from ``z`` and its point, clipped to the box, is used
    when exactly feasible. Its value ``f(x, z')`` is at most ``δ``-times-the-multipliers
    above φ(x), so the cut ``f(x, y) <= f(x, z')`` is a little weaker and still valid (it
    keeps every lower-level optimum of every x). ``None`` when neither is exactly feasible
    (an equality row, or a set with no interior such as ``y² <= 0``).
    """

    def __init__(self, program: BilevelProgram, backend: Backend, ipopt_options: dict) -> None:
        self.program = program
        self.backend = backend
        self.ipopt_options = ipopt_options

    @cached_property
    def _lower_level(self) -> NLP:
        """The lower level at a fixed x (the IR's NLP view; the bounds of y are rows)."""
        return self.program.lower_level.nlp()

    @cached_property
    def _pulled_inside(self) -> CompiledSolver:
        return self.backend.build(self._lower_level, self.ipopt_options)

    def exact_point(self, x: np.ndarray, z: np.ndarray, deadline: Deadline
                    ) -> np.ndarray | None:
        """``z`` or a nearby exactly feasible point (see the class docstring), or ``None``."""
        pr = self.program
        on_box = np.clip(z, pr.y_lb, pr.y_ub)
        if _exactly_feasible(pr, x, on_box):
            return on_box
        scales = row_scales(pr, x, on_box).ll[:pr.g.numel()]
        g_ub = np.concatenate([-SOLVER.interior_margin * np.maximum(scales, 1e-300),
                               np.zeros(pr.h.numel())])
        res = self._pulled_inside.solve(pr.lower_level.parameters(x), on_box,
                                        deadline=deadline,
                                        g_bounds=(self._lower_level.g_lb, g_ub))
        if not res.status.is_local_solution:
            return None
        inside = np.clip(res.z, pr.y_lb, pr.y_ub)
        return inside if _exactly_feasible(pr, x, inside) else None



def _exactly_feasible(program: BilevelProgram, x: np.ndarray, y: np.ndarray) -> bool:
    """Whether ``y`` satisfies the lower-level rows at ``x`` up to round-off."""
    values = program.evaluate(x, y)
    rows = np.concatenate([np.maximum(values["g"], 0.0), np.abs(values["h"])])
    scales = row_scales(program, x, y).ll
    return bool(np.all(rows <= SOLVER.exact_feasibility * np.maximum(scales, 1e-300)))


PROVER = "llvf-cuts: SCIP"


def _termination(status: TerminationStatus, proven: bool, exact_cuts: bool,
                 best: _Kept | None, lower: float,
                 opt_gap: float) -> tuple[TerminationStatus, Proof | None]:
    """The loop's termination and proof, decided once.

    ``OPTIMAL`` with a proof of global optimality when every relaxation was solved
    globally with exact cuts, the best point is certified and feasible, and its value
    meets the relaxation bound (``proven``); ``INFEASIBLE`` (set in the loop only for a
    globally infeasible relaxation with exact cuts) with a proof of infeasibility; with
    exact cuts, the best bound of the relaxations solved globally (``lower``, when
    finite) is a lower bound otherwise.
    """
    value = math.inf if best is None else best.candidate.value
    if proven and value - lower <= opt_gap + ROUNDOFF * max(abs(value), abs(lower)):
        return TerminationStatus.OPTIMAL, Proof(ProofKind.GLOBAL_OPTIMUM, PROVER, lower)
    if status is TerminationStatus.INFEASIBLE:
        return status, Proof(ProofKind.INFEASIBLE, PROVER)
    if exact_cuts and math.isfinite(lower):
        return status, Proof(ProofKind.LOWER_BOUND, PROVER, lower)
    return status, None
