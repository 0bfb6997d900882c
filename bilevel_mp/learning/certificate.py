"""Verification of a lower-level point of an ERM problem, by strong convexity.

``f(x̂, ·)`` is ``μ``-strongly convex with ``μ = min_j r_j(x̂)``
(:meth:`~bilevel_mp.learning.problems.ERMHyperproblem.strong_convexity`), so for any ``ŵ``
with ``g = ∇_w f(x̂, ŵ)`` and the unique minimizer ``w*`` (strongly convex functions:
Nesterov, *Lectures on Convex Optimization*, 2nd ed., 2018, §2.1.3)::

    f(x̂, ŵ) - f(x̂, w*) <= ‖g‖² / (2μ),        ‖ŵ - w*‖ <= ‖g‖ / μ.

These bounds are computed from a fresh evaluation of the gradient at ``ŵ`` (``A ŵ``
recomputed, not the method's running scores). Independently, the lower level is re-solved
at ``x̂`` from ``w = 0`` to a hundred times the method's accuracy; the re-solved point ``w_r``
shows how far ``ŵ`` and ``F(ŵ)`` are from an (almost) exact response.

Verification, with the gap tolerance of :class:`~bilevel_mp.tolerances.Tolerances` on the
scale ``s_f = max(|f(x̂, ŵ)|, f(x̂, 0) - f(x̂, ŵ))`` (the objective's magnitude and its
spread between the zero model and ``ŵ``):

- ``CERTIFIED``: the proven gap bound ``‖g‖²/(2μ)`` is within the tolerance;
- ``SUBOPTIMAL``: the re-solve found ``f(x̂, w_r) < f(x̂, ŵ)`` by more than the tolerance;
- ``NO_BETTER_FOUND``: neither (the bound is too loose to prove the tolerance, and the
  re-solve found nothing better).

The reported ``ll_gap`` is the proven bound (an upper bound on ``f(x̂, ŵ) - φ(x̂)``).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from bilevel_mp.learning.krylov import norm
from bilevel_mp.learning.lower_level import LowerLevelOptions, solve_lower_level
from bilevel_mp.learning.problems import ERMHyperproblem
from bilevel_mp.status import Verification
from bilevel_mp.tolerances import Tolerances

RESOLVE_ACCURACY = 1e-2
"""The re-solve asks for this fraction of the method's gradient tolerance."""


@dataclass
class LowerLevelCertificate:
    """What is known about ``ŵ`` at ``x̂`` (module docstring).

    Attributes
    ----------
    verification
        ``CERTIFIED``, ``NO_BETTER_FOUND`` or ``SUBOPTIMAL``.
    gradient_norm
        ``‖∇_w f(x̂, ŵ)‖``.
    strong_convexity
        ``μ``.
    gap_bound, distance_bound
        ``‖g‖²/(2μ)`` and ``‖g‖/μ``: proven bounds on ``f(x̂, ŵ) - φ(x̂)`` and
        ``‖ŵ - w*‖``.
    gap_tolerance
        The accepted gap.
    resolved_gradient_norm
        ``‖∇_w f(x̂, w_r)‖`` of the re-solved point.
    resolved_distance
        ``‖ŵ - w_r‖``.
    resolved_gap
        ``f(x̂, ŵ) - f(x̂, w_r)``.
    resolved_validation_difference
        ``F(ŵ) - F(w_r)``.
    message
        One line for the result.
    """

    verification: Verification
    gradient_norm: float
    strong_convexity: float
    gap_bound: float
    distance_bound: float
    gap_tolerance: float
    resolved_gradient_norm: float
    resolved_distance: float
    resolved_gap: float
    resolved_validation_difference: float
    message: str

    def to_dict(self) -> dict:
        """The fields, with the verification as its name."""
        out = dataclasses.asdict(self)
        out["verification"] = self.verification.name
        return out


def certify(problem: ERMHyperproblem, x: np.ndarray, w: np.ndarray,
            ll_options: LowerLevelOptions,
            tolerances: Tolerances | None = None) -> LowerLevelCertificate:
    """Check ``ŵ = w`` at ``x̂ = x`` (module docstring)."""
    tolerances = tolerances or Tolerances()
    z = problem.scores(w)
    value = problem.training_value(x, w, z)
    g_norm = norm(problem.training_gradient(x, w, z))
    mu = problem.strong_convexity(x)
    gap_bound, distance_bound = g_norm**2 / (2 * mu), g_norm / mu
    at_zero = problem.training_value(x, np.zeros_like(w), np.zeros_like(z))
    scale = max(abs(value), at_zero - value)
    tolerance = tolerances.gap_tolerance(scale, value, at_zero)

    resolve_options = dataclasses.replace(ll_options, tol=ll_options.tol * RESOLVE_ACCURACY)
    resolved = solve_lower_level(problem, x, np.zeros_like(w), resolve_options)
    resolved_gap = value - problem.training_value(x, resolved.w, problem.scores(resolved.w))
    resolved_distance = norm(w - resolved.w)
    validation_difference = (problem.validation_value_and_gradient(w)[0]
                             - problem.validation_value_and_gradient(resolved.w)[0])

    if gap_bound <= tolerance:
        verification = Verification.CERTIFIED
        message = (f"lower level certified by strong convexity: ‖∇f‖ = {g_norm:.3g}, "
                   f"μ = {mu:.3g}, gap <= {gap_bound:.3g} <= {tolerance:.3g}, "
                   f"‖ŵ - w*‖ <= {distance_bound:.3g}")
    elif resolved_gap > tolerance:
        verification = Verification.SUBOPTIMAL
        message = (f"lower level not solved: a re-solve lowers f by {resolved_gap:.3g} "
                   f"(tolerance {tolerance:.3g})")
    else:
        verification = Verification.NO_BETTER_FOUND
        message = (f"lower-level gap bound {gap_bound:.3g} (‖∇f‖ = {g_norm:.3g}, "
                   f"μ = {mu:.3g}) exceeds the tolerance {tolerance:.3g}; a re-solve "
                   f"found no better point (difference {resolved_gap:.3g})")
    return LowerLevelCertificate(
        verification, g_norm, mu, gap_bound, distance_bound, tolerance,
        resolved.gradient_norm, resolved_distance, float(resolved_gap),
        float(validation_difference), message)
