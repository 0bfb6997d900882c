"""Structure analysis: degree of every function and what can be proven about the LL."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

import casadi as ca
import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from bilevel_mp.ir.program import BilevelProgram


class Degree(Enum):
    """Polynomial degree class of a function."""

    CONSTANT = 0
    LINEAR = 1
    QUADRATIC = 2
    NONLINEAR = 3


class Convexity(Enum):
    """What is proven about the lower level's convexity in y."""

    PROVEN = "proven"
    UNKNOWN = "unknown"


NONSMOOTH_OPS = frozenset(
    getattr(ca, name) for name in ("OP_FABS", "OP_SIGN", "OP_FMIN", "OP_FMAX", "OP_FLOOR",
                                   "OP_CEIL", "OP_IF_ELSE_ZERO", "OP_FMOD", "OP_COPYSIGN",
                                   "OP_LT", "OP_LE", "OP_EQ", "OP_NE", "OP_NOT", "OP_AND",
                                   "OP_OR")
    if hasattr(ca, name))
"""CasADi operations whose derivatives are piecewise: |.|, sign, min/max, comparisons."""


def is_nonsmooth(expr: ca.SX) -> bool:
    """Whether ``expr`` uses an operation of :data:`NONSMOOTH_OPS`.

    CasADi differentiates ``fabs`` to ``sign`` and ``sign`` to 0, so ``|y|`` would look
    linear to a derivative-based degree test; such rows are ``NONLINEAR`` here.
    """
    if expr.numel() == 0:
        return False
    fn = ca.Function("ops", [], [expr], {"allow_free": True})  # symbols need no inputs
    return any(map(NONSMOOTH_OPS.__contains__, map(fn.instruction_id,
                                                   range(fn.n_instructions()))))


def nonsmooth_rows(v: ca.SX) -> np.ndarray:
    """Which entries of the column ``v`` are :func:`is_nonsmooth` (a boolean array).

    One walk over the whole column decides the common case (no entry is nonsmooth); only
    a nonsmooth column is tested entry by entry.
    """
    n = v.numel()
    if not is_nonsmooth(v):
        return np.zeros(n, dtype=bool)
    return np.array([is_nonsmooth(v[i]) for i in range(n)], dtype=bool)


def degrees(v: ca.SX, wrt: ca.SX, nonsmooth: np.ndarray | None = None
            ) -> tuple[Degree, ...]:
    """Degree of each entry of the column ``v`` with respect to the symbols ``wrt``.

    Vectorized through CasADi's dependency analysis (``which_depends``), so the cost is
    one sparse Jacobian (none when no entry is nonlinear), not one symbolic test per row.
    ``nonsmooth`` is :func:`nonsmooth_rows` of ``v`` when the caller has it already.
    """
    n = v.numel()
    if n == 0:
        return ()
    if wrt.numel() == 0:
        return (Degree.CONSTANT,) * n
    depends = np.array(ca.which_depends(v, wrt, 1, True), dtype=bool)
    nonlinear = np.array(ca.which_depends(v, wrt, 2, True), dtype=bool)
    beyond_quadratic = np.zeros(n, dtype=bool)
    if nonlinear.any():
        jac = ca.jacobian(v, wrt)
        rows, _ = jac.sparsity().get_triplet()
        if rows:
            jac_nonlinear = np.array(ca.which_depends(jac.get_nz(False, ca.Slice()), wrt, 2,
                                                      True), dtype=bool)
            beyond_quadratic[np.asarray(rows, dtype=int)[jac_nonlinear]] = True
    rough = nonsmooth_rows(v) if nonsmooth is None else nonsmooth
    codes = np.select(
        [~depends, rough, ~nonlinear, ~beyond_quadratic],
        [Degree.CONSTANT.value, Degree.NONLINEAR.value, Degree.LINEAR.value,
         Degree.QUADRATIC.value], Degree.NONLINEAR.value)
    return tuple(Degree(int(c)) for c in codes)


def _max(degs: tuple[Degree, ...]) -> Degree:
    return max(degs, key=lambda d: d.value, default=Degree.CONSTANT)


@dataclass(frozen=True)
class Structure:
    """Result of :func:`analyze`.

    ``degrees`` are with respect to all variables (x, y); ``ll_degrees_in_y`` treat x
    as fixed. ``ll_kind`` is ``"LP"``, ``"QP"`` (quadratic objective, linear constraints
    in y) or ``"NLP"``.
    """

    degrees: dict[str, tuple[Degree, ...]]
    ll_degrees_in_y: dict[str, tuple[Degree, ...]]
    ll_kind: str
    ll_convexity: Convexity
    ll_reason: str
    has_integer_y: bool
    has_integer_x: bool

    @property
    def ll_convex(self) -> bool:
        """Whether the LL is proven convex in y for every x."""
        return self.ll_convexity is Convexity.PROVEN

    def summary(self) -> str:
        """One line per level."""
        def fmt(key):
            return _max(self.degrees[key]).name.lower()
        return (f"UL: F {fmt('F')}, G {fmt('G')}, H {fmt('H')}; LL ({self.ll_kind} in y): "
                f"f {fmt('f')}, g {fmt('g')}, h {fmt('h')}; LL convexity "
                f"{self.ll_convexity.value} ({self.ll_reason})")


def analyze(program: BilevelProgram) -> Structure:
    """Degrees of all functions and a convexity proof for the LL where one is cheap.

    The LL is proven convex in y when it is linear in y, or when ``f`` is quadratic in y
    with a constant positive semidefinite Hessian ``∇²_yy f`` and ``g``, ``h`` are
    linear in y. Anything else is ``UNKNOWN`` (not "nonconvex").
    """
    xy = ca.vertcat(program.x, program.y)
    rough = {k: nonsmooth_rows(getattr(program, k)) for k in ("F", "G", "H", "f", "g", "h")}
    by_function = {k: degrees(getattr(program, k), xy, rough[k]) for k in rough}
    in_y = {k: degrees(getattr(program, k), program.y, rough[k]) for k in ("f", "g", "h")}
    constraints_linear = _max(in_y["g"] + in_y["h"]).value <= Degree.LINEAR.value
    f_deg = in_y["f"][0]
    if not constraints_linear:
        kind, convexity, reason = "NLP", Convexity.UNKNOWN, "LL constraints nonlinear in y"
    elif f_deg.value <= Degree.LINEAR.value:
        kind, convexity, reason = "LP", Convexity.PROVEN, "LL is linear in y"
    elif f_deg is Degree.QUADRATIC:
        kind = "QP"
        convexity, reason = _quadratic_convexity(program)
    else:
        kind, convexity, reason = "NLP", Convexity.UNKNOWN, "LL objective not quadratic in y"
    return Structure(
        degrees=by_function, ll_degrees_in_y=in_y, ll_kind=kind, ll_convexity=convexity,
        ll_reason=reason, has_integer_y=bool(np.any(program.y_integer)),
        has_integer_x=bool(np.any(program.x_integer)),
    )


def _quadratic_convexity(program: BilevelProgram) -> tuple[Convexity, str]:
    hess = program.lower_level.f_hessian
    if ca.depends_on(hess, ca.vertcat(program.x, program.p)):
        return Convexity.UNKNOWN, "Hessian of f in y depends on x or parameters"
    psd, detail = is_psd(to_csc(ca.DM(ca.evalf(hess))))
    if psd:
        return Convexity.PROVEN, f"LL is a QP in y with a PSD Hessian ({detail})"
    return Convexity.UNKNOWN, f"LL Hessian in y: {detail}"


def to_csc(dm: ca.DM) -> sp.csc_matrix:
    """A CasADi ``DM`` as a SciPy CSC matrix (structural zeros kept out)."""
    colind, row = dm.sparsity().get_ccs()
    return sp.csc_matrix((np.asarray(dm.nonzeros(), dtype=float), row, colind),
                         shape=dm.shape)


def is_psd(q: sp.spmatrix, tol: float = 1e-9, max_dense: int = 2000) -> tuple[bool, str]:
    """Whether the symmetric part of ``q`` is positive semidefinite, and how it was decided.

    Cheapest test first: a nonnegative diagonal with diagonal dominance proves it
    (Gershgorin); up to ``max_dense`` rows the dense eigenvalues decide; beyond that the
    smallest eigenvalue from ARPACK (``eigsh``, which="SA") decides, and a failure to
    converge answers "not proven".
    """
    sym = (0.5 * (q + q.T)).tocsr()
    n = sym.shape[0]
    if n == 0 or sym.nnz == 0:
        return True, "zero Hessian"
    scale = max(1.0, float(abs(sym).max()))
    diag = sym.diagonal()
    off = np.asarray(abs(sym).sum(axis=1)).ravel() - np.abs(diag)
    if np.all(diag >= -tol * scale) and np.all(diag - off >= -tol * scale):
        return True, "diagonally dominant"
    try:
        if n <= max_dense:
            eig_min = float(np.linalg.eigvalsh(sym.toarray()).min())
        else:
            eig_min = float(spla.eigsh(sym, k=1, which="SA", tol=1e-10, maxiter=5000,
                                       return_eigenvectors=False)[0])
    except spla.ArpackNoConvergence:
        return False, "smallest eigenvalue not found (ARPACK did not converge)"
    if eig_min >= -tol * scale:
        return True, f"min eigenvalue {eig_min:.3g}"
    return False, f"indefinite (min eigenvalue {eig_min:.3g})"
