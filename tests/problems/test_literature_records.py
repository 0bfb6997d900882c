"""The Pyomo renderings of :mod:`tests.problems.literature` are the shipped examples.

For every problem the Pyomo model is compiled and compared with the example of the same
name in :mod:`bolib_problems`, the one source of the formulas and records: the same
dimensions and variable order; the same ``F`` and ``f`` (relative 1e-9) at the catalogue
point and at random points; the same rows there: the violated rows of each
program, each as its first-order distance to its zero set (value over gradient norm, so
that the scale a row is written at and the level it sits in do not matter), bounds
included, are the same numbers. At the catalogue point, Pyomo's own evaluation of the
model (the values loaded into the variables, ``pyo.value`` of the objectives) agrees with
the shipped program's. No solver is involved: this checks the renderings, not the
methods.
"""

from __future__ import annotations

import casadi as ca
import numpy as np
import pyomo.environ as pyo
import pytest

import bilevel_mp as bmp
from bilevel_mp import BilevelProgram
from bilevel_mp.modeling.compile import compile_pyomo
from tests.problems.literature import PROBLEMS, LiteratureProblem, get

RANDOM_POINTS = 40
FEAS_TOL = 1e-9


def _violations(program: BilevelProgram, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The violated rows of both levels and the violated bounds, each as its distance to
    the row's zero set to first order (the row's value over its gradient norm: the same
    for a row written at any scale or in either level), sorted, duplicates merged."""
    ev = program.evaluate(x, y)
    j_ul, j_ll = (ca.DM(j).full() for j in program.row_jacobians(x, y, program.p_values))
    rows = np.concatenate([ev["G"], np.abs(ev["H"]), ev["g"], np.abs(ev["h"])])
    norms = np.linalg.norm(np.vstack([j_ul, j_ll]), axis=1)
    distances = np.concatenate([
        np.divide(rows, norms, out=rows.copy(), where=norms > 0),
        program.x_lb - x, x - program.x_ub, program.y_lb - y, y - program.y_ub])
    violated = np.sort(distances[distances > FEAS_TOL])
    keep = np.concatenate([[True], np.diff(violated) > FEAS_TOL * (1 + violated[1:])])
    return violated[keep] if violated.size else violated


def _points(problem: LiteratureProblem, program: BilevelProgram):
    """The catalogue point, then random points around it."""
    known = problem.example.known
    x_star, y_star = known.x_star, known.y_star
    yield x_star, y_star
    rng = np.random.default_rng(0)
    for _ in range(RANDOM_POINTS):
        yield (x_star + rng.normal(scale=1.0 + np.abs(x_star)),
               y_star + rng.normal(scale=1.0 + np.abs(y_star)))


def test_registry_names_are_unique_and_shipped() -> None:
    names = [p.name for p in PROBLEMS]
    assert len(names) == len(set(names)), "duplicate problem names"
    for p in PROBLEMS:
        assert get(p.name) is p and p.example.name == p.name
    with pytest.raises(KeyError):
        get("NoSuchProblem")


def test_builds_are_fresh_models() -> None:
    p = PROBLEMS[0]
    assert p.build() is not p.build()


@pytest.mark.parametrize("problem", PROBLEMS, ids=[p.name for p in PROBLEMS])
def test_pyomo_model_is_the_shipped_program(problem: LiteratureProblem) -> None:
    ours, _ = compile_pyomo(problem.build())
    shipped = problem.example.program()
    assert (ours.nx, ours.ny) == (shipped.nx, shipped.ny)
    for x, y in _points(problem, ours):
        a, b = ours.evaluate(x, y), shipped.evaluate(x, y)
        for key in ("F", "f"):
            assert a[key] == pytest.approx(b[key], rel=1e-9, abs=1e-9), (key, x, y)
        np.testing.assert_allclose(_violations(ours, x, y), _violations(shipped, x, y),
                                   rtol=1e-9, err_msg=f"rows violated at x={x}, y={y}")


@pytest.mark.parametrize("problem", PROBLEMS, ids=[p.name for p in PROBLEMS])
def test_pyomo_evaluates_the_record_as_the_shipped_program(problem: LiteratureProblem) -> None:
    model = problem.build()
    program, _ = compile_pyomo(model)
    known = problem.example.known
    values = dict(zip(program.names["x"] + program.names["y"],
                      np.concatenate([known.x_star, known.y_star]), strict=True))
    for var in model.component_data_objects(pyo.Var, descend_into=True):
        var.set_value(float(values[str(var)]), skip_validation=True)
    expected = problem.example.program().evaluate(known.x_star, known.y_star)
    objectives = list(model.component_data_objects(pyo.Objective, active=True,
                                                   descend_into=True))
    ul = [o for o in objectives if o.parent_block() is model]
    ll = [o for o in objectives if o.parent_block() is not model]
    assert len(ul) == 1 and len(ll) == 1
    assert pyo.value(ul[0]) == pytest.approx(program.F_sign * expected["F"], rel=1e-9, abs=1e-12)
    assert pyo.value(ll[0]) == pytest.approx(program.f_sign * expected["f"], rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("problem", PROBLEMS, ids=[p.name for p in PROBLEMS])
def test_structure_analysis_never_calls_a_nonconvex_lower_level_convex(
        problem: LiteratureProblem) -> None:
    # ll_convex is read off the formulas by hand; the analysis may fail to prove
    # convexity, never prove it wrongly
    if bmp.analyze(compile_pyomo(problem.build())[0]).ll_convex:
        assert problem.ll_convex
