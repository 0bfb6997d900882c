"""A KKT point of a linear KKT system made exact on its own active set.

A MILP or SOS1 solver returns the point of a linear KKT system only within its absolute
feasibility tolerance (1e-6 to 1e-9 after the rows are normalized): stationarity
``∇_y f + ∇_y g' u + ∇_y h' v = 0`` may be off by 1e-9, which at a point where the
follower's objective is flat in y (``f = y (x - 2/3)`` at ``x = 2/3 - 1e-9``) leaves ŷ
1e-9 from optimal, and the bilevel value of the exact response there differs by O(1)
(trust seed 221). The active set the solver chose says which equations the point must meet
exactly; :func:`polish_on_active_set` moves the point onto them by the smallest step, a
minimum-norm least-squares correction (the projection onto an affine set; OSQP's solution
polishing does the same for QPs).

Equations, each row divided by its largest coefficient, for ``w = (x, y, u, v)``:

* stationarity ``∇_y f(x, y) + ∇_y g' u + ∇_y h' v = 0`` and ``h = 0``, ``H = 0``;
* for each lower-level row ``g_i``: ``g_i = 0`` when it is active (its slack within
  :data:`ACTIVE_TOL` of 0 in the variables' units), else ``u_i = 0``;
* active upper-level rows ``G_i = 0``, and x and y fixed where they sit on a bound or
  are integer (set exactly afterwards, so that an entry at 0 does not become 1e-31).

The polished point is kept only when it meets every equation to rounding, moved by at
most :data:`MAX_MOVE` (relative) and violates no inequality (inactive rows, ``u >= 0``,
the bounds of x, inactive ``G``) by more than the solver's point did; otherwise the
solver's point is returned unchanged.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import scipy.sparse as sp

from bilevel_mp.ir.linear import row_units
from bilevel_mp.ir.program import BilevelProgram
from bilevel_mp.reformulations.base import BilevelSolution
from bilevel_mp.reformulations.bigm import LinearKKT

ACTIVE_TOL = 1e-6
"""A row is active when its value over its largest coefficient is within this (times
``max(1, |w|_∞)``) of 0."""

MAX_MOVE = 1e-5
"""Largest correction accepted, relative to ``max(1, |w|_∞)``."""

MAX_COLUMNS = 3000
"""Largest ``len(w)`` for which the (dense) projection is computed."""


def _inequality_excess(data: LinearKKT, program: BilevelProgram, xy: np.ndarray,
                       u: np.ndarray) -> float:
    """Largest violation (rows divided by their largest coefficient) of ``g <= 0``,
    ``G <= 0``, ``u >= 0`` and the bounds of x."""
    n = data.n
    parts = [np.maximum(data.g(xy) / row_units(data.g.A), 0.0),
             np.maximum(data.G(xy) / row_units(data.G.A), 0.0),
             np.maximum(-u, 0.0),
             np.maximum(program.x_lb - xy[:n], 0.0), np.maximum(xy[:n] - program.x_ub, 0.0)]
    return float(max((np.max(p, initial=0.0) for p in parts), default=0.0))


def polish_on_active_set(data: LinearKKT, program: BilevelProgram,
                         sol: BilevelSolution) -> BilevelSolution:
    """``sol`` moved onto the exact KKT equations of its active set (module docstring), or
    ``sol`` itself when the projection fails one of the acceptance tests."""
    n, m, q, r = data.n, data.m, data.g.rows, data.h.rows
    if sol.u.size != q or sol.v.size != r or n + m + q + r > MAX_COLUMNS:
        return sol
    xy = np.concatenate([sol.x, sol.y])
    w = np.concatenate([xy, sol.u, sol.v])
    size = max(1.0, float(np.max(np.abs(w), initial=0.0)))
    zeros = sp.csr_matrix
    blocks: list[tuple[sp.spmatrix, np.ndarray]] = [
        (sp.hstack([data.grad_f.A, data.jac_y(data.g).T, data.jac_y(data.h).T]),
         -data.grad_f.b)]
    for block in (data.h, data.H):
        blocks.append((sp.hstack([block.A, zeros((block.rows, q + r))]), -block.b))
    g_active = np.abs(data.g(xy) / row_units(data.g.A)) <= ACTIVE_TOL * size
    blocks.append((sp.hstack([data.g.A[g_active], zeros((int(g_active.sum()), q + r))]),
                   -data.g.b[g_active]))
    free_u = sp.identity(q, format="csr")[~g_active]
    blocks.append((sp.hstack([zeros((free_u.shape[0], n + m)), free_u,
                              zeros((free_u.shape[0], r))]), np.zeros(free_u.shape[0])))
    G_active = np.abs(data.G(xy) / row_units(data.G.A)) <= ACTIVE_TOL * size
    blocks.append((sp.hstack([data.G.A[G_active], zeros((int(G_active.sum()), q + r))]),
                   -data.G.b[G_active]))
    lb = np.concatenate([program.x_lb, program.y_lb])
    ub = np.concatenate([program.x_ub, program.y_ub])
    integer = np.concatenate([program.x_integer, program.y_integer])
    on_lb, on_ub = (np.abs(xy - lb) <= ACTIVE_TOL * size), (np.abs(xy - ub) <= ACTIVE_TOL * size)
    pinned = integer | on_lb | on_ub
    target = np.where(integer, np.round(xy), np.where(on_lb, lb, ub))
    blocks.append((sp.identity(n + m + q + r, format="csr")[np.flatnonzero(pinned)],
                   target[pinned]))
    E = sp.vstack([b for b, _ in blocks]).tocsr()
    e = np.concatenate([rhs for _, rhs in blocks])
    if E.shape[0] == 0:
        return sol
    unit = row_units(E)
    E_dense = E.toarray() / unit[:, None]
    e = e / unit
    step = np.linalg.lstsq(E_dense, e - E_dense @ w, rcond=None)[0]
    polished = w + step
    polished[n + m + np.flatnonzero(~g_active)] = 0.0  # pinned entries exactly, not to 1e-25
    polished[np.flatnonzero(pinned)] = target[pinned]
    residual = float(np.max(np.abs(E_dense @ polished - e), initial=0.0))
    if not (np.all(np.isfinite(polished)) and residual <= 1e-12 * size
            and np.max(np.abs(step), initial=0.0) <= MAX_MOVE * size):
        return sol
    new_xy, new_u = polished[:n + m], polished[n + m:n + m + q]
    if _inequality_excess(data, program, new_xy, new_u) > max(
            _inequality_excess(data, program, xy, sol.u), 1e-12 * size):
        return sol
    return replace(sol, x=new_xy[:n], y=new_xy[n:], u=new_u, v=polished[n + m + q:])
