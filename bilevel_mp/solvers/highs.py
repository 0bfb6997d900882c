"""HiGHS (highspy) for LPs, convex QPs and MILPs given as :class:`~bilevel_mp.ir.milp.MILP`."""

from __future__ import annotations

import time

import highspy
import numpy as np
import scipy.sparse as sp

from bilevel_mp.ir.milp import MILP
from bilevel_mp.solvers.base import (
    BackendResult,
    Deadline,
    MILPBackend,
    all_deadlines_ended,
    mute_c_output,
)
from bilevel_mp.status import TerminationStatus

_MS = highspy.HighsModelStatus

HIGHS_STATUS: dict[highspy.HighsModelStatus, TerminationStatus] = {
    _MS.kOptimal: TerminationStatus.OPTIMAL,
    _MS.kInfeasible: TerminationStatus.INFEASIBLE,
    _MS.kUnboundedOrInfeasible: TerminationStatus.INFEASIBLE_OR_UNBOUNDED,
    _MS.kUnbounded: TerminationStatus.UNBOUNDED,
    _MS.kTimeLimit: TerminationStatus.TIME_LIMIT,
    _MS.kIterationLimit: TerminationStatus.ITERATION_LIMIT,
    _MS.kSolutionLimit: TerminationStatus.ITERATION_LIMIT,
    _MS.kObjectiveBound: TerminationStatus.ITERATION_LIMIT,
    _MS.kObjectiveTarget: TerminationStatus.ITERATION_LIMIT,
    _MS.kInterrupt: TerminationStatus.TIME_LIMIT,
    _MS.kHighsInterrupt: TerminationStatus.TIME_LIMIT,
    _MS.kMemoryLimit: TerminationStatus.OTHER_ERROR,
    _MS.kModelEmpty: TerminationStatus.INVALID_MODEL,
    _MS.kLoadError: TerminationStatus.INVALID_MODEL,
    _MS.kModelError: TerminationStatus.INVALID_MODEL,
    _MS.kPresolveError: TerminationStatus.NUMERICAL_ERROR,
    _MS.kSolveError: TerminationStatus.NUMERICAL_ERROR,
    _MS.kPostsolveError: TerminationStatus.NUMERICAL_ERROR,
    _MS.kNotset: TerminationStatus.OTHER_ERROR,
    _MS.kUnknown: TerminationStatus.OTHER_ERROR,
}
"""Every ``HighsModelStatus`` -> :class:`TerminationStatus` (a test checks that each member
has an entry; the raw text is kept next to it).

``OPTIMAL``, ``INFEASIBLE``, ``UNBOUNDED`` and ``INFEASIBLE_OR_UNBOUNDED`` say what HiGHS
proved about *its* problem; whether that proves anything about a bilevel program is
decided by the method (e.g. Big-M values proven), which then attaches a
:class:`~bilevel_mp.status.Proof`. The stops at a limit we never set (solution count,
objective bound or target) are ``ITERATION_LIMIT``: a work limit, the incumbent kept."""

INF = highspy.kHighsInf


with mute_c_output():  # HiGHS prints its banner at the first construction in a process,
    highspy.Highs()    # before any option can switch output off


def highs_bounds(a: np.ndarray) -> np.ndarray:
    """Bounds as HiGHS takes them: infinite entries become ``±INF`` (its ``kHighsInf``)."""
    return np.where(np.isfinite(a), a, np.where(a > 0, INF, -INF))


def build_highs(problem: MILP, options: dict | None = None) -> highspy.Highs:
    """A silent ``Highs`` instance holding ``problem``.

    Raises
    ------
    ValueError
        When ``problem`` has SOS1 constraints (HiGHS has none; use SCIP).
    """
    if problem.sos1:
        raise ValueError("HiGHS does not take SOS1 constraints; solve with SCIP")
    a = sp.csc_matrix(problem.A)
    lp = highspy.HighsLp()
    lp.num_col_ = problem.n
    lp.num_row_ = a.shape[0]
    lp.col_cost_ = problem.c
    lp.offset_ = problem.c0
    lp.col_lower_ = highs_bounds(problem.col_lb)
    lp.col_upper_ = highs_bounds(problem.col_ub)
    lp.row_lower_ = highs_bounds(problem.row_lb)
    lp.row_upper_ = highs_bounds(problem.row_ub)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = a.indptr
    lp.a_matrix_.index_ = a.indices
    lp.a_matrix_.value_ = a.data
    lp.a_matrix_.num_col_ = problem.n
    lp.a_matrix_.num_row_ = a.shape[0]
    if np.any(problem.integer):
        lp.integrality_ = [highspy.HighsVarType.kInteger if i else
                           highspy.HighsVarType.kContinuous for i in problem.integer]
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    for key, value in (options or {}).items():
        h.setOptionValue(key, value)
    h.passModel(lp)
    if problem.Q is not None and problem.Q.nnz:
        lower = sp.tril(sp.csc_matrix(problem.Q)).tocsc()
        hess = highspy.HighsHessian()
        hess.dim_ = problem.n
        hess.format_ = highspy.HessianFormat.kTriangular
        hess.start_ = lower.indptr
        hess.index_ = lower.indices
        hess.value_ = lower.data
        h.passHessian(hess)
    return h


def rerun(h: highspy.Highs) -> np.ndarray | None:
    """Solve ``h`` again (after bound or cost changes: simplex warm-starts from the last
    basis); its point, or ``None`` when HiGHS does not report it optimal."""
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    return np.asarray(h.getSolution().col_value, dtype=float)


class HighsBackend(MILPBackend):
    """HiGHS through highspy: MILPs (no quadratic objective with integers, no SOS1)."""

    name = "highs"

    def available(self) -> tuple[bool, str]:
        """HiGHS is a dependency of bilevel_mp: always available."""
        return True, ""

    def solve(self, milp: MILP, deadline: Deadline | None = None,
              start: np.ndarray | None = None, options: dict | None = None) -> BackendResult:
        """:func:`solve_highs`."""
        return solve_highs(milp, deadline, options, start)


def _interrupt_when_wrapped_up(kind, message, data_out, data_in, user_data) -> None:
    if all_deadlines_ended():
        data_in.user_interrupt = True


def solve_highs(problem: MILP, deadline: Deadline | None = None,
                options: dict | None = None, start: np.ndarray | None = None) -> BackendResult:
    """Solve with HiGHS; the point is the incumbent when HiGHS stops early with one.

    ``start``: a point offered to HiGHS as its first incumbent (HiGHS checks it and
    ignores it when infeasible). With the option ``mip_improving_solution_save``, the
    improving solutions HiGHS found on its way are returned in ``extra["improving"]``.
    """
    opts = dict(options or {})
    remaining = (deadline or Deadline()).remaining()
    if np.isfinite(remaining):
        opts["time_limit"] = max(float(remaining), 1e-3)
    h = build_highs(problem, opts)
    if start is not None:
        sol = highspy.HighsSolution()
        sol.col_value = [float(v) for v in start]
        sol.value_valid = True
        h.setSolution(sol)
    if np.any(problem.integer):
        # the branch and bound stops when the process is asked to wrap up
        # (:func:`~bilevel_mp.solvers.base.end_all_deadlines`), not only at its time limit
        h.setCallback(_interrupt_when_wrapped_up, None)
        h.startCallback(highspy.cb.HighsCallbackType.kCallbackMipInterrupt)
    t0 = time.perf_counter()
    h.run()
    elapsed = time.perf_counter() - t0
    status = h.getModelStatus()
    info = h.getInfo()
    has_point = info.primal_solution_status == highspy.SolutionStatus.kSolutionStatusFeasible
    z = np.asarray(h.getSolution().col_value, dtype=float) if has_point else np.zeros(0)
    mapped = HIGHS_STATUS[status]
    extra = {"mip_gap": float(info.mip_gap), "mip_dual_bound": float(info.mip_dual_bound),
             "nodes": int(max(info.mip_node_count, 0))}
    if opts.get("mip_improving_solution_save"):
        extra["improving"] = [np.asarray(s.col_value, dtype=float)
                              for s in h.getSavedMipSolutions()]
    return BackendResult(
        status=mapped, raw_status=h.modelStatusToString(status), z=z,
        objective=float(info.objective_function_value) if has_point else np.nan,
        g=np.zeros(0), lam_g=np.zeros(0), lam_z=np.zeros(0),
        iterations=int(max(info.simplex_iteration_count, 0)), solve_time=elapsed,
        extra=extra,
    )
