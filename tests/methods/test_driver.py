"""The one driver of the methods' staged loops (:mod:`bilevel_mp.methods.driver`)."""

from __future__ import annotations

import math

import pytest

import bilevel_mp as bmp
from bilevel_mp import progress
from bilevel_mp.candidates import Candidate
from bilevel_mp.methods.driver import Stage, geometric, run_stages
from bilevel_mp.solvers.base import Deadline
from bilevel_mp.status import PrimalStatus, Verification


def _ranked(value: float, verification: Verification) -> Candidate:
    return Candidate(PrimalStatus.FEASIBLE_POINT, verification, value)


def test_the_best_ranked_point_is_kept_not_the_newest():
    ranks = [_ranked(3.0, Verification.CERTIFIED), _ranked(2.0, Verification.CERTIFIED),
             _ranked(1.0, Verification.SUBOPTIMAL)]
    run = run_stages("lambda", "lambda", [1.0, 10.0, 100.0],
                     lambda i, value: Stage("ok", iterations=i + 1, solve_time=0.5,
                                            point=value, candidate=ranks[i]), Deadline())
    # certified before suboptimal whatever F, then the smaller F
    assert run.kept == 10.0 and run.kept_candidate is ranks[1]
    assert run.iterations == 6 and run.solve_time == pytest.approx(1.5)
    assert [s["param"] for s in run.stages] == [1.0, 10.0, 100.0]


def test_without_ranks_the_newest_point_is_kept_and_a_stage_without_one_keeps_it():
    points = ["a", None, "c", None]
    run = run_stages("stage", "t", geometric(1.0, 0.1, 4),
                     lambda i, value: Stage("s", point=points[i]), Deadline())
    assert run.kept == "c"
    assert [s["param"] for s in run.stages] == pytest.approx([1.0, 0.1, 0.01, 0.001])


def test_a_stage_that_is_done_ends_the_loop_and_its_log_keeps_its_own_entries():
    run = run_stages("stage", "t", [1.0, 0.1, 0.01],
                     lambda i, value: Stage("s", residual=value, F=-value, point=i,
                                            done=value < 0.5, log={"kept": f"stage {i}"}),
                     Deadline())
    assert run.kept == 1 and len(run.stages) == 2 and not run.timed_out
    assert run.stages[1] == {"param": 0.1, "status": "s", "iterations": 0,
                             "residual": 0.1, "F": -0.1, "kept": "stage 1"}


def test_the_deadline_is_checked_before_each_stage():
    deadline = Deadline.after(3600.0)

    def stage(i: int, value: float) -> Stage:
        if i == 1:
            deadline.at = -math.inf  # the clock runs out during the second stage
        return Stage("s", point=i)

    run = run_stages("stage", "t", [1.0, 0.1, 0.01], stage, deadline)
    assert run.timed_out and run.kept == 1 and len(run.stages) == 2


def test_every_stage_is_reported_to_progress():
    seen = []
    with progress.reporting(seen.append, tee=False):
        run_stages("lambda", "lambda", [1.0, 10.0],
                   lambda i, value: Stage("ok", residual=1 / value, F=value), Deadline())
    assert [(e.loop, e.index, e.value, e.residual, e.incumbent) for e in seen] == [
        ("lambda", 0, 1.0, 1.0, 1.0), ("lambda", 1, 10.0, 0.1, 10.0)]


@pytest.mark.parametrize(("method", "options", "parameter"), [
    ("kkt-scholtes", None, "t"),
    ("kkt-penalty", None, "lambda"),
    ("llvf-sn", {"lambda_policy": "restarts", "lambdas": (1.0, 100.0)}, "lambda"),
    ("implicit", {"tikhonov": 1e-2, "tikhonov_min": 1e-3}, "alpha"),
    ("llvf-cuts", None, ""),
    ("kkt-bigm", None, ""),
])
def test_every_looping_method_reports_its_stages_in_one_shape(method, options, parameter):
    res = bmp.solve(_contract_model(), method=method, options=options)
    assert res.verification is Verification.CERTIFIED
    assert {"time", "iterations", "stages", "parameter", "chain"} <= set(res.stats)
    assert res.stats["parameter"] == parameter and res.stats["stages"]
    for stage in res.stats["stages"]:
        assert {"param", "status", "iterations", "residual", "F"} <= set(stage)
    assert res.stats["iterations"] == sum(s["iterations"] for s in res.stats["stages"])
    if options and "lambdas" in options:
        assert [s["param"] for s in res.stats["stages"]] == list(options["lambdas"])


def _contract_model():
    import pyomo.environ as pyo

    m = pyo.ConcreteModel()
    m.x = pyo.Var(bounds=(0, 10), initialize=1.0)
    m.L = bmp.LowerLevel()
    m.L.y = pyo.Var(bounds=(0, None))
    m.L.obj = pyo.Objective(expr=(m.L.y - m.x) ** 2)
    m.L.c = pyo.Constraint(expr=m.L.y <= 2 * m.x)
    m.obj = pyo.Objective(expr=(m.x - 2) ** 2 + (m.L.y - 1) ** 2)
    return m


def test_a_geometric_schedule_moves_its_parameter_as_the_stages_did():
    # each value is the previous one times the factor: 0.1**4 rounds differently, and an
    # ill-conditioned homotopy (BOLIB's CalamaiVicente1994c with kkt-kanzow-schwartz)
    # followed another path from a t that differed in the last bit
    t = geometric(1.0, 0.1, 5)
    assert t[-1] == 1.0 * 0.1 * 0.1 * 0.1 * 0.1 and t[-1] != 0.1 ** 4
