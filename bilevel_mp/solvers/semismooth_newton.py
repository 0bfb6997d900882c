"""Semismooth Newton method for square systems ``Φ(z) = 0`` (survey §7.4, §8.4).

Step (De Luca, Facchinei, Kanzow, Math. Programming 75, 1996, Algorithm 3.1): with the
generalized Jacobian element ``V`` of :mod:`bilevel_mp.ir.equations` solve

    V d = -Φ(z);

if ``V`` is singular or ``d`` is not a sufficient descent direction of ``Ψ = ½‖Φ‖²``,
``∇Ψ·d > -ρ ‖d‖^κ`` (ρ = 1e-8, κ = 2.1), take the gradient step ``d = -∇Ψ(z)`` instead.
Then an Armijo line search on ``Ψ``. Near a root where every element of the
B-subdifferential is nonsingular the full step is accepted and convergence is quadratic.
"""

from __future__ import annotations

import numpy as np

from bilevel_mp.ir.equations import SystemFunctions
from bilevel_mp.solvers.newton_driver import NewtonOptions, NewtonState, StepRule, armijo
from bilevel_mp.solvers.sparse_lu import lu_solve

DESCENT_RHO = 1e-8
DESCENT_POWER = 2.1


class SemismoothNewtonStep(StepRule):
    """One damped semismooth Newton step with a gradient fallback."""

    name = "semismooth-newton"
    needs_square = True

    def step(self, state: NewtonState, funcs: SystemFunctions, p: np.ndarray,
             options: NewtonOptions) -> tuple[np.ndarray, str] | None:
        """The next iterate and ``"newton"`` or ``"gradient"``; ``None`` when no decrease."""
        direction = _newton_direction(state)
        grad = state.gradient()
        if direction is not None and (
            grad @ direction <= -DESCENT_RHO * np.linalg.norm(direction) ** DESCENT_POWER
        ):
            z_new = armijo(state, direction, funcs, p, options)
            if z_new is not None:
                return z_new, "newton"
        z_new = armijo(state, -grad, funcs, p, options)
        return None if z_new is None else (z_new, "gradient")


def _newton_direction(state: NewtonState) -> np.ndarray | None:
    """Solution of ``V d = -Φ`` by sparse LU, or ``None`` when ``V`` is singular or holds
    a non-finite entry (:func:`~bilevel_mp.solvers.sparse_lu.lu_solve`)."""
    return lu_solve(state.jac, -state.phi)
