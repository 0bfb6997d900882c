"""Derivatives of a solved bilevel program with respect to its parameters (issue 18):
:func:`sensitivity` (the Jacobian), :func:`vjp` (reverse mode) and :func:`jvp` (forward
mode), by the implicit function theorem on the active system of the single-level problem,
with one-sided derivatives at degenerate points."""

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

__all__ = ["Derivatives", "DirectionalDerivative", "ParameterGradient", "Sensitivity",
           "SensitivityOptions", "jvp", "sensitivity", "vjp"]
