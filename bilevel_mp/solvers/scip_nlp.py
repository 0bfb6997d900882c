"""Global solves of (small) nonconvex NLPs with SCIP's spatial branch and bound.

CasADi expressions are translated node by node into PySCIPOpt expressions (the DAG is
walked once, shared subexpressions are translated once). SCIP expresses sums, products,
quotients, constant powers, ``sqrt``, ``exp``, ``log``, ``sin``, ``cos`` and ``abs``;
anything else (``fmax``, ``atan``, a variable exponent, ...) raises
:class:`NotExpressible` and the caller falls back to a local solver.

The objective goes through an epigraph variable (SCIP needs a linear objective). When
SCIP reports ``optimal`` the point is a global minimizer up to SCIP's tolerances
(``numerics/feastol``, relative gap ``limits/gap``); the proven lower bound is returned
as ``extra["dual_bound"]``.
"""

from __future__ import annotations

import importlib.util
import time
from collections.abc import Callable

import casadi as ca
import numpy as np

from bilevel_mp.errors import BilevelError
from bilevel_mp.solvers.base import BackendResult, Deadline
from bilevel_mp.solvers.scip import add_row, optimize, rejected_input, scip_termination


class NotExpressible(BilevelError):
    """An expression uses an operation SCIP cannot take."""


def scip_available() -> bool:
    """Whether PySCIPOpt is installed (extra ``scip``)."""
    return importlib.util.find_spec("pyscipopt") is not None


def _unary(scip) -> dict[int, Callable]:
    return {
        ca.OP_NEG: lambda a: -a, ca.OP_SQ: lambda a: a * a, ca.OP_TWICE: lambda a: 2.0 * a,
        ca.OP_INV: lambda a: 1.0 / a, ca.OP_SQRT: scip.sqrt, ca.OP_EXP: scip.exp,
        ca.OP_LOG: scip.log, ca.OP_SIN: scip.sin, ca.OP_COS: scip.cos, ca.OP_FABS: abs,
    }


_BINARY: dict[int, Callable] = {
    ca.OP_ADD: lambda a, b: a + b, ca.OP_SUB: lambda a, b: a - b,
    ca.OP_MUL: lambda a, b: a * b, ca.OP_DIV: lambda a, b: a / b,
}


class ScipTranslator:
    """CasADi SX scalars -> PySCIPOpt expressions over given SCIP variables."""

    def __init__(self, symbols: ca.SX, variables: list) -> None:
        import pyscipopt as scip

        self._unary = _unary(scip)
        self._memo: dict[int, object] = {
            symbols[i].element_hash(): variables[i] for i in range(symbols.numel())}

    def __call__(self, expr: ca.SX):
        """The SCIP expression of the scalar ``expr``."""
        stack = [expr]
        while stack:  # iterative post-order walk (deep sums would overflow recursion)
            node = stack[-1]
            key = node.element_hash()
            if key in self._memo:
                stack.pop()
                continue
            if node.is_constant():
                self._memo[key] = float(node)
                stack.pop()
                continue
            if node.is_symbolic():
                raise NotExpressible(f"symbol {node.name()} is not a variable of the problem")
            pending = [node.dep(i) for i in range(node.n_dep())
                       if node.dep(i).element_hash() not in self._memo]
            if pending:
                stack.extend(pending)
                continue
            self._memo[key] = self._combine(node)
            stack.pop()
        return self._memo[expr.element_hash()]

    def _combine(self, node: ca.SX):
        op = node.op()
        args = [self._memo[node.dep(i).element_hash()] for i in range(node.n_dep())]
        if op in self._unary:
            return self._unary[op](args[0])
        if op in _BINARY:
            return _BINARY[op](*args)
        if op in (ca.OP_POW, ca.OP_CONSTPOW) and isinstance(args[1], float):
            return args[0] ** args[1]
        raise NotExpressible(f"operation {ca.print_operator(node, ['a', 'b'][:node.n_dep()])} "
                             "has no SCIP counterpart")


NO_FINITE_BOUND = "no finite lower bound"
"""The note of a SCIP run stopped by :func:`optimize_with_bound_wait`."""


def optimize_with_bound_wait(model, bound_wait: float | None) -> str:
    """:func:`~bilevel_mp.solvers.scip.optimize`, interrupted at the first node or LP
    SCIP finishes after ``bound_wait`` seconds while its dual bound is still -∞ (``None``:
    no such stop); SCIP's status, ``"timelimit (no finite lower bound after ... s)"`` when
    stopped.

    SCIP's bound stays -∞ while a variable without finite bounds enters a nonconvex term
    (its relaxations are unbounded), and in the BOLIB runs that did not change later: of
    the verification's 1580 lower-level solves with ``auto``, 31 were still running after
    0.5 s, and the 12 of them whose bound was -∞ then all ran to their time limit (101.6 s
    in all; ShehuEtal2019Ex42's unconstrained ℓ1 lower level took 10 s per check). The
    test runs in an event handler after each solved node and LP, so a run that gets a
    finite bound in time takes the same path as without it (a stop and a resume would
    not: SCIP resumed after a 0.2 s stop ran 60 s on a quartic it otherwise solved in 2 s).
    """
    if bound_wait is None:
        return optimize(model)
    from pyscipopt import SCIP_EVENTTYPE, Eventhdlr

    # nodes and LPs: a run can stay in one node's separation rounds (a free quartic: 490
    # nodes in 0.14 s, then 10 s of LPs without another node)
    events = (SCIP_EVENTTYPE.NODESOLVED, SCIP_EVENTTYPE.LPSOLVED)

    class BoundWait(Eventhdlr):
        stopped = False

        def eventinit(self):
            for kind in events:
                self.model.catchEvent(kind, self)

        def eventexit(self):
            for kind in events:
                self.model.dropEvent(kind, self)

        def eventexec(self, event):
            m = self.model
            if m.getSolvingTime() >= bound_wait and m.isInfinity(-m.getDualbound()):
                self.stopped = True
                m.interruptSolve()

    handler = BoundWait()
    model.includeEventhdlr(handler, "bound_wait", "stop while the dual bound is -inf")
    raw = optimize(model)
    if handler.stopped:
        return f"timelimit ({NO_FINITE_BOUND} after {bound_wait:g} s)"
    return raw


def solve_scip_nlp(
    z: ca.SX, f: ca.SX, g: ca.SX, g_lb: np.ndarray, g_ub: np.ndarray,
    z_lb: np.ndarray, z_ub: np.ndarray, deadline: Deadline | None = None,
    feastol: float = 1e-8, integer: np.ndarray | None = None,
    bound_wait: float | None = None,
) -> BackendResult:
    """Minimize ``f(z)`` s.t. ``g_lb <= g(z) <= g_ub``, ``z_lb <= z <= z_ub`` globally
    (``z[integer]`` integral).

    ``f`` and ``g`` must depend on ``z`` only (substitute parameters first). With
    ``bound_wait``, SCIP is stopped (status ``TIME_LIMIT``, ``extra["no_bound"]``) when
    after that many seconds its lower bound is still -∞: a caller that needs a proof of
    optimality gives up on one that has not started (see
    :func:`optimize_with_bound_wait`).

    Raises
    ------
    NotExpressible
        When an operation has no SCIP counterpart.
    """
    import pyscipopt as scip

    model = scip.Model()
    model.hideOutput()
    model.setParam("numerics/feastol", feastol)
    remaining = (deadline or Deadline()).remaining()
    if np.isfinite(remaining):
        model.setParam("limits/time", max(float(remaining), 1e-3))
    integer = np.zeros(len(z_lb), dtype=bool) if integer is None else integer
    variables = [model.addVar(lb=None if np.isinf(lo) else float(lo),
                              ub=None if np.isinf(hi) else float(hi),
                              vtype="I" if is_int else "C")
                 for lo, hi, is_int in zip(z_lb, z_ub, integer, strict=True)]
    translate = ScipTranslator(z, variables)
    epigraph = model.addVar(lb=None, ub=None)
    rejected = add_row(model, translate(f) - epigraph, -np.inf, 0.0)
    if rejected:
        return rejected_input(f"{rejected} (objective)")
    for i in range(g.numel()):
        row = translate(g[i])
        if isinstance(row, float):  # a constant row (e.g. after substitution) is no row
            continue
        rejected = add_row(model, row, g_lb[i], g_ub[i])
        if rejected:
            return rejected_input(f"{rejected} (row {i})")
    model.setObjective(epigraph, "minimize")
    t0 = time.perf_counter()
    raw = optimize_with_bound_wait(model, bound_wait)
    elapsed = time.perf_counter() - t0
    has_point = model.getNSols() > 0
    point = np.array([model.getVal(v) for v in variables]) if has_point else np.zeros(0)
    objective = float(ca.Function("f", [z], [f])(point)) if has_point else np.nan
    return BackendResult(
        status=scip_termination(raw), raw_status=raw, z=point,
        objective=objective, g=np.zeros(0), lam_g=np.zeros(0), lam_z=np.zeros(0),
        iterations=int(model.getNNodes()), solve_time=elapsed,
        extra={"dual_bound": float(model.getDualbound()), "gap": float(model.getGap()),
               "no_bound": NO_FINITE_BOUND in raw},
    )
