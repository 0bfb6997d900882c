"""``MethodSpec.accepts`` says exactly what ``run`` does: a method that declines a program
raises ``ReformulationNotApplicable`` with the same reason when run on it, and one that
accepts does not; ``auto`` tries only the methods that accept."""

from __future__ import annotations

import warnings
from types import SimpleNamespace

import pyomo.environ as pyo
import pytest

import bilevel_mp as bmp
from bilevel_mp.errors import ReformulationNotApplicable
from bilevel_mp.methods import auto
from bilevel_mp.methods.registry import METHODS
from bilevel_mp.options import make_options
from bilevel_mp.solvers.registry import SolverChoice
from tests.modeling.test_modeling import contract_model
from tests.trust.test_bad_input import edited, linear_model


def _integer_ll() -> pyo.ConcreteModel:
    return edited(contract_model, lambda m: setattr(m.L.y, "domain", pyo.Integers))


def _uncoupled_ul() -> pyo.ConcreteModel:
    """The contract model without its UL row ``x + y >= 1`` (which couples x and y)."""
    return edited(contract_model, lambda m: m.c.deactivate())


def _nonlinear_ll_row() -> pyo.ConcreteModel:
    m = contract_model()
    m.L.c.deactivate()
    m.L.c2 = pyo.Constraint(expr=m.L.y ** 2 <= 4 * m.x)
    return m


MODELS = {"linear": linear_model, "integer lower level": _integer_ll,
          "coupled upper level": contract_model,
          "uncoupled upper level": _uncoupled_ul, "nonlinear lower-level row": _nonlinear_ll_row}


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("name", sorted(METHODS))
def test_run_declines_exactly_when_accepts_says_no(name, model):
    spec = METHODS[name]
    program, _ = bmp.compile_pyomo(MODELS[model]())
    options = make_options(spec.options, None, name)
    ok, reason = spec.accepts(program, bmp.analyze(program), options,
                              SolverChoice().of(spec.solver_class))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", bmp.BilevelWarning)
        if ok:
            bmp.solve(program, method=name, time_limit=5)  # raises nothing of the kind
        else:
            with pytest.raises(ReformulationNotApplicable) as info:
                bmp.solve(program, method=name, time_limit=5)
            assert info.value.reason == reason


def test_the_cases_cover_both_verdicts_of_every_kind_of_check():
    """Each method family accepts one program and declines another here, so the test
    above compares both branches of every ``accepts``."""
    verdicts: dict[str, set[bool]] = {name: set() for name in METHODS}
    for build in MODELS.values():
        program, _ = bmp.compile_pyomo(build())
        for name, spec in METHODS.items():
            options = make_options(spec.options, None, name)
            verdicts[name].add(spec.accepts(program, bmp.analyze(program), options,
                                            SolverChoice().of(spec.solver_class))[0])
    both = {name for name, seen in verdicts.items() if seen == {True, False}}
    assert both == set(METHODS)


def test_auto_skips_a_method_that_declines_and_says_why(monkeypatch):
    declined = "a test says no"
    spec = METHODS["kkt-scholtes"]
    monkeypatch.setitem(METHODS, "kkt-scholtes", type(spec)(
        **{**spec.__dict__, "accepts": lambda *_: (False, declined),
           "run": lambda *_, **__: pytest.fail("a declining method was run")}))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", bmp.BilevelWarning)
        res = bmp.solve(contract_model(), method="auto")
    assert res.stats["auto_declined"] == {"kkt-scholtes": declined}
    assert "kkt-scholtes" not in {t["method"] for t in res.stats["auto_tried"]}
    assert res.verification is bmp.Verification.CERTIFIED


def test_portfolio_follows_the_table_order_and_the_structure():
    program, _ = bmp.compile_pyomo(_nonlinear_ll_row())
    structure = bmp.analyze(program)
    options = {n: make_options(METHODS[n].options, None, n) for n in auto.CANDIDATES}
    names, declined = auto.portfolio(program, structure, options, SolverChoice())
    assert not structure.ll_convex or "kkt-min" not in names
    wanted = [e.method for e in auto.PORTFOLIO if e.wanted(program, structure)]
    assert len(wanted) == len(set(wanted))  # a method listed twice is wanted at most once
    assert list(names) == [m for m in wanted if m in names]
    assert set(declined) == {"kkt-bigm", "kkt-sos1"} & {e.method for e in auto.PORTFOLIO}
    assert all(declined.values())


def test_the_local_order_depends_on_convexity():
    # convex: relaxations first (a certified point stops the portfolio); nonconvex: the
    # methods that find other points come right after kkt-scholtes, before patience ends
    local = {e.method for e in auto.PORTFOLIO} - auto.GLOBAL_METHODS
    order = {convex: [e.method for e in auto.PORTFOLIO if e.method in local
                      and e.wanted(None, SimpleNamespace(ll_convex=convex))]
             for convex in (True, False)}
    assert order[True] == ["kkt-scholtes", "kkt-penalty", "kkt-fb", "kkt-kanzow-schwartz",
                             "llvf-lm", "llvf-sn", "kkt-product"]
    assert order[False] == ["kkt-scholtes", "llvf-lm", "kkt-product",
                                "kkt-kanzow-schwartz", "llvf-sn", "kkt-penalty", "kkt-fb",
                                "kkt-min", "kkt-kadrani"]
