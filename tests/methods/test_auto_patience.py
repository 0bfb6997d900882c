"""``auto``'s patience: once a method returns a verified answer after t seconds, the rest
of the portfolio gets ``max(patience, t)`` seconds; the method running then is stopped at
that instant and the methods after it are not run (``api._try_methods`` with stand-in
methods that only wait, so the test sees the deadlines each is given)."""

from __future__ import annotations

import time
from types import SimpleNamespace

import pytest

from bilevel_mp import api
from bilevel_mp.methods import auto
from bilevel_mp.result import BilevelResult
from bilevel_mp.solvers.base import Deadline
from bilevel_mp.status import PrimalStatus, TerminationStatus, Verification

CERTIFIED, SUBOPTIMAL = Verification.CERTIFIED, Verification.SUBOPTIMAL
NO_BETTER_FOUND = Verification.NO_BETTER_FOUND


def _stand_ins(monkeypatch, plan: dict[str, tuple[float, Verification]]) -> list:
    """Replace the methods by ones that wait ``seconds`` (or to their deadline) and answer
    ``verdict``; returns the ``(name, seconds given)`` of each call."""
    given = []

    def run(problem, name, options, deadline, solver):
        seconds, verdict = plan[name]
        given.append((name, deadline.remaining()))
        end = time.perf_counter() + seconds
        while time.perf_counter() < end and not deadline.expired():
            time.sleep(0.005)
        return BilevelResult(termination=TerminationStatus.LOCALLY_SOLVED,
                             primal_status=PrimalStatus.FEASIBLE_POINT, upper_objective=1.0,
                             verification=verdict, method=name)

    monkeypatch.setattr(api, "_run", run)
    return given


NONCONVEX = SimpleNamespace(structure=SimpleNamespace(ll_convex=False))


def _try(names, patience, limit=60.0):
    return api._try_methods(NONCONVEX, names, dict.fromkeys(names), Deadline.after(limit),
                            solver=None, patience=patience)


@pytest.mark.parametrize("verdict", [CERTIFIED, NO_BETTER_FOUND])
def test_after_a_verified_answer_the_rest_gets_only_the_patience(monkeypatch, verdict):
    given = _stand_ins(monkeypatch, {"a": (0.05, verdict), "b": (30.0, SUBOPTIMAL),
                                     "c": (0.05, CERTIFIED)})
    started = time.perf_counter()
    tried = _try(("a", "b", "c"), patience=0.5)
    assert [name for name, _ in given] == ["a", "b"]  # c never starts
    assert given[1][1] <= 0.5  # b is stopped when the patience is spent, not at 30 s
    assert time.perf_counter() - started < 5.0
    assert [r.method for r in tried.results] == ["a", "b"]  # b's point is kept
    assert any("did not run c" in note and "patience" in note for note in tried.notes)


def test_a_late_first_answer_gets_as_long_again(monkeypatch):
    given = _stand_ins(monkeypatch, {"a": (0.4, CERTIFIED), "b": (30.0, SUBOPTIMAL)})
    _try(("a", "b"), patience=0.05)
    assert given[1][1] == pytest.approx(auto.settle_time(0.05, 0.4), abs=0.1)


def test_without_patience_every_method_gets_its_share(monkeypatch):
    given = _stand_ins(monkeypatch, {"a": (0.05, CERTIFIED), "b": (0.05, SUBOPTIMAL),
                                     "c": (0.05, CERTIFIED)})
    tried = _try(("a", "b", "c"), patience=None, limit=60.0)
    assert [name for name, _ in given] == ["a", "b", "c"]
    assert given[1][1] > 25.0  # half of what is left, as before a verified answer
    assert tried.settle_at is None


def test_no_verified_answer_no_settling(monkeypatch):
    given = _stand_ins(monkeypatch, {"a": (0.05, SUBOPTIMAL), "b": (0.05, SUBOPTIMAL)})
    tried = _try(("a", "b"), patience=0.0)
    assert [name for name, _ in given] == ["a", "b"] and given[1][1] > 25.0
    assert tried.settle_at is None


def test_settle_time_is_the_longer_of_patience_and_time_so_far():
    assert auto.settle_time(5.0, 1.0) == 5.0
    assert auto.settle_time(5.0, 12.0) == 12.0
    assert auto.settle_time(0.0, 0.0) == 0.0
