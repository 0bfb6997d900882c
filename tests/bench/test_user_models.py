"""Benchmarks on the user's own models: ``bilevel_mp.bench``, ``bilevel-mp bench --models``,
the model-file convention, and "not applicable" kept apart from "failed"."""

from __future__ import annotations

import json
import textwrap

import pyomo.environ as pyo
import pytest

import bilevel_mp as bmp
from bilevel_mp.bench.records import ResultsDB
from bilevel_mp.cli import main
from bilevel_mp.modeling.files import model_builders
from tests.modeling.test_modeling import contract_model

MODEL_FILE = textwrap.dedent(
    """
    import pyomo.environ as pyo
    import bilevel_mp as bmp
    from tests.modeling.test_modeling import contract_model


    def build_contract():
        return contract_model()


    def build_sine():
        # LL min (y - x)^2 + sin(y) is not quadratic: kkt-bigm does not apply
        m = contract_model()
        m.L.obj.deactivate()
        m.L.obj2 = pyo.Objective(expr=(m.L.y - m.x) ** 2 + pyo.sin(m.L.y))
        return m


    def build_broken():
        raise RuntimeError("no data for this one")


    def helper():  # not a builder: its name does not start with build
        return 1


    shared = contract_model()
    """
)


def sine_model() -> pyo.ConcreteModel:
    m = contract_model()
    m.L.obj.deactivate()
    m.L.obj2 = pyo.Objective(expr=(m.L.y - m.x) ** 2 + pyo.sin(m.L.y))
    return m


def test_not_applicable_is_not_a_failure():
    seen = []
    result = bmp.bench({"contract": contract_model, "sine": sine_model, "given": contract_model()},
                       ["kkt-bigm", "kkt-scholtes"], time_limit=30, jobs=2,
                       progress=seen.append)
    rows = {(o.problem, o.method): o for o in result.outcomes}
    assert len(rows) == 6
    assert rows["sine", "kkt-bigm"].outcome == "not_applicable"
    assert rows["sine", "kkt-bigm"].message.startswith(
        "lower-level objective is not linear or quadratic")  # the reformulation's reason
    assert not rows["sine", "kkt-bigm"].solved
    for problem in ("contract", "given"):
        for method in ("kkt-bigm", "kkt-scholtes"):
            o = rows[problem, method]
            assert o.solved and o.verification == "CERTIFIED"
            assert o.upper_objective == pytest.approx(1.0, abs=1e-6)
    table = result.table().splitlines()
    bigm = table[[line.split()[0] for line in table].index("kkt-bigm")].split()
    # method, solved, certified, n/a, failed
    assert bigm[:5] == ["kkt-bigm", "2", "2", "1", "0"]
    grid = result.grid()
    assert "n/a" in grid and "solved F=1" in grid
    assert [e.done for e in seen] == [1, 2, 3, 4, 5, 6] and {e.total for e in seen} == {6}
    assert {(e.problem, e.method) for e in seen} == set(rows)
    json.dumps(result.to_dict(), allow_nan=False)
    frame = result.to_frame()
    assert len(frame) == 6 and set(frame["outcome"]) == {"ok", "not_applicable"}
    assert "<table" in result._repr_html_()


def test_bench_after_a_solve_in_the_same_process():
    # as in a notebook: HiGHS ran in this process (its thread scheduler exists) before
    # the workers are forked; they used to wait forever on the parent's HiGHS threads
    bmp.solve(contract_model(), method="kkt-bigm")
    result = bmp.bench({"contract": contract_model}, ["kkt-bigm"], time_limit=5)
    (outcome,) = result.outcomes
    assert outcome.outcome == "ok" and outcome.solved


def test_model_file_convention(tmp_path):
    path = tmp_path / "mine.py"
    path.write_text(MODEL_FILE)
    assert list(model_builders(str(path))) == ["build_contract", "build_sine", "build_broken",
                                               "shared"]
    assert list(model_builders(f"{path}:build_sine,shared")) == ["build_sine", "shared"]
    with pytest.raises(bmp.ModelError, match=r"build_broken\(\) raised RuntimeError: no data"):
        model_builders(str(path))["build_broken"]()
    declared = tmp_path / "declared.py"
    declared.write_text(MODEL_FILE + "\nMODELS = {'only': build_contract}\n")
    assert list(model_builders(str(declared))) == ["only"]
    listed = tmp_path / "listed.py"
    listed.write_text(MODEL_FILE + "\nMODELS = [build_sine, build_contract]\n")
    assert list(model_builders(str(listed))) == ["build_sine", "build_contract"]
    empty = tmp_path / "empty.py"
    empty.write_text("x = 1\n")
    with pytest.raises(bmp.BilevelError, match="offers no model"):
        model_builders(str(empty))
    with pytest.raises(bmp.BilevelError, match="defines no 'nope'"):
        model_builders(f"{path}:nope")


def test_cli_bench_models(tmp_path, capsys):
    path = tmp_path / "mine.py"
    path.write_text(MODEL_FILE)
    db = tmp_path / "runs.sqlite"
    assert main(["bench", "--models", f"{path}:build_contract,build_sine,build_broken",
                 "--methods", "kkt-bigm", "--time-limit", "30", "--jobs", "1",
                 "--db", str(db)]) == 0
    out = capsys.readouterr().out
    grid = out[out.index("problem "):].splitlines()
    cells = {line.split()[0]: line.split(maxsplit=1)[1] for line in grid[1:]}
    assert cells == {"build_broken": "build_error", "build_contract": "solved F=1",
                     "build_sine": "n/a"}
    stored = ResultsDB(db)
    run = stored.runs()[0]
    assert run["suite"] == f"models:{path}:build_contract,build_sine,build_broken"
    assert {o.outcome for o in stored.outcomes(run["run_id"])} == {
        "ok", "not_applicable", "build_error"}
    assert main(["bench", "--models", str(path), "--scheduler", "tcp://x:1"]) == 2
    assert "--models runs on the local executor" in capsys.readouterr().err


@pytest.mark.parametrize("kwargs, match", [
    ({"methods": "kkt-fb"}, "methods must be a non-empty list"),
    ({"methods": ["kkt-nope"]}, "unknown method 'kkt-nope'"),
    ({"methods": ["kkt-fb@nope=1"]}, "unknown option"),
    ({"time_limit": -1}, "time_limit must be"),
    ({"jobs": 0}, "jobs must be"),
    ({"progress": "yes"}, "progress must be"),
])
def test_bad_bench_arguments_are_option_errors(kwargs, match):
    args = {"methods": ["kkt-fb"], **kwargs}
    with pytest.raises(bmp.OptionError, match=match):
        bmp.bench({"contract": contract_model}, **args)


def test_a_db_that_cannot_be_opened_is_an_option_error(tmp_path):
    with pytest.raises(bmp.OptionError, match="cannot be opened"):
        bmp.bench({"contract": contract_model}, ["kkt-fb"], db=tmp_path / "no" / "r.sqlite")


def test_bad_models_are_option_errors():
    with pytest.raises(bmp.OptionError, match="same name"):
        bmp.bench([contract_model, contract_model], ["kkt-fb"])
    with pytest.raises(bmp.OptionError, match="not a model"):
        bmp.bench({"x": 3}, ["kkt-fb"])
    with pytest.raises(bmp.OptionError, match="models must be"):
        bmp.bench(3, ["kkt-fb"])


def test_bolib_suite_is_judged_against_the_recorded_optimum():
    """``suite="bolib"``: examples by name, solved by the BOLIB rule (F against F*)."""
    result = bmp.bench(["Bard1984a", "AnandalinghamWhite1990"], ["kkt-bigm", "kkt-product"],
                       time_limit=30, jobs=2, suite="bolib")
    got = {(o.problem, o.method): o for o in result.outcomes}
    assert len(got) == 4
    assert got["Bard1984a", "kkt-bigm"].F_star == pytest.approx(3.11111)
    assert got["Bard1984a", "kkt-bigm"].solved
    # kkt-product stops at a certified lower-level optimum whose F is not the recorded
    # optimum: verified, but not solved by the BOLIB rule
    worse = got["AnandalinghamWhite1990", "kkt-product"]
    assert worse.verification == "CERTIFIED" and worse.F_star == -49.0
    assert not worse.solved


@pytest.mark.parametrize("models, suite, match", [
    (["Bard1984a"], "netlib", "unknown suite 'netlib'"),
    (["Bard1984x"], "bolib", "no BOLIB example .Bard1984x.; close matches: Bard1984b"),
    ("Bard1984a", "bolib", "list of BOLIB example names"),
    (["Bard1984a", "Bard1984a"], "bolib", "same example twice"),
])
def test_bad_suite_arguments_are_option_errors(models, suite, match):
    with pytest.raises(bmp.OptionError, match=match):
        bmp.bench(models, ["kkt-fb"], suite=suite)
