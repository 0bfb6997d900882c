"""Levenberg–Marquardt method for systems ``Φ(z) = 0`` of any shape (survey §8.4).

Step: ``(VᵀV + μ I) d = -VᵀΦ(z)`` with the damping ``μ = θ ‖Φ(z)‖₂`` (Fan and Yuan,
Computing 74, 2005: quadratic local convergence under a local error bound, also for
non-square and rank-deficient systems). The step is accepted when the gain ratio

    ρ = (Ψ(z) - Ψ(z + d)) / (½‖Φ‖² - ½‖Φ + V d‖²)

exceeds 1e-4; ``θ`` is multiplied by 4 when ``ρ < 0.25`` (and the step retried while
``θ <= θ_max``) and divided by 4 when ``ρ > 0.75`` (not below ``θ_min``).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from bilevel_mp.ir.equations import SystemFunctions
from bilevel_mp.solvers.newton_driver import NewtonOptions, NewtonState, StepRule
from bilevel_mp.solvers.sparse_lu import lu_solve

THETA_MIN, THETA_MAX = 1e-8, 1e12
ACCEPT = 1e-4


class LevenbergMarquardtStep(StepRule):
    """One Levenberg–Marquardt step with adaptive damping ``θ`` (kept across steps)."""

    name = "levenberg-marquardt"

    def __init__(self, theta: float = 1e-2) -> None:
        self.theta = theta

    def step(self, state: NewtonState, funcs: SystemFunctions, p: np.ndarray,
             options: NewtonOptions) -> tuple[np.ndarray, str] | None:
        """The next iterate and ``"lm"``; ``None`` when the damping exceeds ``θ_max``."""
        jac, phi = state.jac.tocsc(), state.phi
        if not (np.all(np.isfinite(jac.data)) and np.all(np.isfinite(phi))):
            return None  # no damping makes a non-finite system solvable
        normal = (jac.T @ jac).tocsc()
        rhs = -(jac.T @ phi)
        eye = sp.identity(state.z.size, format="csc")
        norm_phi = float(np.linalg.norm(phi))
        while self.theta <= THETA_MAX:
            mu = self.theta * norm_phi
            d = lu_solve(normal + mu * eye, rhs)
            if d is None:
                self.theta *= 4.0
                continue
            trial = state.z + d
            phi_new = funcs.residual(trial, p)
            model = phi + jac @ d
            predicted = 0.5 * (phi @ phi - model @ model)
            actual = 0.5 * (phi @ phi - phi_new @ phi_new)
            gain = actual / predicted if predicted > 0 else -np.inf
            if gain < 0.25 or not np.isfinite(actual):
                self.theta *= 4.0
            elif gain > 0.75:
                self.theta = max(self.theta / 4.0, THETA_MIN)
            if gain > ACCEPT and np.isfinite(actual):
                return trial, "lm"
        return None
