"""Regression tests of issue 15, classes 1-4: certificates that mean what they say.

Each test is a case where the library made a false claim on e8a573e: an integer variable
relaxed, an absolute tolerance exploited at a small scale, a re-solve over a different
feasible set than the one that admitted ŷ, a multistart that dropped better points.
"""

from __future__ import annotations

import warnings
from dataclasses import replace

import casadi as ca
import numpy as np
import pyomo.environ as pyo
import pytest

import bilevel_mp as bmp
import bolib_problems
from bilevel_mp import BilevelProgram, Verification
from bilevel_mp.checks.verify import LowerLevelChecker, VerifyOptions
from bilevel_mp.methods import integers
from bilevel_mp.modeling.compile import compile_pyomo
from bilevel_mp.solvers.base import Deadline
from bilevel_mp.status import TerminationStatus

NO_SCIP = VerifyOptions(scip_max_vars=0)
CLAIMS = (Verification.CERTIFIED, Verification.NO_BETTER_FOUND)


@pytest.fixture(autouse=True)
def _quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


# class 1: integer upper-level variables ------------------------------------------------
def integer_model() -> pyo.ConcreteModel:
    """x ∈ {0..3}, y = x at the LL, min (x-1.6)² + (y-1.6)²: x = y = 2, F = 0.32."""
    m = pyo.ConcreteModel()
    m.x = pyo.Var(domain=pyo.Integers, bounds=(0, 3))
    m.L = bmp.LowerLevel()
    m.L.y = pyo.Var(bounds=(0, 10))
    m.L.obj = pyo.Objective(expr=(m.L.y - m.x) ** 2)
    m.obj = pyo.Objective(expr=(m.x - 1.6) ** 2 + (m.L.y - 1.6) ** 2)
    return m


@pytest.mark.parametrize("method", ["kkt-scholtes", "llvf-sn", "implicit", "kkt-bigm",
                                    "llvf-cuts", "auto"])
def test_integer_upper_level_variable_is_integral_and_loaded_as_verified(method):
    if method == "llvf-cuts":
        pytest.importorskip("pyscipopt")
    m = integer_model()
    res = bmp.solve(m, method=method)
    assert res.verification is Verification.CERTIFIED
    assert res.x["x"] == 2.0
    # within the √(gap tolerance) that an ε-optimal ŷ may leave in F
    assert res.upper_objective == pytest.approx(0.32, abs=1e-4)
    # the model holds exactly the verified values
    assert pyo.value(m.x) == res.x["x"] and pyo.value(m.L.y) == res.y["L.y"]


def test_non_integral_x_is_not_checked():
    prog = bmp.BilevelProgram.from_functions(
        1, 1, F=lambda x, y: x[0] ** 2, f=lambda x, y: (y[0] - x[0]) ** 2,
        x_bounds=([0], [3]), y_bounds=([0], [10]))
    prog = replace(prog, x_integer=np.array([True]))
    report = LowerLevelChecker(prog).check(np.array([1.6]), np.array([1.6]))
    assert report.verification is Verification.NOT_CHECKED
    assert not report.ul_feasible and report.ul_violation == pytest.approx(0.4)


def test_integer_assignments_round_first_and_respect_bounds():
    prog = bmp.BilevelProgram.from_functions(
        2, 1, F=lambda x, y: x[0] + x[1], f=lambda x, y: y[0] ** 2,
        x_bounds=([0, 0], [3, 1]), y_bounds=([0], [1]))
    prog = replace(prog, x_integer=np.array([True, True]))
    got = integers.assignments(prog, np.array([1.6, 0.9]))
    assert np.array_equal(got[0], [2.0, 1.0])
    assert {tuple(x) for x in got} == {(1.0, 0.0), (1.0, 1.0), (2.0, 0.0), (2.0, 1.0)}


# class 2: tolerances at small scales ---------------------------------------------------
def test_mitsos_barton_ex312_reports_no_value_below_its_optimum():
    """At x̂ ≈ 0.001 a near-zero ŷ is 4.9e-7-optimal but every exact response has
    F ≈ +0.0088: F = -0.000985 (below F* = 0) must not be certified."""
    pytest.importorskip("pyscipopt")
    program = bolib_problems.load("MitsosBarton2006Ex312").program()
    for method in ("llvf-cuts", "auto"):
        res = bmp.solve(program, method=method)
        if res.verification in CLAIMS:
            # an exact response may be 1e-9·0.5-optimal: y ≈ 0 is then admitted up to
            # x ≈ 3e-5, where F ≈ -x (√ of the exact-response tolerance)
            assert res.upper_objective >= -1e-4, (method, res.summary())


def test_ex312_epsilon_optimal_response_is_replaced_by_an_exact_one():
    program = bolib_problems.load("MitsosBarton2006Ex312").program()
    x = np.array([0.0009846240209650638])
    report = LowerLevelChecker(program, options=NO_SCIP).check(x, np.array([-5.18e-5]))
    assert report.replaced_y
    # an exact response within the 1e-9 relative gap: |y| = √x up to about 1e-3
    assert abs(report.y[0]) == pytest.approx(np.sqrt(x[0]), abs=1e-3)
    assert program.evaluate(x, report.y)["F"] == pytest.approx(0.00883, abs=3e-4)


def scaled_ll_program(scale: float) -> BilevelProgram:
    """LL min scale·(y-1)² over [0, 2] (y = 1), UL min y²: F* = 1 at any scale."""
    return BilevelProgram.from_functions(
        1, 1, F=lambda x, y: y[0] ** 2, f=lambda x, y: scale * (y[0] - 1) ** 2,
        x_bounds=([0], [1]), y_bounds=([0], [2]))


@pytest.mark.parametrize("scale", [1e-12, 1.0, 1e6])
def test_lower_level_gap_tolerance_follows_the_objective_scale(scale):
    checker = LowerLevelChecker(scaled_ll_program(scale))
    far = checker.check(np.array([0.5]), np.array([0.0]))  # gap = scale
    assert far.verification is Verification.SUBOPTIMAL
    near = checker.check(np.array([0.5]), np.array([1.0]))
    assert near.verification is Verification.CERTIFIED


@pytest.mark.parametrize("method", ["kkt-scholtes", "llvf-sn", "auto"])
def test_tiny_lower_level_objective_gives_no_false_certificate(method):
    res = bmp.solve(scaled_ll_program(1e-12), method=method)
    if res.verification in CLAIMS:
        assert res.upper_objective == pytest.approx(1.0, abs=1e-5), res.summary()


@pytest.mark.parametrize("scale", [1e-12, 1.0, 1e6])
def test_upper_level_row_tolerance_follows_the_row_scale(scale):
    # G = scale·(x - 1) <= 0: x = 1 + 1e-3 violates by scale·1e-3, always too much
    prog = BilevelProgram.from_functions(
        1, 1, F=lambda x, y: -x[0], f=lambda x, y: (y[0] - x[0]) ** 2,
        G=lambda x, y: [scale * (x[0] - 1)], x_bounds=([0], [10]))
    checker = LowerLevelChecker(prog)
    assert not checker.check(np.array([1.001]), np.array([1.001])).ul_feasible
    assert checker.check(np.array([1.0]), np.array([1.0])).ul_feasible


# class 3: one feasible set ---------------------------------------------------------------
def test_lower_level_point_within_tolerance_of_an_empty_set_is_never_contradicted():
    """At x̂ = 1 - 1e-9 the LL set {0 <= y <= x - 1} is empty; ŷ = 0 violates it by 1e-9
    (admitted). The re-solve runs over the rows relaxed by ŷ's own violation, so it never
    answers 'infeasible' next to an admitted ŷ."""
    prog = BilevelProgram.from_functions(
        1, 1, F=lambda x, y: x[0], f=lambda x, y: -y[0],
        g=lambda x, y: [y[0] - (x[0] - 1)], x_bounds=([0], [2]), y_bounds=([0], [None]))
    report = LowerLevelChecker(prog).check(np.array([1 - 1e-9]), np.array([0.0]))
    assert report.ll_feasible
    assert report.verification is Verification.CERTIFIED
    assert np.isfinite(report.ll_gap)


# class 4: multistart keeps every run's best admitted point -------------------------------
def test_multistart_counts_points_of_runs_that_stopped_early():
    """LL min |y - x| on [-1, 1] (nonsmooth: IPOPT often ends without success): at x̂ = 0
    the answer ŷ = 1 has gap 1."""
    prog = BilevelProgram.from_functions(
        1, 1, F=lambda x, y: (x[0] - 1) ** 2 - y[0], f=lambda x, y: ca.fabs(y[0] - x[0]),
        x_bounds=([-1], [1]), y_bounds=([-1], [1]))
    report = LowerLevelChecker(prog, options=NO_SCIP).check(np.array([0.0]), np.array([1.0]))
    assert report.verification is Verification.SUBOPTIMAL
    assert report.ll_gap == pytest.approx(1.0, abs=1e-6)


def test_auto_without_scip_gives_no_false_claim_on_abs_lower_level():
    prog = BilevelProgram.from_functions(
        1, 1, F=lambda x, y: (x[0] - 1) ** 2 - y[0], f=lambda x, y: ca.fabs(y[0] - x[0]),
        x_bounds=([-1], [1]), y_bounds=([-1], [1]))
    res = bmp.solve(prog, method="kkt-scholtes", verify_options={"scip_max_vars": 0})
    if res.verification in CLAIMS:
        x, y = res.x_array[0], res.y_array[0]
        assert abs(y - x) <= 1e-5, res.summary()
    assert res.termination is not TerminationStatus.OPTIMAL


def test_llvf_cuts_claims_nothing_global_from_cuts_of_tolerance_feasible_points():
    """DempeDutta2012Ex24 (LL min x² y s.t. y² <= 0, F* = 0 at x = 1, y = 0): SCIP's
    lower-level points satisfy y² <= 0 only within its tolerance (|y| ~ 3e-5), and the cut
    x² y <= x² z_k built on one of them excludes y = 0; e8a573e then reported OPTIMAL with
    F = 0.953."""
    pytest.importorskip("pyscipopt")
    ex = bolib_problems.load("DempeDutta2012Ex24")
    res = bmp.solve(ex.program(), method="llvf-cuts")
    if res.termination is TerminationStatus.OPTIMAL or res.is_proven_optimal:
        assert res.upper_objective == pytest.approx(ex.known.F_star, abs=1e-4)


def test_point_a_hair_beyond_a_jump_of_the_follower_is_repaired_not_misreported():
    """DempeFranke2011Ex41: the KKT relaxations stop at x1 ≈ -2e-8, where the follower's only
    optimum is y1 = 2 (F ≈ 8); F = 5 holds at x1 = 0, within tolerance of x̂. The result
    reports a point where its F holds exactly: either (x1 = 0, F = 5) or F ≈ 8."""
    from tests.problems.literature import dempe_franke_2011_ex41
    program, _ = compile_pyomo(dempe_franke_2011_ex41())
    res = bmp.solve(program, method="kkt-scholtes")
    assert res.verification is Verification.CERTIFIED
    x1 = res.x["x[1]"]
    expected = 5.0 if x1 >= 0 else 8.0 + x1
    assert res.upper_objective == pytest.approx(expected, abs=0.05)
    assert res.upper_objective == pytest.approx(5.0, abs=1e-6)  # the repair found x1 = 0


@pytest.mark.parametrize("method", ["kkt-bigm", "kkt-sos1"])
def test_milp_methods_solve_a_tiny_lower_level_objective_at_unit_scale(method):
    """LL min -1e-10·y over [0, 1] (y = 1), UL min y: F* = 1. With the stationarity row
    1e-10 - u = 0 inside the MILP's 1e-7 feasibility tolerance, u = 0 let y = 0 pass as a
    KKT point (F = 0, OPTIMAL) until f was divided by its gradient scale."""
    if method == "kkt-sos1":
        pytest.importorskip("pyscipopt")
    prog = BilevelProgram.from_functions(
        1, 1, F=lambda x, y: y[0] + 0 * x[0], f=lambda x, y: -1e-10 * y[0],
        x_bounds=([0], [1]), y_bounds=([0], [1]))
    res = bmp.solve(prog, method=method)
    assert res.upper_objective == pytest.approx(1.0, abs=1e-9)
    assert res.is_proven_optimal


def _scaled_linear_program(scale: float) -> BilevelProgram:
    """Trust-sweep seed 81 with F and the LL row multiplied by ``scale`` and f by
    ``1e3 · scale``: an LP lower level; at unit scale kkt-bigm's optimum is x = (0, 2),
    y = (1, 1.5), F = -5.5."""
    return BilevelProgram.from_functions(
        2, 2,
        F=lambda x, y: scale * (-0.5 * x[0] - 0.5 * x[1] - 1.5 * y[0] - 2 * y[1]),
        f=lambda x, y: 1e3 * scale * (-1.5 * y[0] - 2 * x[0] * y[0] - 1.5 * x[1] * y[1]),
        g=lambda x, y: scale * (x[0] - 1.5 * y[0] + 0.5 * y[1] + 0.75),
        x_bounds=([-1, -1], [1, 2]), y_bounds=([-1.5, -1.5], [1, 1.5]))


def _scaled_quadratic_program(scale: float) -> BilevelProgram:
    """Trust-sweep seed 149 scaled: a quadratic F (an MIQP), a convex QP lower level whose
    rows differ in scale by 1e5."""
    return BilevelProgram.from_functions(
        2, 1,
        F=lambda x, y: scale * (x[0] + 0.5 * (x[1] + 0.25) ** 2 + 0.5 * x[1]
                                + 1.5 * (y[0] + 1.75) ** 2 - y[0]),
        f=lambda x, y: 1e2 * scale * (-1.5 * y[0] - x[1] * y[0] + 1.5 * (y[0] + 0.5) ** 2),
        g=lambda x, y: ca.vertcat(1e7 * scale * (-1.5 * x[1] + 2 * y[0] + 1.625),
                                  1e2 * scale * (-0.5 * x[1] - y[0] - 2.375)),
        x_bounds=([0, -1], [1, 1]), y_bounds=([-2], [0]))


@pytest.mark.parametrize("method", ["kkt-bigm", "kkt-sos1"])
@pytest.mark.parametrize("build", [_scaled_linear_program, _scaled_quadratic_program])
def test_milp_methods_judge_tiny_objectives_and_rows_at_unit_scale(method, build):
    """With F ~ 1e-12 and rows ~ 1e-10, the MILP/MIQP solvers' absolute tolerances made any
    feasible point optimal and some rows vacuous (seeds 81, 149: OPTIMAL/CERTIFIED at F
    above F*). The answer must be the unit-scale answer times the scale (scale invariance;
    the unit-scale programs are solved by the same method)."""
    if method == "kkt-sos1" or build is _scaled_quadratic_program:
        pytest.importorskip("pyscipopt")
    unit = bmp.solve(build(1.0), method=method)
    tiny = bmp.solve(build(1e-12), method=method)
    assert unit.is_proven_optimal and tiny.is_proven_optimal
    assert tiny.upper_objective / 1e-12 == pytest.approx(unit.upper_objective, abs=1e-5)
    # u_i scales as f over row i: 1 for the rows g (both scaled), 1e-12 for the y bounds
    for name, u in unit.ll_multipliers.items():
        ratio = 1.0 if name.startswith("g[") else 1e-12
        assert tiny.ll_multipliers[name] == pytest.approx(u * ratio, rel=1e-3, abs=1e-9 * ratio)


def _follower_jump_program() -> BilevelProgram:
    """Trust-sweep seed 191: f = 2y0 - x0·y0 - 0.5y1 - 2x0·y1 over y ∈ [-2, 0.5] × [0, 2].
    The cost of y1 is -0.5 - 2x0: at x0 = -0.25 every y1 ∈ [0, 2] is optimal (the
    optimistic leader takes y1 = 0, F = 6.59375); for x0 > -0.25 only y1 = 2 is."""
    return BilevelProgram.from_functions(
        2, 2,
        F=lambda x, y: (1.5 * (x[0] - 1) ** 2 - x[0] + 2 * (x[1] - 1.5) ** 2 - 1.5 * x[1]
                        - 0.5 * y[0] + (y[1] + 2) ** 2 - 2 * y[1]),
        f=lambda x, y: 2 * y[0] - x[0] * y[0] - 0.5 * y[1] - 2 * x[0] * y[1],
        x_bounds=([-2, 0], [2, 1]), y_bounds=([-2, 0], [0.5, 2]))


def test_reduced_cost_below_the_lp_tolerance_is_not_taken_as_optimal():
    """At x0 = -0.25 + 1e-8 the cost of y1 is -2e-8: HiGHS's default dual tolerance (1e-7)
    took ŷ1 = 0 as the exact optimum and certified F = 6.59 where the only response is
    y1 = 2 (F = 14.59 by hand: F(-0.25 + 1e-8, 1, -2, 2)); the check must replace ŷ."""
    prog = _follower_jump_program()
    checker = LowerLevelChecker(prog, bmp.analyze(prog), VerifyOptions())
    x_hat = np.array([-0.25 + 1e-8, 1.0])
    report = checker.check(x_hat, np.array([-2.0, 0.0]))
    assert report.replaced_y
    # the best F over responses within the exact-response tolerance (1e-9 of the scale of
    # f) moves y1 from 2 by at most about 0.05
    assert report.y[0] == pytest.approx(-2.0, abs=1e-7) and report.y[1] >= 1.9
    assert prog.evaluate(x_hat, report.y)["F"] > 14.0  # not the false 6.59375


def test_point_a_hair_from_the_jump_is_rounded_onto_it():
    """The KKT methods stop at x0 = -0.24999999; the repair rounds x̂ at the tolerance onto
    x0 = -0.25, where ŷ = (-2, 0) is an exact response: CERTIFIED at F = 6.59375."""
    prog = _follower_jump_program()
    checker = LowerLevelChecker(prog, bmp.analyze(prog), VerifyOptions())
    x, report = checker.check_or_repair(np.array([-0.24999999, 1.00000001]),
                                        np.array([-2.0, 1e-8]))
    np.testing.assert_array_equal(x, [-0.25, 1.0])
    assert report.verification is Verification.CERTIFIED and not report.replaced_y
    assert prog.evaluate(x, np.array([-2.0, 1e-8]))["F"] == pytest.approx(6.59375, abs=1e-6)


def test_point_a_hair_outside_its_bounds_is_checked_on_them():
    """Trust seed 2163: the lower level's y1-part, 1e-3·((0.5 + 1.5·x1)·y1 + y1³ - 1.5·y1²)
    on [-1, 1], ties y1 = -1 and y1 = +1 exactly at the bound x1 = -1. The KKT methods
    stopped at x1 = -1 - 1e-8, x0 = 1e-8 > 0 (IPOPT relaxes bounds by 1e-8); y1 = +1 is better by
    3e-11 and F is 4 higher: ŷ1 = -1 was certified at a point where it is not a response.
    The check now puts x̂ on its bound, where the tie holds and the certificate is true."""
    from tests.trust.generators import build_program, spec_from_seed
    prog = build_program(spec_from_seed(2163))
    x_hat = np.array([9.55e-09, -1.0000000099090909])
    y_hat = np.array([1.1108406414219547, -1.0000000099544943])

    def y1_part(x1, y1):  # the independent fact, by hand
        return 1e-3 * ((0.5 + 1.5 * x1) * y1 + y1 ** 3 - 1.5 * y1 ** 2)
    assert y1_part(x_hat[1], 1.0) < y1_part(x_hat[1], -1.0)  # off the bound: +1 wins
    assert y1_part(-1.0, 1.0) == y1_part(-1.0, -1.0)          # on it: a tie
    checker = LowerLevelChecker(prog, bmp.analyze(prog), VerifyOptions())
    x, report = checker.check_or_repair(x_hat, y_hat)
    np.testing.assert_array_equal(x, [0.0, -1.0])  # x0 <= 0 too
    assert report.verification is Verification.CERTIFIED
    # a point further out than the bound tolerance is not moved
    far = np.array([9.55e-09, -1.001])
    np.testing.assert_array_equal(checker.onto_bounds(far, y_hat), far)


@pytest.mark.parametrize("method", ["kkt-bigm", "kkt-sos1"])
def test_no_global_claim_from_a_row_the_milp_solver_cannot_represent(method):
    """LL y >= 1e25·x - 3 over y ∈ [0, 5], UL min x - y s.t. x + y <= 8: F reaches -5 at
    x = 8e-25 (then y = 5), which no MILP solver resolves next to x = 0 (F = 0). The
    solvers' optimum is F = 0; it must not come with a proof of global optimality."""
    if method == "kkt-sos1":
        pytest.importorskip("pyscipopt")
    from tests.trust.test_bad_input import linear_model
    res = bmp.solve(linear_model(coef=1e25), method=method)
    assert res.proof is None and not res.is_proven_optimal
    assert res.termination is not TerminationStatus.OPTIMAL
    assert "span more than" in res.message
    assert res.upper_objective == pytest.approx(0.0, abs=1e-6)  # the point itself is fine


def test_no_global_claim_for_a_value_reached_only_outside_the_bounds_of_x():
    """NetworkDesignP1's link costs y / (1 + x) diverge at the bound x >= -1: just below it
    (within the feasibility tolerance) F is unbounded below. llvf-cuts returned
    x4 = -1 - 5e-10 with F = -7e10 as OPTIMAL and proven; BOLIB's F* is 300.5. Such a
    point is not claimed OPTIMAL by the method, keeps no proof, and is a
    NEAR_FEASIBLE_POINT (so auto ranks it below the points of the box)."""
    pytest.importorskip("pyscipopt")
    res = bmp.solve(bolib_problems.load("NetworkDesignP1").program(), method="llvf-cuts",
                    time_limit=60)
    if res.upper_objective < 300.0:  # the solver went past the bound again
        assert not res.is_proven_optimal and res.termination is not TerminationStatus.OPTIMAL
        assert res.proof is None or res.proof.kind is bmp.ProofKind.LOWER_BOUND
        assert res.primal_status is bmp.PrimalStatus.NEAR_FEASIBLE_POINT
        assert "outside its bounds" in res.message
    else:
        assert res.upper_objective >= 300.5 - 1e-3


def test_a_value_reached_only_outside_the_bounds_is_near_feasible():
    """F = y / (1 + x) with x >= -1: at x = -1 - 1e-10 (within the bound tolerance) F is
    -1e10·y, on the bound it is infinite. The check says so; the primal status is
    NEAR_FEASIBLE_POINT; a point in the box, or one whose F agrees on the box, is not."""
    from bilevel_mp.candidates import primal_status

    prog = bmp.BilevelProgram.from_functions(
        1, 1, F=lambda x, y: y[0] / (1 + x[0]), f=lambda x, y: (y[0] - 1) ** 2,
        x_bounds=([-1], [1]), y_bounds=([0], [2]))
    checker = LowerLevelChecker(prog, bmp.analyze(prog), VerifyOptions())
    x_out, y = np.array([-1 - 1e-10]), np.array([1.0])
    F_out = float(prog.evaluate(x_out, y)["F"])
    assert F_out == pytest.approx(-1e10, rel=1e-6)  # the independent fact
    assert "outside its bounds" in checker.value_off_the_box(x_out, y, F_out)
    assert checker.value_off_the_box(np.array([0.0]), y, 1.0) == ""
    x_near = np.array([1 + 1e-10])  # outside the upper bound, F agrees there: 1 / 2
    assert checker.value_off_the_box(x_near, y, float(prog.evaluate(x_near, y)["F"])) == ""
    assert primal_status(0.5, True) is bmp.PrimalStatus.NEAR_FEASIBLE_POINT
    assert primal_status(0.5) is bmp.PrimalStatus.FEASIBLE_POINT


def test_multistart_tries_the_bounds_next_to_the_point():
    """Trust seed 287: at x̂ the follower's ŷ0 = 0.0072 sits next to the bound y0 = 0, which
    is better by 2.3e-5 (hand evaluation below); IPOPT's interior path from ŷ stopped short
    and the check said NO_BETTER_FOUND. With ŷ moved onto its bounds as starts, it finds it."""
    from tests.trust.generators import build_program, spec_from_seed
    prog = build_program(spec_from_seed(287))
    x, y_hat = np.array([0.0, -2.0]), np.array([0.007222957640774816, 0.250000000000002])
    on_bound = np.array([0.0, 0.25])
    better = prog.evaluate(x, y_hat)["f"] - prog.evaluate(x, on_bound)["f"]
    assert better > 1e-5  # the independent fact: the bound point is better
    checker = LowerLevelChecker(prog, bmp.analyze(prog), NO_SCIP)
    report = checker.check(x, y_hat)
    assert report.verification is Verification.SUBOPTIMAL
    assert report.ll_gap >= better - 1e-9


def test_global_solver_incumbent_within_its_own_gap_is_not_taken_as_exact():
    """Trust seed 857: f = -0.5y0 - 1.5x0·y0 - y1 - 1.5x0·y1. At x0 = -0.66666665 the cost
    of y1 is -2.5e-8 < 0 (hand computation below), so the follower's only response has
    y1 at its upper end, where F is far higher. SCIP stopped within its own gap with ŷ
    (y1 = -0.79) as incumbent and certified F = -185.3; the check now replaces ŷ, and the
    repair moves x̂ onto the jump (x0 = -0.666667, where y1 = -0.79 is the response)."""
    pytest.importorskip("pyscipopt")
    from tests.trust.generators import build_program, spec_from_seed
    prog = build_program(spec_from_seed(857))
    x_hat = np.array([-0.6666666494618302])
    assert -1.0 - 1.5 * x_hat[0] < 0  # the cost of y1 at x̂
    y_hat = np.array([0.0, -0.7909944620626147])
    checker = LowerLevelChecker(prog, bmp.analyze(prog), VerifyOptions())
    report = checker.check(x_hat, y_hat)
    assert report.replaced_y and report.y[1] > 0.5
    assert prog.evaluate(x_hat, report.y)["F"] > -150.0  # not the false -185.3
    x, repaired = checker.check_or_repair(x_hat, y_hat)
    assert x[0] == pytest.approx(-0.666667, abs=1e-12) and not repaired.replaced_y
    assert repaired.verification is Verification.CERTIFIED


def test_check_after_the_deadline_still_runs_the_global_re_solve():
    """Trust seed 1012: llvf-cuts stopped at its 2 s limit with ŷ0 = 0.79217, ε-optimal
    (f is scaled by 1e-5, and y1 = 0.25 sits on the kink of |y1 - 0.25|, where every IPOPT
    start stalls). With the deadline gone the check used to skip SCIP, and the multistart
    passed ŷ as NO_BETTER_FOUND although the exact response ŷ0 = 0.79419 (found below by a
    bounded 1-D search) gives a higher F. The global re-solve now gets ``min_check_time``
    after the deadline and finds the better follower point."""
    pytest.importorskip("pyscipopt")
    from scipy.optimize import minimize_scalar

    from tests.trust.generators import build_program, spec_from_seed
    prog = build_program(spec_from_seed(1012))
    x_hat, y_hat = np.array([-1.0]), np.array([0.7921700310153631, 0.25])
    best = minimize_scalar(lambda t: float(prog.evaluate(x_hat, np.array([t, 0.25]))["f"]),
                           bounds=(0.7, 0.9), method="bounded", options={"xatol": 1e-10})
    assert best.x == pytest.approx(0.79419, abs=1e-4)
    assert prog.evaluate(x_hat, y_hat)["f"] > best.fun  # ŷ is not the exact response
    checker = LowerLevelChecker(prog, bmp.analyze(prog), VerifyOptions())
    report = checker.check(x_hat, y_hat, Deadline.after(0.0))
    assert report.ll_solver == "scip(global)"
    assert report.verification is Verification.SUBOPTIMAL


def test_multistart_polishes_a_point_on_a_kink_of_the_lower_level():
    """Trust seed 295, without SCIP: f has the term 2|y0 - 1| and ŷ0 sits on its kink, where
    every IPOPT start stalls; ŷ1 = 1.1276 passed as NO_BETTER_FOUND although y1 = 1.1304
    (found below by a bounded 1-D search with y0 held) is better. Powell's search from the
    multistart's best point finds it."""
    from scipy.optimize import minimize_scalar

    from tests.trust.generators import build_program, spec_from_seed
    prog = build_program(spec_from_seed(295))
    x_hat, y_hat = np.array([-2.0]), np.array([0.9999999999999931, 1.1275999915859467])
    best = minimize_scalar(
        lambda t: float(prog.evaluate(x_hat, np.array([y_hat[0], t]))["f"]),
        bounds=(1.0, 1.3), method="bounded", options={"xatol": 1e-10})
    assert best.x == pytest.approx(1.1304, abs=1e-3)
    better = float(prog.evaluate(x_hat, y_hat)["f"]) - best.fun
    assert better > 1e-5  # the independent fact
    report = LowerLevelChecker(prog, bmp.analyze(prog), NO_SCIP).check(x_hat, y_hat)
    assert report.verification is Verification.SUBOPTIMAL
    assert report.ll_gap >= better - 1e-9
    assert report.ll_solver.endswith("+powell")


def test_polish_that_scipy_cannot_run_leaves_the_multistart_answer(monkeypatch):
    """SciPy's Powell raises ValueError when the merit is infinite along every line it
    tries (a zero-size reduction inside its line search); the check then keeps what the
    multistart found instead of ending in SciPy's traceback."""
    import scipy.optimize

    from bilevel_mp.checks import verify
    from tests.trust.generators import build_program, spec_from_seed
    with pytest.raises(ValueError):  # the failure being guarded against
        scipy.optimize.minimize(lambda y: np.inf, np.zeros(1), method="Powell",
                                bounds=[(-1.0, 1.0)])
    monkeypatch.setattr(verify, "minimize", lambda *a, **k: scipy.optimize.minimize(
        lambda y: np.inf, np.zeros(1), method="Powell", bounds=[(-1.0, 1.0)]))
    prog = build_program(spec_from_seed(295))
    x_hat, y_hat = np.array([-2.0]), np.array([0.9999999999999931, 1.1275999915859467])
    report = LowerLevelChecker(prog, bmp.analyze(prog), NO_SCIP).check(x_hat, y_hat)
    assert report.ll_solver.startswith("ipopt-multistart") and "powell" not in report.ll_solver


def test_the_leaders_own_large_coefficients_do_not_loosen_the_certificate():
    """BOLIB's TollSettingP3 in miniature: the leader sets a toll x on an arc the follower
    does not use. LL: min y1 + x·y2 s.t. y1 + y2 >= 1, y >= 0, so φ = 1 at y = (1, 0) for
    any toll x >= 1. At x̂ = 1e8, ŷ = (1.001, 0) is 1e-3 from optimal (by hand). A scale
    taken from f's spread over ŷ ± 1 (1e8 here) accepted that gap; the size of f's terms at
    the answer (about 1) and its spread at the model's start (about 2) do not."""
    prog = bmp.BilevelProgram.from_functions(
        1, 2, F=lambda x, y: -x[0] * y[1], f=lambda x, y: y[0] + x[0] * y[1],
        g=lambda x, y: [1 - y[0] - y[1]], x_bounds=([0], [1e8]), y_bounds=([0, 0], [None, None]),
        x0=[0.0], y0=[0.0, 0.0])
    checker = LowerLevelChecker(prog, bmp.analyze(prog), VerifyOptions())
    x_hat, y_hat = np.array([1e8]), np.array([1.001, 0.0])
    gap = float(prog.evaluate(x_hat, y_hat)["f"]) - 1.0  # φ(x̂) = 1 at y = (1, 0)
    assert gap == pytest.approx(1e-3)
    report = checker.check(x_hat, y_hat)
    assert report.verification is Verification.SUBOPTIMAL
    assert report.ll_gap == pytest.approx(gap, rel=1e-6)
    assert checker.check(x_hat, np.array([1.0, 0.0])).verification is Verification.CERTIFIED


def test_a_global_solvers_point_a_hair_outside_a_tiny_row_still_witnesses_a_better_one():
    # Trust instance from CI's hypothesis run: the LL row is scaled by 1e-6, so SCIP's
    # point, within SCIP's absolute feasibility tolerance, violates the row's own
    # (relative) tolerance; dropping it left only SCIP's bound, and ŷ = (0.5, -1) passed
    # as NO_BETTER_FOUND although y = (-0.25, -1), feasible exactly (g = 0), is better by
    # 6.4e-4 (computed here by hand).
    pytest.importorskip("pyscipopt")

    def f(x, y):
        return 1e-4 * (-0.5 * y[0] + 1.5 * x[0] * y[0] + y[0] ** 4 + y[0] ** 2
                       + 1.5 * (y[0] + 1.25) ** 1.5 + 1.5 * y[1] + x[0] * y[1] - y[1] ** 3
                       - y[1] ** 2)

    prog = BilevelProgram.from_functions(
        1, 2, F=lambda x, y: 0.5 * x[0] - 0.5 * y[0] + 2 * y[1] + 0.5 * x[0] * y[1], f=f,
        g=lambda x, y: [1e-6 * (-x[0] + (y[0] - 0.75) ** 2 + 3)],
        x_bounds=([0.0], [4.0]), y_bounds=([-1.0, -1.0], [0.5, 1.5]))
    x, y_hat, better = np.array([4.0]), np.array([0.5, -1.0]), np.array([-0.25, -1.0])
    assert prog.evaluate(x, better)["g"][0] == 0.0
    by_hand = float(prog.evaluate(x, y_hat)["f"] - prog.evaluate(x, better)["f"])
    report = LowerLevelChecker(prog).check(x, y_hat)
    assert report.ll_solver.startswith("scip")
    assert report.verification is Verification.SUBOPTIMAL
    assert report.ll_best_value == pytest.approx(float(prog.evaluate(x, better)["f"]),
                                                 abs=1e-10)
    assert report.ll_gap >= by_hand  # measured to SCIP's bound, at or below that point


def test_a_follower_point_far_along_a_flat_direction_does_not_loosen_the_certificate():
    # BOLIB's WangJiaoLi2005 lower level: min -y1 - y2 s.t. x + y1 - y2 <= 1, y1 + y2 <= 1
    # (y free). At x = 0, φ = -1; ŷ = (-4.2e6, 4.2e6 + 0.99) is feasible with f = -0.99,
    # 0.01 worse. kkt-fb stopped there and the size of f's terms at ŷ (8.4e6) made the
    # scale of the gap: CERTIFIED. The gap is 1 % of |φ|.
    prog = BilevelProgram.from_functions(
        1, 2, F=lambda x, y: -100 * x[0] - 1000 * y[0], f=lambda x, y: -y[0] - y[1],
        g=lambda x, y: [x[0] + y[0] - y[1] - 1, y[0] + y[1] - 1], x_bounds=([0.0], [1.0]))
    y_hat = np.array([-4.2e6, 4.2e6 + 0.99])
    report = LowerLevelChecker(prog).check(np.array([0.0]), y_hat)
    assert report.verification is Verification.SUBOPTIMAL
    assert report.ll_gap == pytest.approx(0.01, abs=1e-6)


def test_a_gap_at_rounding_level_next_to_a_kink_is_no_suboptimality():
    # BOLIB's MorganPatrone2006c lower level: min φ(x) y over y in [-1, 1] with
    # φ(x) = min(x + 7/4, 0) + max(x - 7/4, 0): at x = 7/4 every y is optimal. One ulp
    # above 7/4, φ = 2.2e-16 and y = -1 is better than y = 1 by 4.4e-16, the rounding of
    # x itself (f's terms there are of size |x y| = 1.75): ŷ = 1 is certified and F kept.
    def phi(x):
        return ca.fmin(x[0] + 1.75, 0) + ca.fmax(x[0] - 1.75, 0)

    prog = BilevelProgram.from_functions(
        1, 1, F=lambda x, y: -(x[0] + y[0]), f=lambda x, y: phi(x) * y[0],
        g=lambda x, y: [-x[0] - 2, x[0] - 2], y_bounds=([-1.0], [1.0]))
    x_hat = np.array([np.nextafter(1.75, 2.0)])
    report = LowerLevelChecker(prog).check(x_hat, np.array([1.0]))
    assert 0 < report.ll_gap < 1e-15
    assert report.verification is Verification.CERTIFIED and not report.replaced_y


def test_scip_resolves_at_the_scale_of_the_gap_test():
    # BOLIB's SinhaMaloDeb2014TP9 (φ ≈ 1): SCIP minimized f divided by a spread over unit
    # steps 1e3 times larger than |φ|, so its 1e-9 epsilon left its bound 3.2e-6 below its
    # optimum, beyond the gap tolerance 1e-6 · |φ|: every method's answer was inconclusive
    pytest.importorskip("pyscipopt")
    res = bmp.solve(bolib_problems.load("SinhaMaloDeb2014TP9").program(), method="kkt-fb")
    assert res.verification is Verification.CERTIFIED
    assert res.ll_gap <= 1e-6 * abs(res.lower_objective)


def _flat_follower_at_two_thirds() -> BilevelProgram:
    """Trust seed 221: f = 1e6·y(1.5x - 1) is flat in y only at x = 2/3, where the follower
    may take y = -1, the leader's best (F = 1e-12·(0.5·(11/12)² - 1/3) = 8.68e-14)."""
    return BilevelProgram.from_functions(
        1, 1,
        F=lambda x, y: 1e-12 * (0.5 * (x[0] + 0.25) ** 2 - 0.5 * x[0]
                                + 0.5 * (y[0] - 1) ** 2 + 2 * y[0]),
        f=lambda x, y: 1e6 * (-y[0] + 1.5 * x[0] * y[0]),
        x_bounds=([-1], [3]), y_bounds=([-2], [1]))


@pytest.mark.parametrize("method", ["kkt-bigm", "kkt-sos1"])
def test_milp_point_is_made_exact_on_its_active_set(method):
    """SCIP's KKT point had x = 2/3 - 9.9e-10 (stationarity met within its tolerance),
    where y = -1 is 3e-3 from the follower's optimum; the check replaced ŷ and kkt-sos1
    reported OPTIMAL with F = 1.83e-12, 21 times the optimum. Polished on its active set
    (y interior: u = 0, so stationarity forces x = 2/3 to rounding) the point is exact."""
    pytest.importorskip("pyscipopt")
    res = bmp.solve(_flat_follower_at_two_thirds(), method=method)
    assert res.x["x[0]"] == pytest.approx(2 / 3, abs=1e-15)
    assert res.upper_objective == pytest.approx(1e-12 * (0.5 * (11 / 12) ** 2 - 1 / 3),
                                                rel=1e-6)
    assert res.is_proven_optimal


def test_a_loose_global_bound_does_not_make_an_epsilon_optimal_point_exact():
    """Trust seed 656: at x0 = -1 + 1e-8 the follower's cost of y0 is -1e-8·y0, so its
    only response has y0 at its upper end, where F = 1.75 instead of 0.25. SCIP kept ŷ as
    its incumbent with a bound 2e-8 below it (its epigraph row holds within its feastol),
    no point lay within the exact-response tolerance of that bound, and ŷ passed as
    exact: CERTIFIED F = 0.25. The multistart now finds the better response, ŷ is
    replaced, and the repair moves x0 onto -1, where the follower is indifferent."""
    pytest.importorskip("pyscipopt")
    from tests.trust.generators import build_program, spec_from_seed
    prog = build_program(spec_from_seed(656))
    x_hat = np.array([-0.9999999901370576, 0.0])
    y_hat = np.array([-1.500000009939394, 1.5000000099772728])
    checker = LowerLevelChecker(prog, bmp.analyze(prog), VerifyOptions())
    report = checker.check(x_hat, y_hat)
    assert report.replaced_y and prog.evaluate(x_hat, report.y)["F"] > 1.7
    x, repaired = checker.check_or_repair(x_hat, y_hat)
    assert x[0] == -1.0 and not repaired.replaced_y
    assert repaired.verification is Verification.CERTIFIED
    assert prog.evaluate(x, y_hat)["F"] == pytest.approx(0.25, abs=1e-6)


def test_a_point_inside_the_row_tolerance_is_no_witness_against_an_exact_response():
    """MitsosBarton2006Ex33: min y s.t. y solves min y² s.t. y² >= 1; ŷ = -1 is an exact
    response (F* = -1). SCIP's bound lies 1.8e-7 below φ = 1; the multistart that then
    looks for a better point found y = 0.9999999, better by 2e-7 only because it violates
    1 - y² <= 0 by 2e-7 (inside the row tolerance), and replaced ŷ (F = +1). A witness
    must now be at least as feasible as ŷ."""
    pytest.importorskip("pyscipopt")
    prog = bolib_problems.load("MitsosBarton2006Ex33").program()
    checker = LowerLevelChecker(prog, bmp.analyze(prog), VerifyOptions())
    report = checker.check(np.zeros(0), np.array([-1.0]))
    assert report.verification is Verification.CERTIFIED and not report.replaced_y
    assert report.response_value == -1.0


def test_the_search_for_a_better_response_gets_its_own_short_budget(monkeypatch):
    """GumusFloudas2001Ex1 at kkt-scholtes's point: f = ((x + y) - 20)⁴ is about 1e-12 at
    ŷ and SCIP's bound on φ(x̂) is -4e-4 (its feasibility tolerance at the scale of f),
    so the check asks SCIP for a response with f <= bound + tol / 2 < 0: none exists and
    SCIP cannot prove it (it ran to the 10 s limit). That search now gets
    ``response_time_limit``; the strict multistart then finds no better point, and ŷ is
    certified as before."""
    pytest.importorskip("pyscipopt")
    from bilevel_mp.bench.runner import load_problem
    from bilevel_mp.checks import verify
    prog, _ = load_problem("bolib", "GumusFloudas2001Ex1")
    budgets = []
    solve = verify.solve_scip_nlp

    def recording(*args, **kwargs):
        budgets.append(args[7].remaining())  # the deadline
        return solve(*args, **kwargs)

    monkeypatch.setattr(verify, "solve_scip_nlp", recording)
    checker = LowerLevelChecker(prog, bmp.analyze(prog), VerifyOptions(response_time_limit=0.5))
    report = checker.check(np.array([7.19956826]), np.array([12.79901147]))
    assert len(budgets) >= 2 and budgets[1] <= 0.5  # the global solve, then the search
    assert report.verification is Verification.CERTIFIED and not report.replaced_y
