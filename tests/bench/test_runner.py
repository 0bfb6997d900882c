"""The benchmark harness: isolation, time limits, SQLite records, reports, Dask path."""

from __future__ import annotations

import math
import os
import time

import numpy as np
import pytest

from bilevel_mp.bench import runner
from bilevel_mp.bench.records import Outcome, ResultsDB
from bilevel_mp.bench.report import compare_runs, failures, method_table, performance_profile
from bilevel_mp.bench.runner import LocalExecutor, is_solved, run_suite
from tests.checks.test_verify import contract_program


def fake_loader(suite: str, name: str):
    """Problems that behave in every way a benchmark must survive."""
    if name == "good":
        return contract_program(), 0.0  # F = x + y, y(x) = x, x >= 0: F* = 0 at 0
    if name == "wrong_record":
        return contract_program(), 5.0  # our F = 0 is better by more than 1e-2
    if name == "broken":
        raise RuntimeError("cannot build this one")
    if name == "hangs":
        time.sleep(3600)
    if name == "dies":
        os._exit(3)
    raise KeyError(name)


@pytest.fixture
def fake_suite(monkeypatch):
    monkeypatch.setattr(runner, "load_problem", fake_loader)


def test_every_failure_mode_is_recorded_and_the_sweep_goes_on(fake_suite, tmp_path):
    db = ResultsDB(tmp_path / "r.sqlite")
    seen = []
    run_id = run_suite(["good", "wrong_record", "broken", "hangs", "dies"], ["kkt-scholtes"],
                       db, time_limit=1.0, executor=LocalExecutor(2, grace=1.0),
                       progress=lambda done, total, o: seen.append((done, total)))
    rows = {o.problem: o for o in db.outcomes(run_id)}
    assert rows["good"].outcome == "ok" and rows["good"].solved
    assert rows["good"].verification == "CERTIFIED"
    assert rows["good"].upper_objective == pytest.approx(0.0, abs=1e-6)
    assert rows["wrong_record"].solved and rows["wrong_record"].improvement
    assert rows["broken"].outcome == "build_error"
    assert "cannot build this one" in rows["broken"].message
    assert rows["hangs"].outcome == "timeout"
    assert rows["dies"].outcome == "crash" and "exit code 3" in rows["dies"].message
    assert seen[-1] == (5, 5)
    run = db.runs()[0]
    assert run["run_id"] == run_id and run["wall_seconds"] > 0
    assert "casadi" in run["versions"]


def test_solved_rule():
    assert is_solved("CERTIFIED", 1.0, 1.005, 0, 0) == (True, False)
    assert is_solved("NO_BETTER_FOUND", -5.0, -4.0, 0, 0) == (True, True)
    assert is_solved("CERTIFIED", 1.2, 1.0, 0, 0) == (False, False)
    assert is_solved("SUBOPTIMAL", 1.0, 1.0, 0, 0) == (False, False)
    assert is_solved("CERTIFIED", 1.0, 1.0, 1e-3, 0) == (False, False)
    assert is_solved("CERTIFIED", 1.0, math.nan, 0, 0) == (True, False)
    # BOLIB's NetworkDesignP1: F = -7.1e10 reached only 5e-10 outside the bounds of x
    assert is_solved("CERTIFIED", -7.1e10, 300.5, 0, 0,
                     primal_status="NEAR_FEASIBLE_POINT") == (False, False)


def _o(problem, method, seconds, solved=True):
    return Outcome(problem, method, "ok", verification="CERTIFIED" if solved else "SUBOPTIMAL",
                   solved=solved, seconds=seconds, upper_objective=0.0, F_star=0.0, termination="X")


def test_performance_profile_by_hand():
    # p1: A 1 s, B 2 s; p2: A 4 s, B 1 s; p3: A unsolved, B 3 s
    outs = [_o("p1", "A", 1), _o("p1", "B", 2), _o("p2", "A", 4), _o("p2", "B", 1),
            _o("p3", "A", 5, solved=False), _o("p3", "B", 3)]
    prof = performance_profile(outs)
    tau_a, rho_a = prof["A"]
    tau_b, rho_b = prof["B"]
    # ratios A: p1 1, p2 4, p3 inf -> rho(1) = 1/3, rho(4) = 2/3
    np.testing.assert_allclose(tau_a, [1, 1, 4])
    np.testing.assert_allclose(rho_a, [1 / 3, 1 / 3, 2 / 3])
    # ratios B: p1 2, p2 1, p3 1 -> rho(1) = 2/3, rho(2) = 1
    np.testing.assert_allclose(tau_b, [1, 1, 1, 2])
    np.testing.assert_allclose(rho_b[-1], 1.0)
    assert rho_b[0] == pytest.approx(2 / 3)
    table = method_table(outs)
    assert "best of portfolio" in table and table.splitlines()[1].split()[:2] == ["A", "2"]
    assert failures(outs, "A") == ["p3: X/SUBOPTIMAL: "]


def test_compare_runs_reports_changes():
    a = [_o("p1", "A", 1), _o("p2", "A", 1, solved=False)]
    b = [_o("p1", "A", 1, solved=False), _o("p2", "A", 1)]
    text = compare_runs(a, b)
    assert "2 pair(s) changed; newly solved 1, no longer solved 1" in text


def test_dask_executor_on_a_local_cluster(fake_suite, tmp_path):
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(n_workers=1, processes=False, threads_per_worker=2,
                                  dashboard_address=None) as cluster:
        executor = runner.DaskExecutor(cluster.scheduler_address)
        db = ResultsDB(tmp_path / "d.sqlite")
        run_id = run_suite(["good", "broken"], ["kkt-scholtes", "kkt-fb"], db,
                           time_limit=30.0, executor=executor)
        executor.client.close()
    rows = {(o.problem, o.method): o for o in db.outcomes(run_id)}
    assert rows["good", "kkt-fb"].solved and rows["good", "kkt-scholtes"].solved
    assert rows["broken", "kkt-fb"].outcome == "build_error"
    assert db.runs()[0]["executor"] == "dask"


def test_method_labels_carry_options():
    from bilevel_mp.bench.runner import parse_method

    assert parse_method("kkt-scholtes") == ("kkt-scholtes", {})
    assert parse_method("llvf-sn@lambda_policy=fixed;lambdas=(10.0,);max_iter=50") == (
        "llvf-sn", {"lambda_policy": "fixed", "lambdas": (10.0,), "max_iter": 50})
    with pytest.raises(ValueError, match="key=value"):
        parse_method("llvf-sn@fixed")
