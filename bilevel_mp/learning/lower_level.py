"""The lower level ``min_w f(x, w)`` by a truncated (inexact) Newton method.

Each step solves the Newton system ``∇²_ww f · p = -∇_w f`` by preconditioned CG
(:func:`~bilevel_mp.learning.krylov.pcg`) using Hessian-vector products only, to the
residual ``max(η_k ‖∇f‖, tol / 2)`` with the forcing term ``η_k = min(½, √(‖∇f‖ / s))``
(``s = ‖∇_w f(x, 0)‖``; Eisenstat–Walker-type forcing, Nocedal and Wright, *Numerical
Optimization*, 2nd ed., §7.1, Algorithm 7.1, which gives superlinear convergence); a
quadratic loss is solved in one step to the tolerance. The step length is the first of
``1, ½, ¼, …`` with the Armijo decrease ``f(w + αp) <= f(w) + 10⁻⁴ α ∇fᵀp``; the trial
values reuse ``A p``, so a trial costs no product with the data. When the predicted
decrease ``|∇fᵀp|`` is below the rounding noise of ``f`` (``ROUNDOFF · |f|``) the Armijo
test cannot decide; the full Newton step is then taken (so close to the solution it is in
Newton's region of fast convergence), and the solve stops when such a step no longer
reduces ``‖∇f‖``.

Stopping rule: ``‖∇_w f(x, w)‖₂ <= tol · s`` (converged), or ``max_iter`` Newton steps, a
step that the line search cannot shorten enough, or a full step below the rounding noise
that does not reduce ``‖∇f‖`` (not converged; the caller decides).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bilevel_mp.errors import OptionError
from bilevel_mp.learning.krylov import inner, norm, pcg
from bilevel_mp.learning.problems import ERMHyperproblem
from bilevel_mp.options import CheckedOptions
from bilevel_mp.tolerances import ROUNDOFF

ARMIJO = 1e-4
MAX_HALVINGS = 40


@dataclass(frozen=True)
class LowerLevelOptions(CheckedOptions):
    """Options of the lower-level Newton–CG solver.

    Attributes
    ----------
    tol
        Stop when ``‖∇_w f‖ <= tol · ‖∇_w f(x, 0)‖``.
    max_iter
        Newton steps.
    max_cg
        Hessian-vector products per Newton step.
    """

    tol: float = 1e-9
    max_iter: int = 50
    max_cg: int = 5000

    def __post_init__(self) -> None:
        super().__post_init__()
        for name, minimum in (("tol", 0), ("max_iter", 0), ("max_cg", 1)):
            if not getattr(self, name) >= minimum:
                raise OptionError(f"option {name!r} of LowerLevelOptions must be >= "
                                  f"{minimum}, got {getattr(self, name)!r}")


@dataclass
class LowerLevelSolution:
    """A lower-level point and how well it solves ``∇_w f(x, w) = 0``.

    Attributes
    ----------
    w, z
        The weights and their training scores ``A w``.
    value
        ``f(x, w)``.
    gradient_norm
        ``‖∇_w f(x, w)‖₂``.
    tolerance
        The absolute gradient tolerance that was asked for.
    iterations, hessian_products
        Newton steps and Hessian-vector products spent.
    converged
        Whether ``gradient_norm <= tolerance``.
    """

    w: np.ndarray
    z: np.ndarray
    value: float
    gradient_norm: float
    tolerance: float
    iterations: int
    hessian_products: int
    converged: bool


def solve_lower_level(problem: ERMHyperproblem, x: np.ndarray, w0: np.ndarray,
                      options: LowerLevelOptions) -> LowerLevelSolution:
    """``argmin_w f(x, w)`` from ``w0`` by the method of the module docstring."""
    scale = problem.gradient_scale(x)
    tol = options.tol * scale
    w = np.array(w0, dtype=float)
    z = problem.scores(w)
    f = problem.training_value(x, w, z)
    g = problem.training_gradient(x, w, z)
    g_norm = norm(g)
    iterations = products = 0
    while g_norm > tol and iterations < options.max_iter:
        curvature = problem.curvature(x, z)
        eta = 0.0 if problem.loss.quadratic else min(0.5, np.sqrt(g_norm / scale))
        cg = pcg(curvature.product, -g, curvature.diagonal, max(eta * g_norm, 0.5 * tol),
                 options.max_cg)
        products += cg.products
        iterations += 1
        p, ap = cg.x, problem.scores(cg.x)
        slope = inner(g, p)
        if slope >= 0.0:  # not a descent direction: rounding has taken over
            break
        below_rounding = -slope <= ROUNDOFF * abs(f)
        alpha = 1.0
        for _ in range(MAX_HALVINGS):
            f_trial = problem.training_value(x, w + alpha * p, z + alpha * ap)
            if below_rounding or f_trial <= f + ARMIJO * alpha * slope:
                break
            alpha *= 0.5
        else:
            break
        w += alpha * p
        z += alpha * ap
        f = f_trial
        g = problem.training_gradient(x, w, z)
        g_norm, previous = norm(g), g_norm
        if below_rounding and g_norm >= previous:  # the rounding floor of ∇f is reached
            break
    return LowerLevelSolution(w, z, f, g_norm, tol, iterations, products, g_norm <= tol)
