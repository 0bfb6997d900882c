"""A default time budget for ``auto`` and the global methods (issue 15, class 7).

No wall times are asserted here (speed belongs in benchmarks): the tests check that the
deadline reaches the loops (the method stops with ``TIME_LIMIT`` and a point) and that
the default applies exactly where it should.
"""

from __future__ import annotations

import math

import pyomo.environ as pyo
import pytest

import bilevel_mp as bmp
from bilevel_mp import api
from bilevel_mp.cli import build_parser
from bilevel_mp.methods.auto import GLOBAL_METHODS
from bilevel_mp.status import TerminationStatus, Verification


def coupled_nonconvex(n: int = 10) -> pyo.ConcreteModel:
    """``n`` + ``n`` variables, a non-convex lower level coupled through x and one row;
    SCIP's relaxations of ``llvf-cuts`` run for minutes on it (61 s measured for one
    round at n = 10 with a 60 s limit)."""
    m = pyo.ConcreteModel()
    index = range(n)
    m.x = pyo.Var(index, bounds=(-2, 2), initialize=0.3)
    m.L = bmp.LowerLevel()
    m.L.y = pyo.Var(index, bounds=(-2, 2))
    m.L.obj = pyo.Objective(expr=sum(
        (m.L.y[i] ** 2 - m.x[i]) ** 2 + m.L.y[i] * m.L.y[(i + 1) % n] * m.x[(i + 2) % n]
        for i in index))
    m.L.c = pyo.Constraint(expr=sum(m.L.y[i] for i in index) >= sum(m.x[i] for i in index) - 3)
    m.obj = pyo.Objective(expr=sum(
        (m.x[i] - 0.5 * i / n) ** 2 + pyo.sin(3 * m.L.y[i]) + m.x[i] * m.L.y[i]
        for i in index))
    return m


@pytest.mark.parametrize("method", ["auto", *sorted(GLOBAL_METHODS)])
def test_auto_and_global_methods_get_the_default_budget(method):
    assert api.resolve_time_limit(method, "default") == api.DEFAULT_TIME_LIMIT


@pytest.mark.parametrize("method", ["kkt-scholtes", "llvf-sn", "implicit"])
def test_local_methods_have_no_default_limit(method):
    assert api.resolve_time_limit(method, "default") is None


@pytest.mark.parametrize("given, seconds", [(None, None), (math.inf, None), (5, 5.0),
                                            (0.5, 0.5)])
def test_explicit_time_limit_overrides_the_default(given, seconds):
    assert api.resolve_time_limit("auto", given) == seconds


def test_solve_and_compare_default_to_the_budget():
    for entry in (bmp.solve, bmp.compare):
        assert entry.__kwdefaults__["time_limit"] == "default"


def test_cli_time_limit_follows_solve():
    parser = build_parser()
    assert parser.parse_args(["solve", "m.py"]).time_limit == "default"
    assert parser.parse_args(["solve", "m.py", "--time-limit", "none"]).time_limit is None
    assert parser.parse_args(["solve", "m.py", "--time-limit", "7"]).time_limit == 7.0


def _stopped_by_the_deadline_with_a_point(result: bmp.BilevelResult) -> None:
    assert result.termination is TerminationStatus.TIME_LIMIT, result.message
    assert result.has_point
    assert math.isfinite(result.upper_objective)
    assert result.verification is not Verification.NOT_CHECKED


def test_llvf_cuts_stops_at_the_time_limit_with_a_point():
    # measured by hand on 2 shared cores: about 2.2 s (and 61.8 s with 60 s)
    result = bmp.solve(coupled_nonconvex(), "llvf-cuts", time_limit=2.0)
    _stopped_by_the_deadline_with_a_point(result)


def test_the_default_budget_reaches_llvf_cuts(monkeypatch):
    monkeypatch.setattr(api, "DEFAULT_TIME_LIMIT", 2.0)
    result = bmp.solve(coupled_nonconvex(), "llvf-cuts")
    _stopped_by_the_deadline_with_a_point(result)
