"""``implicit``: minimize ``𝓕(x) = F(x, y(x))`` with hypergradients (survey §5–6).

Each evaluation solves the lower level at ``x`` with IPOPT, warm-started from the previous
``y`` and multipliers, and computes ``∇𝓕(x)`` by the chosen variant of
:mod:`bilevel_mp.methods.hypergradient`. The upper level is then an optimization over
``x`` alone: bounds of ``x`` go to the optimizer as bounds, rows of ``G``/``H`` that depend on
``x`` only as constraints — SciPy's ``SLSQP`` when there are such rows, ``L-BFGS-B``
otherwise. Rows of ``G``/``H`` that involve ``y`` cannot be expressed in ``x`` alone:
:class:`~bilevel_mp.errors.ReformulationNotApplicable` names them.

Assumptions: a unique, nondegenerate lower-level solution (LLICQ, strict complementarity,
second-order sufficiency). Where they fail the method says so (see the diagnostics of
:mod:`bilevel_mp.methods.hypergradient`) and the verification of the final point decides
what is reported. For lower levels with many solutions, Tikhonov regularization
``f + α/2 ‖y‖²`` (§6.2, (6.5)–(6.7)) with ``α = tikhonov, tikhonov/10, ...`` down to
``tikhonov_min``, each stage warm-started: the limit points are lower Stackelberg points
in the sense of the survey's discussion, which need not solve the optimistic problem.
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass, field

import casadi as ca
import numpy as np
from scipy.optimize import minimize

from bilevel_mp.candidates import Candidate
from bilevel_mp.checks.verify import VerifyOptions
from bilevel_mp.errors import ConvexityWarning, ReformulationNotApplicable
from bilevel_mp.ir.program import BilevelProgram, symbol_like
from bilevel_mp.ir.structure import Structure
from bilevel_mp.methods.driver import Stage, no_stages, run_stages
from bilevel_mp.methods.homotopy import MethodOutcome
from bilevel_mp.methods.hypergradient import (
    Diagnostics,
    LowerLevelDerivatives,
    UnrolledObjective,
    Variant,
    active_set,
    aid_hypergradient,
    exact_hypergradient,
)
from bilevel_mp.options import CheckedOptions
from bilevel_mp.reformulations.base import BilevelSolution
from bilevel_mp.solvers.base import Backend, Deadline
from bilevel_mp.solvers.ipopt import IpoptBackend
from bilevel_mp.solvers.registry import get_backend
from bilevel_mp.status import TerminationStatus, Verification


@dataclass(frozen=True)
class ImplicitOptions(CheckedOptions):
    """Options of the ``implicit`` method.

    Attributes
    ----------
    hypergradient
        ``"exact"``, ``"aid"`` or ``"itd"``.
    max_iter
        Upper-level iterations (per Tikhonov stage).
    tol
        Upper-level optimizer tolerance.
    active_tol, sc_tol
        A constraint is strongly active when ``u_i > sc_tol``, weakly active when
        ``u_i <= sc_tol`` and ``g_i > -active_tol``.
    aid_tol
        Relative residual of the Krylov solve (``aid``).
    itd_steps, itd_step_size
        ``T`` and ``η`` of ``itd`` (``η`` default: ``1/L`` with ``L`` the largest
        eigenvalue of ``∇²_yy f`` at the start point).
    tikhonov, tikhonov_min
        First and last weight ``α`` of the Tikhonov term (0: no regularization).
    ll_ipopt_options
        IPOPT options of the lower-level solves.
    """

    hypergradient: Variant = "exact"
    max_iter: int = 200
    tol: float = 1e-9
    active_tol: float = 1e-6
    sc_tol: float = 1e-6
    aid_tol: float = 1e-12
    itd_steps: int = 200
    itd_step_size: float | None = None
    tikhonov: float = 0.0
    tikhonov_min: float = 1e-6
    ll_ipopt_options: dict = field(default_factory=lambda: {"tol": 1e-11})


class _LowerLevelFailure(Exception):
    """IPOPT found no lower-level solution at some x."""


def coupled_rows(program: BilevelProgram) -> list[str]:
    """Names of the rows of ``G`` and ``H`` that depend on ``y``."""
    out = []
    for expr, names in ((program.G, program.names["G"]), (program.H, program.names["H"])):
        out += [names[i] for i in range(expr.numel()) if ca.depends_on(expr[i], program.y)]
    return out


class ImplicitProblem:
    """``x ↦ (𝓕(x), ∇𝓕(x))`` for one program, with warm-started lower-level solves."""

    def __init__(self, program: BilevelProgram, options: ImplicitOptions,
                 backend: Backend | None = None) -> None:
        pr = self.program = program
        self.options = options
        self.derivs = LowerLevelDerivatives(program)
        alpha = symbol_like(pr.x, "alpha")
        self.q = pr.g.numel()
        self.ll = (backend or IpoptBackend()).build(pr.lower_level.nlp(  # with α|y|²/2
            objective=pr.f + 0.5 * alpha * ca.sumsqr(pr.y), extra=alpha),
            options.ll_ipopt_options)
        self.y, self.lam = np.array(pr.y0, dtype=float), None
        self.diag = Diagnostics()
        self.ll_solves = 0
        self.times = {"lower_level": 0.0, "hypergradient": 0.0}
        self._cache: dict[tuple, tuple[float, np.ndarray]] = {}
        self.best: Candidate | None = None  # the best x evaluated (for the deadline)
        self.best_x: np.ndarray | None = None
        self._unrolled: UnrolledObjective | None = None

    def lower_level(self, x: np.ndarray, alpha: float) -> tuple[np.ndarray, np.ndarray,
                                                                 np.ndarray]:
        """``(y, u, v)`` at ``x``, warm-started from the previous solve."""
        t0 = time.perf_counter()
        p = self.program.lower_level.parameters(x, [alpha])
        warm = self.lam is not None
        res = self.ll.solve(p, self.y, self.lam, None, warm=warm)
        if not res.status.is_local_solution and warm:
            res = self.ll.solve(p, self.program.y0)
        self.ll_solves += 1
        self.times["lower_level"] += time.perf_counter() - t0
        if not res.status.is_local_solution:
            raise _LowerLevelFailure(f"lower level at x = {x}: {res.raw_status}")
        self.y, self.lam = res.z, res.lam_g
        return res.z, np.maximum(res.lam_g[:self.q], 0.0), res.lam_g[self.q:]

    def unrolled(self, alpha: float) -> UnrolledObjective:
        """The ITD objective (built once, from the program's start point)."""
        if self._unrolled is None:
            eta = self.options.itd_step_size or 1.0 / self._lipschitz(alpha)
            self._unrolled = UnrolledObjective(self.program, self.options.itd_steps, eta, alpha)
        return self._unrolled

    def _lipschitz(self, alpha: float) -> float:
        pr = self.program
        args = self.derivs.arguments(pr.x0, pr.y0, np.zeros(self.q),
                                     np.zeros(pr.h.numel()), alpha)
        hess = np.asarray(ca.DM(self.derivs.second(*args)[0]), dtype=float)
        return max(float(np.max(np.abs(np.linalg.eigvalsh(0.5 * (hess + hess.T))))), 1e-12)

    def value_and_gradient(self, x: np.ndarray, alpha: float) -> tuple[float, np.ndarray]:
        """``(𝓕(x), ∇𝓕(x))`` by the configured variant (cached per ``x``: optimizers ask
        for the same point more than once)."""
        key = (alpha, *np.round(x, 15))
        if key not in self._cache:
            self._cache[key] = self.evaluate(x, alpha)
            pr = self.program
            # iterates are ranked before any check, by their absolute violations
            violation = max(pr.ul_violation(x, self.y), pr.ll_violation(x, self.y))
            candidate = Candidate.of_point(self._cache[key][0],
                                           violation / VerifyOptions().feas_tol,
                                           Verification.NOT_CHECKED)
            if candidate.better_than(self.best):
                self.best, self.best_x = candidate, np.array(x, dtype=float)
        return self._cache[key]

    def evaluate(self, x: np.ndarray, alpha: float) -> tuple[float, np.ndarray]:
        """``(𝓕(x), ∇𝓕(x))``, computed afresh; the lower-level solve and the hypergradient
        are timed separately in :attr:`times`."""
        variant = self.options.hypergradient
        if variant == "itd":
            y0 = np.clip(self.program.y0, self.program.y_lb, self.program.y_ub)
            t0 = time.perf_counter()
            value, grad, self.y = self.unrolled(alpha)(x, y0)
            self.times["hypergradient"] += time.perf_counter() - t0
        else:
            y, u, v = self.lower_level(x, alpha)
            t0 = time.perf_counter()
            args = self.derivs.arguments(x, y, u, v, alpha)
            g = np.asarray(self.derivs.constraints(*args)[0], dtype=float).ravel()
            act = active_set(g, u, self.options.active_tol, self.options.sc_tol)
            if act.weak.size:
                self.diag.strict_complementarity += 1
                self.diag.weak_constraints.update(self.program.names["g"][i] for i in act.weak)
            if variant == "exact":
                grad = exact_hypergradient(self.derivs, args, act, self.diag)
            else:
                grad = aid_hypergradient(self.derivs, args, act, self.diag,
                                         tol=self.options.aid_tol)
            value = float(self.derivs.upper(*args)[0])
            self.times["hypergradient"] += time.perf_counter() - t0
        return value, grad


def _x_constraints(program: BilevelProgram) -> list[dict]:
    """``G(x) <= 0`` and ``H(x) = 0`` as SciPy constraints (``fun >= 0`` / ``= 0``)."""
    pr = program
    y0, p = np.zeros(pr.ny), pr.p_values
    out = []
    for expr, kind, sign in ((pr.G, "ineq", -1.0), (pr.H, "eq", 1.0)):
        if expr.numel() == 0:
            continue
        fun = ca.Function("rows", [pr.x, pr.y, pr.p], [sign * expr, sign * ca.jacobian(expr, pr.x)])
        out.append({
            "type": kind,
            "fun": lambda x, fun=fun: np.asarray(fun(x, y0, p)[0], dtype=float).ravel(),
            "jac": lambda x, fun=fun: np.asarray(fun(x, y0, p)[1], dtype=float),
        })
    return out


@dataclass
class _TikhonovState:
    """What the Tikhonov stages of :func:`run_implicit` carry from one to the next."""

    x: np.ndarray
    status: TerminationStatus = TerminationStatus.LOCALLY_SOLVED
    raw: str = ""
    timed_out: bool = False  # the deadline passed inside a stage


CHAIN = "implicit: min_x F(x, y(x))"
"""The chain name in ``stats``: no reformulation, the lower level is solved at each x."""


def implicit_accepts(program: BilevelProgram, structure: Structure,
                     options: ImplicitOptions, solver: str = "ipopt") -> tuple[bool, str]:
    """Whether ``implicit`` applies: a continuous lower level, no upper-level row coupling
    x and y, and for ``itd`` no lower-level rows other than the bounds of y."""
    if reason := program.integer_ll_reason("y(x) is not differentiable"):
        return False, reason
    if coupled := coupled_rows(program):
        return False, ("upper-level constraints couple x and y: " + ", ".join(coupled)
                       + " (the implicit method optimizes over x alone)")
    general = np.setdiff1d(np.arange(program.g.numel()), program.g_bound_rows)
    if options.hypergradient == "itd" and (general.size or program.h.numel()):
        names = [program.names["g"][i] for i in general] + list(program.names["h"])
        return False, ("itd unrolls projected gradient steps onto the bounds of y; the "
                       "lower level has other constraints: " + ", ".join(names))
    return True, ""


def run_implicit(program: BilevelProgram, structure: Structure, options: ImplicitOptions,
                 deadline: Deadline, solver: str = "ipopt") -> MethodOutcome:
    """Run the hypergradient method of the module docstring."""
    ReformulationNotApplicable.unless("implicit", implicit_accepts(program, structure, options))
    if not structure.ll_convex:
        warnings.warn(f"lower level not proven convex ({structure.ll_reason}): y(x) from a "
                      "local solver may not be lower-level optimal", ConvexityWarning,
                      stacklevel=4)
    t0 = time.perf_counter()
    problem = ImplicitProblem(program, options, get_backend(solver))
    alphas = [0.0]
    if options.tikhonov > 0:
        alphas, a = [], options.tikhonov
        while a >= options.tikhonov_min:
            alphas.append(a)
            a /= 10.0
    bounds = list(zip(np.where(np.isfinite(program.x_lb), program.x_lb, None),
                      np.where(np.isfinite(program.x_ub), program.x_ub, None), strict=True))
    constraints = _x_constraints(program)
    state = _TikhonovState(np.clip(program.x0, program.x_lb, program.x_ub))

    def fun(z, alpha):
        if deadline.expired():
            raise TimeoutError
        return problem.value_and_gradient(z, alpha)

    def stage(index: int, alpha: float) -> Stage:
        try:
            res = minimize(fun, state.x, args=(alpha,), jac=True, bounds=bounds,
                           constraints=constraints,
                           method="SLSQP" if constraints else "L-BFGS-B",
                           options={"maxiter": options.max_iter, "ftol": options.tol})
        except TimeoutError:
            state.timed_out = True
            return Stage("deadline", done=True)
        n_iterations = int(res.get("nit", 0))  # scipy omits it when every x is fixed
        state.x, state.raw = res.x, str(res.message)
        if not res.success:
            state.status = TerminationStatus.ITERATION_LIMIT \
                if n_iterations >= options.max_iter else TerminationStatus.NUMERICAL_ERROR
        return Stage(state.raw, n_iterations, F=float(res.fun))

    try:
        # no x (simple bilevel): no stage, one LL solve
        run = run_stages("tikhonov stage", "alpha", alphas if program.nx else (), stage,
                         deadline)
        status, raw, x = state.status, state.raw, state.x
        if run.timed_out or state.timed_out:  # keep the best x evaluated so far
            status, raw = TerminationStatus.TIME_LIMIT, "deadline"
        if state.timed_out and problem.best_x is not None:
            x = problem.best_x
        try:
            y, u, v = problem.lower_level(x, alphas[-1])
        except _LowerLevelFailure:
            if not state.timed_out:
                raise
            y, u, v = problem.y, np.zeros(program.g.numel()), np.zeros(program.h.numel())
    except _LowerLevelFailure as exc:
        return MethodOutcome(TerminationStatus.NUMERICAL_ERROR, str(exc), None,
                             no_stages({"solve": time.perf_counter() - t0, **problem.times},
                                       CHAIN),
                             str(exc))
    stats = run.stats(
        {"solve": time.perf_counter() - t0, **problem.times}, CHAIN,
        lower_level_solves=problem.ll_solves, hypergradient=options.hypergradient,
        diagnostics={"llicq": problem.diag.llicq,
                     "strict_complementarity": problem.diag.strict_complementarity,
                     "singular": problem.diag.singular})
    solution = BilevelSolution(x=x, y=y, u=u, v=v)
    return MethodOutcome(status, raw, solution, stats, problem.diag.summary())
