"""Independent check of a bilevel point: re-solve the lower level at x̂.

At the returned ``(x̂, ŷ)`` the lower level ``min_y f(x̂, y) s.t. g(x̂, y) <= 0, h(x̂, y) = 0``
is solved again, independently of the method that produced the point:

* **exactly with HiGHS** when, at x̂, it is an LP or a convex QP (quadratic objective
  with a PSD Hessian, linear constraints in y) — large convex QPs by IPOPT instead, which
  is exact there because every KKT point of a convex QP is a global minimizer. The data
  are read off exactly: the functions are at most quadratic in y, so
  ``c = ∇_y f(x̂, 0)``, ``Q = ∇²_yy f``, ``A = ∇_y g(x̂, 0)``, ``b = g(x̂, 0)``. The
  result is ``CERTIFIED`` when ``f(x̂, ŷ) - φ(x̂) <= gap_tol · max(1, |φ(x̂)|)`` and ŷ is
  LL-feasible, else ``SUBOPTIMAL``.
* **globally with SCIP** (extra ``scip``) otherwise, when PySCIPOpt is installed, the lower
  level has at most ``scip_max_vars`` variables and every operation in it has a SCIP
  counterpart (:mod:`bilevel_mp.solvers.scip_nlp`): ``CERTIFIED`` when SCIP proves
  optimality and ``f(x̂, ŷ)`` is within the tolerance of SCIP's proven lower bound,
  ``SUBOPTIMAL`` when SCIP finds a feasible LL point better by more than the tolerance.
  When SCIP cannot express the problem or stops without a proof, the multistart follows.
* **by multistart IPOPT** otherwise: from ŷ, the model's start point and ``n_starts``
  Latin-hypercube points spread over the LL variable box (a box around ŷ where a bound is
  missing). ``NO_BETTER_FOUND`` when no start finds a feasible LL point better than ŷ by
  more than the tolerance, else ``SUBOPTIMAL``. Never ``CERTIFIED``: a local solver
  cannot prove global optimality.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import cached_property

import casadi as ca
import numpy as np
import scipy.sparse as sp
from scipy.stats import qmc

from bilevel_mp.ir.derivatives import hessian
from bilevel_mp.ir.milp import MILP
from bilevel_mp.ir.nlp import NLP
from bilevel_mp.ir.program import BilevelProgram, symbol_like
from bilevel_mp.ir.structure import Structure, analyze, is_psd, to_csc
from bilevel_mp.solvers.base import Deadline
from bilevel_mp.solvers.highs import solve_highs
from bilevel_mp.solvers.ipopt import IpoptSolver
from bilevel_mp.solvers.scip_nlp import NotExpressible, scip_available, solve_scip_nlp
from bilevel_mp.status import TerminationStatus, Verification


@dataclass(frozen=True)
class VerifyOptions:
    """Tolerances of the verification.

    Attributes
    ----------
    gap_tol
        Relative LL gap accepted as optimal: ``gap <= gap_tol * max(1, |φ|)``.
    feas_tol
        Largest LL constraint violation accepted for ŷ and for re-solve points.
    n_starts
        Spread starting points of the multistart re-solve (besides ŷ and the model's y0).
    seed
        Seed of the Latin-hypercube sample (results are reproducible).
    highs_qp_max_size
        Largest convex-QP lower level sent to HiGHS; larger ones are re-solved by IPOPT
        (exact for a convex QP, and much faster than HiGHS's active-set QP method there).
    scip_max_vars
        Largest nonconvex lower level sent to SCIP for a global solve.
    scip_time_limit
        Seconds SCIP may spend on one lower-level solve.
    scip_min_time
        SCIP is not started with less time than this left before the caller's deadline.
    """

    gap_tol: float = 1e-6
    highs_qp_max_size: int = 500
    feas_tol: float = 1e-6
    n_starts: int = 8
    seed: int = 0
    scip_max_vars: int = 50
    scip_time_limit: float = 10.0
    scip_min_time: float = 0.5


@dataclass(frozen=True)
class VerificationReport:
    """Outcome of :meth:`LowerLevelChecker.check`; values in minimization form."""

    verification: Verification
    ll_gap: float
    ll_value: float
    ll_best_value: float
    ll_best_y: np.ndarray | None
    ll_solver: str
    ul_violation: float
    ll_violation: float
    message: str
    seconds: float


class LowerLevelChecker:
    """Re-solves the lower level of one program at given x; build once, check many."""

    def __init__(
        self, program: BilevelProgram, structure: Structure | None = None,
        options: VerifyOptions | None = None,
    ) -> None:
        self.program = program
        self.structure = structure or analyze(program)
        self.options = options or VerifyOptions()

    # exact path -------------------------------------------------------------------
    @cached_property
    def _qp_data(self) -> ca.Function:
        """``(x, p) -> (c, Q, Ag, bg, Ah, bh, f0)``: the LL at x as an exact LP/QP."""
        pr = self.program
        zero = ca.DM.zeros(pr.ny)

        def at_zero(e):
            return ca.substitute(e, pr.y, zero)

        hess_f = hessian(pr.f, pr.y)
        return ca.Function(
            "ll_qp_data", [pr.x, pr.p],
            [at_zero(ca.gradient(pr.f, pr.y)), at_zero(hess_f),
             at_zero(ca.jacobian(pr.g, pr.y)), at_zero(pr.g),
             at_zero(ca.jacobian(pr.h, pr.y)), at_zero(pr.h), at_zero(pr.f)],
        )

    def _convex_kind(self, q: sp.csc_matrix) -> str | None:
        """``"LP"`` or ``"QP"`` when the LL at x is a convex LP/QP, else ``None``."""
        kind = self.structure.ll_kind
        if kind == "LP" or (kind == "QP" and q.nnz == 0):
            return "LP"
        if kind == "QP" and (self.structure.ll_convex or is_psd(q)[0]):
            return "QP"
        return None

    def _exact(self, x: np.ndarray,
               y_hat: np.ndarray) -> tuple[str, float, np.ndarray | None, str] | None:
        """Solve the LL at x globally when it is a convex LP/QP there, else ``None``.

        LPs and QPs up to ``highs_qp_max_size`` variables go to HiGHS. Larger convex QPs
        go to IPOPT from ŷ: HiGHS's QP solver is an active-set method whose time grows
        about cubically, while for a convex QP every KKT point IPOPT returns is a global
        minimizer, so the re-solve is still exact up to IPOPT's tolerance.
        """
        if self.structure.ll_kind not in ("LP", "QP"):
            return None
        data = self._qp_data(x, self.program.p_values)
        q = to_csc(ca.DM(data[1]))
        kind = self._convex_kind(q)
        if kind is None:
            return None
        if kind == "QP" and self.program.ny > self.options.highs_qp_max_size:
            return self._convex_local(x, y_hat)
        return self._highs(kind, q, data)

    def _highs(self, kind: str, q: sp.csc_matrix, data) -> tuple[str, float, np.ndarray | None,
                                                                  str]:
        c, _, Ag, bg, Ah, bh, f0 = data
        pr = self.program
        # bounds of y go to HiGHS as column bounds, the other rows of g and h as rows
        rows = np.setdiff1d(np.arange(pr.g.numel()), pr.g_bound_rows)
        bg = np.asarray(bg, dtype=float).ravel()[rows]
        bh = np.asarray(bh, dtype=float).ravel()
        problem = MILP(
            c=np.asarray(c, dtype=float).ravel(),
            A=sp.vstack([to_csc(ca.DM(Ag))[rows], to_csc(ca.DM(Ah))]).tocsr(),
            row_lb=np.concatenate([np.full(bg.size, -np.inf), -bh]),
            row_ub=np.concatenate([-bg, -bh]),
            col_lb=pr.y_lb, col_ub=pr.y_ub, integer=np.zeros(pr.ny, dtype=bool),
            c0=float(f0), Q=q if kind == "QP" else None,
        )
        res = solve_highs(problem)
        solver = "highs-qp" if kind == "QP" else "highs-lp"
        if res.status is TerminationStatus.OPTIMAL:
            return solver, res.objective, res.z, ""
        return solver, np.nan, None, res.raw_status

    def _convex_local(self, x: np.ndarray, y_hat: np.ndarray):
        """One IPOPT solve of a large convex QP lower level (global by convexity)."""
        pr = self.program
        res = self._local.solve(np.concatenate([pr.p_values, x]), y_hat)
        if not res.status.is_local_solution:
            return "ipopt(convex QP)", np.nan, None, res.raw_status
        return "ipopt(convex QP)", res.objective, res.z, ""

    # global path ------------------------------------------------------------------------
    @cached_property
    def _scip_ready(self) -> bool:
        return scip_available() and 0 < self.program.ny <= self.options.scip_max_vars

    def _global(self, x: np.ndarray, deadline: Deadline):
        """SCIP's global solve of the LL at x: ``(solver, best, best_y, bound)`` or ``None``
        when SCIP is missing, cannot express the LL, stops without a proof, or less than
        ``scip_min_time`` is left before ``deadline``."""
        budget = min(self.options.scip_time_limit, deadline.remaining())
        if not self._scip_ready or budget < self.options.scip_min_time:
            return None
        pr = self.program.as_sx  # SCIP's expressions are translated from SX graphs
        fixed = [ca.substitute([e], [pr.x, pr.p], [ca.DM(x), ca.DM(pr.p_values)])[0]
                 for e in (pr.f, pr.g, pr.h)]
        nq, nh = pr.g.numel(), pr.h.numel()
        deadline = Deadline.after(budget)
        for feastol in (1e-8, self.options.feas_tol):  # x̂ may sit on a degenerate LL set
            try:
                res = solve_scip_nlp(
                    pr.y, fixed[0], ca.vertcat(fixed[1], fixed[2]),
                    np.concatenate([np.full(nq, -np.inf), np.zeros(nh)]), np.zeros(nq + nh),
                    pr.y_lb, pr.y_ub, deadline, feastol=feastol)
            except NotExpressible:
                return None
            if res.status is not TerminationStatus.INFEASIBLE:
                break
        if res.status is not TerminationStatus.OPTIMAL:
            return None
        return "scip(global)", res.objective, res.z, res.extra["dual_bound"]

    # multistart path ----------------------------------------------------------------
    @cached_property
    def _local(self) -> IpoptSolver:
        pr = self.program
        xp = symbol_like(pr.x, "x_fixed", pr.nx)
        cons = ca.vertcat(pr.g, pr.h)
        sub = [ca.substitute(e, pr.x, xp) for e in (pr.f, cons)]
        nq, nh = pr.g.numel(), pr.h.numel()
        nlp = NLP(
            z=pr.y, f=sub[0], g=sub[1],
            z_lb=np.full(pr.ny, -np.inf), z_ub=np.full(pr.ny, np.inf),
            g_lb=np.concatenate([np.full(nq, -np.inf), np.zeros(nh)]),
            g_ub=np.zeros(nq + nh), z0=pr.y0,
            p=ca.vertcat(pr.p, xp), p_values=np.concatenate([pr.p_values, pr.x0]),
        )
        return IpoptSolver(nlp, {"max_iter": 500})

    def _starts(self, y_hat: np.ndarray) -> np.ndarray:
        pr = self.program
        width = 10.0 * np.maximum(1.0, np.abs(y_hat))
        lo = np.where(np.isfinite(pr.y_lb), pr.y_lb, y_hat - width)
        hi = np.where(np.isfinite(pr.y_ub), pr.y_ub, y_hat + width)
        hi = np.maximum(hi, lo)
        if pr.ny == 0 or self.options.n_starts <= 0:
            return np.zeros((0, pr.ny))
        sample = qmc.LatinHypercube(d=pr.ny, seed=self.options.seed).random(
            self.options.n_starts)
        return lo + sample * (hi - lo)

    def _multistart(self, x: np.ndarray, y_hat: np.ndarray):
        pr = self.program
        solver = self._local
        p = np.concatenate([pr.p_values, x])
        best_val, best_y, runs = np.inf, None, 0
        for y0 in [y_hat, pr.y0, *self._starts(y_hat)]:
            res = solver.solve(p, np.asarray(y0, dtype=float))
            runs += 1
            if not res.status.is_local_solution:
                continue
            if pr.ll_violation(x, res.z) > self.options.feas_tol:
                continue
            if res.objective < best_val:
                best_val, best_y = res.objective, res.z
        return f"ipopt-multistart({runs})", best_val, best_y

    # public -----------------------------------------------------------------------
    def check(self, x: np.ndarray, y: np.ndarray,
              deadline: Deadline | None = None) -> VerificationReport:
        """Verify ``(x, y)``; see the module docstring for the rules. A ``deadline`` bounds
        the global solve (the multistart, which is cheap, always runs)."""
        t0 = time.perf_counter()
        pr, opt = self.program, self.options
        x = np.asarray(x, dtype=float)
        y = np.asarray(y, dtype=float)
        ll_value = pr.evaluate(x, y)["f"]
        ul_viol, ll_viol = pr.ul_violation(x, y), pr.ll_violation(x, y)
        exact = self._exact(x, y)
        glob = self._global(x, deadline or Deadline()) if exact is None else None
        if glob is not None:
            solver, best, best_y, bound = glob
            tol = opt.gap_tol * max(1.0, abs(best))
            if pr.ll_violation(x, best_y) > opt.feas_tol or best >= ll_value - tol:
                best, best_y = min(best, ll_value), y  # SCIP's point is no better than ŷ
            gap = ll_value - min(best, bound)
            ok = ll_value - bound <= tol and ll_viol <= opt.feas_tol
            verdict = Verification.CERTIFIED if ok else Verification.SUBOPTIMAL
        elif exact is not None:
            solver, best, best_y, problem = exact
            if best_y is None:
                return VerificationReport(
                    Verification.SUBOPTIMAL, np.inf, ll_value, np.nan, None, solver,
                    ul_viol, ll_viol, f"lower level at x̂ is {problem}: no LL optimum exists",
                    time.perf_counter() - t0)
            gap = ll_value - best
            ok = gap <= opt.gap_tol * max(1.0, abs(best)) and ll_viol <= opt.feas_tol
            verdict = Verification.CERTIFIED if ok else Verification.SUBOPTIMAL
        else:
            solver, best, best_y = self._multistart(x, y)
            if ll_viol <= opt.feas_tol and ll_value <= best:
                best, best_y = ll_value, y
            gap = ll_value - best if np.isfinite(best) else np.inf
            ok = gap <= opt.gap_tol * max(1.0, abs(best)) and ll_viol <= opt.feas_tol
            verdict = Verification.NO_BETTER_FOUND if ok else Verification.SUBOPTIMAL
        message = ""
        if ll_viol > opt.feas_tol:
            message = f"ŷ violates the lower-level constraints by {ll_viol:.3g}"
        elif verdict is Verification.SUBOPTIMAL:
            message = f"a lower-level point better by {gap:.3g} exists at x̂"
        return VerificationReport(verdict, gap, ll_value, best, best_y, solver, ul_viol,
                                  ll_viol, message, time.perf_counter() - t0)
