"""Bad input raises typed errors that name the offender, never a dependency's traceback."""

from __future__ import annotations

import pickle

import pyomo.environ as pyo
import pytest

import bilevel_mp as bmp
from bilevel_mp.errors import SensitivityError


def _model() -> pyo.ConcreteModel:
    m = pyo.ConcreteModel()
    m.a = pyo.Param(initialize=1.0, mutable=True)
    m.fixed = pyo.Param(initialize=2.0)
    m.top = pyo.Param(initialize=3.0, mutable=True)
    m.x = pyo.Var(bounds=(-5, m.top))
    m.L = bmp.LowerLevel()
    m.L.y = pyo.Var()
    m.L.obj = pyo.Objective(expr=(m.L.y - m.x - m.a) ** 2)
    m.obj = pyo.Objective(expr=(m.x - 1) ** 2 + (m.L.y - m.fixed) ** 2)
    return m


@pytest.fixture(scope="module")
def solved():
    m = _model()
    return m, bmp.solve(m, "kkt-scholtes")


def test_error_is_a_bilevel_error_and_a_value_error():
    assert issubclass(SensitivityError, bmp.BilevelError)
    assert issubclass(SensitivityError, ValueError)
    assert bmp.SensitivityError is SensitivityError


def test_unknown_parameter_name(solved):
    _, result = solved
    with pytest.raises(SensitivityError, match="no parameter 'b'; its parameters: a, top"):
        bmp.sensitivity(result, ["b"])


def test_immutable_param(solved):
    m, result = solved
    with pytest.raises(SensitivityError, match="Param 'fixed' is not mutable"):
        bmp.sensitivity(result, [m.fixed])


def test_param_in_a_variable_bound(solved):
    m, result = solved
    with pytest.raises(SensitivityError, match="'top' appears in the bounds of variable 'x'"):
        bmp.vjp(result, [m.top], grad_x=[1.0])


def test_not_a_parameter(solved):
    m, result = solved
    with pytest.raises(SensitivityError, match="got VarData|got ScalarVar"):
        bmp.sensitivity(result, [m.x])
    with pytest.raises(SensitivityError, match="no parameter given"):
        bmp.sensitivity(result, [])
    with pytest.raises(SensitivityError, match="'a' given more than once"):
        bmp.sensitivity(result, [m.a, "a"])


def test_result_without_point():
    empty = bmp.BilevelResult(termination=bmp.TerminationStatus.INFEASIBLE,
                              verification=bmp.Verification.NOT_CHECKED, method="kkt-bigm")
    with pytest.raises(SensitivityError, match="kkt-bigm has no point \\(INFEASIBLE\\)"):
        bmp.sensitivity(empty, ["a"])


def test_result_without_program(solved):
    _, result = solved
    copy = pickle.loads(pickle.dumps(result))
    assert copy.program is None and copy.x == result.x
    with pytest.raises(SensitivityError, match="carries no program"):
        bmp.jvp(copy, ["a"], [1.0])
    copy.program = result.program  # what the message tells the user to do
    assert bmp.jvp(copy, ["a"], [1.0]).dx == bmp.jvp(result, ["a"], [1.0]).dx


def test_not_a_result(solved):
    m, _ = solved
    with pytest.raises(SensitivityError, match="expected the BilevelResult .* got "
                                               "ConcreteModel"):
        bmp.sensitivity(m, [m.a])


def test_gradients_and_tangents_of_the_wrong_size_or_name(solved):
    _, result = solved
    with pytest.raises(SensitivityError, match="grad_x must have 1 entries"):
        bmp.vjp(result, ["a"], grad_x=[1.0, 2.0])
    with pytest.raises(SensitivityError, match="grad_y names 'y', which is none of L.y"):
        bmp.vjp(result, ["a"], grad_y={"y": 1.0})
    with pytest.raises(SensitivityError, match="grad_y\\['L.y'\\] is not finite"):
        bmp.vjp(result, ["a"], grad_y={"L.y": float("nan")})
    with pytest.raises(SensitivityError, match="tangent must have 1 entries"):
        bmp.jvp(result, ["a"], [1.0, 0.0])
    with pytest.raises(SensitivityError, match="tangent must be numbers"):
        bmp.jvp(result, ["a"], ["up"])


def test_bad_options(solved):
    _, result = solved
    with pytest.raises(bmp.OptionError, match="unknown option.*activ_tol"):
        bmp.sensitivity(result, ["a"], options={"activ_tol": 1e-3})
    with pytest.raises(bmp.OptionError, match="active_tol must be positive"):
        bmp.sensitivity(result, ["a"], options={"active_tol": -1.0})


def test_program_without_parameters():
    program = bmp.BilevelProgram.from_functions(
        1, 1, F=lambda x, y: (x[0] - 1) ** 2 + y[0] ** 2, f=lambda x, y: (y[0] - x[0]) ** 2)
    result = bmp.solve(program, "kkt-scholtes")
    with pytest.raises(SensitivityError, match="none \\(declare Params with mutable=True\\)"):
        bmp.sensitivity(result, ["p[0]"])


def test_integer_lower_level():
    m = pyo.ConcreteModel()
    m.a = pyo.Param(initialize=1.0, mutable=True)
    m.x = pyo.Var(bounds=(0, 3))
    m.L = bmp.LowerLevel()
    m.L.y = pyo.Var(within=pyo.Integers, bounds=(0, 3))
    m.L.obj = pyo.Objective(expr=(m.L.y - m.x) ** 2)
    m.obj = pyo.Objective(expr=(m.x - m.a) ** 2 + m.L.y)
    program, _ = bmp.compile_pyomo(m)
    result = bmp.BilevelResult(termination=bmp.TerminationStatus.LOCALLY_SOLVED,
                               verification=bmp.Verification.NOT_CHECKED,
                               x_array=program.x0, y_array=program.y0, program=program)
    with pytest.raises(SensitivityError, match="lower-level variables L.y are integer"):
        bmp.sensitivity(result, [m.a])
