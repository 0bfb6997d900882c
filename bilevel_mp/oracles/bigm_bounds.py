"""Valid Big-M values, each with its provenance.

For every lower-level inequality ``g_i <= 0`` two bounds are needed at some optimal
point: the slack ``s_i = -g_i(x, y) <= M^P_i`` and the multiplier ``u_i <= M^D_i``.
Both are bounded over sets that contain every bilevel feasible point, so the bounds are
valid at *every* optimal solution:

* primal, set ``R = {x in X, G <= 0, H = 0, g <= 0, h = 0}`` (integrality relaxed):
  feasibility-based bounds tightening on R (Pyomo's ``pyomo.contrib.fbbt``), then one LP
  per row ``max -g_i over R`` (HiGHS, warm-started from row to row); the smaller wins.
* dual, set ``{(x, y, u, v): (x, y) in R, ∇_y f + ∇_y g'u + ∇_y h'v = 0, u >= 0}`` (the
  KKT system without complementarity): one LP per row ``max u_i``. Finite only when the
  multiplier set is bounded over R; otherwise the row has no proof.

The smallest proven bound is used. Where nothing can be proven, the user's value
(``bigm_primal`` / ``bigm_dual`` suffixes, see :func:`bilevel_mp.set_big_m`) is used, and
where there is none either, the documented default with a warning. The source of every
value is recorded. Choosing a valid M is
NP-hard in general (Kleinert et al. 2020, the survey's [145]); these bounds are cheap,
valid and sometimes infinite.
"""

from __future__ import annotations

import itertools
import math
import warnings
from dataclasses import dataclass

import highspy
import numpy as np
import pyomo.environ as pyo
import scipy.sparse as sp
from pyomo.common.errors import InfeasibleConstraintException
from pyomo.contrib.fbbt.fbbt import compute_bounds_on_expr, fbbt

from bilevel_mp.errors import BilevelWarning
from bilevel_mp.ir.milp import MILP
from bilevel_mp.ir.program import BilevelProgram
from bilevel_mp.reformulations.bigm import BigM, BigMSource, LinearKKT
from bilevel_mp.solvers.highs import build_highs

LP_BOUND_MAX_ROWS = 5000
"""Above this many LL inequalities the per-row LPs are skipped (fbbt only)."""


def _feasible_region(data: LinearKKT) -> tuple[sp.csr_matrix, np.ndarray, np.ndarray]:
    """Rows of R as ``lb <= A xy <= ub``."""
    blocks = [(data.G, True), (data.H, False), (data.g, True), (data.h, False)]
    A = sp.vstack([b.A for b, _ in blocks]).tocsr()
    lb = np.concatenate([np.full(b.rows, -np.inf) if ineq else -b.b for b, ineq in blocks])
    ub = np.concatenate([-b.b for b, _ in blocks])
    return A, lb, ub


def region_g_rows(data: LinearKKT) -> np.ndarray:
    """Positions of the lower-level inequalities ``g`` among the rows of R (as
    :func:`region_lp` stacks them: G, H, g, h)."""
    start = data.G.rows + data.H.rows
    return np.arange(start, start + data.g.rows, dtype=np.int32)


def fbbt_bounds(data: LinearKKT, program: BilevelProgram
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """FBBT on R (Pyomo's ``pyomo.contrib.fbbt``): upper bounds of ``-g_i`` (``inf``
    where none) and the tightened bounds of ``(x, y)``."""
    A, lb, ub = _feasible_region(data)
    m = pyo.ConcreteModel()
    n = data.n + data.m
    lo = np.concatenate([program.x_lb, program.y_lb])
    hi = np.concatenate([program.x_ub, program.y_ub])
    m.z = pyo.Var(range(n), bounds=lambda _, j: (None if np.isinf(lo[j]) else float(lo[j]),
                                                  None if np.isinf(hi[j]) else float(hi[j])))
    m.rows = pyo.ConstraintList()
    for i in range(A.shape[0]):
        row = A.getrow(i)
        body = sum(float(v) * m.z[int(j)] for j, v in zip(row.indices, row.data, strict=True))
        if isinstance(body, int | float):
            continue
        m.rows.add((None if np.isinf(lb[i]) else float(lb[i]), body,
                    None if np.isinf(ub[i]) else float(ub[i])))
    try:
        fbbt(m)
    except InfeasibleConstraintException:  # R is empty: every bound is (vacuously) valid
        return np.zeros(data.g.rows), np.zeros(n), np.zeros(n)
    tight_lo = np.array([-np.inf if m.z[j].lb is None else m.z[j].lb for j in range(n)])
    tight_hi = np.array([np.inf if m.z[j].ub is None else m.z[j].ub for j in range(n)])
    out = np.full(data.g.rows, np.inf)
    for i in range(data.g.rows):
        row = data.g.A.getrow(i)
        expr = -sum(float(v) * m.z[int(j)] for j, v in zip(row.indices, row.data, strict=True))
        expr = expr - float(data.g.b[i])
        if isinstance(expr, int | float):
            out[i] = expr
            continue
        upper = compute_bounds_on_expr(expr)[1]
        if upper is not None:
            out[i] = upper
    return out, tight_lo, tight_hi


def vertex_multiplier_bounds(data: LinearKKT, can_be_active: np.ndarray, lo: np.ndarray,
                             hi: np.ndarray, max_subsets: int = 20000) -> np.ndarray:
    """Bounds on the multipliers of LL inequalities at vertex multipliers.

    At a lower-level solution the multiplier set ``{u >= 0, v : ∇_y f + A_g' u + A_h' v
    = 0, u_i = 0 for inactive i}`` is a polyhedron whose vertices are basic solutions:
    ``(u_S, v) = -[A_S; A_h]'^{-1} ∇_y f`` for a set S of ``m - r`` rows that can be
    active with ``[A_S; A_h]`` nonsingular — provided ``A_h`` has full row rank and the rows
    that can be active together with ``A_h`` span R^m (otherwise nothing is proven here:
    ``inf``). Some optimal multiplier is such a vertex, so
    the largest value of ``u_i`` over all S (``∇_y f`` affine in (x, y), bounded by
    interval arithmetic over the box ``[lo, hi]``) is a valid Big-M. ``inf`` where the
    enumeration would exceed ``max_subsets`` sets.
    """
    q, r, m = data.g.rows, data.h.rows, data.m
    out = np.full(q, np.inf)
    k = m - r
    rows = np.flatnonzero(can_be_active)
    if k < 0 or math.comb(rows.size, max(k, 0)) > max_subsets:
        return out
    gy = data.jac_y(data.g).toarray()
    hy = data.jac_y(data.h).toarray()
    # vertices are basic solutions only when [A_g(rows); A_h] has rank m and A_h rank r;
    # otherwise the multiplier set has a lineality space and proves nothing here
    if (np.linalg.matrix_rank(hy) < r
            or np.linalg.matrix_rank(np.vstack([gy[rows], hy])) < m):
        return out
    out[:] = 0.0
    grad_A, grad_b = data.grad_f.A.toarray(), data.grad_f.b
    width_lo, width_hi = np.nan_to_num(lo, neginf=-1e300), np.nan_to_num(hi, posinf=1e300)
    for subset in itertools.combinations(rows.tolist(), k):
        basis = np.vstack([gy[list(subset)], hy]).T  # m x m
        if np.linalg.matrix_rank(basis) < m:
            continue
        inverse = np.linalg.inv(basis)
        coef = -inverse[:k] @ grad_A  # u_S = coef @ xy + offset
        offset = -inverse[:k] @ grad_b
        upper = offset + np.maximum(coef * width_lo, coef * width_hi).sum(axis=1)
        upper = np.where(np.abs(upper) > 1e250, np.inf, upper)
        for position, row in enumerate(subset):
            out[row] = max(out[row], upper[position])
    return out


NEVER_ACTIVE_SLACK = 1e-6
"""A row whose least slack over R (an LP value) exceeds this is never active."""


PRIMAL_SIMPLEX = {"simplex_strategy": 4}
"""The bound sweeps change only the objective between solves, so the last basis stays
primal feasible and primal simplex goes on from it (at n = 50 and 200 of
``benchmarks/linear_vs_pao.py``, 25-30 % faster than HiGHS's default dual simplex)."""


class _Sweep:
    """One LP solved for one sparse objective after another, warm-started from the last
    basis, with only the costs that change passed to HiGHS."""

    def __init__(self, problem: MILP):
        self.h = build_highs(problem, PRIMAL_SIMPLEX)
        self.last = np.zeros(0, dtype=np.int32)
        self.solved = False

    def maximize(self, objective: sp.csr_matrix, row: int) -> float | None:
        """``max objective[row] @ z``; ``inf`` when unbounded or when HiGHS fails (no
        proof); ``None`` when the LP is infeasible, believed only before any solve of it
        succeeded (a cost change cannot empty it)."""
        span = slice(objective.indptr[row], objective.indptr[row + 1])
        cols = objective.indices[span].astype(np.int32)
        self.h.changeColsCost(self.last.size, self.last, np.zeros(self.last.size))
        self.h.changeColsCost(cols.size, cols, -objective.data[span])
        self.last = cols
        self.h.run()
        status = self.h.getModelStatus()
        if status == highspy.HighsModelStatus.kOptimal:
            self.solved = True
            return -self.h.getInfo().objective_function_value
        if status == highspy.HighsModelStatus.kInfeasible and not self.solved:
            return None
        return np.inf

    def row_values(self) -> np.ndarray:
        """The row activities of the last optimal point."""
        return np.asarray(self.h.getSolution().row_value, dtype=float)


def _maximize_each(problem: MILP, objectives: sp.csr_matrix) -> np.ndarray:
    """``max objectives[i] @ z`` over the LP ``problem`` for every row i (warm-started;
    all zero when the LP is infeasible: any bound is valid on an empty set)."""
    sweep, rows = _Sweep(problem), sp.csr_matrix(objectives)
    out = np.full(rows.shape[0], np.inf)
    for i in range(rows.shape[0]):
        value = sweep.maximize(rows, i)
        if value is None:
            return np.zeros(rows.shape[0])
        out[i] = value
    return out


def region_lp(data: LinearKKT, program: BilevelProgram) -> MILP:
    """R as an LP with a zero objective."""
    A, lb, ub = _feasible_region(data)
    n = data.n + data.m
    return MILP(c=np.zeros(n), A=A, row_lb=lb, row_ub=ub,
                col_lb=np.concatenate([program.x_lb, program.y_lb]),
                col_ub=np.concatenate([program.x_ub, program.y_ub]),
                integer=np.zeros(n, dtype=bool))


def lp_slack_bounds(data: LinearKKT, program: BilevelProgram) -> np.ndarray:
    """``max -g_i(x, y)`` over R for every row (``inf`` where unbounded)."""
    return lp_slack_range(data, program)[0]


def lp_slack_range(data: LinearKKT, program: BilevelProgram
                   ) -> tuple[np.ndarray, np.ndarray]:
    """For every lower-level row, ``max -g_i(x, y)`` over R (``inf`` where unbounded) and
    whether the row can be active: ``min -g_i <= NEVER_ACTIVE_SLACK`` over R.

    The maxima are one LP per row. The minima mostly need none: the optimal vertex of
    every LP solved is a point of R, and a row whose slack there is at most
    ``NEVER_ACTIVE_SLACK`` can be active (a vertex of R makes many rows active at once).
    Only the rows that no such point makes active get their own LP ``min -g_i``. On an
    empty R every bound is valid and no row is active (zeros and ``False``).
    """
    q, g_rows = data.g.rows, region_g_rows(data)
    sweep, rows = _Sweep(region_lp(data, program)), sp.csr_matrix(-data.g.A)
    negated = -rows
    upper, active = np.full(q, np.inf), np.zeros(q, dtype=bool)

    def witness() -> None:
        active[-data.g.b - sweep.row_values()[g_rows] <= NEVER_ACTIVE_SLACK] = True

    for i in range(q):
        value = sweep.maximize(rows, i)
        if value is None:
            return np.zeros(q), active
        upper[i] = value - data.g.b[i]
        if np.isfinite(value):
            witness()
    for i in np.flatnonzero(~active):
        value = sweep.maximize(negated, i)  # min slack: bounded below by 0 on R
        least = -np.inf if value is None else -value - data.g.b[i]
        active[i] = least <= NEVER_ACTIVE_SLACK  # (True, as is safe, if the LP fails)
        if np.isfinite(least):
            witness()
    return upper, active


def lp_multiplier_bounds(data: LinearKKT, program: BilevelProgram) -> np.ndarray:
    """``max u_i`` over the KKT system without complementarity (``inf`` if unbounded)."""
    A, lb, ub = _feasible_region(data)
    n, q, r = data.n + data.m, data.g.rows, data.h.rows
    stationarity = sp.hstack([data.grad_f.A, data.jac_y(data.g).T, data.jac_y(data.h).T])
    rows = sp.vstack([sp.hstack([A, sp.csr_matrix((A.shape[0], q + r))]), stationarity])
    system = MILP(
        c=np.zeros(n + q + r), A=rows.tocsr(),
        row_lb=np.concatenate([lb, -data.grad_f.b]), row_ub=np.concatenate([ub, -data.grad_f.b]),
        col_lb=np.concatenate([program.x_lb, program.y_lb, np.zeros(q), np.full(r, -np.inf)]),
        col_ub=np.concatenate([program.x_ub, program.y_ub, np.full(q + r, np.inf)]),
        integer=np.zeros(n + q + r, dtype=bool))
    pick = sp.hstack([sp.csr_matrix((q, n)), sp.identity(q), sp.csr_matrix((q, r))]).tocsr()
    return _maximize_each(system, pick)


def _choose(proofs: dict[str, float], user: float | None, default: float) -> BigM:
    """The smallest proven bound; else the user's value; else the default."""
    finite = {k: max(v, 0.0) for k, v in proofs.items() if np.isfinite(v)}
    if finite:
        source = min(finite, key=finite.get)
        return BigM(finite[source], BigMSource(source))
    if user is not None:
        return BigM(user, BigMSource.USER)
    return BigM(default, BigMSource.DEFAULT)


@dataclass(frozen=True)
class PrimalBounds:
    """Primal Ms (with sources), which rows can be active (some point of R makes them
    active; all rows where the LPs did not run) and the FBBT box ``[lo, hi]`` of
    ``(x, y)`` (``None`` where FBBT did not run: see :func:`infer_primal_ms`)."""

    ms: list[BigM]
    can_be_active: np.ndarray
    lo: np.ndarray | None = None
    hi: np.ndarray | None = None

    @property
    def proven(self) -> bool:
        """Whether every primal M is proven."""
        return all(b.proven for b in self.ms)


def infer_primal_ms(data: LinearKKT, program: BilevelProgram, default: float,
                    use_lp: bool = True) -> PrimalBounds:
    """Primal M per LL inequality, each with its source; warns on defaults.

    The LP bound is the maximum of the slack over R, so no interval bound over R is
    smaller: FBBT runs only when some row has no LP bound (LPs skipped or unbounded).
    """
    q = data.g.rows
    use_lp = use_lp and q <= LP_BOUND_MAX_ROWS
    lp_primal, can_be_active = (lp_slack_range(data, program) if use_lp
                                else (np.full(q, np.inf), np.ones(q, dtype=bool)))
    lo = hi = None
    interval = np.full(q, np.inf)
    if not np.all(np.isfinite(lp_primal)):
        interval, lo, hi = fbbt_bounds(data, program)
    primal = [_choose({"LP": lp_primal[i], "interval (fbbt)": interval[i]},
                      program.bigm_hints.get(name, (None, None))[0], default)
              for i, name in enumerate(program.names["g"])]
    _warn_defaults(program, primal, default)
    return PrimalBounds(primal, can_be_active, lo, hi)


def infer_dual_ms(data: LinearKKT, program: BilevelProgram, default: float,
                  primal: PrimalBounds, use_lp: bool = True) -> list[BigM]:
    """Dual M per LL inequality, each with its source; warns on defaults."""
    q = data.g.rows
    use_lp = use_lp and q <= LP_BOUND_MAX_ROWS
    lp_dual = lp_multiplier_bounds(data, program) if use_lp else np.full(q, np.inf)
    lo, hi = ((primal.lo, primal.hi) if primal.lo is not None
              else fbbt_bounds(data, program)[1:])
    vertex_dual = vertex_multiplier_bounds(data, primal.can_be_active, lo, hi)
    dual = [_choose({"LP": lp_dual[i], "vertex enumeration": vertex_dual[i]},
                    program.bigm_hints.get(name, (None, None))[1], default)
            for i, name in enumerate(program.names["g"])]
    _warn_defaults(program, dual, default)
    return dual


def _warn_defaults(program: BilevelProgram, bounds: list[BigM], default: float) -> None:
    defaulted = [n for n, b in zip(program.names["g"], bounds, strict=True)
                 if b.source is BigMSource.DEFAULT]
    if defaulted:
        warnings.warn(
            f"no valid Big-M could be proven for {len(defaulted)} lower-level constraint(s) "
            f"({', '.join(defaulted[:5])}{', ...' if len(defaulted) > 5 else ''}); using the "
            f"default {default:g}. Give bounds with bilevel_mp.set_big_m(...) to avoid this",
            BilevelWarning, stacklevel=4)
