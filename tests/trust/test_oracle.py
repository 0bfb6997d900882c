"""The oracle of :mod:`tests.trust.oracle` on hand-made programs with known answers.

Each case has an analytic truth: the oracle must flag the known-false claim (by the rule
named) and accept the known-true one.
"""

from __future__ import annotations

import dataclasses

import casadi as ca
import numpy as np
import pytest
from scipy.optimize import linprog

import bilevel_mp as bmp
from bilevel_mp.result import BilevelResult
from bilevel_mp.status import PrimalStatus
from bilevel_mp.status import TerminationStatus as TS
from bilevel_mp.status import Verification as V
from tests.trust.generators import build_program, spec_from_seed
from tests.trust.oracle import Oracle, judge, judge_findings


def result(x, y, F, verification=V.CERTIFIED, termination=TS.LOCALLY_SOLVED,
           primal=PrimalStatus.FEASIBLE_POINT) -> BilevelResult:
    """A result claiming ``verification``/``termination``/``primal`` at ``(x, y)`` with
    value ``F``."""
    return BilevelResult(termination=termination, verification=verification,
                         primal_status=primal,
                         upper_objective=F, x_array=np.atleast_1d(np.asarray(x, float)),
                         y_array=np.atleast_1d(np.asarray(y, float)), stats={"F_min_form": F})


def rules(program, res) -> set[str]:
    return {f.rule for f in judge_findings(program, res)}


@pytest.fixture(scope="module")
def integer_x():
    """Issue 15 class 1: x integer in [0, 3], LL min (y-x)^2 on [0, 10]; F* = 0.32 at 2."""
    prog = bmp.BilevelProgram.from_functions(
        1, 1, F=lambda x, y: (x[0] - 1.6) ** 2 + (y[0] - 1.6) ** 2,
        f=lambda x, y: (y[0] - x[0]) ** 2, x_bounds=([0], [3]), y_bounds=([0], [10]))
    return dataclasses.replace(prog, x_integer=np.array([True]))


def test_integer_x_relaxed_is_flagged(integer_x):
    res = result(1.6, 1.6, 0.0, termination=TS.OPTIMAL)
    assert "integrality" in rules(integer_x, res)
    assert any(s.startswith("OPTIMAL [integrality]") for s in judge(integer_x, res))


def test_integer_x_true_optimum_is_accepted(integer_x):
    assert judge(integer_x, result(2.0, 2.0, 0.32, termination=TS.OPTIMAL)) == []


def test_integer_x_feasible_but_not_optimal(integer_x):
    res = result(1.0, 1.0, 0.72, termination=TS.OPTIMAL)
    assert rules(integer_x, res) == {"global"}
    # the same point without a global claim is a true certificate
    assert judge(integer_x, result(1.0, 1.0, 0.72)) == []


def test_global_optimum_of_integer_program(integer_x):
    best, x, y = Oracle(integer_x).global_optimum()
    assert best == pytest.approx(0.32, abs=1e-5)
    assert x == pytest.approx([2.0]) and y == pytest.approx([2.0], abs=1e-5)


@pytest.fixture(scope="module")
def mitsos_barton():
    """MitsosBarton2006Ex312: F* = 0 at (0, 0); at x > 0 the LL optima are ±sqrt(x)."""
    return bmp.BilevelProgram.from_functions(
        1, 1, F=lambda x, y: -x[0] + x[0] * y[0] + 10 * y[0] ** 2,
        f=lambda x, y: -x[0] * y[0] ** 2 + 0.5 * y[0] ** 4,
        x_bounds=([-1], [1]), y_bounds=([-1], [1]))


def test_eps_optimal_response_is_flagged(mitsos_barton):
    # issue 15 class 2: y = 0 has LL gap 4.85e-7 at x = 0.000985 and F = -0.000985, while
    # the LL optima y = ±sqrt(x) give F >= +0.0088
    x = 0.000985
    res = result(x, 0.0, -x, termination=TS.OPTIMAL)
    found = judge_findings(mitsos_barton, res)
    assert {f.rule for f in found} == {"optimistic-value"}  # F* = 0 is not below F̂
    opt, y = Oracle(mitsos_barton).optimistic(np.array([x]))
    # the LL is flat there (f'' = 4x): responses within δ = 1e-8 s_f of φ reach F ~ 0.008
    assert 0.0075 < opt <= 9 * x - x * np.sqrt(x) + 1e-12
    assert -np.sqrt(x) <= y[0] < 0


def test_true_optimum_is_accepted(mitsos_barton):
    assert judge(mitsos_barton, result(0.0, 0.0, 0.0, termination=TS.OPTIMAL)) == []
    x = 0.25  # LL optima ±0.5: F = -0.25 ∓ 0.125 + 2.5, the optimistic one at y = -0.5
    assert judge(mitsos_barton, result(x, -0.5, 2.125)) == []
    assert rules(mitsos_barton, result(x, 0.5, 2.375)) == set()  # F is true at ŷ
    assert rules(mitsos_barton, result(x, 0.5, 2.125)) == {"reported-F"}


def test_tiny_lower_level_scale():
    """Issue 15 class 2: f scaled by 1e-12; y = 0 at x = 1 has gap 1e-12 but is wrong."""
    prog = bmp.BilevelProgram.from_functions(
        1, 1, F=lambda x, y: y[0] ** 2, f=lambda x, y: 1e-12 * (y[0] - x[0]) ** 2,
        x_bounds=([1], [2]), y_bounds=([-3], [3]))
    res = result(1.0, 0.0, 0.0, termination=TS.OPTIMAL)
    assert rules(prog, res) == {"ll-gap", "optimistic-value"}  # F̂ = 0 < F* = 1
    assert judge(prog, result(1.0, 1.0, 1.0, termination=TS.OPTIMAL)) == []
    assert judge(prog, result(1.0, 1.0 + 1e-9, 1.0 + 2e-9)) == []  # within tolerance


def test_nonsmooth_gap_of_one():
    """Issue 15 class 4: LL min |y - x| on [-1, 1]; at x = 0, y = 1 has gap 1."""
    prog = bmp.BilevelProgram.from_functions(
        1, 1, F=lambda x, y: x[0] ** 2 + y[0] ** 2, f=lambda x, y: ca.fabs(y[0] - x[0]),
        x_bounds=([-1], [1]), y_bounds=([-1], [1]))
    assert rules(prog, result(0.0, 1.0, 1.0, V.NO_BETTER_FOUND)) == {"ll-gap"}
    assert judge(prog, result(0.0, 0.0, 0.0, V.NO_BETTER_FOUND)) == []
    assert judge(prog, result(0.5, 0.5, 0.5, V.SUBOPTIMAL)) == []  # nothing claimed


def test_scaled_rows():
    """A g row and a G row scaled by 1e-12: violations of 1e-13 absolute are large."""
    prog = bmp.BilevelProgram.from_functions(
        1, 1, F=lambda x, y: (x[0] - 1) ** 2 + y[0], f=lambda x, y: -y[0],
        g=lambda x, y: [1e-12 * (y[0] - x[0])], G=lambda x, y: [1e-12 * (0.5 - x[0])],
        x_bounds=([0], [2]), y_bounds=([-1], [3]))
    assert judge(prog, result(1.0, 1.0, 1.0)) == []
    assert rules(prog, result(1.0, 1.1, 1.1)) == {"ll-feasibility"}
    assert rules(prog, result(0.4, 0.4, 0.76)) == {"ul-feasibility"}
    assert rules(prog, result(2.5, 2.5, 4.75)) == {"x-bounds"}


def test_same_feasibility_as_y_hat():
    """ŷ a hair outside its bound is compared with points equally far outside."""
    prog = bmp.BilevelProgram.from_functions(
        1, 1, F=lambda x, y: y[0], f=lambda x, y: -7.3 * y[0] ** 2,
        g=lambda x, y: [x[0] - y[0] - 1], x_bounds=([0], [1]), y_bounds=([-1], [1]))
    # at x = 1 only y = 1 is feasible (and it is LL-optimal)
    assert judge(prog, result(1.0, 1.0, 1.0)) == []
    # at x = 0.5 the feasible set is [-0.5, 1]; y = -0.5 has f = -1.825, y = 1 has -7.3
    assert rules(prog, result(0.5, -0.5 - 1e-9, -0.5)) == {"ll-gap", "optimistic-value"}


def test_optimistic_value_over_a_face():
    """LL min y2 over [0, 1]^2: optimal face y2 = 0; F = (y1 - 0.7123)^2 + x^2."""
    prog = bmp.BilevelProgram.from_functions(
        1, 2, F=lambda x, y: (y[0] - 0.7123) ** 2 + x[0] ** 2, f=lambda x, y: y[1],
        x_bounds=([-1], [1]), y_bounds=([0, 0], [1, 1]))
    assert judge(prog, result(0.0, [0.7123, 0.0], 0.0, termination=TS.OPTIMAL)) == []
    res = result(0.0, [0.7123, 1e-3], 0.0, termination=TS.OPTIMAL)
    assert rules(prog, res) == {"ll-gap"}
    assert rules(prog, result(0.0, [0.7123, 0.0], -0.1)) == {"reported-F", "optimistic-value"}
    res = result(0.5, [0.2, 0.0], 0.5123**2 + 0.25, termination=TS.OPTIMAL)
    assert rules(prog, res) == {"global"}
    assert judge(prog, result(0.5, [0.2, 0.0], 0.5123**2 + 0.25)) == []


def test_no_claim_no_judgement():
    prog = bmp.BilevelProgram.from_functions(
        1, 1, F=lambda x, y: y[0], f=lambda x, y: y[0], x_bounds=([0], [1]),
        y_bounds=([0], [1]))
    assert judge(prog, result(0.0, 1.0, 1.0, V.NOT_CHECKED, TS.ITERATION_LIMIT)) == []
    empty = BilevelResult(termination=TS.OPTIMAL, verification=V.CERTIFIED)
    assert rules(prog, empty) == {"no-point"}


def _linear_rows_only(spec: dict) -> bool:
    return spec["ll_kind"] == "linear" and all(
        t["kind"] == "mono" for e in spec["g"] for t in e["terms"])


@pytest.mark.parametrize("seed", [s for s in range(60) if _linear_rows_only(spec_from_seed(s))][:8])
def test_lower_level_value_matches_an_lp_solver(seed):
    """On LP lower levels the oracle's φ equals scipy's ``linprog`` (HiGHS) value."""
    spec = spec_from_seed(seed)
    prog = build_program(spec)
    orc = Oracle(prog)
    x = np.array(spec["anchor"]["x"], dtype=float)
    zero = np.zeros(prog.ny)
    d = [np.asarray(v, dtype=float) for v in orc._derivs(x, zero, prog.p_values)]
    ev = orc.point(x, zero)
    rows = np.setdiff1d(np.arange(prog.g.numel()), prog.g_bound_rows)
    scale = orc.s_rows["g"][rows]
    A = d[4].reshape(-1, prog.ny)[rows] / scale[:, None]
    b = -ev["g"][rows] / scale
    c = d[3].ravel() / orc.s_f
    lp = linprog(c, A_ub=A if rows.size else None, b_ub=b if rows.size else None,
                 bounds=list(zip(prog.y_lb, prog.y_ub, strict=True)), method="highs")
    assert lp.status == 0
    phi_lp = ev["f"][0] + lp.fun * orc.s_f
    assert orc.lower_level(x).phi == pytest.approx(phi_lp, abs=1e-7 * orc.s_f)


def test_infeasible_point_claims_only_its_lower_level(integer_x):
    """A CERTIFIED lower level on a point the result itself calls infeasible asserts nothing
    about the upper level: x̂ = 1.6 is not integral, but the LL at 1.6 is solved."""
    honest = result(1.6, 1.6, 0.0, primal=PrimalStatus.INFEASIBLE_POINT)
    assert judge(integer_x, honest) == []
    assert "integrality" in rules(integer_x, result(1.6, 1.6, 0.0))
