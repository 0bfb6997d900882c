"""Feedback on long work: one event per step of every loop, ``tee``, the ``bilevel_mp``
logger, progress callbacks and bars, and clean errors for bad arguments."""

from __future__ import annotations

import logging
import math
import sys

import pytest

import bilevel_mp as bmp
from bilevel_mp.bench.runner import load_problem
from bilevel_mp.progress import IterationEvent, MethodEvent
from tests.checks.test_verify import contract_program
from tests.modeling.test_modeling import contract_model


def _events(method: str, model=None, **kwargs):
    seen = []
    res = bmp.solve(contract_model() if model is None else model, method=method,
                    progress=seen.append, **kwargs)
    return res, seen


def test_one_event_per_homotopy_stage_with_the_recorded_numbers():
    res, seen = _events("kkt-scholtes")
    stages = res.stats["stages"]
    assert len(seen) == len(stages) >= 3
    for k, (event, stage) in enumerate(zip(seen, stages, strict=True)):
        assert isinstance(event, IterationEvent)
        assert (event.method, event.loop, event.index, event.parameter) == (
            "kkt-scholtes", "stage", k, "t")
        assert event.value == pytest.approx(0.1 ** k)  # start 1, factor 0.1
        assert event.residual == stage["residual"] and event.incumbent == stage["F"]
        assert math.isnan(event.bound) and event.status == stage["status"]
    # the residual falls with t and F is the upper-level value of the stage (1 here)
    assert seen[-1].residual < seen[0].residual
    assert seen[-1].incumbent == pytest.approx(1.0, abs=1e-6)


def test_every_loop_reports_its_steps():
    program = contract_program()
    res, seen = _events("llvf-sn", program)
    assert [e.value for e in seen] == [e["param"] for e in res.stats["stages"]]
    assert {e.loop for e in seen} == {"lambda"} and seen[0].parameter == "lambda"
    res, seen = _events("implicit", program, options={"tikhonov": 1e-2, "tikhonov_min": 1e-4})
    assert [e.value for e in seen] == pytest.approx([1e-2, 1e-3, 1e-4])
    assert [e.incumbent for e in seen] == [s["F"] for s in res.stats["stages"]]
    res, seen = _events("llvf-cuts")
    assert len(seen) == len(res.stats["stages"]) and seen[0].loop == "cut round"
    res, seen = _events("kkt-bigm")  # a convex QP lower level: the Big-M MILP
    assert [e.loop for e in seen] == ["enlargement"] * len(res.stats["stages"])
    assert seen[-1].incumbent == pytest.approx(1.0) and seen[-1].bound == pytest.approx(1.0)


def test_direction_cut_rounds_report_incumbent_and_bound():
    # an LP lower level with proven primal Ms takes the direction-cut loop:
    # LL min y s.t. y >= 1 - x, 0 <= y <= 10; UL min x + 2y over x in [0, 10] -> F* = 1
    program = bmp.BilevelProgram.from_functions(
        1, 1, F=lambda x, y: x[0] + 2 * y[0], f=lambda x, y: y[0],
        g=lambda x, y: [1 - x[0] - y[0]], y_bounds=([0.0], [10.0]), x_bounds=([0], [10]))
    res, seen = _events("kkt-bigm", program)
    assert res.stats["chain"].startswith("kkt -> bigm (direction cuts")
    assert len(seen) == len(res.stats["stages"]) >= 1
    assert {e.loop for e in seen} == {"cut round"}
    assert seen[-1].bound == pytest.approx(1.0, abs=1e-7)


def test_cut_rounds_report_the_best_verified_point_not_the_relaxation_point():
    # MitsosBarton2006Ex317, F* = 0.1875: the first relaxation points lie below F* (their
    # y is not lower-level optimal); the incumbent is the best verified point so far
    program, F_star = load_problem("bolib", "MitsosBarton2006Ex317")
    res, seen = _events("llvf-cuts", program, time_limit=8)
    relaxation = [stage["F"] for stage in res.stats["stages"]]
    assert min(relaxation) < F_star - 0.1
    incumbents = [e.incumbent for e in seen if not math.isnan(e.incumbent)]
    assert incumbents and min(incumbents) >= F_star - 1e-6
    assert incumbents == sorted(incumbents, reverse=True)  # the best so far only improves
    assert incumbents[-1] == pytest.approx(res.upper_objective)


def test_tee_streams_one_line_per_stage_and_nothing_without_it(capsys):
    res = bmp.solve(contract_model(), method="kkt-scholtes")
    assert capsys.readouterr().out == ""  # library code prints nothing by itself
    res = bmp.solve(contract_model(), method="kkt-scholtes", tee=True)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(res.stats["stages"])
    assert lines[0].startswith("kkt-scholtes  stage 0  t=1  residual=")
    assert "t=0.01" in lines[2] and "incumbent=1" in lines[-1]


def test_records_go_to_the_bilevel_mp_logger(caplog):
    with caplog.at_level(logging.INFO, logger="bilevel_mp"):
        res = bmp.solve(contract_model(), method="kkt-scholtes")
    records = [r for r in caplog.records if r.name == "bilevel_mp"]
    assert len(records) == len(res.stats["stages"])
    assert all(isinstance(r.event, IterationEvent) for r in records)
    assert any(isinstance(h, logging.NullHandler)
               for h in logging.getLogger("bilevel_mp").handlers)


def test_compare_reports_methods_and_their_steps():
    seen = []
    results = bmp.compare(contract_model(), ["kkt-bigm", "kkt-fb"], progress=seen.append)
    methods = [e for e in seen if isinstance(e, MethodEvent)]
    assert [(e.method, e.index, e.total, e.result is None) for e in methods] == [
        ("kkt-bigm", 1, 2, True), ("kkt-bigm", 1, 2, False),
        ("kkt-fb", 2, 2, True), ("kkt-fb", 2, 2, False)]
    assert methods[1].result is results["kkt-bigm"]
    assert methods[3].seconds == results.seconds["kkt-fb"]
    steps = [e for e in seen if isinstance(e, IterationEvent)]
    assert {e.method for e in steps} == {"kkt-bigm", "kkt-fb"}


def test_progress_bar_without_rich_writes_plain_lines(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "rich.progress", None)  # import -> ImportError
    bmp.compare(contract_model(), ["kkt-bigm", "kkt-fb"], progress=True)
    err = capsys.readouterr().err.splitlines()
    assert err[0] == "[1/2] kkt-bigm started"
    assert err[1].startswith("[1/2] kkt-bigm OPTIMAL CERTIFIED F=1 (")
    assert err[3].startswith("[2/2] kkt-fb LOCALLY_SOLVED CERTIFIED F=1")
    assert len(err) == 4  # the methods' stages are not written


def test_progress_bar_with_rich(capsys):
    results = bmp.compare(contract_model(), ["kkt-bigm"], progress=True)
    assert results["kkt-bigm"].termination is bmp.TerminationStatus.OPTIMAL
    assert "kkt-bigm OPTIMAL" in capsys.readouterr().err


def test_an_exception_in_the_callback_stops_the_solve():
    def stop(event):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        bmp.solve(contract_model(), method="kkt-scholtes", progress=stop)


@pytest.mark.parametrize("call, name", [
    (lambda: bmp.solve(contract_model(), tee="yes"), "tee"),
    (lambda: bmp.solve(contract_model(), tee=1), "tee"),
    (lambda: bmp.solve(contract_model(), progress="bar"), "progress"),
    (lambda: bmp.solve(contract_model(), progress=True), "progress"),
    (lambda: bmp.compare(contract_model(), ["kkt-fb"], tee=None), "tee"),
    (lambda: bmp.compare(contract_model(), ["kkt-fb"], progress=3), "progress"),
])
def test_bad_tee_or_progress_is_an_option_error_naming_it(call, name):
    with pytest.raises(bmp.OptionError, match=rf"^{name} must be"):
        call()
