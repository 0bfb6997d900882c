"""Independent check of a bilevel point: re-solve the lower level at x̂.

At the returned ``(x̂, ŷ)`` the lower level ``min_y f(x̂, y) s.t. g(x̂, y) <= 0, h(x̂, y) = 0``
is solved again, independently of the method that produced the point. Every number is
decided by the scale-aware rules of :mod:`bilevel_mp.tolerances`.

**One feasible set.** ŷ is admitted when each lower-level row is satisfied within its
tolerance. The re-solve runs over the rows relaxed by exactly ŷ's own violations
(``g_i <= max(g_i(x̂, ŷ), 0)``, ``|h_j| <= |h_j(x̂, ŷ)|``, bounds likewise), so every point
at least as feasible as ŷ competes with it, and "the lower level is infeasible at x̂"
cannot be the answer next to an admitted ŷ (when a solver says so anyway, the check
reports the contradiction and certifies nothing).

**Three tiers:**

* **exactly with HiGHS** when, at x̂, the lower level is an LP or a convex QP (quadratic
  objective with a PSD Hessian, linear constraints in y). A large convex QP is first
  given the Lagrangian bound of :mod:`bilevel_mp.checks.qp_dual` (one factorization of
  its Hessian), which certifies an admitted ŷ that it proves exactly optimal; otherwise
  IPOPT re-solves it, which is exact there because every KKT point of a convex QP is a
  global minimizer. The data are read off exactly: ``c = ∇_y f(x̂, 0)``, ``Q = ∇²_yy f``,
  ``A = ∇_y g(x̂, 0)``, ``b = g(x̂, 0)``. ``CERTIFIED`` when ŷ is admitted and its gap is
  within tolerance, else ``SUBOPTIMAL``.
* **globally with SCIP** (extra ``scip``) otherwise, when PySCIPOpt is installed, the lower
  level has at most ``scip_max_vars`` variables and every operation in it has a SCIP
  counterpart, at an x̂ within ``NEAR_FEASIBLE_FACTOR`` tolerances of the upper-level
  constraints and the bounds of x (a point farther out is no answer, whatever its lower
  level: NetworkDesignP1's ``llvf-lm`` iterates with 1 + x_1 < 0 spent 10 s each in SCIP)
  and with ŷ admitted (a ŷ that violates the lower level is ``SUBOPTIMAL`` whatever the
  re-solve finds, which then only offers a better point: DesignCentringP3's ``llvf-lm``
  spent 10 s in SCIP on a ŷ 0.0056 outside); the multistart checks the others.
  ``CERTIFIED`` when SCIP proves optimality and ``f(x̂, ŷ)``
  is within the tolerance of SCIP's proven lower bound, ``SUBOPTIMAL`` when SCIP finds a
  point better by more than the tolerance, ``NOT_CHECKED`` (inconclusive) when only
  SCIP's bound lies further below (SCIP stopped within its own gap, or its point fails
  our row tolerances even after a local solve from it: nothing is proven either way).
  When SCIP cannot express the problem, stops without a proof, or has no finite bound
  after ``scip_bound_wait``, the multistart follows.
* **by multistart IPOPT** otherwise: from ŷ, the model's start point, ``n_starts``
  Latin-hypercube points spread over the LL variable box (a box around ŷ where a bound is
  missing) and, for up to 10 LL variables, ŷ with one coordinate moved onto each of its
  bounds; the starts themselves count as points. Every run's final point counts when it is
  admitted, whatever IPOPT's status (a run stopped by its iteration limit may still have
  found a better point).
  ``NO_BETTER_FOUND`` when no start finds an admitted point better than ŷ by more than the
  tolerance, else ``SUBOPTIMAL``. Never ``CERTIFIED``: a local solver proves nothing global.

**The upper-level value is checked too.** The optimistic value at x̂ is the best ``F`` over
the lower level's optimal set there. When ŷ is only ε-optimal (its gap is within the gap
tolerance but above the exact-response tolerance), the reported ``F(x̂, ŷ)`` must be
reached by an exactly optimal response: the re-solved point, or the best point of
``min_y F(x̂, y) s.t. y feasible, f(x̂, y) <= φ(x̂)`` (IPOPT from ŷ and from the re-solved
point; when SCIP's bound is too loose to say whether ŷ is exact and no point lies within
the tolerance of it, the multistart looks for a better point). Otherwise the method
exploited the tolerance: ŷ is replaced by the best exact response found and the check is
made at that point (``replaced_y``, ``y``); the result then reports that point and its F.
When no exact response is found, ``SUBOPTIMAL``.

**Integer upper-level variables** must be integral within ``integrality_tol``; when they
are not, x̂ is no upper-level point and the lower level is not checked there
(``NOT_CHECKED``).
"""

from __future__ import annotations

import dataclasses
import time
import warnings
from dataclasses import dataclass
from functools import cached_property

import casadi as ca
import numpy as np
import scipy.sparse as sp
from scipy.optimize import minimize
from scipy.stats import qmc

from bilevel_mp.checks.qp_dual import ConvexQP, lagrangian_bound
from bilevel_mp.checks.scales import (
    ObjectiveScales,
    data_scales,
    objective_scales,
    objective_spreads,
    row_scales,
    with_floor,
)
from bilevel_mp.ir.linear import row_units
from bilevel_mp.ir.milp import MILP
from bilevel_mp.ir.program import BilevelProgram, symbol_like, unit_steps
from bilevel_mp.ir.structure import Structure, analyze, is_nonsmooth, is_psd, to_csc
from bilevel_mp.solvers.base import CompiledSolver, Deadline
from bilevel_mp.solvers.highs import HighsBackend
from bilevel_mp.solvers.ipopt import IpoptBackend
from bilevel_mp.solvers.scip_nlp import NotExpressible, scip_available, solve_scip_nlp
from bilevel_mp.status import NEAR_FEASIBLE_FACTOR, TerminationStatus, Verification
from bilevel_mp.tolerances import ROUNDOFF, Tolerances

REPORTS_KEPT = 16
"""Reports a :class:`LowerLevelChecker` keeps, by point (the oldest is dropped first)."""

EXACT_HIGHS_OPTIONS = {"dual_feasibility_tolerance": 1e-10}
"""HiGHS's smallest dual feasibility tolerance for the exact LP/QP re-solves (objective at
unit scale). At its default (1e-7) a reduced cost of -2e-8 counts as optimal, so a vertex
that is only ε-optimal passes as the exact lower-level optimum and the check of the
upper-level value never runs."""


@dataclass(frozen=True)
class VerifyOptions(Tolerances):
    """Tolerances (every field of :class:`~bilevel_mp.tolerances.Tolerances`) and the
    search effort of the verification.

    Attributes
    ----------
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
    scip_bound_wait
        Seconds after which SCIP's global lower-level solve is stopped when its lower bound
        on φ(x̂) is still -∞ (:func:`~bilevel_mp.solvers.scip_nlp.optimize_with_bound_wait`);
        the multistart decides then, as after ``scip_time_limit``. ``None``: SCIP runs to
        ``scip_time_limit``. Measured on the BOLIB suite with ``auto``: the 12 solves whose
        bound was still -∞ after 0.5 s all ran to their time limit.
    min_check_time
        Seconds the exact (HiGHS) and global (SCIP) re-solves get even when the caller's
        deadline has passed or is nearer: a method that used its whole budget still has its
        point checked at full strength, so a call may return up to this long per checked
        point after its ``time_limit`` (trust seeds 295 and 1012: with the deadline gone,
        only the local multistart ran, stalled at a kink of ``|y - c|``, and passed an
        ε-optimal ŷ whose F no exact response reaches).
    exact_time_limit
        Seconds HiGHS may spend on one LP/QP re-solve; when it stops without an answer
        (HiGHS's active-set QP method can take minutes on an ill-conditioned QP), the
        global or multistart tier decides instead.
    response_time_limit
        Seconds SCIP may spend looking for the best exact response when its bound on
        φ(x̂) leaves room below ŷ (:meth:`LowerLevelChecker._global_response`); when it
        stops without a point, the strict multistart decides instead. That search lies
        inside SCIP's own tolerance band, where it rarely ends: on BOLIB with
        ``kkt-scholtes`` it never found a point and took 29 of the 44 s of verification,
        two calls running to a 10 s limit.
    """

    n_starts: int = 8
    seed: int = 0
    highs_qp_max_size: int = 500
    scip_max_vars: int = 50
    scip_time_limit: float = 10.0
    scip_bound_wait: float | None = 0.5
    min_check_time: float = 2.0
    exact_time_limit: float = 10.0
    response_time_limit: float = 2.0


@dataclass(frozen=True)
class VerificationReport:
    """Outcome of :meth:`LowerLevelChecker.check`; values in minimization form.

    ``ul_violation`` and ``ll_violation`` are the largest absolute violations (for
    ``ul_violation`` also of the bounds of x and of integrality); ``ul_feasible`` and
    ``ll_feasible`` say whether every row passed its scale-aware tolerance, and
    ``excess`` is the largest ratio of a violation to its tolerance over all rows (at most
    1 for a feasible point; the primal status is decided from it).
    ``gap_tolerance`` is the gap that was accepted. ``response_value`` is the best ``F``
    reached by an exactly optimal lower-level response at x̂ (``nan`` when not checked).
    """

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
    ul_feasible: bool = False
    ll_feasible: bool = False
    excess: float = float("nan")
    gap_tolerance: float = float("nan")
    response_value: float = float("nan")
    y: np.ndarray | None = None
    replaced_y: bool = False


@dataclass(frozen=True)
class _Admission:
    """How ŷ stands against the rows at x̂, and the relaxation of the re-solve."""

    excess: float  # largest violation / tolerance over every row (UL, LL, integrality)
    ul_excess: float  # the same over the UL rows, the bounds of x and integrality
    ll_scales: np.ndarray  # gradient scale of each row of [g; h]
    f_scale: float  # scale of f around ŷ (for the re-solves' weights)
    ul_violation: float
    ul_feasible: bool
    integrality: float
    ll_violation: float
    ll_feasible: bool
    ll_tolerance: np.ndarray  # per row of [g; h]
    shift_g: np.ndarray  # ŷ's own violation of each row of g
    shift_h: np.ndarray  # and of each row of h

    @property
    def g_bounds(self) -> tuple[np.ndarray, np.ndarray]:
        """Row bounds of ``[g; h]`` relaxed by ŷ's own violations."""
        return (np.concatenate([np.full(self.shift_g.size, -np.inf), -self.shift_h]),
                np.concatenate([self.shift_g, self.shift_h]))


@dataclass(frozen=True)
class _Resolve:
    """A tier's answer: the best LL value found at x̂ and its point (``None`` with the
    solver's reason when there is no optimum), and a proven lower bound when global."""

    solver: str
    best: float
    best_y: np.ndarray | None
    problem: str = ""
    bound: float = float("nan")


def _ratio(violations: np.ndarray, tolerances: np.ndarray) -> float:
    """``max_i violation_i / tolerance_i`` (0 for a row that is met, ``inf`` for a row
    violated at zero tolerance)."""
    violations = np.asarray(violations, dtype=float)
    if violations.size == 0:
        return 0.0
    if np.any(np.isnan(violations)):
        return np.nan
    met = violations <= tolerances
    ratios = np.divide(violations, tolerances, out=np.full(violations.shape, np.inf),
                       where=tolerances > 0)
    return float(np.max(np.where(met & (tolerances <= 0), 0.0, ratios)))


NLP_BACKEND = IpoptBackend()
"""The verification's own NLP back-end (CasADi's IPOPT), whatever the method's was: the
check does not share a solver with what it checks."""

LP_BACKEND = HighsBackend()
"""The verification's own LP/QP back-end (HiGHS)."""


class LowerLevelChecker:
    """Re-solves the lower level of one program at given x; build once, check many."""

    def __init__(
        self, program: BilevelProgram, structure: Structure | None = None,
        options: VerifyOptions | None = None,
    ) -> None:
        self.program = program
        self.structure = structure or analyze(program)
        self.options = options or VerifyOptions()
        self._reports: dict[tuple[bytes, bytes], VerificationReport] = {}

    def for_program(self, program: BilevelProgram) -> LowerLevelChecker:
        """This checker, or one with the same options and structure for ``program`` (a
        variant of the same bilevel program, such as its integer variables fixed)."""
        if program is self.program:
            return self
        return LowerLevelChecker(program, self.structure, self.options)

    # admission ----------------------------------------------------------------------
    def _admit(self, x: np.ndarray, y: np.ndarray, at_hat: dict) -> _Admission:
        """How ``y`` (with ``at_hat = program.evaluate(x, y)``) stands against the rows."""
        pr, opt = self.program, self.options
        scales = row_scales(pr, x, y)
        ul_rows = np.concatenate([np.maximum(at_hat["G"], 0.0), np.abs(at_hat["H"])])
        x_bounds = np.maximum(np.maximum(pr.x_lb - x, x - pr.x_ub), 0.0)
        integrality = opt.integrality_violation(x, pr.x_integer)
        shift_g, shift_h = np.maximum(at_hat["g"], 0.0), np.abs(at_hat["h"])
        ll_rows = np.concatenate([shift_g, shift_h])
        ll_tolerance = opt.row_tolerance(scales.ll)
        ul_excess = max(_ratio(ul_rows, opt.row_tolerance(scales.ul)),
                        _ratio(x_bounds, opt.row_tolerance(np.ones_like(x))),
                        _ratio(np.array([integrality]), np.array([opt.integrality_tol])))
        ll_excess = _ratio(ll_rows, ll_tolerance)
        f_scale = objective_spreads(pr, [x, pr.x0, *unit_steps(pr.x0, pr.x_lb, pr.x_ub)],
                                    [y, pr.y0, *unit_steps(y, pr.y_lb, pr.y_ub)])["f"]
        return _Admission(
            excess=max(ul_excess, ll_excess), ul_excess=ul_excess, ll_scales=scales.ll,
            f_scale=f_scale,
            ul_violation=float(max(np.max(ul_rows, initial=0.0), np.max(x_bounds, initial=0.0),
                                   integrality)),
            ul_feasible=ul_excess <= 1.0, integrality=integrality,
            ll_violation=float(np.max(ll_rows, initial=0.0)),
            ll_feasible=ll_excess <= 1.0, ll_tolerance=ll_tolerance,
            shift_g=shift_g, shift_h=shift_h)

    def _admitted_near(self, x: np.ndarray, y_hat: np.ndarray, resolve: _Resolve,
                       admission: _Admission) -> _Resolve:
        """A global solver's point that our row tolerances do not admit (SCIP's feasibility
        tolerance is absolute, a row scaled by 1e-6 is almost free for it), moved onto the
        admitted set by one row-scaled local solve from it; a point that still fails
        competes not. (Dropping it lost the only witness of a better point in trust
        instances whose rows are scaled by 1e-6.)"""
        z = self._on_box(self._solve_weighted(
            self._local, x, [], resolve.best_y, admission.g_bounds, admission.ll_scales,
            admission.f_scale).z, y_hat)
        if np.all(np.isfinite(z)) and self._admitted(x, z, admission):
            return _Resolve(f"{resolve.solver}+ipopt", float(self.program.evaluate(x, z)["f"]),
                            z, resolve.problem, resolve.bound)
        return _Resolve(resolve.solver, np.inf, None, resolve.problem, resolve.bound)

    def _admitted(self, x: np.ndarray, y: np.ndarray, admission: _Admission,
                  strict: bool = False) -> bool:
        """Whether ``y`` passes the row tolerances that admitted ŷ (the same numbers); when
        ``strict``, whether it is at least as feasible as ŷ (each row within ŷ's own
        violation, up to rounding)."""
        ev = self.program.evaluate(x, y)
        rows = np.concatenate([np.maximum(ev["g"], 0.0), np.abs(ev["h"])])
        shift = np.concatenate([admission.shift_g, admission.shift_h])
        allowed = shift + ROUNDOFF * admission.ll_scales if strict else np.maximum(
            admission.ll_tolerance, shift)
        return bool(np.all(rows <= allowed))

    # exact path -------------------------------------------------------------------
    def _convex_kind(self, q: sp.csc_matrix) -> str | None:
        """``"LP"`` or ``"QP"`` when the LL at x is a convex LP/QP, else ``None``."""
        kind = self.structure.ll_kind
        if kind == "LP" or (kind == "QP" and q.nnz == 0):
            return "LP"
        if kind == "QP" and (self.structure.ll_convex or is_psd(q)[0]):
            return "QP"
        return None

    def _exact(self, x: np.ndarray, y_hat: np.ndarray, admission: _Admission,
               deadline: Deadline) -> _Resolve | None:
        """Solve the (relaxed) LL at x globally when it is a convex LP/QP there, else
        ``None``.

        LPs and QPs up to ``highs_qp_max_size`` variables go to HiGHS. Larger convex QPs
        go to IPOPT from ŷ: HiGHS's QP solver is an active-set method whose time grows
        about cubically, while for a convex QP every KKT point IPOPT returns is a global
        minimizer, so the re-solve is still exact up to IPOPT's tolerance.
        """
        if self.structure.ll_kind not in ("LP", "QP"):
            return None
        data = self.program.lower_level.qp_data(x, self.program.p_values)
        q = to_csc(ca.DM(data[1]))
        kind = self._convex_kind(q)
        if kind is None:
            return None
        if kind == "QP" and self.program.ny > self.options.highs_qp_max_size:
            return (self._dual_certificate(q, data, x, y_hat, admission)
                    or self._convex_local(x, y_hat, admission))
        return self._highs(kind, q, data, x, y_hat, admission, deadline)

    def _dual_certificate(self, q: sp.csc_matrix, data, x: np.ndarray, y_hat: np.ndarray,
                          admission: _Admission) -> _Resolve | None:
        """ŷ proven an exact optimum of a large convex QP lower level by the Lagrangian
        bound of :func:`~bilevel_mp.checks.qp_dual.lagrangian_bound` (one factorization of
        Q, no solver built), or ``None`` when ŷ is not admitted or the bound does not come
        within the exact-response tolerance of ``f(x̂, ŷ)``: the IPOPT re-solve decides
        then. At 10⁴ variables the bound takes about 0.02 s where building and running
        IPOPT took about 1 s (``benchmarks/overhead.py``)."""
        if not admission.ll_feasible:
            return None
        c, _, Ag, bg, Ah, bh, f0 = data
        qp = ConvexQP(
            Q=q, c=np.asarray(c, dtype=float).ravel(), f0=float(f0),
            A_g=to_csc(ca.DM(Ag)).tocsr(), b_g=np.asarray(bg, dtype=float).ravel(),
            s_g=admission.shift_g, A_h=to_csc(ca.DM(Ah)).tocsr(),
            b_h=np.asarray(bh, dtype=float).ravel(), s_h=admission.shift_h)
        bound = lagrangian_bound(qp, y_hat, admission.ll_scales)
        ll_value = float(self.program.evaluate(x, y_hat)["f"])
        sc = objective_scales(self.program, x, [y_hat], self._data)
        tol = self.options.response_tolerance(with_floor(sc.data_f, ll_value), ll_value,
                                              bound, sc.noise_f)
        if not np.isfinite(bound) or ll_value - bound > tol:
            return None
        return _Resolve("lagrangian bound (convex QP)", ll_value, y_hat, bound=bound)

    def _highs(self, kind: str, q: sp.csc_matrix, data, x: np.ndarray, y_hat: np.ndarray,
               admission: _Admission, deadline: Deadline) -> _Resolve | None:
        c, _, Ag, bg, Ah, bh, f0 = data
        pr = self.program
        # bounds of y go to HiGHS as column bounds, the other rows of g and h as rows
        rows = np.setdiff1d(np.arange(pr.g.numel()), pr.g_bound_rows)
        bg = np.asarray(bg, dtype=float).ravel()[rows]
        bh = np.asarray(bh, dtype=float).ravel()
        shift_g, shift_h = admission.shift_g[rows], admission.shift_h
        c = np.asarray(c, dtype=float).ravel()
        A = sp.vstack([to_csc(ca.DM(Ag))[rows], to_csc(ca.DM(Ah))]).tocsr()
        row_lb = np.concatenate([np.full(bg.size, -np.inf), -bh - shift_h])
        row_ub = np.concatenate([-bg + shift_g, -bh + shift_h])
        # HiGHS drops coefficients below 1e-9: rows and objective go to it at unit scale
        row_scale = row_units(A)
        q_max = abs(q).max() if kind == "QP" and q.nnz else 0.0
        obj_scale = max(float(np.max(np.abs(c), initial=0.0)), float(q_max)) or 1.0
        problem = MILP(
            c=c / obj_scale, A=sp.diags(1.0 / row_scale) @ A,
            row_lb=row_lb / row_scale, row_ub=row_ub / row_scale,
            col_lb=np.minimum(pr.y_lb, y_hat), col_ub=np.maximum(pr.y_ub, y_hat),
            integer=np.zeros(pr.ny, dtype=bool), c0=float(f0) / obj_scale,
            Q=q / obj_scale if kind == "QP" else None,
        )
        res = LP_BACKEND.solve(problem, Deadline.after(
            self._budget(self.options.exact_time_limit, deadline)), None, EXACT_HIGHS_OPTIONS)
        solver = "highs-qp" if kind == "QP" else "highs-lp"
        if res.status is TerminationStatus.OPTIMAL:
            return _Resolve(solver, float(pr.evaluate(x, res.z)["f"]), res.z)
        if res.status not in (TerminationStatus.INFEASIBLE, TerminationStatus.UNBOUNDED,
                              TerminationStatus.INFEASIBLE_OR_UNBOUNDED):
            return None  # stopped without an answer: the next tier decides
        return _Resolve(solver, np.nan, None, res.raw_status)

    def _convex_local(self, x: np.ndarray, y_hat: np.ndarray,
                      admission: _Admission) -> _Resolve:
        """One IPOPT solve of a large convex QP lower level (global by convexity)."""
        res = self._solve_weighted(self._local, x, [], y_hat, admission.g_bounds,
                                   admission.ll_scales, admission.f_scale)
        if not res.status.is_local_solution:
            return _Resolve("ipopt(convex QP)", np.nan, None, res.raw_status)
        z = self._on_box(res.z, y_hat)
        return _Resolve("ipopt(convex QP)", float(self.program.evaluate(x, z)["f"]), z)

    def _budget(self, limit: float, deadline: Deadline) -> float:
        """Seconds for one exact or global re-solve: ``limit``, cut to the time left before
        ``deadline`` but never below ``min_check_time``."""
        return min(limit, max(deadline.remaining(), self.options.min_check_time))

    # global path ------------------------------------------------------------------------
    @cached_property
    def _data(self) -> dict[str, float]:
        """The data's scales of F and f (:func:`~bilevel_mp.checks.scales.data_scales`)."""
        return data_scales(self.program)

    @cached_property
    def _scip_ready(self) -> bool:
        return scip_available() and 0 < self.program.ny <= self.options.scip_max_vars

    def _global(self, x: np.ndarray, y_hat: np.ndarray, admission: _Admission,
                deadline: Deadline) -> _Resolve | None:
        """SCIP's global solve of the (relaxed) LL at x, or ``None`` when SCIP is missing,
        cannot express the LL, or stops without a proof within its budget
        (:meth:`_budget`)."""
        if not self._scip_ready:
            return None
        budget = self._budget(self.options.scip_time_limit, deadline)
        pr = self.program.as_sx  # SCIP's expressions are translated from SX graphs
        g_lb, g_ub = admission.g_bounds
        deadline = Deadline.after(budget)
        # SCIP minimizes f / s with s = max(|f(x̂, ŷ)|, d_f), the scale of the gap test at
        # a near-optimal ŷ: its absolute epsilons (1e-9) are then relative to that scale
        # (a spread over unit steps as s, 1e3 times larger in SinhaMaloDeb2014TP9, left
        # SCIP's bound 3.2e-6 below its optimum, beyond the gap tolerance 1e-6)
        scale = max(abs(float(self.program.evaluate(x, y_hat)["f"])), self._data["f"])
        scale = scale if np.isfinite(scale) and scale > 0 else 1.0
        for feastol in (1e-8, self.options.feas_tol):  # x̂ may sit on a degenerate LL set
            try:
                res, y = self._scip_at(x, y_hat, pr.f / scale, ca.vertcat(pr.g, pr.h), g_lb,
                                       g_ub, deadline, feastol, self.options.scip_bound_wait)
            except NotExpressible:
                return None
            if res.status not in (TerminationStatus.INFEASIBLE,
                                  TerminationStatus.INFEASIBLE_OR_UNBOUNDED):
                break
        if res.status is not TerminationStatus.OPTIMAL:
            return None
        return _Resolve("scip(global)", float(self.program.evaluate(x, y)["f"]), y,
                        bound=res.extra["dual_bound"] * scale)

    def _scip_at(self, x: np.ndarray, y_hat: np.ndarray, objective: ca.SX, rows: ca.SX,
                 rows_lb: np.ndarray, rows_ub: np.ndarray, deadline: Deadline,
                 feastol: float, bound_wait: float | None = None):
        """SCIP's ``min objective s.t. rows_lb <= rows <= rows_ub`` over y in its box
        widened to ŷ, with x = x̂ (``objective`` and ``rows`` in the SX program's symbols),
        and its point put back on that box: SCIP stops up to ``feastol`` outside it, where f
        can be lower by 1e-8 than anywhere inside (``bound_wait`` as in
        :func:`~bilevel_mp.solvers.scip_nlp.solve_scip_nlp`). Raises
        :class:`NotExpressible`."""
        pr = self.program.as_sx
        objective, rows = (ca.substitute([e], [pr.x, pr.p], [ca.DM(x), ca.DM(pr.p_values)])[0]
                           for e in (objective, rows))
        lo, hi = np.minimum(pr.y_lb, y_hat), np.maximum(pr.y_ub, y_hat)
        res = solve_scip_nlp(pr.y, objective, rows, rows_lb, rows_ub, lo, hi, deadline,
                             feastol=feastol, bound_wait=bound_wait)
        return res, self._on_box(res.z, y_hat)

    def _on_box(self, y: np.ndarray, y_hat: np.ndarray) -> np.ndarray:
        """``y`` put on the box of y widened to ŷ. Solvers stop up to their feasibility
        tolerance outside it (SCIP by its feastol, IPOPT by its bound relaxation, 1e-8),
        where f can be lower by 1e-8 than anywhere inside: in PaulaviciusAdjiman2017a,
        ``f = x y² - y⁴/2`` at ``y = 1 + 1e-8`` made ŷ = 0 look only ε-optimal at the tie
        x = 1/2."""
        pr = self.program
        y = np.asarray(y, dtype=float)
        return np.clip(y, np.minimum(pr.y_lb, y_hat), np.maximum(pr.y_ub, y_hat)) if y.size \
            else y

    # multistart path ----------------------------------------------------------------
    @cached_property
    def _local(self) -> CompiledSolver:
        """The LL at a fixed x (a parameter) as one compiled IPOPT, rows ``[g; h]``
        weighted (see :meth:`_solve_weighted`)."""
        return NLP_BACKEND.build(self.program.lower_level.nlp(weighted=True), {"max_iter": 500})

    @cached_property
    def _response(self) -> CompiledSolver:
        """``min_y F(x, y) s.t. [g; h] within bounds, f(x, y) - φ <= 0`` at a fixed x, with
        φ the last parameter: the best upper-level value over exact LL responses."""
        pr = self.program
        phi = symbol_like(pr.x, "phi", 1)
        nlp = pr.lower_level.nlp(objective=pr.F, extra_rows=pr.f - phi, extra=phi,
                                 weighted=True)
        return NLP_BACKEND.build(nlp, {"max_iter": 500, "tol": 1e-10,
                                       "constr_viol_tol": 1e-10})

    def _solve_weighted(self, solver: CompiledSolver, x: np.ndarray, extra: list[float],
                        y0: np.ndarray, bounds: tuple[np.ndarray, np.ndarray],
                        row_scales: np.ndarray, objective_scale: float):
        """One solve with every row divided by its scale and the objective by its own, so
        that IPOPT's absolute tolerances mean the same at every scale of the data (a row
        multiplied by 1e-6 is otherwise almost free for it)."""
        weights = 1.0 / np.maximum(row_scales, 1e-300)
        weight0 = 1.0 / objective_scale if objective_scale > 0 else 1.0
        p = np.concatenate([self.program.lower_level.parameters(x, extra), weights,
                            [weight0]])
        return solver.solve(p, np.asarray(y0, dtype=float),
                            g_bounds=(bounds[0] * weights, bounds[1] * weights))

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
        return np.vstack([lo + sample * (hi - lo), self._face_starts(y_hat)])

    FACE_STARTS_MAX_NY = 10
    """Largest number of LL variables for which ŷ moved onto each bound is a start."""

    def _face_starts(self, y_hat: np.ndarray) -> np.ndarray:
        """ŷ with one coordinate moved onto each of its finite bounds (lower levels with at
        most :attr:`FACE_STARTS_MAX_NY` variables): a better point on a face next to ŷ,
        where IPOPT's interior path from ŷ stops short (trust seed 287: y0 = 0.0072 where
        y0 = 0 is better by 2.3e-5), is then a start itself."""
        pr = self.program
        if pr.ny > self.FACE_STARTS_MAX_NY:
            return np.zeros((0, pr.ny))
        faces = []
        for i in range(pr.ny):
            for bound in (pr.y_lb[i], pr.y_ub[i]):
                if np.isfinite(bound) and bound != y_hat[i]:
                    face = np.array(y_hat, dtype=float)
                    face[i] = bound
                    faces.append(face)
        return np.array(faces).reshape(-1, pr.ny)

    def _multistart(self, x: np.ndarray, y_hat: np.ndarray, admission: _Admission,
                    strict: bool = False) -> _Resolve:
        """Best admitted point of every run (whatever IPOPT's status) and of ŷ; for a small
        nonsmooth lower level, then polished by :meth:`_polish`. When ``strict``, only
        points at least as feasible as ŷ count (:meth:`_admitted`)."""
        pr = self.program
        best_val, best_y, runs = np.inf, None, 0
        for y0 in [y_hat, pr.y0, *self._starts(y_hat)]:
            res = self._solve_weighted(self._local, x, [], y0, admission.g_bounds,
                                       admission.ll_scales, admission.f_scale)
            runs += 1
            for y in (self._on_box(res.z, y_hat), y0):  # a start is a point too
                if not np.all(np.isfinite(y)) or not self._admitted(x, y, admission,
                                                                       strict):
                    continue
                value = float(pr.evaluate(x, y)["f"])
                if value < best_val:
                    best_val, best_y = value, np.asarray(y, dtype=float)
        solver = f"ipopt-multistart({runs})"
        if pr.ny <= self.POLISH_MAX_NY and self._nonsmooth_ll:  # the test walks f, g, h
            for y0 in [y for y in (best_y, y_hat) if y is not None]:
                y = self._polish(x, y0, admission)
                if y is not None and self._admitted(x, y, admission, strict) and (
                        value := float(pr.evaluate(x, y)["f"])) < best_val:
                    best_val, best_y, solver = value, y, f"{solver}+powell"
        return _Resolve(solver, best_val, best_y)

    POLISH_MAX_NY = 10
    """Largest number of LL variables for which the multistart's best point is polished."""

    @cached_property
    def _nonsmooth_ll(self) -> bool:
        pr = self.program.as_sx
        return any(is_nonsmooth(e) for e in (pr.f, pr.g, pr.h) if e.numel())

    def _polish(self, x: np.ndarray, y0: np.ndarray, admission: _Admission
                ) -> np.ndarray | None:
        """Powell's derivative-free search (SciPy) from ``y0`` over the box of y on
        ``f / s_f`` plus an exact penalty on the rows beyond what admitted ŷ; its point
        when admitted. IPOPT stalls where f has a kink (``|y0 - 1|`` with ŷ0 on it: trust
        seed 295, where y1 = 1.1276 passed although 1.1304 is better), a line search along
        each coordinate does not."""
        pr = self.program
        allowed = np.maximum(admission.ll_tolerance,
                             np.concatenate([admission.shift_g, admission.shift_h]))
        scale = admission.f_scale if admission.f_scale > 0 else 1.0

        def merit(y: np.ndarray) -> float:
            ev = pr.evaluate(x, y)
            rows = np.concatenate([np.maximum(ev["g"], 0.0), np.abs(ev["h"])])
            excess = np.maximum(rows - allowed, 0.0) / np.maximum(allowed, 1e-300)
            value = float(ev["f"]) / scale + 1e3 * float(np.sum(excess))
            return value if np.isfinite(value) else np.inf

        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                res = minimize(merit, np.clip(y0, pr.y_lb, pr.y_ub), method="Powell",
                               bounds=list(zip(pr.y_lb, pr.y_ub, strict=True)),
                               options={"xtol": 1e-10, "ftol": 1e-14, "maxfev": 4000})
        except ValueError:  # SciPy's Powell fails when the merit is inf along every line
            return None
        y = np.asarray(res.x, dtype=float)
        return y if np.all(np.isfinite(y)) and self._admitted(x, y, admission) else None

    # the upper-level value -----------------------------------------------------------
    def _response_value(self, x: np.ndarray, y_hat: np.ndarray, resolve: _Resolve,
                        admission: _Admission, scale_f: float,
                        noise_f: float) -> tuple[float, np.ndarray | None]:
        """Best ``F(x̂, y)`` found over exact optimal responses y, and that y (``inf`` and
        ``None`` when none)."""
        pr, opt = self.program, self.options
        phi = resolve.best
        best, best_y = np.inf, None
        candidates = [resolve.best_y]
        g_lb, g_ub = admission.g_bounds
        bounds = (np.append(g_lb, -np.inf), np.append(g_ub, 0.0))
        scale_F = with_floor(objective_spreads(pr, [x], [y_hat, resolve.best_y])["F"], 1e-300)
        for y0 in (y_hat, resolve.best_y):
            candidates.append(self._on_box(self._solve_weighted(
                self._response, x, [phi], y0, bounds,
                np.append(admission.ll_scales, scale_f), scale_F).z, y_hat))
        for y in candidates:
            if y is None or not np.all(np.isfinite(y)) or not self._admitted(x, y, admission):
                continue
            values = pr.evaluate(x, y)
            if values["f"] - phi <= opt.response_tolerance(scale_f, values["f"], phi,
                                                           noise_f) and (
                    values["F"] < best):
                best, best_y = values["F"], y
        return best, best_y

    def _global_response(self, x: np.ndarray, y_hat: np.ndarray, admission: _Admission,
                         bound: float, tol: float, scale_f: float, deadline: Deadline
                         ) -> tuple[float, np.ndarray | None]:
        """``min F(x̂, y)`` over admitted y with ``f(x̂, y) <= bound + tol/2``, globally by
        SCIP, and that y; ``(inf, None)`` when SCIP cannot express or solve it or its point
        is not within ``tol`` of ``bound`` (trust seed 857: SCIP's incumbent ŷ is 5.9e-8
        above its bound, reached only at the other end of the follower's interval)."""
        if not self._scip_ready:
            return np.inf, None
        pr = self.program.as_sx
        g_lb, g_ub = admission.g_bounds
        scale = scale_f if scale_f > 0 else 1.0
        try:
            res, y = self._scip_at(
                x, y_hat, pr.F, ca.vertcat(pr.g, pr.h, pr.f / scale), np.append(g_lb, -np.inf),
                np.append(g_ub, (bound + 0.5 * tol) / scale),
                Deadline.after(self._budget(self.options.response_time_limit, deadline)),
                1e-9)
        except NotExpressible:
            return np.inf, None
        if not y.size or not np.all(np.isfinite(y)):
            return np.inf, None
        values = self.program.evaluate(x, y)
        if not self._admitted(x, y, admission) or values["f"] - bound > tol:
            return np.inf, None
        return float(values["F"]), y

    # public -----------------------------------------------------------------------
    def check_or_repair(self, x: np.ndarray, y: np.ndarray, deadline: Deadline | None = None
                        ) -> tuple[np.ndarray, VerificationReport]:
        """:meth:`check` ``(x, y)``; when ŷ had to be replaced (the method stopped where ŷ
        is only ε-optimal, typically a hair on the wrong side of a point where the
        follower's optimal set jumps) or the lower level at x̂ has no optimum (x̂ a hair
        outside its bounds, where an LP lower level turns unbounded), also check
        ``(x', ŷ)`` for the nearby upper-level points of :meth:`nearby_points` and keep one
        where ŷ is an exact response (with a better F than the replaced one). The point
        returned is the point checked; nothing is claimed about x̂.

        An x̂ outside its bounds by no more than the bound tolerance (IPOPT relaxes bounds
        by about 1e-8) is first put on them, where the evaluation stays finite: a lower
        level can have a tie exactly on the bound that the point a hair outside breaks."""
        x = self.onto_bounds(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
        report = self.check(x, y, deadline)
        no_optimum = report.ll_gap == np.inf  # unbounded or infeasible at x̂ (nan: unchecked)
        if not (report.replaced_y or no_optimum):
            return np.asarray(x, dtype=float), report
        pr = self.program
        value = np.inf if no_optimum else pr.evaluate(x, report.y)["F"]
        for nearby in self.nearby_points(np.asarray(x, dtype=float)):
            other = self.check(nearby, y, deadline)
            if (not other.replaced_y and other.ul_feasible and other.verification in (
                    Verification.CERTIFIED, Verification.NO_BETTER_FOUND)
                    and pr.evaluate(nearby, y)["F"] < value):
                return nearby, dataclasses.replace(other, message="; ".join(m for m in (
                    f"x̂ moved by {np.max(np.abs(nearby - x)):.3g} (to its bounds, small "
                    "entries to 0 or rounded at the tolerance), where ŷ is an exact "
                    "lower-level response", other.message) if m))
        return np.asarray(x, dtype=float), report

    def onto_bounds(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """``x`` clipped to its bounds when it lies outside them by at most the bound
        tolerance and every function of the program stays finite there at ``(x, y)``;
        else ``x``."""
        pr = self.program
        inside = np.clip(x, pr.x_lb, pr.x_ub)
        if np.array_equal(inside, x) or np.any(
                np.abs(inside - x) > self.options.row_tolerance(np.ones_like(x))):
            return x
        values = pr.evaluate(inside, y)
        if not all(np.all(np.isfinite(values[k])) for k in ("F", "f", "G", "H", "g", "h")):
            return x
        return inside

    def value_off_the_box(self, x: np.ndarray, y: np.ndarray, F: float) -> str:
        """Why the value ``F`` (minimization form) at ``(x, y)`` depends on ``x`` lying
        outside its bounds (``""`` when x is in its box, or when F at x clipped to the box
        agrees within the value tolerance). A model whose F diverges at a bound, such as
        a cost ``y / (1 + x)`` with ``x >= -1`` (BOLIB's NetworkDesignP1), is unbounded
        below just outside it, within the bound tolerance."""
        pr = self.program
        x = np.asarray(x, dtype=float)
        inside = np.clip(x, pr.x_lb, pr.x_ub)
        if np.array_equal(inside, x):
            return ""
        F_inside = float(pr.evaluate(inside, y)["F"])
        spread = objective_spreads(pr, [pr.x0], [y, pr.y0])["F"]
        if np.isfinite(F_inside) and abs(F_inside - F) <= self.options.value_tolerance(
                spread, F, F_inside):
            return ""
        return (f"F = {F:.6g} is reached only with x̂ {np.max(np.abs(inside - x)):.3g} "
                f"outside its bounds (F = {F_inside:.6g} on them)")

    def ties(self, F_a: float, F_b: float) -> bool:
        """Whether two upper-level values (minimization form) are equally good answers:
        within :meth:`~bilevel_mp.tolerances.Tolerances.tie_tolerance` at the scale
        ``max(d_F, |F|)``."""
        scale = with_floor(self._data["F"], min(abs(F_a), abs(F_b)))
        return bool(abs(F_a - F_b) <= self.options.tie_tolerance(scale, F_a, F_b))

    def nearby_points(self, x: np.ndarray) -> list[np.ndarray]:
        """Upper-level points within ``feas_tol`` (relative) of x: x clipped to its bounds,
        that point with entries below ``δ = feas_tol · max(1, ||x||_∞)`` set to 0, and x
        rounded to the nearest multiple of the power of ten at or above δ (a method that
        stops 1e-8 short of x = -0.25, where the follower's optimal set jumps, is moved
        onto it), each clipped to the bounds."""
        pr, opt = self.program, self.options
        delta = opt.feas_tol * max(1.0, float(np.max(np.abs(x), initial=0)))
        clipped = np.clip(x, pr.x_lb, pr.x_ub)
        cleaned = np.clip(np.where(np.abs(clipped) <= delta, 0.0, clipped), pr.x_lb, pr.x_ub)
        step = 10.0 ** np.ceil(np.log10(delta)) if delta > 0 else 0.0
        rounded = np.clip(np.round(x / step) * step, pr.x_lb, pr.x_ub) if step else clipped
        out: list[np.ndarray] = []
        for point in (clipped, cleaned, rounded):
            if not np.array_equal(point, x) and not any(np.array_equal(point, p) for p in out):
                out.append(point)
        return out

    def check(self, x: np.ndarray, y: np.ndarray,
              deadline: Deadline | None = None) -> VerificationReport:
        """Verify ``(x, y)``; see the module docstring for the rules. A ``deadline`` bounds
        the global solve (the multistart, which is cheap, always runs).

        Each point is verified once: the reports of the last :data:`REPORTS_KEPT` points are
        kept and returned again (a method that verified its point inside its loop, and the
        final check of the same point by :func:`bilevel_mp.solve`, share one re-solve). The
        check is deterministic (the multistart's sample is seeded)."""
        x = np.asarray(x, dtype=float)
        y = np.asarray(y, dtype=float)
        key = (x.tobytes(), y.tobytes())
        if key not in self._reports:
            if len(self._reports) >= REPORTS_KEPT:
                del self._reports[next(iter(self._reports))]
            self._reports[key] = self._verify(x, y, deadline or Deadline())
        return self._reports[key]

    def _verify(self, x: np.ndarray, y: np.ndarray, deadline: Deadline) -> VerificationReport:
        t0 = time.perf_counter()
        pr, opt = self.program, self.options
        at_hat = pr.evaluate(x, y)
        ll_value, F_hat = at_hat["f"], at_hat["F"]
        adm = self._admit(x, y, at_hat)

        def report(verdict, gap=np.nan, resolve=None, message="", **extra):
            return VerificationReport(
                verdict, gap, ll_value,
                np.nan if resolve is None else resolve.best,
                None if resolve is None else resolve.best_y,
                "" if resolve is None else resolve.solver,
                adm.ul_violation, adm.ll_violation, message, time.perf_counter() - t0,
                ul_feasible=adm.ul_feasible, ll_feasible=adm.ll_feasible, excess=adm.excess,
                y=y, **extra)

        if adm.integrality > opt.integrality_tol:
            return report(Verification.NOT_CHECKED, message=(
                f"x̂ is not integral (an integer variable is {adm.integrality:.3g} from the "
                "nearest integer): the lower level is not checked at a point that is not an "
                "upper-level point"))
        resolve = self._exact(x, y, adm, deadline)
        exact = resolve is not None
        if resolve is None and adm.ll_feasible and adm.ul_excess <= NEAR_FEASIBLE_FACTOR:
            resolve = self._global(x, y, adm, deadline)
        if resolve is None:
            resolve = self._multistart(x, y, adm)
        if resolve.best_y is None and exact:
            if adm.ll_feasible and "nfeasible" in resolve.problem:
                return report(Verification.NOT_CHECKED, np.nan, resolve, (
                    f"inconclusive: {resolve.solver} reports the lower level at x̂ "
                    f"{resolve.problem} over a set that contains ŷ (ŷ violates it by "
                    f"{adm.ll_violation:.3g}); nothing is certified"))
            return report(Verification.SUBOPTIMAL, np.inf, resolve,
                          f"lower level at x̂ is {resolve.problem}: no LL optimum exists")
        if not exact and resolve.best_y is not None and not self._admitted(x, resolve.best_y,
                                                                             adm):
            resolve = self._admitted_near(x, y, resolve, adm)
        if adm.ll_feasible and (resolve.best_y is None or ll_value <= resolve.best):
            resolve = _Resolve(resolve.solver, ll_value, y, resolve.problem, resolve.bound)
        sc = objective_scales(pr, x, [y, resolve.best_y], self._data)
        scale_f = with_floor(sc.data_f, resolve.best)
        scale_F = with_floor(sc.data_F, F_hat)
        reference = min(resolve.best, resolve.bound) if np.isfinite(resolve.bound) \
            else resolve.best
        gap = ll_value - reference if np.isfinite(reference) else np.inf
        tol = opt.gap_tolerance(scale_f, ll_value, reference, sc.noise_f)
        if adm.ll_feasible and gap > tol and ll_value - resolve.best <= tol:
            # a bound alone is no witness: SUBOPTIMAL needs a point better by more than tol
            return report(Verification.NOT_CHECKED, ll_value - resolve.best, resolve, (
                f"inconclusive: {resolve.solver}'s lower bound {resolve.bound:.6g} on φ(x̂) "
                f"is {gap:.3g} below f(x̂, ŷ), and no lower-level point better than ŷ was "
                "found: ŷ is neither proven optimal nor shown suboptimal"), gap_tolerance=tol)
        ok = gap <= tol and adm.ll_feasible
        if not ok:
            verdict = Verification.SUBOPTIMAL
        elif exact or np.isfinite(resolve.bound):
            verdict = Verification.CERTIFIED
        else:
            verdict = Verification.NO_BETTER_FOUND
        message, response = "", np.nan
        if not adm.ll_feasible:
            message = f"ŷ violates the lower-level constraints by {adm.ll_violation:.3g}"
        elif not ok:
            message = f"a lower-level point better by {gap:.3g} exists at x̂"
        else:
            response, response_y = self._check_value(x, y, at_hat, resolve, adm, sc, scale_f,
                                                     scale_F, deadline)
            if response > F_hat + opt.value_tolerance(scale_F, F_hat, response, sc.noise_F):
                if response_y is None:
                    return report(Verification.SUBOPTIMAL, gap, resolve, (
                        f"ŷ is only {gap:.3g}-optimal and no exactly optimal lower-level "
                        f"response was found at x̂"), gap_tolerance=tol)
                moved = self.check(x, response_y, deadline)
                return dataclasses.replace(moved, replaced_y=True, message="; ".join(m for m in (
                    f"ŷ was only {gap:.3g}-optimal and no exactly optimal lower-level response "
                    f"reaches its F = {F_hat:.6g} (minimization form): the point checked and "
                    f"reported has ŷ replaced by the best exact response, F = {response:.6g}",
                    moved.message) if m))
        return report(verdict, gap, resolve, message, gap_tolerance=tol,
                      response_value=response)

    def _check_value(self, x, y, at_hat: dict, resolve: _Resolve, adm: _Admission,
                     sc: ObjectiveScales, scale_f: float, scale_F: float,
                     deadline: Deadline) -> tuple[float, np.ndarray | None]:
        """The best F over exact responses and its point; ``(F(x̂, ŷ), ŷ)`` when ŷ is an
        exact response itself (``at_hat``: the program evaluated at ``(x, y)``). The global
        solve gets the budget of :meth:`_budget`."""
        pr, opt = self.program, self.options
        ll_value, F_hat = at_hat["f"], at_hat["F"]
        if ll_value - resolve.best <= opt.response_tolerance(scale_f, ll_value, resolve.best,
                                                             sc.noise_f):
            bound = resolve.bound if np.isfinite(resolve.bound) else resolve.best
            tol = opt.response_tolerance(scale_f, ll_value, bound, sc.noise_f)
            if ll_value - bound <= tol:
                return F_hat, y
            # SCIP kept ŷ as its incumbent, but its bound leaves room for a better response
            # (it stops within its own gap): SCIP's min F over f <= bound + tol decides
            witness, witness_y = self._global_response(x, y, adm, bound, tol, scale_f, deadline)
            if witness_y is not None:
                return witness, witness_y
            # no point within tol of SCIP's bound: the bound is loose (its epigraph row holds
            # only within SCIP's feastol, 1e-8 of the scale), so it decides nothing; the
            # multistart looks for a point better than ŷ by more than tol (trust seed 656:
            # ŷ0 on the wrong bound of a slope 1e-8, which reverses F by 1.5) and at least
            # as feasible as ŷ: at this level a point inside the row tolerance beats ŷ by
            # its violation alone (MitsosBarton2006Ex33: y = 0.9999999 violates 1 - y² <= 0
            # by 2e-7 and beats the exact response ŷ = -1 by as much)
            resolve = self._multistart(x, y, adm, strict=True)
            if resolve.best_y is None or ll_value - resolve.best <= tol:
                return F_hat, y
        F_best = pr.evaluate(x, resolve.best_y)["F"]
        if F_best <= F_hat + opt.value_tolerance(scale_F, F_hat, F_best, sc.noise_F):
            return F_best, resolve.best_y
        witness, witness_y = self._response_value(x, y, resolve, adm, scale_f, sc.noise_f)
        return (witness, witness_y) if witness < F_best else (F_best, resolve.best_y)
