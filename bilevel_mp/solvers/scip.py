"""SCIP through PySCIPOpt for MIQPs and SOS1-constrained programs
(``pip install 'bilevel_mp[scip]'``)."""

from __future__ import annotations

import time

import numpy as np

from bilevel_mp.ir.milp import MILP
from bilevel_mp.solvers.base import BackendResult, Deadline, MILPBackend, mute_c_output
from bilevel_mp.status import TerminationStatus

SCIP_STATUS: dict[str, TerminationStatus] = {
    "optimal": TerminationStatus.OPTIMAL,
    "infeasible": TerminationStatus.INFEASIBLE,
    "unbounded": TerminationStatus.UNBOUNDED,
    "inforunbd": TerminationStatus.INFEASIBLE_OR_UNBOUNDED,
    "timelimit": TerminationStatus.TIME_LIMIT,
    "userinterrupt": TerminationStatus.TIME_LIMIT,
    "nodelimit": TerminationStatus.ITERATION_LIMIT,
    "totalnodelimit": TerminationStatus.ITERATION_LIMIT,
    "stallnodelimit": TerminationStatus.ITERATION_LIMIT,
    "gaplimit": TerminationStatus.ITERATION_LIMIT,
    "sollimit": TerminationStatus.ITERATION_LIMIT,
    "bestsollimit": TerminationStatus.ITERATION_LIMIT,
    "restartlimit": TerminationStatus.ITERATION_LIMIT,
    "primallimit": TerminationStatus.ITERATION_LIMIT,
    "duallimit": TerminationStatus.ITERATION_LIMIT,
    "memlimit": TerminationStatus.OTHER_ERROR,
    "unknown": TerminationStatus.OTHER_ERROR,
}
"""Every status PySCIPOpt's ``Model.getStatus`` returns (the members of ``SCIP_STATUS``,
lower case) -> :class:`TerminationStatus`; a test checks that none is missing.

``gaplimit`` and the other limits are ``ITERATION_LIMIT`` (work limits: the incumbent is
kept, nothing is proven); ``optimal``/``infeasible``/``unbounded``/``inforunbd`` are what
SCIP proved about *its* problem (see :data:`~bilevel_mp.solvers.highs.HIGHS_STATUS`)."""


def scip_termination(raw: str) -> TerminationStatus:
    """The termination of a SCIP run whose status (or ``"error: ..."`` from
    :func:`optimize`) is ``raw``: a SCIP error is ``NUMERICAL_ERROR`` (SCIP gives up with
    an exception on badly scaled relaxations); any other status comes from
    :data:`SCIP_STATUS`, ``OTHER_ERROR`` for a status it does not know; a note in
    parentheses after the status (``"timelimit (no finite lower bound after 0.5 s)"``)
    does not change it."""
    if raw.startswith("error"):
        return TerminationStatus.NUMERICAL_ERROR
    return SCIP_STATUS.get(raw.split(" (", 1)[0], TerminationStatus.OTHER_ERROR)


def optimize(model) -> str:
    """Run SCIP; its status, or ``"error: ..."`` when SCIP gives up with an exception
    (e.g. "error in LP solver" on badly scaled relaxations) — a status, not a crash."""
    try:
        with mute_c_output((1, 2)):  # SoPlex notes on tolerances bypass hideOutput()
            model.optimize()
    except Exception as exc:  # noqa: BLE001 (PySCIPOpt raises bare Exception)
        return f"error: {exc}"
    return model.getStatus()


def add_row(model, expr, lo: float, hi: float) -> str:
    """``lo <= expr <= hi`` as SCIP constraints (one equality when ``lo == hi``).

    Returns ``""``, or ``"error: ..."`` when SCIP rejects the row (a coefficient at or
    beyond its infinity, 1e20: "SCIP: error in input data!") — a status, not a crash.
    """
    lo, hi = float(lo), float(hi)
    try:
        if lo == hi:
            model.addCons(expr == lo)
        else:
            if np.isfinite(lo):
                model.addCons(expr >= lo)
            if np.isfinite(hi):
                model.addCons(expr <= hi)
    except Exception as exc:  # noqa: BLE001 (PySCIPOpt raises bare Exception)
        return f"error: {exc}"
    return ""


def rejected_input(raw_status: str) -> BackendResult:
    """The result of a solve SCIP refused to start (``raw_status`` says why)."""
    return BackendResult(status=TerminationStatus.INVALID_MODEL, raw_status=raw_status,
                         z=np.zeros(0), objective=np.nan, g=np.zeros(0), lam_g=np.zeros(0),
                         lam_z=np.zeros(0))


class ScipBackend(MILPBackend):
    """SCIP through PySCIPOpt (extra ``scip``): MILPs, MIQPs and SOS1 pairs."""

    name = "scip"
    capabilities = frozenset({"miqp", "sos1"})

    def available(self) -> tuple[bool, str]:
        """Whether PySCIPOpt is installed."""
        from bilevel_mp.solvers.scip_nlp import scip_available

        return scip_available(), "pip install 'bilevel_mp[scip]'"

    def solve(self, milp: MILP, deadline: Deadline | None = None,
              start: np.ndarray | None = None, options: dict | None = None) -> BackendResult:
        """:func:`solve_scip` (``options`` are HiGHS's and do not apply)."""
        return solve_scip(milp, deadline, start)


def solve_scip(problem: MILP, deadline: Deadline | None = None,
               start: np.ndarray | None = None) -> BackendResult:
    """Solve a MILP/MIQP with SCIP (the quadratic objective goes through an epigraph; the
    ``sos1`` pairs become SOS1 constraints).

    ``start``: a point offered to SCIP as its first incumbent (SCIP checks it and ignores
    it when infeasible); with a good incumbent the branch and bound prunes more.
    """
    import pyscipopt as scip

    model = scip.Model()
    model.hideOutput()
    remaining = (deadline or Deadline()).remaining()
    if np.isfinite(remaining):
        model.setParam("limits/time", max(float(remaining), 1e-3))
    z = [model.addVar(lb=None if np.isinf(lo) else lo, ub=None if np.isinf(hi) else hi,
                      vtype="I" if integer else "C")
         for lo, hi, integer in zip(problem.col_lb, problem.col_ub, problem.integer,
                                    strict=True)]
    A = problem.A.tocsr()
    for i in range(A.shape[0]):
        row = A.getrow(i)
        expr = scip.quicksum(float(v) * z[j] for j, v in zip(row.indices, row.data,
                                                             strict=True))
        rejected = add_row(model, expr, problem.row_lb[i], problem.row_ub[i])
        if rejected:
            return rejected_input(f"{rejected} (row {i})")
    for a, b in problem.sos1:
        model.addConsSOS1([z[a], z[b]])
    objective = scip.quicksum(float(c) * z[j] for j, c in enumerate(problem.c) if c)
    if problem.Q is not None and problem.Q.nnz:
        q = problem.Q.tocoo()
        epigraph = model.addVar(lb=None, ub=None)
        model.addCons(epigraph >= 0.5 * scip.quicksum(
            float(v) * z[i] * z[j] for i, j, v in zip(q.row, q.col, q.data, strict=True)))
        objective = objective + epigraph
    model.setObjective(objective + problem.c0, "minimize")
    if start is not None and (problem.Q is None or not problem.Q.nnz):
        sol = model.createSol()
        for var, value in zip(z, start, strict=True):
            model.setSolVal(sol, var, float(value))
        model.addSol(sol, free=True)  # checked by SCIP when solving starts
    t0 = time.perf_counter()
    raw = optimize(model)
    elapsed = time.perf_counter() - t0
    has_point = model.getNSols() > 0
    point = np.array([model.getVal(v) for v in z]) if has_point else np.zeros(0)
    return BackendResult(
        status=scip_termination(raw), raw_status=raw, z=point,
        objective=problem.objective(point) if has_point else np.nan, g=np.zeros(0),
        lam_g=np.zeros(0), lam_z=np.zeros(0), iterations=int(model.getNNodes()),
        solve_time=elapsed, extra={"nodes": int(model.getNNodes()),
                                   "mip_gap": float(model.getGap()),
                                   "mip_dual_bound": float(model.getDualbound())})
