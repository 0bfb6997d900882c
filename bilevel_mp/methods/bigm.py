"""Driver of ``kkt-bigm``: prove M values, solve the MILP, enlarge unproven Ms that bind.

0. Infer the primal Ms (:func:`~bilevel_mp.oracles.bigm_bounds.infer_primal_ms`).
   When the lower level is an LP and all of them are proven, no dual M is needed: the
   direction-cut loop of :mod:`bilevel_mp.methods.bigm_cuts` solves the program (option
   ``dual="cuts"``, the default) and the steps below do not run.
1. Infer every dual M with its source
   (:func:`~bilevel_mp.oracles.bigm_bounds.infer_dual_ms`).
2. Solve the Big-M MILP (:mod:`bilevel_mp.reformulations.bigm`) with HiGHS; an upper-level
   objective with a quadratic term makes it an MIQP, solved by SCIP when PySCIPOpt is
   installed (extra ``scip``).
3. If a complementarity pair of the solution sits at an M that is not proven (user value
   or default), that M may have cut off better points: warn, multiply it by
   ``enlarge_factor`` and solve again, at most ``max_enlargements`` times.
4. ``OPTIMAL`` (with a proof of global optimality) only when the solver proved
   optimality and every M is proven; with every M proven the MILP is exact, so its
   ``INFEASIBLE``/``UNBOUNDED``/``INFEASIBLE_OR_UNBOUNDED`` is a proof too. When some M is
   not proven (defaults, user values) the MILP's optimum is only ``LOCALLY_SOLVED`` and its
   infeasibility ``LOCALLY_INFEASIBLE``, and when SCIP is installed the remaining time goes
   to an M-free proof: the SOS1 form of the same KKT system (as in ``kkt-sos1``) is solved
   by SCIP with the MILP's point as first incumbent; a conclusive SCIP status is reported
   with SCIP's proof; otherwise the result says which M values are not proven and where
   the proof stopped.
5. A direction-cut master (step 0) that is unbounded proves nothing (it is a relaxation):
   the exact MILP of steps 1-4 decides, and when it has no finite optimum while the cut
   loop holds a bilevel-feasible point, the program is proven ``UNBOUNDED``.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Literal

import casadi as ca
import numpy as np

from bilevel_mp.errors import BilevelWarning, ReformulationNotApplicable
from bilevel_mp.ir.linear import row_maxima
from bilevel_mp.ir.milp import MILP
from bilevel_mp.ir.program import BilevelProgram
from bilevel_mp.ir.structure import Structure
from bilevel_mp.methods.active_set import polish_on_active_set
from bilevel_mp.methods.bigm_cuts import exact_solve_outcome, milp_label, run_direction_cuts
from bilevel_mp.methods.driver import Stage, no_stages, run_stages
from bilevel_mp.methods.homotopy import MethodOutcome
from bilevel_mp.options import CheckedOptions
from bilevel_mp.oracles.bigm_bounds import (
    LP_BOUND_MAX_ROWS,
    fbbt_bounds,
    infer_dual_ms,
    infer_primal_ms,
    lp_multiplier_bounds,
    lp_slack_bounds,
)
from bilevel_mp.reformulations.bigm import (
    BigM,
    BigMInverseData,
    BigMReformulation,
    LinearKKT,
    SOS1InverseData,
    SOS1Reformulation,
    linear_kkt_data,
    linear_kkt_reason,
)
from bilevel_mp.reformulations.bigm_cuts import has_lp_lower_level
from bilevel_mp.solvers.base import BackendResult, Deadline
from bilevel_mp.solvers.highs import solve_highs
from bilevel_mp.solvers.registry import BY_CAPABILITY, get_milp_backend
from bilevel_mp.solvers.scip_nlp import scip_available
from bilevel_mp.status import Proof, ProofKind, TerminationStatus
from bilevel_mp.tolerances import SOLVER

DualSide = Literal["cuts", "big-m"]
"""Values of ``BigMOptions.dual``."""


@dataclass(frozen=True)
class BigMOptions(CheckedOptions):
    """Options of ``kkt-bigm``.

    Attributes
    ----------
    default_big_m
        M used (with a warning) where no bound can be proven and none is given.
    lp_bounds
        Tighten the M values with one LP per row (primal and dual).
    max_enlargements
        Re-solves allowed after an unproven M is found binding.
    enlarge_factor
        Factor applied to a binding unproven M.
    binding_tol
        Relative tolerance for "sits at its M".
    sos1_proof
        When some M is not proven, try the M-free SOS1 proof of step 4 in the remaining
        time (needs SCIP).
    dual
        ``"cuts"`` (default): for a lower level that is an LP and proven primal Ms, no
        dual M at all: direction cuts replace the multipliers
        (:mod:`bilevel_mp.methods.bigm_cuts`). ``"big-m"``: always bound the
        multipliers with dual Ms (7.12).
    cuts_per_round
        Most disjoint direction cuts separated at a point of the cut loop.
    lookahead_rows
        Rows per separated cut whose activation the same round rules out too
        (:func:`~bilevel_mp.oracles.direction_cuts.lookahead_cuts`); 0 turns this off.
    highs_options
        HiGHS options; the defaults are :meth:`SolverTolerances.highs_mip
        <bilevel_mp.tolerances.SolverTolerances.highs_mip>` (tight gaps, LP feasibility
        1e-9, MIP feasibility 1e-7, each with its reason there).
    """

    default_big_m: float = 1e4
    lp_bounds: bool = True
    max_enlargements: int = 3
    enlarge_factor: float = 10.0
    binding_tol: float = 1e-6
    sos1_proof: bool = True
    dual: DualSide = "cuts"
    cuts_per_round: int = 20
    lookahead_rows: int = 20
    highs_options: dict = field(default_factory=SOLVER.highs_mip)


SMALL_MASTER_BINARIES = 100
"""Direction-cut masters with at most this many activity binaries run without HiGHS's
RINS/RENS sub-MIPs (see :func:`_master_options`)."""


def _master_options(user: dict, binaries: int) -> dict:
    """HiGHS options of the direction-cut masters.

    Presolve is off: the masters differ by a few cover rows from round to round, and on
    ``benchmarks/linear_vs_pao.py`` instances (n = 20-100) presolve cost 25-45 % of the
    solve time. The RINS/RENS sub-MIPs are off on small masters (at most
    ``SMALL_MASTER_BINARIES`` binaries), where they took more than half of HiGHS's time
    (n = 10-20 there: median time 0.16-0.21 s with them, 0.12 s without) and stay on for
    larger ones (without them n = 50 went from 1.5 to 2.2 s, and n = 200, seed 0 lost
    its proof within 120 s). The user's ``highs_options`` override both.
    """
    small = {"mip_heuristic_run_rins": False, "mip_heuristic_run_rens": False}
    return {"presolve": "off", **(small if binaries <= SMALL_MASTER_BINARIES else {}),
            **user, "mip_improving_solution_save": True}


def _solve_milp(milp: MILP, deadline: Deadline, options: BigMOptions,
                start: np.ndarray | None = None) -> BackendResult:
    if milp.Q is not None and milp.Q.nnz:
        from bilevel_mp.solvers.scip import solve_scip

        return solve_scip(milp, deadline, start)
    return solve_highs(milp, deadline, options.highs_options, start)


MILPSolve = Callable[[MILP, Deadline, np.ndarray | None], BackendResult]
"""``(milp, deadline, start) -> result``: how ``kkt-bigm`` solves one MILP."""


def milp_solver(options: BigMOptions, solver: str) -> tuple[MILPSolve, str]:
    """How ``kkt-bigm`` solves its MILPs, and the solver's name for proofs (``""``: HiGHS
    for a MILP, SCIP for an MIQP).

    ``solver`` is the MILP back-end chosen with ``solver=``
    (:mod:`bilevel_mp.solvers.registry`): ``""`` (the default) leaves the MILPs to HiGHS
    and the MIQPs to SCIP; ``"highs"`` or ``"scip"`` takes that one for both; any other
    name is a Pyomo solver (``pyo.SolverFactory(solver)``, e.g. ``"appsi_highs"``), which
    gets ``highs_options`` when it is HiGHS and no start point.
    """
    if solver == BY_CAPABILITY:
        return (lambda milp, deadline, start: _solve_milp(milp, deadline, options, start),
                "")
    backend = get_milp_backend(solver)
    return (lambda milp, deadline, start: backend.solve(milp, deadline, start,
                                                        options.highs_options),
            {"highs": "HiGHS", "scip": "SCIP"}.get(solver, f"{solver} (Pyomo)"))


def _binding_unproven(z: np.ndarray, program: BilevelProgram, inv: BigMInverseData,
                      tol: float) -> tuple[list[int], list[int]]:
    """Rows whose unproven primal / dual M is attained at ``z``."""
    s = inv.slices
    u, w = z[s["u"]], np.round(z[s["w"]])
    slack = -program.evaluate(z[s["x"]], z[s["y"]])["g"]
    at_primal = [i for i, b in enumerate(inv.primal)
                 if not b.proven and w[i] == 0 and slack[i] >= b.value * (1 - tol) - tol]
    at_dual = [i for i, b in enumerate(inv.dual)
               if not b.proven and w[i] == 1 and u[i] >= b.value * (1 - tol) - tol]
    return at_primal, at_dual


NORMAL_SCALE = (1e-3, 1e3)
"""Range of a row's (or an objective's) largest coefficient in which the Big-M and SOS1
programs use it as given; outside it the row is divided by that coefficient first."""


def _scales(coefficients: np.ndarray) -> np.ndarray:
    """Divisors of rows with largest coefficients ``coefficients``: the coefficient when it
    is positive and outside :data:`NORMAL_SCALE`, else 1."""
    c = np.asarray(coefficients, dtype=float)
    out = np.ones_like(c)
    off = (c > 0) & ((c < NORMAL_SCALE[0]) | (c > NORMAL_SCALE[1]))
    out[off] = c[off]
    return out


@dataclass(frozen=True)
class _Normalization:
    """Positive divisors of the rows and objectives of a program with a linear KKT system.

    Dividing ``F`` by ``s_F``, ``f`` by ``s_f``, each row of ``g``, ``h``, ``G``, ``H`` by its
    own ``s`` leaves the feasible set, the lower level's solutions and the bilevel
    solutions unchanged; the lower level's multipliers become ``u_i s_i / s_f`` (and
    ``v_j s_j / s_f``), and values and bounds of F are divided by ``s_F``.
    """

    F: float
    f: float
    g: np.ndarray
    h: np.ndarray
    G: np.ndarray
    H: np.ndarray

    @classmethod
    def of(cls, data: LinearKKT) -> _Normalization:
        grad = data.grad_f
        f_coef = max(float(np.max(np.abs(grad.A.data), initial=0.0)),
                     float(np.max(np.abs(grad.b), initial=0.0)))
        return cls(float(_scales([data.F_scale])[0]), float(_scales([f_coef])[0]),
                   *(_scales(row_maxima(b.A)) for b in (data.g, data.h, data.G, data.H)))

    @property
    def is_identity(self) -> bool:
        return all(np.all(s == 1.0) for s in (self.F, self.f, self.g, self.h, self.G, self.H))

    def apply(self, program: BilevelProgram) -> BilevelProgram:
        """``program`` with every row and objective divided by its divisor; user Big-M hints
        (primal: slack of ``g_i``; dual: ``u_i``) follow the rows."""
        index = {name: i for i, name in enumerate(program.names["g"])}
        hints = {}
        for name, (primal, dual) in program.bigm_hints.items():
            s = self.g[index[name]] if name in index else 1.0
            hints[name] = (None if primal is None else primal / s,
                           None if dual is None else dual * s / self.f)
        return replace(program, F=program.F / self.F, f=program.f / self.f,
                       g=program.g / ca.DM(self.g), h=program.h / ca.DM(self.h),
                       G=program.G / ca.DM(self.G), H=program.H / ca.DM(self.H),
                       bigm_hints=hints)

    def invert(self, outcome: MethodOutcome) -> MethodOutcome:
        """The outcome in the units of the original program."""
        sol = outcome.solution
        if sol is not None:
            sol = replace(sol, u=sol.u * self.f / self.g, v=sol.v * self.f / self.h)
        proof = outcome.proof
        if proof is not None and np.isfinite(proof.bound):
            proof = replace(proof, bound=proof.bound * self.F)
        stats = dict(outcome.stats)
        if "lower_bound" in stats:
            stats["lower_bound"] = stats["lower_bound"] * self.F
        divided = [f"{what} by {s:.3g}" for what, s in (("F", self.F), ("f", self.f))
                   if s != 1.0]
        rows = sum(int(np.sum(s != 1.0)) for s in (self.g, self.h, self.G, self.H))
        if rows:
            divided.append(f"{rows} constraint row(s) by their largest coefficients")
        note = ("divided for the single-level solver (their absolute tolerances would "
                "otherwise judge coefficients far from 1): " + ", ".join(divided))
        return replace(outcome, solution=sol, proof=proof, stats=stats,
                       message="; ".join(m for m in (outcome.message, note) if m))


def on_normalized_program(run: Callable[..., MethodOutcome]) -> Callable[..., MethodOutcome]:
    """``run`` (``kkt-bigm`` or ``kkt-sos1``) on the program with its objectives and rows
    divided by their largest coefficients where these are outside :data:`NORMAL_SCALE`
    (:class:`_Normalization`).

    The single-level solvers' tolerances are absolute (MILP feasibility 1e-7, SCIP's 1e-9
    epsilon, HiGHS's gaps): a row or an objective whose coefficients are 1e-10 is satisfied
    or optimal at any point. On rows of unit size they mean what the checks mean.

    The solution is then made exact on its active set
    (:func:`~bilevel_mp.methods.active_set.polish_on_active_set`; ``stats["polish_step"]``
    is how far x and y moved).
    """
    def wrapped(program: BilevelProgram, structure: Structure, options, deadline: Deadline,
                solver: str = BY_CAPABILITY) -> MethodOutcome:
        if linear_kkt_reason(program):
            return run(program, structure, options, deadline, solver)
        data = linear_kkt_data(program)
        norm = _Normalization.of(data)
        seen = program if norm.is_identity else norm.apply(program)
        outcome = _polished(run(seen, structure, options, deadline, solver), seen)
        if not norm.is_identity:
            outcome = norm.invert(outcome)
        wide = _wide_rows(data, program)
        return _without_exact_claims(outcome, wide) if wide else outcome
    return wrapped


def _polished(outcome: MethodOutcome, program: BilevelProgram) -> MethodOutcome:
    """``outcome`` with its solution made exact on its active set in the units of
    ``program`` (:func:`~bilevel_mp.methods.active_set.polish_on_active_set`), and how far
    x and y moved as ``stats["polish_step"]``."""
    if outcome.solution is None:
        return outcome
    polished = polish_on_active_set(linear_kkt_data(program), program, outcome.solution)
    step = max(float(np.max(np.abs(a - b), initial=0.0)) for a, b in (
        (polished.x, outcome.solution.x), (polished.y, outcome.solution.y)))
    return replace(outcome, solution=polished, stats={**outcome.stats, "polish_step": step})


COEFFICIENT_RANGE = 1e9
"""Largest ratio of a row's largest to its smallest nonzero coefficient that the MILP
solvers represent: HiGHS drops matrix entries below 1e-9 of a unit row
(``small_matrix_value``), SCIP treats values beyond 1e20 as infinite."""


def _wide_rows(data: LinearKKT, program: BilevelProgram) -> list[str]:
    """Names of the rows of ``G``, ``H``, ``g``, ``h`` and of ``∇_y f`` whose nonzero
    coefficients span more than :data:`COEFFICIENT_RANGE`."""
    names = []
    for block, labels in ((data.G, program.names["G"]), (data.H, program.names["H"]),
                          (data.g, program.names["g"]), (data.h, program.names["h"]),
                          (data.grad_f, [f"∇f in {n}" for n in program.names["y"]])):
        A = abs(block.A).tocsr()
        for i in range(A.shape[0]):
            row = A.data[A.indptr[i]:A.indptr[i + 1]]
            row = row[row > 0]
            if row.size and row.max() > COEFFICIENT_RANGE * row.min():
                names.append(labels[i])
    return names


def _without_exact_claims(outcome: MethodOutcome, rows: list[str]) -> MethodOutcome:
    """``outcome`` with its proof dropped and its global statuses made local: the solver
    saw rows whose coefficients it cannot represent (``rows``), so what it proved is about
    another problem."""
    local = {TerminationStatus.OPTIMAL: TerminationStatus.LOCALLY_SOLVED,
             TerminationStatus.INFEASIBLE: TerminationStatus.LOCALLY_INFEASIBLE}
    note = (f"no global claim: the coefficients of {', '.join(rows[:5])} span more than "
            f"{COEFFICIENT_RANGE:.0e}, beyond what the MILP solver represents")
    return replace(outcome, status=local.get(outcome.status, outcome.status), proof=None,
                   message="; ".join(m for m in (outcome.message, note) if m))


def bigm_accepts(program: BilevelProgram, structure: Structure, options: BigMOptions,
                 solver: str = BY_CAPABILITY) -> tuple[bool, str]:
    """Whether ``kkt-bigm`` applies: a linear KKT system (:func:`linear_kkt_reason`), and
    for a quadratic upper-level objective (an MIQP) a MILP back-end that takes one
    (``solver``: as in :func:`milp_solver`)."""
    if reason := linear_kkt_reason(program):
        return False, reason
    if linear_kkt_data(program).F_is_linear:
        return True, ""
    if solver == BY_CAPABILITY and not scip_available():
        return False, ("the upper-level objective is quadratic, so the Big-M problem is an "
                       "MIQP, which HiGHS does not solve; install SCIP with "
                       "pip install 'bilevel_mp[scip]'")
    if solver != BY_CAPABILITY and "miqp" not in get_milp_backend(solver).capabilities:
        return False, (f"the upper-level objective is quadratic, so the Big-M problem is an "
                       f"MIQP, which the MILP back-end {solver!r} does not solve")
    return True, ""


@on_normalized_program
def run_bigm(program: BilevelProgram, structure: Structure, options: BigMOptions,
             deadline: Deadline, solver: str = BY_CAPABILITY) -> MethodOutcome:
    """Run ``kkt-bigm`` (see the module docstring); ``solver`` as in :func:`milp_solver`."""
    ReformulationNotApplicable.unless(
        "kkt-bigm", bigm_accepts(program, structure, options, solver))
    t0 = time.perf_counter()
    data = linear_kkt_data(program)
    solve, solver_name = milp_solver(options, solver)
    bounds = infer_primal_ms(data, program, options.default_big_m, options.lp_bounds)
    if options.dual == "cuts" and has_lp_lower_level(data) and bounds.proven:
        t_bounds = time.perf_counter() - t0
        saving = replace(options, highs_options=_master_options(
            options.highs_options, int(np.sum(bounds.can_be_active))))
        cuts = _with_bigm_stats(run_direction_cuts(
            program, data, bounds.ms, bounds.can_be_active, deadline, options.cuts_per_round,
            options.lookahead_rows, milp_solver(saving, solver)[0], solver_name),
            program, bounds.ms, None, t_bounds)
        if cuts.status not in NO_FINITE_OPTIMUM:
            return cuts
        # the master is a relaxation: its unboundedness proves nothing; the exact MILP decides
        return _after_unbounded_master(cuts, _run_classic(program, data, bounds, options,
                                                          deadline, t0, solve, solver_name))
    return _run_classic(program, data, bounds, options, deadline, t0, solve, solver_name)


NO_FINITE_OPTIMUM = frozenset({TerminationStatus.UNBOUNDED,
                               TerminationStatus.INFEASIBLE_OR_UNBOUNDED})
"""Solver conclusions that a problem has no finite optimum (without saying which)."""


def _after_unbounded_master(cuts: MethodOutcome, exact: MethodOutcome) -> MethodOutcome:
    """The answer when the direction-cut master (a relaxation) had no finite optimum and
    the exact Big-M MILP was solved after it.

    The exact MILP's proof that no finite optimum exists, together with a bilevel-feasible
    point of the cut loop, proves the program unbounded: that point's ``UNBOUNDED`` answer
    is returned with the proof. Otherwise the exact MILP's answer stands.
    """
    if cuts.solution is None or exact.proof is None or (
            not exact.proof.kind.excludes_finite_optimum):
        exact.message = "; ".join(m for m in (
            f"the direction-cut master was {cuts.raw_status}", exact.message) if m)
        return exact
    cuts.status = TerminationStatus.UNBOUNDED
    cuts.proof = Proof(ProofKind.UNBOUNDED, f"{exact.proof.prover} ({exact.raw_status}) and "
                       "a bilevel-feasible point of the direction-cut loop")
    cuts.stats["stages"] += exact.stats["stages"]
    cuts.message = "; ".join(m for m in (
        cuts.message, "the exact Big-M MILP has no finite optimum and a bilevel-feasible "
        "point exists: the program is unbounded") if m)
    return cuts


@dataclass
class _Enlargement:
    """What the enlargement rounds of :func:`_run_classic` carry from one to the next:
    the M values and the last MILP solved, with its reformulation."""

    primal: list
    dual: list
    reform: BigMReformulation | None = None
    milp: MILP | None = None
    inv: BigMInverseData | None = None
    res: BackendResult | None = None


def _run_classic(program: BilevelProgram, data, bounds, options: BigMOptions,
                 deadline: Deadline, t0: float, solve: MILPSolve,
                 solver_name: str) -> MethodOutcome:
    """Steps 1-4 of the module docstring: the Big-M MILP with primal and dual Ms, each
    solved by ``solve`` (``solver_name``: a Pyomo solver's, ``""`` for HiGHS/SCIP)."""
    primal = bounds.ms
    dual = infer_dual_ms(data, program, options.default_big_m, bounds, options.lp_bounds)
    t_bounds = time.perf_counter() - t0
    bigm = _Enlargement(primal, dual)

    def stage(rounds: int, _: float) -> Stage:
        bigm.reform = BigMReformulation(bigm.primal, bigm.dual)
        bigm.milp, bigm.inv = bigm.reform.apply(program)
        res = bigm.res = solve(bigm.milp, deadline, None)
        done = not res.z.size or rounds >= options.max_enlargements
        if not done:
            at_p, at_d = _binding_unproven(res.z, program, bigm.inv, options.binding_tol)
            done = not (at_p or at_d)
        if not done:
            names = [program.names["g"][i] for i in sorted(set(at_p) | set(at_d))]
            warnings.warn(f"kkt-bigm: unproven Big-M values bind at the solution for "
                          f"{', '.join(names[:5])}; enlarging them by "
                          f"{options.enlarge_factor:g} and solving again", BilevelWarning,
                          stacklevel=7)  # stage, drive, run_stages, then as before
            bigm.primal = [b.enlarged(options.enlarge_factor) if i in at_p else b
                           for i, b in enumerate(bigm.primal)]
            bigm.dual = [b.enlarged(options.enlarge_factor) if i in at_d else b
                         for i, b in enumerate(bigm.dual)]
        return Stage(res.raw_status, res.iterations, res.solve_time,
                     F=res.objective if res.z.size else None,
                     bound=res.extra.get("mip_dual_bound"), gap=res.extra.get("mip_gap"),
                     done=done, log={"nodes": res.extra.get("nodes", 0),
                                     "mip_gap": res.extra.get("mip_gap", np.nan)})

    run = run_stages("enlargement", "", range(options.max_enlargements + 1), stage, deadline)
    if bigm.res is None:  # the deadline passed before the first MILP
        return MethodOutcome(TerminationStatus.TIME_LIMIT, "time limit before the first MILP",
                             None, no_stages({"solve": 0.0}, "kkt -> bigm"))
    primal, dual, res, inv, milp, reform = (bigm.primal, bigm.dual, bigm.res, bigm.inv,
                                           bigm.milp, bigm.reform)
    solve_time, history = run.solve_time, run.stages
    unproven = _unproven_ms(primal, dual, program)
    solution = reform.invert(res.z, inv) if res.z.size else None
    sos1 = None
    if (unproven and res.status in SOS1_PROOF_WORTH and options.sos1_proof
            and scip_available() and deadline.remaining() >= MIN_PROOF_SECONDS):
        sos1, sos1_inv = _prove_by_sos1(program, res.z, inv, primal, dual, deadline)
        solve_time += sos1.solve_time
        run.iterations += sos1.iterations  # the proof is one more logged stage
        history.append({"param": len(history), "status": f"sos1 proof: {sos1.raw_status}",
                        "iterations": sos1.iterations, "residual": None,
                        "F": sos1.objective if sos1.z.size else None,
                        "nodes": sos1.extra.get("nodes", 0),
                        "mip_gap": sos1.extra.get("mip_gap", np.nan)})
        better = sos1.z.size and (not res.z.size or sos1.objective < res.objective)
        if sos1.status is TerminationStatus.OPTIMAL or better:
            solution = SOS1Reformulation().invert(sos1.z, sos1_inv)
        elif sos1.status is TerminationStatus.INFEASIBLE:
            solution = None
    prover = f"kkt-bigm: {milp_label(solver_name, milp.Q is not None and milp.Q.nnz > 0)}"
    status, proof, message = _termination(res, unproven, prover, sos1, data.F_scale)
    stats = run.stats({"solve": solve_time}, "kkt -> bigm")
    return _with_bigm_stats(
        MethodOutcome(status, res.raw_status, solution, stats, message, proof=proof),
        program, primal, dual, t_bounds)


SOS1_PROOF_WORTH = frozenset({TerminationStatus.OPTIMAL, TerminationStatus.INFEASIBLE,
                              TerminationStatus.INFEASIBLE_OR_UNBOUNDED})
"""MILP outcomes (with some M not proven) after which the M-free SOS1 proof is tried."""

SOS1_PROVER = "kkt-bigm: SCIP SOS1 branch and bound (no M values)"


def _termination(res: BackendResult, unproven: list[str], prover: str,
                 sos1: BackendResult | None,
                 scale: float) -> tuple[TerminationStatus, Proof | None, str]:
    """Termination, proof and message of the Big-M MILP path, decided once.

    - Every M proven: the MILP is an exact reformulation, so HiGHS's (SCIP's) status is
      the termination and, when it is conclusive, a proof (:meth:`Proof.of_exact_solve`).
    - Some M not proven: the MILP's feasible set is a subset of the bilevel-feasible set
      (its points are KKT points whatever the Ms), so its optimum is only a feasible
      point (``LOCALLY_SOLVED``) and its infeasibility proves nothing
      (``LOCALLY_INFEASIBLE``); its unboundedness still proves the program unbounded.
      A conclusive M-free SOS1 solve (SCIP) replaces all of that with its own proof.
    """
    if not unproven:
        return (*exact_solve_outcome(res, f"{prover} with proven Ms", scale), "")
    note = (f"{len(unproven)} Big-M value(s) not proven: {', '.join(unproven[:6])}"
            f"{', ...' if len(unproven) > 6 else ''}")
    status, proof = res.status, None
    if res.status is TerminationStatus.OPTIMAL:
        status, note = TerminationStatus.LOCALLY_SOLVED, "MILP solved to optimality, but " + note
    elif res.status in (TerminationStatus.INFEASIBLE,
                        TerminationStatus.INFEASIBLE_OR_UNBOUNDED):
        status, note = TerminationStatus.LOCALLY_INFEASIBLE, (
            f"MILP {res.raw_status}, but " + note)
    elif res.status is TerminationStatus.UNBOUNDED:
        proof = Proof(ProofKind.UNBOUNDED, f"{prover}: its points are bilevel feasible")
    if sos1 is None:
        return status, proof, note
    sos1_status, sos1_proof = exact_solve_outcome(sos1, SOS1_PROVER, scale)
    if sos1_proof is None or sos1_proof.kind is ProofKind.LOWER_BOUND:
        return status, proof, (f"{note}; the M-free SOS1 proof stopped ({sos1.raw_status}, "
                               f"gap {sos1.extra.get('mip_gap', np.nan):.3g})")
    return sos1_status, sos1_proof, (f"{note}; {sos1.status.name.lower()} proven without M "
                                     "values by SCIP's SOS1 branch and bound")


def _with_bigm_stats(outcome: MethodOutcome, program: BilevelProgram, primal: list[BigM],
                     dual: list[BigM] | None, t_bounds: float) -> MethodOutcome:
    """Record every M with its source (dual: ``None``, "not used", with direction cuts)
    and the bounding time."""
    outcome.stats["time"]["reformulate"] = t_bounds
    unused = (None, "not used (direction cuts)")
    outcome.stats["big_m"] = {
        name: {"primal": (p.value, p.describe()),
               "dual": (d.value, d.describe()) if dual else unused}
        for name, p, d in zip(program.names["g"], primal, dual or primal, strict=True)}
    return outcome


MIN_PROOF_SECONDS = 1.0
"""Least time left for the M-free proof of ``kkt-bigm`` to be tried."""


def _prove_by_sos1(program: BilevelProgram, z: np.ndarray, inv: BigMInverseData,
                   primal: list[BigM], dual: list[BigM],
                   deadline: Deadline) -> tuple[BackendResult, SOS1InverseData]:
    """SCIP on the SOS1 form of the KKT system, started from the Big-M point ``z``; the
    proven Ms bound the slack and multiplier columns (valid, they cut off no KKT point
    that matters: see :func:`with_proven_bounds`)."""
    from bilevel_mp.solvers.scip import solve_scip

    milp, sos_inv = SOS1Reformulation().apply(program)
    milp = _bounded(milp, sos_inv, [b.value if b.proven else np.inf for b in primal],
                    [b.value if b.proven else np.inf for b in dual])
    start = None
    if z.size:
        s = inv.slices
        x, y = z[s["x"]], z[s["y"]]
        slack = np.maximum(-np.asarray(program.evaluate(x, y)["g"], dtype=float), 0.0)
        start = np.concatenate([x, y, z[s["u"]], z[s["v"]], slack])
    return solve_scip(milp, deadline, start), sos_inv


@dataclass(frozen=True)
class SOS1Options(CheckedOptions):
    """Options of ``kkt-sos1`` (none yet besides the time limit of ``solve``)."""


def with_proven_bounds(milp: MILP, inv, data, program: BilevelProgram) -> MILP:
    """Column bounds on the slacks and multipliers where the bounding arguments of
    ``kkt-bigm`` prove them (valid inequalities: they tighten SCIP's relaxations and
    change no optimum)."""
    q = data.g.rows
    slack, _, _ = fbbt_bounds(data, program)
    dual = np.full(q, np.inf)
    if q <= LP_BOUND_MAX_ROWS:
        slack = np.minimum(slack, lp_slack_bounds(data, program))
        dual = lp_multiplier_bounds(data, program)
    return _bounded(milp, inv, slack, dual)


def _bounded(milp: MILP, inv: SOS1InverseData, slack, dual) -> MILP:
    """``milp`` with upper bounds ``slack`` on the slack columns and ``dual`` on the
    multiplier columns of the SOS1 form."""
    col_ub = milp.col_ub.copy()
    col_ub[inv.slices["s"]] = np.minimum(col_ub[inv.slices["s"]], slack)
    col_ub[inv.slices["u"]] = np.minimum(col_ub[inv.slices["u"]], dual)
    return replace(milp, col_ub=col_ub)


def sos1_accepts(program: BilevelProgram, structure: Structure, options: SOS1Options,
                 solver: str = BY_CAPABILITY) -> tuple[bool, str]:
    """Whether ``kkt-sos1`` applies: the SOS1 reformulation accepts the program, SCIP is
    installed, and the MILP back-end chosen (``solver``; ``""``: by capability) is SCIP,
    the one that takes SOS1 pairs."""
    ok, reason = SOS1Reformulation().accepts(program)
    if ok and not scip_available():
        return False, "SOS1 constraints need SCIP: pip install 'bilevel_mp[scip]'"
    if ok and solver not in (BY_CAPABILITY, "scip"):
        return False, (f"SOS1 constraints need SCIP; the MILP back-end {solver!r} does not "
                       "take them")
    return ok, reason


@on_normalized_program
def run_sos1(program: BilevelProgram, structure: Structure, options: SOS1Options,
             deadline: Deadline, solver: str = BY_CAPABILITY) -> MethodOutcome:
    """``kkt-sos1``: the linear KKT system with SOS1 complementarity, solved by SCIP.

    No M value enters, so SCIP's proof of optimality (or infeasibility) is a proof for the
    bilevel program: ``OPTIMAL`` / ``INFEASIBLE`` are reported as SCIP reports them.
    """
    ReformulationNotApplicable.unless(
        "kkt-sos1", sos1_accepts(program, structure, options, solver))
    reform = SOS1Reformulation()
    from bilevel_mp.solvers.scip import solve_scip

    t0 = time.perf_counter()
    data = linear_kkt_data(program)
    milp, inv = reform.apply(program)
    milp = with_proven_bounds(milp, inv, data, program)
    t_reform = time.perf_counter() - t0

    def stage(index: int, value: float) -> Stage:
        res = solve_scip(milp, deadline)
        return Stage(res.raw_status, res.iterations, res.solve_time, point=res, done=True,
                     log={"nodes": res.extra.get("nodes", 0),
                          "mip_gap": res.extra.get("mip_gap", np.nan)})

    run = run_stages("solve", "", [0.0], stage, Deadline())  # one solve, bounded inside
    res = run.kept
    solution = reform.invert(res.z, inv) if res.z.size else None
    stats = run.stats({"reformulate": t_reform, "solve": run.solve_time}, "kkt -> sos1")
    status, proof = exact_solve_outcome(res, "kkt-sos1: SCIP", data.F_scale)
    return MethodOutcome(status, res.raw_status, solution, stats, proof=proof)


def _unproven_ms(primal: list[BigM], dual: list[BigM], program: BilevelProgram) -> list[str]:
    """``"<row> (<primal|dual>: <source>)"`` for every M that is not proven."""
    return [f"{name} ({kind}: {b.describe()})"
            for name, p, d in zip(program.names["g"], primal, dual, strict=True)
            for kind, b in (("primal", p), ("dual", d)) if not b.proven]
