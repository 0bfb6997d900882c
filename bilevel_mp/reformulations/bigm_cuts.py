"""Big-M without dual Ms, for lower levels that are LPs: direction cuts.

Survey §7.5, (7.12) needs a bound ``M^D_i`` on every lower-level multiplier, and such a
bound is often impossible to prove (choosing it is as hard as the bilevel program
itself, Kleinert et al. 2020, the survey's [145]). When the lower level is an LP,
``∇_y f = c`` is constant, and the dual half of the KKT system depends only on *which*
rows may carry a multiplier. With ``a_i = ∇_y g_i`` and ``E = ∇_y h``, Farkas' lemma gives,
for a set W of active rows::

    -c ∈ cone{a_i : i ∈ W} + range(E')
    <=>  every direction r with E r = 0 and c'r < 0 has some i ∈ W with a_i'r > 0

(no direction that improves the lower level is left unblocked). With binaries
``w_i = 1`` for "row i may carry a multiplier, so it is active", the bilevel program is
exactly::

    min F(x, y)  s.t.  G <= 0, H = 0, g <= 0, h = 0,
                       -g_i(x, y) <= M^P_i (1 - w_i)                       (proven primal M)
                       sum_{i : a_i'r > 0} w_i >= 1   for every r with E r = 0, c'r < 0

Every KKT point satisfies all cuts with ``w = [u > 0]`` (``c'r = -Σ u_i a_i'r < 0`` needs
some ``u_i > 0`` with ``a_i'r > 0``), and a point whose ``w`` admits multipliers is a KKT
point, so no M on the multipliers is needed. The cut family is exponential; it starts
with the coordinate directions ``r = -sign(c_j) e_j`` (the monotonicity principle: a
variable that the lower level wants smaller must be held by some active row) and grows
by separation (:mod:`bilevel_mp.oracles.direction_cuts`). Only the master is built here:
this layer solves nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import scipy.sparse as sp

from bilevel_mp.ir.milp import MILP
from bilevel_mp.ir.program import BilevelProgram
from bilevel_mp.reformulations.base import BilevelSolution, InverseData, Reformulation
from bilevel_mp.reformulations.bigm import (
    BigM,
    LinearKKT,
    feasibility_blocks,
    linear_kkt_data,
    linear_kkt_reason,
    padded_hessian,
    stack_blocks,
)


def has_lp_lower_level(data: LinearKKT) -> bool:
    """Whether ``∇_y f`` is constant (the lower level is an LP in y)."""
    return data.grad_f.A.nnz == 0



def exclusive_pairs(data: LinearKKT) -> list[tuple[int, int]]:
    """Pairs of LL rows that are never active together: ``g_k = -t g_i + δ`` with
    ``t > 0`` and ``δ < 0`` (e.g. ``y_j >= lo`` and ``y_j <= hi`` with ``lo < hi``), so
    ``g_i = 0`` forces ``g_k = δ < 0``. Each gives the valid row ``w_i + w_k <= 1``.
    Rows are matched by their direction; the relation is then checked exactly."""
    A = data.g.A.tocsr()
    by_direction: dict[tuple, list[int]] = {}
    pairs = []
    for i in range(A.shape[0]):
        cols, vals = A.indices[A.indptr[i]:A.indptr[i + 1]], A.data[A.indptr[i]:A.indptr[i + 1]]
        if not cols.size:
            continue
        order = np.argsort(cols)
        cols, vals = cols[order], vals[order]
        direction = (tuple(cols.tolist()), tuple((vals / abs(vals[0])).tolist()))
        opposite = (direction[0], tuple((-vals / abs(vals[0])).tolist()))
        for k in by_direction.get(opposite, []):
            if _exclusive(A, data.g.b, k, i):
                pairs.append((k, i))
        by_direction.setdefault(direction, []).append(i)
    return pairs


def _exclusive(A: sp.csr_matrix, b: np.ndarray, k: int, i: int) -> bool:
    """Exactly ``A_k = -t A_i`` with ``t > 0`` and ``b_k + t b_i < 0``."""
    row_i, row_k = _exact_row(A, i), _exact_row(A, k)
    if row_i.keys() != row_k.keys():
        return False
    first = next(iter(row_i))
    t = -row_k[first] / row_i[first]
    return (t > 0 and all(row_k[j] == -t * row_i[j] for j in row_i)
            and Fraction(float(b[k])) + t * Fraction(float(b[i])) < 0)


def _exact_row(A: sp.csr_matrix, i: int) -> dict[int, Fraction]:
    """Row ``i`` of ``A`` as exact rationals by column."""
    span = slice(A.indptr[i], A.indptr[i + 1])
    return {int(j): Fraction(float(v)) for j, v in zip(A.indices[span], A.data[span],
                                                       strict=True)}


@dataclass(frozen=True)
class CutMasterInverseData(InverseData):
    """Positions of ``x``, ``y`` and the activity binaries ``w`` in the master's point."""

    n: int
    m: int
    q: int

    @property
    def slices(self) -> dict[str, slice]:
        """``x``, ``y``, ``w`` blocks of ``z``."""
        starts = np.cumsum([0, self.n, self.m, self.q])
        return {k: slice(int(starts[i]), int(starts[i + 1]))
                for i, k in enumerate(("x", "y", "w"))}


def build_cut_master(data: LinearKKT, program: BilevelProgram, primal: list[BigM],
                     can_be_active: np.ndarray, exclusive: list[tuple[int, int]],
                     rows: list[np.ndarray]) -> tuple[MILP, CutMasterInverseData]:
    """The MILP of the module docstring with the cuts ``rows`` (variables x, y, w); ``w_i``
    is fixed at 0 where ``can_be_active`` is false, and ``w_i + w_k <= 1`` holds for the
    ``exclusive`` pairs of rows never active together (:func:`exclusive_pairs`)."""
    n, m, q = data.n, data.m, data.g.rows
    zero = sp.csr_matrix
    mp = np.array([b.value for b in primal])
    pairs = exclusive  # w_i + w_k <= 1
    exclusive = sp.csr_matrix((np.ones(2 * len(pairs)), np.ravel(pairs).astype(int),
                               np.arange(0, 2 * len(pairs) + 1, 2)), shape=(len(pairs), q))
    cover = sp.csr_matrix((np.ones(sum(r.size for r in rows)),
                           np.concatenate([r for r in rows] or [np.zeros(0, int)]),
                           np.cumsum([0] + [r.size for r in rows])), shape=(len(rows), q))
    blocks = feasibility_blocks(data, q) + [
        # -g_i(x, y) + M^P_i w_i <= M^P_i + g-offset
        (sp.hstack([-data.g.A, sp.diags(mp)]).tocsr(), np.full(q, -np.inf), mp + data.g.b),
        (sp.hstack([zero((len(rows), n + m)), cover]).tocsr(), np.ones(len(rows)),
         np.full(len(rows), np.inf)),
        (sp.hstack([zero((len(pairs), n + m)), exclusive]).tocsr(),
         np.full(len(pairs), -np.inf), np.ones(len(pairs))),
    ]
    Q, c, k = data.F
    milp = MILP(
        c=np.concatenate([c, np.zeros(q)]), **stack_blocks(blocks),
        col_lb=np.concatenate([program.x_lb, np.full(m, -np.inf), np.zeros(q)]),
        col_ub=np.concatenate([program.x_ub, np.full(m, np.inf),
                               np.asarray(can_be_active, dtype=float)]),
        integer=np.concatenate([program.x_integer, np.zeros(m, dtype=bool),
                                np.ones(q, dtype=bool)]),
        c0=k, Q=padded_hessian(Q, q),
        col_names=(program.names["x"] + program.names["y"]
                   + tuple(f"w[{g}]" for g in program.names["g"])))
    return milp, CutMasterInverseData(n, m, q)


class CutMasterReformulation(Reformulation):
    """Bilevel program with an LP lower level -> the direction-cut master MILP
    (:func:`build_cut_master`) with the given proven primal Ms, candidate rows, exclusive
    pairs and cuts (the state of one round of the loop)."""

    name = "direction-cut master"

    def __init__(self, primal: list[BigM], can_be_active: np.ndarray,
                 exclusive: list[tuple[int, int]], rows: list[np.ndarray]) -> None:
        self.primal = primal
        self.can_be_active = can_be_active
        self.exclusive = exclusive
        self.rows = rows

    def accepts(self, problem: BilevelProgram) -> tuple[bool, str]:
        """A linear KKT system whose lower level is an LP (``∇_y f`` constant)."""
        reason = linear_kkt_reason(problem)
        if not reason and not has_lp_lower_level(linear_kkt_data(problem)):
            reason = "the lower-level objective is not linear in y (direction cuts need an LP)"
        return reason == "", reason

    def apply(self, problem: BilevelProgram) -> tuple[MILP, CutMasterInverseData]:
        """Build the master."""
        return build_cut_master(linear_kkt_data(problem), problem, self.primal,
                                self.can_be_active, self.exclusive, self.rows)

    def invert(self, solution: np.ndarray, inverse_data: CutMasterInverseData
               ) -> BilevelSolution:
        """x and y of the master's point (the master has no multipliers)."""
        sl = inverse_data.slices
        return BilevelSolution(x=solution[sl["x"]], y=solution[sl["y"]])
