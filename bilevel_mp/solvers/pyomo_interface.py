"""Pyomo models of :class:`~bilevel_mp.ir.milp.MILP` programs, solved by any Pyomo solver.

``kkt-bigm`` solves its MILPs with a Pyomo solver when ``solve(..., solver=NAME)`` names
one (``pyo.SolverFactory(NAME)``, e.g. ``"appsi_highs"``), and
:func:`bilevel_mp.reformulate` exports the Big-M and SOS1 programs through the same
translation. A program ``min c'z + ½ z'Qz + c0  s.t.  row_lb <= A z <= row_ub``,
``col_lb <= z <= col_ub``, integrality and SOS1 pairs becomes Pyomo variables, linear
constraints, a linear or quadratic objective and ``SOSConstraint`` components, with the
numbers of the program unchanged.

The columns and rows are grouped into named blocks (``Block``: a component name and the
index labels of its entries), so that a program reads as ``x[...]``, ``u[<row>]``,
``stationarity[<variable>]`` rather than ``z[17]``.
"""

from __future__ import annotations

import time
from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np
import pyomo.environ as pyo
import scipy.sparse as sp
from pyomo.common.errors import ApplicationError, PyomoException
from pyomo.core.expr.numvalue import native_numeric_types
from pyomo.opt import TerminationCondition

from bilevel_mp.errors import ModelError, OptionError, SolverUnavailable
from bilevel_mp.ir.milp import MILP
from bilevel_mp.solvers.base import BackendResult, Deadline, MILPBackend
from bilevel_mp.status import TerminationStatus

Block = tuple[str, tuple[Hashable, ...]]
"""A component name and the index labels of its entries, in program order."""

_TC = TerminationCondition

PYOMO_STATUS: dict[TerminationCondition, TerminationStatus] = {
    _TC.optimal: TerminationStatus.OPTIMAL,
    _TC.globallyOptimal: TerminationStatus.OPTIMAL,
    _TC.locallyOptimal: TerminationStatus.LOCALLY_SOLVED,
    _TC.feasible: TerminationStatus.ITERATION_LIMIT,
    _TC.maxTimeLimit: TerminationStatus.TIME_LIMIT,
    _TC.maxIterations: TerminationStatus.ITERATION_LIMIT,
    _TC.maxEvaluations: TerminationStatus.ITERATION_LIMIT,
    _TC.minFunctionValue: TerminationStatus.ITERATION_LIMIT,
    _TC.minStepLength: TerminationStatus.NUMERICAL_ERROR,
    _TC.intermediateNonInteger: TerminationStatus.ITERATION_LIMIT,
    _TC.infeasible: TerminationStatus.INFEASIBLE,
    _TC.unbounded: TerminationStatus.UNBOUNDED,
    _TC.infeasibleOrUnbounded: TerminationStatus.INFEASIBLE_OR_UNBOUNDED,
    _TC.invalidProblem: TerminationStatus.INVALID_MODEL,
    _TC.noSolution: TerminationStatus.OTHER_ERROR,
    _TC.solverFailure: TerminationStatus.NUMERICAL_ERROR,
    _TC.internalSolverError: TerminationStatus.NUMERICAL_ERROR,
    _TC.error: TerminationStatus.OTHER_ERROR,
    _TC.userInterrupt: TerminationStatus.TIME_LIMIT,
    _TC.resourceInterrupt: TerminationStatus.OTHER_ERROR,
    _TC.licensingProblems: TerminationStatus.OTHER_ERROR,
    _TC.other: TerminationStatus.OTHER_ERROR,
    _TC.unknown: TerminationStatus.OTHER_ERROR,
}
"""Every Pyomo ``TerminationCondition`` -> :class:`TerminationStatus` (a test checks that
each member has an entry; the raw text is kept next to it). ``optimal`` says what the
solver proved about *its* problem, as for :data:`~bilevel_mp.solvers.highs.HIGHS_STATUS`;
``feasible`` (a point, the solver stopped for another reason) is a work limit with the
incumbent kept."""


def check_pyomo_solver(name: str) -> None:
    """Whether ``pyo.SolverFactory(name)`` is a solver that can run here.

    Raises
    ------
    OptionError
        When Pyomo knows no solver called ``name``.
    SolverUnavailable
        When it knows it but it is not installed (e.g. no executable).
    """
    if name not in set(pyo.SolverFactory):
        raise OptionError(f"unknown solver {name!r}: neither a back-end of bilevel_mp (NLP: "
                          "ipopt, cyipopt; MILP: highs, scip) nor a solver Pyomo knows "
                          "(pyo.SolverFactory)")
    if not pyo.SolverFactory(name).available(exception_flag=False):
        raise SolverUnavailable(f"Pyomo solver {name!r} is not available here (its "
                                "executable or Python package is not installed)")


def index_labels(names: Sequence[str], key: str) -> tuple[Hashable, ...]:
    """Index labels of a block named ``key`` whose entries are called ``names``.

    A name ``"<key>[<label>]"`` gives ``<label>`` (an ``int`` when it is one), any other
    name is its own label: ``u[L.c]`` is ``u["L.c"]``, ``x[0]`` is ``x[0]``, ``L.y`` in
    the block ``y`` is ``y["L.y"]``. Positions ``0 .. k-1`` when the labels would repeat.
    """
    labels: list[Hashable] = []
    for name in names:
        label: Hashable = name
        if name.startswith(key + "[") and name.endswith("]"):
            label = name[len(key) + 1:-1]
            if label.isdigit():
                label = int(label)
        labels.append(label)
    return tuple(labels) if len(set(labels)) == len(labels) else tuple(range(len(labels)))


def _bound(value: float) -> float | None:
    return float(value) if np.isfinite(value) else None


def add_variables(model: pyo.Block, block: Block, lb: np.ndarray, ub: np.ndarray,
                  integer: np.ndarray, start: np.ndarray | None = None) -> list[Any]:
    """A variable component ``block[0]`` indexed by ``block[1]``; its entries in order.

    Integer entries with bounds 0 and 1 are ``Binary``, other integer ones ``Integers``.
    """
    name, labels = block
    if not labels:
        return []
    position = {label: i for i, label in enumerate(labels)}

    def domain(_, label):
        i = position[label]
        if not integer[i]:
            return pyo.Reals
        return pyo.Binary if lb[i] == 0 and ub[i] == 1 else pyo.Integers

    var = pyo.Var(list(labels), domain=domain,
                  bounds=lambda _, label: (_bound(lb[position[label]]),
                                           _bound(ub[position[label]])),
                  initialize=None if start is None else (
                      lambda _, label: float(start[position[label]])))
    model.add_component(name, var)
    return [var[label] for label in labels]


def add_rows(model: pyo.Block, block: Block, bodies: Sequence[Any], lb: np.ndarray,
             ub: np.ndarray) -> list[Any]:
    """Constraints ``lb <= body <= ub`` (an equality where ``lb == ub``) as the component
    ``block[0]`` indexed by ``block[1]``; its entries in order.

    A row whose body is a constant within its bounds is left out (``None`` in the list);
    one outside them is a :class:`ModelError`: the program is infeasible as written.
    """
    name, labels = block
    if not labels:
        return []
    position = {label: i for i, label in enumerate(labels)}
    for i, body in enumerate(bodies):
        if type(body) in native_numeric_types and not lb[i] <= body <= ub[i]:
            raise ModelError(f"row {name}[{labels[i]!r}] is the constant {body:g}, outside "
                             f"its bounds [{lb[i]:g}, {ub[i]:g}]: the program is infeasible")

    def rule(_, label):
        i = position[label]
        body = bodies[i]
        if type(body) in native_numeric_types:
            return pyo.Constraint.Skip
        if lb[i] == ub[i]:
            return body == float(lb[i])
        return (_bound(lb[i]), body, _bound(ub[i]))

    con = pyo.Constraint(list(labels), rule=rule)
    model.add_component(name, con)
    built = dict(con.items())
    return [built.get(label) for label in labels]


def linear_bodies(A: sp.spmatrix, columns: Sequence[Any]) -> list[Any]:
    """``A z`` row by row as Pyomo linear expressions (a row with no entry is ``0.0``)."""
    A = sp.csr_matrix(A)
    bodies: list[Any] = []
    for i in range(A.shape[0]):
        lo, hi = A.indptr[i], A.indptr[i + 1]
        terms = [float(a) * columns[j] for j, a in zip(A.indices[lo:hi], A.data[lo:hi],
                                                       strict=True) if a != 0]
        bodies.append(pyo.quicksum(terms) if terms else 0.0)
    return bodies


def milp_objective(milp: MILP, columns: Sequence[Any]) -> Any:
    """``c'z + ½ z'Qz + c0`` as a Pyomo expression."""
    terms = [float(c) * columns[j] for j, c in enumerate(milp.c) if c != 0]
    if milp.Q is not None and milp.Q.nnz:
        Q = sp.coo_matrix(milp.Q)
        terms += [0.5 * float(q) * columns[i] * columns[j]
                  for i, j, q in zip(Q.row, Q.col, Q.data, strict=True) if q != 0]
    return pyo.quicksum(terms) + float(milp.c0)


def milp_to_pyomo(milp: MILP, model: pyo.Block, columns: Sequence[Block],
                  rows: Sequence[Block], sos1: Block | None = None
                  ) -> tuple[list[Any], list[Any]]:
    """Add the variables, constraints and SOS1 pairs of ``milp`` to ``model``.

    ``columns`` and ``rows`` cover the program's columns and rows in order; ``sos1``
    names the component of the SOS1 pairs (one ``SOSConstraint`` per pair). Returns the
    variables and the constraints (``None`` for rows left out, see :func:`add_rows`), in
    program order. The objective is :func:`milp_objective`, added by the caller.
    """
    variables: list[Any] = []
    start = 0
    for block in columns:
        cols = slice(start, start + len(block[1]))
        variables += add_variables(model, block, milp.col_lb[cols], milp.col_ub[cols],
                                   milp.integer[cols])
        start = cols.stop
    if start != milp.n:
        raise ValueError(f"column blocks cover {start} of {milp.n} columns")
    bodies = linear_bodies(milp.A, variables)
    constraints: list[Any] = []
    start = 0
    for block in rows:
        part = slice(start, start + len(block[1]))
        constraints += add_rows(model, block, bodies[part], milp.row_lb[part],
                                milp.row_ub[part])
        start = part.stop
    if start != milp.A.shape[0]:
        raise ValueError(f"row blocks cover {start} of {milp.A.shape[0]} rows")
    if milp.sos1:
        name, labels = sos1 or ("sos1", tuple(range(len(milp.sos1))))
        pairs = dict(zip(labels, milp.sos1, strict=True))
        model.add_component(name, pyo.SOSConstraint(
            list(labels), rule=lambda _, label: [variables[j] for j in pairs[label]], sos=1))
    return variables, constraints


class PyomoMILPBackend(MILPBackend):
    """Any MILP solver Pyomo knows (``pyo.SolverFactory(name)``, e.g. ``"appsi_highs"``,
    ``"gurobi"``): MIQPs when the solver takes them (one that does not reports
    ``OTHER_ERROR``); no SOS1 pairs, no start point."""

    capabilities = frozenset({"miqp"})

    def __init__(self, name: str) -> None:
        self.name = name

    def available(self) -> tuple[bool, str]:
        """Whether Pyomo knows the solver and finds it installed (:func:`check_pyomo_solver`)."""
        try:
            check_pyomo_solver(self.name)
        except (OptionError, SolverUnavailable) as exc:
            return False, str(exc)
        return True, ""

    def solve(self, milp: MILP, deadline: Deadline | None = None,
              start: np.ndarray | None = None, options: dict | None = None) -> BackendResult:
        """:func:`solve_milp_pyomo` (``options`` go to a HiGHS solver only)."""
        return solve_milp_pyomo(milp, self.name, deadline,
                                options if "highs" in self.name else None)


def solve_milp_pyomo(milp: MILP, solver: str, deadline: Deadline | None = None,
                     options: dict | None = None) -> BackendResult:
    """Solve ``milp`` with ``pyo.SolverFactory(solver)``.

    The time left before ``deadline`` is passed as the solver's ``timelimit``;
    ``options`` are the solver's own options. ``extra["mip_dual_bound"]`` is the lower
    bound the solver reports (``nan`` when none). A solver that raises (an MIQP given
    to a MILP solver, a failed executable) gives ``OTHER_ERROR`` with the message as raw
    status (appsi's ``DegreeError`` is a ``PyomoException``). No start point is passed
    (warm starts differ between Pyomo's interfaces).
    """
    model = pyo.ConcreteModel()
    z, _ = milp_to_pyomo(milp, model, [("z", tuple(range(milp.n)))],
                         [("rows", tuple(range(milp.A.shape[0])))])
    model.objective = pyo.Objective(expr=milp_objective(milp, z))
    remaining = (deadline or Deadline()).remaining()
    kwargs: dict[str, Any] = {"load_solutions": False}
    if np.isfinite(remaining):
        kwargs["timelimit"] = max(float(remaining), 1e-3)
    if options:
        kwargs["options"] = dict(options)
    t0 = time.perf_counter()
    try:
        results = pyo.SolverFactory(solver).solve(model, **kwargs)
    except (ApplicationError, PyomoException, RuntimeError, ValueError,
            NotImplementedError) as exc:
        return BackendResult(TerminationStatus.OTHER_ERROR, f"error: {exc}", np.zeros(0),
                             np.nan, np.zeros(0), np.zeros(0), np.zeros(0),
                             solve_time=time.perf_counter() - t0)
    elapsed = time.perf_counter() - t0
    condition = results.solver.termination_condition
    status = PYOMO_STATUS.get(condition, TerminationStatus.OTHER_ERROR)
    point, objective = np.zeros(0), np.nan
    if len(results.solution) and status.has_point:
        model.solutions.load_from(results)
        # a column in no row and not in the objective is left unset by some solvers: any
        # value within its bounds is optimal, the one nearest 0 is taken
        point = np.array([float(v.value) if v.value is not None else float(
            np.clip(0.0, milp.col_lb[j], milp.col_ub[j])) for j, v in enumerate(z)])
        objective = float(pyo.value(model.objective))
    bound = results.problem.lower_bound
    return BackendResult(
        status=status, raw_status=f"{solver}: {condition}", z=point, objective=objective,
        g=np.zeros(0), lam_g=np.zeros(0), lam_z=np.zeros(0), solve_time=elapsed,
        extra={"mip_dual_bound": float(bound) if bound is not None and np.isfinite(
            float(bound)) else np.nan})
