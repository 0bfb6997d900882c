"""The result model (issue 15, class 5): termination set once, primal status, proof.

Three axes as in MathOptInterface — why the method stopped, what the point is, what the
lower-level check says — and the proof as its own field; one ranking of answers.
"""

from __future__ import annotations

import importlib.util
import math
import warnings

import highspy
import numpy as np
import pyomo.environ as pyo
import pytest

import bilevel_mp as bmp
import bolib_problems
from bilevel_mp.candidates import Candidate, best_index, primal_status
from bilevel_mp.methods import registry
from bilevel_mp.methods.homotopy import MethodOutcome
from bilevel_mp.reformulations.base import BilevelSolution
from bilevel_mp.solvers.highs import HIGHS_STATUS
from bilevel_mp.solvers.ipopt import IPOPT_STATUS, IpoptSolver, ipopt_termination
from bilevel_mp.solvers.ipopt_cyipopt import CYIPOPT_STATUS_NAMES
from bilevel_mp.solvers.newton_driver import NEWTON_STATUS, StoppingReason
from bilevel_mp.solvers.scip import SCIP_STATUS, scip_termination
from bilevel_mp.status import ProofKind
from tests.modeling.test_modeling import contract_model
from tests.solvers.test_backends import _rosenbrock

HAS_SCIP = importlib.util.find_spec("pyscipopt") is not None
T = bmp.TerminationStatus
P = bmp.PrimalStatus
V = bmp.Verification


def unbounded_lp_lp() -> pyo.ConcreteModel:
    """``min -x + y``, ``x >= 0``; LL ``min y`` over ``0 <= y <= 1``: y(x) = 0, F -> -inf."""
    m = pyo.ConcreteModel()
    m.x = pyo.Var(bounds=(0, None))
    m.L = bmp.LowerLevel()
    m.L.y = pyo.Var(bounds=(0, 1))
    m.L.obj = pyo.Objective(expr=m.L.y)
    m.obj = pyo.Objective(expr=-m.x + m.L.y)
    return m


# -- unbounded / infeasible-or-unbounded ------------------------------------------------

@pytest.mark.parametrize(("method", "options"), [("kkt-bigm", None), ("auto", None),
                                                  ("auto", {"processes": 1})])
def test_unbounded_lp_lp_is_proven_unbounded_not_infeasible(method, options):
    res = bmp.solve(unbounded_lp_lp(), method=method, options=options)
    assert res.termination is T.UNBOUNDED
    assert res.proof is not None and res.proof.kind is ProofKind.UNBOUNDED
    assert "kkt-bigm" in res.proof.prover
    assert not res.is_proven_optimal
    if method == "auto":
        tried = [t["method"] for t in res.stats["auto_tried"]]
        assert tried[0] == "kkt-bigm"
        if options:  # in one process the proof stops the portfolio: nothing else ran
            assert tried == ["kkt-bigm"]
        # raced, the local lane's certified finite points do not outrank the proof


def test_big_m_milp_infeasible_or_unbounded_is_mapped_and_proven():
    # with dual Ms the exact MILP goes to HiGHS, whose presolve answers
    # kUnboundedOrInfeasible; every M is proven, so that is a proof (of that, not more)
    res = bmp.solve(unbounded_lp_lp(), method="kkt-bigm", options={"dual": "big-m"})
    assert res.raw_status == "Primal infeasible or unbounded"
    assert res.termination is T.INFEASIBLE_OR_UNBOUNDED
    assert res.proof.kind is ProofKind.INFEASIBLE_OR_UNBOUNDED
    assert res.primal_status is P.NO_SOLUTION


def test_highs_unbounded_or_infeasible_maps_to_infeasible_or_unbounded():
    assert HIGHS_STATUS[highspy.HighsModelStatus.kUnboundedOrInfeasible] is (
        T.INFEASIBLE_OR_UNBOUNDED)


@pytest.mark.skipif(not HAS_SCIP, reason="needs SCIP")
def test_scip_inforunbd_is_infeasible_or_unbounded_with_scip_as_prover():
    assert scip_termination("inforunbd") is T.INFEASIBLE_OR_UNBOUNDED
    res = bmp.solve(unbounded_lp_lp(), method="kkt-sos1")
    assert res.termination is T.INFEASIBLE_OR_UNBOUNDED
    assert res.proof.kind is ProofKind.INFEASIBLE_OR_UNBOUNDED
    assert res.proof.prover == "kkt-sos1: SCIP"


def test_scip_error_is_a_numerical_error():
    assert scip_termination("error: SCIP: error in LP solver") is T.NUMERICAL_ERROR


def test_a_note_after_a_scip_status_keeps_its_meaning():
    assert scip_termination("timelimit (no finite lower bound after 0.5 s)") is T.TIME_LIMIT
    assert scip_termination("optimal (a note)") is T.OPTIMAL


# -- IPOPT acceptable level ---------------------------------------------------------------

def test_ipopt_acceptable_level_is_almost_locally_solved():
    options = {"tol": 1e-30, "acceptable_iter": 1}  # tol unreachable: stops at acceptable
    res = IpoptSolver(_rosenbrock(), options).solve(np.zeros(0), np.full(50, -1.2))
    assert res.raw_status == "Solved_To_Acceptable_Level"
    assert res.status is T.ALMOST_LOCALLY_SOLVED


def test_diverging_iterates_are_a_norm_limit_not_unboundedness():
    """TollSettingP4 has F* = -4; Kadrani's first IPOPT stage diverges there. That was
    reported UNBOUNDED, a claim about the program that a local solver cannot make."""
    assert ipopt_termination("Diverging_Iterates", False) is T.NORM_LIMIT
    res = bmp.solve(bolib_problems.load("TollSettingP4").program(), "kkt-kadrani")
    assert res.raw_status == "Diverging_Iterates"
    assert res.termination is T.NORM_LIMIT and res.proof is None


def test_acceptable_level_reaches_the_result_and_keeps_the_point():
    res = bmp.solve(contract_model(), method="kkt-product",
                    options={"ipopt_options": {"tol": 1e-30, "acceptable_iter": 1}})
    assert res.raw_status == "Solved_To_Acceptable_Level"
    assert res.termination is T.ALMOST_LOCALLY_SOLVED
    assert res.primal_status is P.FEASIBLE_POINT
    assert res.upper_objective == pytest.approx(1.0, abs=1e-5)


def test_user_requested_stop_is_a_time_limit_only_at_our_deadline():
    assert ipopt_termination("User_Requested_Stop", deadline_passed=True) is T.TIME_LIMIT
    assert ipopt_termination("User_Requested_Stop", deadline_passed=False) is T.OTHER_ERROR


# -- termination is never rewritten; the proof is dropped instead ------------------------

def _fake_method(monkeypatch, outcome: MethodOutcome) -> None:
    spec = registry.MethodSpec(name="fake", description="returns a fixed outcome",
                               options=bmp.KKTOptions, run=lambda *args: outcome)
    monkeypatch.setitem(registry.METHODS, "fake", spec)


def test_optimal_claim_the_check_contradicts_keeps_termination_but_loses_the_proof(
        monkeypatch):
    # contract model: y(x) = x; (x, y) = (0.5, 1.0) is UL and LL feasible but not LL optimal
    claim = bmp.Proof(ProofKind.GLOBAL_OPTIMUM, "fake: wishful thinking", 1.5)
    _fake_method(monkeypatch, MethodOutcome(
        T.OPTIMAL, "claimed", BilevelSolution(x=np.array([0.5]), y=np.array([1.0])), {},
        proof=claim))
    res = bmp.solve(contract_model(), method="fake")
    assert res.termination is T.OPTIMAL  # as the method said
    assert res.verification is V.SUBOPTIMAL
    assert res.primal_status is P.FEASIBLE_POINT
    assert res.proof is None
    assert not res.is_proven_optimal
    assert "proof dropped: fake: wishful thinking claimed global optimality" in res.message


def test_optimal_claim_the_check_certifies_is_proven_optimal(monkeypatch):
    claim = bmp.Proof(ProofKind.GLOBAL_OPTIMUM, "fake: by hand", 1.0)
    _fake_method(monkeypatch, MethodOutcome(
        T.OPTIMAL, "claimed", BilevelSolution(x=np.array([0.5]), y=np.array([0.5])), {},
        proof=claim))
    res = bmp.solve(contract_model(), method="fake")
    assert res.verification is V.CERTIFIED
    assert res.proof == claim
    assert res.is_proven_optimal
    assert "primal        FEASIBLE_POINT" in res.summary()
    assert "proof         GLOBAL_OPTIMUM 1 (by fake: by hand)" in res.summary()


def test_upper_level_infeasible_point_is_infeasible_point_not_a_new_termination(
        monkeypatch):
    # x + y >= 1 is violated by 0.6 at x = y = 0.2 (which is LL optimal: y(x) = x)
    _fake_method(monkeypatch, MethodOutcome(
        T.LOCALLY_SOLVED, "Solve_Succeeded",
        BilevelSolution(x=np.array([0.2]), y=np.array([0.2])), {}))
    res = bmp.solve(contract_model(), method="fake")
    assert res.termination is T.LOCALLY_SOLVED
    assert res.ul_violation == pytest.approx(0.6)
    assert res.primal_status is P.INFEASIBLE_POINT
    assert res.verification is V.CERTIFIED


def test_near_feasible_point():
    assert primal_status(50.0) is P.NEAR_FEASIBLE_POINT
    assert primal_status(1.0) is P.FEASIBLE_POINT
    assert primal_status(101.0) is P.INFEASIBLE_POINT
    assert primal_status(math.nan) is P.INFEASIBLE_POINT


def test_a_real_method_on_an_infeasible_problem_keeps_its_own_termination():
    m = contract_model()
    m.x.setub(0.2)  # y = x <= 0.2 and x + y >= 1 cannot both hold
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = bmp.solve(m, method="llvf-lm")
    # LM stops at a least-squares point (LOCALLY_SOLVED, its own rule); the point is what
    # is infeasible, and no termination says otherwise
    assert res.termination is T.LOCALLY_SOLVED
    assert res.primal_status is P.INFEASIBLE_POINT


# -- one ranking ---------------------------------------------------------------------------

def _point(primal, verification, value, proof=None):
    return Candidate(primal, verification, value, proof)


@pytest.mark.parametrize("kind", [ProofKind.UNBOUNDED, ProofKind.INFEASIBLE_OR_UNBOUNDED])
def test_ranking_a_proof_of_unboundedness_beats_a_certified_finite_point(kind):
    # a feasible point with a finite F does not contradict F unbounded below (next to it,
    # "infeasible or unbounded" means unbounded); reporting the point would suggest an
    # optimum that does not exist. auto's race met this: the local lane's certified point
    # outranked kkt-bigm's proof, which one process (stopping at the proof) reports
    cands = [_point(P.FEASIBLE_POINT, V.CERTIFIED, 3.0),
             _point(P.NO_SOLUTION, V.NOT_CHECKED, math.inf, bmp.Proof(kind, "x"))]
    assert best_index(cands) == 1


def test_ranking_certified_finite_point_beats_a_proof_of_infeasibility():
    # a certified feasible point is evidence against a proof that none exists
    infeasible = bmp.Proof(ProofKind.INFEASIBLE, "x")
    cands = [_point(P.NO_SOLUTION, V.NOT_CHECKED, math.inf, infeasible),
             _point(P.FEASIBLE_POINT, V.CERTIFIED, 3.0)]
    assert best_index(cands) == 1


def test_ranking_proof_of_no_optimum_beats_unproven_answers():
    unbounded = bmp.Proof(ProofKind.UNBOUNDED, "x")
    cands = [_point(P.FEASIBLE_POINT, V.NO_BETTER_FOUND, -1e9),
             _point(P.INFEASIBLE_POINT, V.CERTIFIED, -1e12),
             _point(P.NO_SOLUTION, V.NOT_CHECKED, math.inf, unbounded)]
    assert best_index(cands) == 2


def test_ranking_a_lower_bound_or_termination_alone_proves_nothing():
    bound = bmp.Proof(ProofKind.LOWER_BOUND, "x", -5.0)
    cands = [_point(P.NO_SOLUTION, V.NOT_CHECKED, math.inf, bound),
             _point(P.INFEASIBLE_POINT, V.SUBOPTIMAL, 7.0)]
    assert best_index(cands) == 1


def test_ranking_feasible_then_verified_then_smaller_value():
    cands = [_point(P.INFEASIBLE_POINT, V.CERTIFIED, -10.0),
             _point(P.NEAR_FEASIBLE_POINT, V.CERTIFIED, -5.0),
             _point(P.FEASIBLE_POINT, V.SUBOPTIMAL, -3.0),
             _point(P.FEASIBLE_POINT, V.NO_BETTER_FOUND, 2.0),
             _point(P.FEASIBLE_POINT, V.NO_BETTER_FOUND, 1.0)]
    order = sorted(range(len(cands)), key=lambda i: cands[i].key)
    assert order == [4, 3, 2, 1, 0]


def test_auto_ranks_proven_infeasibility_by_its_proof():
    m = contract_model()
    m.x.setub(0.2)
    res = bmp.solve(m, method="auto")
    assert res.termination is T.INFEASIBLE
    assert res.proof.kind is ProofKind.INFEASIBLE
    assert res.primal_status is P.NO_SOLUTION


# -- every raw status of every back-end has an entry -------------------------------------

def test_highs_table_covers_every_model_status():
    missing = [name for name, member in highspy.HighsModelStatus.__members__.items()
               if member not in HIGHS_STATUS]
    assert missing == []


@pytest.mark.skipif(not HAS_SCIP, reason="needs PySCIPOpt")
def test_scip_table_covers_every_status():
    import pyscipopt

    names = [a.lower() for a in dir(pyscipopt.SCIP_STATUS) if a.isupper()]
    assert names
    assert [n for n in names if n not in SCIP_STATUS] == []


def test_ipopt_table_covers_every_application_return_status():
    assert [n for n in CYIPOPT_STATUS_NAMES.values() if n not in IPOPT_STATUS] == []
    assert T.OPTIMAL not in IPOPT_STATUS.values()


def test_newton_table_covers_every_stopping_reason():
    assert set(NEWTON_STATUS) == set(StoppingReason)
