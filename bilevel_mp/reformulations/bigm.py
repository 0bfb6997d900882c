"""KKT reformulation with Big-M (Fortuny-Amat and McCarl) complementarity: a MILP.

Survey §7.5, (7.12). For a lower level whose KKT system is linear — ``g``, ``h`` affine in
(x, y) and ``∇_y f`` affine in (x, y) (an LP, or a convex QP with a constant Hessian) —
and an upper level with affine ``G``, ``H``, the bilevel program becomes::

    min  F(x, y)
    s.t. G(x, y) <= 0,  H(x, y) = 0,  h(x, y) = 0,  g(x, y) <= 0,
         ∇_y f(x, y) + ∇_y g' u + ∇_y h' v = 0,
         0 <= u_i <= M^D_i w_i,   -g_i(x, y) <= M^P_i (1 - w_i),   w_i ∈ {0, 1},

with variables z = (x, y, u, v, w). ``w_i = 1`` lets constraint i be active with a
positive multiplier; ``w_i = 0`` forces ``u_i = 0``. Exact when ``M^P_i`` bounds the slack
``-g_i`` and ``M^D_i`` bounds the multiplier ``u_i`` at some optimal solution; where the
bounds come from is recorded per row (see :mod:`bilevel_mp.oracles.bigm_bounds`).
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from enum import StrEnum

import casadi as ca
import numpy as np
import scipy.sparse as sp

from bilevel_mp.errors import ModelError
from bilevel_mp.ir.linear import Affine, affine, is_affine, quadratic
from bilevel_mp.ir.milp import MILP
from bilevel_mp.ir.program import BilevelProgram
from bilevel_mp.ir.structure import is_nonsmooth, is_psd, to_csc
from bilevel_mp.reformulations.base import BilevelSolution, InverseData, Reformulation
from bilevel_mp.reformulations.kkt import DISCRETE_LL_HAS_NO_KKT


class BigMSource(StrEnum):
    """Where an M value comes from: a bounding argument (``LP``, ``FBBT``,
    ``VERTEX_ENUMERATION``: :mod:`bilevel_mp.oracles.bigm_bounds`), the user
    (:func:`bilevel_mp.set_big_m`), or the method's default."""

    LP = "LP"
    FBBT = "interval (fbbt)"
    VERTEX_ENUMERATION = "vertex enumeration"
    USER = "user"
    DEFAULT = "default"


PROVEN_SOURCES = frozenset({BigMSource.LP, BigMSource.FBBT, BigMSource.VERTEX_ENUMERATION})
"""Sources whose value is a valid bound by construction."""


@dataclass(frozen=True)
class BigM:
    """One M value, where it comes from, and how many times ``kkt-bigm`` enlarged it
    because it bound at a solution (only unproven values are enlarged)."""

    value: float
    source: BigMSource
    enlargements: int = 0

    @property
    def proven(self) -> bool:
        """Whether the value was derived by a valid bounding argument."""
        return self.source in PROVEN_SOURCES

    def enlarged(self, factor: float) -> BigM:
        """The value times ``factor``, with one more enlargement recorded."""
        return BigM(self.value * factor, self.source, self.enlargements + 1)

    def describe(self) -> str:
        """``"default"``, or ``"default, enlarged 3 times"``."""
        times = {0: "", 1: ", enlarged once"}.get(self.enlargements,
                                                  f", enlarged {self.enlargements} times")
        return f"{self.source.value}{times}"


@dataclass(frozen=True)
class LinearKKT:
    """The affine data of a bilevel program whose KKT system is linear.

    Every block is affine in ``xy = (x, y)``: ``G``, ``H``, ``g``, ``h`` and the gradient
    ``grad_f = ∇_y f``. ``F`` is ``(Q, c, k)`` with ``F = ½ xy'Q xy + c'xy + k``.
    """

    n: int
    m: int
    G: Affine
    H: Affine
    g: Affine
    h: Affine
    grad_f: Affine
    F: tuple[sp.csc_matrix, np.ndarray, float]

    @property
    def F_is_linear(self) -> bool:
        """Whether the upper-level objective has no quadratic term."""
        return self.F[0].nnz == 0

    @property
    def F_scale(self) -> float:
        """Largest coefficient of the upper-level objective (1 when it has none): the unit
        in which the single-level solvers' absolute gaps are judged."""
        Q, c, _ = self.F
        largest = max(float(np.max(np.abs(c), initial=0.0)),
                      float(abs(Q).max()) if Q.nnz else 0.0)
        return largest if largest > 0 else 1.0

    def jac_y(self, block: Affine) -> sp.csr_matrix:
        """Columns of a block that belong to ``y``."""
        return block.A[:, self.n:]


def linear_kkt_reason(program: BilevelProgram) -> str:
    """Why the KKT system of ``program`` is not linear ('' when it is)."""
    xy = ca.vertcat(program.x, program.y)
    checks = (
        ("upper-level constraint", program.G, program.names["G"]),
        ("upper-level equality", program.H, program.names["H"]),
        ("lower-level constraint", program.g, program.names["g"]),
        ("lower-level equality", program.h, program.names["h"]),
    )
    for what, expr, names in checks:
        for i in range(0 if ca.is_linear(expr, xy) else expr.numel()):  # rows: the culprit
            if not ca.is_linear(expr[i], xy):
                return f"{what} {names[i]!r} is not linear in (x, y)"
    for what, expr in (("lower-level objective", program.f),
                       ("lower-level constraints", ca.vertcat(program.g, program.h)),
                       ("upper level", ca.vertcat(program.F, program.G, program.H))):
        if is_nonsmooth(expr):
            return f"{what} uses a nonsmooth function (abs, min, max, sign or a comparison)"
    grad = ca.gradient(program.f, program.y)
    for j in range(0 if ca.is_linear(grad, xy) else grad.numel()):
        if not ca.is_linear(grad[j], xy):
            return (f"lower-level objective is not linear or quadratic with constant "
                    f"coefficients in y (its derivative in {program.names['y'][j]!r} is "
                    "not affine in (x, y))")
    hess = program.lower_level.f_hessian
    psd, detail = is_psd(to_csc(ca.DM(ca.evalf(ca.substitute(
        hess, ca.vertcat(program.x, program.p), ca.DM.zeros(program.nx + program.p.numel()))))))
    if not psd:
        return (f"lower-level objective is not convex in y (its Hessian in y is {detail}): KKT "
                "points of a non-convex lower level need not be optimal")
    if reason := program.integer_ll_reason(DISCRETE_LL_HAS_NO_KKT):
        return reason
    if not (is_affine(program.F, xy) or ca.is_quadratic(program.F, xy)):
        return "upper-level objective is neither linear nor quadratic in (x, y)"
    return ""


_LINEAR_KKT: weakref.WeakKeyDictionary[BilevelProgram, LinearKKT] = (
    weakref.WeakKeyDictionary())


def linear_kkt_data(program: BilevelProgram) -> LinearKKT:
    """The affine data of ``program`` (call :func:`linear_kkt_reason` first), read once per
    program (programs are immutable) and shared by every reformulation built on it."""
    if program not in _LINEAR_KKT:
        _LINEAR_KKT[program] = _read_linear_kkt(program)
    return _LINEAR_KKT[program]


def _read_linear_kkt(program: BilevelProgram) -> LinearKKT:
    xy = ca.vertcat(program.x, program.y)
    p, pv = program.p, program.p_values

    def aff(e):
        return affine(e, xy, p, pv)

    data = LinearKKT(
        n=program.nx, m=program.ny, G=aff(program.G), H=aff(program.H), g=aff(program.g),
        h=aff(program.h), grad_f=aff(ca.gradient(program.f, program.y)),
        F=quadratic(program.F, xy, p, pv),
    )
    _check_finite(data, program)
    return data


def _first_nonfinite_row(block: Affine) -> int | None:
    """The first row of ``block`` with a NaN or infinite entry (``None``: all finite)."""
    A = sp.csr_matrix(block.A)
    row_of_entry = np.repeat(np.arange(block.rows), np.diff(A.indptr))
    bad = np.union1d(row_of_entry[~np.isfinite(A.data)], np.flatnonzero(~np.isfinite(block.b)))
    return int(bad[0]) if bad.size else None


def _check_finite(data: LinearKKT, program: BilevelProgram) -> None:
    """A :class:`ModelError` naming the first row with a NaN or infinite coefficient (a
    parameter's value can make one): HiGHS, SCIP and Pyomo's FBBT fail on them far from
    the model."""
    blocks = (("upper-level constraint", data.G, program.names["G"]),
              ("upper-level equality", data.H, program.names["H"]),
              ("lower-level constraint", data.g, program.names["g"]),
              ("lower-level equality", data.h, program.names["h"]),
              ("derivative of the lower-level objective in", data.grad_f, program.names["y"]))
    for what, block, names in blocks:
        row = _first_nonfinite_row(block)
        if row is not None:
            raise ModelError(f"{what} {names[row]!r} has a coefficient that is not a finite "
                             "number")
    Q, c, k = data.F
    if not (np.all(np.isfinite(Q.data)) and np.all(np.isfinite(c)) and np.isfinite(k)):
        raise ModelError("the upper-level objective has a coefficient that is not a finite "
                         "number")


Block = tuple[sp.csr_matrix, np.ndarray, np.ndarray]
"""Rows ``lb <= A z <= ub`` of a single-level program, as ``(A, lb, ub)``."""


def feasibility_blocks(data: LinearKKT, tail: int, with_g: bool = True) -> list[Block]:
    """``G <= 0``, ``H = 0``, ``h = 0`` (and ``g <= 0``) over ``(x, y)``, each followed by
    ``tail`` zero columns (the reformulation's own variables)."""

    def pad(mat: sp.spmatrix) -> sp.csr_matrix:
        return sp.hstack([mat, sp.csr_matrix((mat.shape[0], tail))]).tocsr()

    blocks = [(pad(data.G.A), np.full(data.G.rows, -np.inf), -data.G.b),
              (pad(data.H.A), -data.H.b, -data.H.b),
              (pad(data.h.A), -data.h.b, -data.h.b)]
    if with_g:
        blocks.append((pad(data.g.A), np.full(data.g.rows, -np.inf), -data.g.b))
    return blocks


def stack_blocks(blocks: list[Block]) -> dict:
    """``A``, ``row_lb``, ``row_ub`` of the stacked blocks (keyword arguments of MILP)."""
    return {"A": sp.vstack([b[0] for b in blocks]).tocsr(),
            "row_lb": np.concatenate([b[1] for b in blocks]),
            "row_ub": np.concatenate([b[2] for b in blocks])}


def padded_hessian(Q: sp.csc_matrix, tail: int) -> sp.csc_matrix | None:
    """The upper-level Hessian over ``(x, y)`` followed by ``tail`` columns (``None`` when
    the objective is linear)."""
    return sp.block_diag([Q, sp.csc_matrix((tail, tail))]).tocsc() if Q.nnz else None


@dataclass(frozen=True)
class BigMInverseData(InverseData):
    """Positions in ``z`` and the M values used, with their sources, per LL row."""

    n: int
    m: int
    q: int
    r: int
    primal: tuple[BigM, ...]
    dual: tuple[BigM, ...]

    @property
    def slices(self) -> dict[str, slice]:
        """``x``, ``y``, ``u``, ``v``, ``w`` blocks of ``z``."""
        n, m, q, r = self.n, self.m, self.q, self.r
        starts = np.cumsum([0, n, m, q, r, q])
        return {k: slice(int(starts[i]), int(starts[i + 1]))
                for i, k in enumerate(("x", "y", "u", "v", "w"))}


def build_bigm_milp(data: LinearKKT, program: BilevelProgram, primal: list[BigM],
                    dual: list[BigM]) -> tuple[MILP, BigMInverseData]:
    """Assemble the MILP of the module docstring for the given M values."""
    n, m = data.n, data.m
    q, r = data.g.rows, data.h.rows
    zero = sp.csr_matrix
    tail = q + r + q
    gy, hy = data.jac_y(data.g), data.jac_y(data.h)
    stationarity = sp.hstack([data.grad_f.A, gy.T, hy.T, zero((m, q))]).tocsr()
    mp = np.array([b.value for b in primal])
    md = np.array([b.value for b in dual])
    eye = sp.identity(q, format="csr")
    # u_i - M^D_i w_i <= 0
    dual_rows = sp.hstack([zero((q, n + m)), eye, zero((q, r)), -sp.diags(md)]).tocsr()
    # -g_i(x, y) + M^P_i w_i <= M^P_i + g-offset
    primal_rows = sp.hstack([-data.g.A, zero((q, q + r)), sp.diags(mp)]).tocsr()
    blocks = feasibility_blocks(data, tail) + [
        (stationarity, -data.grad_f.b, -data.grad_f.b),
        (dual_rows, np.full(q, -np.inf), np.zeros(q)),
        (primal_rows, np.full(q, -np.inf), mp + data.g.b),
    ]
    Q, c, k = data.F
    col_lb = np.concatenate([program.x_lb, np.full(m, -np.inf), np.zeros(q),
                             np.full(r, -np.inf), np.zeros(q)])
    col_ub = np.concatenate([program.x_ub, np.full(m, np.inf), np.full(q, np.inf),
                             np.full(r, np.inf), np.ones(q)])
    integer = np.concatenate([program.x_integer, np.zeros(m + q + r, dtype=bool),
                              np.ones(q, dtype=bool)])
    names = (program.names["x"] + program.names["y"]
             + tuple(f"u[{g}]" for g in program.names["g"])
             + tuple(f"v[{h}]" for h in program.names["h"])
             + tuple(f"w[{g}]" for g in program.names["g"]))
    milp = MILP(c=np.concatenate([c, np.zeros(tail)]), **stack_blocks(blocks),
                col_lb=col_lb, col_ub=col_ub, integer=integer, c0=k,
                Q=padded_hessian(Q, tail), col_names=names)
    return milp, BigMInverseData(n, m, q, r, tuple(primal), tuple(dual))


@dataclass(frozen=True)
class SOS1InverseData(InverseData):
    """Positions of ``x``, ``y``, ``u``, ``v`` and the slacks ``s = -g`` in ``z``."""

    n: int
    m: int
    q: int
    r: int

    @property
    def slices(self) -> dict[str, slice]:
        """``x``, ``y``, ``u``, ``v``, ``s`` blocks of ``z``."""
        starts = np.cumsum([0, self.n, self.m, self.q, self.r, self.q])
        return {k: slice(int(starts[i]), int(starts[i + 1]))
                for i, k in enumerate(("x", "y", "u", "v", "s"))}


def build_sos1_program(data: LinearKKT, program: BilevelProgram) -> tuple[MILP,
                                                                         SOS1InverseData]:
    """The KKT system with complementarity as SOS1 pairs ``{u_i, s_i}``, ``s = -g``.

    Survey §7.5 (the SOS1 alternative to (7.12)): ``0 <= u_i``, ``0 <= s_i``, at most one
    of them nonzero. No M value is needed, so a proven optimum of the branch and bound on
    the SOS1 pairs is a proven optimum of the bilevel program (for a convex lower level).
    """
    n, m = data.n, data.m
    q, r = data.g.rows, data.h.rows
    zero = sp.csr_matrix
    tail = q + r + q
    gy, hy = data.jac_y(data.g), data.jac_y(data.h)
    stationarity = sp.hstack([data.grad_f.A, gy.T, hy.T, zero((m, q))]).tocsr()
    slack_rows = sp.hstack([data.g.A, zero((q, q + r)), sp.identity(q)]).tocsr()
    blocks = feasibility_blocks(data, tail, with_g=False) + [
        (stationarity, -data.grad_f.b, -data.grad_f.b),
        (slack_rows, -data.g.b, -data.g.b),  # g(x, y) + s = 0
    ]
    Q, c, k = data.F
    inv = SOS1InverseData(n, m, q, r)
    sl = inv.slices
    milp = MILP(
        c=np.concatenate([c, np.zeros(tail)]), **stack_blocks(blocks),
        col_lb=np.concatenate([program.x_lb, np.full(m, -np.inf), np.zeros(q),
                               np.full(r, -np.inf), np.zeros(q)]),
        col_ub=np.concatenate([program.x_ub, np.full(m + q + r + q, np.inf)]),
        integer=np.concatenate([program.x_integer, np.zeros(tail + m, dtype=bool)]),
        c0=k, Q=padded_hessian(Q, tail),
        sos1=tuple((sl["u"].start + i, sl["s"].start + i) for i in range(q)),
    )
    return milp, inv


class SOS1Reformulation(Reformulation):
    """Bilevel program with a linear KKT system -> MILP with SOS1 complementarity pairs
    (:func:`build_sos1_program`); no M value enters."""

    name = "sos1"

    def accepts(self, problem: BilevelProgram) -> tuple[bool, str]:
        """Linear KKT system and no integer LL variable."""
        reason = linear_kkt_reason(problem)
        return reason == "", reason

    def apply(self, problem: BilevelProgram) -> tuple[MILP, SOS1InverseData]:
        """Build the SOS1 program."""
        return build_sos1_program(linear_kkt_data(problem), problem)

    def invert(self, solution: np.ndarray, inverse_data: SOS1InverseData) -> BilevelSolution:
        """Read x, y and the multipliers off the program's point."""
        return read_kkt_point(solution, inverse_data.slices)


def read_kkt_point(solution: np.ndarray, slices: dict[str, slice]) -> BilevelSolution:
    """x, y and the lower-level multipliers read off a point of a KKT-based program."""
    return BilevelSolution(x=solution[slices["x"]], y=solution[slices["y"]],
                           u=solution[slices["u"]], v=solution[slices["v"]])


class BigMReformulation(Reformulation):
    """Bilevel program with a linear KKT system -> MILP (Big-M complementarity).

    The M values are inputs (``primal``, ``dual`` lists of :class:`BigM`), computed by
    :func:`~bilevel_mp.oracles.bigm_bounds.infer_primal_ms` and
    :func:`~bilevel_mp.oracles.bigm_bounds.infer_dual_ms` in the method driver.
    """

    name = "bigm"

    def __init__(self, primal: list[BigM], dual: list[BigM]) -> None:
        self.primal = primal
        self.dual = dual

    def accepts(self, problem: BilevelProgram) -> tuple[bool, str]:
        """Linear KKT system and no integer LL variable."""
        reason = linear_kkt_reason(problem)
        return reason == "", reason

    def apply(self, problem: BilevelProgram) -> tuple[MILP, BigMInverseData]:
        """Build the MILP (see the module docstring)."""
        return build_bigm_milp(linear_kkt_data(problem), problem, self.primal, self.dual)

    def invert(self, solution: np.ndarray, inverse_data: BigMInverseData) -> BilevelSolution:
        """Read x, y and the multipliers off the MILP point."""
        return read_kkt_point(solution, inverse_data.slices)
