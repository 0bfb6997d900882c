"""The literature registry reproduces its own records.

For every problem of :mod:`tests.problems.literature` the model is built, every variable
is set to the recorded point ``x_star``/``y_star``, and Pyomo's own evaluation must give
the recorded ``F_star``/``f_star`` (relative tolerance 1e-4 times ``max(1, |value|)``;
every record is stored with enough digits, or as an exact fraction, for that) with all
constraints and variable bounds satisfied to 1e-5. No solver is involved: this checks
the transcriptions and the records, not the methods.
"""

from __future__ import annotations

import pyomo.environ as pyo
import pytest

from bilevel_mp.modeling.lower_level import LowerLevelData
from tests.problems.literature import PROBLEMS, LiteratureProblem, get

VALUE_RTOL = 1e-4
FEAS_TOL = 1e-5


def _lower_level_blocks(model: pyo.ConcreteModel) -> list[LowerLevelData]:
    return [b for b in model.block_data_objects(active=True, descend_into=True)
            if isinstance(b, LowerLevelData)]


def _close(value: float, target: float) -> bool:
    return abs(value - target) <= VALUE_RTOL * max(1.0, abs(target))


def test_registry_size_and_mix() -> None:
    names = [p.name for p in PROBLEMS]
    assert len(names) == len(set(names)), "duplicate problem names"
    assert len(PROBLEMS) >= 18
    assert sum(p.ll_convex for p in PROBLEMS) >= 12
    assert sum(not p.ll_convex for p in PROBLEMS) >= 3
    for p in PROBLEMS:
        assert get(p.name) is p
        assert p.source and p.build.__doc__, p.name
    with pytest.raises(KeyError):
        get("NoSuchProblem")


def test_builds_are_fresh_models() -> None:
    p = PROBLEMS[0]
    assert p.build() is not p.build()


@pytest.mark.parametrize("problem", PROBLEMS, ids=[p.name for p in PROBLEMS])
def test_record_reproduced(problem: LiteratureProblem) -> None:
    model = problem.build()
    assert isinstance(model, pyo.ConcreteModel)

    lls = _lower_level_blocks(model)
    assert len(lls) == 1, f"expected exactly one LowerLevel block, found {len(lls)}"
    ll = lls[0]

    ll_vars = {id(v) for v in ll.component_data_objects(pyo.Var, descend_into=True)}
    all_vars = list(model.component_data_objects(pyo.Var, descend_into=True))
    by_name = {str(v): v for v in all_vars}
    assert len(by_name) == len(all_vars), "variable names are not unique"

    # x_star names exactly the upper-level variables, y_star exactly the lower-level ones.
    ul_names = {str(v) for v in all_vars if id(v) not in ll_vars}
    lower_names = {str(v) for v in all_vars if id(v) in ll_vars}
    assert set(problem.x_star) == ul_names
    assert set(problem.y_star) == lower_names

    for name, value in {**problem.x_star, **problem.y_star}.items():
        by_name[name].set_value(value, skip_validation=True)
    unset = [str(v) for v in all_vars if v.value is None]
    assert not unset, f"variables left unset: {unset}"

    ul_objectives = [o for o in model.component_data_objects(pyo.Objective, active=True,
                                                             descend_into=True)
                     if not _inside(o, ll)]
    ll_objectives = list(ll.component_data_objects(pyo.Objective, active=True,
                                                   descend_into=True))
    assert len(ul_objectives) == 1 and len(ll_objectives) == 1
    F = pyo.value(ul_objectives[0])
    f = pyo.value(ll_objectives[0])
    assert _close(F, problem.F_star), f"F = {F}, recorded F* = {problem.F_star}"
    assert _close(f, problem.f_star), f"f = {f}, recorded f* = {problem.f_star}"

    violations = []
    for con in model.component_data_objects(pyo.Constraint, active=True, descend_into=True):
        body = pyo.value(con.body)
        if con.has_lb() and body < pyo.value(con.lower) - FEAS_TOL:
            violations.append((con.name, body, "<", pyo.value(con.lower)))
        if con.has_ub() and body > pyo.value(con.upper) + FEAS_TOL:
            violations.append((con.name, body, ">", pyo.value(con.upper)))
    for v in all_vars:
        if v.has_lb() and v.value < v.lb - FEAS_TOL:
            violations.append((v.name, v.value, "<", v.lb))
        if v.has_ub() and v.value > v.ub + FEAS_TOL:
            violations.append((v.name, v.value, ">", v.ub))
    assert not violations, f"violated at the recorded point: {violations}"


def _inside(component: pyo.Component, block: LowerLevelData) -> bool:
    parent = component.parent_block()
    while parent is not None:
        if parent is block:
            return True
        parent = parent.parent_block()
    return False
