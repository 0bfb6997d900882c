"""Driver of the KKT family: reformulate, then move the handling's parameter.

For a relaxation (parameter ``t``) or a smoothed NCP function (``mu``) the parameter
starts at ``start`` (default 1) and is multiplied by ``factor`` (default 0.1) after each
stage; for partial penalization (``lambda``) it starts at 1 and is multiplied by 10. Each
stage is warm-started from the previous stage's primal point and multipliers, on the same
compiled solver (the parameter is an NLP parameter). The driver stops as soon as a stage
ends with the complementarity residual ``max_i max(|a_i b_i|, -a_i, -b_i) <= comp_tol``,
or after ``max_stages`` stages, or at the deadline (returning the best point so far).
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass, field

import numpy as np

from bilevel_mp.errors import ConvexityWarning, ReformulationNotApplicable
from bilevel_mp.ir.nlp import MPCC
from bilevel_mp.ir.program import BilevelProgram
from bilevel_mp.ir.structure import Structure
from bilevel_mp.methods.driver import Stage, geometric, run_stages
from bilevel_mp.options import CheckedOptions
from bilevel_mp.reformulations.base import BilevelSolution, Chain, ChainInverseData
from bilevel_mp.reformulations.complementarity import HANDLINGS, ComplementarityHandling
from bilevel_mp.reformulations.kkt import KKTReformulation
from bilevel_mp.result import MethodStats
from bilevel_mp.solvers.base import BackendResult, Deadline
from bilevel_mp.solvers.registry import get_backend
from bilevel_mp.status import Proof, TerminationStatus


@dataclass(frozen=True)
class KKTOptions(CheckedOptions):
    """Options of the KKT methods.

    Attributes
    ----------
    start
        First value of the handling's parameter (t, μ or λ); default 1.
    factor
        Multiplier between stages; default 0.1 for t and μ, 10 for λ.
    max_stages
        Largest number of solves in the homotopy.
    comp_tol
        Complementarity residual ``max_i max(|u_i g_i|, -u_i, g_i)`` at which to stop.
    ipopt_options
        IPOPT options overriding the defaults (e.g. ``{"max_iter": 500}``).
    """

    start: float = 1.0
    factor: float | None = None
    max_stages: int = 12
    comp_tol: float = 1e-7
    ipopt_options: dict = field(default_factory=dict)


@dataclass
class MethodOutcome:
    """What a driver hands back before verification.

    ``status`` is the method's termination, set here once and never rewritten; ``proof``
    is what the method proved (``None`` for local methods), which the verification may
    still drop (:func:`bilevel_mp.api.solve`).
    """

    status: TerminationStatus
    raw_status: str
    solution: BilevelSolution | None
    stats: MethodStats
    message: str = ""
    mpcc: MPCC | None = None
    z: np.ndarray | None = None
    proof: Proof | None = None


def _termination(stop: TerminationStatus | None, last: BackendResult | None, raw: str,
                 residual: float, comp_tol: float,
                 n_stages: int) -> tuple[TerminationStatus, str, str]:
    """The homotopy's termination, raw status and message, decided once after the loop.

    A stop at the deadline or at a failed first stage is the termination (with the raw
    status of that moment). Otherwise the kept stage decides: its own status
    (``LOCALLY_SOLVED`` or ``ALMOST_LOCALLY_SOLVED``) when its complementarity residual is
    within ``comp_tol``, else ``ITERATION_LIMIT`` (the stages ran out first).
    """
    if stop is not None:
        return stop, raw, ""
    if last is None:
        return TerminationStatus.OTHER_ERROR, raw, ""
    if residual > comp_tol:
        return TerminationStatus.ITERATION_LIMIT, last.raw_status, (
            f"complementarity residual {residual:.3g} above comp_tol {comp_tol:g} after "
            f"{n_stages} stage(s)")
    return last.status, last.raw_status, ""


def complementarity_residual(mpcc: MPCC, z: np.ndarray) -> float:
    """``max_i max(|a_i b_i|, -a_i, -b_i)`` over the pairs (0 when there are none)."""
    if mpcc.n_pairs == 0:
        return 0.0
    a, b = z[mpcc.pairs_a], z[mpcc.pairs_b]
    return float(np.max(np.maximum(np.abs(a * b), np.maximum(-a, -b))))


def _upper_objective(program: BilevelProgram, chain: Chain, inverse: ChainInverseData,
                     z: np.ndarray) -> float:
    """``F`` (the user's sense) at the point of the single-level solution ``z``."""
    solution = chain.invert(z, inverse)
    return program.F_sign * float(program.evaluate(solution.x, solution.y)["F"])


@dataclass
class _HomotopyState:
    """What the stages of :func:`run_kkt` carry from one to the next."""

    z: np.ndarray
    last: BackendResult | None = None  # the last stage that solved (warm start, status)
    stop: TerminationStatus | None = None  # a stop that decides the termination by itself
    raw: str = ""
    failures: int = 0  # consecutive stages that did not solve
    residual: float = np.inf  # complementarity residual of the kept point
    kept: bool = False


def kkt_chain(handling: str) -> Chain:
    """The KKT reformulation followed by the complementarity handling ``handling`` (a key
    of :data:`~bilevel_mp.reformulations.complementarity.HANDLINGS`)."""
    return Chain(KKTReformulation(), ComplementarityHandling(handling))


def run_kkt(
    program: BilevelProgram,
    structure: Structure,
    handling: str,
    options: KKTOptions,
    deadline: Deadline,
    solver: str = "ipopt",
) -> MethodOutcome:
    """Run the KKT reformulation with the complementarity handling ``handling``.

    Raises
    ------
    ReformulationNotApplicable
        When the lower level has integer variables.
    """
    chain = kkt_chain(handling)
    ReformulationNotApplicable.unless("kkt", chain.accepts(program))
    if not structure.ll_convex:
        warnings.warn(
            f"lower level not proven convex ({structure.ll_reason}): KKT points may not be "
            "lower-level optimal; the verification of the result tells",
            ConvexityWarning, stacklevel=4,
        )
    t0 = time.perf_counter()
    nlp, inverse = chain.apply(program)
    mpcc = inverse.sources[1]
    t_reform = time.perf_counter() - t0
    compiled = get_backend(solver).build(nlp, options.ipopt_options)
    spec = HANDLINGS[handling]
    factor = options.factor or (10.0 if spec.parameter == "lambda" else 0.1)
    schedule = geometric(options.start, factor, 1 if spec.parameter is None
                         else options.max_stages)
    state = _HomotopyState(nlp.z0)

    def stage(index: int, value: float) -> Stage:
        p = nlp.params(**{spec.parameter: value}) if spec.parameter else nlp.p_values
        last = state.last
        res = compiled.solve(p, state.z, None if last is None else last.lam_g,
                             None if last is None else last.lam_z, deadline,
                             warm=last is not None)
        state.raw = res.raw_status
        point = None
        if res.status.is_local_solution:
            state.last, state.z, state.failures = res, res.z, 0
            state.residual = complementarity_residual(mpcc, res.z)
            point = res.z
        else:
            state.failures += 1
        done = False
        if res.status is TerminationStatus.TIME_LIMIT:
            state.stop, done = TerminationStatus.TIME_LIMIT, True
            if not state.kept and res.z.size:
                point = res.z
        elif not state.kept and point is None and index == 0:
            state.stop, done = res.status, True
            point = res.z if res.status.has_point else None
        state.kept = state.kept or point is not None
        done = done or (state.kept and state.residual <= options.comp_tol) \
            or state.failures >= 2
        return Stage(res.raw_status, res.iterations, res.solve_time,
                     residual=complementarity_residual(mpcc, res.z),
                     F=_upper_objective(program, chain, inverse, res.z), point=point,
                     done=done)

    run = run_stages("stage", spec.parameter or "", schedule, stage, deadline)
    if run.timed_out:
        state.stop, state.raw = TerminationStatus.TIME_LIMIT, "time limit before stage"
    status, raw, message = _termination(state.stop, state.last, state.raw, state.residual,
                                        options.comp_tol, len(run.stages))
    stats = run.stats({"reformulate": t_reform, "setup": compiled.build_time,
                       "solve": run.solve_time}, chain.name,
                      complementarity_residual=state.residual)
    best_z = run.kept
    solution = None
    if best_z is not None:
        solution = chain.invert(best_z, inverse)
    return MethodOutcome(status, raw, solution, stats, message, mpcc, best_z)
