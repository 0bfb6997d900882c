"""The Pyomo front-end: the user-API contract, what compiles and what is rejected."""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo
import pytest

import bilevel_mp as bmp
from bilevel_mp.modeling.compile import compile_pyomo


def contract_model() -> pyo.ConcreteModel:
    """The model of the user-API contract (issue text, verbatim)."""
    m = pyo.ConcreteModel()
    m.x = pyo.Var(bounds=(0, 10))
    m.L = bmp.LowerLevel()
    m.L.y = pyo.Var(bounds=(0, None))
    m.L.obj = pyo.Objective(expr=(m.L.y - m.x) ** 2)
    m.L.c = pyo.Constraint(expr=m.L.y <= 2 * m.x)
    m.obj = pyo.Objective(expr=m.x + m.L.y)
    m.c = pyo.Constraint(expr=m.x + m.L.y >= 1)
    return m


def test_contract_model_solves_and_loads_values():
    # y(x) = x, so min 2x s.t. 2x >= 1: F* = 1 at x = y = 0.5, f* = 0.
    m = contract_model()
    res = bmp.solve(m, method="kkt-scholtes")
    assert isinstance(res, bmp.BilevelResult)
    assert isinstance(res.termination, bmp.TerminationStatus)
    assert isinstance(res.verification, bmp.Verification)
    assert res.verification is bmp.Verification.CERTIFIED
    assert res.termination is bmp.TerminationStatus.LOCALLY_SOLVED
    assert res.upper_objective == pytest.approx(1.0, abs=1e-6)
    assert res.lower_objective == pytest.approx(0.0, abs=1e-6)
    assert abs(res.ll_gap) < 1e-6
    assert pyo.value(m.x) == pytest.approx(0.5, abs=1e-6)
    assert pyo.value(m.L.y) == pytest.approx(0.5, abs=1e-6)
    assert set(res.ll_multipliers) == {"L.c", "L.y >= 0"}


def test_ir_of_contract_model():
    prog, _ = compile_pyomo(contract_model())
    assert prog.names["x"] == ("x",) and prog.names["y"] == ("L.y",)
    assert prog.names["G"] == ("c",) and prog.names["g"] == ("L.c", "L.y >= 0")
    ev = prog.evaluate(np.array([2.0]), np.array([3.0]))
    assert ev["F"] == 5.0 and ev["f"] == 1.0
    np.testing.assert_allclose(ev["G"], [1 - 5.0])
    np.testing.assert_allclose(ev["g"], [3.0 - 4.0, -3.0])
    assert prog.g_bound_rows == (1,)


def test_maximization_is_negated_inside_and_reported_in_user_sense():
    m = contract_model()
    m.obj.deactivate()
    m.obj_max = pyo.Objective(expr=-(m.x + m.L.y), sense=pyo.maximize)
    prog, _ = compile_pyomo(m)
    assert prog.F_sign == -1.0
    res = bmp.solve(m, method="kkt-scholtes")
    assert res.upper_objective == pytest.approx(-1.0, abs=1e-6)


def test_indexed_vars_params_expressions_ranged_and_equality():
    m = pyo.ConcreteModel()
    m.I = pyo.Set(initialize=[1, 2])
    m.a = pyo.Param(m.I, initialize={1: 1.0, 2: 2.0}, mutable=True)
    m.b = pyo.Param(initialize=3.0)
    m.x = pyo.Var(m.I, bounds=(-5, 5))
    m.L = bmp.LowerLevel()
    m.L.y = pyo.Var(m.I)
    m.L.e = pyo.Expression(expr=sum((m.L.y[i] - m.a[i] * m.x[i]) ** 2 for i in m.I))
    m.L.obj = pyo.Objective(expr=m.L.e)
    m.L.r = pyo.Constraint(expr=pyo.inequality(-1, m.L.y[1] + m.L.y[2], m.b))
    m.L.eq = pyo.Constraint(expr=m.L.y[1] - m.L.y[2] == 0)
    m.obj = pyo.Objective(expr=sum((m.x[i] - 1) ** 2 for i in m.I) + m.L.y[1])
    prog, _ = compile_pyomo(m)
    assert prog.names["g"] == ("L.r (lower)", "L.r (upper)")
    assert prog.names["h"] == ("L.eq",)
    assert prog.p.numel() == 2
    np.testing.assert_allclose(prog.p_values, [1.0, 2.0])
    ev = prog.evaluate(np.array([1.0, 1.0]), np.array([2.0, 0.5]))
    assert ev["f"] == pytest.approx((2 - 1) ** 2 + (0.5 - 2) ** 2)
    np.testing.assert_allclose(ev["g"], [-1 - 2.5, 2.5 - 3])
    np.testing.assert_allclose(ev["h"], [1.5])


def test_immutable_indexed_param_is_a_number():
    """Pyomo's default Param (immutable) stores plain numbers as its data; the compiler
    once asked each of them for its parent component (AttributeError)."""
    m = pyo.ConcreteModel()
    m.I = pyo.Set(initialize=[1, 2])
    m.c = pyo.Param(m.I, initialize={1: 1.0, 2: 2.0})
    m.x = pyo.Var(bounds=(0, 4))
    m.L = bmp.LowerLevel()
    m.L.y = pyo.Var(m.I, bounds=(0, None))
    m.L.obj = pyo.Objective(expr=sum(m.c[i] * m.L.y[i] for i in m.I))
    m.L.r = pyo.Constraint(expr=m.L.y[1] + m.L.y[2] >= m.x)
    m.obj = pyo.Objective(expr=(m.x - 3) ** 2 + m.L.y[2])
    prog, _ = compile_pyomo(m)
    assert prog.p.numel() == 0
    assert prog.evaluate(np.array([1.0]), np.array([1.0, 2.0]))["f"] == pytest.approx(5.0)


def test_mutable_param_change_is_seen_on_recompile():
    m = contract_model()
    m.k = pyo.Param(initialize=1.0, mutable=True)
    m.c.deactivate()
    m.c2 = pyo.Constraint(expr=m.x + m.L.y >= m.k)
    assert bmp.solve(m, method="kkt-fb").upper_objective == pytest.approx(1.0, abs=1e-6)
    m.k = 3.0
    assert bmp.solve(m, method="kkt-fb").upper_objective == pytest.approx(3.0, abs=1e-6)


def test_separable_followers_form_one_lower_level():
    m = pyo.ConcreteModel()
    m.x = pyo.Var(bounds=(0, 4))
    m.A = bmp.LowerLevel()
    m.A.y = pyo.Var(bounds=(0, None))
    m.A.obj = pyo.Objective(expr=(m.A.y - m.x) ** 2)
    m.B = bmp.LowerLevel()
    m.B.y = pyo.Var(bounds=(0, None))
    m.B.obj = pyo.Objective(expr=(m.B.y - 2 + m.x) ** 2)
    m.obj = pyo.Objective(expr=(m.A.y - 1) ** 2 + (m.B.y - 2) ** 2)
    prog, _ = compile_pyomo(m)
    assert prog.ny == 2 and prog.g.numel() == 2
    # y_A = x, y_B = max(2 - x, 0): F = (x-1)^2 + x^2 for x <= 2, minimized at x = 0.5
    res = bmp.solve(m, method="kkt-scholtes")
    assert res.verification is bmp.Verification.CERTIFIED
    assert res.upper_objective == pytest.approx(0.5, abs=1e-6)


def test_interacting_followers_are_rejected_naming_both():
    m = pyo.ConcreteModel()
    m.x = pyo.Var()
    m.A = bmp.LowerLevel()
    m.A.y = pyo.Var()
    m.B = bmp.LowerLevel()
    m.B.y = pyo.Var()
    m.A.obj = pyo.Objective(expr=(m.A.y - m.B.y) ** 2)
    m.B.obj = pyo.Objective(expr=(m.B.y - m.x) ** 2)
    m.obj = pyo.Objective(expr=m.x**2)
    with pytest.raises(bmp.ModelError, match="'A' uses variables of LowerLevel 'B'"):
        compile_pyomo(m)


def test_no_lower_level_is_an_error():
    m = pyo.ConcreteModel()
    m.x = pyo.Var()
    m.obj = pyo.Objective(expr=m.x**2)
    with pytest.raises(bmp.ModelError, match="no LowerLevel block"):
        bmp.solve(m)


@pytest.mark.parametrize("n_objectives", [0, 2])
def test_lower_level_needs_exactly_one_objective(n_objectives):
    m = pyo.ConcreteModel()
    m.x = pyo.Var()
    m.L = bmp.LowerLevel()
    m.L.y = pyo.Var()
    for k in range(n_objectives):
        m.L.add_component(f"o{k}", pyo.Objective(expr=(m.L.y - k) ** 2))
    m.obj = pyo.Objective(expr=m.x**2)
    with pytest.raises(bmp.ModelError, match="LowerLevel 'L' must have exactly one"):
        compile_pyomo(m)


def test_unsupported_node_names_the_component():
    m = contract_model()
    m.L.bad = pyo.Constraint(expr=pyo.Expr_if(m.x >= 1, m.L.y, 0) <= 3)
    with pytest.raises(bmp.ModelError, match="constraint 'L.bad'"):
        compile_pyomo(m)


def test_unsupported_function_names_the_component():
    m = contract_model()
    m.obj.deactivate()
    m.obj2 = pyo.Objective(expr=pyo.ceil(m.x) + m.L.y)
    with pytest.raises(bmp.ModelError, match="objective 'obj2'"):
        compile_pyomo(m)


def test_abs_warns_nonsmooth():
    m = contract_model()
    m.obj.deactivate()
    m.obj2 = pyo.Objective(expr=abs(m.x - 1) + m.L.y)
    with pytest.warns(bmp.NonsmoothWarning, match="objective 'obj2'"):
        compile_pyomo(m)


def test_integer_lower_level_variable_rejected_under_kkt():
    m = contract_model()
    m.L.y.domain = pyo.Integers
    with pytest.raises(bmp.ReformulationNotApplicable, match="L.y are integer"):
        bmp.solve(m, method="kkt-scholtes")


def test_unknown_method_and_option_list_the_valid_ones():
    m = contract_model()
    with pytest.raises(bmp.OptionError, match="valid methods: auto, kkt-product"):
        bmp.solve(m, method="kkt-nonsense")
    with pytest.raises(bmp.OptionError, match="valid options: start=1.0"):
        bmp.solve(m, method="kkt-scholtes", options={"colour": "red"})
    with pytest.raises(bmp.OptionError, match="valid solvers: ipopt"):
        bmp.solve(m, method="kkt-scholtes", solver="minos")


def test_fixed_variables_are_constants():
    m = contract_model()
    m.x.fix(2.0)
    prog, _ = compile_pyomo(m)
    assert prog.nx == 0
    res = bmp.solve(m, method="kkt-scholtes")
    assert res.upper_objective == pytest.approx(4.0, abs=1e-6)  # y = x = 2


def test_variable_from_another_model_is_rejected():
    other = pyo.ConcreteModel()
    other.z = pyo.Var()
    m = contract_model()
    m.L.c2 = pyo.Constraint(expr=m.L.y <= other.z)
    with pytest.raises(bmp.ModelError, match="'z' is not declared on this model"):
        compile_pyomo(m)


def test_compare_runs_each_method_once_and_leaves_the_model_alone():
    m = contract_model()
    results = bmp.compare(m, ["kkt-scholtes", "kkt-fb", "auto"])
    assert list(results) == ["kkt-scholtes", "kkt-fb", "auto"]
    for res in results.values():
        assert res.verification is bmp.Verification.CERTIFIED
        assert res.upper_objective == pytest.approx(1.0, abs=1e-6)
    assert results["auto"].method.startswith("auto -> kkt-")
    assert m.x.value is None and m.L.y.value is None


def test_auto_options_go_to_the_methods_named_and_to_every_method_with_the_key():
    from bilevel_mp.api import _split_options

    names = ("kkt-scholtes", "kkt-fb", "llvf-sn")
    own, split = _split_options(names, {"max_stages": 3, "kkt-fb": {"max_stages": 5},
                                        "llvf-sn": {"max_iter": 7}, "processes": 1})
    assert split == {"kkt-scholtes": {"max_stages": 3}, "kkt-fb": {"max_stages": 5},
                     "llvf-sn": {"max_iter": 7}}
    assert own.processes == 1


def test_auto_takes_an_option_of_a_method_outside_this_problems_portfolio():
    """``lp_bounds`` belongs to kkt-bigm, which auto does not try on a quadratic lower
    level: the option is valid for auto and simply unused (it was an OptionError raised
    in the middle of the solve)."""
    res = bmp.solve(contract_model(), "auto", options={"lp_bounds": False,
                                                      "kkt-scholtes": {"max_stages": 30}})
    assert res.verification is bmp.Verification.CERTIFIED
    assert res.upper_objective == pytest.approx(1.0, abs=1e-6)


def test_component_names_are_pyomo_names():
    from bilevel_mp.modeling.compile import _variables, component_names

    m = pyo.ConcreteModel()
    m.I = pyo.Set(initialize=["a", "b c", "1.5", ("t", 2)], dimen=None)
    m.x = pyo.Var(m.I)
    m.z = pyo.Var()
    m.w = pyo.Var([(1, "q"), (2, "r")])
    m.L = bmp.LowerLevel()
    m.L.y = pyo.Var([0, 1, 2])
    m.L.inner = pyo.Block()
    m.L.inner.v = pyo.Var(["p[0]", "s"])
    m.L.inner.c = pyo.Constraint([3, 4], rule=lambda b, i: b.v["s"] >= i)
    m.L.d = pyo.Constraint(expr=m.L.y[0] <= 1)
    m.L.inner.q = pyo.Param([("a", 1), ("b", 2)], initialize=1.0, mutable=True)
    m.r = pyo.Param(initialize=2.0, mutable=True)
    variables = _variables(list(m.block_data_objects(descend_into=True)))
    constraints = list(m.component_data_objects(pyo.Constraint, descend_into=True))
    params = [p for c in m.component_objects(pyo.Param, descend_into=True) for p in c.values()]
    for components in (variables, constraints, variables[::-1], params):
        assert component_names(components) == tuple(c.name for c in components)
    assert len(variables) == 12 and len(constraints) == 3
