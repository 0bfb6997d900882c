"""The active system of the single-level problem at a solved point, and its multipliers.

At the returned point ``(x*, y*)`` of a bilevel program (survey §2, (P)), with lower-level
multipliers ``(u, v)`` and the lower-level Lagrangian ``ℓ = f + uᵀg + vᵀh``, the KKT
reformulation (survey §7, (KKT)) with its index sets fixed is the *tightened* problem
(TNLP) of the MPCC in ``z = (x, y, u_A, v)``::

    min_z F(z, θ)   s.t.   ∇_y ℓ = 0,  h = 0,  H = 0,
                           g_i = 0            for i in A  (g_i = 0: active),
                           u_i = 0            for i in B  (biactive: g_i = 0 and u_i = 0),
                           G_j = 0            for active rows of G, and the active bounds of x,

(``u_i = 0`` for inactive rows: those ``u_i`` are not unknowns). Strongly active rows
(``u_i > 0``) and inactive ones keep their status under small perturbations of θ, so where
the upper-level multipliers of the biactive pairs and of the active ``G`` rows and bounds
are positive (strong stationarity with strict complementarity in the upper level), and the
TNLP satisfies LICQ and second-order sufficiency, the bilevel solution is locally the
TNLP's, which is a smooth function of θ (Fiacco's sensitivity theorem, applied to the
TNLP: Fiacco, *Introduction to Sensitivity and Stability Analysis in Nonlinear
Programming*, 1983, Thm 3.2.2; for MPCCs, Scheel and Scholtes, Math. Oper. Res. 25,
2000). A zero multiplier of such a row (weak activity) makes the map piecewise smooth:
:mod:`bilevel_mp.differentiation.pieces` handles it.

This module finds the index sets and both levels' multipliers by least squares (a result's
own multipliers are not used: every method's point is treated alike, the implicit method's
too, whose stationarity in ``x`` is the reduced form of the same conditions), checks the
assumptions, and assembles the matrices of the linearized system. The multipliers come
from the augmented system ``[[I, Mᵀ], [M, 0]] [r; w] = [-∇; 0]`` (``min ‖∇ + Mᵀw‖``), whose
matrix is nonsingular exactly when ``M`` has full row rank: the same factorization checks
LICQ.

A relaxation method (Scholtes, Lin–Fukushima, ...) stops about ``√t`` away from a
degenerate solution (a biactive pair ends with ``u_i ≈ -g_i ≈ √t``), which no tolerance
on KKT residuals accepts. When the point is not a KKT point to ``stationarity_tol``, the
index sets are identified again with looser tolerances τ = 10·``active_tol``, 100·
``active_tol``, ... up to ``refine_tol``, and for each the TNLP's KKT system is solved by
Newton's method from the returned point (its Jacobian is the matrix of the linearized
system); the first τ whose Newton point lies within ``10 τ`` and passes the strict
analysis is kept, derivatives are taken there, and the message says how far it is (the
idea of identifying the active set and then solving its equality-constrained problem:
Facchinei, Fischer and Kanzow, SIAM J. Optim. 9, 1998). Tight τ first: a row whose slack
is small but not zero (``y_i = 3e-5`` at a solution) is active for a loose τ, and the
refined point with ``y_i = 0`` is then not stationary.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import casadi as ca
import numpy as np
import scipy.sparse as sp

from bilevel_mp.differentiation.functions import SystemFunctions, system_functions
from bilevel_mp.errors import OptionError
from bilevel_mp.ir.program import BilevelProgram
from bilevel_mp.ir.structure import to_csc
from bilevel_mp.options import CheckedOptions
from bilevel_mp.solvers.sparse_lu import lu_factor

NEWTON_TOL = 1e-11
"""Relative KKT residual at which the Newton refinement stops (:func:`_refine`)."""


@dataclass(frozen=True)
class SensitivityOptions(CheckedOptions):
    """Tolerances of :func:`bilevel_mp.sensitivity`, :func:`bilevel_mp.vjp` and
    :func:`bilevel_mp.jvp`.

    Attributes
    ----------
    active_tol
        An inequality row ``c <= 0`` is active when ``c >= -active_tol · max(1, s)``, with
        ``s`` the largest entry of its gradient in ``(x, y)`` (a distance in the units of
        the variables).
    multiplier_tol
        A multiplier ``λ`` of a row with gradient scale ``s`` is zero when
        ``|λ| · max(1, s) <= multiplier_tol · max(1, ‖∇ objective‖∞)`` (the objective of
        the level the row belongs to); below ``-`` that it is negative.
    stationarity_tol
        Largest residual of either level's stationarity (relative to
        ``max(1, ‖∇ objective‖∞)``) for the point to count as a KKT point.
    max_condition
        A matrix whose 1-norm condition estimate exceeds this is singular.
    max_pieces
        Largest number of pieces (choices of status of the weakly active rows) examined
        at a degenerate point.
    check_tol
        Relative tolerance of the sign conditions that select a piece along a direction,
        and of the agreement of one-sided derivatives.
    refine_tol
        Loosest activity and multiplier tolerance (as ``active_tol``,
        ``multiplier_tol``) of the index sets used to refine a point that is not a KKT
        point (module docstring); a point refined with tolerance τ must lie within
        ``10 τ`` (relative to ``max(1, ‖(x, y)‖∞)``). ``refine=False`` turns the
        refinement off.
    refine
        Whether to refine.
    newton_iterations
        Largest number of Newton steps of the refinement.
    """

    active_tol: float = 1e-6
    multiplier_tol: float = 1e-6
    stationarity_tol: float = 1e-6
    max_condition: float = 1e12
    max_pieces: int = 64
    check_tol: float = 1e-6
    refine_tol: float = 1e-3
    refine: bool = True
    newton_iterations: int = 20

    def __post_init__(self) -> None:
        super().__post_init__()
        for name in ("active_tol", "multiplier_tol", "stationarity_tol", "max_condition",
                     "max_pieces", "check_tol", "refine_tol", "newton_iterations"):
            if not getattr(self, name) > 0:
                raise OptionError(f"sensitivity option {name} must be positive, got "
                                  f"{getattr(self, name)!r}")


@dataclass
class ActiveSystem:
    """The linearized active system at a point (module docstring), for ``k`` parameters.

    ``N`` unknowns ``z`` (all x, all y, ``u`` of the active lower-level rows, all v) and
    ``R`` equality rows. ``fatal`` says why no derivative exists (``""`` when they may);
    ``issues`` lists every failed assumption, ``notes`` what else the message should say.

    Attributes
    ----------
    hessian, hessian_p
        ``∇²_zz 𝓛`` (N × N) and ``∂(∇_z 𝓛)/∂θ`` (N × k).
    rows, rows_p
        ``∂c/∂z`` (R × N) and ``∂c/∂θ`` (R × k) of the equality rows.
    grad_F, grad_F_p
        ``∇_z F`` and ``∂F/∂θ`` (minimization form).
    uncertain
        Rows whose status may change: sign-constrained rows with a zero multiplier.
    pairs
        For each biactive lower-level row, its ``g_i = 0`` and ``u_i = 0`` rows (at least
        one of which holds on every piece).
    """

    nx: int
    ny: int
    hessian: sp.csc_matrix | None = None
    hessian_p: sp.csc_matrix | None = None
    rows: sp.csr_matrix | None = None
    rows_p: sp.csr_matrix | None = None
    grad_F: np.ndarray | None = None
    grad_F_p: np.ndarray | None = None
    uncertain: list[int] = field(default_factory=list)
    pairs: list[tuple[int, int]] = field(default_factory=list)
    issues: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    fatal: str = ""

    def fail(self, reason: str) -> ActiveSystem:
        """Record that no derivative exists, and why."""
        self.fatal = reason
        self.issues.append(reason)
        return self


@dataclass
class _Values:
    """The program's values at ``(x, y)``: what the index sets are decided on."""

    G_value: np.ndarray
    g: np.ndarray
    grad_f: np.ndarray
    scale_G: np.ndarray
    scale_g: np.ndarray
    jac_y: sp.csr_matrix  # [∇_y g; ∇_y h]
    finite: bool


@dataclass(frozen=True)
class _IndexSets:
    """The rows of the active system: lower-level rows ``active`` (``g_i = 0``, ``u_i`` an
    unknown) and, among them, ``biactive`` ones (``u_i = 0`` too); active rows of ``G``;
    bound rows of ``x`` as ``(index, coefficient, constant, name, signed)``, the row being
    ``coefficient · x_index + constant``."""

    active: np.ndarray
    biactive: np.ndarray
    G_active: np.ndarray
    bounds: tuple[tuple[int, float, float, str, bool], ...]


@dataclass
class _Failure:
    """Why the point has no derivative; ``inaccurate`` when a more accurate point might."""

    reason: str
    inaccurate: bool


@dataclass
class _Assembly:
    """The active system's rows at a point (before multipliers): ``values`` of the rows,
    their Jacobians, the objective's gradients, and what the rows are."""

    cols: np.ndarray          # positions of the unknowns z in (x, y, u, v)
    nonlinear: np.ndarray     # positions of the nonlinear rows in c
    values: np.ndarray
    rows: sp.csr_matrix
    rows_p: sp.csr_matrix
    grad_F: np.ndarray
    grad_F_p: np.ndarray
    names: list[str]
    signed: np.ndarray
    weights: np.ndarray
    pairs: list[tuple[int, int]]
    u_full: np.ndarray
    v: np.ndarray


def linearize(program: BilevelProgram, x: np.ndarray, y: np.ndarray, params: np.ndarray,
              options: SensitivityOptions) -> ActiveSystem:
    """The :class:`ActiveSystem` of ``program`` at ``(x, y)`` for the parameters at
    positions ``params`` of ``program.p`` (at a refined point when ``(x, y)`` is not a
    KKT point to the tolerance and a refinement nearby is one: module docstring)."""
    funcs = system_functions(program)
    system, failure = _analyse(program, funcs, x, y, params, options)
    if failure is None or not (failure.inaccurate and options.refine):
        return system
    for tol in _refine_tolerances(options):
        refined = _refine(program, funcs, x, y, tol, options)
        if refined is None:
            continue
        again, failure_again = _analyse(program, funcs, *refined, params, options)
        if failure_again is None:
            distance = float(np.max(np.abs(np.concatenate([refined[0] - x,
                                                           refined[1] - y]))))
            again.notes.append(
                f"the returned point is not a KKT point to the tolerance ({failure.reason}):"
                f" derivatives are taken at the point that Newton's method on its active "
                f"system finds {distance:.3g} away (a relaxation method stops about √t from "
                "a degenerate solution)")
            return again
    return system


def _refine_tolerances(options: SensitivityOptions) -> list[float]:
    """10·``active_tol``, 100·``active_tol``, ... below ``refine_tol``, then ``refine_tol``."""
    tolerances, tol = [], 10 * options.active_tol
    while tol < options.refine_tol:
        tolerances.append(tol)
        tol *= 10
    return [*tolerances, options.refine_tol]


def _analyse(program: BilevelProgram, funcs: SystemFunctions, x: np.ndarray, y: np.ndarray,
             params: np.ndarray, options: SensitivityOptions
             ) -> tuple[ActiveSystem, _Failure | None]:
    """The active system at ``(x, y)`` with the strict tolerances, or why it has none."""
    out = ActiveSystem(nx=program.nx, ny=program.ny)
    values = _evaluate(program, funcs, x, y)
    if not values.finite:
        failure = _Failure("a function or derivative is not finite at the point", False)
        return out.fail(failure.reason), failure
    lower = _lower_level(program, values, options.active_tol, options.multiplier_tol,
                         options)
    if isinstance(lower, _Failure):
        return out.fail(lower.reason), lower
    active, biactive, u_active, v = lower
    if biactive.size:
        out.issues.append("strict complementarity fails in the lower level: "
                          + ", ".join(repr(program.names["g"][i]) for i in biactive)
                          + " biactive (g = 0 and u = 0)")
    sets = _index_sets(program, x, values, active, biactive, options.active_tol)
    asm = _assemble(program, funcs, sets, x, y, u_active, v, params)
    out.rows, out.rows_p, out.pairs = asm.rows, asm.rows_p, asm.pairs
    out.grad_F, out.grad_F_p = asm.grad_F, asm.grad_F_p
    scale = max(1.0, float(np.max(np.abs(asm.grad_F), initial=0.0)))
    solved = _least_squares(asm.rows, asm.grad_F, options.max_condition)
    if solved is None:
        failure = _Failure(
            "LICQ fails for the active system of the single-level problem: the gradients "
            "of its rows (upper-level constraints, active bounds, lower-level stationarity "
            "and active constraints) are linearly dependent, so the upper-level multipliers "
            "are not unique", False)
        return out.fail(failure.reason), failure
    residual, lam = solved
    if np.max(np.abs(residual), initial=0.0) > options.stationarity_tol * scale:
        failure = _Failure(f"the point is not stationary for its active system (residual "
                           f"{np.max(np.abs(residual)):.3g})", True)
        return out.fail(failure.reason), failure
    zero = np.abs(lam) * asm.weights <= options.multiplier_tol * scale
    wrong = np.flatnonzero(asm.signed & ~zero & (lam < 0))
    if wrong.size:
        failure = _Failure(f"the point is not strongly stationary: the multiplier of "
                           f"{asm.names[wrong[0]]!r} is {lam[wrong[0]]:.3g} < 0", False)
        return out.fail(failure.reason), failure
    out.uncertain = [int(j) for j in np.flatnonzero(asm.signed & zero)]
    in_pairs = {j for pair in asm.pairs for j in pair}
    weak = [asm.names[j] for j in out.uncertain if j not in in_pairs]
    if weak:
        out.issues.append("strict complementarity fails in the upper level: "
                          + ", ".join(map(repr, weak)) + " active with a zero multiplier")
    out.hessian, out.hessian_p = _hessian(program, funcs, asm, x, y, lam, params)
    return out, None


def _evaluate(program: BilevelProgram, funcs: SystemFunctions, x: np.ndarray,
              y: np.ndarray) -> _Values:
    n, nG, nH, q = program.nx, program.G.numel(), program.H.numel(), program.g.numel()
    F, G, _, g, _, grad_f, jac = funcs.point(x, y, program.p_values)
    G, g, grad_f = (np.asarray(v, dtype=float).ravel() for v in (G, g, grad_f))
    jac = to_csc(ca.DM(jac)).tocsr()
    scales = _row_scales(jac)
    finite = bool(np.isfinite(float(F)) and np.all(np.isfinite(jac.data))
                  and np.all(np.isfinite(np.concatenate([G, g, grad_f]))))
    return _Values(G_value=G, g=g, grad_f=grad_f, scale_G=scales[:nG],
                   scale_g=scales[nG + nH:nG + nH + q], jac_y=jac[nG + nH:, n:],
                   finite=finite)


def _lower_level(program: BilevelProgram, values: _Values, active_tol: float,
                 multiplier_tol: float, options: SensitivityOptions
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | _Failure:
    """``(active, biactive, u_active, v)``: the lower level's active rows, those with a
    zero multiplier, and the multipliers by least squares; or why there are none."""
    q = program.g.numel()
    names = program.names["g"]
    active = np.flatnonzero(values.g >= -active_tol * values.scale_g)
    rows = sp.vstack([values.jac_y[active], values.jac_y[q:]]).tocsc()
    scale = max(1.0, float(np.max(np.abs(values.grad_f), initial=0.0)))
    solved = _least_squares(rows, values.grad_f, options.max_condition)
    if solved is None:
        return _Failure("LLICQ fails: the gradients in y of the active lower-level "
                        "constraints (" + ", ".join([names[i] for i in active]
                                                    + list(program.names["h"]))
                        + ") are linearly dependent, so the multipliers are not unique",
                        False)
    residual, w = solved
    if np.max(np.abs(residual), initial=0.0) > options.stationarity_tol * scale:
        return _Failure(f"y is not a KKT point of the lower level at x (stationarity "
                        f"residual {np.max(np.abs(residual)):.3g})", True)
    u_active, v = w[:active.size], w[active.size:]
    zero = np.abs(u_active) * values.scale_g[active] <= multiplier_tol * scale
    negative = np.flatnonzero((u_active < 0) & ~zero)
    if negative.size:
        return _Failure(f"y is not a KKT point of the lower level at x: the multiplier of "
                        f"{names[active[negative[0]]]!r} is {u_active[negative[0]]:.3g} < 0",
                        True)
    return active, active[zero], u_active, v


def _index_sets(program: BilevelProgram, x: np.ndarray, values: _Values, active: np.ndarray,
                biactive: np.ndarray, active_tol: float) -> _IndexSets:
    """The rows of the active system (bounds of ``x`` within ``active_tol``; integer and
    fixed entries of ``x`` held at their value)."""
    bounds = []
    for i, name in enumerate(program.names["x"]):
        lb, ub = program.x_lb[i], program.x_ub[i]
        if program.x_integer[i] or lb == ub:
            bounds.append((i, 1.0, -x[i], f"{name} fixed", False))
        elif x[i] - lb <= active_tol:
            bounds.append((i, -1.0, lb, f"{name} >= {lb:g}", True))
        elif ub - x[i] <= active_tol:
            bounds.append((i, 1.0, -ub, f"{name} <= {ub:g}", True))
    G_active = np.flatnonzero(values.G_value >= -active_tol * values.scale_G)
    return _IndexSets(active=active, biactive=biactive, G_active=G_active,
                      bounds=tuple(bounds))


def _assemble(program: BilevelProgram, funcs: SystemFunctions, sets: _IndexSets,
              x: np.ndarray, y: np.ndarray, u_active: np.ndarray, v: np.ndarray,
              params: np.ndarray) -> _Assembly:
    """The rows of the active system at ``(x, y, u, v)``, in the order of the matrix:
    the nonlinear rows of ``c`` (stationarity, active ``g``, ``h``, active ``G``, ``H``),
    then the linear ones (bounds of ``x``, ``u_i = 0`` of biactive rows)."""
    pr = program
    n, m, q, r, nG = pr.nx, pr.ny, pr.g.numel(), pr.h.numel(), pr.G.numel()
    active, biactive = sets.active, set(sets.biactive.tolist())
    names_g = pr.names["g"]
    cols = np.concatenate([np.arange(n + m), n + m + active, n + m + q + np.arange(r)])
    nonlinear = np.concatenate([np.arange(m), m + active, m + q + np.arange(r),
                                m + q + r + sets.G_active,
                                m + q + r + nG + np.arange(pr.H.numel())]).astype(int)
    names = ([f"∂ℓ/∂{name}" for name in pr.names["y"]] + [names_g[i] for i in active]
             + list(pr.names["h"]) + [pr.names["G"][j] for j in sets.G_active]
             + list(pr.names["H"]))
    signed = ([False] * m + [int(i) in biactive for i in active] + [False] * r
              + [True] * sets.G_active.size + [False] * pr.H.numel())
    # linear rows as (position in (x, y, u, v), coefficient, constant)
    linear = [(i, coef, const) for i, coef, const, _, _ in sets.bounds]
    names += [name for *_, name, _ in sets.bounds]
    signed += [s for *_, s in sets.bounds]
    pairs = []
    first_linear = nonlinear.size
    for k, i in enumerate(active):
        if int(i) in biactive:
            linear.append((n + m + int(i), -1.0, 0.0))  # the row -u_i
            names.append(f"u[{names_g[i]}] >= 0")
            signed.append(True)
            pairs.append((m + k, first_linear + len(linear) - 1))
    u_full = np.zeros(q)
    u_full[active] = u_active
    grad_F, grad_F_p, c, jac_z, jac_p = funcs.first(x, y, u_full, v, pr.p_values)
    z_full = np.concatenate([x, y, u_full, v])
    position = {int(col): k for k, col in enumerate(cols)}
    lin = sp.csr_matrix((np.array([coef for _, coef, _ in linear]),
                         (np.arange(len(linear)),
                          np.array([position[col] for col, _, _ in linear], dtype=int))),
                        shape=(len(linear), cols.size))
    lin_values = np.array([coef * z_full[col] + const for col, coef, const in linear])
    jac_z = to_csc(ca.DM(jac_z)).tocsr()
    rows = sp.vstack([jac_z[nonlinear][:, cols], lin]).tocsr()
    weights = _row_scales(rows)
    return _Assembly(
        cols=cols, nonlinear=nonlinear,
        values=np.concatenate([np.asarray(c, dtype=float).ravel()[nonlinear], lin_values]),
        rows=rows,
        rows_p=sp.vstack([to_csc(ca.DM(jac_p)).tocsr()[nonlinear][:, params],
                          sp.csr_matrix((len(linear), params.size))]).tocsr(),
        grad_F=np.asarray(grad_F, dtype=float).ravel()[cols],
        grad_F_p=np.asarray(grad_F_p, dtype=float).ravel()[params],
        names=names, signed=np.array(signed, dtype=bool), weights=weights, pairs=pairs,
        u_full=u_full, v=v)


def _hessian(program: BilevelProgram, funcs: SystemFunctions, asm: _Assembly,
             x: np.ndarray, y: np.ndarray, lam: np.ndarray,
             params: np.ndarray) -> tuple[sp.csc_matrix, sp.csc_matrix]:
    """``∇²_zz 𝓛`` and ``∂(∇_z 𝓛)/∂θ`` with the multipliers ``lam`` of the rows (the linear
    rows have no curvature)."""
    pr = program
    mult = np.zeros(pr.ny + pr.g.numel() + pr.h.numel() + pr.G.numel() + pr.H.numel())
    mult[asm.nonlinear] = lam[:asm.nonlinear.size]
    hess, hess_p = funcs.second(x, y, asm.u_full, asm.v, pr.p_values, mult)
    hess = to_csc(ca.DM(hess)).tocsr()[asm.cols][:, asm.cols].tocsc()
    return hess, to_csc(ca.DM(hess_p)).tocsr()[asm.cols][:, params].tocsc()


def _refine(program: BilevelProgram, funcs: SystemFunctions, x: np.ndarray, y: np.ndarray,
            tol: float, options: SensitivityOptions) -> tuple[np.ndarray, np.ndarray] | None:
    """A KKT point of the TNLP whose index sets are identified with the tolerance ``tol``,
    by Newton's method from ``(x, y)``; ``None`` when it does not converge within
    ``10 · tol`` of ``(x, y)``."""
    n, m = program.nx, program.ny
    values = _evaluate(program, funcs, x, y)
    lower = _lower_level(program, values, tol, tol, options)
    if not values.finite or isinstance(lower, _Failure):
        return None
    active, biactive, u_active, v = lower
    sets = _index_sets(program, x, values, active, biactive, tol)
    none = np.zeros(0, dtype=int)
    asm = _assemble(program, funcs, sets, x, y, u_active, v, none)
    solved = _least_squares(asm.rows, asm.grad_F, options.max_condition)
    if solved is None:
        return None
    lam = solved[1]
    z = np.concatenate([x, y, u_active, v])
    size = max(1.0, float(np.max(np.abs(z[:n + m]), initial=0.0)))
    for _ in range(options.newton_iterations):
        scale = max(1.0, float(np.max(np.abs(asm.grad_F), initial=0.0)))
        residual = np.concatenate([asm.grad_F + asm.rows.T @ lam, asm.values])
        if np.max(np.abs(residual), initial=0.0) <= NEWTON_TOL * scale:
            x_new, y_new = z[:n], z[n:n + m]
            far = np.max(np.abs(np.concatenate([x_new - x, y_new - y])), initial=0.0)
            return (x_new, y_new) if far <= 10 * tol * size else None
        hess, _ = _hessian(program, funcs, asm, z[:n], z[n:n + m], lam, none)
        factor = lu_factor(sp.bmat([[hess, asm.rows.T], [asm.rows, None]], format="csc"))
        if factor is None:
            return None
        step = -factor.solve(residual)
        z = z + step[:z.size]
        lam = lam + step[z.size:]
        k = active.size
        asm = _assemble(program, funcs, sets, z[:n], z[n:n + m], z[n + m:n + m + k],
                        z[n + m + k:], none)
    return None


def _row_scales(jac: sp.csr_matrix) -> np.ndarray:
    """``max(1, largest |entry|)`` of each row of ``jac``."""
    if jac.shape[0] == 0:
        return np.zeros(0)
    return np.maximum(1.0, abs(jac).max(axis=1).toarray().ravel())


def _least_squares(rows: sp.spmatrix, gradient: np.ndarray,
                   max_condition: float) -> tuple[np.ndarray, np.ndarray] | None:
    """``(∇ + Mᵀw, w)`` for ``w`` minimizing ``‖∇ + Mᵀw‖`` (``M = rows``), or ``None`` when
    ``M`` is rank deficient (its augmented matrix singular or too ill-conditioned)."""
    k, n = rows.shape
    if k == 0:
        return gradient.copy(), np.zeros(0)
    augmented = sp.bmat([[sp.eye(n), rows.T], [rows, None]], format="csc")
    factor = lu_factor(augmented)
    if factor is None or factor.condition() > max_condition:
        return None
    solution = factor.solve(np.concatenate([-gradient, np.zeros(k)]))
    return -solution[:n], solution[n:]
