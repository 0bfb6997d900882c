"""``auto`` races its global head in a second process: the same answers as in one process,
the head's proof stops the rest, its progress reaches the caller, and a failing or
overdue worker is reported, not hung on."""

from __future__ import annotations

import multiprocessing as mp
import time
import warnings

import pytest

import bilevel_mp as bmp
from bilevel_mp import progress
from bilevel_mp.bench.runner import load_problem
from bilevel_mp.methods import parallel
from bilevel_mp.solvers.base import Deadline

pytestmark = pytest.mark.skipif(not parallel.available(), reason="needs fork and two cores")


def _solve(name: str, processes: int, **kwargs) -> bmp.BilevelResult:
    program, _ = load_problem("bolib", name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", bmp.BilevelWarning)
        return bmp.solve(program, "auto", options={"processes": processes}, **kwargs)


def test_a_raced_portfolio_finds_what_one_process_finds():
    # MitsosBarton2006Ex317 (F* = 0.1875): llvf-cuts certifies F* without a proof, so
    # every local method runs too, next to it
    events = []
    raced = _solve("MitsosBarton2006Ex317", 2, time_limit=6, progress=events.append)
    alone = _solve("MitsosBarton2006Ex317", 1, time_limit=6)
    assert raced.verification is bmp.Verification.CERTIFIED
    assert raced.upper_objective == pytest.approx(0.1875, abs=1e-6)
    assert raced.upper_objective == pytest.approx(alone.upper_objective, abs=1e-6)
    tried = [t["method"] for t in raced.stats["auto_tried"]]
    one_by_one = [t["method"] for t in alone.stats["auto_tried"]]
    assert tried[:len(one_by_one)] == one_by_one  # in the same budget, the race does more
    assert tried[0] == "llvf-cuts" and "kkt-scholtes" in tried
    assert {"llvf-cuts", "kkt-scholtes"} <= {e.method for e in events}  # relayed
    assert raced.program is not None  # the result can still be differentiated


def test_a_proof_of_the_head_makes_the_rest_needless():
    # llvf-cuts proves F* = -1 within a second; the local lane, started at the same
    # instant, stops at its next method and the proven answer is the one reported
    res = _solve("MitsosBarton2006Ex33", 2)
    assert res.is_proven_optimal and res.upper_objective == pytest.approx(-1.0, abs=1e-6)
    assert res.method == "auto -> llvf-cuts"
    tried = [t["method"] for t in res.stats["auto_tried"]]
    assert tried[0] == "llvf-cuts" and len(tried) < 6, tried  # 9 local methods wait


def _fails():
    raise ValueError("broken on purpose")


def _sleeps():
    time.sleep(60)


def test_a_failing_worker_raises_with_its_traceback():
    lane = parallel.Lane(_fails, Deadline.after(5))
    try:
        with pytest.raises(parallel.LaneError, match="broken on purpose"):
            lane.result()
    finally:
        lane.stop()


def test_an_overdue_worker_is_killed(monkeypatch):
    monkeypatch.setattr(parallel, "GRACE_SECONDS", 0.5)
    lane = parallel.Lane(_sleeps, Deadline.after(0.5))
    started = time.perf_counter()
    assert lane.result() is None
    assert time.perf_counter() - started < 5.0
    lane.stop()


def _report_availability(conn) -> None:
    conn.send(parallel.available())


def test_no_second_lane_inside_a_daemonic_worker():
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_report_availability, args=(child,), daemon=True)
    proc.start()
    assert parent.recv() is False
    proc.join()


def _waits_for_its_deadline(deadline: Deadline) -> str:
    while not deadline.expired():
        time.sleep(0.01)
    return "wrapped up"


def test_wrap_up_ends_every_deadline_of_the_worker():
    deadline = Deadline.after(60)
    lane = parallel.Lane(lambda: _waits_for_its_deadline(deadline), deadline)
    lane.poll(timeout=0.2)
    started = time.perf_counter()
    lane.wrap_up()
    assert lane.result(within=5) == "wrapped up"
    assert time.perf_counter() - started < 5
    lane.stop()


def test_wrap_up_interrupts_a_running_milp_and_keeps_its_incumbent():
    # kkt-bigm on TollSettingP1 runs its MILPs for over 20 s; asked after 3 s, HiGHS's
    # interrupt callback stops the branch and bound and the method returns a point
    program, _ = load_problem("bolib", "TollSettingP1")
    deadline = Deadline.after(120)
    lane = parallel.Lane(lambda: bmp.solve(program, "kkt-bigm", time_limit=120), deadline)
    lane.poll(timeout=3.0)
    started = time.perf_counter()
    lane.wrap_up()
    res = lane.result(within=30)
    lane.stop()
    assert time.perf_counter() - started < 10
    assert res is not None and res.has_point and res.verification is bmp.Verification.CERTIFIED


def test_patience_asks_a_slow_head_to_wrap_up_once_a_certified_answer_is_at_hand():
    res = _solve("TollSettingP1", 2)  # defaults: the head would otherwise run 150 s
    assert res.verification is bmp.Verification.CERTIFIED
    assert res.upper_objective == pytest.approx(-7.0, abs=1e-5)  # BOLIB's F*
    assert "to wrap up" in res.message and "patience" in res.message
    assert sum(t["seconds"] for t in res.stats["auto_tried"][:1]) < 60


def _reports_often() -> str:
    for i in range(5000):
        progress.iteration("test loop", i, residual=1.0 / (i + 1))
    return "reported"


def test_a_worker_never_waits_on_a_caller_busy_elsewhere():
    # 5000 events are far more than a pipe buffers: the lane's reader thread empties the
    # pipe, so the worker finishes while the caller does not poll, and every event is
    # emitted by the caller when it does
    events = []
    with progress.reporting(events.append, False):
        lane = parallel.Lane(_reports_often, Deadline.after(30))
        lane._proc.join(timeout=10)
        assert not lane._proc.is_alive()
        assert lane.result(within=5) == "reported"
    lane.stop()
    assert len(events) == 5000 and events[-1].index == 4999
