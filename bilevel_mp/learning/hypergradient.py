"""Hypergradients by approximate implicit differentiation with CG (survey §5.2, AID).

At a lower-level solution ``w(x)`` (``∇_w f(x, w(x)) = 0``, ``∇²_ww f`` positive definite)
the implicit function theorem gives (survey §5.1, (5.4) and the formulas after it)::

    ∇𝓕(x) = ∇_x F - (∇²_xw f)ᵀ q,      ∇²_ww f · q = ∇_w F,

with the adjoint ``q`` from preconditioned CG on Hessian-vector products (Algorithm 5.2,
lines 4–6; Pedregosa 2016, HOAG, survey [210], which also warm-starts ``q`` from the
previous outer iteration, as done here). Nothing of size ``n × n`` is formed: one
hypergradient costs the CG products plus one cross-derivative product
(:meth:`~bilevel_mp.learning.problems.ERMHyperproblem.cross_product`).

Accuracy: with ``w`` within ``δ`` of ``w(x)`` and the CG residual ``ρ``, the error of the
hypergradient is ``O(δ + ρ)`` (survey (5.5)); both tolerances are options of the method.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bilevel_mp.learning.krylov import norm, pcg
from bilevel_mp.learning.lower_level import LowerLevelSolution
from bilevel_mp.learning.problems import ERMHyperproblem


@dataclass
class Hypergradient:
    """``𝓕(x) = F(w)`` and its gradient, with the adjoint and what it cost.

    Attributes
    ----------
    value
        The validation loss ``F(w)``.
    gradient
        ``∇𝓕(x)``.
    adjoint
        ``q`` (kept to warm-start the next solve).
    hessian_products
        Hessian-vector products spent by CG.
    residual_norm, converged
        ``‖∇_w F - ∇²_ww f · q‖`` and whether it met the tolerance.
    """

    value: float
    gradient: np.ndarray
    adjoint: np.ndarray
    hessian_products: int
    residual_norm: float
    converged: bool


def aid_hypergradient(problem: ERMHyperproblem, x: np.ndarray, solution: LowerLevelSolution,
                      tol: float, max_cg: int,
                      adjoint0: np.ndarray | None = None) -> Hypergradient:
    """``∇𝓕(x)`` at the lower-level point ``solution`` (module docstring); CG stops at
    ``‖residual‖ <= tol · ‖∇_w F‖``."""
    value, grad_w = problem.validation_value_and_gradient(solution.w)
    curvature = problem.curvature(x, solution.z)
    cg = pcg(curvature.product, grad_w, curvature.diagonal,
             tol * norm(grad_w), max_cg, adjoint0)
    gradient = -problem.cross_product(x, solution.w, solution.z, cg.x)
    return Hypergradient(value, gradient, cg.x, cg.products, cg.residual_norm, cg.converged)
