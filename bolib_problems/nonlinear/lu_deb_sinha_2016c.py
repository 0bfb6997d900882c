"""LuDebSinha2016c (BOLIB v2 nonlinear example 51).

Z.C. Lu, K. Deb, A. Sinha: Robust and reliable solutions in bilevel optimization problems
under uncertainties. COIN Report 2016026, Michigan State University, 2016.

    min_{x,y}  2 - exp(-a^0.4) - 0.8 exp(-((0.15 y + x - 0.4) / 0.3)^2)
               s.t.  0 <= x <= 1,  0 <= y <= 2,
    y solves   min_y  (x - 0.5)^2 + (y - 1)^2,

with a = (0.2 y - x + 0.6) / 0.055. The lower level is unconstrained; the bounds on y
belong to the upper level.
"""

from __future__ import annotations

import math

import casadi as ca

SOURCE = (
    "Z.C. Lu, K. Deb, A. Sinha, Robust and reliable solutions in bilevel optimization "
    "problems under uncertainties, COIN Report 2016026, Michigan State University, 2016."
)
NX, NY = 1, 1
X_BOUNDS = ([0.0], [1.0])
_PHASE = 0.4 * math.pi
NOTES = (
    "a < 0 for x > 0.6 + 0.2y, inside the box; there the library's a^0.4 is MATLAB's "
    "complex principal power and it returns the real part of the function value. The "
    "model codes that real part: Re exp(-a^0.4) = exp(-|a|^0.4 cos(0.4 pi)) "
    "cos(|a|^0.4 sin(0.4 pi)) for a < 0, exp(-a^0.4) otherwise (continuous, not "
    "differentiable at a = 0). At the recorded point (0.26, 1) the model gives "
    "F = 1.11827, f = 0.0576 and no violation (the catalogue's check there is "
    "hand-evaluated and has no maxviol)"
)


def _re_exp_neg_pow(a: ca.SX) -> ca.SX:
    """Real part of ``exp(-a^0.4)`` with the principal power for ``a < 0``."""
    r = ca.fabs(a) ** 0.4
    negative = ca.exp(-r * math.cos(_PHASE)) * ca.cos(r * math.sin(_PHASE))
    return ca.if_else(a >= 0, ca.exp(-r), negative)


def F(x: ca.SX, y: ca.SX) -> ca.SX:
    """Upper-level objective (real part, see NOTES)."""
    a = (0.2 * y[0] - x[0] + 0.6) / 0.055
    return 2 - _re_exp_neg_pow(a) - 0.8 * ca.exp(-(((0.15 * y[0] + x[0] - 0.4) / 0.3) ** 2))


def G(x: ca.SX, y: ca.SX) -> list[ca.SX]:
    """Upper-level constraints (``<= 0``): the bounds on y."""
    return [-y[0], y[0] - 2]


def f(x: ca.SX, y: ca.SX) -> ca.SX:
    """Lower-level objective."""
    return (x[0] - 0.5) ** 2 + (y[0] - 1) ** 2
