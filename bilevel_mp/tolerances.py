"""Scale-aware tolerances: the one place where "feasible" and "optimal" get numbers.

Every acceptance test of the library (the verification of a result, the best-point
tracking of the methods, ``auto``'s ranking) decides with these rules, so that no test
admits a point that another one would reject.

Scales are measured on the data, not fixed at 1, so that a model written in other units
(an objective multiplied by 1e-12, a constraint by 1e6) is judged the same way:

* a **row** ``r`` (a constraint ``r(x, y) <= 0`` or ``= 0``, variable bounds included) is
  satisfied when its violation is at most ``feas_abs + feas_tol * s_r``, where ``s_r`` is
  the largest entry of the row's gradient in ``(x, y)`` at a few sample points around the
  answer (:func:`bilevel_mp.checks.scales.row_scales`): the violation is measured in the
  units of the variables, as after gradient scaling;
* the **lower-level gap** ``f(x̂, ŷ) - φ(x̂)`` is accepted when at most
  ``gap_abs + gap_tol * s_f``, where ``s_f = max(|φ(x̂)|, d_f)`` and ``d_f``, the data's
  scale of f, is its spread at the model's start (``max - min`` at x0 over y0, y0 ± 1 and
  y0 ± sign(∇_y f), :func:`bilevel_mp.checks.scales.data_scales`)
  (:func:`bilevel_mp.checks.scales.objective_scales`): a gap relative to the optimal
  value, with the data's scale instead of an absolute floor of 1 where φ is small.
  Nothing measured at the answer enters ``s_f``, so an answer cannot loosen its own test
  (by a large cost on a variable the follower leaves at 0, by a ŷ far out along a
  direction in which f is constant, by the steep side of a pole next to x̂);
* an **upper-level value** claimed for ``(x̂, ŷ)`` is confirmed when some exactly optimal
  lower-level response reaches it within ``value_tol * s_F`` (``s_F`` as ``s_f``, for F);
* a lower-level point is an **exact response** when its gap is at most
  ``response_gap_tol * s_f`` (1e-9: the accuracy to which the re-solvers themselves
  return an optimal value, a thousand times below the gap tolerance, so that a method
  stopping at the gap tolerance is caught by the upper-level value check; an ε-optimal
  response of a quadratic lower level moves y by about √ε, so F may still differ by about
  3e-5 relative from an exact response's value);
* an **integer** variable is integral when it is within ``integrality_tol`` of an integer.

Sums of rounding errors are covered by a floor of ``1e3 * eps`` times the magnitudes
involved, the sizes of an objective's terms at the answer included
(``max(|v|, Σ_i |∂v/∂y_i · y_i|, Σ_j |∂v/∂x_j · x_j|)``: ``-3·10 + 3·10`` evaluates to
about 1e-14, not 0, and ``φ(x) y`` with ``φ(1.75) = 0`` to 4e-16 one ulp away from
x = 1.75), so a test never asks for more than double precision can give.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bilevel_mp.options import CheckedOptions

ROUNDOFF = 1e3 * np.finfo(float).eps
"""Relative size of the rounding noise allowed in any comparison of computed values."""


@dataclass(frozen=True)
class Tolerances(CheckedOptions):
    """The tolerances of every feasibility and optimality test (see the module docstring).

    Attributes
    ----------
    feas_tol
        Row violation accepted, relative to the row's gradient scale ``s_r``.
    feas_abs
        Absolute part of the row tolerance (0: purely relative).
    gap_tol
        Lower-level gap accepted, relative to the scale ``s_f`` of f (module docstring).
    gap_abs
        Absolute part of the gap tolerance (0: purely relative).
    value_tol
        Difference accepted between a claimed upper-level value and the best value
        reached by an exactly optimal lower-level response, relative to ``s_F``.
    response_gap_tol
        Gap, relative to ``s_f``, below which a lower-level point counts as an exact
        optimal response (for the upper-level value check).
    integrality_tol
        Largest distance to the nearest integer of an integer variable.
    """

    feas_tol: float = 1e-6
    feas_abs: float = 0.0
    gap_tol: float = 1e-6
    gap_abs: float = 0.0
    value_tol: float = 1e-6
    response_gap_tol: float = 1e-9
    integrality_tol: float = 1e-6

    def row_tolerance(self, scales: np.ndarray) -> np.ndarray:
        """Largest accepted violation of rows with gradient scales ``scales``."""
        return self.feas_abs + self.feas_tol * np.asarray(scales, dtype=float)

    def gap_tolerance(self, scale_f: float, *values: float) -> float:
        """Largest accepted lower-level gap at objective scale ``scale_f``; ``values``
        are the computed values compared (their rounding noise is always accepted)."""
        return self.gap_abs + self.gap_tol * scale_f + _roundoff(scale_f, *values)

    def response_tolerance(self, scale_f: float, *values: float) -> float:
        """Gap below which a lower-level point is an exact optimal response."""
        return self.response_gap_tol * scale_f + _roundoff(scale_f, *values)

    def value_tolerance(self, scale_F: float, *values: float) -> float:
        """Largest accepted excess of the best F over exact responses above a claimed F."""
        return self.value_tol * scale_F + _roundoff(scale_F, *values)

    def tie_tolerance(self, scale_F: float, *values: float) -> float:
        """Largest difference of two upper-level values of answers that count as equally
        good: ``sqrt(max(gap_tol, feas_tol)) * scale_F``. A point the tolerances admit may
        lie ε outside a row or be an ε-optimal response, which moves y by about √ε and F
        by about as much (module docstring); on BOLIB, local methods stopped up to 6.8e-6
        (relative) below proven global optima (ShimizuAiyoshi1981Ex1: 99.99942 against
        100)."""
        return float(np.sqrt(max(self.gap_tol, self.feas_tol))) * scale_F + _roundoff(
            scale_F, *values)

    def integrality_violation(self, values: np.ndarray, integer: np.ndarray) -> float:
        """Largest distance to the nearest integer among the ``integer`` entries."""
        values = np.asarray(values, dtype=float)[np.asarray(integer, dtype=bool)]
        if values.size == 0:
            return 0.0
        return float(np.max(np.abs(values - np.round(values))))


def _roundoff(*values: float) -> float:
    finite = [abs(v) for v in values if np.isfinite(v)]
    return ROUNDOFF * max(finite, default=0.0)


def snap_integers(values: np.ndarray, integer: np.ndarray, tol: float) -> np.ndarray:
    """``values`` with the ``integer`` entries within ``tol`` of an integer rounded to it.

    Entries farther away are left as they are (the point is then not integral, and the
    verification says so); the values reported and loaded are the snapped ones.
    """
    values = np.asarray(values, dtype=float).copy()
    integer = np.asarray(integer, dtype=bool)
    rounded = np.round(values)
    close = integer & (np.abs(values - rounded) <= tol)
    values[close] = rounded[close]
    return values


@dataclass(frozen=True)
class SolverTolerances:
    """How exactly the drivers ask their single-level solvers to compute a point, and the
    thresholds with which they read one. These decide no claim: every answer is judged by
    the verification with :class:`Tolerances`.

    Attributes
    ----------
    lp_feasibility
        Primal and dual feasibility of HiGHS's LPs and of its MILP relaxations. HiGHS's
        own 1e-6 leaves a lower level feasible only within 1e-6, which the verification
        then finds infeasible.
    exact_lp_feasibility
        The same for the LPs whose point is read as exact (the separation of direction
        cuts and the lower-level responses of the cut loop).
    mip_feasibility
        HiGHS's MIP feasibility tolerance; a held row may be violated by this much. At
        1e-9 HiGHS 1.16 returned a wrong "optimal" value on a 7-row instance (the
        enumeration property test, seed 2250).
    mip_gap
        HiGHS's relative and absolute MIP gaps.
    global_feasibility
        SCIP's feasibility tolerance on the value-function relaxation.
    active
        A lower-level row whose slack, relative to the row's size, is at most this counts
        as active.
    positive
        A multiplier above this counts as positive.
    relative_gain
        An improvement of F, or a slack on φ, counts above this times ``max(1, |value|)``.
    exact_feasibility
        A lower-level point is exactly feasible (a valid cut point) when each row is
        within this times the row's scale.
    interior_margin
        How far inside its rows, times their scales, a cut point is pulled.
    bound_rounding
        Slack with which a bound of an integer variable is rounded to an integer
        (a bound 2.9999999999 admits 3).
    """

    lp_feasibility: float = 1e-9
    exact_lp_feasibility: float = 1e-10
    mip_feasibility: float = 1e-7
    mip_gap: float = 1e-9
    global_feasibility: float = 1e-9
    active: float = 1e-7
    positive: float = 1e-9
    relative_gain: float = 1e-9
    exact_feasibility: float = 1e-12
    interior_margin: float = 1e-7
    bound_rounding: float = 1e-9

    def highs_lp(self, exact: bool = False) -> dict[str, float]:
        """HiGHS's LP feasibility options (:attr:`exact_lp_feasibility` when ``exact``)."""
        tol = self.exact_lp_feasibility if exact else self.lp_feasibility
        return {"primal_feasibility_tolerance": tol, "dual_feasibility_tolerance": tol}

    def highs_mip(self) -> dict[str, float]:
        """HiGHS's options for a MILP whose point is read as a KKT point."""
        return {"mip_rel_gap": self.mip_gap, "mip_abs_gap": self.mip_gap,
                "mip_feasibility_tolerance": self.mip_feasibility, **self.highs_lp()}


SOLVER = SolverTolerances()
"""The drivers' solver tolerances (:class:`SolverTolerances`)."""
