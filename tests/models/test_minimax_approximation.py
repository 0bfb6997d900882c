"""models.minimax_approximation against Chebyshev's closed form.

Independent check (Chebyshev's equioscillation theorem): the best uniform approximation
of a cubic ``φ`` with leading coefficient ``c_3`` on ``[u_lo, u_hi]`` by a quadratic is
unique, ``p* = φ - c_3 (h/2)³ T_3(s) / 4`` with ``h = u_hi - u_lo``,
``s = (u - (u_lo + u_hi)/2) / (h/2)`` and ``T_3(s) = 4s³ - 3s``, and its worst-case error
is ``|c_3| (h/2)³ / 4``. The coefficients of ``p*`` are computed with numpy's polynomial
arithmetic, and the worst case of any returned quadratic is measured on a grid of 30 001
inputs.
"""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo
import pytest
from numpy.polynomial import Polynomial

import bilevel_mp as bmp
from models.minimax_approximation import SENSOR, Characteristic, build


def chebyshev_solution(sensor: Characteristic) -> tuple[np.ndarray, float]:
    """Coefficients (p_0, p_1, p_2) of the best quadratic and its worst-case error."""
    lo, hi = sensor.input_range
    half = (hi - lo) / 2
    s = Polynomial([-(lo + hi) / 2 / half, 1 / half])  # u ↦ s, the range onto [-1, 1]
    t3 = 4 * s**3 - 3 * s
    c3 = sensor.coefficients[3]
    best = Polynomial(sensor.coefficients) - c3 * half**3 / 4 * t3
    return best.coef[:3], abs(c3) * half**3 / 4


def worst_case_error(sensor: Characteristic, coefficients: np.ndarray) -> float:
    u = np.linspace(*sensor.input_range, 30_001)
    error = Polynomial(sensor.coefficients)(u) - Polynomial(coefficients)(u)
    return float(np.max(np.abs(error)))


def test_closed_form_is_the_worst_case_error_of_its_quadratic():
    coefficients, error = chebyshev_solution(SENSOR)
    assert error == pytest.approx(0.2109375)
    assert worst_case_error(SENSOR, coefficients) == pytest.approx(error, rel=1e-12)


@pytest.mark.filterwarnings("ignore::bilevel_mp.ConvexityWarning")
def test_kkt_reformulation_certifies_a_bound_the_worst_case_exceeds():
    """A KKT point of the adversaries' problems is any stationary input, so the KKT
    method claims an error bound below the best possible one; the re-solve of the lower
    level finds better (worse-case) inputs."""
    m = build()
    res = bmp.solve(m, method="kkt-scholtes")
    _, best_error = chebyshev_solution(SENSOR)
    assert res.verification is bmp.Verification.SUBOPTIMAL
    assert res.upper_objective < best_error - 0.1
    coefficients = np.array([pyo.value(m.p[k]) for k in m.POWERS])
    assert worst_case_error(SENSOR, coefficients) > res.upper_objective + 0.1


def test_value_function_cuts_reach_the_chebyshev_approximation():
    pytest.importorskip("pyscipopt")
    m = build()
    res = bmp.solve(m, method="llvf-cuts", time_limit=60)
    coefficients, best_error = chebyshev_solution(SENSOR)
    assert res.verification is bmp.Verification.CERTIFIED
    assert res.primal_status is bmp.PrimalStatus.FEASIBLE_POINT
    # the cut points are put back on the follower's interval (solvers stop ~1e-8 outside),
    # so the cuts are exact and the global claim stands
    assert res.is_proven_optimal
    assert res.upper_objective == pytest.approx(best_error, rel=1e-6)
    found = np.array([pyo.value(m.p[k]) for k in m.POWERS])
    np.testing.assert_allclose(found, coefficients, atol=1e-5)
    assert worst_case_error(SENSOR, found) == pytest.approx(best_error, rel=1e-6)
