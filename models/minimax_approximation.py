"""Worst-case (minimax) approximation of a sensor characteristic: a non-convex lower level.

A sensor's calibrated characteristic is the cubic ``φ(u) = Σ_k c_k u^k`` on its operating
range ``[u_lo, u_hi]``; the firmware of a small controller can afford a quadratic
``p(u) = p_0 + p_1 u + p_2 u²``. The designer (the leader) chooses the coefficients and the
smallest error bound ``e`` that holds at **every** input, a semi-infinite program written
as a bilevel program with two adversaries (the followers) that search for the worst
over- and underestimate:

.. math::

    \\min_{p,\\, e} \\; e \\quad \\text{s.t.} \\quad
    \\varphi(t) - p(t) \\le e, \\quad p(s) - \\varphi(s) \\le e,

    t \\in \\arg\\max_{t \\in [u_{lo}, u_{hi}]} \\varphi(t) - p(t), \\qquad
    s \\in \\arg\\max_{s \\in [u_{lo}, u_{hi}]} p(s) - \\varphi(s).

Each follower maximizes a cubic over an interval: a **non-convex** lower level with
local maxima, local minima and boundary points that all satisfy its KKT conditions. The
KKT reformulation cannot tell them apart, so it lets the follower report a local
minimum of the error and certifies a bound ``e`` that the true worst case exceeds: the
lower-level re-solve finds that point SUBOPTIMAL. The value-function methods compare the
follower's choice with its global optimum: ``llvf-cuts`` adds, at each round, the global
worst case found by SCIP as a cut, which is the exchange method of J. W. Blankenship,
J. E. Falk, "Infinitely constrained optimization problems", *Journal of Optimization
Theory and Applications* 19(2), 1976, 261-281, as analysed for bilevel programs by
A. Mitsos, P. Lemonidis, P. I. Barton, "Global solution of bilevel programs with a
nonconvex inner program", *Journal of Global Optimization* 42(4), 2008, 475-513.

Known answer (Chebyshev, equioscillation): with ``h = u_hi - u_lo``, the best uniform
quadratic approximation of a cubic with leading coefficient ``c_3`` has the error
``|c_3| (h/2)³ / 4``, reached with alternating signs at four points
(``T_3``, the Chebyshev polynomial, scaled to the range).
"""

from __future__ import annotations

from dataclasses import dataclass

import pyomo.environ as pyo
from pyomo.core.expr.numvalue import NumericValue

import bilevel_mp as bmp


@dataclass(frozen=True)
class Characteristic:
    """A cubic characteristic ``Σ_k c_k u^k`` (``coefficients = (c_0, .., c_3)``), its
    operating range and bounds on the coefficients the firmware can store."""

    coefficients: tuple[float, float, float, float]
    input_range: tuple[float, float]
    coefficient_bound: float = 10.0


SENSOR = Characteristic(coefficients=(0.5, 1.2, -0.3, 0.25), input_range=(0.0, 3.0))
"""An output voltage (V) against a normalized input in [0, 3]; the cubic term is what the
quadratic cannot follow: the best worst-case error is 0.25 · 1.5³ / 4 ≈ 0.211 V."""


def build(sensor: Characteristic = SENSOR) -> pyo.ConcreteModel:
    """The minimax-approximation bilevel model of the module docstring.

    Parameters
    ----------
    sensor
        Coefficients of the cubic, input range, coefficient bound.

    Returns
    -------
    pyo.ConcreteModel
        Upper level: coefficients ``m.p[k]`` (k = 0, 1, 2), error bound ``m.error``,
        objective ``m.worst_case_error`` and the bounds ``m.over_bound`` and
        ``m.under_bound``. Lower levels ``m.over`` (input ``m.over.u``, objective
        ``m.over.excess``) and ``m.under`` (``m.under.u``, ``m.under.shortfall``).
    """
    m = pyo.ConcreteModel(name="minimax_approximation")
    bound = sensor.coefficient_bound
    m.POWERS = pyo.RangeSet(0, 2)
    m.p = pyo.Var(m.POWERS, bounds=(-bound, bound), initialize=0.0)
    m.error = pyo.Var(bounds=(0, None), initialize=1.0)

    def characteristic(u: pyo.Var) -> NumericValue:
        return sum(c * u**k for k, c in enumerate(sensor.coefficients))

    def approximation(u: pyo.Var) -> NumericValue:
        return sum(m.p[k] * u**k for k in m.POWERS)

    m.over = bmp.LowerLevel()
    m.over.u = pyo.Var(bounds=sensor.input_range)
    m.over.excess = pyo.Objective(
        expr=characteristic(m.over.u) - approximation(m.over.u), sense=pyo.maximize)

    m.under = bmp.LowerLevel()
    m.under.u = pyo.Var(bounds=sensor.input_range)
    m.under.shortfall = pyo.Objective(
        expr=approximation(m.under.u) - characteristic(m.under.u), sense=pyo.maximize)

    m.over_bound = pyo.Constraint(expr=m.over.excess.expr <= m.error)
    m.under_bound = pyo.Constraint(expr=m.under.shortfall.expr <= m.error)
    m.worst_case_error = pyo.Objective(expr=m.error)
    return m
