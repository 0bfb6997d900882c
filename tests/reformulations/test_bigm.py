"""``kkt-bigm``: known optima, M provenance, user bounds, enlargement, rejections."""

from __future__ import annotations

import importlib.util
import warnings

import pyomo.environ as pyo
import pytest

import bilevel_mp as bmp


def bard_lp() -> pyo.ConcreteModel:
    """LP–LP of Bard (1998), Ex. 5.1.1 (also BOLIB's linear set): F* = -18 at (8, 1)."""
    m = pyo.ConcreteModel()
    m.x = pyo.Var(bounds=(0, None))
    m.L = bmp.LowerLevel()
    m.L.y = pyo.Var(bounds=(0, None))
    m.L.obj = pyo.Objective(expr=m.L.y)
    m.L.c1 = pyo.Constraint(expr=-25 * m.x + 20 * m.L.y <= 30)
    m.L.c2 = pyo.Constraint(expr=m.x + 2 * m.L.y <= 10)
    m.L.c3 = pyo.Constraint(expr=2 * m.x - m.L.y <= 15)
    m.L.c4 = pyo.Constraint(expr=2 * m.x + 10 * m.L.y >= 15)
    m.obj = pyo.Objective(expr=-m.x - 10 * m.L.y)
    return m


def unbounded_slack_model() -> pyo.ConcreteModel:
    """LL: min y s.t. c1: y >= 1 - x, y >= 0, so y(x) = max(0, 1 - x); y is unbounded
    above on the relaxed region, so the slacks have no proven bound. UL: min -x + 3y,
    x in [0, 10]: optimum F* = -10 at x = 10, y = 0, where the slack of c1 is 9."""
    m = pyo.ConcreteModel()
    m.x = pyo.Var(bounds=(0, 10))
    m.L = bmp.LowerLevel()
    m.L.y = pyo.Var(bounds=(0, None))
    m.L.obj = pyo.Objective(expr=m.L.y)
    m.L.c1 = pyo.Constraint(expr=m.L.y >= 1 - m.x)
    m.obj = pyo.Objective(expr=-m.x + 3 * m.L.y)
    return m


def test_bard_lp_is_proven_optimal():
    m = bard_lp()
    res = bmp.solve(m, method="kkt-bigm")
    assert res.termination is bmp.TerminationStatus.OPTIMAL
    assert res.verification is bmp.Verification.CERTIFIED
    assert res.upper_objective == pytest.approx(-18.0, abs=1e-7)
    assert (pyo.value(m.x), pyo.value(m.L.y)) == pytest.approx((8.0, 1.0), abs=1e-7)
    assert res.stats["big_m"]["L.c2"]["primal"][1] == "LP"
    # an LP lower level with proven slack bounds needs no multiplier bound (direction cuts)
    assert res.stats["big_m"]["L.c2"]["dual"] == (None, "not used (direction cuts)")
    assert res.stats["chain"].startswith("kkt -> bigm (direction cuts")
    classic = bmp.solve(bard_lp(), method="kkt-bigm", options={"dual": "big-m"})
    assert classic.stats["big_m"]["L.c2"]["dual"][1] == "vertex enumeration"
    assert classic.upper_objective == pytest.approx(-18.0, abs=1e-7)
    # max of -g over R for c2: x + 2y <= 10 with y >= 0, x >= 0 reachable: slack 10 - x - 2y
    # with 2x + 10y >= 15 -> the slack is largest at x = 0, y = 1.5: 10 - 3 = 7
    assert res.stats["big_m"]["L.c2"]["primal"][0] == pytest.approx(7.0)


@pytest.mark.parametrize("sos1_proof", [False, True])
def test_binding_user_bound_is_enlarged_with_a_warning(sos1_proof):
    m = unbounded_slack_model()  # no slack bound can be proven: the user's value is used
    bmp.set_big_m(m.L.c1, primal=2)  # cuts the optimum off: the MILP stops at slack 2
    bmp.set_big_m(m.L.y, primal=50)
    if sos1_proof and importlib.util.find_spec("pyscipopt") is None:
        pytest.skip("the M-free proof needs SCIP")
    with pytest.warns(bmp.BilevelWarning, match="enlarging"):
        res = bmp.solve(m, method="kkt-bigm", options={"sos1_proof": sos1_proof})
    assert res.upper_objective == pytest.approx(-10.0, abs=1e-7)
    assert res.stats["big_m"]["L.c1"]["primal"] == (20.0, "user, enlarged once")
    assert res.stats["big_m"]["L.y >= 0"]["primal"] == (50.0, "user")
    assert "not proven" in res.message
    if sos1_proof:  # the SOS1 form needs no M: SCIP's proof makes the answer optimal
        assert res.termination is bmp.TerminationStatus.OPTIMAL
        assert "proven without M values" in res.message
        assert res.stats["stages"][-1]["status"] == "sos1 proof: optimal"
    else:
        assert res.termination is bmp.TerminationStatus.LOCALLY_SOLVED


def test_user_bound_is_ignored_where_a_proof_exists():
    m = bard_lp()
    bmp.set_big_m(m.L.c1, primal=100)  # smaller than the proven 217.5, and wrong
    res = bmp.solve(m, method="kkt-bigm")
    assert res.stats["big_m"]["L.c1"]["primal"][1] == "LP"
    assert res.upper_objective == pytest.approx(-18.0, abs=1e-7)
    assert res.termination is bmp.TerminationStatus.OPTIMAL


def test_integer_upper_level_variables_pass_through():
    # min -x - 10y with x integer and c1..c4 as above: x = 8 is already integral;
    # tighten with x <= 7.5 so that the integer optimum differs from the continuous one.
    m = bard_lp()
    m.x.domain = pyo.NonNegativeIntegers
    m.cap = pyo.Constraint(expr=m.x <= 7.5)
    res = bmp.solve(m, method="kkt-bigm")
    assert res.termination is bmp.TerminationStatus.OPTIMAL
    assert res.x["x"] == pytest.approx(round(res.x["x"]))
    # enumerate x = 0..7: y(x) = max(1.5 - 0.2 x, 2x - 15, 0) bounded by the LL rows
    best = min(-x - 10 * _ll_y(x) for x in range(8) if _ll_y(x) is not None)
    assert res.upper_objective == pytest.approx(best, abs=1e-7)


def _ll_y(x: float) -> float | None:
    """The LL solution of bard_lp at x (min y over its interval), by hand."""
    lo = max(0.0, 2 * x - 15, (15 - 2 * x) / 10)
    hi = min((30 + 25 * x) / 20, (10 - x) / 2)
    return lo if lo <= hi + 1e-12 else None


def test_nonlinear_lower_level_is_rejected_naming_the_constraint():
    m = bard_lp()
    m.L.c5 = pyo.Constraint(expr=m.L.y**2 <= 50)
    with pytest.raises(bmp.ReformulationNotApplicable, match="'L.c5' is not linear"):
        bmp.solve(m, method="kkt-bigm")


def test_integer_lower_level_is_rejected():
    m = bard_lp()
    m.L.y.domain = pyo.NonNegativeIntegers
    with pytest.raises(bmp.ReformulationNotApplicable, match="L.y are integer"):
        bmp.solve(m, method="kkt-bigm")


def test_quadratic_upper_level_without_scip_says_what_to_install(monkeypatch):
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    m = bard_lp()
    m.obj.deactivate()
    m.obj2 = pyo.Objective(expr=(m.x - 3) ** 2 - 10 * m.L.y)
    with pytest.raises(bmp.ReformulationNotApplicable, match="bilevel_mp\\[scip\\]"):
        bmp.solve(m, method="kkt-bigm")


@pytest.mark.skipif(importlib.util.find_spec("pyscipopt") is None, reason="needs SCIP")
def test_quadratic_upper_level_with_scip():
    m = bard_lp()
    m.obj.deactivate()
    m.obj2 = pyo.Objective(expr=(m.x - 3) ** 2 - 10 * m.L.y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", bmp.BilevelWarning)
        res = bmp.solve(m, method="kkt-bigm")
    # by enumeration on a fine grid of x with y(x) from _ll_y
    grid = [i / 1000 for i in range(0, 10001)]
    best = min((x - 3) ** 2 - 10 * _ll_y(x) for x in grid if _ll_y(x) is not None)
    assert res.upper_objective <= best + 1e-6
    assert res.verification is bmp.Verification.CERTIFIED


def test_nonconvex_quadratic_lower_level_is_rejected():
    # f = -(y - x)^2 has an affine gradient, so the KKT system is linear, but a KKT point
    # of a concave lower level need not be optimal: kkt-bigm must refuse it.
    m = bard_lp()
    m.L.obj.deactivate()
    m.L.obj2 = pyo.Objective(expr=-((m.L.y - m.x) ** 2))
    with pytest.raises(bmp.ReformulationNotApplicable, match="not convex in y"):
        bmp.solve(m, method="kkt-bigm")


def test_nonsmooth_lower_level_is_rejected_and_not_called_linear():
    # |y - 1| differentiates to sign(y - 1), whose derivative CasADi takes as 0: a
    # derivative-based test alone would call the lower level linear.
    m = bard_lp()
    m.L.obj.deactivate()
    m.L.obj2 = pyo.Objective(expr=abs(m.L.y - 1))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", bmp.NonsmoothWarning)
        with pytest.raises(bmp.ReformulationNotApplicable, match="nonsmooth"):
            bmp.solve(m, method="kkt-bigm")
        program, _ = bmp.compile_pyomo(m)
    assert bmp.analyze(program).ll_kind == "NLP"


def test_sos1_proof_recovers_an_optimum_cut_off_by_a_wrong_user_m():
    # LL: max y s.t. c1: 0.01 y <= 0.01 x, c2: y <= 5, c3: y >= 0, plus z = 0 written twice
    # (a rank-deficient equality block, so no vertex bound exists and the LP bound on the
    # multiplier of c1 is unbounded through c3). For x in (0, 0.9] the LL solution is
    # y = x with multiplier u1 = 100 on c1. UL: min x - 3y over x in [0, 0.9]: F* = -1.8 at
    # x = y = 0.9. The user's dual M of 10 for c1 cuts every bilevel-feasible point off, so
    # the MILP is infeasible; the M-free SOS1 proof finds and proves the optimum.
    pytest.importorskip("pyscipopt")
    m = pyo.ConcreteModel()
    m.x = pyo.Var(bounds=(0, 0.9))
    m.L = bmp.LowerLevel()
    m.L.y = pyo.Var()
    m.L.z = pyo.Var()
    m.L.obj = pyo.Objective(expr=-m.L.y)
    m.L.c1 = pyo.Constraint(expr=0.01 * m.L.y <= 0.01 * m.x)
    m.L.c2 = pyo.Constraint(expr=m.L.y <= 5)
    m.L.c3 = pyo.Constraint(expr=m.L.y >= 0)
    m.L.h1 = pyo.Constraint(expr=m.L.z == 0)
    m.L.h2 = pyo.Constraint(expr=2 * m.L.z == 0)
    m.obj = pyo.Objective(expr=m.x - 3 * m.L.y)
    bmp.set_big_m(m.L.c1, dual=10)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", bmp.BilevelWarning)
        without = bmp.solve(m, method="kkt-bigm",
                            options={"sos1_proof": False, "dual": "big-m"})
        res = bmp.solve(m, method="kkt-bigm", options={"dual": "big-m"})
        cuts = bmp.solve(m, method="kkt-bigm")
    assert res.stats["big_m"]["L.c1"]["dual"] == (10.0, "user")
    assert without.termination is bmp.TerminationStatus.LOCALLY_INFEASIBLE
    assert res.termination is bmp.TerminationStatus.OPTIMAL
    assert res.verification is bmp.Verification.CERTIFIED
    assert res.upper_objective == pytest.approx(-1.8, abs=1e-7)
    assert pyo.value(m.x) == pytest.approx(0.9, abs=1e-7)
    assert res.ll_multipliers["L.c1"] == pytest.approx(100.0, rel=1e-6)
    # the direction cuts need no dual M, so the wrong user value plays no part there
    assert cuts.stats["big_m"]["L.c1"]["dual"] == (None, "not used (direction cuts)")
    assert cuts.termination is bmp.TerminationStatus.OPTIMAL
    assert cuts.upper_objective == pytest.approx(-1.8, abs=1e-7)


def test_big_m_provenance_is_data():
    from bilevel_mp.reformulations.bigm import BigM, BigMSource
    default = BigM(1e4, BigMSource.DEFAULT)
    twice = default.enlarged(10.0).enlarged(10.0)
    assert (twice.value, twice.source, twice.enlargements) == (1e6, BigMSource.DEFAULT, 2)
    assert twice.describe() == "default, enlarged 2 times" and not twice.proven
    assert BigM(3.0, BigMSource("interval (fbbt)")).proven
