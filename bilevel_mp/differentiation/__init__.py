"""Derivatives of a solved bilevel program with respect to its parameters (issue 18):
:func:`sensitivity` (the Jacobian), :func:`vjp` (reverse mode) and :func:`jvp` (forward
mode), by the implicit function theorem on the active system of the single-level problem,
with one-sided derivatives at degenerate points; :func:`perturbed_gradient` (the gradient of
a Gaussian-smoothed loss) for combinatorial programs whose solution map is piecewise
constant."""

from bilevel_mp.differentiation.active_system import SensitivityOptions
from bilevel_mp.differentiation.api import (
    Derivatives,
    DirectionalDerivative,
    ParameterGradient,
    Sensitivity,
    jvp,
    sensitivity,
    vjp,
)
from bilevel_mp.differentiation.perturbed import PerturbedGradient, perturbed_gradient

__all__ = ["Derivatives", "DirectionalDerivative", "ParameterGradient", "PerturbedGradient",
           "Sensitivity", "SensitivityOptions", "jvp", "perturbed_gradient", "sensitivity",
           "vjp"]
