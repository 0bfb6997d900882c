"""Driver of ``kkt-bigm``: prove M values, solve the MILP, enlarge unproven Ms that bind.

0. Infer the primal Ms (:func:`~bilevel_mp.reformulations.bigm_bounds.infer_primal_ms`).
   When the lower level is an LP and all of them are proven, no dual M is needed: the
   direction-cut loop of :mod:`bilevel_mp.methods.bigm_cuts` solves the program (option
   ``dual="cuts"``, the default) and the steps below do not run.
1. Infer every dual M with its source
   (:func:`~bilevel_mp.reformulations.bigm_bounds.infer_dual_ms`).
2. Solve the Big-M MILP (:mod:`bilevel_mp.reformulations.bigm`) with HiGHS; an upper-level
   objective with a quadratic term makes it an MIQP, solved by SCIP when PySCIPOpt is
   installed (extra ``scip``).
3. If a complementarity pair of the solution sits at an M that is not proven (user value
   or default), that M may have cut off better points: warn, multiply it by
   ``enlarge_factor`` and solve again, at most ``max_enlargements`` times.
4. ``OPTIMAL`` only when the solver proved optimality and every M is proven. When some M
   is not proven (defaults, user values) and SCIP is installed, the remaining time goes to
   an M-free proof: the SOS1 form of the same KKT system (as in ``kkt-sos1``) is solved by
   SCIP with the MILP's point as first incumbent. If SCIP proves it optimal (or proves
   the program infeasible), that is reported as ``OPTIMAL`` (``INFEASIBLE``); otherwise
   the result says which M values are not proven and where the proof stopped.
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass, field, replace

import numpy as np

from bilevel_mp.errors import BilevelWarning, OptionError, ReformulationNotApplicable
from bilevel_mp.ir.milp import MILP
from bilevel_mp.ir.program import BilevelProgram
from bilevel_mp.ir.structure import Structure
from bilevel_mp.methods.bigm_cuts import run_direction_cuts
from bilevel_mp.methods.homotopy import MethodOutcome
from bilevel_mp.reformulations.bigm import (
    BigM,
    BigMInverseData,
    BigMReformulation,
    SOS1InverseData,
    build_sos1_program,
    linear_kkt_data,
    linear_kkt_reason,
    read_kkt_point,
)
from bilevel_mp.reformulations.bigm_bounds import (
    LP_BOUND_MAX_ROWS,
    fbbt_bounds,
    infer_dual_ms,
    infer_primal_ms,
    lp_multiplier_bounds,
    lp_slack_bounds,
)
from bilevel_mp.reformulations.bigm_cuts import has_lp_lower_level
from bilevel_mp.solvers.base import BackendResult, Deadline
from bilevel_mp.solvers.highs import solve_highs
from bilevel_mp.solvers.scip_nlp import scip_available
from bilevel_mp.status import TerminationStatus

DUAL_SIDES = ("cuts", "big-m")
"""Values of ``BigMOptions.dual``."""


@dataclass(frozen=True)
class BigMOptions:
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
        (:func:`~bilevel_mp.reformulations.bigm_cuts.lookahead_cuts`); 0 turns this off.
    highs_options
        HiGHS options. The defaults ask for tight gaps and LP feasibility tolerances
        (1e-9): with HiGHS's own 1e-6 a point can sit where the lower level is feasible
        only within 1e-6, and the verification then finds it infeasible. The MIP
        feasibility tolerance is 1e-7: at 1e-9 HiGHS 1.16 returned a wrong "optimal"
        value on a 7-row instance (found by the enumeration property test, seed 2250).
    """

    default_big_m: float = 1e4
    lp_bounds: bool = True
    max_enlargements: int = 3
    enlarge_factor: float = 10.0
    binding_tol: float = 1e-6
    sos1_proof: bool = True
    dual: str = "cuts"
    cuts_per_round: int = 20
    lookahead_rows: int = 20
    highs_options: dict = field(default_factory=lambda: {
        "mip_rel_gap": 1e-9, "mip_abs_gap": 1e-9, "mip_feasibility_tolerance": 1e-7,
        "primal_feasibility_tolerance": 1e-9, "dual_feasibility_tolerance": 1e-9})


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


def run_bigm(program: BilevelProgram, structure: Structure, options: BigMOptions,
             deadline: Deadline, solver: str = "highs") -> MethodOutcome:
    """Run ``kkt-bigm`` (see the module docstring)."""
    if options.dual not in DUAL_SIDES:
        raise OptionError(f"dual must be one of {DUAL_SIDES}, not {options.dual!r}")
    reason = linear_kkt_reason(program)
    if reason:
        raise ReformulationNotApplicable("kkt-bigm", reason)
    t0 = time.perf_counter()
    data = linear_kkt_data(program)
    if not data.F_is_linear and not scip_available():
        raise ReformulationNotApplicable(
            "kkt-bigm", "the upper-level objective is quadratic, so the Big-M problem is an "
            "MIQP, which HiGHS does not solve; install SCIP with "
            "pip install 'bilevel_mp[scip]'")
    bounds = infer_primal_ms(data, program, options.default_big_m, options.lp_bounds)
    if options.dual == "cuts" and has_lp_lower_level(data) and bounds.proven:
        t_bounds = time.perf_counter() - t0
        saving = replace(options, highs_options=_master_options(
            options.highs_options, int(np.sum(bounds.can_be_active))))
        return _with_bigm_stats(run_direction_cuts(
            program, data, bounds.ms, bounds.can_be_active, deadline, options.cuts_per_round,
            options.lookahead_rows,
            lambda milp, dl, start: _solve_milp(milp, dl, saving, start)),
            program, bounds.ms, None, t_bounds)
    primal = bounds.ms
    dual = infer_dual_ms(data, program, options.default_big_m, bounds, options.lp_bounds)
    t_bounds = time.perf_counter() - t0
    solve_time, rounds, history = 0.0, 0, []
    while True:
        reform = BigMReformulation(primal, dual)
        milp, inv = reform.apply(program)
        res = _solve_milp(milp, deadline, options)
        solve_time += res.solve_time
        history.append({"status": res.raw_status, "nodes": res.extra.get("nodes", 0),
                        "mip_gap": res.extra.get("mip_gap", np.nan)})
        if not res.z.size or rounds >= options.max_enlargements:
            break
        at_p, at_d = _binding_unproven(res.z, program, inv, options.binding_tol)
        if not (at_p or at_d):
            break
        names = [program.names["g"][i] for i in sorted(set(at_p) | set(at_d))]
        warnings.warn(f"kkt-bigm: unproven Big-M values bind at the solution for "
                      f"{', '.join(names[:5])}; enlarging them by {options.enlarge_factor:g} "
                      "and solving again", BilevelWarning, stacklevel=3)
        primal = [replace(b, value=b.value * options.enlarge_factor,
                          source=f"enlarged {b.source}") if i in at_p else b
                  for i, b in enumerate(primal)]
        dual = [replace(b, value=b.value * options.enlarge_factor,
                        source=f"enlarged {b.source}") if i in at_d else b
                for i, b in enumerate(dual)]
        rounds += 1
    status, message = _status(res, primal, dual, program)
    solution = reform.invert(res.z, inv) if res.z.size else None
    if (status in (TerminationStatus.LOCALLY_SOLVED, TerminationStatus.LOCALLY_INFEASIBLE)
            and options.sos1_proof and scip_available()
            and deadline.remaining() >= MIN_PROOF_SECONDS):
        proof, proof_inv = _prove_by_sos1(program, data, res.z, inv, primal, dual, deadline)
        solve_time += proof.solve_time
        history.append({"status": f"sos1 proof: {proof.raw_status}",
                        "nodes": proof.extra.get("nodes", 0),
                        "mip_gap": proof.extra.get("mip_gap", np.nan)})
        if proof.status in (TerminationStatus.OPTIMAL, TerminationStatus.INFEASIBLE):
            status = proof.status
            message = (f"{message}; {proof.status.name.lower()} proven without M values by "
                       "SCIP's SOS1 branch and bound")
        else:
            message += (f"; the M-free SOS1 proof stopped ({proof.raw_status}, gap "
                        f"{proof.extra.get('mip_gap', np.nan):.3g})")
        better = proof.z.size and (not res.z.size or proof.objective < res.objective)
        if proof.status is TerminationStatus.OPTIMAL or better:
            solution = read_kkt_point(proof.z, proof_inv.slices)
        elif proof.status is TerminationStatus.INFEASIBLE:
            solution = None
    stats = {"time": {"solve": solve_time}, "iterations": res.iterations,
             "stages": history, "chain": "kkt -> bigm"}
    return _with_bigm_stats(MethodOutcome(status, res.raw_status, solution, stats, message),
                            program, primal, dual, t_bounds)


def _with_bigm_stats(outcome: MethodOutcome, program: BilevelProgram, primal: list[BigM],
                     dual: list[BigM] | None, t_bounds: float) -> MethodOutcome:
    """Record every M with its source (dual: ``None``, "not used", with direction cuts)
    and the bounding time."""
    outcome.stats["time"]["reformulate"] = t_bounds
    unused = (None, "not used (direction cuts)")
    outcome.stats["big_m"] = {
        name: {"primal": (p.value, p.source),
               "dual": (d.value, d.source) if dual else unused}
        for name, p, d in zip(program.names["g"], primal, dual or primal, strict=True)}
    return outcome


MIN_PROOF_SECONDS = 1.0
"""Least time left for the M-free proof of ``kkt-bigm`` to be tried."""


def _prove_by_sos1(program: BilevelProgram, data, z: np.ndarray, inv: BigMInverseData,
                   primal: list[BigM], dual: list[BigM],
                   deadline: Deadline) -> tuple[BackendResult, SOS1InverseData]:
    """SCIP on the SOS1 form of the KKT system, started from the Big-M point ``z``; the
    proven Ms bound the slack and multiplier columns (valid, they cut off no KKT point
    that matters: see :func:`_with_proven_bounds`)."""
    from bilevel_mp.solvers.scip import solve_scip

    milp, sos_inv = build_sos1_program(data, program)
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
class SOS1Options:
    """Options of ``kkt-sos1`` (none yet besides the time limit of ``solve``)."""


def _with_proven_bounds(milp: MILP, inv, data, program: BilevelProgram) -> MILP:
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


def run_sos1(program: BilevelProgram, structure: Structure, options: SOS1Options,
             deadline: Deadline, solver: str = "scip") -> MethodOutcome:
    """``kkt-sos1``: the linear KKT system with SOS1 complementarity, solved by SCIP.

    No M value enters, so SCIP's proof of optimality (or infeasibility) is a proof for the
    bilevel program: ``OPTIMAL`` / ``INFEASIBLE`` are reported as SCIP reports them.
    """
    reason = linear_kkt_reason(program)
    if reason:
        raise ReformulationNotApplicable("kkt-sos1", reason)
    if not scip_available():
        raise ReformulationNotApplicable(
            "kkt-sos1", "SOS1 constraints need SCIP: pip install 'bilevel_mp[scip]'")
    from bilevel_mp.solvers.scip import solve_scip

    t0 = time.perf_counter()
    data = linear_kkt_data(program)
    milp, inv = build_sos1_program(data, program)
    milp = _with_proven_bounds(milp, inv, data, program)
    t_reform = time.perf_counter() - t0
    res = solve_scip(milp, deadline)
    solution = read_kkt_point(res.z, inv.slices) if res.z.size else None
    stats = {"time": {"reformulate": t_reform, "solve": res.solve_time},
             "iterations": res.iterations, "chain": "kkt -> sos1",
             "stages": [{"status": res.raw_status, "nodes": res.extra.get("nodes", 0),
                         "mip_gap": res.extra.get("mip_gap", np.nan)}]}
    return MethodOutcome(res.status, res.raw_status, solution, stats)


def _status(res: BackendResult, primal: list[BigM], dual: list[BigM],
            program: BilevelProgram) -> tuple[TerminationStatus, str]:
    unproven = [f"{name} ({kind}: {b.source})"
                for name, p, d in zip(program.names["g"], primal, dual, strict=True)
                for kind, b in (("primal", p), ("dual", d)) if not b.proven]
    if not unproven:
        return res.status, ""
    note = (f"{len(unproven)} Big-M value(s) not proven: {', '.join(unproven[:6])}"
            f"{', ...' if len(unproven) > 6 else ''}")
    if res.status is TerminationStatus.OPTIMAL:
        return TerminationStatus.LOCALLY_SOLVED, "MILP solved to optimality, but " + note
    if res.status is TerminationStatus.INFEASIBLE:
        return TerminationStatus.LOCALLY_INFEASIBLE, "MILP infeasible, but " + note
    return res.status, note
