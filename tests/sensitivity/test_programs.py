"""Parameters of programs built without Pyomo (SX and MX), default parameter names, and a
Param declared inside a LowerLevel block."""

from __future__ import annotations

import casadi as ca
import numpy as np
import pyomo.environ as pyo
import pytest

import bilevel_mp as bmp


@pytest.mark.parametrize("kind", [ca.SX, ca.MX], ids=["SX", "MX"])
def test_program_with_named_parameters(kind):
    """min (x - b)² + (y - 3)², y = argmin (y - x - a)²: x = (b + 3 - a)/2, y = x + a,
    F* = (3 - a - b)²/2."""
    x, y, p = kind.sym("x", 1), kind.sym("y", 1), kind.sym("p", 2)
    none = kind(0, 1)
    program = bmp.BilevelProgram(
        x=x, y=y, p=p, p_values=np.array([1.0, 0.5]), F=(x - p[1]) ** 2 + (y - 3) ** 2,
        f=(y - x - p[0]) ** 2, G=none, H=none, g=none, h=none,
        x_lb=np.array([-10.0]), x_ub=np.array([10.0]), y_lb=np.array([-np.inf]),
        y_ub=np.array([np.inf]),
        names={"x": ("x",), "y": ("y",), "G": (), "H": (), "g": (), "h": (), "p": ("a", "b")})
    assert program.parameter_names == ("a", "b")
    result = bmp.solve(program, "kkt-scholtes")
    sens = bmp.sensitivity(result, ["a", "b"])
    assert sens.dx["x"] == pytest.approx({"a": -0.5, "b": 0.5})
    assert sens.dy["y"] == pytest.approx({"a": 0.5, "b": 0.5})
    assert sens.dF == pytest.approx({"a": -1.5, "b": -1.5})


def test_default_parameter_names_and_a_wrong_count():
    x, y, p = ca.SX.sym("x"), ca.SX.sym("y"), ca.SX.sym("p", 2)
    common = dict(x=x, y=y, p=p, p_values=np.zeros(2), F=x ** 2, f=(y - p[0]) ** 2,
                  G=ca.SX(0, 1), H=ca.SX(0, 1), g=ca.SX(0, 1), h=ca.SX(0, 1),
                  x_lb=np.array([-1.0]), x_ub=np.array([1.0]), y_lb=np.array([-np.inf]),
                  y_ub=np.array([np.inf]))
    names = {"x": ("x",), "y": ("y",), "G": (), "H": (), "g": (), "h": ()}
    assert bmp.BilevelProgram(**common, names=names).parameter_names == ("p[0]", "p[1]")
    with pytest.raises(bmp.ModelError, match="1 names given for 2 entries of p"):
        bmp.BilevelProgram(**common, names={**names, "p": ("a",)})


def test_param_inside_the_lower_level_block():
    m = pyo.ConcreteModel()
    m.x = pyo.Var(bounds=(-5, 5))
    m.L = bmp.LowerLevel()
    m.L.k = pyo.Param(initialize=2.0, mutable=True)
    m.L.y = pyo.Var()
    m.L.obj = pyo.Objective(expr=(m.L.y - m.L.k * m.x) ** 2)
    m.obj = pyo.Objective(expr=(m.x - 1) ** 2 + (m.L.y - 1) ** 2)
    program, _ = bmp.compile_pyomo(m)
    assert program.parameter_names == ("L.k",)
    result = bmp.solve(m, "kkt-scholtes")
    # y = k x, F = (x-1)² + (kx-1)²: x = (1 + k)/(1 + k²), dx/dk = (1 - 2k - k²)/(1 + k²)²
    k = 2.0
    by_param = bmp.sensitivity(result, [m.L.k])
    by_name = bmp.sensitivity(result, ["L.k"])
    assert by_param.dx == by_name.dx
    assert by_param.dx["x"]["L.k"] == pytest.approx((1 - 2 * k - k ** 2) / (1 + k ** 2) ** 2)


def test_integer_upper_level_variable_is_held_at_its_value():
    m = pyo.ConcreteModel()
    m.a = pyo.Param(initialize=0.5, mutable=True)
    m.x = pyo.Var(within=pyo.Integers, bounds=(0, 3))
    m.L = bmp.LowerLevel()
    m.L.y = pyo.Var()
    m.L.obj = pyo.Objective(expr=(m.L.y - m.x - m.a) ** 2)
    m.obj = pyo.Objective(expr=(m.x - 1.3) ** 2 + m.L.y)
    result = bmp.solve(m, "kkt-scholtes")
    assert result.x["x"] == 1.0
    sens = bmp.sensitivity(result, [m.a])
    assert sens.dx["x"]["a"] == 0.0 and sens.dy["L.y"]["a"] == pytest.approx(1.0)
    assert not sens.degenerate and "integer upper-level variables are held" in sens.message
