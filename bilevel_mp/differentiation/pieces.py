"""Pieces of the solution map at a degenerate point, and one-sided derivatives.

Each row of the active system (:mod:`bilevel_mp.differentiation.active_system`) that is a
``<= 0`` row with a zero multiplier — a weakly active upper-level constraint or bound, or
one of the two rows ``g_i = 0``, ``u_i = 0`` of a biactive lower-level pair — may stay
active or leave the system when θ moves. A *piece* is one choice for every such row (for
a pair, not both left out: complementarity keeps one). On a piece, the derivative along a
direction ``d`` solves the linearized KKT system of the TNLP with the kept rows::

    W s = -B d,   W = [[∇²_zz 𝓛, Cᵀ], [C, 0]],   B = [∂(∇_z 𝓛)/∂θ; ∂c/∂θ],

``s = (dz, dλ)``, by one sparse LU of ``W`` (no inverse is formed). The piece is the one
the solution follows along ``d`` when its sign conditions hold: ``dλ_j >= 0`` for a kept
row with ``λ_j = 0``, and ``dc_j <= 0`` for a row left out (it must not become violated).
This is the piece selection of the directional derivative of a piecewise-smooth
parametric solution (Jittorntrum, Math. Prog. Study 21, 1984; Ralph and Dempe,
Math. Prog. 70, 1995): where one consistent piece exists, or several that agree, its
derivative is the one-sided derivative along ``d``; otherwise it is reported as not
determined (NaN), never guessed. With no weakly active row there is a single piece and
no condition: the implicit function theorem on the TNLP.

Quantities are linear in ``s`` and ``d``: a tracked row ``ℓᵀs + eᵀd``. For ``K`` tracked
rows and ``D`` directions, forward mode solves ``D`` systems and reverse mode ``K``
(``W`` is symmetric: the adjoint is a solve with ``Wᵀ``); the cheaper one is used.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from bilevel_mp.differentiation.active_system import ActiveSystem, SensitivityOptions
from bilevel_mp.solvers.sparse_lu import Factorization, lu_factor


@dataclass
class Tracked:
    """Tracked rows along each direction on one piece: ``outputs`` (K × D) and the sign
    conditions ``checks`` (one row per weakly active row, ``>= 0`` where the piece is
    followed)."""

    outputs: np.ndarray
    checks: np.ndarray


class Piece:
    """The linearized TNLP with the rows ``dropped`` left out (module docstring)."""

    def __init__(self, system: ActiveSystem, dropped: frozenset[int],
                 options: SensitivityOptions) -> None:
        n_rows = system.rows.shape[0]
        n_z = system.hessian.shape[0]
        self.kept = np.array([j for j in range(n_rows) if j not in dropped], dtype=int)
        rows = system.rows[self.kept]
        matrix = sp.bmat([[system.hessian, rows.T], [rows, None]], format="csc")
        factor = lu_factor(matrix)
        self.factor: Factorization | None = (
            factor if factor is not None and factor.condition() <= options.max_condition
            else None)
        self.size = matrix.shape[0]
        self.rhs = sp.vstack([system.hessian_p, system.rows_p[self.kept]]).tocsr()
        position = {int(j): n_z + k for k, j in enumerate(self.kept)}
        check_rows, check_p = [], []
        for j in system.uncertain:
            if j in dropped:  # dc_j = ∂c_j/∂z dz + ∂c_j/∂θ d <= 0
                check_rows.append(-sp.hstack([system.rows[j],
                                              sp.csr_matrix((1, self.kept.size))]))
                check_p.append(-system.rows_p[j].toarray().ravel())
            else:  # dλ_j >= 0
                check_rows.append(sp.csr_matrix(([1.0], ([0], [position[j]])),
                                                shape=(1, self.size)))
                check_p.append(np.zeros(system.rows_p.shape[1]))
        self.checks = (sp.vstack(check_rows).tocsr() if check_rows
                       else sp.csr_matrix((0, self.size)))
        self.checks_p = (np.array(check_p) if check_p
                         else np.zeros((0, system.rows_p.shape[1])))

    def tracked(self, rows: sp.csr_matrix, rows_p: np.ndarray,
                directions: np.ndarray | None) -> Tracked:
        """``rows · s + rows_p · d`` (``rows`` act on ``dz``) and the checks, for each
        column ``d`` of ``directions`` (``None``: the unit vectors of every parameter)."""
        n_out = rows.shape[0]
        padded = sp.hstack([rows, sp.csr_matrix((n_out, self.size - rows.shape[1]))])
        ell = sp.vstack([padded, self.checks]).tocsr()
        explicit = np.vstack([rows_p, self.checks_p])
        n_dir = self.rhs.shape[1] if directions is None else directions.shape[1]
        if n_dir <= ell.shape[0]:  # forward: one solve per direction
            rhs = self.rhs.toarray() if directions is None else self.rhs @ directions
            step = -self.factor.solve(rhs)
            values = ell @ step + (explicit if directions is None else explicit @ directions)
        else:  # reverse: one solve per tracked row
            adjoint = self.factor.solve(ell.T.toarray(), transpose=True)
            jacobian = explicit - (self.rhs.T @ adjoint).T
            values = jacobian if directions is None else jacobian @ directions
        values = np.asarray(values).reshape(ell.shape[0], n_dir)
        return Tracked(values[:n_out], values[n_out:])


@dataclass
class Linearization:
    """The pieces of the solution map at a point, or why there are none (``fatal``)."""

    system: ActiveSystem
    options: SensitivityOptions

    def __post_init__(self) -> None:
        self.fatal = self.system.fatal
        self.pieces: list[Piece] = []
        if self.fatal:
            return
        uncertain = set(self.system.uncertain)
        both = sum(a in uncertain and b in uncertain for a, b in self.system.pairs)
        count = 3 ** both * 2 ** (len(uncertain) - 2 * both)
        if count > self.options.max_pieces:
            self.fatal = (f"{len(uncertain)} weakly active rows give {count} pieces, more "
                          f"than max_pieces = {self.options.max_pieces}: one-sided "
                          "derivatives not computed")
            return
        built = [Piece(self.system, dropped, self.options)
                 for dropped in _choices(self.system)]
        self.pieces = [p for p in built if p.factor is not None]
        if not self.pieces:
            self.fatal = ("the linearized active system is singular (second-order "
                          "sufficiency fails: the solution is not isolated)")

    @property
    def issues(self) -> list[str]:
        """Every failed assumption, the fatal one included."""
        extra = [self.fatal] if self.fatal and self.fatal not in self.system.issues else []
        return self.system.issues + extra

    def one_sided(self, rows: sp.csr_matrix, rows_p: np.ndarray, directions: np.ndarray | None
                  ) -> tuple[np.ndarray, np.ndarray, list[str], list[str]]:
        """Derivatives of the tracked rows along each direction ``d`` (the right
        derivative, ``lim (φ(θ + t d) - φ(θ)) / t``) and from the left
        (``lim (φ(θ) - φ(θ - t d)) / t``), NaN where not determined, and for each
        direction why not on the right and on the left (``""`` when determined).
        Only for a linearization that is not ``fatal``."""
        tracked = [p.tracked(rows, rows_p, directions) for p in self.pieces]
        right, why_right = _select(tracked, self.options.check_tol)
        left, why_left = _select([Tracked(-t.outputs, -t.checks) for t in tracked],
                                 self.options.check_tol)
        return right, -left, why_right, why_left


def _choices(system: ActiveSystem):
    """Every set of weakly active rows to leave out, both rows of a pair excepted."""
    uncertain = system.uncertain
    for drop in itertools.product((False, True), repeat=len(uncertain)):
        dropped = frozenset(j for j, d in zip(uncertain, drop, strict=True) if d)
        if not any(a in dropped and b in dropped for a, b in system.pairs):
            yield dropped


def _select(tracked: list[Tracked], tol: float) -> tuple[np.ndarray, list[str]]:
    """For each direction, the outputs of the piece(s) whose checks hold, and why none
    could be chosen (no piece, or pieces that disagree)."""
    n_out, n_dir = tracked[0].outputs.shape
    values = np.full((n_out, n_dir), np.nan)
    found = np.zeros(n_dir, dtype=bool)
    disagree = np.zeros(n_dir, dtype=bool)
    for t in tracked:
        scale = np.maximum(1.0, np.maximum(np.max(np.abs(t.outputs), axis=0, initial=0.0),
                                           np.max(np.abs(t.checks), axis=0, initial=0.0)))
        consistent = np.all(t.checks >= -tol * scale, axis=0)
        again = consistent & found
        gap = np.max(np.abs(t.outputs[:, again] - values[:, again]), axis=0, initial=0.0)
        disagree[again] |= gap > tol * scale[again]
        new = consistent & ~found
        values[:, new] = t.outputs[:, new]
        found |= new
    values[:, disagree] = np.nan
    why = ["" if ok else "no piece of the solution map is consistent" for ok in found]
    for j in np.flatnonzero(disagree):
        why[j] = "several consistent pieces disagree (the solution may jump)"
    return values, why
