"""``load_solution``: a solution of the exported model mapped back and verified."""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo
import pytest

import bilevel_mp as bmp
from bilevel_mp.status import ProofKind, TerminationStatus, Verification
from tests.export.helpers import HIGHS_TIGHT, qp_lower_level
from tests.modeling.test_modeling import contract_model
from tests.reformulations.test_bigm import bard_lp


def _appsi_highs():
    solver = pyo.SolverFactory("appsi_highs")
    if not solver.available(exception_flag=False):
        pytest.skip("appsi_highs is not available")
    return solver


@pytest.mark.parametrize(("build", "value"), [(bard_lp, -18.0), (qp_lower_level, 7.4210526)])
def test_bigm_milp_solved_by_pyomo_is_proven_optimal_and_loaded(build, value):
    m = build()
    exported = bmp.reformulate(m, "kkt-bigm")
    results = _appsi_highs().solve(exported, options=HIGHS_TIGHT)
    res = bmp.load_solution(m, exported, results)
    assert res.termination is TerminationStatus.OPTIMAL
    assert res.verification is Verification.CERTIFIED
    assert res.is_proven_optimal
    assert res.proof.kind is ProofKind.GLOBAL_OPTIMUM and "exported MILP" in res.proof.prover
    assert res.upper_objective == pytest.approx(value, abs=1e-6)
    ours = bmp.solve(build(), "kkt-bigm")
    assert res.upper_objective == pytest.approx(ours.upper_objective, abs=1e-8)
    np.testing.assert_allclose(res.x_array, ours.x_array, atol=1e-8)
    assert pyo.value(m.x) == pytest.approx(float(res.x_array[0]))  # loaded into the model
    assert set(res.ll_multipliers) == set(exported.u.keys()) | set(
        exported.component("v").keys() if exported.component("v") is not None else [])


def test_relaxation_point_set_by_hand_is_verified_like_solve():
    ours = bmp.solve(contract_model(), "kkt-scholtes")
    exported = bmp.reformulate(contract_model(), "kkt-scholtes", t=1e-8)
    exported.x["x"].set_value(ours.x["x"])
    exported.y["L.y"].set_value(ours.y["L.y"])
    for row, u in ours.ll_multipliers.items():
        exported.u[row].set_value(u)
    exported.s["L.c"].set_value(2 * ours.x["x"] - ours.y["L.y"])
    exported.s["L.y >= 0"].set_value(ours.y["L.y"])
    m = contract_model()
    res = bmp.load_solution(m, exported)
    assert res.termination is TerminationStatus.LOCALLY_SOLVED
    assert "no solver results" in res.raw_status
    assert res.verification is Verification.CERTIFIED
    assert res.upper_objective == pytest.approx(ours.upper_objective, abs=1e-12)
    assert res.ll_multipliers == pytest.approx(ours.ll_multipliers)
    assert (pyo.value(m.x), pyo.value(m.L.y)) == pytest.approx((ours.x["x"], ours.y["L.y"]))


def test_relaxation_solved_by_a_pyomo_global_solver():
    solver = pyo.SolverFactory("scip_direct")
    if not solver.available(exception_flag=False):
        pytest.skip("scip_direct (PySCIPOpt) is not available")
    m = contract_model()
    exported = bmp.reformulate(m, "kkt-scholtes", t=1e-6)
    res = bmp.load_solution(m, exported, solver.solve(exported))
    # a relaxation's optimum is no proof for the bilevel program: LOCALLY_SOLVED at best
    assert res.termination is TerminationStatus.LOCALLY_SOLVED and res.proof is None
    assert res.verification is Verification.CERTIFIED
    assert res.upper_objective == pytest.approx(1.0, abs=1e-5)  # F* = 1 (README)


def test_value_function_relaxation_from_a_program():
    program, _ = bmp.compile_pyomo(contract_model())
    exported = bmp.reformulate(program, "llvf-cuts", cut_points=[[0.5]])
    exported.x["x"].set_value(0.5)
    exported.y["L.y"].set_value(0.5)
    res = bmp.load_solution(program, exported)
    assert res.verification is Verification.CERTIFIED
    assert res.upper_objective == pytest.approx(1.0)
    assert res.ll_multipliers == {}


def test_load_solution_errors():
    exported = bmp.reformulate(contract_model(), "kkt-scholtes")
    for var in exported.component_data_objects(pyo.Var):
        var.set_value(None)
    with pytest.raises(bmp.NoSolutionError, match="no value for x"):
        bmp.load_solution(contract_model(), exported)
    with pytest.raises(bmp.ModelError, match="built from another program"):
        bmp.load_solution(bard_lp(), exported)
    with pytest.raises(bmp.ModelError, match="returned by bilevel_mp.reformulate"):
        bmp.load_solution(contract_model(), pyo.ConcreteModel())


def test_bigm_in_solve_takes_a_pyomo_solver():
    _appsi_highs()
    for dual in ("cuts", "big-m"):
        ours = bmp.solve(bard_lp(), "kkt-bigm", options={"dual": dual})
        theirs = bmp.solve(bard_lp(), "kkt-bigm", solver="appsi_highs",
                           options={"dual": dual})
        assert theirs.termination is TerminationStatus.OPTIMAL and theirs.is_proven_optimal
        assert theirs.upper_objective == pytest.approx(ours.upper_objective, abs=1e-8)
        assert "appsi_highs" in theirs.raw_status
    classic = bmp.solve(qp_lower_level(), "kkt-bigm", solver="appsi_highs")
    assert "appsi_highs (Pyomo) MILP with proven Ms" in classic.proof.prover
    assert classic.upper_objective == pytest.approx(7.4210526, abs=1e-6)


def test_solver_names_are_checked():
    with pytest.raises(bmp.OptionError, match="unknown solver 'nosuch'"):
        bmp.solve(bard_lp(), "kkt-bigm", solver="nosuch")
    if not pyo.SolverFactory("gurobi").available(exception_flag=False):
        with pytest.raises(bmp.SolverUnavailable, match="'gurobi' is not available"):
            bmp.solve(bard_lp(), "kkt-bigm", solver="gurobi")
    # the NLP methods keep their own back-ends only
    with pytest.raises(bmp.OptionError, match="valid solvers: ipopt"):
        bmp.solve(contract_model(), "kkt-scholtes", solver="appsi_highs")


def _quadratic_upper_level() -> pyo.ConcreteModel:
    m = qp_lower_level()
    m.obj.deactivate()
    m.obj_quadratic = pyo.Objective(expr=(m.x - 1) ** 2 + (m.L.y[1] - 2) ** 2 - m.L.y[2])
    return m


def test_bigm_miqp_through_pyomo_solvers():
    _appsi_highs()
    # appsi's HiGHS interface takes no quadratic objective: a status, not a crash
    failed = bmp.solve(_quadratic_upper_level(), "kkt-bigm", solver="appsi_highs")
    assert failed.termination is TerminationStatus.OTHER_ERROR
    assert "degree" in failed.raw_status and not failed.has_point
    if not pyo.SolverFactory("scip_direct").available(exception_flag=False):
        pytest.skip("scip_direct (PySCIPOpt) is not available")
    ours = bmp.solve(_quadratic_upper_level(), "kkt-bigm")
    theirs = bmp.solve(_quadratic_upper_level(), "kkt-bigm", solver="scip_direct")
    assert theirs.termination is TerminationStatus.OPTIMAL
    assert "scip_direct (Pyomo) MIQP" in theirs.proof.prover
    # SCIP's default tolerances through Pyomo (1e-6) against ours
    assert theirs.upper_objective == pytest.approx(ours.upper_objective, abs=1e-5)
