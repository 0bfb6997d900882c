"""The ``bilevel-mp`` command line."""

from __future__ import annotations

import textwrap

from bilevel_mp.cli import main

# The model file users would write; it reuses the contract model of test_modeling.
MODEL_FILE = textwrap.dedent(
    """
    from tests.modeling.test_modeling import contract_model as build

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
