"""Separation oracle of the direction cuts of ``kkt-bigm`` with ``dual="cuts"``.

The cut-master MILP and why its cuts are exact are in
:mod:`bilevel_mp.reformulations.bigm_cuts`: a cut says that every direction ``r`` with
``E r = 0`` and ``c'r < 0`` (one that improves the lower level) is blocked by some row
``i`` with ``w_i = 1`` and ``a_i'r > 0``. The family is exponential; it starts with the
coordinate directions ``r = -sign(c_j) e_j`` (:func:`monotonicity_cuts`: a variable that
the lower level wants smaller must be held by some active row) and grows by separation
(:func:`blocking_cuts`): an LP finds an improving direction that the chosen rows leave
unblocked. Each cut's row set is decided in exact rational arithmetic on the direction
found by the LP, so round-off cannot make a cut invalid.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import highspy
import numpy as np
import scipy.sparse as sp

from bilevel_mp.ir.milp import MILP
from bilevel_mp.reformulations.bigm import LinearKKT
from bilevel_mp.reformulations.bigm_cuts import exclusive_pairs
from bilevel_mp.solvers.highs import INF, build_highs, rerun
from bilevel_mp.tolerances import SOLVER

TIGHT_LP = SOLVER.highs_lp(exact=True)
"""HiGHS tolerances of the separation and multiplier LPs (the default 1e-7 lets a
"blocked" row's ``a_i'r`` come out positive)."""



@dataclass(frozen=True)
class DirectionCutData:
    """The lower-level data the cuts use: ``c = ∇_y f``, ``a_i = ∇_y g_i`` (rows of
    ``Ay``), ``E = ∇_y h``, which rows can be active at all (``candidates``), and the
    pairs of rows never active together (``exclusive``, see :func:`exclusive_pairs`)."""

    c: np.ndarray
    Ay: sp.csr_matrix
    E: sp.csr_matrix
    candidates: np.ndarray
    exclusive: list[tuple[int, int]] = field(default_factory=list)
    _warm: dict[str, highspy.Highs] = field(default_factory=dict, repr=False, compare=False)

    def warm_lp(self, name: str, build) -> highspy.Highs:
        """The persistent HiGHS LP ``name`` (built by ``build(self)`` at first use, with
        the tolerances ``TIGHT_LP``): separation solves it again and again with other
        bounds, warm-started from its last basis."""
        if name not in self._warm:
            self._warm[name] = build_highs(build(self), TIGHT_LP)
        return self._warm[name]

    @classmethod
    def of(cls, data: LinearKKT, can_be_active: np.ndarray) -> DirectionCutData:
        """From the linear KKT data and which rows can be active at all (see
        :func:`~bilevel_mp.oracles.bigm_bounds.lp_slack_range`)."""
        return cls(c=np.asarray(data.grad_f.b, dtype=float), Ay=data.jac_y(data.g).tocsr(),
                   E=data.jac_y(data.h).tocsr(), candidates=can_be_active,
                   exclusive=exclusive_pairs(data))


Direction = dict[int, Fraction]
"""An exact direction: its nonzero coordinates as rationals."""


def _rational(r: np.ndarray, max_denominator: int | None = None) -> Direction:
    """``r`` as exact rationals (entries below 1e-12 in size dropped); with
    ``max_denominator``, the nearest rationals with at most that denominator: the LP's
    round-off then often vanishes (``a_i'r`` exactly 0 where the LP meant 0)."""
    out = {}
    for j in np.flatnonzero(np.abs(r) >= 1e-12):
        value = Fraction(float(r[j]))
        out[int(j)] = value.limit_denominator(max_denominator) if max_denominator else value
    return out


def _dot(row: sp.csr_matrix, r: Direction) -> Fraction:
    """``row · r`` in exact arithmetic (the floating-point data taken as exact)."""
    return sum((Fraction(float(v)) * r[int(j)] for j, v in
                zip(row.indices, row.data, strict=True) if int(j) in r), Fraction(0))


def _exact_cut(cuts: DirectionCutData, r: Direction) -> np.ndarray | None:
    """Rows ``i`` (candidates) with ``a_i'r > 0``, decided exactly (:func:`exact_signs`);
    ``None`` unless exactly ``c'r < 0`` and ``E r = 0`` (then the cut would not be
    valid). The cut is valid for whatever direction is checked."""
    if exact_signs(sp.csr_matrix(cuts.c.reshape(1, -1)), r)[0] >= 0:
        return None
    if cuts.E.shape[0] and np.any(exact_signs(cuts.E, r)):
        return None
    return np.flatnonzero((exact_signs(cuts.Ay, r) > 0) & cuts.candidates)


def exact_signs(rows: sp.csr_matrix, r: Direction) -> np.ndarray:
    """The exact sign (-1, 0 or 1) of each ``row · r``, the floating-point data taken as
    exact.

    Floating point decides where its error bound allows: with ``r`` rounded to floats
    and ``k`` terms per row, the computed dot product is within ``γ_{k+1} Σ |a_j r_j|``
    of the exact one (``γ_k = k u / (1 - k u)``, Higham, *Accuracy and Stability of
    Numerical Algorithms*, 2002, §3.1), and ``2 (k + 2) ε Σ |a_j r_j|`` (``ε = 2u``)
    bounds that generously. Rows within the bound are summed in rationals.
    """
    cols = np.fromiter(r.keys(), dtype=int, count=len(r))
    dense = np.zeros(rows.shape[1])
    dense[cols] = [float(v) for v in r.values()]
    value, magnitude = rows @ dense, abs(rows)
    bound = 2.0 * (np.diff(rows.indptr) + 2) * np.finfo(float).eps * (magnitude @ np.abs(dense))
    touched = magnitude @ (dense != 0).astype(float) > 0  # a term is nonzero
    signs = np.sign(value).astype(int)
    for i in np.flatnonzero((np.abs(value) <= bound) & touched):
        exact = _dot(rows.getrow(int(i)), r)
        signs[i] = (exact > 0) - (exact < 0)
    return signs


def _projected(cuts: DirectionCutData, r: np.ndarray, blocked: np.ndarray
               ) -> Direction | None:
    """``r`` moved, exactly, onto ``a_i'r = 0`` for the blocked rows where it is 0 up
    to round-off (and onto ``E r = 0``): Gaussian elimination in rationals on those rows;
    the free coordinates keep their (rationalized) values and the pivot coordinates
    follow. ``None`` when the system is too large for exact elimination
    (``MAX_EXACT_ROWS``) or leaves no direction."""
    scale = np.abs(cuts.Ay) @ np.abs(r) + 1e-300
    zero = blocked & (np.abs(cuts.Ay @ r) <= 1e-9 * scale)
    r = r.copy()
    single = zero & (np.diff(cuts.Ay.indptr) == 1)  # a_i = ±e_j: r_j = 0 exactly
    r[cuts.Ay.indices[cuts.Ay.indptr[np.flatnonzero(single)]]] = 0.0
    exact = _rational(r)
    cols = sorted(exact)
    system = sp.vstack([cuts.Ay[np.flatnonzero(zero & ~single)], cuts.E]).tocsr()[:, cols]
    if system.shape[0] > MAX_EXACT_ROWS or not cols:
        return None
    reduced = _rref([[Fraction(float(v)) for v in row] for row in system.toarray()])
    for row in reduced:
        pivot = next(k for k, v in enumerate(row) if v != 0)
        exact[cols[pivot]] = -sum((row[k] * exact[cols[k]] for k in range(pivot + 1, len(cols))
                                   if row[k] != 0), Fraction(0))
    return {j: v for j, v in exact.items() if v != 0} or None


MAX_EXACT_ROWS = 400
"""Largest system :func:`_projected` eliminates in rationals."""


def _rref(rows: list[list[Fraction]]) -> list[list[Fraction]]:
    """The nonzero rows of the reduced row echelon form (exact), pivots leading."""
    rows = [r[:] for r in rows]
    out, col, width = [], 0, len(rows[0]) if rows else 0
    while rows and col < width:
        pick = next((r for r in rows if r[col] != 0), None)
        if pick is None:
            col += 1
            continue
        rows.remove(pick)
        lead = pick[col]
        pick = [v / lead for v in pick]
        rows = [[a - r[col] * b for a, b in zip(r, pick, strict=True)] if r[col] else r
                for r in rows]
        out = [[a - r[col] * b for a, b in zip(r, pick, strict=True)] if r[col] else r
               for r in out]
        out.append(pick)
        col += 1
    return out


def monotonicity_cuts(cuts: DirectionCutData) -> list[np.ndarray]:
    """Cuts of the coordinate directions ``r = -sign(c_j) e_j`` (where ``E r = 0``)."""
    out = []
    free_of_h = np.asarray(abs(cuts.E).sum(axis=0)).ravel() == 0
    for j in np.flatnonzero((cuts.c != 0) & free_of_h):
        r = np.zeros(cuts.c.size)
        r[j] = -np.sign(cuts.c[j])
        rows = _exact_cut(cuts, _rational(r))
        if rows is not None:
            out.append(rows)
    return out


def multipliers_on(cuts: DirectionCutData, rows: np.ndarray
                   ) -> tuple[np.ndarray, np.ndarray] | None:
    """Multipliers ``(u, v)``, ``u >= 0`` supported on ``rows``, with
    ``c + Ay'u + E'v = 0`` (an LP), or ``None`` when there are none."""
    q, r = cuts.Ay.shape[0], cuts.E.shape[0]
    if rows.size + r == 0:  # no row may carry a multiplier: only a zero objective is stationary
        return (np.zeros(q), np.zeros(0)) if not np.any(cuts.c) else None
    lp = cuts.warm_lp("multipliers", _multiplier_lp)
    upper = np.zeros(q)
    upper[rows] = INF
    lp.changeColsBounds(q, np.arange(q, dtype=np.int32), np.zeros(q), upper)
    z = rerun(lp)
    if z is None:
        return None
    u = np.zeros(q)  # exactly 0 off ``rows``, and >= 0: a warm solve can leave a column
    u[rows] = np.maximum(z[rows], 0.0)  # just fixed at 0 at 6e-15, or one at -5e-15
    return u, z[q:]


def _multiplier_lp(cuts: DirectionCutData) -> MILP:
    """``Ay'u + E'v = -c`` with ``u >= 0`` (capped to 0 off the allowed rows per call)
    and ``v`` free."""
    q, r = cuts.Ay.shape[0], cuts.E.shape[0]
    return MILP(c=np.zeros(q + r), A=sp.hstack([cuts.Ay.T, cuts.E.T]).tocsr(),
                row_lb=-cuts.c, row_ub=-cuts.c,
                col_lb=np.concatenate([np.zeros(q), np.full(r, -np.inf)]),
                col_ub=np.full(q + r, np.inf), integer=np.zeros(q + r, dtype=bool))


def _direction_lp(cuts: DirectionCutData) -> MILP:
    """Variables ``r`` (free) and ``s_k >= 0`` per candidate row: ``a_k'r - s_k <= 0``,
    ``c'r = -1``, ``E r = 0``, minimize ``Σ s_k`` (per call, blocked rows get ``s_k = 0``
    and their margin)."""
    m, cand = cuts.c.size, np.flatnonzero(cuts.candidates)
    k, e = cand.size, cuts.E.shape[0]
    A = sp.vstack([sp.hstack([cuts.Ay[cand], -sp.identity(k)]),
                   sp.hstack([sp.csr_matrix(cuts.c.reshape(1, -1)), sp.csr_matrix((1, k))]),
                   sp.hstack([cuts.E, sp.csr_matrix((e, k))])]).tocsr()
    return MILP(c=np.concatenate([np.zeros(m), np.ones(k)]), A=A,
                row_lb=np.concatenate([np.full(k, -np.inf), [-1.0], np.zeros(e)]),
                row_ub=np.concatenate([np.zeros(k), [-1.0], np.zeros(e)]),
                col_lb=np.concatenate([np.full(m, -np.inf), np.zeros(k)]),
                col_ub=np.full(m + k, np.inf), integer=np.zeros(m + k, dtype=bool))


def _direction(cuts: DirectionCutData, blocked: np.ndarray,
               margin: float = 0.0) -> np.ndarray | None:
    """An improving direction that no row in ``blocked`` (candidate rows) stops
    (``a_i'r <= -margin`` there, ``E r = 0``, ``c'r = -1``) and that as few other
    candidate rows as possible stop (an L1 proxy: minimize the sum of ``max(a_i'r, 0)``
    over them); ``None`` if none exists."""
    m, cand = cuts.c.size, np.flatnonzero(cuts.candidates)
    k = cand.size
    lp = cuts.warm_lp("direction", _direction_lp)
    hold = blocked[cand]
    index = np.arange(k, dtype=np.int32)
    lp.changeColsBounds(k, index + m, np.zeros(k), np.where(hold, 0.0, INF))
    lp.changeRowsBounds(k, index, np.full(k, -INF), np.where(hold, -margin, 0.0))
    z = rerun(lp)
    return None if z is None else z[:m]


def _separating_rows(cuts: DirectionCutData, blocked: np.ndarray) -> np.ndarray | None:
    """The rows of a valid cut containing no row of ``blocked`` (``None`` if none is
    found)."""
    for margin in SEPARATION_MARGINS:
        r = _direction(cuts, blocked, margin)
        if r is None:
            if margin == 0.0:
                return None  # no improving direction escapes the blocked rows
            continue
        for exact in _exact_versions(cuts, r, blocked):
            rows = None if exact is None else _exact_cut(cuts, exact)
            if rows is not None and rows.size and not blocked[rows].any():
                return rows
    return None


def _exact_versions(cuts: DirectionCutData, r: np.ndarray, blocked: np.ndarray):
    """Exact directions near ``r``, cheapest first (computed only when asked for):
    rationals with small denominators, the floats as they are, the projection."""
    yield _rational(r, RATIONAL_DENOMINATOR)
    yield _rational(r)
    yield _projected(cuts, r, blocked)


SEPARATION_MARGINS = (0.0, 1e-6, 1e-4)
"""Margins ``a_i'r <= -margin`` on blocked rows tried in turn by the separation LP."""

RATIONAL_DENOMINATOR = 10**6
"""Largest denominator of the rational rounding of a direction before its exact check."""


def blocking_cuts(cuts: DirectionCutData, active: np.ndarray,
                  max_cuts: int) -> list[np.ndarray]:
    """Cuts violated by every ``w`` supported on the rows ``active`` (empty when those
    rows admit multipliers, i.e. the point is a KKT point).

    The first cut comes from an improving direction that no active row stops; each
    further one from a direction that none of the rows of the earlier cuts stops either,
    so the cuts are disjoint (up to ``max_cuts``). A direction whose exact check puts a
    blocked row in the cut (round-off in the LP) is solved again with a margin.
    """
    blocked = active & cuts.candidates
    out: list[np.ndarray] = []
    while len(out) < max_cuts:
        rows = _separating_rows(cuts, blocked)
        if rows is None:
            break
        out.append(rows)
        blocked = blocked.copy()
        blocked[rows] = True
    return out


def lookahead_cuts(cuts: DirectionCutData, active: np.ndarray, found: list[np.ndarray],
                   slack: np.ndarray, max_rows: int, max_cuts: int) -> list[np.ndarray]:
    """Cuts that the next master would meet one round later.

    ``found`` are cuts separated at a master point whose active rows are ``active``. The
    next master satisfies each of them, most cheaply by keeping its rows and making one
    more row active: one of the cut's rows of least ``slack`` at the point. For each of
    the ``max_rows`` rows ``i`` of least slack of every cut, this returns the disjoint cuts
    violated by ``active ∪ {i}`` (:func:`blocking_cuts`, at most ``max_cuts`` each), so
    that repair is ruled out in the same round. They are valid cuts like any other (each
    row set comes from an exactly checked improving direction); only their choice is a
    heuristic. Duplicates are not removed.
    """
    out: list[np.ndarray] = []
    for cut in found:
        for i in cut[np.argsort(slack[cut], kind="stable")[:max_rows]]:
            repaired = active.copy()
            repaired[i] = True
            out += blocking_cuts(cuts, repaired, max_cuts)
    return out
