"""Hypergradients ``∇𝓕(x) = ∇_x F + ∇y(x)ᵀ ∇_y F`` of ``𝓕(x) = F(x, y(x))`` (survey §5–6).

With the lower-level Lagrangian ``ℓ = f + α/2 ‖y‖² + u'g + v'h`` (``α`` the Tikhonov weight
of §6.2, 0 by default), a lower-level solution ``(y, u, v)`` and its active set ``A``
(``u_i > sc_tol``), the KKT residual ``R = [∇_y ℓ; g_A; h]`` vanishes along
``(y(x), u_A(x), v(x))``. Differentiating it (§6.1, the content of (6.3) without explicit
inverses)::

    K d(y, u_A, v)/dx = -B,    K = [[∇²_yy ℓ, ∇_y g_Aᵀ, ∇_y hᵀ], [∇_y g_A, 0, 0], [∇_y h, 0, 0]],
                               B = [∇²_yx ℓ; ∇_x g_A; ∇_x h],

so with the adjoint ``λ`` solving ``K λ = [∇_y F; 0; 0]`` (K is symmetric)::

    ∇𝓕(x) = ∇_x F - Bᵀ λ.

Variants (option ``hypergradient``):

``exact``
    ``K`` assembled sparse and factorized once (Algorithm 5.1 / 6.1).
``aid``
    ``K λ = rhs`` by a Krylov method on products with ``K`` — conjugate gradients on
    ``∇²_yy ℓ`` when no constraint is active, MINRES otherwise — from CasADi Hessian-vector
    products; nothing is assembled (Algorithm 5.2).
``itd``
    ``T`` projected gradient steps ``y_{t+1} = Π(y_t - η ∇_y f(x, y_t))`` (Π: the box of
    the ``y`` bounds) unrolled in CasADi and differentiated by reverse mode: the exact
    gradient of ``F(x, y_T(x))`` (Algorithm 5.3). Only bounds on ``y`` are allowed.

Diagnostics at every hypergradient (§6.1, assumptions (A2)–(A4)): LLICQ fails when the
active gradients ``[∇_y g_A; ∇_y h]`` are rank deficient; strict complementarity fails for
a constraint with ``g_i > -active_tol`` and ``u_i <= sc_tol`` — ``y(·)`` is then not
differentiable there, and the constraint is left out of ``A``, which gives the one-sided
derivative along directions that make it inactive; a singular ``K`` (with LLICQ holding:
a singular reduced Hessian) means the lower-level solution is not isolated, and a
least-squares adjoint is used.
Each event is counted and named in the result.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import casadi as ca
import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from bilevel_mp.ir.derivatives import hessian
from bilevel_mp.ir.program import BilevelProgram, symbol_like
from bilevel_mp.ir.structure import to_csc
from bilevel_mp.solvers.sparse_lu import lu_solve

Variant = Literal["exact", "aid", "itd"]
"""How the hypergradient is computed (module docstring)."""


@dataclass
class Diagnostics:
    """Assumption failures seen while computing hypergradients."""

    llicq: int = 0
    strict_complementarity: int = 0
    singular: int = 0
    weak_constraints: set[str] = field(default_factory=set)

    def summary(self) -> str:
        """One line for the result message ('' when nothing failed)."""
        parts = []
        if self.llicq:
            parts.append(f"LLICQ failed at {self.llicq} point(s)")
        if self.strict_complementarity:
            parts.append(
                f"strict complementarity failed at {self.strict_complementarity} point(s) "
                f"({', '.join(sorted(self.weak_constraints))}): one-sided derivatives used")
        if self.singular:
            parts.append(f"singular lower-level KKT matrix at {self.singular} point(s): the "
                         "lower-level solution is not isolated, least-squares adjoint used")
        return "; ".join(parts)


class LowerLevelDerivatives:
    """Compiled derivatives of one program's lower level, all functions of
    ``(x, y, u, v, p, α)``."""

    def __init__(self, program: BilevelProgram) -> None:
        pr = self.program = program
        q, r = pr.g.numel(), pr.h.numel()
        self.u, self.v = symbol_like(pr.x, "u", q), symbol_like(pr.x, "v", r)
        self.alpha = symbol_like(pr.x, "alpha")
        args = [pr.x, pr.y, self.u, self.v, pr.p, self.alpha]
        f_reg = pr.f + 0.5 * self.alpha * ca.sumsqr(pr.y)
        lag = f_reg + ca.dot(self.u, pr.g) + ca.dot(self.v, pr.h)
        grad_y = ca.gradient(lag, pr.y)
        w_y, w_x = symbol_like(pr.x, "w_y", pr.ny), symbol_like(pr.x, "w_x", pr.ny)
        self.f_reg = f_reg
        self.upper = ca.Function("upper", args, [pr.F, ca.gradient(pr.F, pr.x),
                                                 ca.gradient(pr.F, pr.y)])
        self.second = ca.Function("second", args, [hessian(lag, pr.y),
                                                   ca.jacobian(grad_y, pr.x)])
        self.constraints = ca.Function("constraints", args, [
            pr.g, ca.jacobian(pr.g, pr.y), ca.jacobian(pr.g, pr.x),
            ca.jacobian(pr.h, pr.y), ca.jacobian(pr.h, pr.x)])
        self.hess_vec = ca.Function("hess_vec", [*args, w_y],
                                    [ca.jtimes(grad_y, pr.y, w_y)])
        self.cross_vec = ca.Function("cross_vec", [*args, w_x],
                                     [ca.jtimes(grad_y, pr.x, w_x, True)])

    def arguments(self, x, y, u, v, alpha: float) -> list:
        """The argument list of the compiled functions."""
        return [x, y, u, v, self.program.p_values, alpha]


@dataclass
class ActiveSet:
    """Active rows of ``g`` kept in ``A`` and the weakly active ones left out."""

    rows: np.ndarray
    weak: np.ndarray


def active_set(g: np.ndarray, u: np.ndarray, active_tol: float, sc_tol: float) -> ActiveSet:
    """Strongly active rows (``u_i > sc_tol``) and weakly active ones (``u_i <= sc_tol`` and
    ``g_i > -active_tol``); an interior-point solution puts both ``u_i`` and ``-g_i`` near
    ``sqrt(μ)`` at a degenerate constraint, so the two tolerances should exceed that."""
    strong = np.flatnonzero(u > sc_tol)
    weak = np.flatnonzero((u <= sc_tol) & (g > -active_tol))
    return ActiveSet(rows=strong, weak=weak)


def _active_jacobians(derivs: LowerLevelDerivatives, args: list,
                      act: ActiveSet) -> tuple[sp.csc_matrix, sp.csc_matrix]:
    """``[∇_y g_A; ∇_y h]`` and ``[∇_x g_A; ∇_x h]``."""
    _, jgy, jgx, jhy, jhx = derivs.constraints(*args)
    cons_y = sp.vstack([to_csc(ca.DM(jgy))[act.rows], to_csc(ca.DM(jhy))]).tocsc()
    cons_x = sp.vstack([to_csc(ca.DM(jgx))[act.rows], to_csc(ca.DM(jhx))]).tocsc()
    return cons_y, cons_x


def _llicq_holds(cons_y: sp.csc_matrix) -> bool:
    """Whether the active constraint gradients are linearly independent."""
    k = cons_y.shape[0]
    if k == 0:
        return True
    if k > cons_y.shape[1]:
        return False
    return np.linalg.matrix_rank(cons_y.toarray()) == k


def exact_hypergradient(derivs: LowerLevelDerivatives, args: list, act: ActiveSet,
                        diag: Diagnostics) -> np.ndarray:
    """``∇𝓕`` by one sparse factorization of ``K`` (module docstring)."""
    hess, lyx = (to_csc(ca.DM(v)) for v in derivs.second(*args))
    cons_y, cons_x = _active_jacobians(derivs, args, act)
    _, grad_x, grad_y = (np.asarray(v, dtype=float).ravel() for v in derivs.upper(*args))
    k = cons_y.shape[0]
    if not _llicq_holds(cons_y):
        diag.llicq += 1
    kkt = sp.bmat([[hess, cons_y.T], [cons_y, None]], format="csc")
    rhs = np.concatenate([grad_y, np.zeros(k)])
    adjoint = lu_solve(kkt, rhs)
    if adjoint is None:
        diag.singular += 1
        adjoint = np.linalg.lstsq(kkt.toarray(), rhs, rcond=None)[0]
    b = sp.vstack([lyx, cons_x]).tocsc()
    return grad_x - b.T @ adjoint


def aid_hypergradient(derivs: LowerLevelDerivatives, args: list, act: ActiveSet,
                      diag: Diagnostics, tol: float = 1e-12,
                      maxiter: int | None = None) -> np.ndarray:
    """``∇𝓕`` with the adjoint from CG (no active constraint) or MINRES on ``K``, using
    Hessian-vector products only; the constraint Jacobians are small and kept explicit."""
    cons_y, cons_x = _active_jacobians(derivs, args, act)
    _, grad_x, grad_y = (np.asarray(v, dtype=float).ravel() for v in derivs.upper(*args))
    m, k = grad_y.size, cons_y.shape[0]
    if not _llicq_holds(cons_y):
        diag.llicq += 1

    def hv(w: np.ndarray) -> np.ndarray:
        return np.asarray(derivs.hess_vec(*args, w), dtype=float).ravel()

    if k == 0:
        op = spla.LinearOperator((m, m), matvec=hv, dtype=float)
        adjoint, info = spla.cg(op, grad_y, rtol=tol, atol=0.0, maxiter=maxiter)
    else:
        def kv(w: np.ndarray) -> np.ndarray:
            wy, wu = w[:m], w[m:]
            return np.concatenate([hv(wy) + cons_y.T @ wu, cons_y @ wy])

        op = spla.LinearOperator((m + k, m + k), matvec=kv, dtype=float)
        adjoint, info = spla.minres(op, np.concatenate([grad_y, np.zeros(k)]), rtol=tol,
                                    maxiter=maxiter)
    if info != 0:
        diag.singular += 1
    cross = np.asarray(derivs.cross_vec(*args, adjoint[:m]), dtype=float).ravel()
    return grad_x - cross - cons_x.T @ adjoint[m:]


class UnrolledObjective:
    """``F_T(x) = F(x, y_T(x))`` after ``T`` projected gradient steps from a fixed ``y_0``
    (Algorithm 5.3), with its exact gradient by reverse-mode AD."""

    def __init__(self, program: BilevelProgram, steps: int, step_size: float,
                 alpha: float = 0.0) -> None:
        pr = program
        x, y0 = ca.MX.sym("x", pr.nx), ca.MX.sym("y0", pr.ny)
        f_reg = pr.f + 0.5 * alpha * ca.sumsqr(pr.y)
        grad = ca.Function("grad_y", [pr.x, pr.y, pr.p], [ca.gradient(f_reg, pr.y)])
        lb, ub = ca.DM(pr.y_lb), ca.DM(pr.y_ub)
        p = ca.DM(pr.p_values)
        y = y0
        for _ in range(steps):
            y = ca.fmin(ca.fmax(y - step_size * grad(x, y, p), lb), ub)
        value = ca.Function("F", [pr.x, pr.y, pr.p], [pr.F])(x, y, p)
        self.function = ca.Function("unrolled", [x, y0], [value, ca.gradient(value, x), y])

    def __call__(self, x: np.ndarray, y0: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
        """``(F_T(x), ∇F_T(x), y_T(x))`` from ``y0``."""
        value, grad, y = self.function(x, y0)
        return float(value), np.asarray(grad, dtype=float).ravel(), \
            np.asarray(y, dtype=float).ravel()
