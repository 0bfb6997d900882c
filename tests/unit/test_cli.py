"""The ``bilevel-mp`` command line."""

from __future__ import annotations

import textwrap

from bilevel_mp.cli import main

MODEL_FILE = textwrap.dedent(
    """
    import pyomo.environ as pyo
    import bilevel_mp as bmp

    def build():
        m = pyo.ConcreteModel()
        m.x = pyo.Var(bounds=(0, 10))
        m.L = bmp.LowerLevel()
        m.L.y = pyo.Var(bounds=(0, None))
        m.L.obj = pyo.Objective(expr=(m.L.y - m.x) ** 2)
        m.L.c = pyo.Constraint(expr=m.L.y <= 2 * m.x)
        m.obj = pyo.Objective(expr=m.x + m.L.y)
        m.c = pyo.Constraint(expr=m.x + m.L.y >= 1)
        return m

    model = build()
    """
)


def test_solve_named_function_prints_summary(tmp_path, capsys):
    path = tmp_path / "toy.py"
    path.write_text(MODEL_FILE)
    assert main(["solve", f"{path}:build", "--method", "kkt-scholtes"]) == 0
    out = capsys.readouterr().out
    assert "verification  CERTIFIED via highs-qp" in out
    assert "F = 1" in out or "F = 0.99999" in out


def test_solve_default_model_and_option(tmp_path, capsys):
    path = tmp_path / "toy.py"
    path.write_text(MODEL_FILE)
    assert main(["solve", str(path), "--method", "kkt-fb", "--option", "comp_tol=1e-8"]) == 0
    assert "kkt-fb" in capsys.readouterr().out


def test_bad_option_is_a_clean_error(tmp_path, capsys):
    path = tmp_path / "toy.py"
    path.write_text(MODEL_FILE)
    assert main(["solve", str(path), "--method", "kkt-fb", "--option", "nope=1"]) == 2
    assert "unknown option(s) nope" in capsys.readouterr().err


def test_missing_name_is_a_clean_error(tmp_path, capsys):
    path = tmp_path / "toy.py"
    path.write_text(MODEL_FILE)
    assert main(["solve", f"{path}:nothing"]) == 2
    assert "defines no 'nothing'" in capsys.readouterr().err


def test_methods_lists_every_method(capsys):
    assert main(["methods"]) == 0
    out = capsys.readouterr().out
    for name in ("auto", "kkt-product", "kkt-scholtes", "kkt-lin-fukushima", "kkt-kadrani",
                 "kkt-steffensen-ulbrich", "kkt-kanzow-schwartz", "kkt-penalty", "kkt-fb",
                 "kkt-min"):
        assert f"\n{name} " in "\n" + out
